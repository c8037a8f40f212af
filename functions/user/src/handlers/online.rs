use std::collections::BTreeMap;

use im_domain::constants::platform;
use im_domain::{ImError, ImResult};
use im_http::Caller;

use crate::UserState;
use crate::api::*;

/// `status` of an online user.
const ONLINE: i32 = 1;
/// `status` of an offline user.
const OFFLINE: i32 = 0;

pub(crate) async fn get_users_online_status(
    st: UserState,
    caller: Caller,
    req: UserIDsReq,
) -> ImResult<Vec<OnlineStatusResult>> {
    let ids = req.user_ids.unwrap_or_default();
    let found = st.users.connections_of(&caller.tenant, &ids).await?;
    Ok(found
        .into_iter()
        .map(|(user_id, conns)| OnlineStatusResult {
            user_id,
            status: if conns.is_empty() { OFFLINE } else { ONLINE },
            detail_platform_status: conns
                .into_iter()
                .map(|c| PlatformDetail {
                    platform_id: c.platform_id,
                    conn_id: c.conn_id,
                    is_background: c.background,
                    token: c.token_sig,
                })
                .collect(),
        })
        .collect())
}

pub(crate) async fn get_users_online_token_detail(
    st: UserState,
    caller: Caller,
    req: UserIDsReq,
) -> ImResult<Vec<SingleDetail>> {
    if !caller.is_admin {
        return Ok(Vec::new());
    }
    let ids = req.user_ids.unwrap_or_default();
    let found = st.users.connections_of(&caller.tenant, &ids).await?;
    Ok(found
        .into_iter()
        .filter(|(_, conns)| !conns.is_empty())
        .map(|(user_id, conns)| {
            let mut by_platform: BTreeMap<i32, Vec<String>> = BTreeMap::new();
            for c in conns {
                by_platform.entry(c.platform_id).or_default().push(c.token_sig);
            }
            SingleDetail {
                user_id,
                status: ONLINE,
                single_platform_token: by_platform
                    .into_iter()
                    .map(|(platform_id, token)| SinglePlatformToken {
                        platform_id,
                        total: i32::try_from(token.len()).unwrap_or(i32::MAX),
                        token,
                    })
                    .collect(),
            }
        })
        .collect())
}

pub(crate) async fn subscribe_users_status(
    _st: UserState,
    _caller: Caller,
    req: SubscribeUsersStatusReq,
) -> ImResult<StatusListResp> {
    if req.user_id.is_empty() {
        return Err(ImError::args("UserID is empty"));
    }
    if req.user_ids.is_none() {
        return Err(ImError::args("subscription User-list is empty"));
    }
    if !(1..=2).contains(&req.genre) {
        return Err(ImError::args("invalid subscription type parameter"));
    }
    Ok(StatusListResp::default())
}

pub(crate) async fn get_users_status(
    st: UserState,
    caller: Caller,
    req: GetUsersStatusReq,
) -> ImResult<StatusListResp> {
    let ids = req.user_ids.filter(|ids| !ids.is_empty()).ok_or_else(|| ImError::args("UserIDs is empty"))?;
    let found = st.users.online_platforms(&caller.tenant, &ids).await?;
    Ok(StatusListResp {
        status_list: found
            .into_iter()
            .map(|(user_id, platform_ids)| OnlineStatus {
                user_id,
                status: if platform_ids.is_empty() { OFFLINE } else { ONLINE },
                platform_ids: platform_ids.into_iter().filter(|p| platform::is_known(*p)).collect(),
            })
            .collect(),
    })
}

pub(crate) async fn get_subscribe_users_status(
    _st: UserState,
    _caller: Caller,
    req: GetSubscribeUsersStatusReq,
) -> ImResult<StatusListResp> {
    if req.user_id.is_empty() {
        return Err(ImError::args("UserID is empty"));
    }
    Ok(StatusListResp::default())
}
