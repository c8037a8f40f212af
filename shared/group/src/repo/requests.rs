//! Join requests: one item per (group, applicant); a new application replaces the old one.

use im_domain::TenantId;
use im_domain::constants::handle_result;
use im_domain::store::{BatchWrite, Condition, Consistency, Query, StoreError, Update};
use im_domain::{ErrCode, ImError, ImResult};

use super::{GroupRepo, batch, get_existing, query_all};
use crate::keys;
use crate::records::{RequestRecord, request_attr};

/// How a request was handled.
#[derive(Debug, Clone)]
pub struct Handling<'a> {
    /// 1 accepted, -1 refused.
    pub result: i32,
    /// Handler's message.
    pub message: &'a str,
    /// Handler.
    pub handler: &'a str,
    /// Handling time (ms).
    pub time: i64,
}

impl GroupRepo {
    /// Stores applications (replacing earlier ones of the same users).
    pub async fn put_requests(&self, t: &TenantId, requests: &[RequestRecord]) -> ImResult<()> {
        let writes = requests.iter().map(|r| BatchWrite::Put(r.to_item(t))).collect();
        Ok(batch(self.store(), writes).await?)
    }

    /// One application.
    pub async fn request(&self, t: &TenantId, group_id: &str, user_id: &str) -> ImResult<Option<RequestRecord>> {
        if group_id.is_empty() || user_id.is_empty() {
            return Ok(None);
        }
        let item = self.store().get(&keys::request(t, group_id, user_id), Consistency::Strong).await?;
        Ok(item.as_ref().map(RequestRecord::from_item))
    }

    /// The applications of `user_ids` to one group, in request order.
    pub async fn requests_of(&self, t: &TenantId, group_id: &str, user_ids: &[String]) -> ImResult<Vec<RequestRecord>> {
        let mut seen = std::collections::HashSet::new();
        let ks: Vec<_> = user_ids
            .iter()
            .filter(|u| !u.is_empty() && seen.insert(u.as_str()))
            .map(|u| keys::request(t, group_id, u))
            .collect();
        let items = get_existing(self.store(), &ks, Consistency::Strong).await?;
        Ok(items.iter().map(RequestRecord::from_item).collect())
    }

    /// Every application to a group.
    pub async fn group_requests(&self, t: &TenantId, group_id: &str) -> ImResult<Vec<RequestRecord>> {
        let items = query_all(self.store(), Query::partition(t, keys::request_pk(group_id))).await?;
        Ok(items.iter().map(RequestRecord::from_item).collect())
    }

    /// Every application a user sent (the applicant index; eventually consistent).
    pub async fn user_requests(&self, t: &TenantId, user_id: &str) -> ImResult<Vec<RequestRecord>> {
        let items =
            query_all(self.store(), Query::partition(t, keys::request_user_index_pk(user_id)).on_index()).await?;
        Ok(items.iter().map(RequestRecord::from_item).collect())
    }

    /// Marks a pending application handled: 1004 when there is none, 1206 when it was handled.
    pub async fn handle_request(
        &self,
        t: &TenantId,
        group_id: &str,
        user_id: &str,
        h: &Handling<'_>,
    ) -> ImResult<RequestRecord> {
        let update = Update::new()
            .set(request_attr::HANDLE_RESULT, h.result)
            .set(request_attr::HANDLE_MSG, h.message)
            .set(request_attr::HANDLE_USER, h.handler)
            .set(request_attr::HANDLE_TIME, h.time);
        let pending = Condition::ItemExists.and(Condition::eq(request_attr::HANDLE_RESULT, handle_result::PENDING));
        match self.store().update(&keys::request(t, group_id, user_id), &update, Some(pending)).await {
            Ok(item) => Ok(RequestRecord::from_item(&item)),
            Err(StoreError::ConditionFailed) => Err(match self.request(t, group_id, user_id).await? {
                Some(_) => ImError::new(ErrCode::GroupRequestHandled, "group request already processed"),
                None => ImError::not_found(format!("no application of {user_id} to group {group_id}")),
            }),
            Err(e) => Err(e.into()),
        }
    }
}
