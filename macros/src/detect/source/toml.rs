//! A tolerant reader for the part of TOML a `Cargo.toml` uses for dependencies and features:
//! tables, dotted keys, strings, booleans, arrays and inline tables. Anything it does not
//! understand is skipped to the end of the line, never an error: the manifest check must not fail
//! a build that cargo accepted.

/// A TOML value, reduced to what the manifest check reads.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Bool(bool),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
    Other,
}

/// One `key = value`, with the enclosing table's path prepended to the key, and its line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: Vec<String>,
    pub value: Value,
    pub line: usize,
}

/// Reads every `key = value` of `text`.
pub(crate) fn parse(text: &str) -> Vec<Entry> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
    };
    let mut table: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    loop {
        reader.skip_blank(true);
        let Some(byte) = reader.peek(0) else { break };
        if byte == b'[' {
            let double = reader.peek(1) == Some(b'[');
            reader.at += if double { 2 } else { 1 };
            reader.skip_blank(false);
            table = reader.key();
            if double {
                // An array of tables ([[bin]]) never holds dependencies; keep the name only.
                table.push(String::new());
            }
        } else {
            let line = reader.line;
            let key = reader.key();
            reader.skip_blank(false);
            if !key.is_empty() && reader.peek(0) == Some(b'=') {
                reader.at += 1;
                reader.skip_blank(false);
                let value = reader.value(0);
                let mut full = table.clone();
                full.extend(key);
                entries.push(Entry {
                    key: full,
                    value,
                    line,
                });
            }
        }
        reader.skip_line();
    }
    entries
}

/// The read position.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl Reader<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn bump(&mut self) {
        if self.peek(0) == Some(b'\n') {
            self.line += 1;
        }
        self.at += 1;
    }

    /// Skips spaces and comments, and newlines too when `newlines`.
    fn skip_blank(&mut self, newlines: bool) {
        while let Some(byte) = self.peek(0) {
            match byte {
                b' ' | b'\t' | b'\r' => self.bump(),
                b'\n' if newlines => self.bump(),
                b'#' => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
    }

    /// Skips the rest of the line, including its newline.
    fn skip_line(&mut self) {
        while let Some(byte) = self.peek(0) {
            self.bump();
            if byte == b'\n' {
                break;
            }
        }
    }

    /// A dotted key; stops before `=`, `]` or anything unexpected.
    fn key(&mut self) -> Vec<String> {
        let mut parts = Vec::new();
        loop {
            self.skip_blank(false);
            match self.peek(0) {
                Some(b'"' | b'\'') => parts.push(self.string()),
                Some(b) if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => {
                    let start = self.at;
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    {
                        self.bump();
                    }
                    parts.push(self.text.get(start..self.at).unwrap_or("").to_owned());
                }
                _ => return parts,
            }
            self.skip_blank(false);
            if self.peek(0) == Some(b'.') {
                self.bump();
            } else {
                return parts;
            }
        }
    }

    /// A basic or literal string, single- or multi-line; the cursor is on the opening quote.
    fn string(&mut self) -> String {
        let Some(quote) = self.peek(0) else {
            return String::new();
        };
        let triple = self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        let width = if triple { 3 } else { 1 };
        for _ in 0..width {
            self.bump();
        }
        let mut out = String::new();
        let mut run = self.at;
        while let Some(byte) = self.peek(0) {
            if byte == quote
                && (!triple || (self.peek(1) == Some(quote) && self.peek(2) == Some(quote)))
            {
                out.push_str(self.text.get(run..self.at).unwrap_or(""));
                for _ in 0..width {
                    self.bump();
                }
                return out;
            }
            if byte == b'\n' && !triple {
                break;
            }
            if byte == b'\\' && quote == b'"' {
                out.push_str(self.text.get(run..self.at).unwrap_or(""));
                self.bump();
                if let Some(escaped) = self.peek(0) {
                    out.push(match escaped {
                        b'n' => '\n',
                        b't' => '\t',
                        other => char::from(other),
                    });
                    self.bump();
                }
                run = self.at;
                continue;
            }
            self.bump();
        }
        out.push_str(self.text.get(run..self.at).unwrap_or(""));
        out
    }

    /// A value; `depth` bounds nesting so that hostile input cannot overflow the stack.
    fn value(&mut self, depth: usize) -> Value {
        if depth > 32 {
            return Value::Other;
        }
        match self.peek(0) {
            Some(b'"' | b'\'') => Value::Str(self.string()),
            Some(b'[') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip_blank(true);
                    match self.peek(0) {
                        None => break,
                        Some(b']') => {
                            self.bump();
                            break;
                        }
                        Some(b',') => self.bump(),
                        Some(_) => {
                            let before = self.at;
                            items.push(self.value(depth + 1));
                            if self.at == before {
                                self.bump();
                            }
                        }
                    }
                }
                Value::Array(items)
            }
            Some(b'{') => {
                self.bump();
                let mut fields = Vec::new();
                loop {
                    self.skip_blank(true);
                    match self.peek(0) {
                        None => break,
                        Some(b'}') => {
                            self.bump();
                            break;
                        }
                        Some(b',') => self.bump(),
                        Some(_) => {
                            let before = self.at;
                            let key = self.key();
                            self.skip_blank(false);
                            if self.peek(0) == Some(b'=') {
                                self.bump();
                                self.skip_blank(false);
                                let value = self.value(depth + 1);
                                // A dotted key inside an inline table: keep its first part.
                                if let Some(first) = key.into_iter().next() {
                                    fields.push((first, value));
                                }
                            }
                            if self.at == before {
                                self.bump();
                            }
                        }
                    }
                }
                Value::Table(fields)
            }
            _ => {
                let start = self.at;
                while self
                    .peek(0)
                    .is_some_and(|b| !matches!(b, b',' | b']' | b'}' | b'\n' | b'#'))
                {
                    self.bump();
                }
                match self.text.get(start..self.at).unwrap_or("").trim() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Other,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(entry: &Entry) -> String {
        entry.key.join(".")
    }

    #[test]
    fn dependency_shapes() {
        let text = r#"
[package]
name = "svc" # comment

[dependencies]
daemonize = "0.5"
bg = { package = "daemonize", optional = true }
fork.version = "0.2"

[target.'cfg(unix)'.dependencies]
pidlock = "0.2"

[dependencies.nix]
version = "0.29"
features = [
  "process", # comment
  "signal",
]

[features]
quiet = ["dep:bg", "nix/fs"]
"#;
        let entries = parse(text);
        let keys: Vec<String> = entries.iter().map(key).collect();
        assert_eq!(
            keys,
            [
                "package.name",
                "dependencies.daemonize",
                "dependencies.bg",
                "dependencies.fork.version",
                "target.cfg(unix).dependencies.pidlock",
                "dependencies.nix.version",
                "dependencies.nix.features",
                "features.quiet"
            ]
        );
        assert_eq!(entries[2].line, 7);
        assert_eq!(
            entries[2].value,
            Value::Table(vec![
                ("package".into(), Value::Str("daemonize".into())),
                ("optional".into(), Value::Bool(true)),
            ])
        );
        assert_eq!(
            entries[7].value,
            Value::Array(vec![
                Value::Str("dep:bg".into()),
                Value::Str("nix/fs".into())
            ])
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "[",
            "a = {",
            "a = [",
            "a = \"",
            "= 1",
            "[[x",
            "a.b. = 1",
            "a = '''x",
            "x = [[[[[[[[",
        ] {
            let _ = parse(text);
        }
    }
}
