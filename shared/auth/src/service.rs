//! The auth service: the four /auth operations and token verification (reference §1.1, §3).

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;
use im_domain::clock::Clock;
use im_domain::constants::{app_manager_level, platform, token_state};
use im_domain::store::DynStore;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::{UserRecord, UserRepo};

use crate::caller::{TokenVerifier, Verified};
use crate::config::AuthConfig;
use crate::jwt::{self, TokenCodec};
use crate::kicker::ConnectionKicker;
use crate::policy::{self, Live};
use crate::state::{PlatformTokens, TokenEntry, TokenStateRepo};

/// Attempts of an optimistic token-state write before giving up.
const WRITE_ATTEMPTS: usize = 8;

/// A freshly issued token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The JWT.
    pub token: String,
    /// Lifetime in seconds (`expireTimeSeconds`).
    pub expire_seconds: i64,
}

/// What parse_token reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedToken {
    /// Token user.
    pub user_id: String,
    /// Token platform.
    pub platform_id: i32,
    /// Absolute expiry, Unix seconds (OpenIM's `expireTimeSeconds` quirk).
    pub exp: i64,
}

/// Issues, parses, verifies and revokes tokens.
pub struct AuthService {
    config: AuthConfig,
    codec: TokenCodec,
    users: UserRepo,
    tokens: TokenStateRepo,
    clock: Arc<dyn Clock>,
    kicker: Arc<dyn ConnectionKicker>,
}

impl AuthService {
    /// A service on `store` with the given settings, clock and connection kicker.
    pub fn new(config: AuthConfig, store: DynStore, clock: Arc<dyn Clock>, kicker: Arc<dyn ConnectionKicker>) -> Self {
        AuthService {
            codec: TokenCodec::new(config.secret.clone()),
            config,
            users: UserRepo::new(store.clone()),
            tokens: TokenStateRepo::new(store),
            clock,
            kicker,
        }
    }

    /// The settings.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// Creates every admin user missing in `tenant` (nickname = user ID, appMangerLevel 3).
    pub async fn ensure_admin_users(&self, tenant: &TenantId) -> ImResult<()> {
        for id in &self.config.admin_user_ids {
            self.ensure_admin_user(tenant, id).await?;
        }
        Ok(())
    }

    async fn ensure_admin_user(&self, tenant: &TenantId, user_id: &str) -> ImResult<()> {
        if self.users.exists(tenant, user_id).await? {
            return Ok(());
        }
        let user = UserRecord {
            user_id: user_id.to_string(),
            nickname: user_id.to_string(),
            create_time: self.clock.now_ms(),
            app_manger_level: app_manager_level::NOTIFICATION_ADMIN,
            ..UserRecord::default()
        };
        self.users.create(tenant, &user).await.map(|_| ())
    }

    /// `/auth/get_admin_token`: an admin token (platform 10, not stored) for the right secret.
    pub async fn get_admin_token(&self, tenant: &TenantId, secret: &str, user_id: &str) -> ImResult<IssuedToken> {
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        if secret != self.config.secret {
            return Err(ImError::no_permission("secret invalid"));
        }
        if !self.config.is_admin(user_id) {
            return Err(ImError::args(format!("userID is error. userID {user_id} is not an admin userID")));
        }
        // Admin users exist from startup in the default tenant; other tenants get them on first use.
        self.ensure_admin_user(tenant, user_id).await?;
        let (token, _) =
            self.codec.issue(tenant, user_id, platform::ADMIN, self.clock.now_s(), self.config.expire_seconds())?;
        Ok(IssuedToken { token, expire_seconds: self.config.expire_seconds() })
    }

    /// `/auth/get_user_token` (the admin check is the caller's): a user token, applying the
    /// multi-login policy to the user's existing tokens.
    pub async fn get_user_token(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<IssuedToken> {
        if platform_id == platform::ADMIN {
            return Err(ImError::no_permission("platformID invalid. platformID must not be adminPlatformID"));
        }
        if !platform::is_known(platform_id) {
            return Err(ImError::args(format!("platformID {platform_id} is invalid")));
        }
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        if self.config.is_admin(user_id) {
            return Err(ImError::no_permission("don't get Admin token"));
        }
        let user = self
            .users
            .get(tenant, user_id)
            .await?
            .ok_or_else(|| ImError::new(ErrCode::UserIdNotFound, format!("user {user_id} not found")))?;
        if user.app_manger_level >= app_manager_level::NOTIFICATION_ADMIN {
            return Err(ImError::args("app account can`t get token"));
        }
        for _ in 0..WRITE_ATTEMPTS {
            if let Some(token) = self.try_issue(tenant, user_id, platform_id).await? {
                return Ok(IssuedToken { token, expire_seconds: self.config.expire_seconds() });
            }
        }
        Err(ImError::new(ErrCode::Database, "token state: too many concurrent writes"))
    }

    /// One read-decide-write round of token issue; `None` when another writer won the race.
    async fn try_issue(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<Option<String>> {
        let now = self.clock.now_s();
        let (token, claims) = self.codec.issue(tenant, user_id, platform_id, now, self.config.expire_seconds())?;
        let new_sig = jwt::token_key(&token);
        let read = self.tokens.load_all(tenant, user_id).await?;

        // Drop expired tokens, and the requesting platform's non-normal ones (as OpenIM does:
        // a token kicked elsewhere keeps answering 1506). The policy sees the normal rest.
        let mut sets: Vec<PlatformTokens> = read
            .iter()
            .map(|p| {
                let mut kept = p.clone();
                kept.tokens.retain(|t| {
                    t.exp > now && t.sig != new_sig && (t.state == token_state::NORMAL || p.platform_id != platform_id)
                });
                kept
            })
            .collect();
        let live: Vec<(usize, usize)> = sets
            .iter()
            .enumerate()
            .filter(|(_, p)| p.platform_id != platform::ADMIN)
            .flat_map(|(si, p)| {
                p.tokens.iter().enumerate().filter(|(_, t)| t.state == token_state::NORMAL).map(move |(ti, _)| (si, ti))
            })
            .collect();
        let views: Vec<Live<'_>> = live
            .iter()
            .map(|&(si, ti)| {
                let t = &sets[si].tokens[ti];
                Live { platform_id: sets[si].platform_id, iat: t.iat, sig: &t.sig }
            })
            .collect();
        let kicked: BTreeSet<(usize, usize)> =
            policy::kicks(&self.config.multi_login, &views, platform_id).into_iter().map(|i| live[i]).collect();
        for &(si, ti) in &kicked {
            sets[si].tokens[ti].state = token_state::KICKED;
        }

        // Add the new token to its platform.
        let entry = TokenEntry {
            sig: new_sig,
            state: token_state::NORMAL,
            exp: claims.exp.unwrap_or(now),
            iat: claims.iat.unwrap_or(now),
        };
        match sets.iter_mut().find(|p| p.platform_id == platform_id) {
            Some(p) => p.tokens.push(entry),
            None => {
                let mut p = PlatformTokens::empty(platform_id);
                p.tokens.push(entry);
                sets.push(p);
            }
        }

        // Write only what changed.
        let changed: Vec<PlatformTokens> = sets
            .into_iter()
            .filter(|s| s.platform_id == platform_id || read.iter().find(|r| r.platform_id == s.platform_id) != Some(s))
            .collect();
        Ok(self.tokens.save(tenant, user_id, &changed).await?.then_some(token))
    }

    /// `/auth/parse_token`: the claims of a valid token (same checks as every request).
    pub async fn parse_token(&self, tenant: &TenantId, token: &str) -> ImResult<ParsedToken> {
        if token.is_empty() {
            return Err(ImError::args("token is empty"));
        }
        let claims = self.check(tenant, token).await?;
        Ok(ParsedToken { user_id: claims.user_id, platform_id: claims.platform_id, exp: claims.exp.unwrap_or(0) })
    }

    /// `/auth/force_logout` (the admin check is the caller's): kicks the user's connections on
    /// the platform and marks every token of that user and platform kicked.
    pub async fn force_logout(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<()> {
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        if !(platform::IOS..=platform::ADMIN).contains(&platform_id) {
            return Err(ImError::args("platformID is invalidate"));
        }
        self.kicker.kick(tenant, user_id, platform_id).await?;
        for _ in 0..WRITE_ATTEMPTS {
            let read = self.tokens.load(tenant, user_id, platform_id).await?;
            if read.tokens.iter().all(|t| t.state == token_state::KICKED) {
                return Ok(());
            }
            let mut set = read.clone();
            set.tokens.iter_mut().for_each(|t| t.state = token_state::KICKED);
            if self.tokens.save(tenant, user_id, &[set]).await? {
                return Ok(());
            }
        }
        Err(ImError::new(ErrCode::Database, "token state: too many concurrent writes"))
    }

    /// Signature and time checks, then (non-admins) the stored state: 1501–1507 as reference §3.
    async fn check(&self, tenant: &TenantId, token: &str) -> ImResult<jwt::Claims> {
        let claims = self.codec.parse(tenant, token, self.clock.now_s())?;
        if self.config.is_admin(&claims.user_id) {
            return Ok(claims);
        }
        let set = self.tokens.load(tenant, &claims.user_id, claims.platform_id).await?;
        match set.find(&jwt::token_key(token)).map(|t| t.state) {
            Some(token_state::NORMAL) => Ok(claims),
            Some(token_state::KICKED) => Err(ImError::new(ErrCode::TokenKicked, "token has been kicked")),
            Some(_) => Err(ImError::new(ErrCode::TokenUnknown, "token state is not normal")),
            None => Err(ImError::new(ErrCode::TokenNotExist, "token does not exist")),
        }
    }
}

#[async_trait]
impl TokenVerifier for AuthService {
    async fn verify(&self, tenant: &TenantId, token: &str) -> ImResult<Verified> {
        let claims = self.check(tenant, token).await?;
        let is_admin = self.config.is_admin(&claims.user_id);
        Ok(Verified { user_id: claims.user_id, platform_id: claims.platform_id, is_admin })
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
