// The program from the foundation issue's acceptance list: compiles against the facade alone
// (plus tokio's macros/io-util for its own use) and returns `Result<(), Box<dyn Error>>`.
use tokio::io::AsyncWriteExt;

#[twelve_factor::main(port = 0)]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    let listener = app.listener().await?;
    let addr = listener.local_addr()?;
    assert_eq!(app.port(), 0);
    // A client, so that one connection is accepted and served by a tracked task.
    let client = tokio::spawn(async move { tokio::net::TcpStream::connect(addr).await });
    let token = app.cancellation_token();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (mut stream, _) = accepted?;
                app.spawn(async move {
                    let _ = stream.write_all(b"hi\n").await;
                });
                // Shut down after the first connection, as a signal would.
                token.cancel();
            }
            () = app.shutdown() => break,
        }
    }
    client.await??;
    Ok(())
}
