//! A gRPC service with tonic under the attribute, in the shape tonic services are written
//! (`tonic_health::server::health_reporter()` beside the service, a `Server::builder()` with
//! `add_service`): the attribute's listener handed to tonic as its incoming stream, its shutdown
//! as tonic's graceful shutdown signal. tonic installs no signal handler of its own; at
//! `app.shutdown()` it closes the listener, sends GOAWAY on every connection and waits for the
//! calls in flight, with no deadline of its own: the attribute's `SHUTDOWN_TIMEOUT` is the
//! deadline.
//!
//! The service is the standard `grpc.health.v1.Health` (its code ships in tonic-health, so the
//! example needs no `build.rs` or `protoc`), wrapped so two service names behave like a real
//! service's calls: `slow/<ms>` answers after that many milliseconds, `panic` panics in the
//! handler (logged as an error event on stdout; the client gets an error, the server goes on).
//!
//! ```sh
//! cargo run --example tonic
//! grpcurl -plaintext -d '{"service":"slow/3000"}' localhost:8080 grpc.health.v1.Health/Check &
//! kill -TERM <pid>   # the call in flight still completes
//! ```

use std::time::Duration;
use tonic::transport::server::TcpIncoming;
use tonic::transport::Server;
use tonic::{Request, Response, Status};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};
use tonic_health::server::{HealthReporter, HealthService, WatchStream};

/// tonic-health's service, with a slow call and a panicking one.
struct Checks {
    reported: HealthService,
}

#[tonic::async_trait]
impl Health for Checks {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let service = request.get_ref().service.as_str();
        if service == "panic" {
            panic!("the panic call panics on purpose");
        }
        if let Some(ms) = service.strip_prefix("slow/") {
            let ms: u64 = ms
                .parse()
                .map_err(|_| Status::invalid_argument("slow/<milliseconds>"))?;
            tracing::info!(ms, "slow request started");
            tokio::time::sleep(Duration::from_millis(ms)).await;
            return Ok(Response::new(HealthCheckResponse {
                status: ServingStatus::Serving.into(),
            }));
        }
        self.reported.check(request).await
    }

    type WatchStream = WatchStream;

    async fn watch(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<WatchStream>, Status> {
        self.reported.watch(request).await
    }
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let reporter = HealthReporter::new(); // "" (the whole server) reports SERVING
    let checks = Checks {
        reported: HealthService::from_health_reporter(reporter.clone()),
    };
    let incoming = TcpIncoming::from(app.listener().await?);
    tracing::info!("tonic serving");
    Server::builder()
        .add_service(HealthServer::new(checks))
        .serve_with_incoming_shutdown(incoming, app.shutdown())
        .await?;
    tracing::info!("tonic drained");
    Ok(())
}
