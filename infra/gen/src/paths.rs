//! Route paths: axum 0.8 syntax (as declared) to API Gateway HTTP API syntax, and event names.

use im_http::{HttpMethod, RouteInfo};

use crate::catalog::camel;

/// The API Gateway form of an axum path: `{name}` stays, the catch-all `{*name}` (last segment
/// only) becomes the greedy `{name+}`. Rejects the pre-0.8 `:name` form and misplaced catch-alls.
pub fn api_path(axum_path: &str) -> Result<String, String> {
    if !axum_path.starts_with('/') {
        return Err(format!("{axum_path}: a route path starts with /"));
    }
    let segments: Vec<&str> = axum_path.split('/').skip(1).collect();
    let mut out = String::new();
    for (i, seg) in segments.iter().enumerate() {
        out.push('/');
        if seg.starts_with(':') {
            return Err(format!("{axum_path}: `:param` is not axum 0.8 syntax (use {{param}})"));
        }
        if let Some(name) = seg.strip_prefix("{*").and_then(|s| s.strip_suffix('}')) {
            if i + 1 != segments.len() {
                return Err(format!("{axum_path}: a catch-all must be the last segment"));
            }
            out.push('{');
            out.push_str(name);
            out.push_str("+}");
        } else {
            out.push_str(seg);
        }
    }
    Ok(out)
}

/// The axum form of an API Gateway path (inverse of [`api_path`]).
pub fn axum_path(api_path: &str) -> String {
    api_path
        .split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            Some(name) => format!("{{*{name}}}"),
            None => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The SAM event name of a route: method + CamelCase path (`PostAuthGetAdminToken`).
pub fn event_name(route: &RouteInfo) -> String {
    let method = match route.method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
    };
    format!("{method}{}", camel(route.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_paths_both_ways() {
        assert_eq!(api_path("/auth/get_admin_token").as_deref(), Ok("/auth/get_admin_token"));
        assert_eq!(api_path("/object/{*name}").as_deref(), Ok("/object/{name+}"));
        assert_eq!(api_path("/a/{id}/b").as_deref(), Ok("/a/{id}/b"));
        assert!(api_path("/a/:id").is_err());
        assert!(api_path("/a/{*rest}/b").is_err());
        assert!(api_path("a").is_err());
        assert_eq!(axum_path("/object/{name+}"), "/object/{*name}");
        assert_eq!(axum_path("/a/{id}/b"), "/a/{id}/b");
    }

    #[test]
    fn event_names() {
        let r = RouteInfo {
            method: HttpMethod::Post,
            path: "/statistics/group/create",
            auth: im_http::AuthRule::Admin,
            group: "group",
        };
        assert_eq!(event_name(&r), "PostStatisticsGroupCreate");
    }
}
