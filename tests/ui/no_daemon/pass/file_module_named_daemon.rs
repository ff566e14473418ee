// A module file of the user's called `daemon`, with a `fork` function.

#[path = "../support/daemon.rs"]
mod daemon;

#[twelve_factor::main]
async fn main() {
    assert_eq!(daemon::fork(), "the user's own");
}
