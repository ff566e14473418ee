//! The formation twin with `#[twelve_factor::main]`: two listeners (`PORT`, `ADMIN_PORT`) and
//! two workers; readiness, the order of the stop and the deadline come from the runtime.

#[path = "../../common/serve.rs"]
mod serve;
#[path = "../../common/workers.rs"]
mod workers;

pub use twelve_factor::CancellationToken;

#[twelve_factor::main(listeners(admin = 9091))]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    app.worker("outbox", workers::outbox);
    app.worker("dispatcher", workers::dispatcher);
    let main_listener = app.listener().await?;
    let admin = app.listener_named("admin").await?;
    loop {
        tokio::select! {
            accepted = main_listener.accept() => {
                let (stream, _) = accepted?;
                app.spawn(serve::serve(stream));
            }
            accepted = admin.accept() => {
                let (stream, _) = accepted?;
                app.spawn(serve::serve(stream));
            }
            () = app.shutdown() => break,
        }
    }
    Ok(())
}
