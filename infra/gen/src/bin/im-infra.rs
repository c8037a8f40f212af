//! `im-infra write` renders the generated blocks of `infra/template.yaml` from the function
//! catalogue; `im-infra check` prints every problem (drift, lint, routes, `events/` samples) and
//! fails if there is one; `im-infra routes` lists the deployed routes per function;
//! `im-infra preview` prints the template rendered with stand-ins for the pipeline functions that
//! have not landed yet (for cfn-lint).

use std::process::ExitCode;

use im_infra::catalog::{Trigger, functions, with_pipeline_preview};
use im_infra::{check, coverage, events_dir, generate, paths, template_path};

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match run(&cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cmd: &str) -> Result<(), String> {
    let path = template_path();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fs = functions();
    match cmd {
        "write" => {
            let new = generate(&text, &fs)?;
            if new != text {
                std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("rewrote {}", path.display());
            } else {
                println!("{} is up to date", path.display());
            }
            Ok(())
        }
        "check" => {
            let mut problems = check(&text, &fs);
            let (event_problems, n) = coverage::check_events_dir(&events_dir(), &fs)?;
            problems.extend(event_problems);
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                println!("template, routes and {n} event samples: ok");
                Ok(())
            } else {
                Err(format!("{} problem(s)", problems.len()))
            }
        }
        "preview" => {
            print!("{}", generate(&text, &with_pipeline_preview())?);
            Ok(())
        }
        "routes" => {
            for f in &fs {
                let trigger = match f.trigger {
                    Trigger::Http(r) => format!("{} HTTP routes", r.len()),
                    Trigger::Queue(t) => format!("queue {t:?}"),
                    Trigger::WebSocket => "WebSocket API".into(),
                };
                println!("{} ({}): {trigger}", f.name, f.binary);
                for r in f.routes() {
                    println!("  {} {}", r.method.as_str(), paths::api_path(r.path)?);
                }
            }
            Ok(())
        }
        _ => Err("usage: im-infra write | check | routes | preview".into()),
    }
}
