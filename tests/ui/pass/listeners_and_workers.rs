//! Declared listeners and workers, from an async and (below, in a module) a sync `main`.

use twelve_factor::{App, CancellationToken};

#[twelve_factor::main(port = 3000, listeners(admin = 9091, grpc = 50051,))]
async fn main(app: App) -> std::io::Result<()> {
    let _: Option<u16> = app.port_of("admin");
    app.worker("outbox", |stop: CancellationToken| async move {
        stop.cancelled().await;
        Ok::<(), String>(())
    });
    let _admin = app.listener_named("admin").await?;
    sync::run();
    Ok(())
}

mod sync {
    #[twelve_factor::main(listeners(r#metrics = 0))]
    fn main(app: twelve_factor::App) {
        app.worker("queue", |stop| async move {
            stop.cancelled().await;
            Err::<(), _>(std::fmt::Error)
        });
        app.block_until_shutdown();
    }

    pub fn run() {
        if false {
            main();
        }
    }
}
