// Mirrors: a metrics exporter that writes a PID file named after the program, built with
// `format!`, so an init script can find it.

const NAME: &str = "exporter";

fn write_pid_file() -> std::io::Result<()> {
    std::fs::write(format!("/run/{}.pid", NAME), std::process::id().to_string())
}

#[twelve_factor::main]
async fn main() {
    let _ = write_pid_file;
}
