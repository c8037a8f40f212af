//! Who may act for whom, beyond the route's declared rule.
//!
//! * Seed-document request shapes omit the acting user (`{toUserID, remark}` for
//!   `set_friend_remark`, `{pagination}` for `get_friend_list`, …): an empty owner field means the
//!   caller. A non-empty one must be the caller unless the caller is an app admin (1002).
//! * Queries about a pair of users (`is_friend`, `get_designated_friend_apply`) are answered only
//!   to one of the two or to an app admin; OpenIM v3.8.3-patch.16 answered any token (closed hole,
//!   see `docs/security.md`).

use im_auth::Caller;
use im_domain::{ImError, ImResult};

/// The user a request acts for: `field`, or the caller when `field` is empty; 1002 unless that is
/// the caller or the caller is an app admin.
pub fn owner_or_caller(caller: &Caller, field: &str) -> ImResult<String> {
    if field.is_empty() {
        if caller.user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        return Ok(caller.user_id.clone());
    }
    caller.check_self_or_admin(field)?;
    Ok(field.to_string())
}

/// 1002 unless the caller is `a` or `b`, or an app admin.
pub fn check_party(caller: &Caller, a: &str, b: &str) -> ImResult<()> {
    if caller.is_admin || (!caller.user_id.is_empty() && (caller.user_id == a || caller.user_id == b)) {
        return Ok(());
    }
    Err(ImError::no_permission(format!("user {} is neither {a:?} nor {b:?}", caller.user_id)))
}

#[cfg(test)]
mod tests {
    use im_auth::Verified;
    use im_domain::TenantId;

    use super::*;

    fn caller(uid: &str, admin: bool) -> Caller {
        Caller::from_verified(
            Verified { user_id: uid.into(), platform_id: 5, is_admin: admin },
            TenantId::default_tenant(),
            "op",
        )
    }

    #[test]
    fn owners_and_parties() {
        assert_eq!(owner_or_caller(&caller("u", false), "").unwrap(), "u");
        assert_eq!(owner_or_caller(&caller("u", false), "u").unwrap(), "u");
        assert_eq!(owner_or_caller(&caller("u", false), "v").unwrap_err().code, 1002);
        assert_eq!(owner_or_caller(&caller("adm", true), "v").unwrap(), "v");
        assert!(check_party(&caller("a", false), "a", "b").is_ok());
        assert!(check_party(&caller("b", false), "a", "b").is_ok());
        assert_eq!(check_party(&caller("c", false), "a", "b").unwrap_err().code, 1002);
        assert!(check_party(&caller("adm", true), "a", "b").is_ok());
    }
}
