//! Each function binary runs as a Lambda process: it polls a local runtime API (the
//! `2018-06-01` interface), gets every `events/` sample of its function, and answers each with an
//! HTTP API response carrying an OpenIM envelope — against DynamoDB on the AWS-API emulator
//! (`IM_TEST_DYNAMODB_ENDPOINT`, moto). Sample tokens are replaced by real admin tokens of the
//! sample's tenant, minted by the auth binary; the WebSocket samples get a user token of their
//! user (registered by the user binary, issued by the auth binary) and must be accepted (200). A recording proxy in front of the emulator sees
//! every DynamoDB action each function performs; each must be granted by that function's policy
//! in `infra/template.yaml` (least privilege that is still enough).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Request, Response, StatusCode};
use base64::Engine as _;
use im_infra::catalog::{Function, Trigger, functions};
use im_infra::lint::{Template, get};
use im_infra::local::{BuildSet, LocalLambda, build, deployment_env, emulator_endpoint, profile_dir};
use im_infra::runtime_api::Outcome;
use im_infra::{events_dir, template_path};
use serde_json::Value;

/// Envelope codes that mean the deployment, not the request, is broken.
const BROKEN: &[i64] = &[500, 1000, 1501, 1502, 1503, 1504, 1505, 1506, 1507, 90002, 90004, 90007];

/// Records `X-Amz-Target` actions (per current function) and forwards to the emulator.
struct Recorder {
    upstream: String,
    http: reqwest::Client,
    current: Mutex<String>,
    seen: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

/// IAM actions a DynamoDB request needs (transactions: one per contained action).
fn actions_of(target: &str, body: &[u8]) -> Vec<String> {
    let op = target.rsplit('.').next().unwrap_or_default();
    if op == "TransactWriteItems" {
        let v: Value = serde_json::from_slice(body).unwrap_or_default();
        let mut out = Vec::new();
        for item in v["TransactItems"].as_array().into_iter().flatten() {
            for (k, action) in [
                ("Put", "PutItem"),
                ("Update", "UpdateItem"),
                ("Delete", "DeleteItem"),
                ("ConditionCheck", "ConditionCheckItem"),
            ] {
                if item.get(k).is_some() {
                    out.push(format!("dynamodb:{action}"));
                }
            }
        }
        return out;
    }
    vec![format!("dynamodb:{op}")]
}

async fn forward(State(r): State<Arc<Recorder>>, req: Request<Body>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 64 << 20).await.unwrap_or_default();
    if let Some(target) = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        let who = r.current.lock().expect("lock").clone();
        let actions = if target.starts_with("DynamoDB_") {
            actions_of(target, &body)
        } else if let Some(op) = target.strip_prefix("AmazonSQS.") {
            vec![format!("sqs:{op}")]
        } else {
            vec![]
        };
        r.seen.lock().expect("lock").entry(who).or_default().extend(actions);
    }
    let url = format!("{}{}", r.upstream, parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
    let mut out = r.http.request(parts.method.clone(), url).body(body);
    for (k, v) in &parts.headers {
        if !matches!(k.as_str(), "host" | "content-length" | "connection" | "transfer-encoding") {
            out = out.header(k, v);
        }
    }
    match out.send().await {
        Ok(resp) => {
            let mut b = Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                if !matches!(k.as_str(), "content-length" | "connection" | "transfer-encoding") {
                    b = b.header(k, v);
                }
            }
            let bytes = resp.bytes().await.unwrap_or_default();
            b.body(Body::from(bytes)).unwrap_or_else(|_| Response::new(Body::empty()))
        }
        Err(e) => {
            let mut resp = Response::new(Body::from(e.to_string()));
            *resp.status_mut() = StatusCode::BAD_GATEWAY;
            resp
        }
    }
}

async fn start_recorder(upstream: &str) -> (Arc<Recorder>, String) {
    let rec = Arc::new(Recorder {
        upstream: upstream.trim_end_matches('/').to_string(),
        http: reqwest::Client::new(),
        current: Mutex::new(String::new()),
        seen: Mutex::new(BTreeMap::new()),
    });
    let app = axum::Router::new().fallback(forward).with_state(rec.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (rec, url)
}

/// Checks an SQS batch response: failures name records of the batch, and not every record failed.
fn check_batch_response(name: &str, event: &Value, outcome: Outcome) -> usize {
    let doc = match outcome {
        Outcome::Response(b) => b,
        Outcome::Error(e) => panic!("{name}: the function reported an error: {e}"),
    };
    let resp: Value = serde_json::from_slice(&doc).unwrap_or_else(|e| panic!("{name}: response is not JSON ({e})"));
    let ids: BTreeSet<&str> =
        event["Records"].as_array().into_iter().flatten().filter_map(|r| r["messageId"].as_str()).collect();
    let failures =
        resp["batchItemFailures"].as_array().unwrap_or_else(|| panic!("{name}: no batchItemFailures: {resp}"));
    for f in failures {
        let id = f["itemIdentifier"].as_str().unwrap_or_default();
        assert!(ids.contains(id), "{name}: failure {id:?} is not a record of the batch");
    }
    assert!(failures.len() < ids.len(), "{name}: every record failed: {resp}");
    failures.len()
}

fn samples_of(f: &Function) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(events_dir())
        .expect("events/")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            (name.starts_with(&format!("{}-", f.name)) && name.ends_with(".json")).then_some(name)
        })
        .map(|name| {
            let text = std::fs::read_to_string(events_dir().join(&name)).expect("sample");
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The sample's `X-Tenant-ID` header (any case), if any.
fn tenant_of(event: &Value) -> Option<String> {
    event["headers"]
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-tenant-id"))
        .and_then(|(_, v)| v.as_str())
        .map(String::from)
}

/// An HTTP API event for `path` with a JSON `body`, built from the auth sample.
fn http_event(sample: &Value, path: &str, tenant: &Option<String>, token: &str, body: Value) -> Value {
    let mut ev = sample.clone();
    ev["routeKey"] = format!("POST {path}").into();
    ev["rawPath"] = path.into();
    ev["requestContext"]["routeKey"] = format!("POST {path}").into();
    ev["requestContext"]["http"]["path"] = path.into();
    ev["headers"]["token"] = token.into();
    match tenant {
        Some(t) => ev["headers"]["x-tenant-id"] = t.clone().into(),
        None => {
            ev["headers"].as_object_mut().expect("headers").remove("x-tenant-id");
        }
    }
    ev["body"] = body.to_string().into();
    ev
}

/// A user token for the WebSocket samples' user (`sendID`, `platformID`, tenant of the
/// `$connect` sample): registered through the user binary, issued by the auth binary.
async fn ws_user_token(
    fs: &[Function],
    env: &[(String, String)],
    recorder: &Recorder,
    sample: &Value,
    admin: &BTreeMap<Option<String>, String>,
) -> Option<String> {
    let connect = samples_of(fs.iter().find(|f| matches!(f.trigger, Trigger::WebSocket))?)
        .into_iter()
        .find(|(_, e)| e["requestContext"]["routeKey"] == "$connect")?
        .1;
    let tenant = tenant_of(&connect);
    let q = &connect["queryStringParameters"];
    let user = q["sendID"].as_str()?.to_string();
    let platform: i64 = q["platformID"].as_str()?.parse().ok()?;
    let admin = admin.get(&tenant)?;
    let bin = |name: &str| {
        let f = fs.iter().find(|f| f.name == name).expect("function");
        (profile_dir("dev").join(f.binary), f.name)
    };
    let (user_bin, user_name) = bin("user");
    *recorder.current.lock().expect("lock") = user_name.into();
    let mut lambda = LocalLambda::start(&user_bin, user_name, env).await.expect("user starts");
    let register = serde_json::json!({ "users": [{ "userID": user, "nickname": user }] });
    let out = lambda
        .invoke(
            &serde_json::to_vec(&http_event(sample, "/user/user_register", &tenant, admin, register)).expect("json"),
        )
        .await
        .expect("user answers");
    let env_reg = envelope("user_register", out);
    assert!(matches!(env_reg["errCode"].as_i64(), Some(0 | 1102)), "user_register: {env_reg}");
    lambda.stop().await;
    let (auth_bin, auth_name) = bin("auth");
    *recorder.current.lock().expect("lock") = auth_name.into();
    let mut lambda = LocalLambda::start(&auth_bin, auth_name, env).await.expect("auth starts");
    let body = serde_json::json!({ "userID": user, "platformID": platform });
    let out = lambda
        .invoke(&serde_json::to_vec(&http_event(sample, "/auth/get_user_token", &tenant, admin, body)).expect("json"))
        .await
        .expect("auth answers");
    let issued = envelope("get_user_token", out);
    lambda.stop().await;
    assert_eq!(issued["errCode"], 0, "get_user_token: {issued}");
    issued["data"]["token"].as_str().map(String::from)
}

/// The envelope of an HTTP API response document.
fn envelope(name: &str, outcome: Outcome) -> Value {
    let doc = match outcome {
        Outcome::Response(b) => b,
        Outcome::Error(e) => panic!("{name}: the function reported an error: {e}"),
    };
    let resp: Value = serde_json::from_slice(&doc).unwrap_or_else(|e| panic!("{name}: response is not JSON ({e})"));
    assert_eq!(resp["statusCode"], 200, "{name}: {resp}");
    let body = resp["body"].as_str().unwrap_or_default();
    let body = if resp["isBase64Encoded"].as_bool() == Some(true) {
        base64::engine::general_purpose::STANDARD.decode(body).unwrap_or_else(|e| panic!("{name}: base64 body: {e}"))
    } else {
        body.as_bytes().to_vec()
    };
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{name}: body is not a JSON envelope ({e}): {resp}"))
}

/// Table actions granted to the function built from `binary`.
fn granted(t: &Template, binary: &str) -> BTreeSet<String> {
    let (_, f) = t
        .resources_of("AWS::Serverless::Function")
        .into_iter()
        .find(|(_, f)| {
            get(f, "Metadata")
                .and_then(|m| get(m, "BuildProperties"))
                .and_then(|b| get(b, "Binary"))
                .and_then(|b| b.as_str())
                == Some(binary)
        })
        .unwrap_or_else(|| panic!("{binary} not in the template"));
    let mut out = BTreeSet::new();
    let policies = get(&f, "Properties")
        .and_then(|p| get(p, "Policies"))
        .and_then(|p| p.as_sequence())
        .cloned()
        .unwrap_or_default();
    for p in policies {
        for st in get(&p, "Statement").and_then(|s| s.as_sequence()).cloned().unwrap_or_default() {
            for a in get(&st, "Action").and_then(|a| a.as_sequence()).cloned().unwrap_or_default() {
                if let Some(a) = a.as_str().filter(|a| a.starts_with("dynamodb:")) {
                    out.insert(a.to_string());
                }
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn function_binaries_answer_their_samples_through_the_runtime_api() {
    let endpoint = emulator_endpoint().expect("the AWS-API emulator is required");
    let fs = functions();
    build("dev", BuildSet::WorkspaceAsTested).expect("function binaries build");
    let (recorder, proxy) = start_recorder(&endpoint).await;
    // Functions reach the emulator through the recording proxy.
    let name = format!(
        "im-invoke-{}-{}",
        std::process::id(),
        std::time::UNIX_EPOCH.elapsed().map(|d| d.as_millis()).unwrap_or(0)
    );
    let mut env: Vec<(String, String)> = deployment_env(&endpoint, &name)
        .await
        .expect("table and queues")
        .into_iter()
        .map(|(k, v)| if k == "AWS_ENDPOINT_URL" { (k, proxy.clone()) } else { (k, v) })
        .collect();
    env.push(("IM_LOG_LEVEL".into(), "warn".into()));
    // The ws function's connections are reached through the emulator's management API.
    env.push(("IM_WS_CALLBACK_URL".into(), proxy.clone()));
    let bin = |f: &Function| profile_dir("dev").join(f.binary);

    // Admin tokens of every tenant the samples use, from the auth binary.
    let auth = fs.iter().find(|f| f.name == "auth").expect("auth function");
    let admin_sample: Value =
        serde_json::from_str(&std::fs::read_to_string(events_dir().join("auth-get-admin-token.json")).expect("sample"))
            .expect("json");
    let tenants: BTreeSet<Option<String>> = fs.iter().flat_map(samples_of).map(|(_, e)| tenant_of(&e)).collect();
    *recorder.current.lock().expect("lock") = auth.name.into();
    let mut lambda = LocalLambda::start(&bin(auth), auth.name, &env).await.expect("auth starts");
    let mut tokens: BTreeMap<Option<String>, String> = BTreeMap::new();
    for tenant in tenants {
        let mut ev = admin_sample.clone();
        match &tenant {
            Some(t) => ev["headers"]["x-tenant-id"] = t.clone().into(),
            None => {
                ev["headers"].as_object_mut().expect("headers").remove("x-tenant-id");
            }
        }
        let out = lambda.invoke(&serde_json::to_vec(&ev).expect("json")).await.expect("auth answers");
        let env = envelope("get_admin_token", out);
        assert_eq!(env["errCode"], 0, "get_admin_token for {tenant:?}: {env}");
        tokens.insert(tenant, env["data"]["token"].as_str().expect("token").to_string());
    }
    lambda.stop().await;
    let ws_token = ws_user_token(&fs, &env, &recorder, &admin_sample, &tokens).await;

    let mut answered = 0;
    let mut codes: BTreeMap<i64, usize> = BTreeMap::new();
    for f in &fs {
        let samples = samples_of(f);
        if samples.is_empty() {
            continue;
        }
        *recorder.current.lock().expect("lock") = f.name.into();
        let mut lambda = LocalLambda::start(&bin(f), f.name, &env).await.unwrap_or_else(|e| panic!("{}: {e}", f.name));
        for (name, mut event) in samples {
            if matches!(f.trigger, Trigger::Queue(_)) {
                let out = lambda
                    .invoke(&serde_json::to_vec(&event).expect("json"))
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let failed = check_batch_response(&name, &event, out);
                eprintln!("{name}: {failed} record(s) reported failed");
                answered += 1;
                continue;
            }
            if matches!(f.trigger, Trigger::WebSocket) {
                if event["queryStringParameters"].get("token").is_some() {
                    let token = ws_token.clone().expect("a user token for the WebSocket samples");
                    event["queryStringParameters"]["token"] = token.into();
                }
                let out = lambda
                    .invoke(&serde_json::to_vec(&event).expect("json"))
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let doc = match out {
                    Outcome::Response(b) => b,
                    Outcome::Error(e) => panic!("{name}: the function reported an error: {e}"),
                };
                let resp: Value = serde_json::from_slice(&doc).unwrap_or_else(|e| panic!("{name}: not JSON ({e})"));
                assert_eq!(resp["statusCode"], 200, "{name}: {resp}");
                answered += 1;
                continue;
            }
            if event["headers"].get("token").is_some() {
                event["headers"]["token"] = tokens[&tenant_of(&event)].clone().into();
            }
            let out = lambda
                .invoke(&serde_json::to_vec(&event).expect("json"))
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let env = envelope(&name, out);
            let code = env["errCode"].as_i64().unwrap_or_else(|| panic!("{name}: no errCode in {env}"));
            if std::env::var_os("IM_INFRA_SHOW_CODES").is_some() {
                eprintln!("{name}: {code}");
            }
            assert!(!BROKEN.contains(&code), "{name}: errCode {code} means a broken deployment: {env}");
            *codes.entry(code).or_default() += 1;
            answered += 1;
        }
        lambda.stop().await;
    }
    assert!(answered >= 50, "only {answered} samples answered");
    eprintln!("{answered} samples answered; errCodes: {codes:?}");

    let template = Template::parse(&std::fs::read_to_string(template_path()).expect("template")).expect("yaml");
    let seen = recorder.seen.lock().expect("lock").clone();
    for f in &fs {
        let all = seen.get(f.name).cloned().unwrap_or_default();
        eprintln!("{}: actions used {all:?}", f.name);
        let sqs_sends = all.iter().any(|a| a.starts_with("sqs:SendMessage"));
        if sqs_sends {
            assert!(!f.sends_to.is_empty(), "{}: sends to SQS but the catalogue grants no queue", f.name);
        }
        let used: BTreeSet<String> = all.into_iter().filter(|a| a.starts_with("dynamodb:")).collect();
        assert!(!used.is_empty(), "{}: no DynamoDB traffic recorded", f.name);
        let allowed = granted(&template, f.binary);
        let missing: Vec<&String> = used.difference(&allowed).collect();
        assert!(missing.is_empty(), "{}: performs {missing:?}, which its template policy does not grant", f.name);
    }
}
