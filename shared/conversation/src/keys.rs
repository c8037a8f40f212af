//! Logical keys this crate reads and writes (see `docs/data-model.md`); the store adds the tenant.
//!
//! Conversation rows are this crate's own. The seq head and message items belong to the
//! messaging module (`im-msg`), and friend rows to the relation module; this crate only reads
//! them, following the attribute conventions of the data model.

use im_domain::TenantId;
use im_domain::store::Key;

/// Partition of one user's conversation rows: `CONV#<ownerUserID>`.
pub fn conversation_pk(owner_user_id: &str) -> String {
    format!("CONV#{owner_user_id}")
}

/// Key of one conversation row: `CONV#<ownerUserID>` / `<conversationID>`.
pub fn conversation(tenant: &TenantId, owner_user_id: &str, conversation_id: &str) -> Key {
    Key::new(tenant, conversation_pk(owner_user_id), conversation_id)
}

/// The owner of a conversation-row partition key, if it is one.
pub fn owner_of(pk: &str) -> Option<&str> {
    pk.strip_prefix("CONV#")
}

/// Key of a conversation's seq head: `SEQ#<conversationID>` / `head`.
pub fn seq_head(tenant: &TenantId, conversation_id: &str) -> Key {
    Key::new(tenant, format!("SEQ#{conversation_id}"), "head")
}

/// Partition of a conversation's messages: `MSG#<conversationID>`.
pub fn message_pk(conversation_id: &str) -> String {
    format!("MSG#{conversation_id}")
}

/// Sort key of the message with `seq`: the seq zero-padded to 20 digits.
pub fn message_sk(seq: i64) -> String {
    format!("{:020}", seq.max(0))
}

/// Key of one message: `MSG#<conversationID>` / `<seq:020>`.
pub fn message(tenant: &TenantId, conversation_id: &str, seq: i64) -> Key {
    Key::new(tenant, message_pk(conversation_id), message_sk(seq))
}

/// Key of a friend row: `FRIEND#<ownerUserID>` / `<friendUserID>`.
pub fn friend(tenant: &TenantId, owner_user_id: &str, friend_user_id: &str) -> Key {
    Key::new(tenant, format!("FRIEND#{owner_user_id}"), friend_user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let t = TenantId::default_tenant();
        let k = conversation(&t, "u1", "si_u1_u2");
        assert_eq!((k.pk.as_str(), k.sk.as_str()), ("CONV#u1", "si_u1_u2"));
        assert_eq!(owner_of(&k.pk), Some("u1"));
        assert_eq!(owner_of("U#u1"), None);
        assert_eq!(seq_head(&t, "sg_g").pk, "SEQ#sg_g");
        let m = message(&t, "sg_g", 42);
        assert_eq!((m.pk.as_str(), m.sk.as_str()), ("MSG#sg_g", "00000000000000000042"));
        assert_eq!(friend(&t, "a", "b").pk, "FRIEND#a");
    }
}
