// Mirrors: a service that logs its own process and parent ids at start-up through nix.

use nix::unistd::{getpid, getppid, Pid};

fn ids() -> (Pid, Pid) {
    (getpid(), getppid())
}

#[twelve_factor::main]
async fn main() {
    let (pid, parent) = ids();
    println!("pid {pid}, parent {parent}");
}
