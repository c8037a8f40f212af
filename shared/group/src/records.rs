//! Stored records of groups, members and join requests, and their wire forms.
//!
//! Group and request attributes are named like their OpenIM JSON keys. Member items are read
//! in bulk on every group fan-out, so their attributes use short names and empty values are
//! left out (see `docs/data-model.md`).

use im_domain::TenantId;
use im_domain::store::{AttrValue, Item};
use im_wire::pb::sdkws::{GroupInfo, GroupMemberFullInfo, GroupRequest, PublicUserInfo};

use crate::keys;

/// Attribute names of the group item (OpenIM `GroupInfo` JSON keys).
pub mod group_attr {
    /// Group name.
    pub const NAME: &str = "groupName";
    /// Announcement.
    pub const NOTIFICATION: &str = "notification";
    /// Introduction.
    pub const INTRODUCTION: &str = "introduction";
    /// Face URL.
    pub const FACE_URL: &str = "faceURL";
    /// Extension.
    pub const EX: &str = "ex";
    /// Status (0 ok, 2 dismissed, 3 muted).
    pub const STATUS: &str = "status";
    /// Creator.
    pub const CREATOR: &str = "creatorUserID";
    /// Group type.
    pub const GROUP_TYPE: &str = "groupType";
    /// Join verification.
    pub const NEED_VERIFICATION: &str = "needVerification";
    /// Member-info visibility.
    pub const LOOK_MEMBER_INFO: &str = "lookMemberInfo";
    /// Friend requests between members.
    pub const APPLY_MEMBER_FRIEND: &str = "applyMemberFriend";
    /// Announcement time (ms).
    pub const NOTIFICATION_UPDATE_TIME: &str = "notificationUpdateTime";
    /// Announcement author.
    pub const NOTIFICATION_USER: &str = "notificationUserID";
    /// Creation time (ms).
    pub const CREATE_TIME: &str = "createTime";
    /// Member count, moved with every membership change.
    pub const MEMBER_COUNT: &str = "memberCount";
    /// Current owner.
    pub const OWNER: &str = "ownerUserID";
}

/// Attribute names of member items (short: members are read in bulk).
pub mod member_attr {
    /// Role level.
    pub const ROLE: &str = "role";
    /// Join time (ms).
    pub const JOIN_TIME: &str = "jt";
    /// Join source.
    pub const JOIN_SOURCE: &str = "js";
    /// Operator of the join.
    pub const OPERATOR: &str = "op";
    /// Inviter.
    pub const INVITER: &str = "inv";
    /// Group nickname (absent = profile nickname).
    pub const NICKNAME: &str = "nick";
    /// Group face URL (absent = profile face URL).
    pub const FACE_URL: &str = "face";
    /// Extension.
    pub const EX: &str = "ex";
    /// Muted until (ms; absent = not muted).
    pub const MUTE_END: &str = "mute";
}

/// Attribute names of join-request items (OpenIM `GroupRequest` JSON keys).
pub mod request_attr {
    /// Applicant's message.
    pub const REQ_MSG: &str = "reqMsg";
    /// 0 pending, 1 accepted, -1 refused.
    pub const HANDLE_RESULT: &str = "handleResult";
    /// Handler's message.
    pub const HANDLE_MSG: &str = "handleMsg";
    /// Application time (ms).
    pub const REQ_TIME: &str = "reqTime";
    /// Handler.
    pub const HANDLE_USER: &str = "handleUserID";
    /// Handling time (ms).
    pub const HANDLE_TIME: &str = "handleTime";
    /// Extension.
    pub const EX: &str = "ex";
    /// Join source.
    pub const JOIN_SOURCE: &str = "joinSource";
    /// Inviter (invitation requests).
    pub const INVITER: &str = "inviterUserID";
}

fn s(item: &Item, name: &str) -> String {
    item.s(name).unwrap_or_default().to_string()
}

fn n32(item: &Item, name: &str) -> i32 {
    i32::try_from(item.n(name).unwrap_or_default()).unwrap_or_default()
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupRecord {
    /// Group ID.
    pub group_id: String,
    /// Name.
    pub group_name: String,
    /// Announcement.
    pub notification: String,
    /// Introduction.
    pub introduction: String,
    /// Face URL.
    pub face_url: String,
    /// Extension.
    pub ex: String,
    /// Status (0 ok, 2 dismissed, 3 muted).
    pub status: i32,
    /// Creator.
    pub creator_user_id: String,
    /// Group type (2).
    pub group_type: i32,
    /// Join verification (0, 1, 2).
    pub need_verification: i32,
    /// Member-info visibility.
    pub look_member_info: i32,
    /// Friend requests between members.
    pub apply_member_friend: i32,
    /// Announcement time (ms).
    pub notification_update_time: i64,
    /// Announcement author.
    pub notification_user_id: String,
    /// Creation time (ms).
    pub create_time: i64,
    /// Member count.
    pub member_count: u32,
    /// Current owner.
    pub owner_user_id: String,
}

impl GroupRecord {
    /// The store item of a new group (listed on the groups index).
    pub fn to_item(&self, t: &TenantId) -> Item {
        use group_attr::*;
        Item::new(keys::group_info(t, &self.group_id))
            .with_index(keys::GROUPS_INDEX_PK, keys::groups_index_sk(self.create_time, &self.group_id))
            .with(NAME, self.group_name.as_str())
            .with(NOTIFICATION, self.notification.as_str())
            .with(INTRODUCTION, self.introduction.as_str())
            .with(FACE_URL, self.face_url.as_str())
            .with(EX, self.ex.as_str())
            .with(STATUS, self.status)
            .with(CREATOR, self.creator_user_id.as_str())
            .with(GROUP_TYPE, self.group_type)
            .with(NEED_VERIFICATION, self.need_verification)
            .with(LOOK_MEMBER_INFO, self.look_member_info)
            .with(APPLY_MEMBER_FRIEND, self.apply_member_friend)
            .with(NOTIFICATION_UPDATE_TIME, self.notification_update_time)
            .with(NOTIFICATION_USER, self.notification_user_id.as_str())
            .with(CREATE_TIME, self.create_time)
            .with(MEMBER_COUNT, i64::from(self.member_count))
            .with(OWNER, self.owner_user_id.as_str())
    }

    /// Reads a group item (missing attributes are zero values).
    pub fn from_item(item: &Item) -> Self {
        use group_attr::*;
        GroupRecord {
            group_id: item.key.pk.strip_prefix("G#").unwrap_or_default().to_string(),
            group_name: s(item, NAME),
            notification: s(item, NOTIFICATION),
            introduction: s(item, INTRODUCTION),
            face_url: s(item, FACE_URL),
            ex: s(item, EX),
            status: n32(item, STATUS),
            creator_user_id: s(item, CREATOR),
            group_type: n32(item, GROUP_TYPE),
            need_verification: n32(item, NEED_VERIFICATION),
            look_member_info: n32(item, LOOK_MEMBER_INFO),
            apply_member_friend: n32(item, APPLY_MEMBER_FRIEND),
            notification_update_time: item.n(NOTIFICATION_UPDATE_TIME).unwrap_or_default(),
            notification_user_id: s(item, NOTIFICATION_USER),
            create_time: item.n(CREATE_TIME).unwrap_or_default(),
            member_count: u32::try_from(item.n(MEMBER_COUNT).unwrap_or_default()).unwrap_or_default(),
            owner_user_id: s(item, OWNER),
        }
    }

    /// Whether the group is dismissed.
    pub fn is_dismissed(&self) -> bool {
        self.status == im_domain::constants::group_status::DISMISSED
    }

    /// The wire form.
    pub fn to_pb(&self) -> GroupInfo {
        GroupInfo {
            group_id: self.group_id.clone(),
            group_name: self.group_name.clone(),
            notification: self.notification.clone(),
            introduction: self.introduction.clone(),
            face_url: self.face_url.clone(),
            owner_user_id: self.owner_user_id.clone(),
            create_time: self.create_time,
            member_count: self.member_count,
            ex: self.ex.clone(),
            status: self.status,
            creator_user_id: self.creator_user_id.clone(),
            group_type: self.group_type,
            need_verification: self.need_verification,
            look_member_info: self.look_member_info,
            apply_member_friend: self.apply_member_friend,
            notification_update_time: self.notification_update_time,
            notification_user_id: self.notification_user_id.clone(),
        }
    }
}

/// A group member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberRecord {
    /// Group ID.
    pub group_id: String,
    /// User ID.
    pub user_id: String,
    /// Role level (100, 60, 20).
    pub role_level: i32,
    /// Join time (ms).
    pub join_time: i64,
    /// Group nickname (empty = profile nickname).
    pub nickname: String,
    /// Group face URL (empty = profile face URL).
    pub face_url: String,
    /// Join source.
    pub join_source: i32,
    /// Operator of the join.
    pub operator_user_id: String,
    /// Extension.
    pub ex: String,
    /// Muted until (ms; 0 = not muted).
    pub mute_end_time: i64,
    /// Inviter.
    pub inviter_user_id: String,
}

impl MemberRecord {
    /// The store item (indexed under the user's joined groups).
    pub fn to_item(&self, t: &TenantId) -> Item {
        use member_attr::*;
        let mut item = Item::new(keys::member(t, &self.group_id, &self.user_id))
            .with_index(keys::joined_index_pk(&self.user_id), self.group_id.as_str())
            .with(ROLE, self.role_level)
            .with(JOIN_TIME, self.join_time)
            .with(JOIN_SOURCE, self.join_source)
            .with(OPERATOR, self.operator_user_id.as_str())
            .with(INVITER, self.inviter_user_id.as_str());
        for (name, value) in [(NICKNAME, &self.nickname), (FACE_URL, &self.face_url), (EX, &self.ex)] {
            if !value.is_empty() {
                item = item.with(name, value.as_str());
            }
        }
        if self.mute_end_time > 0 {
            item = item.with(MUTE_END, self.mute_end_time);
        }
        item
    }

    /// Reads a member item (from the table or the joined-groups index).
    pub fn from_item(item: &Item) -> Self {
        use member_attr::*;
        MemberRecord {
            group_id: item.key.pk.strip_prefix("G#").unwrap_or_default().to_string(),
            user_id: keys::member_user_id(&item.key.sk).unwrap_or_default().to_string(),
            role_level: n32(item, ROLE),
            join_time: item.n(JOIN_TIME).unwrap_or_default(),
            nickname: s(item, NICKNAME),
            face_url: s(item, FACE_URL),
            join_source: n32(item, JOIN_SOURCE),
            operator_user_id: s(item, OPERATOR),
            ex: s(item, EX),
            mute_end_time: item.n(MUTE_END).unwrap_or_default(),
            inviter_user_id: s(item, INVITER),
        }
    }

    /// Whether the member is the owner or an admin.
    pub fn is_manager(&self) -> bool {
        crate::rules::is_manager(self.role_level)
    }

    /// The wire form (`appMangerLevel` 0, as OpenIM sends for members).
    pub fn to_pb(&self) -> GroupMemberFullInfo {
        GroupMemberFullInfo {
            group_id: self.group_id.clone(),
            user_id: self.user_id.clone(),
            role_level: self.role_level,
            join_time: self.join_time,
            nickname: self.nickname.clone(),
            face_url: self.face_url.clone(),
            app_manger_level: 0,
            join_source: self.join_source,
            operator_user_id: self.operator_user_id.clone(),
            ex: self.ex.clone(),
            mute_end_time: self.mute_end_time,
            inviter_user_id: self.inviter_user_id.clone(),
        }
    }
}

/// A join request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestRecord {
    /// Group ID.
    pub group_id: String,
    /// Applicant.
    pub user_id: String,
    /// Applicant's message.
    pub req_msg: String,
    /// 0 pending, 1 accepted, -1 refused.
    pub handle_result: i32,
    /// Handler's message.
    pub handle_msg: String,
    /// Application time (ms).
    pub req_time: i64,
    /// Handler.
    pub handle_user_id: String,
    /// Handling time (ms).
    pub handle_time: i64,
    /// Extension.
    pub ex: String,
    /// Join source.
    pub join_source: i32,
    /// Inviter (invitation requests).
    pub inviter_user_id: String,
}

impl RequestRecord {
    /// The store item (indexed under the applicant's requests).
    pub fn to_item(&self, t: &TenantId) -> Item {
        use request_attr::*;
        Item::new(keys::request(t, &self.group_id, &self.user_id))
            .with_index(keys::request_user_index_pk(&self.user_id), self.group_id.as_str())
            .with(REQ_MSG, self.req_msg.as_str())
            .with(HANDLE_RESULT, self.handle_result)
            .with(HANDLE_MSG, self.handle_msg.as_str())
            .with(REQ_TIME, self.req_time)
            .with(HANDLE_USER, self.handle_user_id.as_str())
            .with(HANDLE_TIME, self.handle_time)
            .with(EX, self.ex.as_str())
            .with(JOIN_SOURCE, self.join_source)
            .with(INVITER, self.inviter_user_id.as_str())
    }

    /// Reads a request item (from the table or the applicant index).
    pub fn from_item(item: &Item) -> Self {
        use request_attr::*;
        RequestRecord {
            group_id: item.key.pk.strip_prefix("GREQ#").unwrap_or_default().to_string(),
            user_id: item.key.sk.clone(),
            req_msg: s(item, REQ_MSG),
            handle_result: n32(item, HANDLE_RESULT),
            handle_msg: s(item, HANDLE_MSG),
            req_time: item.n(REQ_TIME).unwrap_or_default(),
            handle_user_id: s(item, HANDLE_USER),
            handle_time: item.n(HANDLE_TIME).unwrap_or_default(),
            ex: s(item, EX),
            join_source: n32(item, JOIN_SOURCE),
            inviter_user_id: s(item, INVITER),
        }
    }

    /// The wire form with the applicant's profile and the group.
    pub fn to_pb(&self, user: Option<PublicUserInfo>, group: Option<GroupInfo>) -> GroupRequest {
        GroupRequest {
            user_info: user,
            group_info: group,
            handle_result: self.handle_result,
            req_msg: self.req_msg.clone(),
            handle_msg: self.handle_msg.clone(),
            req_time: self.req_time,
            handle_user_id: self.handle_user_id.clone(),
            handle_time: self.handle_time,
            ex: self.ex.clone(),
            join_source: self.join_source,
            inviter_user_id: self.inviter_user_id.clone(),
        }
    }
}

/// An attribute value for an optional string update: `None` when empty (the attribute is removed).
pub fn non_empty(value: &str) -> Option<AttrValue> {
    (!value.is_empty()).then(|| AttrValue::S(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_round_trip_drops_empty_values() {
        let t = TenantId::default_tenant();
        let m = MemberRecord {
            group_id: "g".into(),
            user_id: "u".into(),
            role_level: 60,
            join_time: 7,
            join_source: 2,
            operator_user_id: "op".into(),
            inviter_user_id: "op".into(),
            ..MemberRecord::default()
        };
        let item = m.to_item(&t);
        assert!(!item.attrs.contains_key(member_attr::NICKNAME));
        assert!(!item.attrs.contains_key(member_attr::MUTE_END));
        assert_eq!(item.index.as_ref().map(|i| i.pk.as_str()), Some("JOINED#u"));
        assert_eq!(MemberRecord::from_item(&item), m);
        let muted = MemberRecord { mute_end_time: 9, nickname: "n".into(), ..m };
        assert_eq!(MemberRecord::from_item(&muted.to_item(&t)), muted);
    }

    #[test]
    fn group_and_request_round_trip() {
        let t = TenantId::default_tenant();
        let g = GroupRecord {
            group_id: "123".into(),
            group_name: "n".into(),
            status: 3,
            group_type: 2,
            create_time: 5,
            member_count: 4,
            owner_user_id: "o".into(),
            ..GroupRecord::default()
        };
        assert_eq!(GroupRecord::from_item(&g.to_item(&t)), g);
        assert_eq!(g.to_pb().owner_user_id, "o");
        let r = RequestRecord {
            group_id: "123".into(),
            user_id: "u".into(),
            req_msg: "hi".into(),
            handle_result: -1,
            req_time: 3,
            join_source: 3,
            ..RequestRecord::default()
        };
        assert_eq!(RequestRecord::from_item(&r.to_item(&t)), r);
    }
}
