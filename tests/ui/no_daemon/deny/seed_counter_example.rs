// The seed's counter-example, ported from C: the classic daemon(3) dance. Double fork, setsid,
// a PID file in /var/run, stdout and stderr dup2-ed onto log files. Every part is named by an
// error (the PID file is a heuristic warning, made an error by `deny(deprecated)`).
#![deny(deprecated)]

use std::fs::OpenOptions;
use std::io::Write;
use std::os::fd::AsRawFd;

fn daemonize() -> std::io::Result<()> {
    unsafe {
        // First fork: the parent returns to the shell.
        if libc::fork() > 0 {
            std::process::exit(0);
        }
        // New session: no controlling terminal.
        libc::setsid();
        // Second fork: never reacquire a terminal.
        if libc::fork() > 0 {
            std::process::exit(0);
        }
    }
    // The PID file.
    let mut pid_file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open("/var/run/seedsvc.pid")?;
    writeln!(pid_file, "{}", std::process::id())?;
    // stdout and stderr onto log files.
    let out = OpenOptions::new().append(true).create(true).open("/var/log/seedsvc.out")?;
    let err = OpenOptions::new().append(true).create(true).open("/var/log/seedsvc.err")?;
    unsafe {
        libc::dup2(out.as_raw_fd(), libc::STDOUT_FILENO);
        libc::dup2(err.as_raw_fd(), libc::STDERR_FILENO);
    }
    Ok(())
}

#[twelve_factor::main]
async fn main() -> std::io::Result<()> {
    daemonize()?;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
