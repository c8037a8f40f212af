use im_domain::{ImError, ImResult};
use im_http::{Caller, Empty};
use im_user::{NewUser, ProfilePatch};

use super::required;
use crate::UserState;
use crate::api::*;

pub(crate) async fn user_register(st: UserState, caller: Caller, req: UserRegisterReq) -> ImResult<Empty> {
    let mut users = Vec::new();
    for u in required(req.users, "users")? {
        let u = u.ok_or_else(|| ImError::args("user is empty"))?;
        users.push(NewUser {
            user_id: u.user_id,
            nickname: u.nickname,
            face_url: u.face_url,
            ex: u.ex,
            app_manger_level: u.app_manger_level,
            global_recv_msg_opt: u.global_recv_msg_opt,
        });
    }
    st.users.register(&caller.tenant, users).await?;
    Ok(Empty {})
}

/// Zero values mean "unchanged" in update_user_info.
fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn non_zero(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

pub(crate) async fn update_user_info(st: UserState, caller: Caller, req: UpdateUserInfoReq) -> ImResult<Empty> {
    let u = req.user_info.ok_or_else(|| ImError::args("UserInfo is empty"))?;
    let patch = ProfilePatch {
        nickname: non_empty(u.nickname),
        face_url: non_empty(u.face_url),
        ex: non_empty(u.ex),
        app_manger_level: non_zero(u.app_manger_level),
        global_recv_msg_opt: non_zero(u.global_recv_msg_opt),
    };
    st.users.update_info(&caller.tenant, &u.user_id, patch, caller.is_admin).await?;
    Ok(Empty {})
}

pub(crate) async fn update_user_info_ex(st: UserState, caller: Caller, req: UpdateUserInfoExReq) -> ImResult<Empty> {
    let u = req.user_info.ok_or_else(|| ImError::args("userInfo is empty"))?;
    let patch = ProfilePatch {
        nickname: u.nickname,
        face_url: u.face_url,
        ex: u.ex,
        app_manger_level: None,
        global_recv_msg_opt: u.global_recv_msg_opt,
    };
    st.users.update_info(&caller.tenant, &u.user_id, patch, caller.is_admin).await?;
    Ok(Empty {})
}

pub(crate) async fn set_global_recv_msg_opt(
    st: UserState,
    caller: Caller,
    req: SetGlobalRecvMsgOptReq,
) -> ImResult<Empty> {
    st.users.set_global_recv_msg_opt(&caller.tenant, &req.user_id, req.global_recv_msg_opt).await?;
    Ok(Empty {})
}

pub(crate) async fn get_users_info(st: UserState, caller: Caller, req: GetUsersInfoReq) -> ImResult<GetUsersInfoResp> {
    let ids = required(req.user_ids, "UserIDs")?;
    let users = st.users.users_info(&caller.tenant, &ids).await?;
    Ok(GetUsersInfoResp { users_info: users.into_iter().map(UserInfo::from).collect() })
}

pub(crate) async fn account_check(st: UserState, caller: Caller, req: AccountCheckReq) -> ImResult<AccountCheckResp> {
    let ids = required(req.check_user_ids, "CheckUserIDs")?;
    let results = st.users.account_check(&caller.tenant, &ids).await?;
    Ok(AccountCheckResp {
        results: results
            .into_iter()
            .map(|(user_id, registered)| AccountStatus { user_id, account_status: i32::from(registered) })
            .collect(),
    })
}
