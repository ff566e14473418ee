// The one table of the variables the runtime reads itself: name, description, default (as the
// variables table shows it), and what a configuration field should use instead.
//
// Data only, no imports: the macro crate compiles this same file (`macros/src/derive_config/reserved.rs`
// is a link to it) to refuse these names as configuration fields, and tests/it/config.rs reads it
// with `include!`. The runtime builds its `Variable` list and `env_table()` from it, and a test
// in config/table.rs checks that every variable config/runtime_vars.rs reads is a row here.

/// One variable the runtime reads.
#[allow(dead_code)] // each includer reads only some of the columns
pub(crate) struct Builtin {
    pub name: &'static str,
    pub doc: &'static str,
    pub default: Option<&'static str>,
    /// What a configuration field should use instead; `None` for the members of a
    /// [`RESERVED_PREFIXES`] family, which the family's message covers.
    pub instead: Option<&'static str>,
}

/// The runtime's variables, in the order `env_table()` lists them.
#[rustfmt::skip]
pub(crate) const BUILTIN: [Builtin; 15] = [
    row("PORT", "TCP port `app.listener()` binds", Some("8080, or the attribute's `port`"),
        Some("use `app.port()`")),
    row("HOST", "Address to bind", Some("0.0.0.0"), Some("use `app.host()` (or `app.addr()`)")),
    row("HEALTH_PORT", "Port of the probe listener (`/livez`, `/readyz`); must differ from `PORT`",
        None, Some("the runtime serves its probes there")),
    row("RUST_LOG", "tracing `EnvFilter` directives", Some("info"),
        Some("the runtime builds the log filter from it")),
    row("LOG_FORMAT", "`text` or `json`", Some("text, or the attribute's `log`"),
        Some("the runtime picks the log format from it; use the attribute's `log` argument for the default")),
    row("NO_COLOR", "Any non-empty value disables ANSI colours", None,
        Some("the runtime turns ANSI colours off with it")),
    row("SHUTDOWN_TIMEOUT", "Drain deadline after SIGTERM: `30s`, `500ms`, `2m`, `1h`, bare seconds",
        Some("9s, or the attribute's `shutdown_timeout`"),
        Some("use `app.shutdown_timeout()`; the attribute's `shutdown_timeout` sets the default")),
    row("SHUTDOWN_DELAY", "Keep serving this long after SIGTERM before draining", Some("0"),
        Some("the runtime waits it after SIGTERM, before `app.shutdown()` resolves")),
    row("NOTIFY_SOCKET", "systemd notify socket (set by systemd)", None,
        Some("the runtime speaks systemd's notify protocol; use `app.ready()`")),
    row("WATCHDOG_USEC", "systemd watchdog interval (set by systemd)", None, None),
    row("WATCHDOG_PID", "Process the watchdog is meant for (set by systemd)", None, None),
    row("LISTEN_FDS", "Sockets passed by systemd socket activation", None, None),
    row("LISTEN_PID", "Process the passed sockets are meant for", None, None),
    row("LISTEN_FDNAMES", "Names of the passed sockets", None, None),
    row("JOURNAL_STREAM", "Set by systemd; text logs drop timestamps under journald", None,
        Some("the runtime reads it to format logs for journald")),
];

/// Whole families the runtime owns (systemd socket activation and watchdog).
#[allow(dead_code)] // read by the macro crate
#[rustfmt::skip]
pub(crate) const RESERVED_PREFIXES: &[(&str, &str)] = &[
    ("LISTEN_", "the runtime takes socket-activation sockets; use `app.listener()` or `app.listener_named(..)`"),
    ("WATCHDOG_", "the runtime sends systemd's watchdog keep-alives"),
];

/// The names a configuration field cannot take, with what to use instead: the rows of
/// [`BUILTIN`] outside the [`RESERVED_PREFIXES`] families.
#[allow(dead_code)] // read by the macro crate
pub(crate) const RESERVED: &[(&str, &str)] = &RESERVED_ROWS;

#[allow(dead_code)]
const RESERVED_ROWS: [(&str, &str); reserved_count()] = {
    let mut rows = [("", ""); reserved_count()];
    let (mut index, mut next) = (0, 0);
    while index < BUILTIN.len() {
        if let Some(instead) = BUILTIN[index].instead {
            rows[next] = (BUILTIN[index].name, instead);
            next += 1;
        }
        index += 1;
    }
    rows
};

#[allow(dead_code)]
const fn reserved_count() -> usize {
    let (mut index, mut count) = (0, 0);
    while index < BUILTIN.len() {
        if BUILTIN[index].instead.is_some() {
            count += 1;
        }
        index += 1;
    }
    count
}

const fn row(
    name: &'static str,
    doc: &'static str,
    default: Option<&'static str>,
    instead: Option<&'static str>,
) -> Builtin {
    Builtin {
        name,
        doc,
        default,
        instead,
    }
}
