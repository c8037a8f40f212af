//! Tenant identity. Every storage key carries one (seed 004's `X-Tenant-ID`).

use std::fmt;
use std::sync::Arc;

/// A tenant identifier: 1–64 characters of `[A-Za-z0-9_.-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(Arc<str>);

/// The tenant used when a request names none.
pub const DEFAULT_TENANT: &str = "default";

impl TenantId {
    /// Parses and validates a tenant ID.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() || s.len() > 64 {
            return Err("tenant ID must be 1-64 characters".into());
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) {
            return Err("tenant ID may only contain letters, digits, '_', '-' and '.'".into());
        }
        Ok(TenantId(Arc::from(s)))
    }

    /// The default tenant.
    pub fn default_tenant() -> Self {
        TenantId(Arc::from(DEFAULT_TENANT))
    }

    /// The tenant ID as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for TenantId {
    fn default() -> Self {
        Self::default_tenant()
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rules() {
        assert!(TenantId::parse("acme-1.prod_x").is_ok());
        assert!(TenantId::parse("").is_err());
        assert!(TenantId::parse("a#b").is_err());
        assert!(TenantId::parse(&"x".repeat(65)).is_err());
        assert_eq!(TenantId::default().as_str(), "default");
    }
}
