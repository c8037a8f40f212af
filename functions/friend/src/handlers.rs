//! Handlers: resolve aliases and the caller, call the friend service, wrap the answer.

use im_domain::{ImError, ImResult};
use im_friend::access::{check_party, owner_or_caller};
use im_friend::{FriendPatch, PageSel};
use im_http::{Caller, Empty};
use im_wire::pb::relation::*;

use crate::FriendState;
use crate::api::*;

pub(crate) async fn add_friend(s: FriendState, c: Caller, r: ApplyToAddFriendReq) -> ImResult<Empty> {
    let from = owner_or_caller(&c, &r.from_user_id)?;
    s.apply(&c.tenant, &from, &r.to_user_id, &r.req_msg, &r.ex).await?;
    Ok(Empty {})
}

pub(crate) async fn add_friend_response(s: FriendState, c: Caller, r: RespondFriendApplyReq) -> ImResult<Empty> {
    // Seed shape: no fromUserID, toUserID is the applicant, the caller responds.
    let (from, to) = if r.from_user_id.is_empty() {
        (r.to_user_id.clone(), owner_or_caller(&c, "")?)
    } else {
        (r.from_user_id.clone(), owner_or_caller(&c, &r.to_user_id)?)
    };
    s.respond(&c.tenant, &c.user_id, &from, &to, r.handle_result, &r.handle_msg).await?;
    Ok(Empty {})
}

pub(crate) async fn delete_friend(s: FriendState, c: Caller, r: DeleteFriendReq) -> ImResult<Empty> {
    let owner = owner_or_caller(&c, &r.owner_user_id)?;
    s.delete(&c.tenant, &owner, &r.friend_user_id).await?;
    Ok(Empty {})
}

pub(crate) async fn get_friend_apply_list(
    s: FriendState,
    c: Caller,
    r: GetPaginationFriendsApplyToReq,
) -> ImResult<GetPaginationFriendsApplyToResp> {
    let page = PageSel::from_request(r.pagination.as_ref())?;
    let (friend_requests, total) = s.requests_to(&c.tenant, &r.user_id, page, &r.handle_results).await?;
    Ok(GetPaginationFriendsApplyToResp { friend_requests, total })
}

pub(crate) async fn get_designated_friend_apply(
    s: FriendState,
    c: Caller,
    r: GetDesignatedFriendsApplyReq,
) -> ImResult<GetDesignatedFriendsApplyResp> {
    check_party(&c, &r.from_user_id, &r.to_user_id)?;
    let friend_requests = s.designated_requests(&c.tenant, &r.from_user_id, &r.to_user_id).await?;
    Ok(GetDesignatedFriendsApplyResp { friend_requests })
}

pub(crate) async fn get_self_friend_apply_list(
    s: FriendState,
    c: Caller,
    r: GetPaginationFriendsApplyFromReq,
) -> ImResult<GetPaginationFriendsApplyFromResp> {
    let page = PageSel::from_request(r.pagination.as_ref())?;
    let (friend_requests, total) = s.requests_from(&c.tenant, &r.user_id, page, &r.handle_results).await?;
    Ok(GetPaginationFriendsApplyFromResp { friend_requests, total })
}

pub(crate) async fn get_friend_list(
    s: FriendState,
    c: Caller,
    r: GetPaginationFriendsReq,
) -> ImResult<GetPaginationFriendsResp> {
    let owner = owner_or_caller(&c, &r.user_id)?;
    let page = PageSel::from_request(r.pagination.as_ref())?;
    let (friends_info, total) = s.friend_page(&c.tenant, &owner, page).await?;
    Ok(GetPaginationFriendsResp { friends_info, total })
}

pub(crate) async fn get_designated_friends(
    s: FriendState,
    c: Caller,
    r: GetDesignatedFriendsReq,
) -> ImResult<GetDesignatedFriendsResp> {
    let friends_info = s.designated_friends(&c.tenant, &r.owner_user_id, &r.friend_user_ids).await?;
    Ok(GetDesignatedFriendsResp { friends_info })
}

pub(crate) async fn set_friend_remark(s: FriendState, c: Caller, r: SetFriendRemarkBody) -> ImResult<Empty> {
    let owner = owner_or_caller(&c, &r.base.owner_user_id)?;
    let friend = or_alias(&r.base.friend_user_id, r.to_user_id.as_deref());
    s.set_remark(&c.tenant, &owner, &friend, &r.base.remark).await?;
    Ok(Empty {})
}

pub(crate) async fn add_black(s: FriendState, c: Caller, r: AddBlackBody) -> ImResult<Empty> {
    let owner = owner_or_caller(&c, &r.base.owner_user_id)?;
    let black = or_alias(&r.base.black_user_id, r.to_user_id.as_deref());
    s.add_black(&c.tenant, &c.user_id, &owner, &black, &r.base.ex).await?;
    Ok(Empty {})
}

pub(crate) async fn get_black_list(
    s: FriendState,
    c: Caller,
    r: GetPaginationBlacksReq,
) -> ImResult<GetPaginationBlacksResp> {
    let owner = owner_or_caller(&c, &r.user_id)?;
    let page = PageSel::from_request(r.pagination.as_ref())?;
    let (blacks, total) = s.black_page(&c.tenant, &owner, page).await?;
    Ok(GetPaginationBlacksResp { blacks, total })
}

pub(crate) async fn get_specified_blacks(
    s: FriendState,
    c: Caller,
    r: GetSpecifiedBlacksReq,
) -> ImResult<GetSpecifiedBlacksResp> {
    let blacks = s.specified_blacks(&c.tenant, &r.owner_user_id, &r.user_id_list).await?;
    let total = im_friend::page::total(blacks.len());
    Ok(GetSpecifiedBlacksResp { blacks, total })
}

pub(crate) async fn remove_black(s: FriendState, c: Caller, r: RemoveBlackBody) -> ImResult<Empty> {
    let owner = owner_or_caller(&c, &r.base.owner_user_id)?;
    let black = or_alias(&r.base.black_user_id, r.to_user_id.as_deref());
    s.remove_black(&c.tenant, &owner, &black).await?;
    Ok(Empty {})
}

pub(crate) async fn get_incremental_blacks(
    _s: FriendState,
    _c: Caller,
    _r: GetIncrementalBlacksReq,
) -> ImResult<GetIncrementalBlacksResp> {
    // gRPC status 12 Unimplemented, surfaced raw as OpenIM's API does.
    Err(ImError::raw(12, "method getIncrementalBlacks not implemented"))
}

pub(crate) async fn import_friend(s: FriendState, c: Caller, r: ImportFriendBody) -> ImResult<Empty> {
    let owner = or_alias(&r.base.owner_user_id, r.legacy.owner_uid.as_deref());
    let mut friends = r.base.friend_user_ids;
    if friends.is_empty()
        && let Some(uid) = r.legacy.uid.filter(|u| !u.is_empty())
    {
        friends.push(uid);
    }
    s.import(&c.tenant, &c.user_id, &owner, &friends).await?;
    Ok(Empty {})
}

pub(crate) async fn is_friend(s: FriendState, c: Caller, r: IsFriendReq) -> ImResult<IsFriendResp> {
    check_party(&c, &r.user_id1, &r.user_id2)?;
    let (in_user1_friends, in_user2_friends) = s.is_friend(&c.tenant, &r.user_id1, &r.user_id2).await?;
    Ok(IsFriendResp { in_user1_friends, in_user2_friends })
}

pub(crate) async fn get_friend_id(s: FriendState, c: Caller, r: GetFriendIdsReq) -> ImResult<GetFriendIdsResp> {
    Ok(GetFriendIdsResp { friend_ids: s.friend_ids(&c.tenant, &r.user_id).await? })
}

pub(crate) async fn get_specified_friends_info(
    s: FriendState,
    c: Caller,
    r: GetSpecifiedFriendsInfoReq,
) -> ImResult<GetSpecifiedFriendsInfoResp> {
    Ok(GetSpecifiedFriendsInfoResp { infos: s.specified_info(&c.tenant, &r.owner_user_id, &r.user_id_list).await? })
}

pub(crate) async fn update_friends(s: FriendState, c: Caller, r: UpdateFriendsReq) -> ImResult<Empty> {
    let patch = FriendPatch { is_pinned: r.is_pinned, remark: r.remark, ex: r.ex };
    s.update_friends(&c.tenant, &r.owner_user_id, &r.friend_user_ids, &patch).await?;
    Ok(Empty {})
}

pub(crate) async fn get_incremental_friends(
    s: FriendState,
    c: Caller,
    r: GetIncrementalFriendsReq,
) -> ImResult<GetIncrementalFriendsResp> {
    s.incremental(&c.tenant, &r.user_id, &r.version_id, r.version).await
}

pub(crate) async fn get_full_friend_user_ids(
    s: FriendState,
    c: Caller,
    r: GetFullFriendUserIdsReq,
) -> ImResult<GetFullFriendUserIdsResp> {
    s.full_ids(&c.tenant, &r.user_id, r.id_hash).await
}

pub(crate) async fn get_self_unhandled_apply_count(
    s: FriendState,
    c: Caller,
    r: GetSelfUnhandledApplyCountReq,
) -> ImResult<GetSelfUnhandledApplyCountResp> {
    Ok(GetSelfUnhandledApplyCountResp { count: s.unhandled_count(&c.tenant, &r.user_id, r.time).await? })
}

pub(crate) async fn add_blacklist(s: FriendState, c: Caller, r: LegacyPairBody) -> ImResult<Empty> {
    let owner = owner_or_caller(&c, r.owner_uid.as_deref().unwrap_or_default())?;
    s.add_black(&c.tenant, &c.user_id, &owner, r.uid.as_deref().unwrap_or_default(), "").await?;
    Ok(Empty {})
}
