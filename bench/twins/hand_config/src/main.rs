//! The `hand` twin plus the same 20 variables as `tf_config`, parsed by hand the way a careful
//! service does it: every bad variable is reported (one line each on stderr), then exit 78.

#[path = "../../common/serve.rs"]
mod serve;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let port: u16 = match std::env::var("PORT") {
        Err(_) => 8080,
        Ok(text) => match text.parse() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("invalid PORT={text:?}: expected an integer from 0 to 65535");
                return ExitCode::from(78);
            }
        },
    };
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(errors) => {
            for error in errors {
                eprintln!("{error}");
            }
            return ExitCode::from(78);
        }
    };
    // The same log contract as the twin: text by default, one JSON object per line with
    // LOG_FORMAT=json.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stdout);
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }

    let shutdown = CancellationToken::new();
    let (mut term, mut int) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(term), Ok(int)) => (term, int),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "cannot install signal handlers");
            return ExitCode::FAILURE;
        }
    };
    let token = shutdown.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("received SIGTERM, shutting down"),
            _ = int.recv() => tracing::info!("received SIGINT, shutting down"),
        }
        token.cancel();
    });

    let listener = match TcpListener::bind(("0.0.0.0", port)).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, port, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %listener.local_addr().map_or_else(|e| e.to_string(), |a| a.to_string()), "listening");
    tracing::info!(port, workers = settings.workers, "twin ready");
    tracing::debug!("{settings:?}");
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tracker.spawn(serve::serve(stream));
                }
                Err(error) => {
                    tracing::error!(%error, "accept failed");
                    return ExitCode::FAILURE;
                }
            },
            () = shutdown.cancelled() => break,
        }
    }
    drop(listener);
    tracker.close();
    match tokio::time::timeout(Duration::from_secs(9), tracker.wait()).await {
        Ok(()) => {
            tracing::info!("shutdown complete");
            ExitCode::SUCCESS
        }
        Err(_) => {
            tracing::error!(tasks = tracker.len(), "shutdown deadline passed");
            ExitCode::FAILURE
        }
    }
}

/// The same 20 variables as `tf_config`'s `Settings`.
#[derive(Debug)]
#[allow(dead_code)] // read through Debug only, like the twin
struct Settings {
    database_url: String,
    redis_url: String,
    api_token: String,
    workers: u16,
    max_connections: u32,
    request_timeout: Duration,
    idle_timeout: Duration,
    cache_ttl: Duration,
    cache_size: u64,
    upstream: Option<String>,
    features: Vec<String>,
    allowed_origins: Vec<String>,
    dry_run: bool,
    metrics_enabled: bool,
    region: String,
    admin_addr: SocketAddr,
    retry_attempts: u8,
    retry_backoff: Duration,
    max_body_bytes: usize,
    sample_rate: f64,
}

impl Settings {
    fn from_env() -> Result<Settings, Vec<String>> {
        let mut errors = Vec::new();
        let mut required = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                errors.push(format!("missing {name}"));
                String::new()
            })
        };
        let database_url = required("SVC_DATABASE_URL");
        let redis_url = required("SVC_REDIS_URL");
        let api_token = required("SVC_API_TOKEN");
        let settings = Settings {
            database_url,
            redis_url,
            api_token,
            workers: parsed("SVC_WORKERS", "4", &mut errors).unwrap_or_default(),
            max_connections: parsed("SVC_MAX_CONNECTIONS", "100", &mut errors).unwrap_or_default(),
            request_timeout: duration("SVC_REQUEST_TIMEOUT", "30s", &mut errors),
            idle_timeout: duration("SVC_IDLE_TIMEOUT", "90s", &mut errors),
            cache_ttl: duration("SVC_CACHE_TTL", "5m", &mut errors),
            cache_size: parsed("SVC_CACHE_SIZE", "10000", &mut errors).unwrap_or_default(),
            upstream: std::env::var("SVC_UPSTREAM").ok(),
            features: list("SVC_FEATURES"),
            allowed_origins: list("SVC_ALLOWED_ORIGINS"),
            dry_run: boolean("SVC_DRY_RUN", "false", &mut errors),
            metrics_enabled: boolean("SVC_METRICS_ENABLED", "true", &mut errors),
            region: std::env::var("SVC_REGION").unwrap_or_else(|_| "eu-west-1".to_owned()),
            admin_addr: parsed("SVC_ADMIN_ADDR", "127.0.0.1:9100", &mut errors)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 9100))),
            retry_attempts: parsed("SVC_RETRY_ATTEMPTS", "3", &mut errors).unwrap_or_default(),
            retry_backoff: duration("SVC_RETRY_BACKOFF", "200ms", &mut errors),
            max_body_bytes: parsed("SVC_MAX_BODY_BYTES", "1048576", &mut errors)
                .unwrap_or_default(),
            sample_rate: parsed("SVC_SAMPLE_RATE", "0.1", &mut errors).unwrap_or_default(),
        };
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

fn text(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn parsed<T>(name: &str, default: &str, errors: &mut Vec<String>) -> Option<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let value = text(name, default);
    value
        .parse()
        .map_err(|error| errors.push(format!("invalid {name}={value:?}: {error}")))
        .ok()
}

fn boolean(name: &str, default: &str, errors: &mut Vec<String>) -> bool {
    match text(name, default).to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => true,
        "false" | "0" | "no" | "off" => false,
        other => {
            errors.push(format!("invalid {name}={other:?}: expected true or false"));
            false
        }
    }
}

fn duration(name: &str, default: &str, errors: &mut Vec<String>) -> Duration {
    let value = text(name, default);
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (digits, unit) = value.split_at(split);
    let millis = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => 0,
    };
    match digits.parse::<u64>() {
        Ok(n) if millis > 0 => Duration::from_millis(n.saturating_mul(millis)),
        _ => {
            errors.push(format!(
                "invalid {name}={value:?}: expected e.g. 30s or 500ms"
            ));
            Duration::ZERO
        }
    }
}

fn list(name: &str) -> Vec<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
        .map(|value| {
            value
                .split(',')
                .map(|item| item.trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
