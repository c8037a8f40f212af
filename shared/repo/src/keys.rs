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

/// Partition of the sharded user counter (`n` = registered users of the tenant).
pub const USERS_COUNT_PK: &str = "USERS#N";

/// Number of shards of the user counter (concurrent registrations touch different items).
pub const USERS_COUNT_SHARDS: u32 = 16;

/// Key of one shard of the user counter: `USERS#N` / `<shard:02>`.
pub fn users_count_shard(tenant: &TenantId, shard: u32) -> Key {
    Key::new(tenant, USERS_COUNT_PK, format!("{:02}", shard % USERS_COUNT_SHARDS))
}

/// Partition listing the tenant's system accounts (appMangerLevel ≥ 2: app admins,
/// notification and robot accounts), one marker item per account.
pub const SYS_USERS_PK: &str = "SYSUSERS";

/// Key of a system-account marker: `SYSUSERS` / `<userID>`.
pub fn sys_user(tenant: &TenantId, user_id: &str) -> Key {
    Key::new(tenant, SYS_USERS_PK, user_id)
}

/// Sort key of a user's password credential (self_register accounts only).
pub const USER_CREDENTIAL_SK: &str = "cred";

/// Key of a user's password credential: `U#<userID>` / `cred`.
pub fn user_credential(tenant: &TenantId, user_id: &str) -> Key {
    Key::new(tenant, user_pk(user_id), USER_CREDENTIAL_SK)
}

/// Sort-key prefix of a user's command items.
pub const COMMAND_SK_PREFIX: &str = "CMD#";

/// Sort-key prefix of a user's commands of one type: `CMD#<type>#`.
pub fn user_command_prefix(kind: i32) -> String {
    format!("{COMMAND_SK_PREFIX}{kind}#")
}

/// Key of one user command: `U#<userID>` / `CMD#<type>#<uuid>`.
pub fn user_command(tenant: &TenantId, user_id: &str, kind: i32, uuid: &str) -> Key {
    Key::new(tenant, user_pk(user_id), format!("{}{uuid}", user_command_prefix(kind)))
}

/// Partition of a user's live connections: `CONN#<userID>`.
pub fn conn_pk(user_id: &str) -> String {
    format!("CONN#{user_id}")
}

/// Key of one connection: `CONN#<userID>` / `<connectionID>`.
pub fn connection(tenant: &TenantId, user_id: &str, conn_id: &str) -> Key {
    Key::new(tenant, conn_pk(user_id), conn_id)
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
        assert_eq!(users_count_shard(&t, 17).sk, "01");
        assert_eq!(sys_user(&t, "n1").pk, "SYSUSERS");
        assert_eq!(user_credential(&t, "u1").sk, "cred");
        let c = user_command(&t, "u1", 3, "x#y");
        assert_eq!((c.pk.as_str(), c.sk.as_str()), ("U#u1", "CMD#3#x#y"));
        assert!(c.sk.starts_with(&user_command_prefix(3)));
        assert!(!c.sk.starts_with(&user_command_prefix(31)));
        assert_eq!(connection(&t, "u1", "c9").pk, "CONN#u1");
    }
}
