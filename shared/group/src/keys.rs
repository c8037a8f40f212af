//! Logical key layout of groups (see `docs/data-model.md`). The store adds the tenant.
//!
//! | item | pk | sk | gsi1 (pk / sk) |
//! |---|---|---|---|
//! | group | `G#<groupID>` | `info` | `GROUPS` / `<createTime:020>#<groupID>` |
//! | member | `G#<groupID>` | `M#<userID>` | `JOINED#<userID>` / `<groupID>` |
//! | manager marker (owner, admins) | `G#<groupID>` | `A#<userID>` | |
//! | join request | `GREQ#<groupID>` | `<userID>` | `GREQUSER#<userID>` / `<groupID>` |
//!
//! Conversation rows and seq heads belong to the conversation and messaging modules; the group
//! module only touches the `sg_<groupID>` row of a joining or leaving member ([`conversation`],
//! [`seq_head`]).

use im_domain::TenantId;
use im_domain::store::Key;

/// Partition of one group: `G#<groupID>`.
pub fn group_pk(group_id: &str) -> String {
    format!("G#{group_id}")
}

/// Sort key of the group item.
pub const GROUP_INFO_SK: &str = "info";

/// Key of the group item.
pub fn group_info(t: &TenantId, group_id: &str) -> Key {
    Key::new(t, group_pk(group_id), GROUP_INFO_SK)
}

/// Secondary-index partition listing every group of a tenant.
pub const GROUPS_INDEX_PK: &str = "GROUPS";

/// Secondary-index sort key of a group: `<createTime:020>#<groupID>` (creation order).
pub fn groups_index_sk(create_time_ms: i64, group_id: &str) -> String {
    format!("{:020}#{group_id}", create_time_ms.max(0))
}

/// Sort-key prefix of member items.
pub const MEMBER_SK_PREFIX: &str = "M#";

/// Key of a member item: `G#<groupID>` / `M#<userID>`.
pub fn member(t: &TenantId, group_id: &str, user_id: &str) -> Key {
    Key::new(t, group_pk(group_id), format!("{MEMBER_SK_PREFIX}{user_id}"))
}

/// The user ID of a member sort key.
pub fn member_user_id(sk: &str) -> Option<&str> {
    sk.strip_prefix(MEMBER_SK_PREFIX)
}

/// Secondary-index partition of a user's memberships: `JOINED#<userID>`.
pub fn joined_index_pk(user_id: &str) -> String {
    format!("JOINED#{user_id}")
}

/// Sort-key prefix of manager markers (owner and admins).
pub const MANAGER_SK_PREFIX: &str = "A#";

/// Key of a manager marker: `G#<groupID>` / `A#<userID>`.
pub fn manager(t: &TenantId, group_id: &str, user_id: &str) -> Key {
    Key::new(t, group_pk(group_id), format!("{MANAGER_SK_PREFIX}{user_id}"))
}

/// Partition of a group's join requests: `GREQ#<groupID>`.
pub fn request_pk(group_id: &str) -> String {
    format!("GREQ#{group_id}")
}

/// Key of a join request: `GREQ#<groupID>` / `<userID>`.
pub fn request(t: &TenantId, group_id: &str, user_id: &str) -> Key {
    Key::new(t, request_pk(group_id), user_id)
}

/// Secondary-index partition of a user's join requests: `GREQUSER#<userID>`.
pub fn request_user_index_pk(user_id: &str) -> String {
    format!("GREQUSER#{user_id}")
}

/// The group conversation ID, `sg_<groupID>`.
pub fn group_conversation_id(group_id: &str) -> String {
    format!("sg_{group_id}")
}

/// Key of a user's conversation row: `CONV#<ownerUserID>` / `<conversationID>`.
pub fn conversation(t: &TenantId, owner_user_id: &str, conversation_id: &str) -> Key {
    Key::new(t, format!("CONV#{owner_user_id}"), conversation_id)
}

/// Key of a conversation's seq head: `SEQ#<conversationID>` / `head`.
pub fn seq_head(t: &TenantId, conversation_id: &str) -> Key {
    Key::new(t, format!("SEQ#{conversation_id}"), "head")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let t = TenantId::default_tenant();
        assert_eq!(group_info(&t, "1").pk, "G#1");
        assert_eq!(member(&t, "1", "u").sk, "M#u");
        assert_eq!(member_user_id("M#u"), Some("u"));
        assert_eq!(member_user_id("A#u"), None);
        assert_eq!(manager(&t, "1", "u").sk, "A#u");
        assert_eq!(request(&t, "g", "u").pk, "GREQ#g");
        assert_eq!(groups_index_sk(5, "g"), "00000000000000000005#g");
        assert_eq!(conversation(&t, "u", "sg_g").pk, "CONV#u");
        assert_eq!(seq_head(&t, "sg_g").pk, "SEQ#sg_g");
    }
}
