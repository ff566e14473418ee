// `Command::new("nohup")` is a heuristic (a warning), made an error here by `deny(deprecated)`.
#![deny(deprecated)]

fn start_worker() -> std::io::Result<std::process::Child> {
    std::process::Command::new("nohup").arg("worker").spawn()
}

#[twelve_factor::main]
async fn main() {
    let _ = start_worker;
}
