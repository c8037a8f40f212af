//! Composition: mount function groups, then apply the global middleware once.

use std::sync::Arc;

use axum::Router;
use im_auth::TokenVerifier;

use crate::endpoint::RouteInfo;
use crate::gate;
use crate::group::Group;

/// Options of the HTTP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// Largest accepted request body, bytes (larger → 1001).
    pub body_limit: usize,
}

/// Default request-body limit: 8 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 8 << 20;

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions { body_limit: DEFAULT_BODY_LIMIT }
    }
}

/// Mounted groups plus undeclared extra routes, before the global middleware.
#[derive(Default)]
pub struct App {
    router: Router,
    routes: Vec<RouteInfo>,
}

impl App {
    /// Nothing mounted.
    pub fn new() -> Self {
        App::default()
    }

    /// Mounts a function group with its state.
    pub fn mount<S: Clone + Send + Sync + 'static>(mut self, group: Group<S>, state: S) -> Self {
        let (router, routes) = group.with_state(state);
        self.router = self.router.merge(router);
        self.routes.extend(routes);
        self
    }

    /// Adds routes that are not API endpoints (health checks, redirects). They get the global
    /// middleware but no envelope; as GET routes they need no `operationID` or `token`.
    pub fn raw(mut self, router: Router) -> Self {
        self.router = self.router.merge(router);
        self
    }

    /// The declared routes mounted so far.
    pub fn routes(&self) -> &[RouteInfo] {
        &self.routes
    }

    /// The finished router: the mounted routes, a plain 404 for anything else, and the global
    /// middleware (panic → 500 envelope, gzip, tracing span, CORS, header gate).
    pub fn into_router(self, verifier: Arc<dyn TokenVerifier>, options: HttpOptions) -> Router {
        gate::wrap(self.router, &self.routes, verifier, options)
    }
}
