//! The detector on crates shaped to break it, built for real with `cargo check`: packages
//! generated at test time under `target/no_daemon_generated/` (a 200 kB nesting file and a
//! symlink loop are not things to keep in git).
//!
//! - a file nested 100,000 groups deep, `include!`d from a `macro_rules!` that is never
//!   invoked, compiles: rustc never reads it, the detector does and must not overflow its stack
//!   (and with `libc::fork` at the bottom it is denied, so the file really is read);
//! - `include!` inside a macro's body or a function's body is followed;
//! - a directory symlinked to itself is read once, so a banned call in it is one error with one
//!   location, not one per trip around the loop.

mod no_daemon_support;

use no_daemon_support::cargo_check_in;
use std::fs;
use std::path::{Path, PathBuf};

/// A fresh package directory `name` with `main_rs` as its binary's root and `deps` as its
/// `[dependencies]` after the facade.
fn package(name: &str, deps: &str, main_rs: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/no_daemon_generated")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    let facade = Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string();
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\ntwelvefactor = {{ path = {facade:?} }}\n{deps}"
        ),
    )
    .unwrap();
    fs::write(dir.join("src/main.rs"), main_rs).unwrap();
    dir
}

const DEPTH: usize = 100_000;

/// A package whose `main.rs` holds a `macro_rules!` that is never invoked and `include!`s
/// `deep.rs`: `bottom` nested `DEPTH` groups deep. rustc never reads the file; the detector
/// follows the `include!` and reads it to the bottom.
fn deep_include(name: &str, bottom: &str) -> PathBuf {
    let dir = package(
        name,
        "libc = \"0.2\"\n",
        "#[allow(unused_macros)]\n\
         macro_rules! never_invoked {\n    () => {\n        include!(\"deep.rs\")\n    };\n}\n\n\
         #[twelve_factor::main]\n\
         async fn main() {}\n",
    );
    let deep = format!("{}{bottom}{}", "(".repeat(DEPTH), ")".repeat(DEPTH));
    fs::write(dir.join("src/deep.rs"), deep).unwrap();
    dir
}

#[test]
fn a_file_nested_100k_deep_in_an_uninvoked_macro_compiles() {
    // `fork()` at the bottom makes the file a candidate, so it is lexed and checked all the way
    // down; a name that resolves to nothing is never a finding.
    let checked = cargo_check_in(&deep_include("deep_include_clean", "fork()"), &[]);
    assert!(
        checked.success,
        "the 100k-deep include should compile:\n{}",
        checked.stderr
    );
}

#[test]
fn a_banned_call_100k_deep_is_still_found() {
    // The same file with `libc::fork()` at the bottom: proof that the file above is read.
    let checked = cargo_check_in(&deep_include("deep_include_fork", "libc::fork()"), &[]);
    assert!(!checked.success, "{}", checked.stderr);
    let at = format!("src/deep.rs:1:{}", DEPTH + 1);
    assert!(
        checked.stderr.contains("`libc::fork`") && checked.stderr.contains(&at),
        "expected libc::fork at {at}:\n{}",
        checked.stderr
    );
}

#[test]
fn include_in_a_macro_body_or_a_function_body_is_read() {
    for (name, main_rs, included) in [
        (
            "include_in_macro_body",
            "macro_rules! platform {\n    () => {\n        include!(\"imp.rs\");\n    };\n}\n\
             platform!();\n\n#[twelve_factor::main]\nasync fn main() {\n    detach();\n}\n",
            "fn detach() {\n    unsafe { libc::setsid() };\n}\n",
        ),
        (
            "include_in_fn_body",
            "fn detach() -> i32 {\n    include!(\"imp.rs\")\n}\n\n\
             #[twelve_factor::main]\nasync fn main() {\n    detach();\n}\n",
            "unsafe { libc::setsid() }\n",
        ),
    ] {
        let dir = package(name, "libc = \"0.2\"\n", main_rs);
        fs::write(dir.join("src/imp.rs"), included).unwrap();
        let checked = cargo_check_in(&dir, &[]);
        assert!(!checked.success, "{name} should be denied");
        assert!(
            checked.stderr.contains("`libc::setsid` at src/imp.rs:"),
            "{name}:\n{}",
            checked.stderr
        );
    }
}

#[test]
fn a_directory_symlinked_to_itself_reports_each_finding_once() {
    let dir = package(
        "symlink_loop",
        "libc = \"0.2\"\n",
        "mod sub;\n\n#[twelve_factor::main]\nasync fn main() {\n    sub::go();\n}\n",
    );
    fs::create_dir_all(dir.join("src/sub")).unwrap();
    // `again` is `sub` itself: sub/again/mod.rs, sub/again/again/mod.rs, … are one file. The
    // `cfg(any())` keeps rustc out of the loop; the detector reads every `mod`, cfg'd or not.
    fs::write(
        dir.join("src/sub/mod.rs"),
        "pub fn go() {\n    let _ = unsafe { libc::fork() };\n}\n\n#[cfg(any())]\nmod again;\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".", dir.join("src/sub/again")).unwrap();
    let checked = cargo_check_in(&dir, &[]);
    assert!(
        !checked.success,
        "libc::fork should be denied:\n{}",
        checked.stderr
    );
    let errors: Vec<&str> = checked
        .stderr
        .lines()
        .filter(|line| line.contains("banned by #[twelve_factor::main]"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", checked.stderr);
    assert!(errors[0].contains("libc::fork"), "{}", errors[0]);
    assert_eq!(
        checked.stderr.matches("mod.rs:2:").count(),
        1,
        "one location for the one call:\n{}",
        checked.stderr
    );
}
