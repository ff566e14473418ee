//! The program re-spawned as its own daemon: `Command::new(std::env::current_exe()?)` (or
//! `std::env::args().next()`) detached from the service (`.process_group(0)`, `setsid` in
//! `pre_exec`, `Stdio::null()`), spawned and never waited for in that function. When the child
//! is dropped at once (`spawn()?;`, `spawn()?.id()`) or the parent exits, it is denied; when the
//! child is kept (returned, stored) it may be waited for elsewhere, so it is a warning.
//!
//! `pre_exec` runs in the child between fork and exec: `setsid` or `dup2` there change the child
//! that will run another program, not the service, so they are spared there (the re-spawn rule
//! above still judges a child that is the program itself).

use super::{idents_in, Frame};
use crate::detect::check::finding::Finding;
use crate::detect::check::Checker;
use crate::detect::rules::catalogue::Entry;
use crate::detect::rules::effects::{self, DROPS_CHILD};
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths::{pattern_names, Path};

/// Methods that pass a spawn's result on unchanged.
const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "ok",
    "map_err",
    "context",
    "with_context",
];

/// Where the statement holding `level[at]` starts: after the `;` before it, looked for at most
/// [`LOOK_BACK`] tokens back (a longer statement starts at its cut).
fn statement_start(level: &Level<'_>, at: usize) -> usize {
    let from = at.saturating_sub(LOOK_BACK);
    (from..at)
        .rev()
        .find(|&s| level.get(s).is_some_and(|n| n.is_punct(b';')))
        .map_or(from, |s| s + 1)
}

/// How far back a statement's start is looked for.
const LOOK_BACK: usize = 256;

/// Whether the `spawn` call at `level[method]` drops the child at once.
fn drops_child(level: &Level<'_>, method: usize) -> bool {
    let call = |k: usize| {
        level
            .get(k)
            .and_then(|n| n.group())
            .is_some_and(|(d, _)| d == Delim::Paren)
    };
    let mut k = method + 2;
    loop {
        if level.get(k).is_some_and(|n| n.is_punct(b'?')) {
            k += 1;
            continue;
        }
        let dot = level.get(k).is_some_and(|n| n.is_punct(b'.'));
        let name = level.get(k + 1).and_then(|n| n.ident()).unwrap_or("");
        if dot && call(k + 2) && DROPS_CHILD.contains(&name) {
            return true;
        }
        if dot && call(k + 2) && PASS_THROUGH.contains(&name) {
            k += 3;
            continue;
        }
        break;
    }
    if !level.get(k).is_some_and(|n| n.is_punct(b';')) {
        return false; // a tail expression: returned, or passed on
    }
    let start = statement_start(level, method);
    if level.get(start).is_some_and(|n| n.is_ident("let")) {
        return level.get(start + 1).is_some_and(|n| n.is_ident("_"));
    }
    // An assignment keeps the child.
    !(start..method).any(|s| {
        let eq = level
            .get(s)
            .is_some_and(|n| n.is_punct(b'=') && !n.is_joint());
        let before = s
            .checked_sub(1)
            .and_then(|p| level.get(p))
            .is_some_and(|n| {
                n.is_joint()
                    && (n.is_punct(b'=')
                        || n.is_punct(b'!')
                        || n.is_punct(b'<')
                        || n.is_punct(b'>'))
            });
        eq && !before
    })
}

impl Checker<'_, '_, '_> {
    /// The program's own path (named `what`) read at `level[..next]`: a `let` around it binds a
    /// variable to it.
    pub(super) fn self_binding(&mut self, level: &Level<'_>, next: usize, what: &'static str) {
        let start = statement_start(level, next);
        if !level.get(start).is_some_and(|n| n.is_ident("let")) {
            return;
        }
        let names = pattern_names(level, start + 1);
        if let Some(frame) = self.frames.last_mut() {
            frame.self_vars.extend(names.into_iter().map(|n| (n, what)));
        }
    }

    /// A path the resolver could not follow (`use std::process::*;` then `Command::new`, `exit`):
    /// read by how it is written, for the re-spawn rule only (it needs the program's own path,
    /// resolved, and a spawn as well).
    pub(in crate::detect::check) fn unresolved_effect(
        &mut self,
        path: &Path<'_>,
        after: Option<Node<'_>>,
    ) {
        match path.names().as_slice() {
            [.., "Command", "new"] => self.command_new(after),
            [.., "Stdio", "null"] => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.detach.push("Stdio::null()");
                }
            }
            ["exit"] | [.., "process", "exit"] => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.exits = true;
                }
            }
            _ => {}
        }
    }

    /// `Command::new(…)` with its argument group: is the program the running one?
    pub(super) fn command_new(&mut self, args: Option<Node<'_>>) {
        let Some((Delim::Paren, inner)) = args.and_then(|a| a.group()) else {
            return;
        };
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let idents = idents_in(&inner);
        let named = |word: &str| idents.iter().any(|(name, _)| name == word);
        let program = if named("current_exe") {
            Some("std::env::current_exe")
        } else if named("args") && (named("next") || named("nth")) {
            Some("std::env::args")
        } else {
            let skip = usize::from(inner.get(0).is_some_and(|n| n.is_punct(b'&')));
            let first = inner.get(skip).and_then(|n| n.ident());
            let bare =
                inner.len() == skip + 1 || inner.get(skip + 1).is_some_and(|n| n.is_punct(b'.'));
            frame
                .self_vars
                .iter()
                .find(|(var, _)| bare && Some(var.as_str()) == first)
                .map(|(_, what)| *what)
        };
        if program.is_some() {
            frame.self_exe = program;
        }
    }

    /// A `.spawn()` at `level[method]`.
    pub(super) fn spawn(&mut self, level: &Level<'_>, method: usize) {
        let Some(node) = level.get(method) else {
            return;
        };
        if self.frames.is_empty() {
            return;
        }
        let dropped = drops_child(level, method);
        let finding = self.finding(&effects::RESPAWN, String::new(), None, node.at(), level);
        if let Some(frame) = self.frames.last_mut() {
            frame.spawns.push((finding, dropped));
        }
    }

    /// Whether a use of `entry` is spared because it stands in a `pre_exec` closure (recorded
    /// as a detaching effect of the function).
    pub(in crate::detect::check) fn spared_in_pre_exec(
        &mut self,
        entry: &Entry,
        title: &str,
    ) -> bool {
        if self.pre_exec == 0 || !entry.spared_before_exec() {
            return false;
        }
        self.effects.spared.insert(title.to_owned());
        if let Some(frame) = self.frames.last_mut() {
            frame.detach.push("setsid or dup2 in pre_exec");
        }
        true
    }

    /// A function that ends: did it re-spawn the program detached, and not wait for it?
    pub(super) fn judge_respawn(&mut self, frame: &Frame) {
        let Some(program) = frame.self_exe else {
            return;
        };
        if frame.waits || frame.reaps || frame.detach.is_empty() {
            return;
        }
        let mut how: Vec<&str> = frame.detach.clone();
        how.dedup();
        for (spawn, dropped) in &frame.spawns {
            let entry = match frame.exits || *dropped {
                true => &effects::RESPAWN,
                false => &effects::RESPAWN_KEPT,
            };
            let end = match (frame.exits, dropped) {
                (true, _) => ", then the parent exits",
                (false, true) => ", the child dropped",
                (false, false) => "",
            };
            self.findings.push(Finding {
                entry,
                title: format!("Command::new({program}…)"),
                written: Some(format!(
                    "spawn() of the program itself with {}, not waited for{end}",
                    how.join(", ")
                )),
                ..spawn.clone()
            });
        }
    }
}
