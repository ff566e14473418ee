//! The check's recognisers of particular calls and token shapes: system call numbers, logger
//! and panic hook installers and `SubscriberInitExt`'s `.init()`, closure parameters, and the
//! flat walk below the depth where scopes are tracked; and where findings are pushed (after
//! the rules over effects have had their say on them).

use super::{heuristics, Checker, Target};
use crate::detect::check::finding::Finding;
use crate::detect::rules::catalogue::{self, Entry, Rule};
use crate::detect::rules::effects::{self, Effect};
use crate::detect::rules::loggers::{self, Installer};
use crate::detect::syntax::lex::{Delim, Kind, Level, Lexed, Node};
use crate::detect::syntax::paths::{self, pattern_names, Path};
use crate::detect::syntax::tokens;

impl Checker<'_, '_, '_> {
    /// Deeper than [`MAX_DEPTH`](super::MAX_DEPTH): every path in the level and its groups, in the current scope,
    /// with an explicit stack.
    pub(super) fn flat(&mut self, level: Level<'_>) {
        let mut stack = vec![level];
        while let Some(level) = stack.pop() {
            let mut i = 0;
            while let Some(node) = level.get(i) {
                if let Some((_, inner)) = node.group() {
                    stack.push(inner);
                    i += 1;
                } else if node.ident().is_some_and(|n| !tokens::is_keyword(n))
                    || paths::colons_at(&level, i)
                {
                    i = self.path(&level, i).max(i + 1);
                } else {
                    i += 1;
                }
            }
        }
    }

    /// `|a, (b, c)|`: closure parameters, bound in the innermost block.
    pub(super) fn closure_params(&mut self, level: &Level<'_>, i: usize) -> usize {
        let opens_closure = match i.checked_sub(1).and_then(|p| level.get(p)) {
            None => true,
            Some(prev) => match prev.kind() {
                Kind::Punct { ch, .. } => matches!(ch, b'=' | b',' | b'(' | b';' | b'>'),
                Kind::Ident => matches!(prev.ident(), Some("move" | "return" | "async")),
                _ => false,
            },
        };
        if !opens_closure {
            return i + 1;
        }
        let Some(close) =
            (i + 1..level.len()).find(|&j| level.get(j).is_some_and(|t| t.is_punct(b'|')))
        else {
            return i + 1;
        };
        let names = pattern_names(&level.slice(i + 1, close), 0);
        if let Some(block) = self.blocks.last_mut() {
            for name in names {
                block.scope.bind_local(&name);
            }
        }
        i + 1
    }

    /// `syscall(SYS_fork, …)`: the system call number, when it stands for a banned function.
    pub(super) fn syscall(&mut self, args: Option<Node<'_>>) {
        let Some((Delim::Paren, args)) = args.and_then(|a| a.group()) else {
            return;
        };
        let Some((number, _)) = paths::path_at(&args, 0) else {
            return;
        };
        let target = self
            .resolver
            .resolve(&self.at(), number.absolute, &number.names(), false);
        let Target::External(full) = target else {
            return;
        };
        if let Some(Effect::Clone {
            flags,
            number: true,
        }) = effects::effect_of(&full)
        {
            self.clone_syscall(&args, &number, &full, flags);
        }
        if let Some(entry) = catalogue::lookup(&full).filter(|e| e.rule == Rule::Syscall) {
            let at = number.segs.first().map_or(0, |s| s.at);
            self.push(
                entry,
                entry.path.to_owned(),
                Some(number.display()),
                at,
                args.lexed(),
            );
        }
    }

    /// An installer (of a global logger, of a panic hook) at the path `written` (resolved to
    /// `full`, followed by `level[next]`): a call of an installing function, or a method chain
    /// from it that calls one; reported as `entry`.
    pub(super) fn installer(
        &mut self,
        level: &Level<'_>,
        written: &Path<'_>,
        full: &[String],
        next: usize,
        installer: &Installer,
        entry: &'static Entry,
    ) {
        let called = |j: usize| {
            matches!(
                level.get(j).map(|n| n.kind()),
                Some(Kind::Group(Delim::Paren))
            )
        };
        let start = written.segs.first().map_or(0, |s| s.at);
        if called(next) && loggers::installs(installer, full) {
            let text = format!("{}()", written.display());
            self.push(
                entry,
                installer.prefix.to_owned(),
                Some(text),
                start,
                level.lexed(),
            );
            return;
        }
        // `root(…).with(…)?.init()`: follow the chain to an installing method.
        let mut j = next;
        for _ in 0..64 {
            let Some(node) = level.get(j) else { return };
            if called(j) || node.is_punct(b'?') {
                j += 1;
                continue;
            }
            let Some(method) = level
                .get(j + 1)
                .and_then(|n| n.ident())
                .filter(|_| node.is_punct(b'.'))
            else {
                return;
            };
            if installer.calls.contains(&method) && called(j + 2) {
                let at = level.get(j + 1).map_or(start, |n| n.at());
                let text = format!("{}(…).{method}()", written.display());
                self.push(
                    entry,
                    installer.prefix.to_owned(),
                    Some(text),
                    at,
                    level.lexed(),
                );
                return;
            }
            j += 2;
        }
    }

    /// `.init()` / `.try_init()` at `level[method]` while `SubscriberInitExt` is in scope.
    pub(super) fn init_method(&mut self, level: &Level<'_>, method: usize) {
        let Some(node) = level.get(method) else {
            return;
        };
        let name = node.ident().unwrap_or("");
        let called = matches!(
            level.get(method + 1).map(|n| n.kind()),
            Some(Kind::Group(Delim::Paren))
        );
        if called && loggers::INIT_EXT_METHODS.contains(&name) {
            self.push(
                &loggers::ENTRY,
                "tracing_subscriber".to_owned(),
                Some(format!(".{name}()")),
                node.at(),
                level.lexed(),
            );
        }
    }

    /// Reports `target` when it is banned in every use (imports, `extern crate`).
    pub(super) fn report_any(&mut self, target: &Target, written: String, at: u32, lexed: &Lexed) {
        if let Target::External(path) = target {
            if let Some(entry) = catalogue::lookup(path).filter(|e| e.rule == Rule::Any) {
                self.push(entry, entry.path.to_owned(), Some(written), at, lexed);
                if let Some(finding) = self.findings.last_mut() {
                    finding.import = true;
                }
            }
        }
    }

    pub(super) fn hint(&mut self, rule: Rule, hint: heuristics::Hint, lexed: &Lexed) {
        if let Some(entry) = catalogue::heuristic(rule) {
            self.push(entry, hint.what, None, hint.at, lexed);
        }
    }

    pub(super) fn push(
        &mut self,
        entry: &'static Entry,
        title: String,
        written: Option<String>,
        at: u32,
        lexed: &Lexed,
    ) {
        if self.spared_in_pre_exec(entry, &title) {
            return;
        }
        let finding = Finding {
            entry,
            title,
            written,
            file: self.path.clone(),
            pos: lexed.pos(at),
            cfg: self.cfg.clone(),
            import: false,
        };
        if !self.held(&finding) {
            self.findings.push(finding);
        }
    }
}
