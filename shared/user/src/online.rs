//! Online status from the connection registry (`CONN#<userID>` items the gateway writes):
//! get_users_online_status, get_users_online_token_detail and get_users_status.

use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionRecord, ConnectionRegistry};
use tokio::task::JoinSet;

use crate::service::UserService;

/// Registry reads in flight at once.
const CONCURRENCY: usize = 32;

impl UserService {
    /// The unexpired connections of each requested user, in request order (one entry per
    /// requested ID, repeats included).
    pub async fn connections_of(
        &self,
        tenant: &TenantId,
        user_ids: &[String],
    ) -> ImResult<Vec<(String, Vec<ConnectionRecord>)>> {
        let mut out = Vec::with_capacity(user_ids.len());
        for chunk in user_ids.chunks(CONCURRENCY) {
            let mut set: JoinSet<(usize, ImResult<Vec<ConnectionRecord>>)> = JoinSet::new();
            for (i, id) in chunk.iter().enumerate() {
                let (reg, tenant, id): (ConnectionRegistry, TenantId, String) =
                    (self.connections.clone(), tenant.clone(), id.clone());
                set.spawn(async move { (i, reg.list(&tenant, &id).await) });
            }
            let mut got: Vec<Option<Vec<ConnectionRecord>>> = vec![None; chunk.len()];
            while let Some(joined) = set.join_next().await {
                let (i, conns) = joined.map_err(|e| im_domain::ImError::internal(format!("status read: {e}")))?;
                if let Some(slot) = got.get_mut(i) {
                    *slot = Some(conns?);
                }
            }
            out.extend(chunk.iter().cloned().zip(got.into_iter().map(Option::unwrap_or_default)));
        }
        Ok(out)
    }

    /// `/user/get_users_status`: each requested user's online platforms (distinct, ascending;
    /// empty when offline).
    pub async fn online_platforms(&self, tenant: &TenantId, user_ids: &[String]) -> ImResult<Vec<(String, Vec<i32>)>> {
        Ok(self
            .connections_of(tenant, user_ids)
            .await?
            .into_iter()
            .map(|(id, conns)| {
                let mut platforms: Vec<i32> = conns.iter().map(|c| c.platform_id).collect();
                platforms.sort_unstable();
                platforms.dedup();
                (id, platforms)
            })
            .collect())
    }
}
