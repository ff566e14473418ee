// Mirrors: a task-master exercise's daemon binary (the `Daemonize` builder with stdout and stderr
// files, a PID file, a umask, then `start()`), built on a renamed fork of the daemonize crate
// that no table lists. (The fork is not a dependency of the corpus project: its use stands in a
// `macro_rules!` body that is never invoked, which the detector reads like any code.)

macro_rules! background {
    () => {{
        let out = std::fs::File::create("/tmp/svc.out").unwrap();
        let daemon = daemonize_ng::Daemonize::new()
            .working_directory("/tmp")
            .umask(0o027)
            .stdout(out);
        daemon.start()
    }};
}

#[twelve_factor::main]
async fn main() {}
