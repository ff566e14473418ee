// The variables the runtime reads itself, with what to use instead. A configuration field
// cannot read them. Also read as data by tests/config.rs, which checks the list against the
// runtime's own; keep this file one constant.
pub(crate) const RESERVED: &[(&str, &str)] = &[
    ("PORT", "use `app.port()`"),
    ("HOST", "use `app.host()` (or `app.addr()`)"),
    ("RUST_LOG", "the runtime builds the log filter from it"),
    ("LOG_FORMAT", "the runtime picks the log format from it; use the attribute's `log` argument for the default"),
    ("NO_COLOR", "the runtime turns ANSI colours off with it"),
    ("SHUTDOWN_TIMEOUT", "use `app.shutdown_timeout()`; the attribute's `shutdown_timeout` sets the default"),
    ("SHUTDOWN_DELAY", "the runtime waits it after SIGTERM, before `app.shutdown()` resolves"),
    ("NOTIFY_SOCKET", "the runtime speaks systemd's notify protocol; use `app.ready()`"),
    ("JOURNAL_STREAM", "the runtime reads it to format logs for journald"),
    ("HEALTH_PORT", "the runtime serves its probes there"),
];

// Whole families the runtime owns (systemd socket activation and watchdog).
pub(crate) const RESERVED_PREFIXES: &[(&str, &str)] = &[
    ("LISTEN_", "the runtime takes socket-activation sockets; use `app.listener()` or `app.listener_named(..)`"),
    ("WATCHDOG_", "the runtime sends systemd's watchdog keep-alives"),
];
