//! Logical key layout (see `docs/data-model.md`). The store adds the tenant to every key.

use im_domain::TenantId;
use im_domain::store::Key;

/// Partition of everything owned by one user: `U#<userID>`.
pub fn user_pk(user_id: &str) -> String {
    format!("U#{user_id}")
}

/// Sort key of a user's profile item.
pub const USER_PROFILE_SK: &str = "profile";

/// Secondary-index partition listing every user of a tenant.
pub const USERS_INDEX_PK: &str = "USERS";

/// Secondary-index sort key of a user: `<createTime:020>#<userID>` (creation order).
pub fn users_index_sk(create_time_ms: i64, user_id: &str) -> String {
    format!("{:020}#{user_id}", create_time_ms.max(0))
}

/// Key of a user's profile item.
pub fn user_profile(tenant: &TenantId, user_id: &str) -> Key {
    Key::new(tenant, user_pk(user_id), USER_PROFILE_SK)
}

/// Sort-key prefix of a user's token-state items.
pub const TOKEN_SK_PREFIX: &str = "TOK#";

/// Key of the token-state item of one user and platform: `U#<userID>` / `TOK#<platformID>`.
pub fn token_state(tenant: &TenantId, user_id: &str, platform_id: i32) -> Key {
    Key::new(tenant, user_pk(user_id), format!("{TOKEN_SK_PREFIX}{platform_id}"))
}

/// The platform ID of a token-state sort key (`TOK#<platformID>`).
pub fn token_state_platform(sk: &str) -> Option<i32> {
    sk.strip_prefix(TOKEN_SK_PREFIX)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let t = TenantId::default_tenant();
        assert_eq!(user_profile(&t, "u1").pk, "U#u1");
        assert_eq!(users_index_sk(42, "u1"), "00000000000000000042#u1");
        let k = token_state(&t, "u1", 5);
        assert_eq!(k.sk, "TOK#5");
        assert_eq!(token_state_platform(&k.sk), Some(5));
        assert_eq!(token_state_platform("profile"), None);
    }
}
