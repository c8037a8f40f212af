//! Cross-checks between the code and what is deployed: the routes in the template against every
//! function's `ROUTES` (both ways), and each `events/` sample against the function that must
//! handle it.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value as Json;
use serde_norway::Value;

use crate::catalog::{Function, Trigger};
use crate::lint::{Template, events, get};
use crate::paths::{api_path, axum_path};

/// `(method, axum path)` of every HttpApi event of the function whose binary is `binary`.
pub fn template_routes(t: &Template, binary: &str) -> Option<BTreeSet<(String, String)>> {
    let (_, f) = t.resources_of("AWS::Serverless::Function").into_iter().find(|(_, f)| {
        get(f, "Metadata")
            .and_then(|m| get(m, "BuildProperties"))
            .and_then(|b| get(b, "Binary"))
            .and_then(Value::as_str)
            == Some(binary)
    })?;
    let mut out = BTreeSet::new();
    for (_, ev) in events(&f) {
        if get(&ev, "Type").and_then(Value::as_str) != Some("HttpApi") {
            continue;
        }
        let p = get(&ev, "Properties");
        let method = p.and_then(|p| get(p, "Method")).and_then(Value::as_str).unwrap_or("").to_ascii_uppercase();
        let path = p.and_then(|p| get(p, "Path")).and_then(Value::as_str).unwrap_or("");
        out.insert((method, axum_path(path)));
    }
    Some(out)
}

/// Routes declared in code but missing from the template, routes in the template no router
/// serves, and functions on one side only.
pub fn check_routes(t: &Template, functions: &[Function]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut binaries = BTreeSet::new();
    for f in functions {
        binaries.insert(f.binary.to_string());
        let Some(deployed) = template_routes(t, f.binary) else {
            problems.push(format!("{}: no function with Binary {} in the template", f.name, f.binary));
            continue;
        };
        let declared: BTreeSet<(String, String)> =
            f.routes().iter().map(|r| (r.method.as_str().to_string(), r.path.to_string())).collect();
        for (m, p) in declared.difference(&deployed) {
            problems.push(format!("{}: {m} {p} is routed in code but not in the template", f.name));
        }
        for (m, p) in deployed.difference(&declared) {
            problems.push(format!("{}: {m} {p} is in the template but no router serves it", f.name));
        }
    }
    for (id, f) in t.resources_of("AWS::Serverless::Function") {
        let bin = get(&f, "Metadata")
            .and_then(|m| get(m, "BuildProperties"))
            .and_then(|b| get(b, "Binary"))
            .and_then(Value::as_str);
        match bin {
            Some(b) if binaries.contains(b) => {}
            other => problems.push(format!("{id}: Binary {other:?} is not a catalogued function")),
        }
    }
    problems
}

/// What a sample event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// HTTP API (payload 2.0): method, raw path, route key.
    Http {
        /// Request method.
        method: String,
        /// Raw path.
        path: String,
        /// `routeKey` (`POST /auth/get_admin_token`), if present.
        route_key: Option<String>,
    },
    /// SQS batch.
    Sqs,
    /// API Gateway WebSocket event with its route key.
    WebSocket(String),
}

/// Classifies a sample event.
pub fn classify(event: &Json) -> Result<EventKind, String> {
    if let Some(records) = event.get("Records").and_then(Json::as_array) {
        if !records.is_empty() && records.iter().all(|r| r.get("eventSource").and_then(Json::as_str) == Some("aws:sqs"))
        {
            return Ok(EventKind::Sqs);
        }
        return Err("Records that are not all aws:sqs".into());
    }
    let ctx = event.get("requestContext").ok_or("no requestContext")?;
    if let Some(kind) = ctx.get("eventType").and_then(Json::as_str) {
        let key = ctx.get("routeKey").and_then(Json::as_str).ok_or("WebSocket event without routeKey")?;
        if !matches!(kind, "CONNECT" | "MESSAGE" | "DISCONNECT") {
            return Err(format!("unknown WebSocket eventType {kind}"));
        }
        return Ok(EventKind::WebSocket(key.to_string()));
    }
    if event.get("version").and_then(Json::as_str) != Some("2.0") {
        return Err("not an HTTP API payload 2.0 event (version must be \"2.0\")".into());
    }
    let method =
        ctx.get("http").and_then(|h| h.get("method")).and_then(Json::as_str).ok_or("no requestContext.http.method")?;
    let path = event.get("rawPath").and_then(Json::as_str).ok_or("no rawPath")?;
    Ok(EventKind::Http {
        method: method.to_string(),
        path: path.to_string(),
        route_key: event.get("routeKey").and_then(Json::as_str).map(String::from),
    })
}

/// Whether a raw path matches an API Gateway route path (`{x}` one segment, `{x+}` the rest).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    for (i, p) in pat.iter().enumerate() {
        if p.starts_with('{') && p.ends_with("+}") {
            return got.len() > i && got[i..].iter().any(|s| !s.is_empty());
        }
        let Some(g) = got.get(i) else { return false };
        if p.starts_with('{') && p.ends_with('}') {
            if g.is_empty() {
                return false;
            }
        } else if p != g {
            return false;
        }
    }
    pat.len() == got.len()
}

/// Why `event` (from file `file_name`, `<function>-<what>.json`) does not belong to a function
/// that handles it; `None` when it does.
pub fn check_event(file_name: &str, event: &Json, functions: &[Function]) -> Option<String> {
    let Some((group, _)) = file_name.split_once('-') else {
        return Some(format!("{file_name}: name is not <function>-<what>.json"));
    };
    let Some(f) = functions.iter().find(|f| f.name == group) else {
        return Some(format!("{file_name}: no deployed function {group:?}"));
    };
    let kind = match classify(event) {
        Ok(k) => k,
        Err(e) => return Some(format!("{file_name}: {e}")),
    };
    match (kind, f.trigger) {
        (EventKind::Http { method, path, route_key }, Trigger::Http(routes)) => {
            let hit = routes
                .iter()
                .find(|r| r.method.as_str() == method && api_path(r.path).is_ok_and(|p| path_matches(&p, &path)));
            match hit {
                None => Some(format!("{file_name}: {method} {path} is not a route of {group}")),
                Some(r) => {
                    let expected = format!("{} {}", r.method.as_str(), api_path(r.path).unwrap_or_default());
                    match route_key {
                        Some(k) if k != expected => {
                            Some(format!("{file_name}: routeKey {k:?}, the template's is {expected:?}"))
                        }
                        _ => None,
                    }
                }
            }
        }
        (EventKind::Sqs, Trigger::Queue(_)) => None,
        (EventKind::WebSocket(key), Trigger::WebSocket) => {
            (!matches!(key.as_str(), "$connect" | "$default" | "$disconnect"))
                .then(|| format!("{file_name}: WebSocket route {key} is not deployed"))
        }
        (kind, _) => Some(format!("{file_name}: a {kind:?} event, but {group} is not triggered that way")),
    }
}

/// Every problem of the samples in `dir` (`*.json`), and how many samples were checked.
pub fn check_events_dir(dir: &Path, functions: &[Function]) -> Result<(Vec<String>, usize), String> {
    let mut problems = Vec::new();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    for path in entries {
        n += 1;
        let name = path.file_name().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        match serde_json::from_str::<Json>(&text) {
            Ok(event) => problems.extend(check_event(&name, &event, functions)),
            Err(e) => problems.push(format!("{name}: not JSON: {e}")),
        }
    }
    Ok((problems, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        assert!(path_matches("/auth/x", "/auth/x"));
        assert!(!path_matches("/auth/x", "/auth/y"));
        assert!(!path_matches("/auth/x", "/auth/x/y"));
        assert!(path_matches("/object/{name+}", "/object/u1/a.png"));
        assert!(!path_matches("/object/{name+}", "/object/"));
        assert!(!path_matches("/object/{name+}", "/object"));
        assert!(path_matches("/a/{id}/b", "/a/7/b"));
        assert!(!path_matches("/a/{id}/b", "/a//b"));
    }

    #[test]
    fn classifies_events() {
        let sqs = serde_json::json!({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]});
        assert_eq!(classify(&sqs), Ok(EventKind::Sqs));
        let ws = serde_json::json!({"requestContext": {"eventType": "CONNECT", "routeKey": "$connect"}});
        assert_eq!(classify(&ws), Ok(EventKind::WebSocket("$connect".into())));
        let v1 = serde_json::json!({"httpMethod": "POST", "path": "/x", "requestContext": {}});
        assert!(classify(&v1).is_err());
    }
}
