//! Stored records → OpenIM wire types, with OpenIM's client-visible quirks:
//!
//! * **[quirk]** `FriendInfo.createTime` is in **seconds** in friend lists, designated friends and
//!   incremental sync, but in milliseconds in `get_specified_friends_info` (where `friendUser` is
//!   `null`); `BlackInfo.createTime` is in seconds in `get_black_list` and milliseconds in
//!   `get_specified_blacks`; `FriendRequest` times are milliseconds.
//! * **[quirk]** `FriendInfo.friendUser` carries only `userID`, `nickname`, `faceURL` and `ex`
//!   of the profile (the other `UserInfo` fields are zero).

use std::collections::HashMap;

use im_repo::UserRecord;
use im_wire::pb::sdkws::{BlackInfo, FriendInfo, FriendRequest, PublicUserInfo, UserInfo};

use crate::records::{BlackRow, FriendRow, RequestRow};

/// Profiles by user ID.
pub type Profiles = HashMap<String, UserRecord>;

/// Milliseconds → seconds.
fn secs(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// The whole profile as `UserInfo`.
pub fn user_info(u: &UserRecord) -> UserInfo {
    UserInfo {
        user_id: u.user_id.clone(),
        nickname: u.nickname.clone(),
        face_url: u.face_url.clone(),
        ex: u.ex.clone(),
        create_time: u.create_time,
        app_manger_level: u.app_manger_level,
        global_recv_msg_opt: u.global_recv_msg_opt,
    }
}

/// The public part of a profile.
pub fn public_user(u: &UserRecord) -> PublicUserInfo {
    PublicUserInfo {
        user_id: u.user_id.clone(),
        nickname: u.nickname.clone(),
        face_url: u.face_url.clone(),
        ex: u.ex.clone(),
    }
}

/// A friend with the friend's profile, as friend lists show it (`None` when the friend's profile
/// is missing: such rows are skipped, as OpenIM does).
pub fn friend_info(row: &FriendRow, users: &Profiles) -> Option<FriendInfo> {
    let u = users.get(&row.friend)?;
    let friend_user = UserInfo {
        user_id: u.user_id.clone(),
        nickname: u.nickname.clone(),
        face_url: u.face_url.clone(),
        ex: u.ex.clone(),
        ..UserInfo::default()
    };
    Some(FriendInfo {
        owner_user_id: row.owner.clone(),
        remark: row.remark.clone(),
        create_time: secs(row.create_time),
        friend_user: Some(friend_user),
        add_source: row.add_source,
        operator_user_id: row.operator_user_id.clone(),
        ex: row.ex.clone(),
        is_pinned: row.is_pinned,
    })
}

/// A friend relation without the profile (`get_specified_friends_info`; times in ms).
pub fn friend_info_bare(row: &FriendRow) -> FriendInfo {
    FriendInfo {
        owner_user_id: row.owner.clone(),
        remark: row.remark.clone(),
        create_time: row.create_time,
        friend_user: None,
        add_source: row.add_source,
        operator_user_id: row.operator_user_id.clone(),
        ex: row.ex.clone(),
        is_pinned: row.is_pinned,
    }
}

/// An application with both users' names and faces (`None` when a profile is missing).
pub fn request_info(row: &RequestRow, users: &Profiles) -> Option<FriendRequest> {
    let (from, to) = (users.get(&row.from)?, users.get(&row.to)?);
    Some(FriendRequest {
        from_user_id: row.from.clone(),
        from_nickname: from.nickname.clone(),
        from_face_url: from.face_url.clone(),
        to_user_id: row.to.clone(),
        to_nickname: to.nickname.clone(),
        to_face_url: to.face_url.clone(),
        handle_result: row.handle_result,
        req_msg: row.req_msg.clone(),
        create_time: row.create_time,
        handler_user_id: row.handler_user_id.clone(),
        handle_msg: row.handle_msg.clone(),
        handle_time: row.handle_time,
        ex: row.ex.clone(),
    })
}

/// A blacklist entry with the blocked user's public profile (`None` when the profile is
/// missing); `millis` selects the time unit (see the module docs).
pub fn black_info(row: &BlackRow, users: &Profiles, millis: bool) -> Option<BlackInfo> {
    let u = users.get(&row.blocked)?;
    Some(BlackInfo {
        owner_user_id: row.owner.clone(),
        create_time: if millis { row.create_time } else { secs(row.create_time) },
        black_user_info: Some(public_user(u)),
        add_source: row.add_source,
        operator_user_id: row.operator_user_id.clone(),
        ex: row.ex.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Profiles {
        let u = UserRecord {
            user_id: "f".into(),
            nickname: "F".into(),
            face_url: "http://f".into(),
            ex: "e".into(),
            create_time: 77,
            app_manger_level: 1,
            global_recv_msg_opt: 2,
        };
        [("f".to_string(), u)].into()
    }

    #[test]
    fn friend_quirks() {
        let row =
            FriendRow { owner: "o".into(), friend: "f".into(), create_time: 1_700_000_123_456, ..Default::default() };
        let info = friend_info(&row, &users()).unwrap();
        assert_eq!(info.create_time, 1_700_000_123);
        let fu = info.friend_user.unwrap();
        assert_eq!((fu.nickname.as_str(), fu.create_time, fu.app_manger_level), ("F", 0, 0));
        assert_eq!(friend_info_bare(&row).create_time, 1_700_000_123_456);
        let missing = FriendRow { friend: "nobody".into(), ..row };
        assert!(friend_info(&missing, &users()).is_none());
    }

    #[test]
    fn black_units() {
        let row = BlackRow { owner: "o".into(), blocked: "f".into(), create_time: 5_000, ..Default::default() };
        assert_eq!(black_info(&row, &users(), false).unwrap().create_time, 5);
        assert_eq!(black_info(&row, &users(), true).unwrap().create_time, 5_000);
    }
}
