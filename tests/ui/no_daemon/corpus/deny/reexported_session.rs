// Mirrors: a service whose `os` module re-exports nix's setsid under its own name, called from
// the start-up code in another module.

mod os;

fn start() -> nix::Result<()> {
    os::new_session()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = start;
}
