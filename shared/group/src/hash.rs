//! Hashes clients compare with their local state.
//!
//! **`groupMemberListHash`** (get_group_abstract_info). Researched in open-im-server v3.8.3
//! (`pkg/notification/grouphash`): the group service loads every member as
//! `GroupMemberFullInfo` (nickname and face URL filled from the user's profile when the member
//! has none), orders them by user ID ascending, sets `appMangerLevel` to 0, marshals the array
//! with Go's `encoding/json` (all fields, declaration order, `<`, `>`, `&`, U+2028 and U+2029
//! escaped as `\u…`), and takes the first 8 bytes of its MD5 as a big-endian `uint64`.
//! An empty group hashes `[]`.
//!
//! **`idHash`** (get_full_*_ids): MD5 of the JSON array of IDs in server order, first 8 bytes
//! big-endian ([`im_repo::version::id_hash`]); OpenIM answers 0 for an empty list.

use im_wire::pb::sdkws::GroupMemberFullInfo;
use md5::{Digest, Md5};

/// Go's `encoding/json` escapes these in strings; serde_json does not.
fn go_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `value` as Go's `encoding/json` writes it (keys fixed by the wire types, HTML-safe escapes).
pub fn go_json<T: serde::Serialize>(value: &T) -> String {
    go_escape(&serde_json::to_string(value).unwrap_or_default())
}

fn md5_u64(bytes: &[u8]) -> u64 {
    let digest = Md5::digest(bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// OpenIM's `groupMemberListHash` of fully populated members (any order).
pub fn member_list_hash(members: &[GroupMemberFullInfo]) -> u64 {
    let mut sorted: Vec<GroupMemberFullInfo> = members.to_vec();
    sorted.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    for m in &mut sorted {
        m.app_manger_level = 0;
    }
    md5_u64(go_json(&sorted).as_bytes())
}

/// OpenIM's `idHash` of an ID list in server order (0 for an empty list, as OpenIM answers).
pub fn id_hash(ids: &[String]) -> u64 {
    if ids.is_empty() { 0 } else { im_repo::version::id_hash(ids) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(uid: &str) -> GroupMemberFullInfo {
        GroupMemberFullInfo {
            group_id: "g".into(),
            user_id: uid.into(),
            role_level: 20,
            app_manger_level: 3,
            ..GroupMemberFullInfo::default()
        }
    }

    #[test]
    fn go_escapes() {
        assert_eq!(go_json(&"a<b>&\u{2028}"), r#""a\u003cb\u003e\u0026\u2028""#);
    }

    #[test]
    fn member_hash_is_order_independent_and_ignores_app_level() {
        let a = member_list_hash(&[member("b"), member("a")]);
        let b = member_list_hash(&[member("a"), member("b")]);
        assert_eq!(a, b);
        let mut other = member("a");
        other.app_manger_level = 0;
        assert_eq!(member_list_hash(&[other, member("b")]), a);
        // Computed independently: MD5 of the exact Go JSON.
        let json = r#"[{"groupID":"g","userID":"a","roleLevel":20,"joinTime":0,"nickname":"","faceURL":"","appMangerLevel":0,"joinSource":0,"operatorUserID":"","ex":"","muteEndTime":0,"inviterUserID":""}]"#;
        assert_eq!(member_list_hash(&[member("a")]), md5_u64(json.as_bytes()));
        // MD5("[]") = d751713988987e93...
        assert_eq!(member_list_hash(&[]), 0xd751_7139_8898_7e93);
    }

    #[test]
    fn empty_id_list_hashes_to_zero() {
        assert_eq!(id_hash(&[]), 0);
        assert_eq!(id_hash(&["a".to_string()]), im_repo::version::id_hash(&["a".to_string()]));
    }
}
