//! `--version`: the program's name and version, one line.

use std::ffi::OsStr;

/// Whether the first command-line argument asks for the version: `--version` or `-V`. Only
/// the first argument counts; later ones belong to the program.
pub fn is_version(first_arg: Option<&OsStr>) -> bool {
    first_arg.is_some_and(|arg| arg == "--version" || arg == "-V")
}

/// `name version` and a newline, as `--version` prints it.
pub fn version_text(package: &str, version: &str) -> String {
    format!("{package} {version}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_only_as_the_first_argument() {
        assert!(is_version(Some(OsStr::new("--version"))));
        assert!(is_version(Some(OsStr::new("-V"))));
        assert!(!is_version(Some(OsStr::new("-v"))));
        assert!(!is_version(Some(OsStr::new("version"))));
        assert!(!is_version(None));
    }

    #[test]
    fn one_line() {
        assert_eq!(version_text("shop", "1.2.3"), "shop 1.2.3\n");
    }
}
