//! Property tests of the detector, in four groups that a long campaign can run one at a time
//! (`PROPTEST_CASES=100000 cargo test -p twelvefactor-macros --lib props::lex`, see
//! `docs/design/hardening.md`):
//!
//! - [`lex`]: the lexer over arbitrary bytes and over token soup, and its output against a
//!   model of the tokens it was given;
//! - [`toml`]: the TOML and manifest readers over arbitrary bytes, TOML-like soup and
//!   generated documents;
//! - [`modules`]: `mod`, `#[path]` and `include!` over generated module trees;
//! - [`detector`]: the whole pipeline over generated crates of hostile files: never a panic,
//!   bounded time, every error reported once.
//!
//! Each property runs [`CASES`] cases by default, so all of them together stay within seconds.

mod detector;
mod lex;
mod modules;
mod toml;

use proptest::prelude::*;

/// Cases per property in a normal test run.
const CASES: u32 = 64;

/// [`CASES`], or `PROPTEST_CASES` for a campaign.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES)
}

/// The configuration of every property here.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking a large generated crate can take long; a failure is kept small instead.
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

/// Runs `f` on a thread with a 1 MiB stack, far less than rustc gives a proc macro, and
/// returns its result; a panic or an overflow fails the case.
fn small_stack<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .map_err(|error| TestCaseError::fail(format!("thread: {error}")))?
        .join()
        .map_err(|_| TestCaseError::fail("panicked"))
}

/// Fragments of Rust, whole and broken: keywords, the names the rules look for, delimiters
/// (unbalanced on purpose), literals opened and never closed, comments, a byte-order mark.
const SOUP: &[&str] = &[
    "fn",
    "mod",
    "use",
    "pub",
    "let",
    "extern",
    "crate",
    "self",
    "super",
    "impl",
    "trait",
    "macro_rules",
    "!",
    "#",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "<",
    ">",
    "::",
    ":",
    ";",
    ",",
    ".",
    "|",
    "=",
    "&",
    "*",
    "'a",
    "$",
    "fork",
    "daemon",
    "setsid",
    "libc",
    "nix",
    "unistd",
    "dup2",
    "1",
    "0x1f",
    "1e9",
    "\"x.pid\"",
    "r#\"s\"#",
    "r#fn",
    "br##\"b\"##",
    "c\"c\"",
    "'c'",
    "b'\\n'",
    "'\\u{1F600}'",
    "/* c */",
    "/* /* nested */ */",
    "// c\n",
    "/// doc\n",
    "//! d\n",
    "include!(\"a.rs\")",
    "include!(\"b.rs\")",
    "cfg_if!",
    "#[path = \"a.rs\"]",
    "#[path = \"b.rs\"]",
    "#[cfg(unix)]",
    "#[cfg(any())]",
    "#[cfg(test)]",
    "Command",
    "new",
    "\"nohup\"",
    "as",
    "_",
    "Ok",
    "Some",
    "daemonize",
    "ForkResult",
    "\"",
    "'",
    "/*",
    "*/",
    "r#",
    "r##\"",
    "\\",
    "\u{feff}",
    "é",
    "\u{0}",
    "\r",
    "\t",
    "𝕏",
];

/// Soup: up to `len` fragments, separated by nothing, a space or a newline.
fn soup(len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(SOUP), 0..3u8), 0..len).prop_map(|parts| {
        let mut out = String::new();
        for (part, sep) in parts {
            out.push_str(part);
            out.push_str(["", " ", "\n"][usize::from(sep)]);
        }
        out
    })
}

/// Arbitrary bytes, read the way the store reads a file (lossily as UTF-8).
fn bytes_text(len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..len)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// The value of a string body as the generators write it (escapes `\n`, `\t`, `\"`, `\\`).
pub(super) fn decode(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        out.push(match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some(other) => other,
                None => break,
            },
            (c, false) => c,
        });
    }
    out
}

/// The CPU time the calling thread has used, where the system says (`/proc` on Linux): a bound
/// in CPU time holds on a loaded machine, where wall-clock time does not.
fn thread_cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // After the command name in parentheses: state is field 3, utime 14, stime 15 (in ticks).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // The kernel's USER_HZ is 100 on every Linux architecture.
    Some(std::time::Duration::from_millis((utime + stime) * 10))
}

/// Runs `f` and returns its result with the time it took: the thread's CPU time where known,
/// else the wall-clock time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let wall = std::time::Instant::now();
    let cpu = thread_cpu_time();
    let out = f();
    let took = match (cpu, thread_cpu_time()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall.elapsed(),
    };
    (out, took)
}
