//! [`env_table`]: the Markdown table of every variable a service reads, for its README.

use crate::user_config::Config;
use crate::variable::Variable;

/// The variables the runtime itself reads, whatever the service's configuration.
pub(crate) const BUILTIN: &[Variable] = &[
    builtin(
        "PORT",
        "TCP port `app.listener()` binds",
        Some("8080, or the attribute's `port`"),
    ),
    builtin("HOST", "Address to bind", Some("0.0.0.0")),
    builtin(
        "HEALTH_PORT",
        "Port of the probe listener (`/livez`, `/readyz`); must differ from `PORT`",
        None,
    ),
    builtin("RUST_LOG", "tracing `EnvFilter` directives", Some("info")),
    builtin(
        "LOG_FORMAT",
        "`text` or `json`",
        Some("text, or the attribute's `log`"),
    ),
    builtin(
        "NO_COLOR",
        "Any non-empty value disables ANSI colours",
        None,
    ),
    builtin(
        "SHUTDOWN_TIMEOUT",
        "Drain deadline after SIGTERM: `30s`, `500ms`, `2m`, `1h`, bare seconds",
        Some("9s, or the attribute's `shutdown_timeout`"),
    ),
    builtin(
        "SHUTDOWN_DELAY",
        "Keep serving this long after SIGTERM before draining",
        Some("0"),
    ),
    builtin(
        "NOTIFY_SOCKET",
        "systemd notify socket (set by systemd)",
        None,
    ),
    builtin(
        "WATCHDOG_USEC",
        "systemd watchdog interval (set by systemd)",
        None,
    ),
    builtin(
        "WATCHDOG_PID",
        "Process the watchdog is meant for (set by systemd)",
        None,
    ),
    builtin(
        "LISTEN_FDS",
        "Sockets passed by systemd socket activation",
        None,
    ),
    builtin(
        "LISTEN_PID",
        "Process the passed sockets are meant for",
        None,
    ),
    builtin("LISTEN_FDNAMES", "Names of the passed sockets", None),
    builtin(
        "JOURNAL_STREAM",
        "Set by systemd; text logs drop timestamps under journald",
        None,
    ),
];

const fn builtin(name: &'static str, doc: &'static str, default: Option<&'static str>) -> Variable {
    Variable {
        name,
        field: "",
        doc,
        default,
        required: false,
        secret: false,
    }
}

/// A Markdown table of every variable the process reads: the runtime's own, then those of `C`,
/// with each one's description, default, whether it is required and whether it is secret.
/// Each of the user's variables can also be given as a file through `NAME_FILE`.
///
/// ```
/// /// Settings of the shop service.
/// #[derive(twelve_factor::Config)]
/// #[config(prefix = "SHOP_")]
/// struct Settings {
///     /// Postgres connection string.
///     database_url: String,
///     #[config(secret)]
///     api_token: twelve_factor::Secret<String>,
/// }
///
/// let table = twelve_factor::env_table::<Settings>();
/// assert!(table.starts_with("| variable | description | default | required | secret |\n"));
/// assert!(table.contains("| `SHOP_DATABASE_URL` | Postgres connection string. | – | yes | no |\n"));
/// assert!(table.contains("| `SHOP_API_TOKEN` |  | – | yes | yes |\n"));
/// ```
pub fn env_table<C: Config>() -> String {
    let mut table = String::from(
        "| variable | description | default | required | secret |\n|---|---|---|---|---|\n",
    );
    for variable in BUILTIN.iter().chain(C::VARIABLES) {
        let default = match variable.default {
            None => "–".to_owned(),
            Some("") => "(empty)".to_owned(),
            Some(default) if variable.field.is_empty() => cell(default),
            Some(default) => format!("`{}`", cell(default)),
        };
        let yes_no = |flag: bool| if flag { "yes" } else { "no" };
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            variable.name,
            cell(variable.doc),
            default,
            yes_no(variable.required),
            yes_no(variable.secret),
        ));
    }
    table
}

/// Text that stays inside one table cell.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::cell;

    /// Every variable `config.rs` reads is in the table (and so refused by the derive).
    #[test]
    fn builtin_lists_every_variable_the_runtime_reads() {
        let source = include_str!("config.rs");
        let read: Vec<&str> = source
            .split("var(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
            .collect();
        assert!(read.len() >= 15, "{read:?}");
        for name in read {
            assert!(
                super::BUILTIN.iter().any(|variable| variable.name == name),
                "{name} is read by config.rs but missing from BUILTIN"
            );
        }
    }

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a | b\n c"), "a \\| b c");
    }
}
