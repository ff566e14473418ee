//! Crate-wide cures: a call, anywhere in the text of a file read, to one of the names that make
//! a rule's findings moot (`.shutdown_signal(…)` for a server that takes the stop signals,
//! `take_hook()` for a panic hook chained to ours). Read on the raw text, outside comments,
//! since the file that calls it may hold no word the prefilter looks for.

use crate::detect::source::relevance::comment_ranges;

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Whether `text` calls one of `names`: the whole identifier, then (after blanks) `(`, not
/// declared by `fn` and not inside a comment.
pub(crate) fn calls_any(text: &str, names: &[&str]) -> bool {
    names.iter().any(|name| calls(text, name))
}

fn calls(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let mut comments: Option<Vec<(usize, usize)>> = None;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(name)) {
        let start = from + found;
        let end = start + name.len();
        from = end;
        let whole = (start == 0 || !is_ident(bytes[start - 1]))
            && !bytes.get(end).copied().is_some_and(is_ident);
        if !whole {
            continue;
        }
        let mut after = end;
        while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
            after += 1;
        }
        if bytes.get(after) != Some(&b'(') {
            continue;
        }
        let head = text.get(..start).unwrap_or("").trim_end();
        let declared = head.ends_with("fn")
            && !head
                .as_bytes()
                .get(head.len().wrapping_sub(3))
                .copied()
                .is_some_and(is_ident);
        if declared {
            continue;
        }
        let comments = comments.get_or_insert_with(|| comment_ranges(text));
        let at = comments.partition_point(|&(s, _)| s <= start);
        let commented = at > 0 && comments.get(at - 1).is_some_and(|&(_, e)| start < e);
        if !commented {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::calls_any;

    const SIGNALS: &[&str] = &["shutdown_signal", "disable_signals"];

    #[test]
    fn cures() {
        assert!(calls_any("server.shutdown_signal(app.shutdown())", SIGNALS));
        assert!(calls_any(
            "HttpServer::new(f)\n    .disable_signals ()\n",
            SIGNALS
        ));
        assert!(!calls_any("// .shutdown_signal(x)\nfn main() {}", SIGNALS));
        assert!(!calls_any("/* .disable_signals() */", SIGNALS));
        assert!(!calls_any(
            "let shutdown_signal = 1; x.shutdown_timeout(30)",
            SIGNALS
        ));
        assert!(!calls_any("fn shutdown_signal() {}", SIGNALS));
        assert!(!calls_any("my_shutdown_signal()", SIGNALS));
        assert!(calls_any(
            "let ours = std::panic::take_hook();",
            &["take_hook"]
        ));
        assert!(calls_any("let ours = take_hook();", &["take_hook"]));
    }
}
