//! `daemonize` is not a dependency of the corpus project, so the crate's calls stand in a
//! `macro_rules!` body that is never invoked; the detector reads it like any other code.

const PID_FILE: &str = "/var/run/cloud_agent.pid";

#[allow(unused_macros)]
macro_rules! detach {
    () => {
        let daemon = daemonize::Daemonize::new()
            .pid_file(PID_FILE)
            .working_directory(".");
        daemon.start()
    };
}

pub fn daemonize(entry: fn()) {
    let _ = PID_FILE;
    entry();
}
