//! {{description}}
//!
//! `#[twelve_factor::main]` reads the environment (`PORT`, `HOST`, `HEALTH_PORT`, `RUST_LOG`,
//! `LOG_FORMAT`, `SHUTDOWN_TIMEOUT`, `SHUTDOWN_DELAY`), logs to stdout, serves `/livez` and
//! `/readyz` on `HEALTH_PORT` when it is set, and on SIGTERM turns readiness to 503, keeps
//! serving for `SHUTDOWN_DELAY`, then resolves `app.shutdown()` so in-flight requests drain
//! before the process exits 0.

use axum::{Router, routing::get};

/// All HTTP routes. Kept apart from `main` so tests can call it without a socket.
///
/// No health route here: the probes live on `HEALTH_PORT` (see README.md), where they keep
/// answering while this router drains and are never exposed through the Service.
fn router() -> Router {
    Router::new().route("/", get(index))
}

async fn index() -> &'static str {
    "Hello from {{project-name}}!\n"
}

#[twelve_factor::main(port = {{port}}, log = "{{log_format}}", shutdown_timeout = "{{shutdown_timeout}}s")]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    // Bound on HOST:PORT, or the socket systemd passed (socket activation). From here on
    // `/readyz` answers 200; call `app.not_ready("why")` / `app.ready()` when a dependency
    // comes and goes.
    let listener = app.listener().await?;
    axum::serve(listener, router())
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("all connections drained");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::router;
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    async fn get(path: &str) -> (StatusCode, String) {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let body = to_bytes(response.into_body(), 64 * 1024).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn index_greets() {
        assert_eq!(
            get("/").await,
            (StatusCode::OK, "Hello from {{project-name}}!\n".to_owned())
        );
    }

    #[tokio::test]
    async fn unknown_path_is_not_found() {
        assert_eq!(get("/nope").await.0, StatusCode::NOT_FOUND);
    }
}
