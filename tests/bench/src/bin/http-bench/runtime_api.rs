//! A minimal local Lambda runtime API (the four routes a runtime client uses): hands out one
//! armed event per run on `GET …/invocation/next` and records when its response (or an error)
//! arrives. Further `next` calls wait forever (the benchmark kills the process).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{Mutex, Notify};

use crate::BoxError;

/// What one run observed.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// First `GET …/invocation/next` (the runtime finished its init).
    pub first_next: Instant,
    /// The response to the event.
    pub responded: Instant,
    /// The response payload (the API Gateway v2 response JSON).
    pub payload: String,
}

#[derive(Default)]
struct Inner {
    request_id: String,
    event: Option<String>,
    first_next: Option<Instant>,
    responded: Option<(Instant, String)>,
    error: Option<String>,
}

/// The runtime API server.
#[derive(Clone)]
pub struct RuntimeApi {
    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub address: String,
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
}

impl RuntimeApi {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Result<RuntimeApi, BoxError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let api = RuntimeApi {
            address: listener.local_addr()?.to_string(),
            inner: Arc::new(Mutex::new(Inner::default())),
            changed: Arc::new(Notify::new()),
        };
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(invocation_error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(api.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(api)
    }

    /// Arms one event for the next run under `request_id`, forgetting the previous run.
    pub async fn arm(&self, request_id: &str, event: String) {
        *self.inner.lock().await = Inner { request_id: request_id.to_string(), event: Some(event), ..Inner::default() };
    }

    /// Waits for the armed event's response (or an error) up to `timeout`.
    pub async fn wait(&self, timeout: Duration) -> Result<Outcome, BoxError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            {
                let inner = self.inner.lock().await;
                if let Some(e) = &inner.error {
                    return Err(format!("the runtime reported an error: {e}").into());
                }
                if let (Some(first_next), Some((responded, payload))) = (inner.first_next, &inner.responded) {
                    return Ok(Outcome { first_next, responded: *responded, payload: payload.clone() });
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err("no response from the Lambda binary in time".into());
            }
        }
    }
}

async fn next(State(api): State<RuntimeApi>) -> Response {
    let (request_id, event) = {
        let mut inner = api.inner.lock().await;
        inner.first_next.get_or_insert_with(Instant::now);
        (inner.request_id.clone(), inner.event.take())
    };
    let Some(event) = event else {
        // Nothing more to hand out: hold the poll until the process is killed.
        std::future::pending::<()>().await;
        return StatusCode::NO_CONTENT.into_response();
    };
    let deadline_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64 + 30_000)
        .unwrap_or(0);
    (
        [
            ("content-type", "application/json".to_string()),
            ("lambda-runtime-aws-request-id", request_id),
            ("lambda-runtime-deadline-ms", deadline_ms.to_string()),
            ("lambda-runtime-invoked-function-arn", "arn:aws:lambda:us-east-1:123456789012:function:im-fn-user".into()),
            (
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0".into(),
            ),
        ],
        event,
    )
        .into_response()
}

async fn response(State(api): State<RuntimeApi>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    let now = Instant::now();
    let mut inner = api.inner.lock().await;
    if inner.request_id == id && inner.responded.is_none() {
        inner.responded = Some((now, String::from_utf8_lossy(&body).into_owned()));
        api.changed.notify_waiters();
    }
    StatusCode::ACCEPTED
}

async fn record_error(api: &RuntimeApi, what: String) {
    api.inner.lock().await.error = Some(what);
    api.changed.notify_waiters();
}

async fn invocation_error(State(api): State<RuntimeApi>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    record_error(&api, format!("invocation {id}: {}", String::from_utf8_lossy(&body))).await;
    StatusCode::ACCEPTED
}

async fn init_error(State(api): State<RuntimeApi>, body: Bytes) -> StatusCode {
    record_error(&api, format!("init: {}", String::from_utf8_lossy(&body))).await;
    StatusCode::ACCEPTED
}
