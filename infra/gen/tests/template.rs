//! The committed `infra/template.yaml` is exactly what the generator renders from the routers'
//! declarations, passes the checks cfn-lint misses, and routes exactly what the routers serve;
//! each check catches the mistake it exists for.

use im_domain::ports::Topic;
use im_infra::catalog::{Function, Trigger, functions};
use im_infra::lint::{Template, get};
use im_infra::{check, coverage, generate, render, template_path};

fn committed() -> String {
    std::fs::read_to_string(template_path()).expect("infra/template.yaml")
}

fn with_pipeline() -> Vec<Function> {
    im_infra::catalog::with_pipeline_preview()
}

fn problems_of(text: &str) -> Vec<String> {
    Template::parse(text).expect("still YAML").lint()
}

#[test]
fn committed_template_is_generated_and_clean() {
    let text = committed();
    let problems = check(&text, &functions());
    assert!(problems.is_empty(), "run `cargo run -p im-infra -- write` and fix:\n{}", problems.join("\n"));
}

#[test]
fn hand_edits_inside_generated_blocks_are_drift() {
    let text = committed().replacen("Path: /auth/get_admin_token", "Path: /auth/get_admin_tokens", 1);
    let problems = check(&text, &functions());
    assert!(problems.iter().any(|p| p.contains("stale")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("POST /auth/get_admin_token is routed in code but not in the template")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("/auth/get_admin_tokens is in the template but no router serves it")),
        "{problems:?}"
    );
    // Generating repairs it.
    let fixed = generate(&text, &functions()).expect("generates");
    assert_eq!(fixed, committed());
}

#[test]
fn every_route_of_every_router_is_deployed_once() {
    let t = Template::parse(&committed()).expect("yaml");
    let mut total = 0;
    for f in functions() {
        let deployed = coverage::template_routes(&t, f.binary).expect("function in template");
        assert_eq!(deployed.len(), f.routes().len(), "{}", f.name);
        total += deployed.len();
    }
    let declared: usize = functions().iter().map(|f| f.routes().len()).sum();
    assert_eq!(total, declared);
    assert!(total > 50, "only {total} routes deployed");
}

#[test]
fn pipeline_functions_render_clean() {
    let fs = with_pipeline();
    let text = generate(&committed(), &fs).expect("generates");
    let problems = problems_of(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    let t = Template::parse(&text).expect("yaml");
    assert!(coverage::check_routes(&t, &fs).is_empty());
    for id in [
        "WsApi",
        "WsConnectRoute",
        "WsDefaultRoute",
        "WsDisconnectRoute",
        "WsStage",
        "WsInvokePermission",
        "TransferQueueMapping",
        "PushQueueMapping",
    ] {
        assert!(t.resources().iter().any(|(k, _)| k == id), "{id} missing");
    }
    assert!(text.contains("WebSocketUrl:"));
    assert!(text.contains("execute-api:ManageConnections"));
    assert!(text.contains("SQSPollerPolicy:") && text.contains("SQSSendMessagePolicy:"));
}

#[test]
fn misspelt_batch_failures_are_caught() {
    let text = generate(&committed(), &with_pipeline()).expect("generates");
    let bad = text.replace("- ReportBatchItemFailures", "- ReportBatchItemFailure");
    assert!(problems_of(&bad).iter().any(|p| p.contains("FunctionResponseTypes must be [ReportBatchItemFailures]")));
}

#[test]
fn short_visibility_timeouts_are_caught() {
    let text = generate(&committed(), &with_pipeline()).expect("generates");
    // The transfer consumer (real or preview) times out after 30 s: 179 s is below 6 × 30.
    let consumer = with_pipeline()
        .into_iter()
        .find(|f| matches!(f.trigger, Trigger::Queue(Topic::Transfer)))
        .expect("a transfer consumer");
    assert_eq!(consumer.timeout_s, 30);
    let bad = text.replacen("VisibilityTimeout: 180", "VisibilityTimeout: 179", 1);
    let problems = problems_of(&bad);
    let expected = format!("TransferQueue VisibilityTimeout 179 s is below 6 × {} Timeout 30 s", consumer.logical_id());
    assert!(problems.iter().any(|p| p.contains(&expected)), "{problems:?}");
}

#[test]
fn dangling_references_are_caught() {
    let text = committed();
    let in_globals = text.replacen("IM_LOG_LEVEL: !Ref LogLevel", "IM_LOG_LEVEL: !Ref LogLvl", 1);
    assert!(problems_of(&in_globals).iter().any(|p| p.starts_with("Globals.") && p.contains("LogLvl")));
    let piped = generate(&text, &with_pipeline()).expect("generates");
    let in_policy = piped.replacen("QueueName: !GetAtt PushQueue.QueueName", "QueueName: !GetAtt PushQ.QueueName", 1);
    assert!(
        problems_of(&in_policy).iter().any(|p| p.contains("Policies") && p.contains("PushQ")),
        "{:?}",
        problems_of(&in_policy)
    );
    let in_sub = text.replacen("!Sub '${Table.Arn}/index/*'", "!Sub '${Tabel.Arn}/index/*'", 1);
    assert!(problems_of(&in_sub).iter().any(|p| p.contains("${Tabel.Arn}")));
    let in_if = text.replacen("!If [CreateTokenSecret,", "!If [CreateTokenSecrets,", 1);
    assert!(problems_of(&in_if).iter().any(|p| p.contains("CreateTokenSecrets")));
}

#[test]
fn wrong_runtime_or_architecture_is_caught() {
    let text = committed();
    let runtime = text.replacen("Runtime: provided.al2023", "Runtime: provided.al2024", 1);
    assert!(problems_of(&runtime).iter().any(|p| p.contains("Runtime must be provided.al2023")));
    let arch = text.replacen("Architectures: [arm64]", "Architectures: [x86_64]", 1);
    assert!(problems_of(&arch).iter().any(|p| p.contains("Architectures must be [arm64]")));
}

#[test]
fn dead_letter_queues_need_alarms() {
    let text = generate(&committed(), &with_pipeline()).expect("generates");
    let unalarmed = text.replacen("Value: !GetAtt TransferDeadLetterQueue.QueueName", "Value: transfer-dlq", 1);
    assert!(problems_of(&unalarmed).iter().any(|p| p.contains("TransferDeadLetterQueue has no alarm")));
}

#[test]
fn renderer_refuses_what_aws_would_refuse() {
    let mut fs = functions();
    let auth = fs[0];
    fs.push(Function { name: "dup", package: "dup", binary: "dup", ..auth });
    assert!(render::resources(&fs).is_err_and(|e| e.contains("served by two functions")));
    let mut fs = functions();
    fs.push(Function { manages_connections: true, ..fs[0] });
    assert!(render::validate(&fs).is_err());
}

#[test]
fn table_and_api_match_the_code() {
    let t = Template::parse(&committed()).expect("yaml");
    let (_, table) = t.resources_of("AWS::DynamoDB::Table").into_iter().next().expect("table");
    let s = im_adapters::dynamodb::TABLE_KEY_SCHEMA;
    let p = get(&table, "Properties").expect("properties");
    assert_eq!(get(p, "BillingMode").and_then(|v| v.as_str()), Some(s.billing_mode));
    let keys = serde_norway::to_string(get(p, "KeySchema").expect("keys")).expect("yaml");
    assert!(keys.contains(&format!("AttributeName: {}\n  KeyType: HASH", s.hash_key)), "{keys}");
    assert!(keys.contains(&format!("AttributeName: {}\n  KeyType: RANGE", s.range_key)), "{keys}");
    let gsi = serde_norway::to_string(get(p, "GlobalSecondaryIndexes").expect("gsi")).expect("yaml");
    for needle in [s.gsi_name, s.gsi_hash_key, s.gsi_range_key, s.gsi_projection] {
        assert!(gsi.contains(needle), "{needle} not in {gsi}");
    }
    let ttl = get(p, "TimeToLiveSpecification").expect("ttl");
    assert_eq!(get(ttl, "AttributeName").and_then(|v| v.as_str()), Some(s.ttl_attr));
    let pitr = get(p, "PointInTimeRecoverySpecification").and_then(|v| get(v, "PointInTimeRecoveryEnabled"));
    assert_eq!(pitr.and_then(|v| v.as_bool()), Some(true));

    let (_, api) = t.resources_of("AWS::Serverless::HttpApi").into_iter().next().expect("http api");
    let cors = get(&api, "Properties").and_then(|p| get(p, "CorsConfiguration")).expect("cors");
    let exposed: Vec<String> = get(cors, "ExposeHeaders")
        .and_then(|v| v.as_sequence())
        .expect("expose")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let openim: Vec<String> = im_http::headers::CORS_EXPOSE_HEADERS.split(',').map(|h| h.trim().to_string()).collect();
    assert_eq!(exposed, openim);
}

#[test]
fn bucket_is_private_with_cors_and_multipart_cleanup() {
    let t = Template::parse(&committed()).expect("yaml");
    let (_, bucket) = t.resources_of("AWS::S3::Bucket").into_iter().next().expect("bucket");
    let text = serde_norway::to_string(&bucket).expect("yaml");
    for needle in
        ["RestrictPublicBuckets: true", "BlockPublicAcls: true", "- ETag", "- PUT", "AbortIncompleteMultipartUpload"]
    {
        assert!(text.contains(needle), "{needle} missing in bucket:\n{text}");
    }
}

#[test]
fn stack_stays_within_the_resource_limit() {
    let t = Template::parse(&generate(&committed(), &with_pipeline()).expect("generates")).expect("yaml");
    let n = t.expanded_resource_count();
    assert!(n > 150 && n <= im_infra::lint::MAX_RESOURCES, "{n} resources");
    assert!(t.check_resource_budget().is_empty());
}
