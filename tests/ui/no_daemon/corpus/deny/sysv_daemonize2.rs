// Mirrors: a SysV-style service built on the maintained `daemonize` fork, `daemonize2`:
// `Daemonize::new()` with a PID file, a user and a privileged action that binds the socket,
// then its `unsafe fn start`.
// (`daemonize2` is not a dependency of the corpus project: its use stands in a `macro_rules!`
// body that is never invoked.)

#[allow(unused_macros)]
macro_rules! start {
    ($pid:expr) => {
        use daemonize2::Daemonize;
        let daemonize = Daemonize::new()
            .pid_file($pid)
            .user("nobody")
            .privileged_action(|| std::net::TcpListener::bind("0.0.0.0:80"));
        let listener = unsafe { daemonize.start() };
    };
}

#[twelve_factor::main]
async fn main() {}
