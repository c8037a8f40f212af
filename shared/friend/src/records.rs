//! Stored relation records and their store items. Attribute names follow the OpenIM JSON keys;
//! the user IDs of a record live in its key. Times are Unix milliseconds.

use im_domain::TenantId;
use im_domain::store::Item;

use crate::keys;

/// One entry of a user's friend list (`owner` → `friend`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FriendRow {
    /// Owner of the list.
    pub owner: String,
    /// The friend.
    pub friend: String,
    /// The owner's remark for the friend.
    pub remark: String,
    /// When the friendship was created (ms).
    pub create_time: i64,
    /// 1 import, 2 application (`constants::add_source`).
    pub add_source: i32,
    /// Who created the friendship.
    pub operator_user_id: String,
    /// Free-form extension.
    pub ex: String,
    /// Pinned by the owner.
    pub is_pinned: bool,
}

/// A friend application from `from` to `to` (one per ordered pair; a new application replaces it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestRow {
    /// Applicant.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// 0 pending, 1 agreed, -1 refused (`constants::handle_result`).
    pub handle_result: i32,
    /// Applicant's message.
    pub req_msg: String,
    /// When it was (re)sent (ms).
    pub create_time: i64,
    /// Who handled it.
    pub handler_user_id: String,
    /// Handler's message.
    pub handle_msg: String,
    /// When it was handled (ms; 0 while pending).
    pub handle_time: i64,
    /// Free-form extension.
    pub ex: String,
}

/// One entry of a user's blacklist (`owner` blocks `blocked`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlackRow {
    /// Owner of the list.
    pub owner: String,
    /// The blocked user.
    pub blocked: String,
    /// When the entry was created (ms).
    pub create_time: i64,
    /// Source (OpenIM never sets it: 0).
    pub add_source: i32,
    /// Who created the entry.
    pub operator_user_id: String,
    /// Free-form extension.
    pub ex: String,
}

/// Attribute names.
pub(crate) mod attr {
    pub const REMARK: &str = "remark";
    pub const CREATE_TIME: &str = "createTime";
    pub const ADD_SOURCE: &str = "addSource";
    pub const OPERATOR_USER_ID: &str = "operatorUserID";
    pub const EX: &str = "ex";
    pub const IS_PINNED: &str = "isPinned";
    pub const HANDLE_RESULT: &str = "handleResult";
    pub const REQ_MSG: &str = "reqMsg";
    pub const HANDLER_USER_ID: &str = "handlerUserID";
    pub const HANDLE_MSG: &str = "handleMsg";
    pub const HANDLE_TIME: &str = "handleTime";
}

fn s(item: &Item, name: &str) -> String {
    item.s(name).unwrap_or_default().to_string()
}

fn n32(item: &Item, name: &str) -> i32 {
    i32::try_from(item.n(name).unwrap_or_default()).unwrap_or_default()
}

impl FriendRow {
    /// The store item of this row.
    pub fn to_item(&self, t: &TenantId) -> Item {
        Item::new(keys::friend(t, &self.owner, &self.friend))
            .with(attr::REMARK, self.remark.as_str())
            .with(attr::CREATE_TIME, self.create_time)
            .with(attr::ADD_SOURCE, self.add_source)
            .with(attr::OPERATOR_USER_ID, self.operator_user_id.as_str())
            .with(attr::EX, self.ex.as_str())
            .with(attr::IS_PINNED, self.is_pinned)
    }

    /// Reads a row from a friend item.
    pub fn from_item(item: &Item) -> Self {
        FriendRow {
            owner: keys::owner_of(&item.key.pk, "FRIEND").to_string(),
            friend: item.key.sk.clone(),
            remark: s(item, attr::REMARK),
            create_time: item.n(attr::CREATE_TIME).unwrap_or_default(),
            add_source: n32(item, attr::ADD_SOURCE),
            operator_user_id: s(item, attr::OPERATOR_USER_ID),
            ex: s(item, attr::EX),
            is_pinned: item.bool(attr::IS_PINNED).unwrap_or_default(),
        }
    }
}

impl RequestRow {
    /// The store item of this application (listed on the sender's index partition).
    pub fn to_item(&self, t: &TenantId) -> Item {
        Item::new(keys::request(t, &self.from, &self.to))
            .with_index(keys::request_out_pk(&self.from), self.to.as_str())
            .with(attr::HANDLE_RESULT, self.handle_result)
            .with(attr::REQ_MSG, self.req_msg.as_str())
            .with(attr::CREATE_TIME, self.create_time)
            .with(attr::HANDLER_USER_ID, self.handler_user_id.as_str())
            .with(attr::HANDLE_MSG, self.handle_msg.as_str())
            .with(attr::HANDLE_TIME, self.handle_time)
            .with(attr::EX, self.ex.as_str())
    }

    /// Reads an application from its item.
    pub fn from_item(item: &Item) -> Self {
        RequestRow {
            from: item.key.sk.clone(),
            to: keys::owner_of(&item.key.pk, "FREQ").to_string(),
            handle_result: n32(item, attr::HANDLE_RESULT),
            req_msg: s(item, attr::REQ_MSG),
            create_time: item.n(attr::CREATE_TIME).unwrap_or_default(),
            handler_user_id: s(item, attr::HANDLER_USER_ID),
            handle_msg: s(item, attr::HANDLE_MSG),
            handle_time: item.n(attr::HANDLE_TIME).unwrap_or_default(),
            ex: s(item, attr::EX),
        }
    }
}

impl BlackRow {
    /// The store item of this entry.
    pub fn to_item(&self, t: &TenantId) -> Item {
        Item::new(keys::black(t, &self.owner, &self.blocked))
            .with(attr::CREATE_TIME, self.create_time)
            .with(attr::ADD_SOURCE, self.add_source)
            .with(attr::OPERATOR_USER_ID, self.operator_user_id.as_str())
            .with(attr::EX, self.ex.as_str())
    }

    /// Reads an entry from its item.
    pub fn from_item(item: &Item) -> Self {
        BlackRow {
            owner: keys::owner_of(&item.key.pk, "BLACK").to_string(),
            blocked: item.key.sk.clone(),
            create_time: item.n(attr::CREATE_TIME).unwrap_or_default(),
            add_source: n32(item, attr::ADD_SOURCE),
            operator_user_id: s(item, attr::OPERATOR_USER_ID),
            ex: s(item, attr::EX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = TenantId::default_tenant();
        let f = FriendRow {
            owner: "o".into(),
            friend: "f".into(),
            remark: "r".into(),
            create_time: 5,
            add_source: 2,
            operator_user_id: "op".into(),
            ex: "x".into(),
            is_pinned: true,
        };
        assert_eq!(FriendRow::from_item(&f.to_item(&t)), f);
        let r =
            RequestRow { from: "a".into(), to: "b".into(), handle_result: -1, create_time: 9, ..Default::default() };
        let item = r.to_item(&t);
        assert_eq!(item.index.as_ref().map(|i| (i.pk.as_str(), i.sk.as_str())), Some(("FREQOUT#a", "b")));
        assert_eq!(RequestRow::from_item(&item), r);
        let b = BlackRow { owner: "o".into(), blocked: "x".into(), create_time: 3, ..Default::default() };
        assert_eq!(BlackRow::from_item(&b.to_item(&t)), b);
    }
}
