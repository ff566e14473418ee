//! How emitted files are written: the `# file: NAME` line that starts each, and quoting.

/// The line that starts file `name` in the stream.
pub fn file_header(name: &str) -> String {
    format!("# file: {name}\n")
}

/// `text` as a double-quoted string, valid in YAML and in systemd's quoting alike.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Splits a stream into its files: `(name, text)` for each `# file: NAME` line and what
/// follows it, without the `---` separators.
pub fn split_files(stream: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in stream.lines() {
        if let Some(name) = line.strip_prefix("# file: ") {
            files.push((name.trim().to_owned(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            if line != "---" {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_splits() {
        assert_eq!(quote("a \"b\" \\c"), r#""a \"b\" \\c""#);
        let files = split_files("# file: a\nx: 1\n---\n# file: b\ny\n");
        assert_eq!(files, [("a".into(), "x: 1\n".into()), ("b".into(), "y\n".into())]);
    }
}
