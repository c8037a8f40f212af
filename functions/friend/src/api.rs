//! Endpoint declarations of `/friend` (reference §1.3; JSON keys as Appendix A.3).
//!
//! Request and response bodies are the `openim.relation` messages of `im_wire`, except where
//! the seed documents use other shapes, which are accepted as aliases:
//!
//! * an omitted acting user (`fromUserID`, `ownerUserID`, `userID`) means the caller;
//! * `toUserID` names the other user of `set_friend_remark`, `add_black` and `remove_black`,
//!   and the applicant of `add_friend_response` when `fromUserID` is omitted;
//! * the v2 bodies `{uid, ownerUid}` of `/friend/import_friend` and `/friend/add_blacklist`.
//!
//! Those routes are declared `H(...)`: the handler applies the self-or-admin rule after
//! resolving the alias.

use im_http::{AuthRule, Empty};
use im_wire::pb::relation as pb;
use serde::Deserialize;

const OWNER_ALIAS: AuthRule = AuthRule::Handler("S(ownerUserID); empty = the caller");
const USER_ALIAS: AuthRule = AuthRule::Handler("S(userID); empty = the caller");

im_http::declare_endpoints!(
    /// `POST /friend/add_friend`: apply to become friends (1203).
    AddFriend, "/friend/add_friend", AuthRule::Handler("S(fromUserID); empty = the caller"),
    pb::ApplyToAddFriendReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/add_friend_response`: agree (1201) or refuse (1202) an application.
    AddFriendResponse, "/friend/add_friend_response",
    AuthRule::Handler("S(toUserID); without fromUserID: toUserID is the applicant and the caller responds"),
    pb::RespondFriendApplyReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/delete_friend`: one-directional delete (1205).
    DeleteFriend, "/friend/delete_friend", OWNER_ALIAS, pb::DeleteFriendReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/get_friend_apply_list`: applications received (`FriendRequests`, `total`).
    GetFriendApplyList, "/friend/get_friend_apply_list", AuthRule::SelfOrAdmin("userID"),
    pb::GetPaginationFriendsApplyToReq, pb::GetPaginationFriendsApplyToResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_designated_friend_apply`: the applications between two users.
    GetDesignatedFriendApply, "/friend/get_designated_friend_apply",
    AuthRule::Handler("caller is fromUserID or toUserID, or an admin"),
    pb::GetDesignatedFriendsApplyReq, pb::GetDesignatedFriendsApplyResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_self_friend_apply_list`: applications sent (`friendRequests`, `total`).
    GetSelfFriendApplyList, "/friend/get_self_friend_apply_list", AuthRule::SelfOrAdmin("userID"),
    pb::GetPaginationFriendsApplyFromReq, pb::GetPaginationFriendsApplyFromResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_friend_list`: one page of friends.
    GetFriendList, "/friend/get_friend_list", USER_ALIAS,
    pb::GetPaginationFriendsReq, pb::GetPaginationFriendsResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_designated_friends`: the listed friends.
    GetDesignatedFriends, "/friend/get_designated_friends", AuthRule::SelfOrAdmin("ownerUserID"),
    pb::GetDesignatedFriendsReq, pb::GetDesignatedFriendsResp
);
im_http::declare_endpoints!(
    /// `POST /friend/set_friend_remark` (1206).
    SetFriendRemark, "/friend/set_friend_remark", OWNER_ALIAS, SetFriendRemarkBody, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/add_black` (1207).
    AddBlack, "/friend/add_black", OWNER_ALIAS, AddBlackBody, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/get_black_list`: one page of the blacklist.
    GetBlackList, "/friend/get_black_list", USER_ALIAS, pb::GetPaginationBlacksReq, pb::GetPaginationBlacksResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_specified_blacks`: the listed blacklist entries.
    GetSpecifiedBlacks, "/friend/get_specified_blacks", AuthRule::SelfOrAdmin("ownerUserID"),
    pb::GetSpecifiedBlacksReq, pb::GetSpecifiedBlacksResp
);
im_http::declare_endpoints!(
    /// `POST /friend/remove_black` (1208).
    RemoveBlack, "/friend/remove_black", OWNER_ALIAS, RemoveBlackBody, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/get_incremental_blacks`: not implemented by OpenIM's friend service; answers
    /// errCode 12 "method getIncrementalBlacks not implemented" as OpenIM does.
    GetIncrementalBlacks, "/friend/get_incremental_blacks", AuthRule::Token,
    pb::GetIncrementalBlacksReq, pb::GetIncrementalBlacksResp
);
im_http::declare_endpoints!(
    /// `POST /friend/import_friend`: admin makes users mutual friends (also the v2 `{uid, ownerUid}`).
    ImportFriend, "/friend/import_friend", AuthRule::Admin, ImportFriendBody, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/is_friend`: whether each user lists the other.
    IsFriend, "/friend/is_friend", AuthRule::Handler("caller is userID1 or userID2, or an admin"),
    pb::IsFriendReq, pb::IsFriendResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_friend_id`: every friend's user ID.
    GetFriendId, "/friend/get_friend_id", AuthRule::SelfOrAdmin("userID"), pb::GetFriendIdsReq, pb::GetFriendIdsResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_specified_friends_info`: profile, friend and blacklist entries per user.
    GetSpecifiedFriendsInfo, "/friend/get_specified_friends_info", AuthRule::SelfOrAdmin("ownerUserID"),
    pb::GetSpecifiedFriendsInfoReq, pb::GetSpecifiedFriendsInfoResp
);
im_http::declare_endpoints!(
    /// `POST /friend/update_friends`: pinned/remark/ex of several friends (1210).
    UpdateFriends, "/friend/update_friends", AuthRule::SelfOrAdmin("ownerUserID"), pb::UpdateFriendsReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /friend/get_incremental_friends`: changes since a version (§6.9).
    GetIncrementalFriends, "/friend/get_incremental_friends", AuthRule::SelfOrAdmin("userID"),
    pb::GetIncrementalFriendsReq, pb::GetIncrementalFriendsResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_full_friend_user_ids`: every friend ID unless the client's hash matches.
    GetFullFriendUserIds, "/friend/get_full_friend_user_ids", AuthRule::SelfOrAdmin("userID"),
    pb::GetFullFriendUserIdsReq, pb::GetFullFriendUserIdsResp
);
im_http::declare_endpoints!(
    /// `POST /friend/get_self_unhandled_apply_count`: pending applications received.
    GetSelfUnhandledApplyCount, "/friend/get_self_unhandled_apply_count", AuthRule::SelfOrAdmin("userID"),
    pb::GetSelfUnhandledApplyCountReq, pb::GetSelfUnhandledApplyCountResp
);
im_http::declare_endpoints!(
    /// `POST /friend/add_blacklist`: v2 route (seed 003), `{uid, ownerUid}`: `ownerUid` blocks `uid`.
    AddBlacklist, "/friend/add_blacklist", AuthRule::Handler("S(ownerUid); empty = the caller"),
    LegacyPairBody, Empty
);

/// `set_friend_remark` body: `setFriendRemarkReq`, or the seed shape `{toUserID, remark}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SetFriendRemarkBody {
    /// The reference shape.
    #[serde(flatten)]
    pub base: pb::SetFriendRemarkReq,
    /// Seed alias of `friendUserID`.
    #[serde(rename = "toUserID")]
    pub to_user_id: Option<String>,
}

/// `add_black` body: `addBlackReq`, or the seed shape `{toUserID, ex}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AddBlackBody {
    /// The reference shape.
    #[serde(flatten)]
    pub base: pb::AddBlackReq,
    /// Seed alias of `blackUserID`.
    #[serde(rename = "toUserID")]
    pub to_user_id: Option<String>,
}

/// `remove_black` body: `removeBlackReq`, or the seed shape `{toUserID}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RemoveBlackBody {
    /// The reference shape.
    #[serde(flatten)]
    pub base: pb::RemoveBlackReq,
    /// Seed alias of `blackUserID`.
    #[serde(rename = "toUserID")]
    pub to_user_id: Option<String>,
}

/// `import_friend` body: `importFriendReq`, or the v2 shape `{uid, ownerUid}` (one friend).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ImportFriendBody {
    /// The reference shape.
    #[serde(flatten)]
    pub base: pb::ImportFriendReq,
    /// The v2 pair.
    #[serde(flatten)]
    pub legacy: LegacyPairBody,
}

/// The v2 pair `{uid, ownerUid}` (seed 003).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LegacyPairBody {
    /// The other user.
    pub uid: Option<String>,
    /// The acting (owning) user.
    #[serde(rename = "ownerUid")]
    pub owner_uid: Option<String>,
}

/// The first non-empty of `value` and `alias`.
pub fn or_alias(value: &str, alias: Option<&str>) -> String {
    if value.is_empty() { alias.unwrap_or_default().to_string() } else { value.to_string() }
}

#[cfg(test)]
mod tests {
    use im_http::decode::decode_json;

    use super::*;

    #[test]
    fn aliases_decode_beside_the_reference_shape() {
        let b: SetFriendRemarkBody = decode_json(br#"{"toUserID":"f","remark":"r"}"#).unwrap();
        assert_eq!(
            (b.base.friend_user_id.as_str(), b.to_user_id.as_deref(), b.base.remark.as_str()),
            ("", Some("f"), "r")
        );
        let b: SetFriendRemarkBody = decode_json(br#"{"ownerUserID":"o","friendUserID":"f","toUserID":null}"#).unwrap();
        assert_eq!((b.base.owner_user_id.as_str(), b.base.friend_user_id.as_str(), b.to_user_id), ("o", "f", None));
        let b: ImportFriendBody = decode_json(br#"{"uid":"a","ownerUid":"b","operationID":"x"}"#).unwrap();
        assert_eq!((b.legacy.uid.as_deref(), b.legacy.owner_uid.as_deref()), (Some("a"), Some("b")));
        assert!(b.base.friend_user_ids.is_empty());
        let b: ImportFriendBody = decode_json(br#"{"ownerUserID":"o","friendUserIDs":["a","b"]}"#).unwrap();
        assert_eq!(b.base.friend_user_ids, ["a", "b"]);
        let e = decode_json::<AddBlackBody>(br#"{"blackUserID":5}"#).unwrap_err();
        assert_eq!(e.code, 1001);
        assert_eq!(or_alias("", Some("x")), "x");
        assert_eq!(or_alias("v", Some("x")), "v");
    }
}
