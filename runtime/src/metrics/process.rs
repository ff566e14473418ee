//! The standard `process_*` series that Prometheus's client libraries export: CPU seconds
//! (`getrusage`, everywhere), and on Linux, from `/proc/self`: resident and virtual memory,
//! open and maximum file descriptors, and the start time.

use crate::metrics::sample;

/// Writes the process series.
pub(super) fn render(page: &mut String) {
    if let Some(seconds) = cpu_seconds() {
        sample(
            page,
            "process_cpu_seconds_total",
            "counter",
            "Total user and system CPU time spent in seconds.",
            seconds,
        );
    }
    #[cfg(target_os = "linux")]
    linux::render(page);
}

/// User plus system CPU time of the process.
fn cpu_seconds() -> Option<f64> {
    // SAFETY: getrusage writes only into the struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0).then_some(usage)
    }?;
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

#[cfg(target_os = "linux")]
mod linux {
    use crate::metrics::sample;

    pub(super) fn render(page: &mut String) {
        let stat = std::fs::read_to_string("/proc/self/stat").ok();
        // Fields after the command name, which is in parentheses and may contain spaces:
        // index 0 is field 3 (state) of proc(5).
        let fields: Vec<&str> = stat
            .as_deref()
            .and_then(|stat| stat.rsplit_once(')'))
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let field = |number: usize| fields.get(number - 3).and_then(|v| v.parse::<u64>().ok());
        // SAFETY: sysconf has no preconditions.
        let (page_size, ticks) = unsafe {
            (
                libc::sysconf(libc::_SC_PAGESIZE),
                libc::sysconf(libc::_SC_CLK_TCK),
            )
        };
        if let (Some(vsize), Some(rss)) = (field(23), field(24)) {
            sample(
                page,
                "process_virtual_memory_bytes",
                "gauge",
                "Virtual memory size in bytes.",
                vsize,
            );
            sample(
                page,
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory size in bytes.",
                rss.saturating_mul(page_size.max(0) as u64),
            );
        }
        if let (Some(start), Some(boot)) = (field(22), boot_time()) {
            if ticks > 0 {
                sample(
                    page,
                    "process_start_time_seconds",
                    "gauge",
                    "Start time of the process since unix epoch in seconds.",
                    boot as f64 + start as f64 / ticks as f64,
                );
            }
        }
        if let Ok(entries) = std::fs::read_dir("/proc/self/fd") {
            // The directory handle read_dir holds is one of the entries.
            let open = entries.count().saturating_sub(1);
            sample(
                page,
                "process_open_fds",
                "gauge",
                "Number of open file descriptors.",
                open,
            );
        }
        // SAFETY: getrlimit writes only into the struct we pass.
        let limit = unsafe {
            let mut limit: libc::rlimit = std::mem::zeroed();
            (libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0).then_some(limit)
        };
        if let Some(limit) = limit {
            sample(
                page,
                "process_max_fds",
                "gauge",
                "Maximum number of open file descriptors.",
                limit.rlim_cur,
            );
        }
    }

    /// The boot time (`btime` in `/proc/stat`), seconds since the epoch.
    fn boot_time() -> Option<u64> {
        std::fs::read_to_string("/proc/stat")
            .ok()?
            .lines()
            .find_map(|line| line.strip_prefix("btime "))
            .and_then(|value| value.trim().parse().ok())
    }
}
