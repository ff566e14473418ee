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
//! - shapes re-written from public programs that daemonize or redirect stdout (renamed and
//!   re-exported imports, `dup2` onto a named descriptor, `freopen`, rustix's `dup2`, extern
//!   declarations, macros) are denied, and their look-alikes (build script, tests, examples,
//!   `cfg(test)`, descriptors 3 and up, a feature that is off) compile.

use crate::support::cargo::cargo_check_in;
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
            checked.stderr.contains("`libc::setsid` in src/imp.rs:"),
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
        .filter(|line| line.contains("is banned: "))
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

// Shapes found in public programs that daemonize or redirect their output, re-written (and
// their legitimate look-alikes). Each row: package name, `[dependencies]` and any later manifest
// tables, `src/main.rs` before the attributed `main` (which calls `detach()`), extra files.

const MAIN: &str = "\n#[twelve_factor::main]\nasync fn main() {\n    detach();\n}\n";
const LIBC: &str = "libc = \"0.2\"\n";
const NIX_PROCESS: &str = "nix = { version = \"0.29\", features = [\"process\"] }\n";

type Shape = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

fn shape_package((name, deps, code, files): Shape) -> PathBuf {
    let dir = package(name, deps, &format!("{code}{MAIN}"));
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn daemonizing_shapes_from_public_code_are_denied() {
    let denied: &[(Shape, &str)] = &[
        (
            ("glob_then_bare_call", LIBC, "use libc::*;\n\nfn detach() {\n    let _ = unsafe { fork() };\n}\n", &[]),
            "`libc::fork`",
        ),
        (
            ("self_renamed_module", NIX_PROCESS, "use nix::unistd::{self as u};\n\nfn detach() {\n    let _ = unsafe { u::fork() };\n}\n", &[]),
            "`nix::unistd::fork`",
        ),
        (
            ("reexport_chain", LIBC, "mod sys {\n    pub use libc::fork as spawn_bg;\n}\nmod os {\n    pub use crate::sys::spawn_bg;\n}\nuse os::spawn_bg;\n\nfn detach() {\n    let _ = unsafe { spawn_bg() };\n}\n", &[]),
            "`libc::fork`",
        ),
        (
            ("dup2_onto_a_local", LIBC, "fn detach() {\n    let log = 7;\n    let out = 1;\n    unsafe { libc::dup2(log, out) };\n}\n", &[]),
            "`libc::dup2`",
        ),
        (
            ("dup2_in_a_loop_over_std_fds", LIBC, "fn detach() {\n    let log = 7;\n    for target in [libc::STDOUT_FILENO, libc::STDERR_FILENO] {\n        unsafe { libc::dup2(log, target) };\n    }\n}\n", &[]),
            "`libc::dup2`",
        ),
        (
            // The classic detach loop: every standard descriptor onto /dev/null.
            ("dup2_in_a_loop_over_a_range", LIBC, "use std::os::fd::AsRawFd;\n\nfn detach() {\n    let null = std::fs::File::open(\"/dev/null\").unwrap();\n    for fd in 0..=2 {\n        unsafe { libc::dup2(null.as_raw_fd(), fd) };\n    }\n}\n", &[]),
            "`libc::dup2`",
        ),
        (
            ("nix_libc_dup2_loop", "nix = \"0.29\"\n", "use std::os::fd::AsRawFd;\n\nfn detach() {\n    let null = std::fs::File::open(\"/dev/null\").unwrap();\n    for fd in [nix::libc::STDIN_FILENO, nix::libc::STDOUT_FILENO] {\n        unsafe { nix::libc::dup2(null.as_raw_fd(), fd) };\n    }\n}\n", &[]),
            "`libc::dup2`",
        ),
        (
            ("nix_dup2_onto_a_const", "nix = { version = \"0.29\", features = [\"fs\"] }\n", "use nix::unistd::dup2;\nuse std::os::fd::AsRawFd;\n\nconst OUT: i32 = 1;\n\nfn detach() {\n    let log = std::fs::File::create(\"/tmp/log\").unwrap();\n    let _ = dup2(log.as_raw_fd(), OUT);\n}\n", &[]),
            "`nix::unistd::dup2`",
        ),
        (
            ("dup2_onto_stdout_as_raw_fd", LIBC, "use std::os::fd::AsRawFd;\n\nfn detach() {\n    let log = std::fs::File::create(\"/tmp/log\").unwrap();\n    unsafe { libc::dup2(log.as_raw_fd(), std::io::stdout().as_raw_fd()) };\n}\n", &[]),
            "`libc::dup2`",
        ),
        (
            ("freopen_stdout", LIBC, "extern \"C\" {\n    static stdout: *mut libc::FILE;\n}\n\nfn detach() {\n    unsafe { libc::freopen(c\"/tmp/log\".as_ptr(), c\"w\".as_ptr(), stdout) };\n}\n", &[]),
            "`libc::freopen`",
        ),
        (
            ("rustix_dup2_onto_owned_fd_1", "rustix = \"1\"\n", "use std::os::fd::{FromRawFd, OwnedFd};\n\nfn detach() {\n    let log = std::fs::File::create(\"/tmp/log\").unwrap();\n    let mut out = unsafe { OwnedFd::from_raw_fd(1) };\n    rustix::io::dup2(&log, &mut out).unwrap();\n    std::mem::forget(out);\n}\n", &[]),
            "`rustix::io::dup2`",
        ),
        (
            // The crate's type renamed so that the program's own `struct Daemonize` can wrap it.
            ("daemonize_renamed_next_to_own_struct", "daemonize = \"0.5\"\n", "use daemonize::Daemonize as RawDaemonize;\n\npub struct Daemonize;\n\nfn detach() {\n    let _ = RawDaemonize::new().pid_file(\"/tmp/x.pid\").start();\n}\n", &[]),
            "`daemonize`",
        ),
        (
            ("module_import_then_daemon", NIX_PROCESS, "use nix::unistd;\n\nfn detach() {\n    #[allow(deprecated)]\n    let _ = unistd::daemon(false, false);\n}\n", &[]),
            "`nix::unistd::daemon`",
        ),
        (
            ("macro_generated_function", LIBC, "macro_rules! make_detach {\n    () => {\n        fn detach() {\n            let _ = unsafe { libc::setsid() };\n        }\n    };\n}\nmake_detach!();\n", &[]),
            "`libc::setsid`",
        ),
        (
            ("extern_daemon_in_fn_body", "", "fn detach() {\n    extern \"C\" {\n        fn daemon(nochdir: i32, noclose: i32) -> i32;\n    }\n    unsafe { daemon(0, 0) };\n}\n", &[]),
            "daemon",
        ),
        (
            ("link_name_fork", "", "extern \"C\" {\n    #[link_name = \"fork\"]\n    fn split_process() -> i32;\n}\n\nfn detach() {\n    unsafe { split_process() };\n}\n", &[]),
            "fork",
        ),
        (
            ("path_fragment_macro", LIBC, "macro_rules! call {\n    ($p:path) => {\n        unsafe { $p() }\n    };\n}\n\nfn detach() {\n    let _ = call!(libc::fork);\n}\n", &[]),
            "`libc::fork`",
        ),
        (
            ("raw_identifier", LIBC, "fn detach() {\n    let _ = unsafe { libc::r#fork() };\n}\n", &[]),
            "`libc::fork`",
        ),
        (
            ("extern_crate_renamed", LIBC, "extern crate libc as c;\n\n#[allow(deprecated)]\nfn detach() {\n    let _ = unsafe { c::vfork() };\n}\n", &[]),
            "`libc::vfork`",
        ),
        (
            ("function_pointer", LIBC, "fn detach() {\n    let f: unsafe extern \"C\" fn() -> libc::pid_t = libc::fork;\n    let _ = unsafe { f() };\n}\n", &[]),
            "`libc::fork`",
        ),
    ];
    for (shape, api) in denied {
        let checked = cargo_check_in(&shape_package(*shape), &[]);
        assert!(!checked.success, "{} should be denied", shape.0);
        assert!(
            checked
                .stderr
                .lines()
                .any(|l| l.contains("is banned: ") && l.contains(api)),
            "{}: expected {api} banned:\n{}",
            shape.0,
            checked.stderr
        );
    }
}

#[test]
fn look_alikes_from_public_code_compile() {
    let compiles: &[Shape] = &[
        // Forking and daemonizing only in the build script, the tests and the examples.
        (
            "banned_calls_outside_the_binary",
            "\n[build-dependencies]\nlibc = \"0.2\"\n\n[dev-dependencies]\nlibc = \"0.2\"\n",
            "fn detach() {}\n",
            &[
                ("build.rs", "fn main() {\n    if std::env::var_os(\"NEVER\").is_some() {\n        let _ = unsafe { libc::fork() };\n    }\n}\n"),
                ("tests/t.rs", "#[test]\nfn forks() {\n    if std::env::var_os(\"NEVER\").is_some() {\n        let _ = unsafe { libc::fork() };\n    }\n}\n"),
                ("examples/ex.rs", "fn main() {\n    let _ = unsafe { libc::daemon(0, 0) };\n}\n"),
            ],
        ),
        // A test that captures stdout by pointing fd 1 at a file and back.
        (
            "stdout_capture_in_cfg_test",
            LIBC,
            "fn detach() {}\n\n#[cfg(test)]\nmod tests {\n    use std::os::fd::AsRawFd;\n\n    #[test]\n    fn captures() {\n        let tmp = std::fs::File::create(\"/tmp/cap\").unwrap();\n        let saved = unsafe { libc::dup(libc::STDOUT_FILENO) };\n        unsafe { libc::dup2(tmp.as_raw_fd(), libc::STDOUT_FILENO) };\n        unsafe { libc::dup2(saved, libc::STDOUT_FILENO) };\n    }\n}\n",
            &[],
        ),
        // `dup2` onto every descriptor of a range that starts at 3: stdout and stderr are left
        // alone.
        (
            "dup2_over_a_range_above_the_std_fds",
            LIBC,
            "fn detach() {\n    for fd in 3..64 {\n        unsafe { libc::dup2(100, fd) };\n    }\n}\n",
            &[],
        ),
        // setsid in `pre_exec` of a child that runs another program, waited for: it changes
        // that child's session, not the service's (the program re-spawning itself detached is
        // the re-spawn rule's).
        (
            "setsid_in_pre_exec",
            LIBC,
            "use std::os::unix::process::CommandExt;\nuse std::process::Command;\n\nfn detach() {\n    let mut cmd = Command::new(\"true\");\n    unsafe {\n        cmd.pre_exec(|| {\n            libc::setsid();\n            Ok(())\n        });\n    }\n    let _ = cmd.status();\n}\n",
            &[],
        ),
        // Passing descriptors 3 and 4 to a child: not stdout or stderr.
        (
            "dup2_onto_3_and_4_in_pre_exec",
            LIBC,
            "use std::os::unix::process::CommandExt;\nuse std::process::Command;\n\nfn detach() {\n    let mut cmd = Command::new(\"true\");\n    unsafe {\n        cmd.pre_exec(|| {\n            if libc::dup2(5, 3) < 0 || libc::dup2(6, 4) < 0 {\n                return Err(std::io::Error::last_os_error());\n            }\n            Ok(())\n        });\n    }\n    let _ = cmd.status();\n}\n",
            &[],
        ),
        // A local binding named like a stream in one function and bound to a file in another.
        (
            "dup2_onto_a_name_bound_twice",
            LIBC,
            "fn show() {\n    let out = 1;\n    println!(\"{out}\");\n}\n\nfn detach() {\n    show();\n    let out = 9;\n    unsafe { libc::dup2(7, out) };\n}\n",
            &[],
        ),
        // `freopen` on a stream the program opened itself.
        (
            "freopen_own_stream",
            LIBC,
            "fn detach() {\n    let log = unsafe { libc::fopen(c\"/tmp/a\".as_ptr(), c\"w\".as_ptr()) };\n    unsafe { libc::freopen(c\"/tmp/b\".as_ptr(), c\"w\".as_ptr(), log) };\n}\n",
            &[],
        ),
        // rustix's `dup2` onto a descriptor that is not stdout or stderr.
        (
            "rustix_dup2_onto_owned_fd_9",
            "rustix = \"1\"\n",
            "use std::os::fd::{FromRawFd, OwnedFd};\n\nfn detach() {\n    let log = std::fs::File::create(\"/tmp/log\").unwrap();\n    let mut slot = unsafe { OwnedFd::from_raw_fd(9) };\n    rustix::io::dup2(&log, &mut slot).unwrap();\n}\n",
            &[],
        ),
        // The user's own `mod daemonize` with a `fn daemonize`.
        (
            "own_daemonize_module",
            "",
            "mod daemonize {\n    pub fn daemonize(dir: &str, log: &str) -> Result<(), ()> {\n        let _ = (dir, log);\n        Ok(())\n    }\n}\n\nfn detach() {\n    let _ = daemonize::daemonize(\"/d\", \"/d/log\");\n}\n",
            &[],
        ),
        // A daemon mode behind a Cargo feature that is off.
        (
            "daemon_behind_a_feature_that_is_off",
            "libc = \"0.2\"\n\n[features]\ndaemon = []\n",
            "#[cfg(feature = \"daemon\")]\nfn detach() {\n    let _ = unsafe { libc::daemon(0, 0) };\n}\n\n#[cfg(not(feature = \"daemon\"))]\nfn detach() {}\n",
            &[],
        ),
    ];
    for shape in compiles {
        let checked = cargo_check_in(&shape_package(*shape), &[]);
        assert!(
            checked.success,
            "{} should compile:\n{}",
            shape.0, checked.stderr
        );
        assert!(!checked.stderr.contains("banned"), "{}", checked.stderr);
    }
}

#[test]
fn a_pid_path_built_with_format_is_warned_not_denied() {
    let checked = cargo_check_in(
        &shape_package((
            "pid_path_from_format",
            "",
            "use std::io::Write;\n\nfn detach() {\n    let name = \"svc\";\n    let mut f = std::fs::File::create(format!(\"/var/run/{}.pid\", name)).unwrap();\n    writeln!(f, \"{}\", std::process::id()).unwrap();\n}\n",
            &[],
        )),
        &[],
    );
    assert!(checked.success, "{}", checked.stderr);
    assert!(
        checked.stderr.contains("warning") && checked.stderr.contains("a PID file written at"),
        "{}",
        checked.stderr
    );
}
