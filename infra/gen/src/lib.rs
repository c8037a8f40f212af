//! Deployment tooling of the AWS stack (`infra/`).
//!
//! * [`catalog`]: the deployed functions and the resources each may touch; HTTP functions take
//!   their routes from their crate's `ROUTES` (one declaration per route drives router and
//!   template alike).
//! * [`render`] + [`splice`]: the generated blocks of `infra/template.yaml` (functions, their
//!   events and policies, the WebSocket API); `im-infra write` rewrites them, `im-infra check`
//!   (and the `template` test) fails on drift.
//! * [`lint`]: what cfn-lint misses; [`coverage`]: routes both ways, `events/` samples.
//! * [`runtime_api`] + [`local`]: a local Lambda runtime API and the launcher that runs function
//!   binaries against it as Lambda does; [`bench`]: binary sizes and cold starts.

pub mod bench;
pub mod catalog;
pub mod coverage;
pub mod lint;
pub mod local;
pub mod paths;
pub mod render;
pub mod runtime_api;
pub mod splice;

use std::path::PathBuf;

use crate::catalog::Function;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().and_then(|p| p.parent()).map(PathBuf::from).unwrap_or(here)
}

/// `infra/template.yaml`.
pub fn template_path() -> PathBuf {
    workspace_root().join("infra").join("template.yaml")
}

/// `events/`.
pub fn events_dir() -> PathBuf {
    workspace_root().join("events")
}

/// `text` (the template) with its generated blocks rendered from `functions`.
pub fn generate(text: &str, functions: &[Function]) -> Result<String, String> {
    let text = splice::replace(text, render::RESOURCES_BLOCK, &render::resources(functions)?)?;
    splice::replace(&text, render::OUTPUTS_BLOCK, &render::outputs(functions))
}

/// Every problem of the template `text`: drift from the generator, lint findings, and routes
/// that differ from the routers.
pub fn check(text: &str, functions: &[Function]) -> Vec<String> {
    let mut problems = Vec::new();
    match generate(text, functions) {
        Ok(expected) if expected == text => {}
        Ok(_) => problems.push("infra/template.yaml is stale: run `cargo run -p im-infra -- write`".into()),
        Err(e) => problems.push(e),
    }
    match lint::Template::parse(text) {
        Ok(t) => {
            problems.extend(t.lint());
            problems.extend(coverage::check_routes(&t, functions));
        }
        Err(e) => problems.push(e),
    }
    problems
}
