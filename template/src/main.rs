//! {{description}}
//!
//! `#[twelve_factor::main]` reads the environment (`PORT`, `HOST`, `RUST_LOG`, `LOG_FORMAT`,
//! `SHUTDOWN_TIMEOUT`, `SHUTDOWN_DELAY`), logs to stdout, and on SIGTERM resolves
//! `app.shutdown()` so in-flight requests drain before the process exits 0.

use axum::{Router, routing::get};

/// All HTTP routes. Kept apart from `main` so tests can call it without a socket.
fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
}

async fn index() -> &'static str {
    "Hello from {{project-name}}!\n"
}

/// Liveness and readiness probe: answers as long as the process serves requests.
async fn healthz() -> &'static str {
    "ok\n"
}

#[twelve_factor::main(port = {{port}}, log = "{{log_format}}", shutdown_timeout = "{{shutdown_timeout}}s")]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    // Bound on HOST:PORT, or the socket systemd passed (socket activation).
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
    async fn healthz_answers_ok() {
        assert_eq!(get("/healthz").await, (StatusCode::OK, "ok\n".to_owned()));
    }

    #[tokio::test]
    async fn unknown_path_is_not_found() {
        assert_eq!(get("/nope").await.0, StatusCode::NOT_FOUND);
    }
}
