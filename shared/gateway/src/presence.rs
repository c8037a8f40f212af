//! Online-status subscriptions (WS 2005), kept in process.
//!
//! A subscription lives as long as the subscribing connection on this gateway process. When a
//! user's set of online platforms changes *through this process* (a connection of theirs opens
//! or closes here), every local subscriber gets an unsolicited 2005 frame. Limitation: changes
//! caused on another node (or another Lambda invocation) are not announced; subscribers there
//! see them on their next subscribe. A multi-node deployment would fan these events out over a
//! shared channel.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use im_domain::TenantId;
use im_repo::connection::ConnectionRecord;

/// A subscriber: the tenant and record of the connection to notify.
#[derive(Debug, Clone)]
pub struct Subscriber {
    /// Tenant of the subscriber.
    pub tenant: TenantId,
    /// The subscriber's connection.
    pub record: ConnectionRecord,
}

#[derive(Default)]
struct Inner {
    /// (tenant, watched user) → subscriber connection IDs.
    watchers: HashMap<(TenantId, String), HashSet<String>>,
    /// Subscriber connection ID → (subscriber, watched users).
    subs: HashMap<String, (Subscriber, HashSet<String>)>,
}

/// The subscription table of one gateway process.
#[derive(Default)]
pub struct Subscriptions {
    inner: Mutex<Inner>,
}

impl Subscriptions {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds and removes watched users of a subscriber; returns the users newly subscribed.
    pub fn update(&self, sub: &Subscriber, subscribe: &[String], unsubscribe: &[String]) -> Vec<String> {
        let mut g = self.lock();
        let Inner { watchers, subs } = &mut *g;
        let conn = sub.record.conn_id.clone();
        let entry = subs.entry(conn.clone()).or_insert_with(|| (sub.clone(), HashSet::new()));
        for u in unsubscribe {
            if entry.1.remove(u)
                && let Some(w) = watchers.get_mut(&(sub.tenant.clone(), u.clone()))
            {
                w.remove(&conn);
                if w.is_empty() {
                    watchers.remove(&(sub.tenant.clone(), u.clone()));
                }
            }
        }
        let mut added = Vec::new();
        for u in subscribe {
            if u.is_empty() {
                continue;
            }
            if entry.1.insert(u.clone()) {
                watchers.entry((sub.tenant.clone(), u.clone())).or_default().insert(conn.clone());
            }
            if !added.contains(u) {
                added.push(u.clone());
            }
        }
        if entry.1.is_empty() {
            subs.remove(&conn);
        }
        added
    }

    /// Drops every subscription of a connection (on disconnect).
    pub fn remove_connection(&self, conn_id: &str) {
        let mut g = self.lock();
        let Inner { watchers, subs } = &mut *g;
        if let Some((sub, users)) = subs.remove(conn_id) {
            for u in users {
                let key = (sub.tenant.clone(), u);
                if let Some(w) = watchers.get_mut(&key) {
                    w.remove(conn_id);
                    if w.is_empty() {
                        watchers.remove(&key);
                    }
                }
            }
        }
    }

    /// The subscribers watching `user_id`.
    pub fn watchers_of(&self, tenant: &TenantId, user_id: &str) -> Vec<Subscriber> {
        let g = self.lock();
        let Some(conns) = g.watchers.get(&(tenant.clone(), user_id.to_string())) else { return Vec::new() };
        conns.iter().filter_map(|c| g.subs.get(c).map(|(s, _)| s.clone())).collect()
    }

    /// Whether anyone here watches `user_id`.
    pub fn is_watched(&self, tenant: &TenantId, user_id: &str) -> bool {
        self.lock().watchers.contains_key(&(tenant.clone(), user_id.to_string()))
    }
}

/// The sorted, distinct platform IDs of a user's live connections.
pub fn online_platforms(records: &[ConnectionRecord]) -> Vec<i32> {
    records.iter().map(|r| r.platform_id).collect::<BTreeSet<_>>().into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(conn: &str) -> Subscriber {
        Subscriber {
            tenant: TenantId::default_tenant(),
            record: ConnectionRecord { conn_id: conn.into(), ..Default::default() },
        }
    }

    #[test]
    fn subscribe_unsubscribe_and_disconnect() {
        let s = Subscriptions::new();
        let t = TenantId::default_tenant();
        assert_eq!(s.update(&sub("c1"), &["a".into(), "b".into(), "a".into()], &[]), ["a", "b"]);
        s.update(&sub("c2"), &["a".into()], &[]);
        assert_eq!(s.watchers_of(&t, "a").len(), 2);
        s.update(&sub("c1"), &[], &["a".into()]);
        assert_eq!(s.watchers_of(&t, "a").len(), 1);
        assert!(s.is_watched(&t, "b"));
        s.remove_connection("c1");
        assert!(!s.is_watched(&t, "b"));
        assert!(s.watchers_of(&TenantId::parse("x").unwrap(), "a").is_empty());
        let r = |p| ConnectionRecord { platform_id: p, ..Default::default() };
        assert_eq!(online_platforms(&[r(5), r(1), r(5)]), [1, 5]);
    }
}
