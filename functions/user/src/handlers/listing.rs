use im_domain::ImResult;
use im_http::Caller;
use im_user::Pagination;

use crate::UserState;
use crate::api::*;

pub(crate) async fn get_all_users_uid(
    st: UserState,
    caller: Caller,
    req: GetAllUsersUidReq,
) -> ImResult<GetAllUsersUidResp> {
    let page = Pagination::check(req.pagination.map(Pagination::from))?;
    let (total, user_ids) = st.users.all_user_ids(&caller.tenant, page).await?;
    Ok(GetAllUsersUidResp { total: total_i32(total), user_ids })
}

pub(crate) async fn get_users(st: UserState, caller: Caller, req: GetUsersReq) -> ImResult<GetUsersResp> {
    let page = Pagination::check(req.pagination.map(Pagination::from))?;
    let (total, users) = st.users.page_users(&caller.tenant, page, &req.user_id, &req.nick_name).await?;
    Ok(GetUsersResp { total: total_i32(total), users: users.into_iter().map(UserInfo::from).collect() })
}
