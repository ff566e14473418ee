//! {{description}}
//!
//! `#[twelve_factor::main]` reads the environment (`PORT`, `HOST`, `HEALTH_PORT`, `RUST_LOG`,
//! `LOG_FORMAT`, `SHUTDOWN_TIMEOUT`, `SHUTDOWN_DELAY`, and the fields of `Settings`), logs to
//! stdout, serves `/livez` and
//! `/readyz` on `HEALTH_PORT` when it is set, and on SIGTERM turns readiness to 503, keeps
//! serving for `SHUTDOWN_DELAY`, then resolves `app.shutdown()` so in-flight requests drain
//! before the process exits 0.

use axum::{Router, routing::get};

/// What this binary runs: the first argument, else `PROCESS_TYPE`, else `web`. One build, one
/// image; the Procfile, `deploy/k8s/` and the systemd template unit run each type from it.
#[derive(Debug, twelve_factor::Process)]
enum Kind {
    /// Serves HTTP on PORT.
    #[process(default)]
    Web,
    /// Background jobs; binds nothing, its probes answer on HEALTH_PORT once it is ready.
    Worker,
    /// Runs before each deploy (migrations), then exits; reads no PORT and binds nothing.
    #[process(one_off)]
    Release,
}

/// This service's own variables, read and validated with the built-in ones before it starts.
/// Add a field per variable; its doc comment is its description in `env_table` and README.md.
#[derive(Debug, twelve_factor::Config)]
struct Settings {
    /// First word of the response to `/`.
    #[config(default = "Hello")]
    greeting: String,
}

/// All HTTP routes. Kept apart from `main` so tests can call it without a socket.
///
/// No health route here: the probes live on `HEALTH_PORT` (see README.md), where they keep
/// answering while this router drains and are never exposed through the Service.
fn router(settings: &Settings) -> Router {
    let index = format!("{} from {{project-name}}!\n", settings.greeting);
    Router::new().route("/", get(move || async move { index }))
}

#[twelve_factor::main(port = {{port}}, log = "{{log_format}}", shutdown_timeout = "{{shutdown_timeout}}s")]
async fn main(
    app: twelve_factor::App,
    kind: Kind,
    settings: Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    match kind {
        Kind::Web => {}
        Kind::Worker => {
            // Connect to your queue here and run the job loop in `app.spawn(..)` (the drain
            // waits for it), then say so: /readyz on HEALTH_PORT answers 200 from now on.
            app.ready();
            tracing::info!("worker ready");
            app.shutdown().await;
            return Ok(());
        }
        Kind::Release => {
            // Migrations and other one-off tasks; stdout is this task's output.
            println!("release: nothing to migrate");
            return Ok(());
        }
    }
    // Bound on HOST:PORT, or the socket systemd passed (socket activation). From here on
    // `/readyz` answers 200; call `app.not_ready("why")` / `app.ready()` when a dependency
    // comes and goes.
    let listener = app.listener().await?;
    axum::serve(listener, router(&settings))
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("all connections drained");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Settings, router};
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    async fn get(path: &str) -> (StatusCode, String) {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let settings = Settings::from_map([("GREETING", "Hi")]).unwrap();
        let response = router(&settings).oneshot(request).await.unwrap();
        let status = response.status();
        let body = to_bytes(response.into_body(), 64 * 1024).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn index_uses_the_greeting() {
        assert_eq!(
            get("/").await,
            (StatusCode::OK, "Hi from {{project-name}}!\n".to_owned())
        );
    }

    #[test]
    fn greeting_has_a_default() {
        let settings = Settings::from_map(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(settings.greeting, "Hello");
    }

    /// README.md's variable table is the one `env_table` generates from the code.
    #[test]
    fn readme_lists_every_variable() {
        let table = twelve_factor::env_table::<Settings>();
        assert!(
            include_str!("../README.md").contains(&table),
            "README.md's variable table is out of date; replace it with:\n{table}"
        );
    }

    #[tokio::test]
    async fn unknown_path_is_not_found() {
        assert_eq!(get("/nope").await.0, StatusCode::NOT_FOUND);
    }
}
