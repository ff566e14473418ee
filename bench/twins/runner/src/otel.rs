//! `runner otel TF_BIN HAND_BIN ROUNDS SECONDS`: the per-request cost of a span + a JSON log
//! line + its OTLP export, our `otel` twin against the hand-written tracing-opentelemetry one,
//! in one run.
//!
//! The runner starts a local OTLP/HTTP sink (every `POST` gets `200` and an empty body, which is
//! an empty `ExportTraceServiceResponse`), then for each round starts each twin in turn — `tf`,
//! `hand` and `hand` again as the A/A control, in a rotating order — with `LOG_FORMAT=json` and
//! `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at the sink, loads `GET /` with `wrk` (a `traceparent`
//! header on every request) for one warm-up second and then `SECONDS`, and stops it with
//! SIGTERM. Stdout is a pipe the runner reads and counts, so that each twin pays for its lines.
//! A run counts only if its lines carry trace ids and the sink received spans.
//!
//! The first figure is the twin's CPU time (user + system, all its threads: the request
//! workers, the exporter's, the log writer's) per request over the measured seconds, from
//! `/proc/PID/stat`: on a busy machine it moves much less than requests/s or latency, which
//! follow whatever else the cores are doing. The rows after it are wall-clock figures.

use super::{free_port, quantile, reap, Pair};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const TRACEPARENT: &str = "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
/// wrk's connections: enough to keep both cores busy, few enough not to measure queueing only.
const CONNECTIONS: &str = "-c16";

/// A figure's label and how to read it from a run.
type Figure = (&'static str, fn(&Measured) -> f64);

/// One measured run of a twin under load.
struct Measured {
    /// Microseconds of CPU time (user + system, all the twin's threads) per request: what the
    /// request costs the process, much less sensitive to the machine's other load than wall time.
    cpu: f64,
    /// Microseconds of wall time per request: 1 / (requests per second).
    per_request: f64,
    p50: f64,
    p99: f64,
    rate: f64,
}

pub(crate) fn run(bins: [PathBuf; 2], rounds: usize, seconds: usize) -> Result<(), String> {
    for bin in &bins {
        if !bin.is_file() {
            return Err(format!(
                "{} does not exist; build the twins first",
                bin.display()
            ));
        }
    }
    let sink = Sink::start()?;
    // Sides: 0 = tf, 1 = hand, 2 = hand again (the A/A control).
    let sides = [&bins[0], &bins[1], &bins[1]];
    let mut results: [Vec<Measured>; 3] = Default::default();
    // One unmeasured run of each binary first: page cache, loader, the sink's first connection.
    for bin in &bins {
        measure(bin, &sink, 1)?;
    }
    for round in 0..rounds {
        for step in 0..3 {
            let side = (round + step) % 3;
            let measured = measure(sides[side], &sink, seconds)?;
            eprintln!(
                "runner otel: round {}/{rounds}: {} {:.1} µs CPU/request, {:.0} req/s, p50 {:.0} µs, p99 {:.0} µs",
                round + 1,
                ["tf", "hand", "hand (control)"][side],
                measured.cpu,
                measured.rate,
                measured.p50,
                measured.p99
            );
            results[side].push(measured);
        }
    }
    let pair = |a: usize, b: usize, figure: fn(&Measured) -> f64| {
        let mut pair = Pair::default();
        for (twin, side) in [(0, a), (1, b)] {
            for measured in &results[side] {
                pair.push(twin, figure(measured));
            }
        }
        pair
    };
    let figures: [Figure; 5] = [
        ("CPU time per request (all threads)", |m| m.cpu),
        ("wall time per request (1 / req/s)", |m| m.per_request),
        ("latency p50", |m| m.p50),
        ("latency p99", |m| m.p99),
        ("requests/s (ratio: higher is better)", |m| m.rate),
    ];
    for (label, figure) in figures {
        let goal = (!label.starts_with("requests")).then_some(1.05);
        let unit = if label.starts_with("requests") {
            "req/s"
        } else {
            "µs"
        };
        println!(
            "{}",
            pair(0, 1, figure).row(&format!("otel: {label}"), unit, 1, goal)
        );
    }
    for (label, figure) in figures.into_iter().take(4) {
        let row = pair(2, 1, figure).row(
            &format!("A/A control, hand vs hand: {label}"),
            "µs",
            1,
            None,
        );
        println!("{}", row.replace("| – |", "| (control) |"));
    }
    // Paired per round: each tf run against the hand run of the same round.
    let paired: Vec<f64> = results[0]
        .iter()
        .zip(&results[1])
        .map(|(tf, hand)| tf.cpu / hand.cpu)
        .collect();
    println!(
        "| otel: CPU time per request, tf/hand paired by round | median **{:.3}x** (p10 {:.3}x – p90 {:.3}x) | | | | {} |",
        quantile(&paired, 0.5),
        quantile(&paired, 0.1),
        quantile(&paired, 0.9),
        paired.len()
    );
    eprintln!(
        "runner otel: the sink received {} export requests, {} bytes",
        sink.requests.load(Ordering::Relaxed),
        sink.bytes.load(Ordering::Relaxed)
    );
    Ok(())
}

/// Starts `bin`, loads it for `seconds` after a warm-up second, stops it.
fn measure(bin: &PathBuf, sink: &Sink, seconds: usize) -> Result<Measured, String> {
    let port = free_port()?;
    let mut command = Command::new(bin);
    for var in [
        "RUST_LOG",
        "NO_COLOR",
        "SHUTDOWN_TIMEOUT",
        "SHUTDOWN_DELAY",
        "NOTIFY_SOCKET",
        "WATCHDOG_USEC",
        "WATCHDOG_PID",
        "LISTEN_FDS",
        "LISTEN_PID",
        "LISTEN_FDNAMES",
        "JOURNAL_STREAM",
        "HEALTH_PORT",
        "OTEL_SDK_DISABLED",
        "OTEL_TRACES_SAMPLER",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ] {
        command.env_remove(var);
    }
    let mut child = command
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1")
        .env("LOG_FORMAT", "json")
        .env(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            format!("http://127.0.0.1:{}", sink.port),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", bin.display()))?;
    let pid = child.id() as libc::pid_t;
    // Reads stdout for the twin's whole life: (lines, lines with a trace id).
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let reader = thread::spawn(move || {
        let (mut lines, mut traced) = (0_u64, 0_u64);
        let mut stdout = BufReader::with_capacity(1 << 16, stdout);
        let mut line = Vec::new();
        while stdout.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            lines += 1;
            traced += u64::from(line.windows(11).any(|w| w == b"\"trace_id\":"));
            line.clear();
        }
        (lines, traced)
    });
    let exported = sink.requests.load(Ordering::Relaxed);
    let result = (|| {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if start.elapsed() > Duration::from_secs(10) {
                return Err(format!("{} not accepting within 10 s", bin.display()));
            }
            thread::sleep(Duration::from_millis(2));
        }
        wrk(port, 1)?;
        let before = cpu_micros(pid)?;
        let (mut measured, requests) = wrk(port, seconds)?;
        measured.cpu = (cpu_micros(pid)? - before) / requests;
        Ok(measured)
    })();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let (status, _) = reap(pid)?;
    drop(child);
    let (lines, traced) = reader.join().map_err(|_| "stdout reader panicked")?;
    let measured = result?;
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!(
            "{} did not exit 0 after SIGTERM ({status:#x})",
            bin.display()
        ));
    }
    if traced * 2 < lines || sink.requests.load(Ordering::Relaxed) == exported {
        return Err(format!(
            "{}: {traced} of {lines} lines carry a trace id, {} exports: not the work measured",
            bin.display(),
            sink.requests.load(Ordering::Relaxed) - exported
        ));
    }
    Ok(measured)
}

/// `wrk --latency` on `GET /` for `seconds`, with a `traceparent` on every request.
fn wrk(port: u16, seconds: usize) -> Result<(Measured, f64), String> {
    let output = Command::new("wrk")
        .args(["-t1", CONNECTIONS, "--latency", "-H", TRACEPARENT])
        .arg(format!("-d{seconds}s"))
        .arg(format!("http://127.0.0.1:{port}/"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("wrk is not installed (see .ci/install-tools): {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines().find_map(|line| {
            line.trim()
                .strip_prefix(prefix)
                .map(str::trim)
                .map(str::to_owned)
        })
    };
    let rate: f64 = field("Requests/sec:")
        .and_then(|rate| rate.parse().ok())
        .ok_or_else(|| format!("wrk said: {}", text.trim()))?;
    if text.contains("Non-2xx") || text.contains("Socket errors") {
        return Err(format!("wrk saw errors: {}", text.trim()));
    }
    let latency = |prefix: &str| {
        field(prefix)
            .and_then(|value| micros(&value))
            .ok_or_else(|| format!("no {prefix} latency in: {}", text.trim()))
    };
    // `  123456 requests in 5.00s, 9.50MB read`
    let requests: f64 = text
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .and_then(|(count, _)| count.trim().parse().ok())
        .filter(|&count: &f64| count > 0.0)
        .ok_or_else(|| format!("no request count in: {}", text.trim()))?;
    let measured = Measured {
        cpu: f64::NAN,
        per_request: 1e6 / rate,
        p50: latency("50%")?,
        p99: latency("99%")?,
        rate,
    };
    Ok((measured, requests))
}

/// User + system CPU time of process `pid` (all its threads) so far, in microseconds.
fn cpu_micros(pid: libc::pid_t) -> Result<f64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // Fields after the command name (which may hold spaces) end with `)`; utime and stime are
    // fields 14 and 15 of the line, 12 and 13 after it.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok());
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) if per_second > 0.0 => Ok((user + system) / per_second * 1e6),
        _ => Err(format!("cannot read the CPU time in /proc/{pid}/stat")),
    }
}

/// wrk's `85.00us`, `1.20ms`, `2.00s` in microseconds.
fn micros(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let number: f64 = value[..split].parse().ok()?;
    let scale = match &value[split..] {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        _ => return None,
    };
    Some(number * scale)
}

/// The OTLP/HTTP sink: counts requests and body bytes, answers 200 with an empty body.
struct Sink {
    port: u16,
    requests: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
}

impl Sink {
    fn start() -> Result<Sink, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("sink: bind: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("sink: {e}"))?
            .port();
        let (requests, bytes) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let counters = (requests.clone(), bytes.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (requests, bytes) = (counters.0.clone(), counters.1.clone());
                thread::spawn(move || {
                    let _ = answer(stream, &requests, &bytes);
                });
            }
        });
        Ok(Sink {
            port,
            requests,
            bytes,
        })
    }
}

/// Serves one keep-alive connection of the sink.
fn answer(stream: TcpStream, requests: &AtomicU64, bytes: &AtomicU64) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0_usize;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        requests.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(length as u64, Ordering::Relaxed);
        writer.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n",
        )?;
    }
}

#[cfg(test)]
mod tests {
    use super::micros;

    #[test]
    fn wrk_units() {
        assert_eq!(micros("85.00us"), Some(85.0));
        assert_eq!(micros("1.20ms"), Some(1200.0));
        assert_eq!(micros("2.00s"), Some(2e6));
        assert_eq!(micros("fast"), None);
    }
}
