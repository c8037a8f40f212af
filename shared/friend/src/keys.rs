//! Key layout of friend relations (see `docs/data-model.md`). The store adds the tenant.
//!
//! * friend: `FRIEND#<owner>` / `<friendUserID>`
//! * friend application: `FREQ#<toUserID>` / `<fromUserID>`, indexed as `FREQOUT#<fromUserID>` / `<toUserID>`
//! * blacklist entry: `BLACK#<owner>` / `<blockedUserID>`

use im_domain::TenantId;
use im_domain::store::Key;

/// Partition of one user's friends: `FRIEND#<owner>`.
pub fn friend_pk(owner: &str) -> String {
    format!("FRIEND#{owner}")
}

/// Key of `friend` in `owner`'s friend list.
pub fn friend(t: &TenantId, owner: &str, friend: &str) -> Key {
    Key::new(t, friend_pk(owner), friend)
}

/// Partition of the applications a user received: `FREQ#<toUserID>`.
pub fn request_pk(to: &str) -> String {
    format!("FREQ#{to}")
}

/// Key of the application from `from` to `to`.
pub fn request(t: &TenantId, from: &str, to: &str) -> Key {
    Key::new(t, request_pk(to), from)
}

/// Index partition of the applications a user sent: `FREQOUT#<fromUserID>` (sort key: `toUserID`).
pub fn request_out_pk(from: &str) -> String {
    format!("FREQOUT#{from}")
}

/// Partition of one user's blacklist: `BLACK#<owner>`.
pub fn black_pk(owner: &str) -> String {
    format!("BLACK#{owner}")
}

/// Key of `blocked` in `owner`'s blacklist.
pub fn black(t: &TenantId, owner: &str, blocked: &str) -> Key {
    Key::new(t, black_pk(owner), blocked)
}

/// The user ID a partition key names after `prefix` (`FRIEND#u1` → `u1`).
pub fn owner_of<'a>(pk: &'a str, prefix: &str) -> &'a str {
    pk.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('#')).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let t = TenantId::default_tenant();
        let k = friend(&t, "a", "b");
        assert_eq!((k.pk.as_str(), k.sk.as_str()), ("FRIEND#a", "b"));
        let k = request(&t, "from", "to");
        assert_eq!((k.pk.as_str(), k.sk.as_str()), ("FREQ#to", "from"));
        assert_eq!(request_out_pk("from"), "FREQOUT#from");
        assert_eq!(black(&t, "o", "x").pk, "BLACK#o");
        assert_eq!(owner_of("FRIEND#u1", "FRIEND"), "u1");
        assert_eq!(owner_of("FREQ#a#b", "FREQ"), "a#b");
        assert_eq!(owner_of("BLACK#u", "FRIEND"), "");
    }
}
