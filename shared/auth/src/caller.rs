//! Who is calling, and the port that turns a token into that answer.

use async_trait::async_trait;
use im_domain::{ImError, ImResult, TenantId};

/// The identity a valid token proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The token's `UserID`.
    pub user_id: String,
    /// The token's `PlatformID`.
    pub platform_id: i32,
    /// Whether the user is an app admin (`imAdminUserID`).
    pub is_admin: bool,
}

/// Verifies tokens (reference §3 validation order and codes 1501–1507).
#[async_trait]
pub trait TokenVerifier: Send + Sync {
    /// The identity behind `token` in `tenant`, or the token error.
    async fn verify(&self, tenant: &TenantId, token: &str) -> ImResult<Verified>;
}

/// The caller of a request, handed to every handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Token user ID (empty on whitelisted routes, which take no token).
    pub user_id: String,
    /// Token platform ID (0 on whitelisted routes).
    pub platform_id: i32,
    /// Whether the caller is an app admin.
    pub is_admin: bool,
    /// Tenant of the request.
    pub tenant: TenantId,
    /// The request's `operationID` header.
    pub operation_id: String,
}

impl Caller {
    /// A caller without a token (whitelisted routes).
    pub fn anonymous(tenant: TenantId, operation_id: impl Into<String>) -> Self {
        Caller { user_id: String::new(), platform_id: 0, is_admin: false, tenant, operation_id: operation_id.into() }
    }

    /// A caller proven by `verified`.
    pub fn from_verified(v: Verified, tenant: TenantId, operation_id: impl Into<String>) -> Self {
        Caller {
            user_id: v.user_id,
            platform_id: v.platform_id,
            is_admin: v.is_admin,
            tenant,
            operation_id: operation_id.into(),
        }
    }

    /// 1002 unless the caller is an app admin.
    pub fn check_admin(&self) -> ImResult<()> {
        if self.is_admin {
            Ok(())
        } else {
            Err(ImError::no_permission(format!("user {} is not admin userID", self.user_id)))
        }
    }

    /// 1002 unless the caller is `owner` or an app admin.
    pub fn check_self_or_admin(&self, owner: &str) -> ImResult<()> {
        if self.is_admin || (!self.user_id.is_empty() && self.user_id == owner) {
            Ok(())
        } else {
            Err(ImError::no_permission(format!("user {} may not act for user {owner:?}", self.user_id)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(uid: &str, admin: bool) -> Caller {
        let v = Verified { user_id: uid.into(), platform_id: 1, is_admin: admin };
        Caller::from_verified(v, TenantId::default_tenant(), "op")
    }

    #[test]
    fn checks() {
        assert!(caller("a", false).check_self_or_admin("a").is_ok());
        assert_eq!(caller("a", false).check_self_or_admin("b").unwrap_err().code, 1002);
        assert!(caller("adm", true).check_self_or_admin("b").is_ok());
        assert_eq!(caller("a", false).check_admin().unwrap_err().code, 1002);
        let anon = Caller::anonymous(TenantId::default_tenant(), "op");
        assert!(anon.check_self_or_admin("").is_err());
    }
}
