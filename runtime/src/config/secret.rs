//! [`Secret`]: a configuration value that never shows itself in logs, errors or `Debug`.

use std::fmt;

/// A value that is kept out of `Debug` and `Display` output: both print `[redacted]`. Read it
/// with [`expose`](Secret::expose) where it is used, and nowhere else.
///
/// A `Secret<T>` field of a `#[derive(twelve_factor::Config)]` struct is also kept out of the
/// configuration's error lines and its start-up log event.
///
/// ```
/// use twelve_factor::Secret;
///
/// let token = Secret::new(String::from("hunter2"));
/// assert_eq!(format!("{token:?}"), "Secret([redacted])");
/// assert_eq!(token.to_string(), "[redacted]");
/// assert_eq!(token.expose(), "hunter2");
/// ```
///
/// It does not zero its memory on drop: see the README for why this crate does not use the
/// `secrecy` crate.
#[derive(Clone, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    ///
    /// ```
    /// let key = twelve_factor::Secret::new(vec![1u8, 2, 3]);
    /// assert_eq!(key.expose().len(), 3);
    /// ```
    pub const fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself, for the one place that needs it.
    ///
    /// ```
    /// let token = twelve_factor::Secret::new("abc".to_owned());
    /// let header = format!("Bearer {}", token.expose());
    /// assert_eq!(header, "Bearer abc");
    /// ```
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    ///
    /// ```
    /// let token = twelve_factor::Secret::new(7u32);
    /// assert_eq!(token.into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn alternate_and_nested_debug_stay_redacted() {
        let secret = Secret::new(("user", "pass"));
        assert_eq!(format!("{secret:#?}"), "Secret([redacted])");
        assert_eq!(
            format!("{:?}", Some(Secret::new("pass"))),
            "Some(Secret([redacted]))"
        );
        assert_eq!(format!("{secret:>20}"), "[redacted]");
    }
}
