//! How a field's text becomes its value: `FromStr`, `bool`, `Duration`, comma-separated lists
//! and secrets. The derive picks one of these per field from its type.

use crate::config::secret::Secret;
use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

/// Through the type's `FromStr`; the error is its `Display`.
///
/// ```
/// use twelve_factor::__private::field_parse::from_str;
/// assert_eq!(from_str::<u16>("4"), Ok(4));
/// assert_eq!(from_str::<u16>("many"), Err("invalid digit found in string".to_owned()));
/// ```
pub fn from_str<T>(text: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse::<T>().map_err(|error| error.to_string())
}

/// A `FromStr` result with its error as text.
///
/// ```
/// use twelve_factor::__private::field_parse::display_error;
/// assert_eq!(display_error("x".parse::<u8>()), Err("invalid digit found in string".to_owned()));
/// ```
pub fn display_error<T, E: Display>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|error| error.to_string())
}

/// `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
///
/// ```
/// use twelve_factor::__private::field_parse::boolean;
/// assert_eq!(boolean("Yes"), Ok(true));
/// assert_eq!(boolean("OFF"), Ok(false));
/// assert!(boolean("maybe").is_err());
/// ```
pub fn boolean(text: &str) -> Result<bool, String> {
    const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
    const FALSE: [&str; 4] = ["false", "0", "no", "off"];
    if TRUE.iter().any(|word| word.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if FALSE.iter().any(|word| word.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err("expected true/false, 1/0, yes/no or on/off".to_owned())
    }
}

/// `SHUTDOWN_TIMEOUT`'s grammar: `500ms`, `30s`, `2m`, `1h`, bare seconds.
///
/// ```
/// use std::time::Duration;
/// use twelve_factor::__private::field_parse::duration;
/// assert_eq!(duration("30s"), Ok(Duration::from_secs(30)));
/// assert!(duration("soon").is_err());
/// ```
pub fn duration(text: &str) -> Result<Duration, String> {
    crate::config::duration::parse(text).ok_or_else(|| crate::config::duration::EXPECTED.to_owned())
}

/// Comma-separated items, each trimmed and parsed by `item`; an empty value is an empty list.
///
/// ```
/// use twelve_factor::__private::field_parse::{from_str, list};
/// assert_eq!(list("1, 2,3", from_str::<u8>), Ok(vec![1, 2, 3]));
/// assert_eq!(list("", from_str::<u8>), Ok(vec![]));
/// assert_eq!(list("1,x", from_str::<u8>), Err("item 2 (\"x\"): invalid digit found in string".to_owned()));
/// ```
pub fn list<T>(text: &str, item: fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(index, part)| {
            let part = part.trim();
            item(part).map_err(|why| format!("item {} ({part:?}): {why}", index + 1))
        })
        .collect()
}

/// Parses with `inner` and wraps the value in a [`Secret`].
///
/// ```
/// use twelve_factor::__private::field_parse::{from_str, secret};
/// assert_eq!(secret("abc", from_str::<String>).unwrap().expose(), "abc");
/// ```
pub fn secret<T>(text: &str, inner: fn(&str) -> Result<T, String>) -> Result<Secret<T>, String> {
    inner(text).map(Secret::new)
}
