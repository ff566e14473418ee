//! Whether the crate hands a server's signals over: a method call to one of the
//! [cures](crate::detect::rules::signals) (`.shutdown_signal(…)`, `.disable_signals()`) in the
//! text of any file read, outside comments. Read on the raw text, since the file that configures
//! the server may hold no word the prefilter looks for.

use crate::detect::rules::signals;
use crate::detect::source::relevance::comment_ranges;

/// Whether `text` calls a cure as a method: `.` then (after blanks) the name then `(`.
pub(crate) fn calls_cure(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut comments: Option<Vec<(usize, usize)>> = None;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find('.')) {
        let dot = from + found;
        from = dot + 1;
        let mut start = dot + 1;
        while bytes.get(start).is_some_and(u8::is_ascii_whitespace) {
            start += 1;
        }
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        let Some(name) = text.get(start..end) else {
            continue;
        };
        if name.is_empty() || !signals::is_cure(name) {
            continue;
        }
        let mut after = end;
        while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
            after += 1;
        }
        if bytes.get(after) != Some(&b'(') {
            continue;
        }
        let comments = comments.get_or_insert_with(|| comment_ranges(text));
        let at = comments.partition_point(|&(s, _)| s <= dot);
        let commented = at > 0 && comments.get(at - 1).is_some_and(|&(_, e)| dot < e);
        if !commented {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::calls_cure;

    #[test]
    fn cures() {
        assert!(calls_cure("server.shutdown_signal(app.shutdown())"));
        assert!(calls_cure("HttpServer::new(f)\n    .disable_signals ()\n"));
        assert!(!calls_cure("// .shutdown_signal(x)\nfn main() {}"));
        assert!(!calls_cure("/* .disable_signals() */"));
        assert!(!calls_cure(
            "let shutdown_signal = 1; x.shutdown_timeout(30)"
        ));
        assert!(!calls_cure("fn shutdown_signal() {}"));
    }
}
