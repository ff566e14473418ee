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
        let mut first_seen: HashMap<Zombie, Instant> = HashMap::new();
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

/// A zombie child: its pid and its start time (clock ticks after boot), so that a pid reused
/// by a newer child between two passes is not mistaken for the old zombie.
type Zombie = (i32, u64);

/// One pass: notes new zombie children, reaps the ones older than [`GRACE`].
fn reap(first_seen: &mut HashMap<Zombie, Instant>, now: Instant) {
    let zombies = zombie_children();
    first_seen.retain(|zombie, _| zombies.contains(zombie));
    for zombie in zombies {
        let pid = zombie.0;
        let seen = *first_seen.entry(zombie).or_insert(now);
        if now.duration_since(seen) >= GRACE {
            let mut status = 0;
            // SAFETY: waitpid on one specific child with WNOHANG only reads its status.
            let reaped = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if reaped == pid {
                tracing::debug!(target: "twelve_factor", pid, "reaped an orphaned child");
            }
            first_seen.remove(&zombie);
        }
    }
}

/// This process's children that are zombies, from `/proc/*/stat`.
fn zombie_children() -> Vec<Zombie> {
    let me = std::process::id() as i32;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (state, parent, start) = parse_stat(&stat)?;
            (state == 'Z' && parent == me).then_some((pid, start))
        })
        .collect()
}

/// State, parent pid and start time from a `/proc/PID/stat` line (fields 3, 4 and 22); the
/// command name may contain spaces and parentheses, so fields are counted after the last `)`.
fn parse_stat(stat: &str) -> Option<(char, i32, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    let start = fields.nth(17)?.parse().ok()?;
    Some((state, parent, start))
}

#[cfg(test)]
mod tests {
    use super::parse_stat;

    #[test]
    fn stat_lines() {
        let tail = "0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 123456 0 0";
        assert_eq!(
            parse_stat(&format!("42 (sleep) Z 1 42 42 {tail}")),
            Some(('Z', 1, 123456))
        );
        assert_eq!(
            parse_stat(&format!("43 (a (b) c) S 7 43 43 {tail}")),
            Some(('S', 7, 123456))
        );
        assert_eq!(parse_stat("42 (sleep) Z 1 42 42 0"), None);
        assert_eq!(parse_stat("garbage"), None);
    }
}
