//! Services written the way their framework's own documentation writes them, migrated to the
//! attribute, run as real processes: each answers on `PORT`, keeps serving during
//! `SHUTDOWN_DELAY`, drains an in-flight request and exits 0 after SIGTERM with its own log
//! lines on stdout, logs a handler panic on stdout, and exits 78 with one stderr line for a bad
//! variable. The shapes the attribute refuses are trybuild cases under `tests/ui/frameworks/`.

use crate::support::http::{free_port, get_in_background, http_get, wait_for_port};
use crate::support::process::Service;
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(30);
const EXIT: Duration = Duration::from_secs(20);

/// What a framework's example answers and logs.
struct Shape {
    example: &'static str,
    /// The body of `GET /`.
    hello: &'static str,
    /// A line the service itself logs while starting.
    started: &'static str,
    /// A line the service itself logs after its server returned.
    drained: &'static str,
}

/// The whole contract on one example.
fn contract(shape: &Shape) {
    let port = free_port();
    let port_text = port.to_string();
    let env = [
        ("PORT", port_text.as_str()),
        ("HOST", "127.0.0.1"),
        ("SHUTDOWN_DELAY", "1s"),
    ];
    let service = Service::start(shape.example, &env);
    wait_for_port(port, START);
    assert_eq!(http_get(port, "/").unwrap(), (200, shape.hello.into()));

    // A handler panic is an error event on stdout; the service keeps serving.
    let _ = http_get(port, "/panic");
    service.wait_for_stdout("panics on purpose", START);
    assert!(service.stdout().contains("ERROR"), "{}", service.stdout());
    assert_eq!(http_get(port, "/").unwrap().0, 200);

    // SIGTERM: still serving during SHUTDOWN_DELAY, the in-flight request drains, exit 0.
    let slow = get_in_background(port, "/slow?ms=1500");
    service.wait_for_stdout("slow request started", START);
    let signalled = Instant::now();
    service.kill("TERM");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        http_get(port, "/").map(|r| r.0).ok(),
        Some(200),
        "not serving during SHUTDOWN_DELAY"
    );
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        slow.join().unwrap().unwrap(),
        (200, "slept 1500 ms\n".into())
    );
    assert!(signalled.elapsed() >= Duration::from_millis(1000));
    assert!(exit.stdout.contains(shape.started), "{}", exit.stdout);
    assert!(exit.stdout.contains(shape.drained), "{}", exit.stdout);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);

    // A bad variable: exit 78, one line on stderr.
    let bad = Service::start(shape.example, &[("PORT", "http")]);
    let exit = bad.wait(EXIT);
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    assert_eq!(exit.stderr.lines().count(), 1, "{}", exit.stderr);
    assert!(exit.stderr.contains("PORT"), "{}", exit.stderr);
}

/// A configuration the example's own parser refuses: exit 78 and exactly `stderr`.
fn refused_with_one_line(example: &str, env: &[(&str, &str)], stderr: &str) {
    let exit = Service::start(example, env).wait(EXIT);
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    assert_eq!(exit.stderr, stderr);
}

/// A configuration the example accepts: it logs `configured`, then stops with exit 0 at SIGTERM.
fn configured_then_stops(example: &str, env: &[(&str, &str)], configured: &str) {
    let service = Service::start(example, env);
    service.wait_for_stdout(configured, START);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}

#[test]
fn actix_web_with_the_attributes_shutdown() {
    contract(&Shape {
        example: "actix",
        hello: "hello from actix-web\n",
        started: "actix-web serving",
        drained: "actix-web drained",
    });
}

/// `flavor = "actix"` (the `actix` feature): `main` inside an actix `System`.
#[cfg(feature = "actix")]
#[test]
fn actix_web_inside_an_actix_system() {
    contract(&Shape {
        example: "actix_system",
        hello: "hello from an actix System\n",
        // `System::current()` in `main`, and a task on its arbiter, answered.
        started: "inside an actix System system=0 from_arbiter=0",
        // The actor counted the three `GET /` of the contract and stopped after the drain.
        drained: "actors stopped visits=3",
    });
}

/// poem 3 on the attribute's listener (`TcpAcceptor::from_tokio`) and shutdown.
#[test]
fn poem_with_the_attributes_shutdown() {
    contract(&Shape {
        example: "poem",
        hello: "hello from poem\n",
        started: "poem serving",
        drained: "poem drained",
    });
}

/// poem's drain has no deadline of its own in the recipe (`None`): the attribute's
/// `SHUTDOWN_TIMEOUT` ends a request that outlives it with exit 1, not a quiet exit 0.
#[test]
fn poem_past_the_deadline_exits_1() {
    let port = free_port();
    let port_text = port.to_string();
    let env = [
        ("PORT", port_text.as_str()),
        ("HOST", "127.0.0.1"),
        ("SHUTDOWN_TIMEOUT", "1s"),
    ];
    let service = Service::start("poem", &env);
    wait_for_port(port, START);
    let slow = get_in_background(port, "/slow?ms=8000");
    service.wait_for_stdout("slow request started", START);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(exit.waited < Duration::from_secs(6), "{exit:?}");
    assert!(
        slow.join().unwrap().is_err(),
        "the request outlived the process"
    );
}

/// warp 0.4 on the attribute's listener (`incoming`) and shutdown (`graceful`).
#[test]
fn warp_with_the_attributes_shutdown() {
    contract(&Shape {
        example: "warp",
        hello: "hello from warp\n",
        started: "warp serving",
        drained: "warp drained",
    });
}

/// tonic's gRPC health service, called by tonic's own client over HTTP/2: answers on `PORT`,
/// logs a handler panic on stdout and goes on, still answers new connections during
/// `SHUTDOWN_DELAY`, drains the call in flight, exits 0; a bad variable is exit 78.
#[test]
fn tonic_grpc_with_the_attributes_shutdown() {
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;

    async fn check(port: u16, service: &str) -> Result<i32, String> {
        let channel = tonic::transport::Channel::from_shared(format!("http://127.0.0.1:{port}"))
            .map_err(|e| e.to_string())?
            .connect()
            .await
            .map_err(|e| e.to_string())?;
        let request = HealthCheckRequest {
            service: service.into(),
        };
        let response = HealthClient::new(channel)
            .check(request)
            .await
            .map_err(|status| status.to_string())?;
        Ok(response.into_inner().status)
    }
    const SERVING: Result<i32, String> = Ok(1);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let port = free_port();
    let port_text = port.to_string();
    let env = [
        ("PORT", port_text.as_str()),
        ("HOST", "127.0.0.1"),
        ("SHUTDOWN_DELAY", "1s"),
    ];
    let service = Service::start("tonic", &env);
    wait_for_port(port, START);
    assert_eq!(runtime.block_on(check(port, "")), SERVING);

    // A panic in the handler: an error event on stdout, an error for the caller, and the
    // server goes on.
    assert!(runtime.block_on(check(port, "panic")).is_err());
    service.wait_for_stdout("panics on purpose", START);
    assert!(service.stdout().contains("ERROR"), "{}", service.stdout());
    assert_eq!(runtime.block_on(check(port, "")), SERVING);

    // SIGTERM: new connections still answered during SHUTDOWN_DELAY, the call in flight
    // drains, exit 0.
    let slow = runtime.spawn(check(port, "slow/1500"));
    service.wait_for_stdout("slow request started", START);
    let signalled = Instant::now();
    service.kill("TERM");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        runtime.block_on(check(port, "")),
        SERVING,
        "not serving during SHUTDOWN_DELAY"
    );
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(runtime.block_on(slow).unwrap(), SERVING);
    assert!(signalled.elapsed() >= Duration::from_millis(1000));
    assert!(exit.stdout.contains("tonic serving"), "{}", exit.stdout);
    assert!(exit.stdout.contains("tonic drained"), "{}", exit.stdout);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);

    let bad = Service::start("tonic", &[("PORT", "http")]);
    let exit = bad.wait(EXIT);
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    assert_eq!(exit.stderr.lines().count(), 1, "{}", exit.stderr);
    assert!(exit.stderr.contains("PORT"), "{}", exit.stderr);
}

/// A clap `env = "WORKERS"` field parsed with `try_parse` in `main`: a bad `WORKERS` is the
/// attribute's report (exit 78, one line), not clap's error screen and exit 2; the same
/// mistake on the command line stays clap's.
#[test]
fn clap_env_field_errors_exit_78_with_one_line() {
    refused_with_one_line(
        "clap_env",
        &[("WORKERS", "many")],
        "clap_env: invalid WORKERS=\"many\": invalid digit found in string\n",
    );

    let mut command = Service::command("clap_env", &[]);
    command.env_remove("WORKERS").args(["--workers", "many"]);
    let exit = Service::spawn(command).wait(EXIT);
    assert_eq!(exit.code(), Some(2), "{exit:?}");
    assert!(
        exit.stderr
            .starts_with("error: invalid value 'many' for '--workers <WORKERS>'"),
        "{}",
        exit.stderr
    );

    configured_then_stops("clap_env", &[("WORKERS", "8")], "configured workers=8");
}

/// Configuration read in `main` (as clap or figment would) and returned as `ConfigErrors`.
#[test]
fn configuration_found_in_main_exits_78_with_one_line() {
    refused_with_one_line(
        "config_in_main",
        &[("GREETING_LIMIT", "many")],
        "config_in_main: invalid GREETING_LIMIT=\"many\": expected a whole number\n",
    );
    configured_then_stops(
        "config_in_main",
        &[("GREETING_LIMIT", "5")],
        "configured limit=5",
    );
}

/// figment's extraction in an `anyhow::Result` main: the errors, mapped to their variables and
/// carried through `anyhow` by `?`, are the attribute's report (exit 78, one line), not figment's
/// message with exit 1.
#[test]
fn figment_errors_through_anyhow_exit_78_with_one_line() {
    refused_with_one_line(
        "config_figment",
        &[("APP_WORKERS", "many")],
        "config_figment: invalid APP_WORKERS=\"many\": invalid type: found string \"many\", expected u16\n",
    );
    refused_with_one_line(
        "config_figment",
        &[("APP_QUEUE", "")],
        "config_figment: invalid APP_QUEUE=\"\": must not be empty\n",
    );
    configured_then_stops(
        "config_figment",
        &[("APP_WORKERS", "8")],
        "configured workers=8 queue=orders",
    );
}

/// color-eyre's hooks installed the chaining way: the whole contract.
#[test]
fn color_eyre_service_keeps_the_contract() {
    contract(&Shape {
        example: "color_eyre",
        hello: "hello from color-eyre\n",
        started: "color-eyre service serving",
        drained: "server stopped",
    });
}

/// color-eyre with only its `eyre` hook installed and its panic report chained after the
/// attribute's hook: a handler panic is an ERROR event on stdout and color-eyre's report on
/// stderr, and the service still drains and exits 0.
#[test]
fn color_eyre_keeps_the_panic_on_stdout_and_its_report_on_stderr() {
    let port = free_port();
    let port_text = port.to_string();
    let service = Service::start(
        "color_eyre",
        &[
            ("PORT", port_text.as_str()),
            ("HOST", "127.0.0.1"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    wait_for_port(port, START);
    assert_eq!(
        http_get(port, "/").unwrap(),
        (200, "hello from color-eyre\n".into())
    );
    let _ = http_get(port, "/panic");
    service.wait_for_stdout("panics on purpose", START);
    let panic_line = service
        .stdout()
        .lines()
        .find(|line| line.contains("panics on purpose"))
        .map(str::to_owned)
        .unwrap();
    assert!(panic_line.contains("ERROR"), "{panic_line}");
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(exit.stdout.contains("server stopped"), "{}", exit.stdout);
    assert!(
        exit.stderr.contains("The application panicked (crashed)."),
        "{}",
        exit.stderr
    );
}

/// A synchronous `main` with actix-web on a thread and an actix `System` of its own, bound
/// through `app.std_listener()`.
#[test]
fn actix_web_on_a_thread_of_a_sync_main() {
    contract(&Shape {
        example: "actix_thread",
        hello: "hello from a thread\n",
        started: "actix-web serving on its own thread",
        drained: "actix-web thread drained",
    });
}

/// Raw hyper: an accept loop, `app.spawn` per connection, `graceful_shutdown()` at
/// `app.shutdown()`.
#[test]
fn raw_hyper_with_graceful_shutdown() {
    contract(&Shape {
        example: "hyper",
        hello: "hello from hyper\n",
        started: "hyper serving",
        drained: "hyper stopped accepting",
    });
}

/// At SIGTERM a 32 MiB download in flight is not cut, and an idle keep-alive connection does not
/// hold the drain to the deadline.
#[test]
fn raw_hyper_finishes_a_download_and_closes_idle_keep_alive() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let port = free_port();
    let port_text = port.to_string();
    let env = [
        ("PORT", port_text.as_str()),
        ("HOST", "127.0.0.1"),
        ("SHUTDOWN_TIMEOUT", "20s"),
    ];
    let service = Service::start("hyper", &env);
    wait_for_port(port, START);
    // An idle keep-alive connection: one request answered, then nothing.
    let mut idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 512];
    let n = idle.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("hello from hyper"));
    // A download read slowly (about 1.6 s for 32 MiB).
    let mut download = TcpStream::connect(("127.0.0.1", port)).unwrap();
    download
        .write_all(b"GET /download HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    service.wait_for_stdout("download started", START);
    let reader = std::thread::spawn(move || {
        let mut total = 0usize;
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            match download.read(&mut buffer) {
                Ok(0) | Err(_) => return total,
                Ok(n) => total += n,
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    let signalled = Instant::now();
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        signalled.elapsed() < Duration::from_secs(10),
        "the idle connection held the drain: {:?}",
        signalled.elapsed()
    );
    let received = reader.join().unwrap();
    assert!(received > 32 << 20, "download cut at {received} bytes");
    // The idle connection was closed by the server.
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(idle.read(&mut first).unwrap_or(0), 0);
}

/// `app.reloads()`: SIGHUP reloads in place (RELOADING=1 with MONOTONIC_USEC, then READY=1)
/// and the service keeps serving; SIGTERM still stops it.
#[cfg(target_os = "linux")]
#[test]
fn sighup_reloads_a_service_that_asked() {
    use crate::support::notify::NotifySocket;
    let notify = NotifySocket::path();
    let port = free_port();
    let port_text = port.to_string();
    let env = [
        ("PORT", port_text.as_str()),
        ("HOST", "127.0.0.1"),
        ("NOTIFY_SOCKET", notify.env.as_str()),
    ];
    let service = Service::start("reload", &env);
    notify.expect("READY=1", START);
    assert_eq!(http_get(port, "/").unwrap(), (200, "generation 1\n".into()));
    for generation in 2..=3 {
        service.kill("HUP");
        let (_, reloading, _) = notify.expect("RELOADING=1", START);
        let usec = reloading
            .lines()
            .find_map(|l| l.strip_prefix("MONOTONIC_USEC="))
            .and_then(|v| v.parse::<u64>().ok());
        assert!(usec.is_some_and(|v| v > 0), "{reloading:?}");
        notify.expect("READY=1", START);
        assert_eq!(
            http_get(port, "/").unwrap(),
            (200, format!("generation {generation}\n"))
        );
    }
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        exit.stdout.matches("received SIGHUP, reloading").count(),
        2,
        "{}",
        exit.stdout
    );
    assert!(exit.stdout.contains("configuration reloaded generation=3"));
    assert!(exit.stdout.contains("reload example stopped"));
}
