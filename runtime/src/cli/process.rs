//! [`Process`]: the process types one binary can run, implemented by
//! `#[derive(twelve_factor::Process)]` on an enum; [`ProcessType`] describes one of them.

/// One process type of a binary: the name that selects it, its documentation, and how it runs.
/// `#[derive(twelve_factor::Process)]` produces one per variant, in declaration order.
///
/// ```
/// use twelve_factor::{Process, ProcessType};
///
/// #[derive(Process)]
/// enum Kind {
///     /// Serves HTTP.
///     #[process(default)]
///     Web,
///     /// Sends the daily digest, then exits.
///     #[process(one_off)]
///     SendDigest,
/// }
///
/// let digest: &ProcessType = &Kind::TYPES[1];
/// assert_eq!(digest.name, "send-digest");
/// assert_eq!(digest.doc, "Sends the daily digest, then exits.");
/// assert!(digest.one_off && !digest.default);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessType {
    /// The name that selects it, kebab-case: the variant's name (`SendDigest` →
    /// `send-digest`) or its `#[process(name = "…")]`.
    pub name: &'static str,
    /// Its documentation: the first paragraph of the variant's doc comment, or `""`.
    pub doc: &'static str,
    /// `#[process(one_off)]`: an admin task that runs to completion (a migration, a
    /// backfill), not a long-running service.
    pub one_off: bool,
    /// `#[process(default)]`: what runs when neither the first argument nor `PROCESS_TYPE`
    /// names a type. At most one type is the default.
    pub default: bool,
}

/// The process types of one binary (factor VIII, concurrency, and factor XII, admin
/// processes): one enum, one unit variant per type. The first command-line argument, or else
/// `PROCESS_TYPE`, or else the `#[process(default)]` variant, selects which one runs.
///
/// Derive it; the derive checks the enum at compile time (unit variants only, unique names,
/// at most one default).
///
/// ```
/// use twelve_factor::Process;
///
/// /// What this binary can run.
/// #[derive(Debug, PartialEq, Process)]
/// enum Kind {
///     /// Serves HTTP on PORT.
///     #[process(default)]
///     Web,
///     /// Consumes the job queue.
///     Worker,
///     /// Runs the database migrations, then exits.
///     #[process(one_off, name = "migrate")]
///     Release,
/// }
///
/// let names: Vec<&str> = Kind::TYPES.iter().map(|kind| kind.name).collect();
/// assert_eq!(names, ["web", "worker", "migrate"]);
/// assert_eq!(Kind::from_name("migrate"), Some(Kind::Release));
/// assert_eq!(Kind::Worker.name(), "worker");
/// assert_eq!(Kind::from_index(Kind::Worker.index()), Some(Kind::Worker));
/// assert_eq!(Kind::from_index(3), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of process types",
    label = "process types are an enum that derives `twelve_factor::Process`",
    note = "add `#[derive(twelve_factor::Process)]` to `{Self}`, an enum with one unit variant per process type"
)]
pub trait Process: Sized + Send + 'static {
    /// Every process type, in variant order; `TYPES[value.index()]` describes `value`.
    const TYPES: &'static [ProcessType];

    /// The variant described by `TYPES[index]`; `None` when `index` is out of range.
    fn from_index(index: usize) -> Option<Self>;

    /// The position of this variant's description in [`TYPES`](Process::TYPES).
    fn index(&self) -> usize;

    /// The name that selects this variant.
    fn name(&self) -> &'static str {
        Self::TYPES
            .get(self.index())
            .map_or("", |process_type| process_type.name)
    }

    /// The variant whose name is exactly `name`.
    fn from_name(name: &str) -> Option<Self> {
        let index = Self::TYPES
            .iter()
            .position(|process_type| process_type.name == name)?;
        Self::from_index(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the derive generates for `enum Kind { Web, Worker }`, written by hand.
    #[derive(Debug, PartialEq)]
    enum Kind {
        Web,
        Worker,
    }

    impl Process for Kind {
        const TYPES: &'static [ProcessType] = &[
            ProcessType {
                name: "web",
                doc: "",
                one_off: false,
                default: true,
            },
            ProcessType {
                name: "worker",
                doc: "",
                one_off: false,
                default: false,
            },
        ];

        fn from_index(index: usize) -> Option<Self> {
            match index {
                0 => Some(Self::Web),
                1 => Some(Self::Worker),
                _ => None,
            }
        }

        fn index(&self) -> usize {
            match self {
                Self::Web => 0,
                Self::Worker => 1,
            }
        }
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(Kind::Worker.name(), "worker");
        assert_eq!(Kind::from_name("web"), Some(Kind::Web));
        assert_eq!(Kind::from_name("Web"), None);
        assert_eq!(Kind::from_name(""), None);
    }
}
