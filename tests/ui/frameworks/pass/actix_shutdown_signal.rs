// The recipe: the attribute's listener, its shutdown and its deadline handed to actix-web. The
// shutdown is started at once (as a signal would), so the server stops and the program exits 0.
use actix_web::{web, App, HttpServer};

#[twelve_factor::main(port = 0)]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?.into_std()?;
    app.cancellation_token().cancel();
    HttpServer::new(|| App::new().route("/", web::get().to(|| async { "hello" })))
        .listen(listener)?
        .shutdown_signal(app.shutdown())
        .shutdown_timeout(app.shutdown_timeout().as_secs())
        .run()
        .await
}
