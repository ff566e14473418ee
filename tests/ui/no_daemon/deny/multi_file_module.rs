// A module file reached through `#[path]`: the error names that file.

#[path = "../support/worker.rs"]
mod worker;

#[twelve_factor::main]
async fn main() {
    let _ = worker::start;
}
