//! A function group: the endpoints one function (one Lambda) serves, with their handlers.

use axum::Router;
use axum::extract::{Request, State};
use axum::routing::on;

use crate::endpoint::{Endpoint, RouteInfo};
use crate::handler::{Handler, dispatch};

/// The endpoints of one function, not yet bound to their state. Build it with [`endpoints!`].
///
/// [`endpoints!`]: crate::endpoints
pub struct Group<S> {
    name: &'static str,
    router: Router<S>,
    routes: Vec<RouteInfo>,
}

impl<S: Clone + Send + Sync + 'static> Group<S> {
    /// An empty group called `name`.
    pub fn new(name: &'static str) -> Self {
        Group { name, router: Router::new(), routes: Vec::new() }
    }

    /// Adds endpoint `E` served by `handler`.
    pub fn endpoint<E: Endpoint, H: Handler<E, S>>(mut self, handler: H) -> Self {
        let route = move |State(state): State<S>, req: Request| {
            let handler = handler.clone();
            async move { dispatch::<E, S, H>(state, handler, req).await }
        };
        self.router = self.router.route(E::PATH, on(E::METHOD.filter(), route));
        self.routes.push(RouteInfo::of::<E>(self.name));
        self
    }

    /// The group's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The routes added so far.
    pub fn routes(&self) -> &[RouteInfo] {
        &self.routes
    }

    /// Binds the state: the router (without global middleware) and the route list.
    pub fn with_state(self, state: S) -> (Router, Vec<RouteInfo>) {
        (self.router.with_state(state), self.routes)
    }
}

/// Declares a function group once, generating `GROUP` (its name), `ROUTES` (a static route
/// table) and `group()` (the [`Group`] of the same endpoints and handlers).
///
/// ```text
/// im_http::endpoints! {
///     group: "auth",
///     state: AuthState,
///     routes: {
///         GetAdminToken => handlers::get_admin_token,
///         GetUserToken => handlers::get_user_token,
///     }
/// }
/// ```
#[macro_export]
macro_rules! endpoints {
    (group: $name:literal, state: $state:ty, routes: { $($ep:ty => $handler:expr),* $(,)? } $(,)?) => {
        /// Name of this function group.
        pub const GROUP: &str = $name;

        /// Every route of this group, as declared.
        pub const ROUTES: &[$crate::RouteInfo] = &[$($crate::RouteInfo::of::<$ep>($name)),*];

        /// This group's endpoints with their handlers.
        pub fn group() -> $crate::Group<$state> {
            $crate::Group::new($name)$(.endpoint::<$ep, _>($handler))*
        }
    };
}
