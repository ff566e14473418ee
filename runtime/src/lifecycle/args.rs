//! `main`'s parameters other than the `App`: a configuration struct and a set of process types,
//! in any order. A macro cannot tell them apart by name, so both derives implement the hidden
//! [`MainArg`] trait, whose [`KIND`](MainArg::KIND) tells the runtime which is which. The
//! expansion passes each such parameter's type through [`arg`] (the one place the bound is
//! required, spanned on the type), as a tuple the runtime reads with [`MainArgs`].

use crate::cli::{Process, ProcessType};
use crate::config::error::ConfigError;
use crate::config::reader::{Env, Sourced};
use crate::config::variable::Variable;
use crate::config::{read, suggest, Config, Unknown};

/// What a parameter of `main` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A `#[derive(Config)]` struct, read from the environment.
    Config,
    /// A `#[derive(Process)]` enum: the selected process type.
    Process,
}

/// A parameter of `main` other than the `App`; implemented by `#[derive(twelve_factor::Config)]`
/// and `#[derive(twelve_factor::Process)]`. Not a public API.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a configuration struct",
    label = "`main`'s parameters other than the `App` must derive `twelve_factor::Config` (or `twelve_factor::Process`)",
    note = "add `#[derive(twelve_factor::Config)]` to `{Self}` (or `#[derive(twelve_factor::Process)]` to an enum of process types)"
)]
pub trait MainArg: Sized {
    /// Which kind of parameter it is.
    const KIND: ArgKind;
    /// The process types, for a `Process` enum; empty otherwise.
    const TYPES: &'static [ProcessType] = &[];
    /// The variables, for a configuration struct; empty otherwise.
    const VARIABLES: &'static [Variable] = &[];

    /// Reads the value: the configuration from the environment, or the selected process type.
    /// `None` after an error, which is then in `context`.
    fn take(context: &mut ArgContext) -> Option<Self>;
}

/// What the runtime knows while it reads `main`'s parameters, and what the reading found.
#[derive(Default)]
pub struct ArgContext {
    /// The selected process type's index, when the binary has process types.
    pub(crate) selected: Option<usize>,
    pub(crate) errors: Vec<ConfigError>,
    pub(crate) sources: Vec<Sourced>,
    pub(crate) unknown: Option<fn() -> Vec<Unknown>>,
}

impl ArgContext {
    /// Reads configuration `C` from the process environment.
    pub fn config<C: Config>(&mut self) -> Option<C> {
        let read = read::<C>(&Env::Process);
        self.sources = read.sources;
        if !C::PREFIX.is_empty() {
            self.unknown = Some(unknown_in_process::<C>);
        }
        match read.result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.errors.extend(errors);
                None
            }
        }
    }

    /// The selected variant of `P`.
    pub fn process<P: Process>(&mut self) -> Option<P> {
        self.selected.and_then(P::from_index)
    }
}

/// Set variables with `C`'s prefix that are none of its variables, with the closest name.
fn unknown_in_process<C: Config>() -> Vec<Unknown> {
    suggest::unknown(C::PREFIX, C::VARIABLES, Env::Process.names_with(C::PREFIX))
}

/// One parameter's reader, made by [`arg`]: what the runtime needs of `T`, as values, so that
/// the tuple of readers is [`MainArgs`] whatever `T` (a type that is not a [`MainArg`] is then
/// reported once, on [`arg`]'s bound).
pub struct Arg<T> {
    types: &'static [ProcessType],
    variables: &'static [Variable],
    take: fn(&mut ArgContext) -> Option<T>,
}

/// The reader of a parameter of type `T`. The expansion calls it spanned on the parameter's
/// type, so a type that is neither a configuration nor a set of process types is reported there.
pub const fn arg<T: MainArg>() -> Arg<T> {
    Arg {
        types: T::TYPES,
        variables: T::VARIABLES,
        take: T::take,
    }
}

/// `main`'s parameters other than the `App`, as the tuple of their [`arg`] readers: `()`,
/// `(Arg<A>,)` or `(Arg<A>, Arg<B>)`.
pub trait MainArgs {
    /// The values `main` receives, in the parameters' order.
    type Values;

    /// The process types of the `Process` parameter, or empty.
    fn types(&self) -> &'static [ProcessType];

    /// The variables of the configuration parameter, or empty.
    fn variables(&self) -> &'static [Variable];

    /// Reads every value; `None` when one failed (its errors are in `context`).
    fn take(&self, context: &mut ArgContext) -> Option<Self::Values>;
}

impl MainArgs for () {
    type Values = ();

    fn types(&self) -> &'static [ProcessType] {
        &[]
    }

    fn variables(&self) -> &'static [Variable] {
        &[]
    }

    fn take(&self, _: &mut ArgContext) -> Option<()> {
        Some(())
    }
}

impl<A> MainArgs for (Arg<A>,) {
    type Values = (A,);

    fn types(&self) -> &'static [ProcessType] {
        self.0.types
    }

    fn variables(&self) -> &'static [Variable] {
        self.0.variables
    }

    fn take(&self, context: &mut ArgContext) -> Option<(A,)> {
        (self.0.take)(context).map(|a| (a,))
    }
}

impl<A, B> MainArgs for (Arg<A>, Arg<B>) {
    type Values = (A, B);

    fn types(&self) -> &'static [ProcessType] {
        if self.0.types.is_empty() {
            self.1.types
        } else {
            self.0.types
        }
    }

    fn variables(&self) -> &'static [Variable] {
        if self.0.variables.is_empty() {
            self.1.variables
        } else {
            self.0.variables
        }
    }

    fn take(&self, context: &mut ArgContext) -> Option<(A, B)> {
        // Both are read, so that every error of the configuration is reported.
        let a = (self.0.take)(context);
        let b = (self.1.take)(context);
        Some((a?, b?))
    }
}

/// Whether both parameters are of kind `kind`: the expansion asserts that they are not, at
/// compile time, spanned on the second parameter's type.
pub const fn both(first: ArgKind, second: ArgKind, kind: ArgKind) -> bool {
    same(first, kind) && same(second, kind)
}

const fn same(a: ArgKind, b: ArgKind) -> bool {
    matches!(
        (a, b),
        (ArgKind::Config, ArgKind::Config) | (ArgKind::Process, ArgKind::Process)
    )
}
