// `mod fork { fn daemon }`: the same path as the `fork` crate's, but the user's own.

mod fork {
    pub fn daemon() -> bool {
        false
    }
    pub mod unistd {
        pub fn setsid() {}
    }
}

mod nix {
    pub mod unistd {
        pub fn fork() {}
    }
}

#[twelve_factor::main]
async fn main() {
    assert!(!fork::daemon());
    fork::unistd::setsid();
    nix::unistd::fork();
    crate::nix::unistd::fork();
}
