//! Endpoint declarations: each route is described once by a type implementing [`Endpoint`].

use axum::routing::MethodFilter;
use im_domain::{ImError, ImResult};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET: no `operationID`/`token` checks (reference §1 "none(GET)").
    Get,
    /// POST with a JSON body (every OpenIM API route).
    Post,
}

impl HttpMethod {
    /// The method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }

    /// The axum method filter.
    pub fn filter(self) -> MethodFilter {
        match self {
            HttpMethod::Get => MethodFilter::GET,
            HttpMethod::Post => MethodFilter::POST,
        }
    }
}

/// Who may call an endpoint (reference §1 legend). Checked before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthRule {
    /// W: no token needed (still needs `operationID` on POST).
    Whitelist,
    /// T: any valid token.
    Token,
    /// S(field): the body field at this dotted JSON path must be the caller's user ID, unless the
    /// caller is an app admin (1002 otherwise).
    SelfOrAdmin(&'static str),
    /// A: app admins only (1002 otherwise).
    Admin,
    /// A valid token; the handler decides the rest (group roles, …). The text says what it checks.
    Handler(&'static str),
}

impl AuthRule {
    /// Whether the rule needs a valid token.
    pub const fn needs_token(self) -> bool {
        !matches!(self, AuthRule::Whitelist)
    }

    /// The reference's short label: `W`, `T`, `S(field)`, `A`, `H(text)`.
    pub fn label(self) -> String {
        match self {
            AuthRule::Whitelist => "W".into(),
            AuthRule::Token => "T".into(),
            AuthRule::SelfOrAdmin(f) => format!("S({f})"),
            AuthRule::Admin => "A".into(),
            AuthRule::Handler(what) => format!("H({what})"),
        }
    }
}

/// One API endpoint, declared once.
///
/// ```text
/// pub struct GetUserToken;
/// impl Endpoint for GetUserToken {
///     const PATH: &'static str = "/auth/get_user_token";
///     const AUTH: AuthRule = AuthRule::Admin;
///     type Req = GetUserTokenReq;
///     type Resp = GetUserTokenResp;
/// }
/// ```
pub trait Endpoint: Send + Sync + 'static {
    /// HTTP method (POST unless stated).
    const METHOD: HttpMethod = HttpMethod::Post;
    /// Route path (axum 0.8 syntax for parameters: `{name}`).
    const PATH: &'static str;
    /// Who may call it.
    const AUTH: AuthRule;
    /// Request body (decoded leniently; use `#[serde(default)]`).
    type Req: DeserializeOwned + Send + 'static;
    /// Response `data` ([`crate::Empty`] for none).
    type Resp: Serialize + Send + 'static;

    /// Decodes a request body by its `Content-Type`, for endpoints that accept more than JSON
    /// (the `/jssdk/*` routes also take protobuf). `None` (the default) decodes the body as JSON
    /// whatever the content type says, as OpenIM does. `Some(result)` means the body was decoded
    /// (or rejected) here; the response `data` is then the base64 string of
    /// [`Endpoint::encode_binary`]. Auth rules that read the body (`S(field)`) see no JSON in a
    /// binary body, so only admins pass them.
    fn decode_binary(_content_type: &str, _body: &[u8]) -> Option<ImResult<Self::Req>> {
        None
    }

    /// Encodes the response to a request that [`Endpoint::decode_binary`] decoded.
    fn encode_binary(_resp: &Self::Resp) -> ImResult<Vec<u8>> {
        Err(ImError::internal("this endpoint has no binary response encoding"))
    }
}

/// Declares JSON endpoints, one `Name, "/path", auth rule, Req, Resp` entry each (`;` between
/// entries; doc comments kept): every entry becomes a unit struct implementing [`Endpoint`]
/// (POST, JSON body). Endpoints with another method or a binary body implement the trait by hand.
///
/// ```text
/// im_http::declare_endpoints! {
///     /// `POST /auth/get_user_token` (A).
///     GetUserToken, "/auth/get_user_token", AuthRule::Admin, GetUserTokenReq, TokenResp;
/// }
/// ```
#[macro_export]
macro_rules! declare_endpoints {
    ($( $(#[$doc:meta])* $name:ident, $path:literal, $auth:expr, $req:ty, $resp:ty );* $(;)?) => {
        $(
            $(#[$doc])*
            pub struct $name;
            impl $crate::Endpoint for $name {
                const PATH: &'static str = $path;
                const AUTH: $crate::AuthRule = $auth;
                type Req = $req;
                type Resp = $resp;
            }
        )*
    };
}

/// A route as declared, for templates, docs and permission tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path.
    pub path: &'static str,
    /// Auth rule.
    pub auth: AuthRule,
    /// Function group (one Lambda function per group).
    pub group: &'static str,
}

impl RouteInfo {
    /// The route of endpoint `E` in function group `group`.
    pub const fn of<E: Endpoint>(group: &'static str) -> RouteInfo {
        RouteInfo { method: E::METHOD, path: E::PATH, auth: E::AUTH, group }
    }
}
