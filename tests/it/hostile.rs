//! Hostile sources, end to end: `NAME_FILE` pointing at things that are not secret files,
//! values far longer than any setting, control characters in values and in request data that
//! end up in a log line. Each case runs a built example as a real process.
//!
//! The shapes come from public reports about other services and loaders (re-written here):
//! - an env file that is a FIFO with no writer hangs the loader forever (a deploy tool's
//!   `env_file`, a JavaScript runtime's `--env-file`): here a FIFO is refused at once;
//! - a loader that reads `/dev/zero` or `/dev/urandom` reads until memory runs out;
//! - a percent-decoded request path `/%0d%0aFAKE:%20LINE` writes a second, forged access-log
//!   record; a `tracing` field rendered with `%` (Display) writes CR/LF as they are.
//!
//! The last test is the macro's side: `#[twelve_factor::main]` reads every file the crate names
//! (`mod`, `#[path]`, `include!`, compiled out or not), so one crate, checked by cargo, names a
//! FIFO, devices, a file over the size limit, a large one under it, binary bytes, unterminated
//! literals, a byte-order mark, symlink loops, 20,000 items and 3,000 modules compiled out.

use crate::support::cargo::cargo_check_within;
use crate::support::http::{free_port, wait_for_port};
use crate::support::process::Service;
use crate::support::temp::TempDir;
use std::ffi::{CString, OsStr};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The variables `examples/config.rs` needs besides the one under test.
const TOKEN: (&str, &str) = ("SHOP_API_TOKEN", "hunter2");

/// Runs the config example with `env` plus `file_var=path`; it must exit 78 within 5 s with one
/// stderr line that names the variable, the path and `reason`.
fn refused_file(file_var: &str, path: &Path, reason: &str) {
    let mut command = Service::command("config", &[TOKEN]);
    command.env(file_var, path);
    command.stdin(Stdio::null());
    let started = Instant::now();
    let exit = Service::spawn(command).wait(Duration::from_secs(10));
    let took = started.elapsed();
    assert_eq!(exit.code(), Some(78), "{file_var}={path:?}: {exit:?}");
    assert!(
        took < Duration::from_secs(5),
        "{file_var}={path:?} took {took:?}"
    );
    let lines: Vec<&str> = exit.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", exit.stderr);
    let line = lines[0];
    assert!(line.contains(&format!("{file_var}=")), "{line}");
    assert!(line.contains(path.to_str().unwrap()), "{line}");
    assert!(line.contains(reason), "{line}");
    assert_eq!(exit.stdout, "", "nothing starts");
}

#[test]
fn name_file_that_is_a_fifo_without_a_writer_is_refused_not_waited_on() {
    let dir = TempDir::new("fifo");
    let fifo = dir.0.join("database_url");
    let c_path = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path only.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    refused_file(
        "SHOP_DATABASE_URL_FILE",
        &fifo,
        "a FIFO, not a regular file",
    );
}

#[test]
fn name_file_that_is_a_device_or_a_directory_is_refused() {
    for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
        refused_file(
            "SHOP_DATABASE_URL_FILE",
            Path::new(device),
            "a device, not a regular file",
        );
    }
    let dir = TempDir::new("dir-as-file");
    refused_file(
        "SHOP_DATABASE_URL_FILE",
        &dir.0,
        "a directory, not a regular file",
    );
}

#[test]
fn name_file_over_64_kib_is_refused_and_64_kib_is_read() {
    let dir = TempDir::new("big-file");
    let big = dir.0.join("database_url");
    std::fs::write(&big, vec![b'x'; 1024 * 1024]).unwrap();
    refused_file(
        "SHOP_DATABASE_URL_FILE",
        &big,
        "1048576 bytes, more than the 65536-byte limit",
    );
    let just = dir.0.join("just");
    std::fs::write(&just, vec![b'x'; 64 * 1024]).unwrap();
    let mut command = Service::command("config", &[TOKEN]);
    command.env("SHOP_DATABASE_URL_FILE", &just);
    let exit = Service::spawn(command).wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{}", exit.stderr);
}

/// Runs the config example with `env`; it must exit 78 with one short stderr line per bad
/// variable, each printable. Returns the lines.
fn refused(env: &[(&str, &OsStr)]) -> Vec<String> {
    let mut command = Service::command("config", &[TOKEN, ("SHOP_DATABASE_URL", "postgres://db")]);
    command.envs(env.iter().copied());
    let exit = Service::spawn(command).wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    let lines: Vec<String> = exit.stderr.lines().map(str::to_owned).collect();
    assert_eq!(
        lines.len(),
        env.len(),
        "one line per variable: {:?}",
        exit.stderr
    );
    for line in &lines {
        assert!(line.len() < 400, "{} bytes: {line}", line.len());
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    lines
}

/// The line about `name` (the runtime's own variables are reported before the service's).
fn line_of<'a>(lines: &'a [String], name: &str) -> &'a str {
    lines
        .iter()
        .find(|line| line.contains(&format!(" {name}=")) || line.contains(&format!(" {name} ")))
        .unwrap_or_else(|| panic!("no line about {name}: {lines:?}"))
}

#[test]
fn a_100000_character_value_is_one_short_line_with_its_length() {
    let long = "9".repeat(100_000);
    let lines = refused(&[
        ("PORT", OsStr::new(&long)),
        ("SHOP_WORKERS", OsStr::new(&long)),
        ("SHOP_CACHE_TTL", OsStr::new(&long)),
    ]);
    for name in ["PORT", "SHOP_WORKERS", "SHOP_CACHE_TTL"] {
        let line = line_of(&lines, name);
        assert!(
            line.contains(&format!(
                "invalid {name}=\"{}…\" (100000 bytes)",
                "9".repeat(64)
            )),
            "{line}"
        );
    }
    // A secret list of 20,000 parts (120,000 bytes, near the kernel's 128 KiB limit for one
    // variable): masking stays fast, the value stays hidden.
    let parts = vec!["12345"; 20_000].join(",");
    let started = Instant::now();
    let lines = refused(&[("SHOP_ADMIN_PIN", OsStr::new(&parts))]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(lines[0].contains("secret, value not shown"), "{}", lines[0]);
    assert!(!lines[0].contains("12345"), "{}", lines[0]);
}

#[test]
fn control_characters_and_bytes_that_are_not_utf8_are_escaped_in_error_lines() {
    let lines = refused(&[
        ("SHOP_WORKERS", OsStr::new("4\nFAKE line\u{1b}[31m")),
        ("PORT", OsStr::from_bytes(b"80\xff\r")),
    ]);
    let workers = line_of(&lines, "SHOP_WORKERS");
    assert!(
        workers.contains(r#"invalid SHOP_WORKERS="4\nFAKE line\u{1b}[31m""#),
        "{workers}"
    );
    let port = line_of(&lines, "PORT");
    assert!(port.contains(r#"invalid PORT="80\xff\r""#), "{port}");
}

/// Sends `GET target` to the faults example and returns after its answer.
fn request(port: u16, target: &str) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

/// The faults example logs each request's percent-decoded path with `%` (Display) in the field
/// and in the message: a request path cannot start a log line of its own, in text or JSON.
#[test]
fn a_request_value_cannot_forge_a_log_line() {
    for format in ["text", "json"] {
        let port = free_port();
        let service = Service::start(
            "faults",
            &[
                ("PORT", &port.to_string()),
                ("RUST_LOG", "debug"),
                ("LOG_FORMAT", format),
            ],
        );
        wait_for_port(port, Duration::from_secs(30));
        request(port, "/a%0AFAKE%20line%20level=ERROR");
        request(port, "/%0d%0aFAKE:%20LINE%1b[2K");
        service.wait_for_stdout("FAKE:", Duration::from_secs(10));
        service.kill("TERM");
        let exit = service.wait(Duration::from_secs(30));
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        for line in exit.stdout.lines() {
            assert!(!line.starts_with("FAKE"), "{format}: forged line {line:?}");
            assert!(
                !line.contains('\r') && !line.contains('\u{1b}'),
                "{format}: {line:?}"
            );
            if format == "json" {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|_| panic!("not one JSON object: {line:?}"));
            }
        }
        let requests: Vec<&str> = exit
            .stdout
            .lines()
            .filter(|line| line.contains("request for") && line.contains("FAKE"))
            .collect();
        assert_eq!(requests.len(), 2, "{format}: {}", exit.stdout);
        assert!(
            requests[0].contains(r"\nFAKE line level=ERROR"),
            "{}",
            requests[0]
        );
    }
}

/// Makes a FIFO at `path`.
fn mkfifo(path: &Path) {
    let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path only.
    assert_eq!(
        unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) },
        0,
        "{path:?}"
    );
}

/// The hostile crate: what rustc never reads is compiled out (`cfg(any())`, or the body of a
/// `macro_rules!` never invoked); what it reads (a byte-order mark, 20,000 items) is valid. The
/// one banned call, in `src/real.rs`, proves the detector read on past all of it.
fn hostile_crate() -> std::path::PathBuf {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/no_daemon_generated/hostile_sources");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("loopdir")).unwrap();
    std::fs::create_dir_all(src.join("off")).unwrap();
    let facade = Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string();
    let write = |name: &str, bytes: &[u8]| std::fs::write(src.join(name), bytes).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile_sources\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[workspace]\n\n[dependencies]\n\
             twelvefactor = {{ path = {facade:?} }}\nlibc = \"0.2\"\n"
        ),
    )
    .unwrap();
    write(
        "main.rs",
        b"#[cfg(any())]\n#[path = \"fifo.rs\"]\nmod fifo;\n\
          #[cfg(any())]\n#[path = \"/dev/zero\"]\nmod zero;\n\
          #[cfg(any())]\n#[path = \"/dev/urandom\"]\nmod urandom;\n\
          #[cfg(any())]\nmod huge;\n#[cfg(any())]\nmod large;\n#[cfg(any())]\nmod binary;\n\
          #[cfg(any())]\nmod unterminated;\n#[cfg(any())]\nmod selfloop;\n#[cfg(any())]\nmod loopdir;\n\
          mod bom;\nmod items;\nmod off;\nmod real;\n\n\
          #[allow(unused_macros)]\nmacro_rules! never_invoked {\n    () => {\n\
          include!(\"/dev/zero\");\ninclude!(\"/dev/urandom\");\ninclude!(\"fifo.rs\");\n\
          include!(\"huge.rs\");\ninclude!(\"selfloop.rs\");\ninclude!(\"binary.rs\");\n    };\n}\n\n\
          #[twelve_factor::main]\nasync fn main() {\n    real::go();\n}\n",
    );
    mkfifo(&src.join("fifo.rs"));
    // Over the 32 MiB limit: not read, and said so. Under it: read and lexed (`fork` is in it).
    let line = b"pub fn f(x: u64) -> u64 { x + 1 } // fork\n";
    write("huge.rs", &line.repeat((40 << 20) / line.len()));
    write("large.rs", &line.repeat((16 << 20) / line.len()));
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let binary: Vec<u8> = (0..65_536)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    write("binary.rs", &binary);
    write(
        "unterminated.rs",
        b"fn f() { let s = \"libc::fork() /* r##\" '",
    );
    std::os::unix::fs::symlink("selfloop.rs", src.join("selfloop.rs")).unwrap();
    write("loopdir/mod.rs", b"mod again;\n");
    std::os::unix::fs::symlink(".", src.join("loopdir/again")).unwrap();
    write("bom.rs", "\u{feff}pub fn f() {}\n".as_bytes());
    let items: String = (0..20_000)
        .map(|i| format!("pub fn f{i}() {{}}\n"))
        .collect();
    write("items.rs", items.as_bytes());
    // 3,000 modules for targets this is not, each a file of its own; one calls `fork`.
    let cfgs = ["any()", "windows", "target_os = \"macos\"", "not(unix)"];
    let mut off = String::new();
    for i in 0..3_000 {
        off.push_str(&format!("#[cfg({})]\nmod m{i};\n", cfgs[i % cfgs.len()]));
        let body = match i {
            1_234 => "pub fn g() { unsafe { libc::fork(); } }\n",
            _ => "pub fn g() {}\n",
        };
        write(&format!("off/m{i}.rs"), body.as_bytes());
    }
    write("off.rs", off.as_bytes());
    write(
        "real.rs",
        b"pub fn go() {\n    let _ = unsafe { libc::fork() };\n}\n",
    );
    dir
}

#[test]
fn a_crate_naming_fifos_devices_huge_binary_and_looping_files_gets_one_error_and_warnings() {
    let dir = hostile_crate();
    let (checked, took) = cargo_check_within(&dir, Duration::from_secs(900));
    eprintln!("cargo check of the hostile crate: {took:?}");
    let stderr = &checked.stderr;
    assert!(
        !checked.success,
        "libc::fork in src/real.rs is denied:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let banned: Vec<&&str> = errors
        .iter()
        .filter(|l| l.contains("is banned: "))
        .collect();
    assert_eq!(banned.len(), 1, "one error, the banned call:\n{stderr}");
    assert!(
        banned[0].contains("`libc::fork` in src/real.rs:2:"),
        "{}",
        banned[0]
    );
    // Besides it, only cargo's own "could not compile" line.
    assert!(errors.len() <= 2, "nothing else fails:\n{stderr}");
    for (file, reason) in [
        ("src/fifo.rs", "a FIFO, not a regular file"),
        ("/dev/zero", "a device, not a regular file"),
        ("/dev/urandom", "a device, not a regular file"),
        ("src/huge.rs", "over the 33554432-byte limit"),
    ] {
        let said = format!("twelve_factor did not read {file}: ");
        let count = (stderr.lines())
            .filter(|line| line.contains(&said) && line.contains(reason))
            .count();
        assert_eq!(count, 1, "one warning for {file}:\n{stderr}");
    }
}
