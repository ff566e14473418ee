//! Measures the twins side by side and prints markdown table rows.
//!
//! ```text
//! runner serve   TF_BIN HAND_BIN RUNS        exec → accepting, SIGTERM → exit, peak RSS, size
//! runner build   TWINS_DIR TARGET_DIR CLEAN_RUNS INCREMENTAL_RUNS
//! runner probes  TF_BIN SECONDS              probe latency on HEALTH_PORT while wrk loads PORT
//! runner sizes   TF_BIN HAND_BIN LABEL       binary size rows only (e.g. for another feature set)
//! runner formation TF_BIN HAND_BIN RUNS      the same as serve for the formation twins: two
//!                                            listeners (PORT, ADMIN_PORT) and two workers
//! runner otel TF_BIN HAND_BIN ROUNDS SECONDS span + JSON line + OTLP export per request under
//!                                            wrk, with an A/A control (`otel.rs`)
//! ```
//!
//! Every measurement alternates the twins (tf, hand, then hand, tf, …) so that drift in the
//! machine's load hits both alike; each row reports the medians, the p10–p90 spread and the
//! ratio tf / hand of the medians.

mod otel;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

const TWINS: [&str; 2] = ["tf", "hand"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") if args.len() == 4 => serve(
            [PathBuf::from(&args[1]), PathBuf::from(&args[2])],
            parse_count(&args[3]),
            None,
        ),
        Some("formation") if args.len() == 4 => serve(
            [PathBuf::from(&args[1]), PathBuf::from(&args[2])],
            parse_count(&args[3]),
            Some("ADMIN_PORT"),
        ),
        Some("build") if args.len() == 5 => build(
            Path::new(&args[1]),
            Path::new(&args[2]),
            parse_count(&args[3]),
            parse_count(&args[4]),
        ),
        Some("otel") if args.len() == 5 => otel::run(
            [PathBuf::from(&args[1]), PathBuf::from(&args[2])],
            parse_count(&args[3]),
            parse_count(&args[4]),
        ),
        Some("probes") if args.len() == 3 => probes(Path::new(&args[1]), parse_count(&args[2])),
        Some("sizes") if args.len() == 4 => {
            size_rows(&[PathBuf::from(&args[1]), PathBuf::from(&args[2])], &args[3]);
            Ok(())
        }
        _ => Err("usage: runner serve TF_BIN HAND_BIN RUNS | runner build TWINS_DIR TARGET_DIR CLEAN_RUNS INCREMENTAL_RUNS | runner probes TF_BIN SECONDS | runner sizes TF_BIN HAND_BIN LABEL | runner otel TF_BIN HAND_BIN ROUNDS SECONDS".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("runner: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse_count(text: &str) -> usize {
    text.parse().unwrap_or_else(|_| {
        eprintln!("runner: not a count: {text:?}");
        std::process::exit(2)
    })
}

/// Samples of one figure for both twins.
#[derive(Default)]
struct Pair {
    samples: [Vec<f64>; 2],
}

impl Pair {
    fn push(&mut self, twin: usize, value: f64) {
        self.samples[twin].push(value);
    }

    /// `| figure | tf median (p10–p90) | hand median (p10–p90) | ratio | goal | runs |`
    fn row(&self, figure: &str, unit: &str, decimals: usize, goal: Option<f64>) -> String {
        let stats: Vec<(f64, f64, f64)> = self
            .samples
            .iter()
            .map(|s| (quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9)))
            .collect();
        let ratio = stats[0].0 / stats[1].0;
        let cell = |(median, p10, p90): (f64, f64, f64)| {
            format!("{median:.decimals$} {unit} ({p10:.decimals$}–{p90:.decimals$})")
        };
        row(
            figure,
            &cell(stats[0]),
            &cell(stats[1]),
            ratio,
            goal,
            self.samples[0].len(),
        )
    }
}

fn row(figure: &str, tf: &str, hand: &str, ratio: f64, goal: Option<f64>, runs: usize) -> String {
    let verdict = match goal {
        Some(goal) if ratio <= goal => format!("≤ {goal:.2}x ✅"),
        Some(goal) => format!("≤ {goal:.2}x ❌"),
        None => "–".to_owned(),
    };
    format!("| {figure} | {tf} | {hand} | **{ratio:.3}x** | {verdict} | {runs} |")
}

/// The `q` quantile (nearest rank, linear interpolation between neighbours).
fn quantile(samples: &[f64], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// Alternating order for run `i`: tf first on even runs, hand first on odd ones.
fn order(i: usize) -> [usize; 2] {
    if i.is_multiple_of(2) {
        [0, 1]
    } else {
        [1, 0]
    }
}

// ---------------------------------------------------------------------------------------------
// serve: exec → accepting connections, SIGTERM → exit when idle, peak RSS, binary size

struct Run {
    ready: Duration,
    exit: Duration,
    max_rss_kib: i64,
}

/// `second`: the variable of a second listener the twins must also be accepting on.
fn serve(bins: [PathBuf; 2], runs: usize, second: Option<&str>) -> Result<(), String> {
    for bin in &bins {
        if !bin.is_file() {
            return Err(format!(
                "{} does not exist; build the twins first",
                bin.display()
            ));
        }
    }
    // Warm the page cache and the dynamic loader for both before measuring.
    for _ in 0..3 {
        for bin in &bins {
            run_once(bin, second)?;
        }
    }
    let (mut ready, mut exit, mut rss) = (Pair::default(), Pair::default(), Pair::default());
    for i in 0..runs {
        for twin in order(i) {
            let run = run_once(&bins[twin], second)?;
            ready.push(twin, run.ready.as_secs_f64() * 1e3);
            exit.push(twin, run.exit.as_secs_f64() * 1e3);
            rss.push(twin, run.max_rss_kib as f64 / 1024.0);
        }
    }
    println!(
        "{}",
        ready.row(
            if second.is_some() {
                "exec → accepting on both listeners"
            } else {
                "exec → accepting connections"
            },
            "ms",
            3,
            Some(1.05)
        )
    );
    println!("{}", exit.row("SIGTERM → exit (idle)", "ms", 3, Some(1.10)));
    println!(
        "{}",
        rss.row("peak RSS (VmHWM, after one request)", "MiB", 2, Some(1.10))
    );
    size_rows(&bins, "");
    Ok(())
}

/// The release binary size rows, plain and stripped; `label` is appended to the figure's name.
fn size_rows(bins: &[PathBuf; 2], label: &str) {
    let sizes: Vec<u64> = bins
        .iter()
        .map(|bin| std::fs::metadata(bin).map(|m| m.len()).unwrap_or(0))
        .collect();
    println!(
        "{}",
        row(
            &format!("release binary size{label}"),
            &format!("{:.0} KiB", sizes[0] as f64 / 1024.0),
            &format!("{:.0} KiB", sizes[1] as f64 / 1024.0),
            sizes[0] as f64 / sizes[1] as f64,
            Some(1.10),
            1
        )
    );
    if let Some(stripped) = stripped_sizes(bins) {
        println!(
            "{}",
            row(
                &format!("release binary size{label}, stripped"),
                &format!("{:.0} KiB", stripped[0] as f64 / 1024.0),
                &format!("{:.0} KiB", stripped[1] as f64 / 1024.0),
                stripped[0] as f64 / stripped[1] as f64,
                Some(1.10),
                1
            )
        );
    }
}

/// One life of a twin: spawn, poll until it accepts, one request, idle, SIGTERM, reap.
fn run_once(bin: &Path, second: Option<&str>) -> Result<Run, String> {
    let port = free_port()?;
    let second_port = free_port()?;
    let mut command = Command::new(bin);
    for var in [
        "HOST",
        "RUST_LOG",
        "LOG_FORMAT",
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
    ] {
        command.env_remove(var);
    }
    if let Some(name) = second {
        command.env(name, second_port.to_string());
    }
    command
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", bin.display()))?;
    let pid = child.id() as libc::pid_t;
    let ready = loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok()
            && (second.is_none() || TcpStream::connect(("127.0.0.1", second_port)).is_ok())
        {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(10) {
            // SAFETY: plain syscalls on our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = reap(pid);
            return Err(format!("{} not accepting within 10 s", bin.display()));
        }
        std::thread::sleep(Duration::from_micros(50));
    };
    let response = request(port).map_err(|e| format!("{}: request: {e}", bin.display()))?;
    if !response.starts_with("HTTP/1.1 200 OK") {
        return Err(format!(
            "{}: unexpected response {response:?}",
            bin.display()
        ));
    }
    // Idle: no connection left in flight.
    std::thread::sleep(Duration::from_millis(50));
    let signalled = Instant::now();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let (status, max_rss_kib) = reap(pid)?;
    let exit = signalled.elapsed();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!(
            "{} did not exit 0 after SIGTERM (wait status {status:#x})",
            bin.display()
        ));
    }
    drop(child);
    Ok(Run {
        ready,
        exit,
        max_rss_kib,
    })
}

/// `wait4`: the exit status and the peak resident set size (KiB) of the child.
fn reap(pid: libc::pid_t) -> Result<(i32, i64), String> {
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 writes into both out-parameters.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: see above.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage.ru_maxrss));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4({pid}): {error}"));
        }
    }
}

fn request(port: u16) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Sizes after `strip`, if the tool is installed.
fn stripped_sizes(bins: &[PathBuf; 2]) -> Option<[u64; 2]> {
    let mut sizes = [0; 2];
    for (twin, bin) in bins.iter().enumerate() {
        let out = std::env::temp_dir().join(format!(
            "twin-stripped-{}-{}",
            TWINS[twin],
            std::process::id()
        ));
        let ok = Command::new("strip")
            .arg("-o")
            .arg(&out)
            .arg(bin)
            .status()
            .is_ok_and(|s| s.success());
        sizes[twin] = std::fs::metadata(&out).ok()?.len();
        let _ = std::fs::remove_file(&out);
        if !ok {
            return None;
        }
    }
    Some(sizes)
}

// ---------------------------------------------------------------------------------------------
// build: clean release build and incremental dev build of each twin

fn build(
    twins_dir: &Path,
    target_dir: &Path,
    clean_runs: usize,
    incremental_runs: usize,
) -> Result<(), String> {
    let mut clean = Pair::default();
    for i in 0..clean_runs {
        for twin in order(i) {
            let dir = target_dir.join(format!("clean-{}", TWINS[twin]));
            let _ = std::fs::remove_dir_all(&dir);
            let took = cargo_build(twins_dir, &dir, TWINS[twin], true)?;
            eprintln!(
                "runner: clean release build of {} took {took:.1} s",
                TWINS[twin]
            );
            clean.push(twin, took);
        }
    }
    for twin in TWINS {
        let _ = std::fs::remove_dir_all(target_dir.join(format!("clean-{twin}")));
    }
    // Incremental: touch the twin's main.rs, then a dev `cargo build`, as in an edit loop.
    let dev_dir = target_dir.join("dev");
    for twin in TWINS {
        cargo_build(twins_dir, &dev_dir, twin, false)?;
    }
    let mut incremental = Pair::default();
    for i in 0..incremental_runs {
        for twin in order(i) {
            touch(&twins_dir.join(TWINS[twin]).join("src/main.rs"))?;
            incremental.push(twin, cargo_build(twins_dir, &dev_dir, TWINS[twin], false)?);
        }
    }
    if clean_runs > 0 {
        println!(
            "{}",
            clean.row("clean build (`cargo build --release`)", "s", 1, None)
        );
    }
    if incremental_runs > 0 {
        println!(
            "{}",
            incremental.row(
                "incremental build (touch main.rs, dev `cargo build`)",
                "s",
                2,
                None
            )
        );
    }
    Ok(())
}

fn cargo_build(
    twins_dir: &Path,
    target_dir: &Path,
    package: &str,
    release: bool,
) -> Result<f64, String> {
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cargo
        .args(["build", "--quiet", "--offline", "-p", package])
        .current_dir(twins_dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .stdin(Stdio::null());
    if release {
        cargo.arg("--release");
    }
    let start = Instant::now();
    let status = cargo.status().map_err(|e| format!("run cargo: {e}"))?;
    let took = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("cargo build -p {package} failed"));
    }
    Ok(took)
}

fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("touch {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// probes: latency of GET /readyz on HEALTH_PORT, idle and while wrk loads the main port

/// Starts the tf twin with `HEALTH_PORT`, measures sequential `GET /readyz` round trips on the
/// probe port (idle, then while `wrk` saturates `GET /` on the main port for `seconds`), and the
/// same probe against the main port (`GET /`) under the same load: what a probe would see if it
/// shared the port with the traffic. Loopback only; wrk is bounded by `-d`.
fn probes(tf: &Path, seconds: usize) -> Result<(), String> {
    let port = free_port()?;
    let mut health = free_port()?;
    while health == port {
        health = free_port()?;
    }
    let mut child = Command::new(tf)
        .env("PORT", port.to_string())
        .env("HEALTH_PORT", health.to_string())
        .env("HOST", "127.0.0.1")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", tf.display()))?;
    let result = (|| {
        let start = Instant::now();
        while !request_path(health, "/readyz").is_ok_and(|r| r.starts_with("HTTP/1.1 200")) {
            if start.elapsed() > Duration::from_secs(10) {
                return Err("tf twin not ready on HEALTH_PORT within 10 s".to_owned());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let window = Duration::from_secs(seconds as u64);
        let idle = probe_latencies(health, "/readyz", window / 2)?;
        let (loaded, wrk) = under_wrk(port, seconds, || {
            probe_latencies(
                health,
                "/readyz",
                window.saturating_sub(Duration::from_secs(1)),
            )
        })?;
        let (main_port, _) = under_wrk(port, seconds, || {
            probe_latencies(port, "/", window.saturating_sub(Duration::from_secs(1)))
        })?;
        let cell = |samples: &[f64]| {
            format!(
                "p50 {:.3} ms, p99 {:.3} ms ({} probes)",
                quantile(samples, 0.5),
                quantile(samples, 0.99),
                samples.len()
            )
        };
        println!("| probe | latency | |");
        println!("|---|---|---|");
        println!("| `GET /readyz` on HEALTH_PORT, idle | {} | |", cell(&idle));
        println!(
            "| `GET /readyz` on HEALTH_PORT, wrk loading PORT | {} | {wrk} |",
            cell(&loaded)
        );
        println!(
            "| `GET /` on PORT itself (a probe sharing the traffic port), same load | {} | |",
            cell(&main_port)
        );
        println!(
            "| ratio under load, HEALTH_PORT p99 / main-port p99 | **{:.3}x** | |",
            quantile(&loaded, 0.99) / quantile(&main_port, 0.99)
        );
        Ok(())
    })();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().map_err(|e| format!("wait: {e}"))?;
    result?;
    if !status.success() {
        return Err(format!("tf twin exited with {status} after SIGTERM"));
    }
    Ok(())
}

/// Runs `probe` while `wrk -t1 -c32 -d{seconds}s` loads `GET /` on `port`; returns its result
/// and wrk's requests/s.
fn under_wrk<T>(
    port: u16,
    seconds: usize,
    probe: impl FnOnce() -> Result<T, String>,
) -> Result<(T, String), String> {
    let wrk = Command::new("wrk")
        .args(["-t1", "-c32", &format!("-d{seconds}s")])
        .arg(format!("http://127.0.0.1:{port}/"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("wrk is not installed (see .ci/install-tools): {e}"))?;
    // Let wrk open its connections first.
    std::thread::sleep(Duration::from_millis(500));
    let result = probe();
    let output = wrk.wait_with_output().map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let rate = text
        .lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .map(|rate| format!("wrk: {} req/s on PORT", rate.trim()))
        .unwrap_or_else(|| format!("wrk said: {}", text.trim()));
    Ok((result?, rate))
}

/// Sequential probes of `path` on `port` for `window`, one every 5 ms; round trips in ms.
fn probe_latencies(port: u16, path: &str, window: Duration) -> Result<Vec<f64>, String> {
    let end = Instant::now() + window;
    let mut samples = Vec::new();
    while Instant::now() < end {
        let start = Instant::now();
        let response = request_path(port, path).map_err(|e| format!("probe {path}: {e}"))?;
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        if !response.starts_with("HTTP/1.1 200") {
            return Err(format!("probe {path}: {response:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(samples)
}

fn request_path(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").as_bytes(),
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}
