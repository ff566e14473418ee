//! How `main`'s return value becomes an exit code and a log line.
//!
//! `main` may return `()` or `Result<(), E>`. An error is logged as its chain of causes when `E`
//! is a `std::error::Error` (or a box/wrapper that derefs to one, such as
//! `Box<dyn Error>` or `anyhow::Error`), and with `Debug` otherwise. Choosing between those
//! needs the concrete type, so the expansion calls `(&&&&Report(value)).outcome()` where the
//! type is known, and method resolution picks the most specific of the four traits below
//! (the "autoref specialization" technique).

use std::error::Error;
use std::fmt::Debug;
use std::ops::Deref;

/// What `main` ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `()` or `Ok(())`.
    Success,
    /// `Err(e)`, described for the log.
    Failure(String),
}

/// Wraps `main`'s return value for the trait dispatch.
pub struct Report<T>(pub T);

/// The return types `main` may have.
#[diagnostic::on_unimplemented(
    message = "`main` must return `()` or `Result<(), E>` with `E: Debug`, not `{Self}`",
    label = "this is what `main` returns",
    note = "errors are logged with their chain of causes, then the process exits with code 1"
)]
pub trait MainReturn {}

impl MainReturn for () {}
impl<E: Debug> MainReturn for Result<(), E> {}

/// Rejects return types other than `()` and `Result<(), E: Debug>` with a clear message.
pub fn assert_main_return<T: MainReturn>(_: &T) {}

/// `()`, and errors that implement `std::error::Error`: their chain of causes.
pub trait ViaError {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl ViaError for &&&Report<()> {
    fn outcome(&self) -> Outcome {
        Outcome::Success
    }
}

impl<E: Error> ViaError for &&&Report<Result<(), E>> {
    fn outcome(&self) -> Outcome {
        match &self.0 {
            Ok(()) => Outcome::Success,
            Err(error) => Outcome::Failure(chain(error)),
        }
    }
}

/// Errors that deref to a `std::error::Error`: `Box<dyn Error>`, `anyhow::Error`.
pub trait ViaDerefError {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<E> ViaDerefError for &&Report<Result<(), E>>
where
    E: Deref,
    E::Target: Error,
{
    fn outcome(&self) -> Outcome {
        match &self.0 {
            Ok(()) => Outcome::Success,
            Err(error) => Outcome::Failure(chain(&**error)),
        }
    }
}

/// Any other `Debug` error.
pub trait ViaDebug {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<E: Debug> ViaDebug for &Report<Result<(), E>> {
    fn outcome(&self) -> Outcome {
        match &self.0 {
            Ok(()) => Outcome::Success,
            Err(error) => Outcome::Failure(format!("{error:?}")),
        }
    }
}

/// The fallback that keeps the call well-formed for any type, so that a wrong return type is
/// reported once, by [`assert_main_return`], not a second time here. Never reached at run time:
/// a program whose `main` lands here does not compile.
pub trait ViaUnchecked {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T> ViaUnchecked for Report<T> {
    fn outcome(&self) -> Outcome {
        Outcome::Failure("main returned a type twelve_factor does not support".to_owned())
    }
}

/// `error: cause: cause of cause`.
fn chain<E: Error + ?Sized>(error: &E) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Wrappers often repeat their cause in their own message; don't print it twice.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // the extra `&` is the point: it mirrors the expansion
mod tests {
    use super::*;
    use std::fmt;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("loading config")
        }
    }
    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    fn io() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")
    }

    #[test]
    fn unit_and_ok_succeed() {
        assert_eq!((&&&&Report(())).outcome(), Outcome::Success);
        assert_eq!(
            (&&&&Report(Ok::<(), Outer>(()))).outcome(),
            Outcome::Success
        );
    }

    #[test]
    fn errors_log_their_chain() {
        let outcome = (&&&&Report(Err::<(), _>(Outer(io())))).outcome();
        assert_eq!(
            outcome,
            Outcome::Failure("loading config: no such file".into())
        );
    }

    #[test]
    fn boxed_errors_log_their_chain() {
        let boxed: Box<dyn Error> = Box::new(Outer(io()));
        let outcome = (&&&&Report(Err::<(), _>(boxed))).outcome();
        assert_eq!(
            outcome,
            Outcome::Failure("loading config: no such file".into())
        );
        let sendable: Box<dyn Error + Send + Sync> = "plain message".into();
        let outcome = (&&&&Report(Err::<(), _>(sendable))).outcome();
        assert_eq!(outcome, Outcome::Failure("plain message".into()));
    }

    #[test]
    fn debug_only_errors_use_debug() {
        #[derive(Debug)]
        struct Code(u8);
        assert_eq!(Code(3).0, 3);
        let outcome = (&&&&Report(Err::<(), _>(Code(3)))).outcome();
        assert_eq!(outcome, Outcome::Failure("Code(3)".into()));
    }
}
