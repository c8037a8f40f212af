//! Lambda entry glue: one router serves the Lambda runtime or, off Lambda, a local listener.

use axum::Router;

/// Error type of [`run`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves `router`: on the Lambda runtime when `AWS_LAMBDA_RUNTIME_API` is set, otherwise on
/// `IM_HTTP_ADDR` (default `127.0.0.1:10002`) until SIGTERM/Ctrl-C.
pub async fn run(router: Router) -> Result<(), BoxError> {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return lambda_http::run(router).await;
    }
    let addr = std::env::var("IM_HTTP_ADDR").unwrap_or_else(|_| "127.0.0.1:10002".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!(%addr, "serving outside Lambda");
    crate::server::serve(listener, router, crate::server::shutdown_signal()).await?;
    Ok(())
}
