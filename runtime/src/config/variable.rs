//! [`Variable`]: what the process knows about one environment variable it reads.

/// One environment variable of a configuration: its name, what it is for, its default, and
/// whether it is required or secret. `#[derive(twelve_factor::Config)]` produces one per field;
/// [`env_table`](crate::env_table) prints them.
///
/// ```
/// use twelve_factor::{Config, Variable};
///
/// /// Settings.
/// #[derive(Config)]
/// #[config(prefix = "SHOP_")]
/// struct Settings {
///     /// Worker threads.
///     #[config(default = "4")]
///     workers: u16,
/// }
///
/// let workers: &Variable = &Settings::VARIABLES[0];
/// assert_eq!(workers.name, "SHOP_WORKERS");
/// assert_eq!(workers.doc, "Worker threads.");
/// assert_eq!(workers.default, Some("4"));
/// assert!(!workers.required && !workers.secret);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable {
    /// The variable's name, prefix included.
    pub name: &'static str,
    /// The field it fills (empty for the runtime's own variables).
    pub field: &'static str,
    /// Its documentation: the field's doc comment.
    pub doc: &'static str,
    /// The value used when it is unset, written as the variable would be.
    pub default: Option<&'static str>,
    /// Unset with no default is an error (false for `Option` fields and fields with a default).
    pub required: bool,
    /// Its value is never shown: not in errors, not in logs.
    pub secret: bool,
}
