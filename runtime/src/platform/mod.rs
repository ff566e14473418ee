//! The operating system, as the runtime needs it: the signal mask, systemd's notify protocol
//! and socket activation, and zombie reaping as PID 1.
//!
//! Nothing here imports from the rest of the crate: parsers of the systemd variables report a
//! [`BadValue`], which the configuration room turns into its `ConfigError`.

pub(crate) mod activation;
pub(crate) mod notify;
pub(crate) mod reaper;
pub(crate) mod sigmask;

/// A whole number written with ASCII digits only: no sign, no spaces, no other digits (`str::parse`
/// alone accepts a leading `+`).
pub(crate) fn parse_digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A variable whose value the OS glue cannot use: its name, the value, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadValue {
    pub variable: &'static str,
    pub value: String,
    pub why: String,
}

impl BadValue {
    pub(crate) fn new(
        variable: &'static str,
        value: impl Into<String>,
        why: impl Into<String>,
    ) -> BadValue {
        BadValue {
            variable,
            value: value.into(),
            why: why.into(),
        }
    }

    /// The variable's name.
    #[cfg(test)]
    pub(crate) fn variable(&self) -> &'static str {
        self.variable
    }
}
