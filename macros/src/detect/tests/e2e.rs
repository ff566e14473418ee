//! The detector end to end on in-memory crates: the module walk, what is found and where, and
//! what must never be found.

use crate::detect::check::finding::Severity;
use crate::detect::source::store::tests::Memory;
use crate::detect::{scan_crate, Scanned};
use std::collections::HashMap;
use std::path::Path;

pub(crate) fn scan_memory(memory: &Memory) -> Scanned {
    let renames = HashMap::from([("bg".to_owned(), "daemonize".to_owned())]);
    scan_crate(Path::new("/c/src/main.rs"), memory, &renames, true, &[])
}

/// The findings in a crate, as `file:line:col title (written) cfg(…)`.
pub(crate) fn findings_in(files: &[(&str, &str)]) -> Vec<String> {
    describe(&scan_memory(&Memory::new(files)))
}

pub(crate) fn describe(scanned: &Scanned) -> Vec<String> {
    scanned
        .findings
        .iter()
        .map(|f| {
            let file = f.file.display().to_string();
            let file = file.trim_start_matches("/c/src/");
            let kind = if f.severity() == Severity::Warning {
                "warn "
            } else {
                ""
            };
            let written = match &f.written {
                Some(w) if *w != f.title => format!(" ({w})"),
                _ => String::new(),
            };
            let cfg = if f.cfg.is_empty() {
                String::new()
            } else {
                format!(" cfg({})", f.cfg.join(","))
            };
            format!(
                "{kind}{file}:{}:{} {}{written}{cfg}",
                f.pos.line, f.pos.col, f.title
            )
        })
        .collect()
}

fn findings(main: &str) -> Vec<String> {
    findings_in(&[("/c/src/main.rs", main)])
}

fn files_read(files: &[(&str, &str)]) -> Vec<String> {
    let memory = Memory::new(files);
    let store = crate::detect::source::store::Store::new(
        &memory,
        crate::detect::source::prefilter::Prefilter::new(["fork"]),
        Default::default(),
    );
    let krate = crate::detect::names::index::Crate::walk(
        Path::new("/c/src/main.rs"),
        store,
        HashMap::new(),
    )
    .expect("root");
    let mut out: Vec<String> = (0..krate.store.len())
        .filter_map(|id| krate.store.file(id))
        .map(|f| f.path.display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn both_layouts_path_and_inline_children() {
    let files = files_read(&[
        ("/c/src/main.rs", "mod a; mod b; #[path = \"other/x.rs\"] mod x; mod inl { mod deep; #[path = \"p.rs\"] mod p; }"),
        ("/c/src/a.rs", "mod child;"),
        ("/c/src/a/child.rs", ""),
        ("/c/src/b/mod.rs", "mod c;"),
        ("/c/src/b/c.rs", ""),
        ("/c/src/other/x.rs", "mod sibling;"),
        ("/c/src/other/sibling.rs", ""),
        ("/c/src/inl/deep.rs", ""),
        ("/c/src/inl/p.rs", ""),
    ]);
    assert_eq!(
        files,
        [
            "/c/src/a.rs",
            "/c/src/a/child.rs",
            "/c/src/b/c.rs",
            "/c/src/b/mod.rs",
            "/c/src/inl/deep.rs",
            "/c/src/inl/p.rs",
            "/c/src/main.rs",
            "/c/src/other/sibling.rs",
            "/c/src/other/x.rs",
        ]
    );
}

#[test]
fn non_mod_rs_inline_and_include() {
    let files = files_read(&[
        ("/c/src/main.rs", "mod a; include!(\"gen.rs\");"),
        ("/c/src/a.rs", "mod i { mod j; }"),
        ("/c/src/a/i/j.rs", ""),
        ("/c/src/gen.rs", "mod from_include;"),
        ("/c/src/from_include.rs", ""),
    ]);
    assert_eq!(
        files,
        [
            "/c/src/a.rs",
            "/c/src/a/i/j.rs",
            "/c/src/from_include.rs",
            "/c/src/gen.rs",
            "/c/src/main.rs"
        ]
    );
}

#[test]
fn missing_and_cyclic_files_are_skipped() {
    let files = files_read(&[(
        "/c/src/main.rs",
        "mod gone; #[path = \"main.rs\"] mod again;",
    )]);
    assert_eq!(files, ["/c/src/main.rs"]);
}

#[test]
fn direct_calls_and_absolute_paths() {
    assert_eq!(
        findings("fn main() { unsafe { libc::fork(); ::libc::setsid(); nix::libc::vfork(); } }"),
        [
            "main.rs:1:22 libc::fork",
            "main.rs:1:38 libc::setsid (::libc::setsid)",
            "main.rs:1:54 libc::vfork (nix::libc::vfork)"
        ]
    );
}

#[test]
fn imports_and_their_uses() {
    assert_eq!(
        findings("use nix::unistd::{fork as spawn, ForkResult};\nfn main() { match unsafe { spawn() } { Ok(ForkResult::Child) => {} _ => {} } }"),
        [
            "main.rs:1:19 nix::unistd::fork",
            "main.rs:1:34 nix::unistd::ForkResult",
            "main.rs:2:28 nix::unistd::fork (spawn)",
            "main.rs:2:43 nix::unistd::ForkResult (ForkResult::Child)"
        ]
    );
}

#[test]
fn user_items_are_not_banned() {
    let text = r#"
        use libc::*;
        fn fork() -> i32 { 0 }
        mod daemonize { pub fn start() {} }
        mod nix { pub mod unistd { pub fn setsid() {} } }
        struct S { fork: bool, daemon: u8 }
        impl S { fn setsid(&self) {} fn daemon(&self) -> u8 { self.daemon } }
        fn main() {
            fork(); daemonize::start(); nix::unistd::setsid();
            let s = S { fork: true, daemon: 1 };
            s.setsid(); let _ = s.fork; s.daemon();
            let setsid = 3; let _ = setsid + 1;
            let _ = "libc::fork()"; // libc::fork()
            /// libc::daemon
            let v = vec![1].iter().map(|vfork| vfork + 1).count();
        }
    "#;
    assert_eq!(findings(text), Vec::<String>::new());
}

#[test]
fn globs_function_local_use_and_pointers() {
    let text = r#"
        fn main() {
            use nix::unistd::*;
            let _ = setsid();
        }
        fn other() { let f: unsafe extern "C" fn() -> i32 = libc::fork; }
    "#;
    assert_eq!(
        findings(text),
        [
            "main.rs:4:21 nix::unistd::setsid (setsid)",
            "main.rs:6:61 libc::fork"
        ]
    );
}

#[test]
fn extern_blocks_and_link_names() {
    let text = "extern \"C\" { fn fork() -> i32; #[link_name = \"daemon\"] fn quiet(a: i32, b: i32) -> i32; fn getpid() -> i32; }\nfn main() { unsafe { fork(); getpid(); } }";
    assert_eq!(
        findings(text),
        [
            "main.rs:1:17 libc::fork (extern { fn fork })",
            "main.rs:1:59 libc::daemon (extern { #[link_name = \"daemon\"] fn quiet })",
            "main.rs:2:22 libc::fork (fork)"
        ]
    );
}

#[test]
fn dup2_only_onto_stdout_and_stderr() {
    let text = r#"
        use std::os::fd::AsRawFd;
        fn main() {
            unsafe {
                libc::dup2(fd, 1);
                libc::dup2(fd, libc::STDERR_FILENO);
                libc::dup2(fd, std::io::stdout().as_raw_fd());
                libc::dup2(fd, 3);
                libc::dup2(1, fd);
                nix::unistd::dup2_stderr(&file);
            }
        }
    "#;
    assert_eq!(
        findings(text),
        [
            "main.rs:5:17 libc::dup2",
            "main.rs:6:17 libc::dup2",
            "main.rs:7:17 libc::dup2",
            "main.rs:10:17 nix::unistd::dup2_stderr"
        ]
    );
}

#[test]
fn macros_and_cfg() {
    let text = r#"
        macro_rules! boot { () => { $crate::x(); daemonize::Daemonize::new() }; }
        #[cfg(target_os = "linux")]
        fn f() { println!("{}", unsafe { libc::fork() }); }
        #[cfg(test)]
        mod tests { fn t() { unsafe { libc::daemon(0, 0); } } }
    "#;
    assert_eq!(
        findings(text),
        [
            "main.rs:2:50 daemonize (daemonize::Daemonize::new)",
            "main.rs:4:42 libc::fork cfg(target_os = \"linux\")",
            "main.rs:6:39 libc::daemon cfg(test)"
        ]
    );
}

#[test]
fn renames_and_multi_file_reexports() {
    let files = [
        (
            "/c/src/main.rs",
            "extern crate libc as sys;\nmod a;\nmod b;\nfn main() { bg::Daemonize::new(); }",
        ),
        ("/c/src/a.rs", "pub use nix::unistd;\n"),
        (
            "/c/src/b.rs",
            "pub fn go() { crate::a::unistd::fork(); unsafe { sys::setsid(); } }",
        ),
    ];
    assert_eq!(
        findings_in(&files),
        [
            "main.rs:4:13 daemonize (bg::Daemonize::new)",
            "b.rs:1:15 nix::unistd::fork (crate::a::unistd::fork)",
            "b.rs:1:50 libc::setsid (sys::setsid)"
        ]
    );
}

#[test]
fn heuristics_are_warnings() {
    let text = r#"
        const PID_FILE: &str = "/run/svcd.pid";
        fn main() {
            std::process::Command::new("nohup").arg("x").spawn();
            std::fs::write("/var/run/app.pid", std::process::id().to_string());
            std::process::Command::new("ls").spawn();
            let _ = std::fs::read_to_string("/run/nginx.pid");
            let _ = OpenOptions::new().write(true).create_new(true).open(Path::new(PID_FILE));
        }
    "#;
    assert_eq!(
        findings(text),
        [
            "warn main.rs:4:40 `Command::new(\"nohup\")`",
            "warn main.rs:5:28 a PID file written at \"/var/run/app.pid\"",
            "warn main.rs:8:84 a PID file written at \"/run/svcd.pid\""
        ]
    );
}

#[test]
fn let_patterns_shadow() {
    let text = "use libc::*;\nfn main() { let Config { fork: daemon } = c; let (setsid, _) = p; daemon(); setsid(); }";
    assert_eq!(findings(text), Vec::<String>::new());
}

#[test]
fn raw_identifiers_and_crate_paths() {
    let text = "use fork::{daemon, Fork};\nfn main() { unsafe { libc::r#fork(); } }";
    assert_eq!(
        findings(text),
        [
            "main.rs:1:12 fork (fork::daemon)",
            "main.rs:1:20 fork (fork::Fork)",
            "main.rs:2:22 libc::fork"
        ]
    );
}

#[test]
fn files_with_only_comment_method_or_own_fn_hits_are_not_lexed() {
    let scanned = scan_memory(&Memory::new(&[
        ("/c/src/main.rs", "mod a;\nfn main() {}"),
        ("/c/src/a.rs", "// we never fork\nimpl W { pub fn fork(&self) {} }\nfn g(w: W) { let forked = w.fork(); }"),
    ]));
    assert_eq!((scanned.files, scanned.lexed), (2, 1));
}

#[test]
fn renamed_reexports_make_their_users_checked() {
    let found = findings_in(&[
        (
            "/c/src/main.rs",
            "mod a;\nfn main() { unsafe { a::spawn(); } }",
        ),
        ("/c/src/a.rs", "pub use libc::fork as spawn;"),
    ]);
    assert_eq!(
        found,
        ["main.rs:2:22 libc::fork (a::spawn)", "a.rs:1:15 libc::fork"]
    );
}

fn logger_findings(main: &str, loggers: bool) -> Vec<String> {
    let memory = Memory::new(&[("/c/src/main.rs", main)]);
    describe(&scan_crate(
        Path::new("/c/src/main.rs"),
        &memory,
        &HashMap::new(),
        loggers,
        &[],
    ))
}

#[test]
fn global_logger_installers() {
    let text = r#"
        use tracing_subscriber::{fmt, prelude::*, EnvFilter};
        use tracing_subscriber::FmtSubscriber;
        fn main() {
            tracing_subscriber::fmt::init();
            fmt().with_env_filter(EnvFilter::from_default_env()).init();
            tracing_subscriber::registry().with(fmt::layer()).try_init().ok();
            let s = FmtSubscriber::builder().finish();
            tracing::subscriber::set_global_default(s).unwrap();
            let r = tracing_subscriber::registry();
            r.init();
        }
    "#;
    assert_eq!(
        logger_findings(text, true),
        [
            "main.rs:5:13 tracing_subscriber (tracing_subscriber::fmt::init())",
            "main.rs:6:66 tracing_subscriber (fmt(…).init())",
            "main.rs:7:63 tracing_subscriber (tracing_subscriber::registry(…).try_init())",
            "main.rs:9:13 tracing::subscriber::set_global_default (tracing::subscriber::set_global_default())",
            "main.rs:11:15 tracing_subscriber (.init())",
        ]
    );
    assert_eq!(logger_findings(text, false), Vec::<String>::new());
}

#[test]
fn log_loggers_and_look_alikes() {
    let text = r#"
        fn main() {
            env_logger::Builder::from_default_env().format_timestamp(None).init();
            log::set_boxed_logger(Box::new(L)).unwrap();
            tracing_log::LogTracer::init().unwrap();
            rand::init();
            Config::init();
            config.init();
            tracing::subscriber::with_default(s, || {});
            log::info!("x");
        }
    "#;
    assert_eq!(
        logger_findings(text, true),
        [
            "main.rs:3:76 env_logger (env_logger::Builder::from_default_env(…).init())",
            "main.rs:4:13 log::set_boxed_logger (log::set_boxed_logger())",
            "main.rs:5:13 tracing_log::LogTracer (tracing_log::LogTracer::init())",
        ]
    );
}

#[test]
fn a_pid_write_alone_makes_a_file_checked() {
    let text = "fn main() { let pid = std::process::id(); std::fs::write(\"/run/svc.pid\", pid.to_string()).ok(); }";
    assert_eq!(
        findings(text),
        ["warn main.rs:1:58 a PID file written at \"/run/svc.pid\""]
    );
}

/// Scans `/c/src/main.rs` with one more crate of the user's, `name` at `path`.
fn scan_with_root(memory: &Memory, name: &str, path: &str, own: bool) -> Scanned {
    let roots = [crate::detect::Root {
        name: name.to_owned(),
        path: std::path::PathBuf::from(path),
        own,
    }];
    scan_crate(
        Path::new("/c/src/main.rs"),
        memory,
        &HashMap::new(),
        true,
        &roots,
    )
}

#[test]
fn other_crates_are_read_for_daemonizing_but_not_for_loggers() {
    let memory = Memory::new(&[
        ("/c/src/main.rs", "fn main() { helper::detach(); }"),
        ("/c/helper/src/lib.rs", "pub fn detach() { nix::unistd::setsid().ok(); }\npub fn init_tracing() { tracing_subscriber::fmt::init(); }"),
    ]);
    let scanned = scan_with_root(&memory, "helper", "/c/helper/src/lib.rs", false);
    let found: Vec<String> = describe(&scanned)
        .into_iter()
        .map(|f| f.replace("/c/", ""))
        .collect();
    assert_eq!(found, ["helper/src/lib.rs:1:19 nix::unistd::setsid"]);
}

/// Shapes of public services' subscriber set-up (re-written): a `telemetry` module of the binary,
/// the package's own library, and `registry` imported by name.
#[test]
fn subscriber_setup_in_modules_and_the_own_library() {
    let memory = Memory::new(&[
        ("/c/src/main.rs", "mod telemetry;\nfn main() { telemetry::init(); svc::init_tracing(); }"),
        ("/c/src/telemetry.rs", "use tracing_subscriber::{fmt, registry, EnvFilter, Layer};\nuse tracing_subscriber::layer::SubscriberExt;\npub fn init() -> anyhow::Result<()> {\n    let layer = fmt::layer().with_filter(EnvFilter::from_default_env());\n    registry().with(layer).try_init()?;\n    Ok(())\n}"),
        ("/c/src/lib.rs", "pub fn init_tracing() {\n    use tracing_subscriber::{fmt, EnvFilter};\n    let _ = fmt().with_env_filter(EnvFilter::from_default_env()).compact().try_init();\n}"),
    ]);
    let scanned = scan_with_root(&memory, "svc", "/c/src/lib.rs", true);
    assert_eq!(
        describe(&scanned),
        [
            "telemetry.rs:5:28 tracing_subscriber (registry(…).try_init())",
            "lib.rs:3:76 tracing_subscriber (fmt(…).try_init())",
        ]
    );
}
