// actix-web's HttpServer as its own examples write it: it takes SIGTERM and SIGINT itself.
use actix_web::{web, App, HttpServer};

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?.into_std()?;
    HttpServer::new(|| App::new().route("/", web::get().to(|| async { "hello" })))
        .listen(listener)?
        .run()
        .await
}
