//! Real processes: build an example, run it with a controlled environment, collect its output,
//! send it real signals with `kill`, wait for its exit.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The path of example `name`, built (once per test process) in the profile of this test.
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let path = profile_dir.join("examples").join(name);
    let mut built = BUILT.get_or_init(Mutex::default).lock().unwrap();
    if built.insert(name.to_owned()) {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        // Examples behind a feature (`required-features`) build when the tests were built with it.
        if cfg!(feature = "actix") {
            cargo.args(["--features", "actix"]);
        }
        if profile_dir.file_name().is_some_and(|dir| dir == "release") {
            cargo.arg("--release");
        }
        if let Some(target) = profile_dir.parent() {
            cargo.arg("--target-dir").arg(target);
        }
        let status = cargo.status().expect("run cargo build");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    path
}

/// A command for `program` without any of the runtime's own variables (its one table,
/// `BUILTIN_VARIABLES`) from the test's own environment.
pub fn clean_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for variable in twelve_factor::__private::BUILTIN_VARIABLES {
        command.env_remove(variable.name);
    }
    command
}

/// A clean command that runs `program` through `sh -c 'LISTEN_PID=$$ exec "$0"'`: `exec` keeps
/// the shell's pid, so `LISTEN_PID` names the program's own process, as systemd sets it.
pub fn with_own_listen_pid(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = clean_command("sh");
    command
        .args(["-c", r#"LISTEN_PID=$$ exec "$0""#])
        .arg(program);
    command
}

/// A running example process with its stdout and stderr collected as they arrive.
pub struct Service {
    pub child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

/// How a [`Service`] ended.
#[derive(Debug)]
pub struct Exit {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// From the call to [`Service::wait`] to the exit.
    pub waited: Duration,
}

impl Exit {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

impl Service {
    /// A command for example `name` with a clean contract environment plus `env`.
    pub fn command(name: &str, env: &[(&str, &str)]) -> Command {
        let mut command = clean_command(example(name));
        command.envs(env.iter().copied());
        command
    }

    /// Starts example `name` with `env`, stdout and stderr piped.
    pub fn start(name: &str, env: &[(&str, &str)]) -> Service {
        Service::spawn(Service::command(name, env))
    }

    /// Starts `command` with stdout and stderr piped and collected.
    pub fn spawn(mut command: Command) -> Service {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn service");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let readers = vec![
            collect(child.stdout.take().expect("stdout"), stdout.clone()),
            collect(child.stderr.take().expect("stderr"), stderr.clone()),
        ];
        Service {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits until stdout contains `needle`; panics with the output after `timeout`.
    pub fn wait_for_stdout(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        while !self.stdout().contains(needle) {
            assert!(
                start.elapsed() < timeout,
                "no {needle:?} on stdout within {timeout:?}; stdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal` (e.g. "TERM") with the real `kill` command.
    pub fn kill(&self, signal: &str) {
        send_signal(self.pid(), signal);
    }

    /// Waits for the exit (killing the process after `timeout`, which fails the test).
    pub fn wait(mut self, timeout: Duration) -> Exit {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                let _ = self.child.wait();
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                panic!(
                    "service did not exit within {timeout:?}; stdout:\n{}\nstderr:\n{}",
                    self.stdout.lock().unwrap(),
                    self.stderr.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let waited = start.elapsed();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let stdout = self.stdout.lock().unwrap().clone();
        let stderr = self.stderr.lock().unwrap().clone();
        Exit {
            status,
            stdout,
            stderr,
            waited,
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn collect(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    })
}

/// Sends `signal` to `pid` with the real `kill` command.
pub fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}
