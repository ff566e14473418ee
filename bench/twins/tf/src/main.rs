//! The twin written with `#[twelve_factor::main]`: PORT, stdout logs, SIGTERM/SIGINT/SIGHUP,
//! the drain of every spawned connection under a deadline, and the exit code all come from the
//! attribute.

#[path = "../../common/serve.rs"]
mod serve;

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    let listener = app.listener().await?;
    tracing::info!(port = app.port(), "twin ready");
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                app.spawn(serve::serve(stream));
            }
            () = app.shutdown() => break,
        }
    }
    Ok(())
}
