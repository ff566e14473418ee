//! Configuration from the environment, end to end: the built examples run as real processes
//! with real environments, and their stderr, stdout and exit codes are checked.

mod support;

use support::Service;

/// Runs example `name` to completion in `env`; returns (exit code, stdout, stderr).
fn run(name: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let output = Service::command(name, env)
        .output()
        .expect("run the example");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_bad_builtin_variable_is_one_line_and_exit_78() {
    let (code, stdout, stderr) = run(
        "http",
        &[
            ("PORT", "abc"),
            ("HOST", "nope"),
            ("LOG_FORMAT", "xml"),
            ("SHUTDOWN_DELAY", "soon"),
        ],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert_eq!(stdout, "", "nothing on stdout");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            r#"http: invalid PORT="abc": expected an integer from 0 to 65535"#,
            r#"http: invalid HOST="nope": expected an IP address such as 0.0.0.0, 127.0.0.1 or ::"#,
            r#"http: invalid LOG_FORMAT="xml": expected `text` or `json`"#,
            r#"http: invalid SHUTDOWN_DELAY="soon": expected a whole number with an optional unit ms, s, m or h (e.g. 500ms, 30s, 2m; bare numbers are seconds)"#,
        ],
        "{stderr}"
    );
}
