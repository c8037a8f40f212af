//! Group answers for deployments without the group module.

use async_trait::async_trait;
use im_domain::ports::{GroupQuery, GroupSummary, MemberSummary};
use im_domain::{ImResult, TenantId};

/// No group exists: group sends answer 1004 and group pushes reach nobody. Stands in until the
/// group module provides its [`GroupQuery`].
#[derive(Debug, Default, Clone, Copy)]
pub struct NoGroups;

#[async_trait]
impl GroupQuery for NoGroups {
    async fn group(&self, _: &TenantId, _: &str) -> ImResult<Option<GroupSummary>> {
        Ok(None)
    }
    async fn member(&self, _: &TenantId, _: &str, _: &str) -> ImResult<Option<MemberSummary>> {
        Ok(None)
    }
    async fn member_ids(&self, _: &TenantId, _: &str) -> ImResult<Vec<String>> {
        Ok(Vec::new())
    }
}
