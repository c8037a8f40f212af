//! The [`RelationQuery`] port of the message send path, answered from the relation rows.

use async_trait::async_trait;
use im_domain::ports::RelationQuery;
use im_domain::{ImResult, TenantId};

use crate::repo::RelationRepo;

#[async_trait]
impl RelationQuery for RelationRepo {
    async fn is_blocked(&self, tenant: &TenantId, owner: &str, target: &str) -> ImResult<bool> {
        RelationRepo::is_blocked(self, tenant, owner, target).await
    }

    async fn is_friend(&self, tenant: &TenantId, owner: &str, target: &str) -> ImResult<bool> {
        RelationRepo::is_friend(self, tenant, owner, target).await
    }
}
