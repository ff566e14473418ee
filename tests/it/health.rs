//! The probe listener (`HEALTH_PORT`) and readiness, end to end: the `probes` example runs as a
//! real process, gets real signals from `kill`, and is probed over real sockets the way
//! Kubernetes, HAProxy and curl probe a service.
//!
//! Several cases re-create the shapes public services use for readiness and shutdown (in our
//! own words): a kube-apiserver style `/readyz` that fails from the first moment of termination
//! while `/livez` keeps passing; the Go/axum pattern of a readiness flag flipped on SIGTERM,
//! a sleep while still serving, then a drain; an axum `/readyz` that turns 503 while its
//! database is unreachable; and the requests real probers send (kubelet's, HAProxy's HTTP/1.0
//! `option httpchk` without a Host header, `curl -I`/`wget --spider` HEAD requests).
use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::notify::NotifySocket;
use crate::support::process::Service;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LONG: Duration = Duration::from_secs(60);

/// A parsed probe answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Sends `request` as is to 127.0.0.1:`port` and reads the answer up to the server's close.
fn raw(port: u16, request: &[u8]) -> std::io::Result<Answer> {
    raw_with_timeout(port, request, Duration::from_secs(10))
}

fn raw_with_timeout(port: u16, request: &[u8], timeout: Duration) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(request)?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no end of head in {text:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    Ok(Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    })
}

/// `GET path` on the probe port, as kubelet sends it.
fn probe(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: kube-probe/1.34\r\n\
         Accept: */*\r\nConnection: close\r\n\r\n"
    );
    raw(port, request.as_bytes()).map(|answer| (answer.status, answer.body))
}

/// The probes example on a free port with a free `HEALTH_PORT`, started but not waited for.
struct Probed {
    service: Service,
    port: u16,
    health: u16,
}

fn start(name: &str, env: &[(&str, &str)]) -> Probed {
    let port = free_port();
    let mut health = free_port();
    while health == port {
        health = free_port();
    }
    let (port_text, health_text) = (port.to_string(), health.to_string());
    let mut env = env.to_vec();
    env.extend([
        ("PORT", port_text.as_str()),
        ("HEALTH_PORT", health_text.as_str()),
        ("HOST", "127.0.0.1"),
    ]);
    let service = Service::start(name, &env);
    wait_for_port(health, LONG);
    Probed {
        service,
        port,
        health,
    }
}

fn ok(body: &str) -> (u16, String) {
    (200, format!("{body}\n"))
}

fn unavailable(reason: &str) -> (u16, String) {
    (503, format!("not ready: {reason}\n"))
}

#[test]
fn readiness_follows_start_bind_not_ready_and_ready() {
    let notify = NotifySocket::path();
    let p = start(
        "probes",
        &[("BIND_AFTER_MS", "1500"), ("NOTIFY_SOCKET", &notify.env)],
    );
    // Before main binds: alive, not ready, and the main port is not open yet.
    assert_eq!(probe(p.health, "/readyz").unwrap(), unavailable("starting"));
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    assert!(TcpStream::connect(("127.0.0.1", p.port)).is_err());

    // Bound: ready, and systemd hears READY=1 at the same time.
    wait_for_port(p.port, LONG);
    let (_, ready, _) = notify.expect("READY=1", LONG);
    assert!(
        ready.contains("STATUS=listening on 127.0.0.1:"),
        "{ready:?}"
    );
    assert_eq!(probe(p.health, "/readyz").unwrap(), ok("ready"));

    // The database went away (as an axum handler pinging its pool would notice).
    let said = http_get(p.port, "/not-ready?reason=database%20unreachable").unwrap();
    assert_eq!(said, ok("not ready: database unreachable"));
    assert_eq!(
        probe(p.health, "/readyz").unwrap(),
        unavailable("database unreachable")
    );
    // The same state on the main port, through app.readiness().
    assert_eq!(
        http_get(p.port, "/readyz").unwrap(),
        unavailable("database unreachable")
    );
    let (_, status, _) = notify.expect("STATUS=not ready: database unreachable", LONG);
    assert!(!status.contains("READY=1"), "{status:?}");
    // Not ready is not dead: liveness and the service itself carry on.
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    assert_eq!(http_get(p.port, "/").unwrap(), ok("ok"));

    assert_eq!(http_get(p.port, "/ready").unwrap(), ok("ready"));
    assert_eq!(probe(p.health, "/readyz").unwrap(), ok("ready"));
    notify.expect("STATUS=ready", LONG);

    p.service.kill("TERM");
    let exit = p.service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        exit.stdout
            .contains("not ready: database unreachable reason=database unreachable"),
        "{}",
        exit.stdout
    );
    assert!(exit.stdout.contains("ready again"), "{}", exit.stdout);
}

#[test]
fn not_ready_before_binding_holds_until_ready() {
    let notify = NotifySocket::path();
    let p = start(
        "probes",
        &[
            ("NOT_READY", "warming the cache"),
            ("NOTIFY_SOCKET", &notify.env),
        ],
    );
    wait_for_port(p.port, LONG);
    // Listening, but the program said it is not ready: binding does not override that, and
    // systemd is not told READY=1 yet.
    assert_eq!(
        probe(p.health, "/readyz").unwrap(),
        unavailable("warming the cache")
    );
    let early: Vec<String> = notify
        .collect(Duration::from_millis(500))
        .into_iter()
        .map(|(_, message)| message)
        .collect();
    assert!(
        early.iter().all(|m| !m.lines().any(|l| l == "READY=1")),
        "{early:?}"
    );
    assert!(
        early
            .iter()
            .any(|m| m.contains("STATUS=not ready: warming the cache")),
        "{early:?}"
    );
    assert_eq!(http_get(p.port, "/ready").unwrap(), ok("ready"));
    notify.expect("READY=1", LONG);
    assert_eq!(probe(p.health, "/readyz").unwrap(), ok("ready"));
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

/// One probe result: when (from the signal), which path, what it answered (`None`: refused or
/// no answer).
type Sample = (Duration, &'static str, Option<(u16, String)>);

/// Probes `/readyz` and `/livez` every 25 ms until `stop`, recording the answers.
fn poll_probes(
    health: u16,
    since: Instant,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<Sample>> {
    std::thread::spawn(move || {
        let mut samples = Vec::new();
        while !stop.load(Ordering::Acquire) {
            for path in ["/readyz", "/livez"] {
                let answer = raw_with_timeout(
                    health,
                    format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
                    Duration::from_secs(2),
                )
                .ok()
                .map(|a| (a.status, a.body));
                samples.push((since.elapsed(), path, answer));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        samples
    })
}

#[test]
fn stop_sequence_readiness_then_delay_then_drain_then_exit() {
    let p = start(
        "probes",
        &[("SHUTDOWN_DELAY", "1500ms"), ("SHUTDOWN_TIMEOUT", "10s")],
    );
    wait_for_port(p.port, LONG);
    assert_eq!(probe(p.health, "/readyz").unwrap(), ok("ready"));
    // A request in flight that outlasts the delay, so the drain has something to wait for.
    let port = p.port;
    let slow = std::thread::spawn(move || http_get(port, "/slow?ms=3500"));
    std::thread::sleep(Duration::from_millis(300));

    let signalled = Instant::now();
    p.service.kill("TERM");
    let stop = Arc::new(AtomicBool::new(false));
    let poller = poll_probes(p.health, signalled, stop.clone());

    // The delay: readiness is 503 at once, while the main port still takes new requests.
    let mut served_during_delay = 0;
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(
        probe(p.health, "/readyz").unwrap(),
        unavailable("shutting down")
    );
    assert_eq!(
        probe(p.health, "/readyz?verbose").unwrap(),
        unavailable("shutting down")
    );
    while signalled.elapsed() < Duration::from_millis(1200) {
        assert_eq!(
            http_get(p.port, "/").unwrap(),
            ok("ok"),
            "main port during the delay"
        );
        assert_eq!(
            http_get(p.port, "/readyz").unwrap(),
            unavailable("shutting down"),
            "app.readiness() during the delay"
        );
        served_during_delay += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(served_during_delay >= 5, "{served_during_delay}");

    // The drain: the main listener is closed, the slow request is still running, and the
    // probes still answer (liveness passes, so the kubelet leaves the draining pod alone).
    while signalled.elapsed() < Duration::from_millis(2000) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        TcpStream::connect(("127.0.0.1", p.port)).is_err(),
        "main port still accepting after SHUTDOWN_DELAY"
    );
    assert!(
        !slow.is_finished(),
        "the slow request ended before the drain was observed"
    );
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    assert_eq!(
        probe(p.health, "/readyz").unwrap(),
        unavailable("shutting down")
    );

    let exit = p.service.wait(LONG);
    let total = signalled.elapsed();
    stop.store(true, Ordering::Release);
    let samples = poller.join().unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(slow.join().unwrap().unwrap(), ok("slept 3500 ms"));
    assert!(
        total >= Duration::from_millis(3000),
        "exited {total:?} after SIGTERM"
    );
    // After the exit nothing listens on the probe port.
    assert!(TcpStream::connect(("127.0.0.1", p.health)).is_err());

    // Every probe answered while the process lived. Readiness turned 503 as soon as the
    // runtime handled the signal (a probe racing the delivery may still see 200) and never
    // went back; liveness was 200 throughout. A probe may find the port closed only in the
    // last moments.
    let answered: Vec<&Sample> = samples.iter().filter(|s| s.2.is_some()).collect();
    let last_answer = answered.last().map(|s| s.0).unwrap_or_default();
    assert!(
        last_answer >= Duration::from_millis(2800),
        "probes stopped answering {last_answer:?} after SIGTERM: {samples:?}"
    );
    let first_503 = answered
        .iter()
        .find(|s| s.1 == "/readyz" && s.2.as_ref().is_some_and(|a| a.0 == 503))
        .map(|s| s.0)
        .expect("readiness never turned 503");
    assert!(
        first_503 < Duration::from_millis(100),
        "readiness turned 503 only {first_503:?} after SIGTERM"
    );
    for (at, path, answer) in &answered {
        let answer = answer.as_ref().unwrap();
        match *path {
            "/readyz" if *at >= first_503 => {
                assert_eq!(*answer, unavailable("shutting down"), "at {at:?}")
            }
            "/readyz" => assert_eq!(*answer, ok("ready"), "at {at:?}"),
            _ => assert_eq!(*answer, ok("ok"), "/livez at {at:?}"),
        }
    }
    let refused_early = samples
        .iter()
        .filter(|s| s.2.is_none() && s.0 < last_answer)
        .count();
    assert_eq!(
        refused_early, 0,
        "probes failed before the exit: {samples:?}"
    );
    eprintln!(
        "stop sequence: readiness 503 {first_503:?} after SIGTERM; {} probes answered over \
         {total:?}; {served_during_delay} main-port requests during the delay",
        answered.len()
    );
}

#[test]
fn idle_and_slow_probe_connections_do_not_delay_the_exit() {
    let p = start("probes", &[]);
    wait_for_port(p.port, LONG);
    // One idle, one with half a head, one trickling a byte every 100 ms.
    let idle = TcpStream::connect(("127.0.0.1", p.health)).unwrap();
    let mut partial = TcpStream::connect(("127.0.0.1", p.health)).unwrap();
    partial.write_all(b"GET /readyz HTTP/1.1\r\nHost").unwrap();
    let mut trickle = TcpStream::connect(("127.0.0.1", p.health)).unwrap();
    let trickling = std::thread::spawn(move || {
        for byte in b"GET /livez HTTP/1.1\r\nX-Slow: ".iter().cycle().take(200) {
            if trickle.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    p.service.kill("TERM");
    let exit = p.service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    // The head timeout is 5 s: an exit within 3 s shows nobody waited for these connections.
    assert!(
        exit.waited < Duration::from_secs(3),
        "exit took {:?} with idle probe connections open",
        exit.waited
    );
    trickling.join().unwrap();
    drop((idle, partial));
}

#[test]
fn idle_probe_connection_is_closed_after_the_head_timeout() {
    let p = start("probes", &[]);
    let started = Instant::now();
    let mut idle = TcpStream::connect(("127.0.0.1", p.health)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = String::new();
    idle.read_to_string(&mut answer).unwrap();
    let took = started.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{answer:?}"
    );
    assert!(
        took >= Duration::from_millis(4500) && took < Duration::from_secs(15),
        "closed after {took:?}"
    );
    // The listener serves others meanwhile and afterwards.
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

/// Whether the server has closed `stream` (peek sees the end of the stream or an error).
fn closed_by_server(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0_u8; 1];
    !matches!(stream.peek(&mut byte), Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn a_flood_of_idle_probe_connections_sheds_the_oldest_not_the_probe() {
    let p = start("probes", &[]);
    // Let the connection `start` probed the port with end (it holds a slot until then).
    std::thread::sleep(Duration::from_millis(300));
    // 64 idle connections take every slot (each would be held up to the 5 s head timeout).
    let idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(("127.0.0.1", p.health)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let closed = idle
        .iter()
        .filter(|stream| closed_by_server(stream))
        .count();
    assert_eq!(
        closed, 0,
        "the server closed idle connections below the limit"
    );
    // The 65th, a real probe, takes the oldest one's slot and is answered at once.
    let started = Instant::now();
    let answer = raw_with_timeout(
        p.health,
        b"GET /livez HTTP/1.1\r\n\r\n",
        Duration::from_secs(4),
    )
    .expect("the probe beyond the limit is answered");
    assert_eq!(answer.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(200));
    let closed: Vec<usize> = (0..idle.len())
        .filter(|&index| closed_by_server(&idle[index]))
        .collect();
    assert_eq!(closed, [0], "exactly the oldest idle connection is shed");
    drop(idle);
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

/// Slowloris on the probe port: 500 connections opened and held without a byte sent (a scanner,
/// a misconfigured balancer, an attacker). A real probe sent after them is answered within a
/// second, every time, and so is one sent while the idle connections keep arriving.
#[test]
fn five_hundred_idle_connections_do_not_starve_a_probe() {
    let p = start("probes", &[]);
    let idle: Vec<TcpStream> = (0..500)
        .map(|_| TcpStream::connect(("127.0.0.1", p.health)).unwrap())
        .collect();
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        let answer = raw_with_timeout(
            p.health,
            b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n",
            Duration::from_secs(1),
        )
        .expect("a probe among 500 idle connections is answered within 1 s");
        assert_eq!(answer.status, 200);
        slowest = slowest.max(started.elapsed());
    }
    // Idle connections keep arriving while probes are sent.
    let health = p.health;
    let flood = std::thread::spawn(move || {
        (0..500)
            .filter_map(|_| TcpStream::connect(("127.0.0.1", health)).ok())
            .collect::<Vec<_>>()
    });
    for _ in 0..5 {
        let started = Instant::now();
        let answer = raw_with_timeout(
            p.health,
            b"GET /readyz HTTP/1.1\r\n\r\n",
            Duration::from_secs(1),
        )
        .expect("a probe during a flood of idle connections is answered within 1 s");
        assert!(matches!(answer.status, 200 | 503), "{answer:?}");
        slowest = slowest.max(started.elapsed());
    }
    let more = flood.join().unwrap();
    eprintln!(
        "{} idle probe connections: slowest of 10 probes answered in {slowest:?}",
        idle.len() + more.len()
    );
    drop((idle, more));
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

#[test]
fn oversized_request_head_is_refused_with_431() {
    let p = start("probes", &[]);
    let mut request = b"GET /readyz HTTP/1.1\r\nX-Big: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 9000));
    request.extend(b"\r\n\r\n");
    let answer = raw(p.health, &request).unwrap();
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_eq!(answer.header("Connection"), Some("close"));
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

#[test]
fn what_real_probers_send_is_answered_correctly() {
    let p = start("probes", &[]);
    wait_for_port(p.port, LONG);
    let h = p.health;

    // kubelet: HTTP/1.1, Host, kube-probe User-Agent, Accept */*, Connection: close.
    let kubelet = raw(
        h,
        format!(
            "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{h}\r\nUser-Agent: kube-probe/1.34\r\n\
             Accept: */*\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!((kubelet.status, kubelet.body.as_str()), (200, "ready\n"));
    assert_eq!(kubelet.header("Content-Length"), Some("6"));
    assert_eq!(kubelet.header("Connection"), Some("close"));
    assert_eq!(
        kubelet.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );

    // HAProxy's default `option httpchk`: HTTP/1.0, no Host header.
    let haproxy = raw(h, b"GET /readyz HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!((haproxy.status, haproxy.body.as_str()), (200, "ready\n"));
    // A hand-typed probe with bare newlines (`printf 'GET /livez HTTP/1.0\n\n' | nc`).
    assert_eq!(raw(h, b"GET /livez HTTP/1.0\n\n").unwrap().status, 200);

    // `curl -I` / `wget --spider`: HEAD gets the GET's headers, Content-Length included, and
    // no body at all.
    for path in ["/readyz", "/livez"] {
        let head = raw(
            h,
            format!("HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        )
        .unwrap();
        let get = raw(
            h,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        )
        .unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.body, "", "HEAD {path} sent a body");
        assert_eq!(head.header("Content-Length"), get.header("Content-Length"));
        assert_eq!(
            get.header("Content-Length")
                .unwrap()
                .parse::<usize>()
                .unwrap(),
            get.body.len()
        );
    }

    // kube-apiserver style query strings and an absolute-form target.
    assert_eq!(probe(h, "/readyz?verbose").unwrap(), ok("ready"));
    assert_eq!(probe(h, "/livez?exclude=etcd").unwrap(), ok("ok"));
    assert_eq!(
        probe(h, &format!("http://127.0.0.1:{h}/readyz")).unwrap(),
        ok("ready")
    );

    // Other paths are 404 (the main router's /healthz is not served here); other methods on
    // the probe paths 405 with Allow. HAProxy's `option httpchk OPTIONS /…` therefore fails:
    // configure it with GET.
    assert_eq!(probe(h, "/healthz").unwrap().0, 404);
    assert_eq!(probe(h, "/").unwrap().0, 404);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let answer = raw(
            h,
            format!("{method} /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").as_bytes(),
        )
        .unwrap();
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("Allow"), Some("GET, HEAD"), "{method}");
    }
    // Garbage is a 400, and the listener keeps serving.
    assert_eq!(raw(h, b"HELLO\r\n\r\n").unwrap().status, 400);
    assert_eq!(raw(h, b"GET /livez HTTP/2.0\r\n\r\n").unwrap().status, 505);
    assert_eq!(probe(h, "/livez").unwrap(), ok("ok"));

    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

#[test]
fn a_wedged_runtime_fails_liveness() {
    let p = start("probes", &[]);
    wait_for_port(p.port, LONG);
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    let port = p.port;
    // Blocks the (current_thread) runtime for 3 s, as a stuck handler would.
    let wedge = std::thread::spawn(move || http_get(port, "/wedge?ms=3000"));
    std::thread::sleep(Duration::from_millis(500));
    let during = raw_with_timeout(
        p.health,
        b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(1),
    );
    assert!(
        during.is_err(),
        "liveness answered while the runtime was blocked: {during:?}"
    );
    assert_eq!(wedge.join().unwrap().unwrap(), ok("unwedged"));
    assert_eq!(probe(p.health, "/livez").unwrap(), ok("ok"));
    p.service.kill("TERM");
    assert_eq!(p.service.wait(LONG).code(), Some(0));
}

#[test]
fn main_without_app_and_workers_are_probed_too() {
    // `async fn main()` without App is ready at start.
    let minimal = start("minimal", &[]);
    assert_eq!(probe(minimal.health, "/readyz").unwrap(), ok("ready"));
    minimal.service.kill("TERM");
    let exit = minimal.service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    // A worker that binds nothing is ready once it says app.ready().
    let worker = start("hello", &[]);
    let deadline = Instant::now() + LONG;
    while probe(worker.health, "/readyz").unwrap().0 != 200 {
        assert!(Instant::now() < deadline, "hello never became ready");
        std::thread::sleep(Duration::from_millis(20));
    }
    worker.service.kill("INT");
    assert_eq!(worker.service.wait(LONG).code(), Some(0));
}

#[test]
fn bad_health_port_exits_78_with_one_line() {
    let port = free_port().to_string();
    let cases: &[(&str, &str)] = &[
        (
            "abc",
            "expected an integer from 1 to 65535, other than PORT",
        ),
        (
            "70000",
            "expected an integer from 1 to 65535, other than PORT",
        ),
        ("0", "expected an integer from 1 to 65535, other than PORT"),
        ("", "expected an integer from 1 to 65535, other than PORT"),
        ("-1", "expected an integer from 1 to 65535, other than PORT"),
        (&port, "must differ from PORT"),
    ];
    for (value, why) in cases {
        let output = Service::command("probes", &[("PORT", &port), ("HEALTH_PORT", value)])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(78),
            "HEALTH_PORT={value:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("probes: invalid HEALTH_PORT={value:?}: {why}")),
            "{stderr}"
        );
        assert!(output.stdout.is_empty(), "{value:?} logged something");
    }
}

#[test]
fn health_port_in_use_fails_before_main_runs() {
    let blocker = TcpListener::bind("127.0.0.1:0").unwrap();
    let health = blocker.local_addr().unwrap().port().to_string();
    let port = free_port();
    let service = Service::start(
        "probes",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("HEALTH_PORT", &health),
        ],
    );
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        exit.stdout.contains(&format!(
            "cannot listen on 127.0.0.1:{health} for probes (HEALTH_PORT): Address already in use"
        )),
        "{}",
        exit.stdout
    );
    assert!(!exit.stdout.contains("listening addr="), "{}", exit.stdout);
}

#[test]
fn without_health_port_there_is_no_probe_listener() {
    let port = free_port();
    let service = Service::start(
        "probes",
        &[("PORT", &port.to_string()), ("HOST", "127.0.0.1")],
    );
    wait_for_port(port, LONG);
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0));
    assert!(!exit.stdout.contains("serving probes"), "{}", exit.stdout);
}
