//! color-eyre beside the attribute's panic hook. `color_eyre::install()` would replace the hook
//! that logs panics as ERROR events on stdout (and is refused at compile time); installing only
//! the `eyre` hook and chaining color-eyre's panic report keeps both: the ERROR event on stdout
//! for the log pipeline, the coloured report on stderr for the developer.
//!
//! ```sh
//! cargo run --example color_eyre
//! curl localhost:8080/panic   # an ERROR line on stdout, color-eyre's report on stderr
//! ```

use axum::routing::get;
use axum::Router;

async fn panics() -> &'static str {
    panic!("the /panic route panics on purpose")
}

#[derive(serde::Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(axum::extract::Query(Slow { ms }): axum::extract::Query<Slow>) -> String {
    tracing::info!(ms, "slow request started");
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    format!("slept {ms} ms\n")
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> color_eyre::Result<()> {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    eyre_hook.install()?;
    let ours = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ours(info);
        eprintln!("{}", panic_hook.panic_report(info));
    }));

    let router = Router::new()
        .route("/", get(|| async { "hello from color-eyre\n" }))
        .route("/panic", get(panics))
        .route("/slow", get(slow));
    let listener = app.listener().await?;
    tracing::info!("color-eyre service serving");
    axum::serve(listener, router)
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("server stopped");
    Ok(())
}
