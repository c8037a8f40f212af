//! In-process fixture shared by the /user function's tests: a memory store, the real auth and
//! user services (cheap password hashing), and the router the Lambda entry serves.

#![allow(dead_code)]

use std::sync::Arc;

use im_auth::{AuthConfig, AuthService, NoopKicker, TokenVerifier};
use im_domain::TenantId;
use im_domain::clock::{Env, SystemClock};
use im_domain::store::DynStore;
use im_fn_user::UserState;
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;
use im_user::password::PasswordHasher;
use im_user::{NewUser, UserService};

/// A fresh world: store, auth service and user state.
pub struct World {
    pub store: DynStore,
    pub auth: Arc<AuthService>,
    pub state: UserState,
}

impl World {
    pub fn new() -> World {
        let store: DynStore = Arc::new(MemStore::new());
        let auth = Arc::new(AuthService::new(
            AuthConfig::default(),
            store.clone(),
            Arc::new(SystemClock),
            Arc::new(NoopKicker),
        ));
        let users = UserService::new(store.clone(), Env::system(), auth.config().admin_user_ids.clone())
            .with_password_hasher(PasswordHasher::insecure_fast());
        World { store, auth: auth.clone(), state: UserState { users: Arc::new(users), auth } }
    }

    /// The /user and /auth routes behind `verifier`.
    pub fn router(&self, verifier: Arc<dyn TokenVerifier>) -> axum::Router {
        let app = im_fn_user::mount(App::new(), self.state.clone());
        im_fn_auth::mount(app, self.auth.clone()).into_router(verifier, HttpOptions::default())
    }

    /// Registers ordinary users (nickname = ID) in `tenant`.
    pub async fn register(&self, tenant: &TenantId, ids: &[&str]) {
        let users =
            ids.iter().map(|id| NewUser { user_id: id.to_string(), nickname: id.to_string(), ..NewUser::default() });
        self.state.users.register(tenant, users.collect()).await.expect("register");
    }
}
