//! One binary, several process types (factor VIII) and one-off admin processes (factor XII):
//! `web` serves HTTP on `PORT`, `worker` binds nothing and says `ready()` itself (its probes
//! answer on `HEALTH_PORT`), `release` and `export` run once and exit.
//!
//! ```sh
//! cargo run --example process_types                  # web, the default
//! cargo run --example process_types -- worker        # or PROCESS_TYPE=worker
//! cargo run --example process_types -- release --dry-run
//! cargo run --example process_types -- export > dump.json
//! cargo run --example process_types -- --help
//! ```

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twelve_factor::{App, Config, Process};

/// What this binary runs.
#[derive(Debug, Process)]
enum Kind {
    /// Serves HTTP on PORT.
    #[process(default)]
    Web,
    /// Consumes the job queue; binds nothing.
    Worker,
    /// Runs the database migrations, then exits.
    #[process(one_off)]
    Release,
    /// Writes every record to stdout as JSON, then exits.
    #[process(one_off)]
    Export,
}

/// Settings of the example.
#[derive(Config)]
struct Settings {
    /// Makes the release fail, to show its exit code.
    #[config(default = "false")]
    release_fail: bool,
}

#[twelve_factor::main]
async fn main(kind: Kind, app: App, settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    match kind {
        Kind::Web => {
            let listener = app.listener().await?;
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let (mut stream, _) = accepted?;
                        app.spawn(async move {
                            // Read the request first: closing with unread bytes resets the
                            // connection before the client reads the answer.
                            let mut request = [0_u8; 1024];
                            let _ = stream.read(&mut request).await;
                            let _ = stream
                                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\nconnection: close\r\n\r\nweb\n")
                                .await;
                        });
                    }
                    () = app.shutdown() => break,
                }
            }
        }
        Kind::Worker => {
            // Connect to the queue, then say so: `/readyz` on HEALTH_PORT answers 200 from here.
            app.ready();
            tracing::info!("worker waiting for jobs");
            app.shutdown().await;
        }
        Kind::Release => {
            if settings.release_fail {
                return Err("migration 0042 failed: relation \"orders\" already exists".into());
            }
            // A one-off cannot listen: it reads no PORT.
            let refused = app.listener().await.is_err();
            println!(
                "migrated (args: {:?}, listener refused: {refused})",
                app.args()
            );
        }
        Kind::Export => {
            println!("[{{\"id\":1}},{{\"id\":2}}]");
        }
    }
    Ok(())
}
