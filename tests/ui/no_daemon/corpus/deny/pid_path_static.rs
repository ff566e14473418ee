// Mirrors: a log collector that keeps its PID path in a `static` and writes it at start-up.

use std::fs;

static PID_PATH: &str = "/var/run/collector.pid";

fn record_pid() -> std::io::Result<()> {
    fs::write(PID_PATH, format!("{}\n", std::process::id()))
}

#[twelve_factor::main]
async fn main() {
    let _ = record_pid;
}
