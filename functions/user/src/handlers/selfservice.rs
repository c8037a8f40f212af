use im_domain::constants::platform;
use im_domain::{ImError, ImResult};
use im_http::Caller;
use im_user::NewUser;

use crate::UserState;
use crate::api::*;

pub(crate) async fn self_register(st: UserState, caller: Caller, req: SelfRegisterReq) -> ImResult<SelfRegisterResp> {
    let user = NewUser {
        user_id: req.user_id,
        nickname: req.nickname,
        face_url: req.face_url,
        ex: req.ex,
        ..NewUser::default()
    };
    let user_id = st.users.self_register(&caller.tenant, user, &req.password).await?;
    Ok(SelfRegisterResp { user_id })
}

pub(crate) async fn self_login(st: UserState, caller: Caller, req: SelfLoginReq) -> ImResult<SelfLoginResp> {
    // Cheap refusals before the password hash is computed.
    if req.platform_id == platform::ADMIN {
        return Err(ImError::no_permission("platformID invalid. platformID must not be adminPlatformID"));
    }
    if !platform::is_known(req.platform_id) {
        return Err(ImError::args(format!("platformID {} is invalid", req.platform_id)));
    }
    st.users.check_password(&caller.tenant, &req.user_id, &req.password).await?;
    let t = st.auth.get_user_token(&caller.tenant, &req.user_id, req.platform_id).await?;
    Ok(SelfLoginResp { token: t.token, expire_time_seconds: t.expire_seconds })
}
