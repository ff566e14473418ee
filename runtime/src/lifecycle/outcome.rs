//! How `main`'s return value becomes an exit code and a log line.
//!
//! `main` may return what std's `main` may: `()`, `Result<(), E>`, `ExitCode`,
//! `Result<ExitCode, E>`, or any other `std::process::Termination` type. A configuration error
//! found by `main` itself (`Err(ConfigErrors)`, `Err(ConfigError)`, or a `Box<dyn Error>`,
//! `anyhow::Error` or `eyre::Report` holding one) is reported as the runtime's own are: one line per variable on stderr, exit 78. Any other
//! error is logged as
//! its chain of causes when `E` is a `std::error::Error` (or a box/wrapper that derefs to one,
//! such as `Box<dyn Error>` or `anyhow::Error`), and with `Debug` otherwise. Choosing between
//! those needs the concrete type, so the expansion calls `(&&&&&&Report::new(value)).outcome()`
//! where the type is known, and method resolution picks the most specific of the six traits
//! below (the "autoref specialization" technique).

use crate::config::error::{ConfigError, ConfigErrors};
use std::cell::Cell;
use std::error::Error;
use std::fmt::Debug;
use std::ops::Deref;
use std::process::{ExitCode, Termination};

/// What `main` ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `()` or `Ok(())`.
    Success,
    /// An exit code `main` chose: an `ExitCode`, `Ok(ExitCode)` or another `Termination` value.
    Exit(u8),
    /// `Err(e)`, described for the log.
    Failure(String),
    /// `Err` of bad configuration that `main` found: one stderr line each, exit 78.
    Config(ConfigErrors),
}

/// Wraps `main`'s return value for the trait dispatch; the chosen method takes the value out.
pub struct Report<T>(Cell<Option<T>>);

impl<T> Report<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Report(Cell::new(Some(value)))
    }

    fn take(&self) -> T {
        // Each dispatch method is called once, by the expansion, on a fresh `Report`.
        match self.0.take() {
            Some(value) => value,
            None => unreachable!("a Report is read once"),
        }
    }
}

/// The return types `main` may have: those std's `main` accepts.
#[diagnostic::on_unimplemented(
    message = "`main` must return `()`, `Result<(), E>`, `ExitCode`, `Result<ExitCode, E>` (with `E: Debug`) or another `std::process::Termination` type, not `{Self}`",
    label = "this is what `main` returns",
    note = "errors are logged with their chain of causes, then the process exits with code 1; an `ExitCode` is the process's exit code after the drain"
)]
pub trait MainReturn {}

impl<T: Termination> MainReturn for T {}

/// Rejects return types std's `main` would reject, with a clear message.
pub fn assert_main_return<T: MainReturn>(_: &T) {}

/// What an `Ok` value (or a plain return value) means: `()` is success, an `ExitCode` is that
/// code.
pub trait OkValue {
    /// The outcome.
    fn into_outcome(self) -> Outcome;
}

impl OkValue for () {
    fn into_outcome(self) -> Outcome {
        Outcome::Success
    }
}

impl OkValue for ExitCode {
    fn into_outcome(self) -> Outcome {
        Outcome::Exit(code_of(self))
    }
}

/// The number inside an `ExitCode` (a `u8` on Unix; std has no stable accessor, but it does
/// have equality).
fn code_of(code: ExitCode) -> u8 {
    (0..=u8::MAX)
        .find(|n| ExitCode::from(*n) == code)
        .unwrap_or(1)
}

/// Configuration errors: `Err(ConfigErrors)`, `Err(ConfigError)`. (A box, `anyhow::Error` or
/// `eyre::Report` holding them is found by [`ViaDerefError`].)
pub trait ViaConfig {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T: OkValue> ViaConfig for &&&&&Report<Result<T, ConfigErrors>> {
    fn outcome(&self) -> Outcome {
        match self.take() {
            Ok(value) => value.into_outcome(),
            Err(errors) => Outcome::Config(errors),
        }
    }
}

impl<T: OkValue> ViaConfig for &&&&&Report<Result<T, ConfigError>> {
    fn outcome(&self) -> Outcome {
        match self.take() {
            Ok(value) => value.into_outcome(),
            Err(error) => Outcome::Config(error.into()),
        }
    }
}

/// A boxed error: configuration errors when it is one, its chain of causes otherwise.
fn boxed(error: &(dyn Error + 'static)) -> Outcome {
    if let Some(errors) = error.downcast_ref::<ConfigErrors>() {
        return Outcome::Config(errors.clone());
    }
    if let Some(error) = error.downcast_ref::<ConfigError>() {
        return Outcome::Config(error.clone().into());
    }
    Outcome::Failure(chain(error))
}

/// `()`, `ExitCode`, and errors that implement `std::error::Error`: their chain of causes.
pub trait ViaError {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T: OkValue> ViaError for &&&&Report<T> {
    fn outcome(&self) -> Outcome {
        self.take().into_outcome()
    }
}

impl<T: OkValue, E: Error> ViaError for &&&&Report<Result<T, E>> {
    fn outcome(&self) -> Outcome {
        match self.take() {
            Ok(value) => value.into_outcome(),
            Err(error) => Outcome::Failure(chain(&error)),
        }
    }
}

/// Errors that deref to a `std::error::Error`: `Box<dyn Error>`, `anyhow::Error`, `eyre::Report`,
/// `Arc<dyn Error>`.
/// Configuration errors inside them (`?` on a `ConfigErrors` in an `anyhow::Result` main) are
/// still configuration errors.
pub trait ViaDerefError {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T: OkValue, E> ViaDerefError for &&&Report<Result<T, E>>
where
    E: Deref,
    E::Target: AsDynError,
{
    fn outcome(&self) -> Outcome {
        match self.take() {
            Ok(value) => value.into_outcome(),
            Err(error) => boxed(error.as_dyn_error()),
        }
    }
}

/// An error, or an error trait object, seen as `dyn Error` so that it can be downcast.
pub trait AsDynError {
    /// `self` as a trait object.
    fn as_dyn_error(&self) -> &(dyn Error + 'static);
}

impl<E: Error + 'static> AsDynError for E {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + Send + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

impl AsDynError for dyn Error + Send + Sync + 'static {
    fn as_dyn_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

/// Any other `Debug` error.
pub trait ViaDebug {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T: OkValue, E: Debug> ViaDebug for &&Report<Result<T, E>> {
    fn outcome(&self) -> Outcome {
        match self.take() {
            Ok(value) => value.into_outcome(),
            Err(error) => Outcome::Failure(format!("{error:?}")),
        }
    }
}

/// Any other `Termination` type: its `report()` is the exit code (std's own `Result`
/// reporting prints the error to stderr, as std's `main` does).
pub trait ViaTermination {
    /// The outcome.
    fn outcome(&self) -> Outcome;
}

impl<T: Termination> ViaTermination for &Report<T> {
    fn outcome(&self) -> Outcome {
        Outcome::Exit(code_of(self.take().report()))
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

/// Runs an `async fn main() -> !`. Generic over the output, so the expansion never holds a
/// value of type `!` (which would need never-type fallback); the `Outcome` is never produced.
pub async fn never<F: std::future::Future>(main: F) -> Outcome {
    main.await;
    Outcome::Failure("main returned from `-> !`".to_owned())
}

/// Runs a synchronous `fn main() -> !`; see [`never`].
pub fn never_sync<T, F: FnOnce() -> T>(main: F) -> Outcome {
    main();
    Outcome::Failure("main returned from `-> !`".to_owned())
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
        assert_eq!((&&&&&Report::new(())).outcome(), Outcome::Success);
        assert_eq!(
            (&&&&&Report::new(Ok::<(), Outer>(()))).outcome(),
            Outcome::Success
        );
    }

    #[test]
    fn errors_log_their_chain() {
        let outcome = (&&&&&Report::new(Err::<(), _>(Outer(io())))).outcome();
        assert_eq!(
            outcome,
            Outcome::Failure("loading config: no such file".into())
        );
    }

    #[test]
    fn boxed_errors_log_their_chain() {
        let boxed: Box<dyn Error> = Box::new(Outer(io()));
        let outcome = (&&&&&Report::new(Err::<(), _>(boxed))).outcome();
        assert_eq!(
            outcome,
            Outcome::Failure("loading config: no such file".into())
        );
        let sendable: Box<dyn Error + Send + Sync> = "plain message".into();
        let outcome = (&&&&&Report::new(Err::<(), _>(sendable))).outcome();
        assert_eq!(outcome, Outcome::Failure("plain message".into()));
    }

    #[test]
    fn exit_codes_pass_through() {
        use std::process::ExitCode;
        assert_eq!(
            (&&&&&Report::new(ExitCode::from(3))).outcome(),
            Outcome::Exit(3)
        );
        assert_eq!(
            (&&&&&Report::new(ExitCode::SUCCESS)).outcome(),
            Outcome::Exit(0)
        );
        assert_eq!(
            (&&&&&Report::new(Ok::<_, Outer>(ExitCode::from(42)))).outcome(),
            Outcome::Exit(42)
        );
        let outcome = (&&&&&Report::new(Err::<ExitCode, _>(Outer(io())))).outcome();
        assert_eq!(
            outcome,
            Outcome::Failure("loading config: no such file".into())
        );
    }

    #[test]
    fn other_termination_types_report_their_code() {
        struct Custom;
        impl std::process::Termination for Custom {
            fn report(self) -> std::process::ExitCode {
                std::process::ExitCode::from(7)
            }
        }
        assert_eq!((&&&&&Report::new(Custom)).outcome(), Outcome::Exit(7));
    }

    #[test]
    fn debug_only_errors_use_debug() {
        #[derive(Debug)]
        struct Code(u8);
        assert_eq!(Code(3).0, 3);
        let outcome = (&&&&&Report::new(Err::<(), _>(Code(3)))).outcome();
        assert_eq!(outcome, Outcome::Failure("Code(3)".into()));
    }

    #[test]
    fn configuration_errors_are_exit_78_material() {
        let one = ConfigError::new("APP_PORT", "x", "expected a port");
        let errors = ConfigErrors::from(vec![one.clone()]);
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(errors.clone()))).outcome(),
            Outcome::Config(errors.clone())
        );
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(one.clone()))).outcome(),
            Outcome::Config(errors.clone())
        );
        let boxed: Box<dyn Error> = Box::new(errors.clone());
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(boxed))).outcome(),
            Outcome::Config(errors.clone())
        );
        let sendable: Box<dyn Error + Send + Sync> = Box::new(one);
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(sendable))).outcome(),
            Outcome::Config(errors)
        );
        // Everything else still goes the usual way.
        let other: Box<dyn Error> = Box::new(Outer(io()));
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(other))).outcome(),
            Outcome::Failure("loading config: no such file".to_owned())
        );
        assert_eq!((&&&&&&Report::new(())).outcome(), Outcome::Success);
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(Outer(io())))).outcome(),
            Outcome::Failure("loading config: no such file".to_owned())
        );
    }

    /// An error type shaped like `anyhow::Error` and `eyre::Report`: not an `Error` itself, it
    /// derefs to `dyn Error + Send + Sync`.
    #[derive(Debug)]
    struct Opaque(Box<dyn Error + Send + Sync>);

    impl Deref for Opaque {
        type Target = dyn Error + Send + Sync + 'static;
        fn deref(&self) -> &Self::Target {
            &*self.0
        }
    }

    #[test]
    fn configuration_errors_inside_anyhow_like_errors_are_still_exit_78() {
        let errors = ConfigErrors::from(vec![ConfigError::new("WORKERS", "many", "expected a number")]);
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(Opaque(Box::new(errors.clone()))))).outcome(),
            Outcome::Config(errors)
        );
        assert_eq!(
            (&&&&&&Report::new(Err::<(), _>(Opaque(Box::new(Outer(io())))))).outcome(),
            Outcome::Failure("loading config: no such file".to_owned())
        );
    }
}
