//! Password credentials of self-registered users (`U#<userID>` / `cred`): the salted password
//! hash as a PHC string. Kept apart from the profile, so no profile read ever carries it.

use im_domain::store::{Consistency, DynStore, Item};
use im_domain::{ImResult, TenantId};

use crate::keys;

/// Attribute holding the PHC hash string.
const HASH_ATTR: &str = "hash";

/// Store-backed credential repository.
#[derive(Clone)]
pub struct CredentialRepo {
    store: DynStore,
}

impl CredentialRepo {
    /// A repository on `store`.
    pub fn new(store: DynStore) -> Self {
        CredentialRepo { store }
    }

    /// The credential item of a user (written together with the profile on registration).
    pub fn item(tenant: &TenantId, user_id: &str, hash: &str) -> Item {
        Item::new(keys::user_credential(tenant, user_id)).with(HASH_ATTR, hash)
    }

    /// The stored password hash of a user, if the user has a password.
    pub async fn hash(&self, tenant: &TenantId, user_id: &str) -> ImResult<Option<String>> {
        let item = self.store.get(&keys::user_credential(tenant, user_id), Consistency::Strong).await?;
        Ok(item.and_then(|i| i.s(HASH_ATTR).map(str::to_string)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn stored_apart_from_the_profile() {
        let store = Arc::new(MemStore::new());
        let repo = CredentialRepo::new(store.clone());
        let t = TenantId::default_tenant();
        assert_eq!(repo.hash(&t, "u1").await.unwrap(), None);
        let item = CredentialRepo::item(&t, "u1", "$argon2id$x");
        assert_eq!((item.key.pk.as_str(), item.key.sk.as_str()), ("U#u1", "cred"));
        im_domain::store::Store::put(&*store, item, None).await.unwrap();
        assert_eq!(repo.hash(&t, "u1").await.unwrap().as_deref(), Some("$argon2id$x"));
    }
}
