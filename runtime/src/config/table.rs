//! [`env_table`]: the Markdown table of every variable a service reads, for its README.

use crate::config::builtin::BUILTIN;
use crate::config::variable::Variable;
use crate::config::Config;

/// The variables the runtime itself reads, whatever the service's configuration: the rows of
/// the one table in `builtin.rs`.
pub(crate) const BUILTIN_VARIABLES: [Variable; BUILTIN.len()] = {
    let mut variables = [builtin("", "", None); BUILTIN.len()];
    let mut index = 0;
    while index < BUILTIN.len() {
        let row = &BUILTIN[index];
        variables[index] = builtin(row.name, row.doc, row.default);
        index += 1;
    }
    variables
};

/// The variables the runtime itself reads, in the order `--help` lists them: for a program that
/// writes its own help (clap's `after_help`), with [`help_sections`](crate::help_sections).
///
/// ```
/// let names: Vec<&str> = twelve_factor::builtin_variables().iter().map(|v| v.name).collect();
/// assert!(names.contains(&"PORT") && names.contains(&"PROCESS_TYPE"));
/// ```
pub fn builtin_variables() -> &'static [Variable] {
    &BUILTIN_VARIABLES
}

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
    for variable in BUILTIN_VARIABLES.iter().chain(C::VARIABLES) {
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

    /// Every variable `runtime_vars.rs` reads is in the table (and so refused by the derive).
    #[test]
    fn builtin_lists_every_variable_the_runtime_reads() {
        let source = include_str!("runtime_vars.rs");
        let read: Vec<&str> = source
            .split("var(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
            .collect();
        assert!(read.len() >= 15, "{read:?}");
        for name in read {
            assert!(
                super::BUILTIN_VARIABLES
                    .iter()
                    .any(|variable| variable.name == name),
                "{name} is read by runtime_vars.rs but missing from BUILTIN"
            );
        }
    }

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a | b\n c"), "a \\| b c");
    }
}
