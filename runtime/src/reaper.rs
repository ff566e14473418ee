//! Zombie reaping when the process is PID 1 (a container without an init).
//!
//! Orphaned processes are re-parented to PID 1, and nobody else will `wait` for them. A blanket
//! `waitpid(-1)` would also steal the exit status of children the program itself waits for
//! (`Command::status()`, `tokio::process`), so the reaper only reaps children that have been
//! zombies for [`GRACE`]: a child the program waits on is reaped by the program as soon as it
//! exits, long before that.

use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::signal::unix::{signal, SignalKind};

/// How long a zombie child is left to its waiter before the reaper collects it.
const GRACE: Duration = Duration::from_millis(500);

/// Starts the reaper when this process is PID 1; otherwise does nothing.
pub(crate) fn start_if_pid1() {
    if std::process::id() != 1 {
        return;
    }
    let mut children = match signal(SignalKind::child()) {
        Ok(children) => children,
        Err(error) => {
            tracing::warn!(target: "twelve_factor", %error, "running as PID 1 but cannot watch SIGCHLD; orphaned zombies will not be reaped");
            return;
        }
    };
    tracing::debug!(target: "twelve_factor", "running as PID 1: reaping orphaned children");
    tokio::spawn(async move {
        let mut first_seen: HashMap<i32, Instant> = HashMap::new();
        loop {
            if first_seen.is_empty() {
                children.recv().await;
            } else {
                tokio::select! {
                    _ = children.recv() => {}
                    () = tokio::time::sleep(GRACE / 4) => {}
                }
            }
            reap(&mut first_seen, Instant::now());
        }
    });
}

/// One pass: notes new zombie children, reaps the ones older than [`GRACE`].
fn reap(first_seen: &mut HashMap<i32, Instant>, now: Instant) {
    let zombies = zombie_children();
    first_seen.retain(|pid, _| zombies.contains(pid));
    for pid in zombies {
        let seen = *first_seen.entry(pid).or_insert(now);
        if now.duration_since(seen) >= GRACE {
            let mut status = 0;
            // SAFETY: waitpid on one specific child with WNOHANG only reads its status.
            let reaped = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if reaped == pid {
                tracing::debug!(target: "twelve_factor", pid, "reaped an orphaned child");
            }
            first_seen.remove(&pid);
        }
    }
}

/// The pids of this process's children that are zombies, from `/proc/*/stat`.
fn zombie_children() -> Vec<i32> {
    let me = std::process::id() as i32;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| parse_stat(&stat))
                .is_some_and(|(state, parent)| state == 'Z' && parent == me)
        })
        .collect()
}

/// State and parent pid from a `/proc/PID/stat` line; the command name may contain spaces and
/// parentheses, so fields are counted after the last `)`.
fn parse_stat(stat: &str) -> Option<(char, i32)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

#[cfg(test)]
mod tests {
    use super::parse_stat;

    #[test]
    fn stat_lines() {
        assert_eq!(parse_stat("42 (sleep) Z 1 42 42 0"), Some(('Z', 1)));
        assert_eq!(parse_stat("43 (a (b) c) S 7 43 43 0"), Some(('S', 7)));
        assert_eq!(parse_stat("garbage"), None);
    }
}
