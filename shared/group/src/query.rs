//! [`GroupQuery`] for the messaging send path: one group item, one member item, or the member
//! list (one partition query), all strongly consistent.

use async_trait::async_trait;
use im_domain::ports::{GroupQuery, GroupSummary, MemberSummary};
use im_domain::{ImResult, TenantId};

use crate::repo::GroupRepo;

#[async_trait]
impl GroupQuery for GroupRepo {
    async fn group(&self, tenant: &TenantId, group_id: &str) -> ImResult<Option<GroupSummary>> {
        Ok(GroupRepo::group(self, tenant, group_id).await?.map(|g| GroupSummary {
            group_id: g.group_id,
            group_name: g.group_name,
            face_url: g.face_url,
            status: g.status,
            group_type: g.group_type,
            member_count: g.member_count,
        }))
    }

    async fn member(&self, tenant: &TenantId, group_id: &str, user_id: &str) -> ImResult<Option<MemberSummary>> {
        Ok(GroupRepo::member(self, tenant, group_id, user_id)
            .await?
            .map(|m| MemberSummary { role_level: m.role_level, mute_end_time: m.mute_end_time }))
    }

    async fn member_ids(&self, tenant: &TenantId, group_id: &str) -> ImResult<Vec<String>> {
        GroupRepo::member_ids(self, tenant, group_id).await
    }
}
