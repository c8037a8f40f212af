use im_domain::ImResult;
use im_http::{Caller, Empty};
use im_user::Pagination;

use crate::UserState;
use crate::api::*;

pub(crate) async fn add(
    st: UserState,
    caller: Caller,
    req: AddNotificationAccountReq,
) -> ImResult<AddNotificationAccountResp> {
    let u = st
        .users
        .add_notification_account(&caller.tenant, &req.user_id, &req.nick_name, &req.face_url, req.app_manger_level)
        .await?;
    Ok(AddNotificationAccountResp {
        user_id: u.user_id,
        face_url: u.face_url,
        nick_name: u.nickname,
        app_manger_level: u.app_manger_level,
    })
}

pub(crate) async fn update(st: UserState, caller: Caller, req: UpdateNotificationAccountReq) -> ImResult<Empty> {
    st.users.update_notification_account(&caller.tenant, &req.user_id, &req.nick_name, &req.face_url).await?;
    Ok(Empty {})
}

pub(crate) async fn search(
    st: UserState,
    caller: Caller,
    req: SearchNotificationAccountReq,
) -> ImResult<SearchNotificationAccountResp> {
    let page = Pagination::check(req.pagination.map(Pagination::from))?;
    let (total, found) =
        st.users.search_notification_accounts(&caller.tenant, &req.keyword, req.app_manager_level, page).await?;
    Ok(SearchNotificationAccountResp {
        total,
        notification_accounts: found
            .into_iter()
            .map(|u| NotificationAccountInfo {
                user_id: u.user_id,
                face_url: u.face_url,
                nick_name: u.nickname,
                app_manger_level: u.app_manger_level,
            })
            .collect(),
    })
}
