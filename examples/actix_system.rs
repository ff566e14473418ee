//! actix-web with an actor under `flavor = "actix"` (the `actix` feature): `main` runs inside an
//! actix `System`, as under `#[actix_web::main]`, so `System::current()`, its arbiter and actors
//! work, with the attribute's listener, shutdown and deadline handed to `HttpServer`. Each
//! `GET /` sends a message to a `Visits` actor started in `main`; after the server drained,
//! `main` stops the actor and waits for its `stopped`, so the stop runs in order: stop
//! accepting, drain the requests, stop the actor, exit.
//!
//! ```sh
//! cargo run --features actix --example actix_system
//! ```

use actix::{Actor, ActorContext, Addr, Context, Handler, Message};
use actix_web::rt::System;
use actix_web::{web, App, HttpServer};
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(query: web::Query<Slow>) -> String {
    tracing::info!(ms = query.ms, "slow request started");
    tokio::time::sleep(Duration::from_millis(query.ms)).await;
    format!("slept {} ms\n", query.ms)
}

/// Counts the visits of `/`; says how many when it stops.
struct Visits {
    count: u64,
    stopped: Option<tokio::sync::oneshot::Sender<u64>>,
}

impl Actor for Visits {
    type Context = Context<Self>;

    fn stopped(&mut self, _: &mut Context<Self>) {
        tracing::info!(visits = self.count, "visits actor stopped");
        if let Some(stopped) = self.stopped.take() {
            let _ = stopped.send(self.count);
        }
    }
}

/// One more visit; answers the count so far.
#[derive(Message)]
#[rtype(result = "u64")]
struct Visit;

impl Handler<Visit> for Visits {
    type Result = u64;

    fn handle(&mut self, _: Visit, _: &mut Context<Self>) -> u64 {
        self.count += 1;
        self.count
    }
}

/// Stop the actor.
#[derive(Message)]
#[rtype(result = "()")]
struct Stop;

impl Handler<Stop> for Visits {
    type Result = ();

    fn handle(&mut self, _: Stop, context: &mut Context<Self>) {
        context.stop();
    }
}

async fn hello(visits: web::Data<Addr<Visits>>) -> &'static str {
    if let Ok(visit) = visits.send(Visit).await {
        tracing::info!(visit, "visit counted");
    }
    "hello from an actix System\n"
}

async fn panics() -> &'static str {
    panic!("the /panic route panics on purpose");
}

#[twelve_factor::main(flavor = "actix")]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    // Panics outside an actix System.
    let system = System::current();
    let (answer, answered) = tokio::sync::oneshot::channel();
    system.arbiter().spawn(async move {
        let _ = answer.send(System::current().id());
    });
    let from_arbiter = answered.await.unwrap_or(usize::MAX);
    tracing::info!(system = system.id(), from_arbiter, "inside an actix System");

    let (stopped, actor_stopped) = tokio::sync::oneshot::channel();
    let visits = Visits {
        count: 0,
        stopped: Some(stopped),
    }
    .start();

    let listener = app.listener().await?.into_std()?;
    let handlers = visits.clone();
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(handlers.clone()))
            .route("/", web::get().to(hello))
            .route("/slow", web::get().to(slow))
            .route("/panic", web::get().to(panics))
    })
    .workers(2)
    .listen(listener)?
    .shutdown_signal(app.shutdown())
    .shutdown_timeout(app.shutdown_timeout().as_secs())
    .run()
    .await?;
    tracing::info!("actix System drained");
    let _ = visits.send(Stop).await;
    let visits = actor_stopped.await.unwrap_or_default();
    tracing::info!(visits, "actors stopped");
    Ok(())
}
