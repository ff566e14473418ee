// A module of the user's called `daemonize`.

mod daemonize {
    pub struct Daemonize;
    impl Daemonize {
        pub fn new() -> Self {
            Daemonize
        }
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = daemonize::Daemonize::new();
}
