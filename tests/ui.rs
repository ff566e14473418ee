//! Compile-time behaviour of `#[twelve_factor::main]`, through trybuild: every accepted form
//! compiles, every argument or signature error fails with its snapshot, and the no-daemon
//! detector denies daemonizing APIs while passing their legitimate look-alikes.
//!
//! One test function drives every directory, because trybuild builds all cases in one generated
//! project and two drivers running at once would fight over it.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/no_daemon/pass/*.rs");
    cases.compile_fail("tests/ui/no_daemon/deny/*.rs");
    cases.pass("tests/ui/no_daemon/effects/pass/*.rs");
    cases.compile_fail("tests/ui/no_daemon/effects/deny/*.rs");
    cases.pass("tests/ui/config/pass/*.rs");
    cases.compile_fail("tests/ui/config/fail/*.rs");
    cases.pass("tests/ui/process/pass/*.rs");
    cases.compile_fail("tests/ui/process/fail/*.rs");
    cases.pass("tests/ui/subscriber/pass/*.rs");
    cases.compile_fail("tests/ui/subscriber/deny/*.rs");
    cases.pass("tests/ui/frameworks/pass/*.rs");
    cases.compile_fail("tests/ui/frameworks/deny/*.rs");
}
