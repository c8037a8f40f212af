//! Auth settings (OpenIM `share.secret`, `share.imAdminUserID`, `tokenPolicy.expire`,
//! `multiLogin`), with OpenIM's defaults.

use im_domain::constants::multi_login;

/// Multi-login policy applied when a token is issued (reference §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// 0: keep at most `max_num_one_end` tokens per platform.
    DefaultNotKick,
    /// 1: keep only the newest token on each platform; the requesting platform's are all kicked.
    AllLoginButSameTermKick,
    /// 4: kick the requesting platform's whole class; keep one token per other class.
    AllLoginButSameClassKick,
    /// 5: PCs are never kicked; one non-PC token may stay.
    PcAndOther,
}

impl Policy {
    /// The policy of an OpenIM `multiLogin.policy` number, or `None` for an unknown one.
    pub fn from_code(code: i32) -> Option<Policy> {
        Some(match code {
            multi_login::DEFAULT_NOT_KICK => Policy::DefaultNotKick,
            multi_login::ALL_LOGIN_BUT_SAME_TERM_KICK => Policy::AllLoginButSameTermKick,
            multi_login::ALL_LOGIN_BUT_SAME_CLASS_KICK => Policy::AllLoginButSameClassKick,
            multi_login::PC_AND_OTHER => Policy::PcAndOther,
            _ => return None,
        })
    }
}

/// Multi-login settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultiLogin {
    /// The policy (default 1).
    pub policy: Policy,
    /// Token cap per platform under policy 0 (default 30).
    pub max_num_one_end: usize,
}

impl Default for MultiLogin {
    fn default() -> Self {
        MultiLogin { policy: Policy::AllLoginButSameTermKick, max_num_one_end: 30 }
    }
}

/// Auth settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// HMAC secret of the tokens and the `secret` of get_admin_token (default `openIM123`).
    pub secret: String,
    /// App-admin user IDs (default `["imAdmin"]`).
    pub admin_user_ids: Vec<String>,
    /// Token lifetime in days (default 90).
    pub expire_days: i64,
    /// Multi-login policy.
    pub multi_login: MultiLogin,
}

/// Default HMAC secret.
pub const DEFAULT_SECRET: &str = "openIM123";
/// Default admin user ID.
pub const DEFAULT_ADMIN_USER_ID: &str = "imAdmin";

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            secret: DEFAULT_SECRET.into(),
            admin_user_ids: vec![DEFAULT_ADMIN_USER_ID.into()],
            expire_days: 90,
            multi_login: MultiLogin::default(),
        }
    }
}

/// Environment variables read by [`AuthConfig::from_lookup`].
pub mod env {
    /// HMAC secret.
    pub const SECRET: &str = "IM_SECRET";
    /// Comma-separated admin user IDs.
    pub const ADMIN_USER_IDS: &str = "IM_ADMIN_USER_IDS";
    /// Token lifetime in days.
    pub const TOKEN_EXPIRE_DAYS: &str = "IM_TOKEN_EXPIRE_DAYS";
    /// Multi-login policy number.
    pub const MULTI_LOGIN_POLICY: &str = "IM_MULTI_LOGIN_POLICY";
    /// Token cap per platform under policy 0.
    pub const MULTI_LOGIN_MAX_NUM_ONE_END: &str = "IM_MULTI_LOGIN_MAX_NUM_ONE_END";
}

impl AuthConfig {
    /// Whether `user_id` is an app admin.
    pub fn is_admin(&self, user_id: &str) -> bool {
        self.admin_user_ids.iter().any(|a| a == user_id)
    }

    /// `expireTimeSeconds` of issued tokens: days × 86400.
    pub fn expire_seconds(&self) -> i64 {
        self.expire_days.saturating_mul(86_400)
    }

    /// Splits a comma-separated list of admin user IDs (blanks dropped).
    pub fn parse_admin_user_ids(list: &str) -> Vec<String> {
        list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    }

    /// Defaults overridden by the process environment (see [`env`]).
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Defaults overridden by the variables `lookup` returns (see [`env`]).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut c = AuthConfig::default();
        if let Some(s) = lookup(env::SECRET) {
            c.secret = s;
        }
        if let Some(s) = lookup(env::ADMIN_USER_IDS) {
            c.admin_user_ids = Self::parse_admin_user_ids(&s);
        }
        if let Some(s) = lookup(env::TOKEN_EXPIRE_DAYS) {
            c.expire_days = s.trim().parse().map_err(|_| format!("{}: not a number: {s:?}", env::TOKEN_EXPIRE_DAYS))?;
        }
        if let Some(s) = lookup(env::MULTI_LOGIN_POLICY) {
            let code: i32 =
                s.trim().parse().map_err(|_| format!("{}: not a number: {s:?}", env::MULTI_LOGIN_POLICY))?;
            c.multi_login.policy =
                Policy::from_code(code).ok_or_else(|| format!("unknown multiLogin policy {code}"))?;
        }
        if let Some(s) = lookup(env::MULTI_LOGIN_MAX_NUM_ONE_END) {
            c.multi_login.max_num_one_end =
                s.trim().parse().map_err(|_| format!("{}: not a number: {s:?}", env::MULTI_LOGIN_MAX_NUM_ONE_END))?;
        }
        c.validate()?;
        Ok(c)
    }

    /// Rejects unusable settings.
    pub fn validate(&self) -> Result<(), String> {
        if self.secret.is_empty() {
            return Err("secret must not be empty".into());
        }
        if self.expire_days <= 0 {
            return Err("token expiry must be at least one day".into());
        }
        if self.multi_login.max_num_one_end == 0 {
            return Err("multiLogin maxNumOneEnd must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_env() {
        let d = AuthConfig::default();
        assert_eq!(d.expire_seconds(), 90 * 86_400);
        assert!(d.is_admin("imAdmin"));
        let c = AuthConfig::from_lookup(|k| match k {
            env::ADMIN_USER_IDS => Some(" a, b,,".into()),
            env::MULTI_LOGIN_POLICY => Some("5".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.admin_user_ids, vec!["a", "b"]);
        assert_eq!(c.multi_login.policy, Policy::PcAndOther);
        assert!(AuthConfig::from_lookup(|k| (k == env::MULTI_LOGIN_POLICY).then(|| "3".into())).is_err());
        assert!(AuthConfig::from_lookup(|k| (k == env::SECRET).then(String::new)).is_err());
    }
}
