//! A local Lambda runtime API (the `2018-06-01` interface a custom runtime polls): a function
//! binary started with `AWS_LAMBDA_RUNTIME_API=<address>` fetches events from
//! `GET /runtime/invocation/next` and posts results to `…/{id}/response` or `…/{id}/error`,
//! exactly as on Lambda. [`RuntimeApi::invoke`] queues an event and waits for its result.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{Mutex, mpsc, oneshot};

/// Invocation deadline reported to the function.
const DEADLINE: Duration = Duration::from_secs(60);

/// The result of one invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `POST …/response`: the function's reply.
    Response(Vec<u8>),
    /// `POST …/error`: the error document.
    Error(String),
}

struct Invocation {
    id: String,
    event: Vec<u8>,
}

struct Shared {
    queue: Mutex<mpsc::Receiver<Invocation>>,
    waiting: std::sync::Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    init_error: std::sync::Mutex<Option<String>>,
    /// When the function first asked for an invocation (its init was done).
    first_poll: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Shared {
    fn finish(&self, id: &str, outcome: Outcome) -> StatusCode {
        let tx = self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
        match tx {
            Some(tx) => {
                let _ = tx.send(outcome);
                StatusCode::ACCEPTED
            }
            None => StatusCode::BAD_REQUEST,
        }
    }
}

/// A running runtime API on a loopback port; stops when dropped.
pub struct RuntimeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Invocation>,
    next_id: AtomicU64,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl RuntimeApi {
    /// Binds `127.0.0.1:0` and serves.
    pub async fn start() -> std::io::Result<RuntimeApi> {
        let (tx, rx) = mpsc::channel(64);
        let shared = Arc::new(Shared {
            queue: Mutex::new(rx),
            waiting: std::sync::Mutex::new(HashMap::new()),
            init_error: std::sync::Mutex::new(None),
            first_poll: std::sync::Mutex::new(None),
        });
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(RuntimeApi { addr, shared, tx, next_id: AtomicU64::new(1), server })
    }

    /// The value of `AWS_LAMBDA_RUNTIME_API` (`127.0.0.1:<port>`).
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Queues `event` and waits up to `timeout` for the function's result.
    pub async fn invoke(&self, event: Vec<u8>, timeout: Duration) -> Result<Outcome, String> {
        let id = format!("req-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let (done_tx, done_rx) = oneshot::channel();
        self.shared.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id.clone(), done_tx);
        self.tx.send(Invocation { id: id.clone(), event }).await.map_err(|_| "runtime API stopped".to_string())?;
        match tokio::time::timeout(timeout, done_rx).await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(_)) => Err(format!("{id}: result channel closed")),
            Err(_) => {
                let init = self.init_error().map(|e| format!(" (init error: {e})")).unwrap_or_default();
                Err(format!("{id}: no result within {timeout:?}{init}"))
            }
        }
    }

    /// When the function first polled `/runtime/invocation/next` (end of its init), if it has.
    pub fn first_poll(&self) -> Option<std::time::Instant> {
        *self.shared.first_poll.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the function reported to `/runtime/init/error`, if anything.
    pub fn init_error(&self) -> Option<String> {
        self.shared.init_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

async fn next(State(s): State<Arc<Shared>>) -> Response {
    s.first_poll.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert_with(std::time::Instant::now);
    let inv = s.queue.lock().await.recv().await;
    let Some(inv) = inv else {
        return StatusCode::GONE.into_response();
    };
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d + DEADLINE).as_millis())
        .unwrap_or_default();
    let mut h = HeaderMap::new();
    let pairs = [
        ("lambda-runtime-aws-request-id", inv.id.clone()),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        ("lambda-runtime-invoked-function-arn", "arn:aws:lambda:us-east-1:123456789012:function:local".to_string()),
        ("lambda-runtime-trace-id", format!("Root=1-00000000-{:0>24}", inv.id.len())),
        ("content-type", "application/json".to_string()),
    ];
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    (StatusCode::OK, h, inv.event).into_response()
}

async fn response(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    s.finish(&id, Outcome::Response(body.to_vec()))
}

async fn error(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    s.finish(&id, Outcome::Error(String::from_utf8_lossy(&body).into_owned()))
}

async fn init_error(State(s): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    *s.init_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some(String::from_utf8_lossy(&body).into_owned());
    StatusCode::ACCEPTED
}
