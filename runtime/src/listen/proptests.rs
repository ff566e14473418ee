//! Property tests of the probe listener's request handling: where a head ends, and the answer
//! to any bytes a client sends. [`CASES`] cases per property.

use crate::listen::http::head_end;
use crate::listen::probes::respond;
use crate::listen::readiness::Readiness;
use proptest::prelude::*;

const CASES: u32 = 512;

/// [`CASES`], or `PROPTEST_CASES` for a deeper run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES)
}

/// A request head as probers send it: a method, a target, a version, header lines, LF or CRLF.
fn head(method: &str, target: &str, headers: &[(String, String)], crlf: bool) -> Vec<u8> {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = format!("{method} {target} HTTP/1.1{eol}");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}{eol}"));
    }
    text.push_str(eol);
    text.into_bytes()
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,20}", "[ -~]{0,40}"), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Any bytes: an answer, never a panic, with a status the listener knows and a head that is
    /// well formed.
    #[test]
    fn any_bytes_get_a_well_formed_answer(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let response = respond(&bytes, Readiness::ready);
        prop_assert!([200, 400, 404, 405, 503, 505].contains(&response.status));
        let wire = String::from_utf8(response.to_bytes()).unwrap();
        let (head, body) = wire.split_once("\r\n\r\n").unwrap();
        prop_assert!(head.split("\r\n").all(|line| !line.contains('\n')));
        let length = format!("Content-Length: {}\r\n", response.body.len());
        prop_assert!(wire.contains(&length));
        prop_assert!(body.len() == response.body.len() || response.head_only);
    }

    /// Text-like heads with any header lines: the same.
    #[test]
    fn any_printable_head_is_answered(line in "[ -~]{0,80}", headers in headers()) {
        let bytes = head("", "", &headers, true);
        let mut request = line.into_bytes();
        request.extend_from_slice(&bytes);
        let response = respond(&request, Readiness::ready);
        prop_assert!(response.status >= 200);
    }

    /// `GET`/`HEAD` of the probes with any headers, query or absolute form, LF or CRLF: the head
    /// ends where its blank line does, and the probe is answered.
    #[test]
    fn every_valid_probe_is_answered(
        head_only: bool,
        readyz: bool,
        query in "(\\?[a-z=&]{0,20})?",
        authority in "(http://[a-z0-9.]{1,20}(:[0-9]{1,5})?)?",
        headers in headers(),
        crlf: bool,
        rest in prop::collection::vec(any::<u8>(), 0..50),
    ) {
        let path = if readyz { "/readyz" } else { "/livez" };
        let target = format!("{authority}{path}{query}");
        let method = if head_only { "HEAD" } else { "GET" };
        let mut bytes = head(method, &target, &headers, crlf);
        let length = bytes.len();
        bytes.extend_from_slice(&rest);
        prop_assert_eq!(head_end(&bytes), Some(length));
        let response = respond(&bytes[..length], Readiness::ready);
        prop_assert_eq!(response.status, 200);
        prop_assert_eq!(response.head_only, head_only);
        prop_assert_eq!(response.body, if readyz { "ready\n" } else { "ok\n" });
    }

    /// Other methods on the probes are 405 with `Allow`; other paths 404.
    #[test]
    fn other_methods_and_paths_are_refused(method in "[A-Z]{1,10}", path in "/[a-z]{0,12}") {
        let on_probe = respond(&head(&method, "/livez", &[], true), Readiness::ready);
        if method == "GET" || method == "HEAD" {
            prop_assert_eq!(on_probe.status, 200);
        } else {
            prop_assert_eq!((on_probe.status, on_probe.allow), (405, true));
        }
        let other = respond(&head("GET", &path, &[], true), Readiness::ready);
        prop_assert_eq!(other.status, if path == "/livez" || path == "/readyz" { 200 } else { 404 });
    }

    /// Without a blank line there is no end, however long the bytes.
    #[test]
    fn no_blank_line_no_end(lines in prop::collection::vec("[ -~]{0,60}", 0..40), crlf: bool) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text: String = lines.iter().filter(|l| !l.is_empty()).map(|l| format!("{l}{eol}")).collect();
        prop_assert_eq!(head_end(text.as_bytes()), None);
    }
}
