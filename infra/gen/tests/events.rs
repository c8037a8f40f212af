//! Every sample event in `events/` belongs to a deployed function that handles it: its file
//! prefix names the function, and the function serves the event's method and path (HTTP), is
//! triggered by SQS (SQS batches) or by the WebSocket API (WebSocket events).

use im_infra::catalog::functions;
use im_infra::coverage::{check_event, check_events_dir};
use im_infra::events_dir;

#[test]
fn every_sample_belongs_to_a_function_that_handles_it() {
    let (problems, n) = check_events_dir(&events_dir(), &functions()).expect("events/ readable");
    assert!(n > 0, "no samples in events/");
    assert!(problems.is_empty(), "{} misfiled samples:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn misfiled_samples_are_caught() {
    let fs = functions();
    let text = std::fs::read_to_string(events_dir().join("auth-get-admin-token.json")).expect("sample");
    let event: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(check_event("auth-get-admin-token.json", &event, &fs), None);
    let wrong_function = check_event("user-get-admin-token.json", &event, &fs).expect("caught");
    assert!(wrong_function.contains("is not a route of user"), "{wrong_function}");
    assert!(check_event("nobody-x.json", &event, &fs).is_some_and(|p| p.contains("no deployed function")));
    assert!(check_event("noprefix.json", &event, &fs).is_some());

    let mut unknown_path = event.clone();
    unknown_path["rawPath"] = "/auth/get_admin_tokens".into();
    assert!(check_event("auth-x.json", &unknown_path, &fs).is_some_and(|p| p.contains("not a route of auth")));

    let mut wrong_key = event.clone();
    wrong_key["routeKey"] = "POST /auth/parse_token".into();
    assert!(check_event("auth-x.json", &wrong_key, &fs).is_some_and(|p| p.contains("routeKey")));

    let sqs = serde_json::json!({"Records": [{"eventSource": "aws:sqs", "messageId": "1", "body": "{}"}]});
    assert!(check_event("auth-queue.json", &sqs, &fs).is_some_and(|p| p.contains("not triggered that way")));
    let ws =
        serde_json::json!({"requestContext": {"eventType": "CONNECT", "routeKey": "$connect", "connectionId": "c"}});
    assert!(check_event("auth-connect.json", &ws, &fs).is_some_and(|p| p.contains("not triggered that way")));
}
