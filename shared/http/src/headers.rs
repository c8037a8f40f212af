//! Header names and fixed values of the OpenIM HTTP API (reference §2).

/// Request tracing ID, required on every POST.
pub const OPERATION_ID: &str = "operationid";
/// Token header, required on every non-whitelisted POST.
pub const TOKEN: &str = "token";
/// Tenant selector (default tenant when absent).
pub const TENANT_ID: &str = "x-tenant-id";

/// `Access-Control-Expose-Headers`, verbatim from OpenIM.
pub const CORS_EXPOSE_HEADERS: &str = "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar";
/// `Access-Control-Max-Age` (seconds).
pub const CORS_MAX_AGE: &str = "172800";
/// Body of the answer to an `OPTIONS` request (a JSON string).
pub const OPTIONS_BODY: &str = "\"Options Request!\"";
/// Body of the answer to an unknown route.
pub const NOT_FOUND_BODY: &str = "404 page not found";
