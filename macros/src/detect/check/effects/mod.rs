//! Rules over effects: what creates a process, leaves the session or moves stdout, when no
//! single call says so. The walk records, per function ([`Frame`]), the effects of the calls it
//! resolves (the table is [`rules::effects`](crate::detect::rules::effects)) and judges them when
//! the function ends; what depends on other functions or macros (a wrapper that forwards its
//! parameter to `dup2`, a macro that assembles `libc::$f`) is kept crate-wide in [`Effects`] and
//! judged once the whole crate is walked.
//!
//! One file per rule: [`forwarding`] (wrappers of `dup2`), [`assembled`] (macro-assembled
//! paths), [`reopen`] (close stdout, then open), [`clone`] (`clone` flags), [`respawn`] (the
//! program re-spawned detached, and `pre_exec`).

use super::{finding::Finding, Checker};
use crate::detect::rules::catalogue::{self, Entry};
use crate::detect::rules::effects::{self, Effect};
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths::{colons_at, pattern_names, Path};
use std::collections::{HashMap, HashSet};

mod assembled;
mod clone;
mod forwarding;
mod reopen;
mod respawn;

pub(super) use forwarding::Forward;

/// What one function does, as far as the rules over effects care.
#[derive(Default)]
pub(super) struct Frame {
    /// The function's name and its parameters by position (`None`: a pattern).
    name: String,
    params: Vec<Option<String>>,
    /// Parameters forwarded to a `dup2` target or to another function's parameter.
    forwards: Vec<Forward>,
    /// `close(1)` calls not yet followed by an open (with the walk's depth there), and those
    /// that were.
    closes: Vec<(Finding, usize)>,
    reopened: Vec<Finding>,
    /// How the function names its own program (`std::env::current_exe`) as the program of a
    /// `Command`, if it does.
    self_exe: Option<&'static str>,
    /// Variables bound to the program's own path (`let exe = std::env::current_exe()?;`).
    self_vars: Vec<(String, &'static str)>,
    /// `.spawn()` calls: the place, and whether the child is dropped at once.
    spawns: Vec<(Finding, bool)>,
    waits: bool,
    /// `waitpid`/`wait` (reaps a forked child), and an `exec` (the child runs a program).
    reaps: bool,
    execs: bool,
    /// Forks, held until the function ends: forgiven when the child execs and the parent reaps.
    forks: Vec<Finding>,
    exits: bool,
    /// How a child is detached (`process_group(0)`, `setsid` in `pre_exec`, `Stdio::null()`).
    detach: Vec<&'static str>,
    /// `clone3` calls, judged by the `flags:` fields of the function.
    clone3: Vec<Finding>,
    flag_fields: Vec<clone::Flags>,
}

impl Frame {
    fn param(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.as_deref() == Some(name))
    }
}

/// What the rules over effects keep across functions and files.
#[derive(Default)]
pub(crate) struct Effects {
    forwarding: forwarding::Forwarding,
    assembled: assembled::Assembled,
    /// Titles of `setsid`/`dup2` uses spared inside `pre_exec`: their imports are spared too.
    spared: HashSet<String>,
}

impl Effects {
    /// The names of the crate's wrappers of `dup2`: a file that calls one is worth checking.
    pub(crate) fn wrapper_names(&self) -> HashSet<String> {
        self.forwarding.names()
    }

    /// The findings that needed the whole crate, once it is walked; `findings` loses the
    /// imports of APIs that were only used inside `pre_exec`.
    pub(crate) fn finish(self, findings: &mut Vec<Finding>) {
        let used: HashSet<String> = findings
            .iter()
            .filter(|f| !f.import)
            .map(|f| f.title.clone())
            .collect();
        findings
            .retain(|f| !(f.import && self.spared.contains(&f.title) && !used.contains(&f.title)));
        findings.extend(self.forwarding.finish());
        findings.extend(self.assembled.finish());
    }
}

impl Checker<'_, '_, '_> {
    /// Whether a finding is held by the function being walked: a fork, judged when the function
    /// ends (a child that execs a program the parent reaps is a supervisor's, not a daemon's).
    pub(super) fn held(&mut self, finding: &Finding) -> bool {
        if !finding.entry.forks() {
            return false;
        }
        match self.frames.last_mut() {
            Some(frame) => {
                frame.forks.push(finding.clone());
                true
            }
            None => false,
        }
    }

    /// Enters a function: its frame is judged by [`Checker::leave_fn`].
    pub(super) fn enter_fn(&mut self, name: Option<Node<'_>>, params: Option<Level<'_>>) {
        let params = params
            .map(|p| {
                p.split(b',')
                    .iter()
                    .filter(|param| !param.iter().any(|n| n.is_ident("self")))
                    .map(|param| {
                        // The pattern before the type (`fd` in `fd: i32`).
                        let colon = (0..param.len()).find(|&k| {
                            param.get(k).is_some_and(|n| n.is_punct(b':'))
                                && !colons_at(param, k)
                                && !(k > 0 && colons_at(param, k - 1))
                        });
                        let pattern = param.slice(0, colon.unwrap_or(param.len()));
                        let names = pattern_names(&pattern, 0);
                        (names.len() == 1).then(|| names[0].clone())
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.frames.push(Frame {
            name: name.and_then(|n| n.ident()).unwrap_or("").to_owned(),
            params,
            ..Frame::default()
        });
    }

    /// Leaves a function: judges what it did.
    pub(super) fn leave_fn(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.effects.forwarding.leave(&frame);
        if frame.execs && frame.reaps {
            let titles = frame.forks.iter().map(|f| f.title.clone());
            self.effects.spared.extend(titles);
        } else {
            self.findings.extend(frame.forks.iter().cloned());
        }
        self.findings.extend(frame.reopened.iter().cloned());
        self.judge_clone3(&frame);
        self.judge_respawn(&frame);
    }

    /// A finding of `entry` at byte `at` of the current file.
    fn finding(
        &self,
        entry: &'static Entry,
        title: String,
        written: Option<String>,
        at: u32,
        level: &Level<'_>,
    ) -> Finding {
        Finding {
            entry,
            title,
            written,
            file: self.path.clone(),
            pos: level.lexed().pos(at),
            cfg: self.cfg.clone(),
            import: false,
        }
    }

    /// A resolved external path `full`, written `path` at `level[..next]`: records its effect.
    pub(super) fn effect(
        &mut self,
        level: &Level<'_>,
        path: &Path<'_>,
        full: &[String],
        next: usize,
    ) {
        let after = level.get(next);
        let at = path.segs.first().map_or(0, |s| s.at);
        let listed = catalogue::lookup(full).is_some();
        if let Some(shape) = effects::shape_of(full).filter(|_| !listed) {
            let title = format!("{}::{shape}", full[0]);
            let finding = self.finding(&effects::SHAPE, title, Some(path.display()), at, level);
            self.findings.push(finding);
        }
        if effects::is_args(full) && zeroth_arg(level, next) {
            self.self_binding(level, next, "std::env::args");
        }
        if let [.., command, new] = full {
            if command == "Command" && new == "new" {
                self.command_new(after);
            }
        }
        let Some(effect) = effects::effect_of(full) else {
            // `Stdio::null()` through `use std::process::*;` resolves to no crate's path.
            if !matches!(full, [.., command, new] if command == "Command" && new == "new") {
                self.unresolved_effect(path, after);
            }
            return;
        };
        match effect {
            Effect::Close => self.close(level, path, full, after),
            Effect::Open => self.open(),
            Effect::Clone {
                flags,
                number: false,
            } => self.clone_call(level, path, full, after, flags),
            Effect::Clone { number: true, .. } => {}
            Effect::SelfExe => self.self_binding(level, next, "std::env::current_exe"),
            _ => {
                if let Some(frame) = self.frames.last_mut() {
                    match effect {
                        Effect::Exit => frame.exits = true,
                        Effect::SelfExe => {}
                        Effect::Wait => frame.reaps = true,
                        Effect::Exec => frame.execs = true,
                        Effect::Detach => frame.detach.push("Stdio::null()"),
                        _ => {}
                    }
                }
            }
        }
    }

    /// A method call `.name(…)` at `level[method]`: spawns, waits, process groups, opens.
    pub(super) fn method_effect(&mut self, level: &Level<'_>, method: usize) {
        let Some(name) = level.get(method).and_then(|n| n.ident()) else {
            return;
        };
        let called = level
            .get(method + 1)
            .and_then(|n| n.group())
            .is_some_and(|(d, _)| d == Delim::Paren);
        if !called {
            return;
        }
        if name == "open" {
            self.open();
        }
        if name == "exec" {
            if let Some(frame) = self.frames.last_mut() {
                frame.execs = true;
            }
        }
        if effects::SPAWN_METHODS.contains(&name) {
            self.spawn(level, method);
        }
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        if effects::WAIT_METHODS.contains(&name) {
            frame.waits = true;
        }
        if effects::DETACH_METHODS.contains(&name) {
            frame.detach.push("process_group");
        }
    }
}

/// Whether `level[next..]` is `() . next ()` or `() . nth (0)`: the zeroth argument.
fn zeroth_arg(level: &Level<'_>, next: usize) -> bool {
    let empty_call = |k: usize| {
        level
            .get(k)
            .and_then(|n| n.group())
            .is_some_and(|(d, inner)| d == Delim::Paren && inner.is_empty())
    };
    if !empty_call(next) || !level.get(next + 1).is_some_and(|n| n.is_punct(b'.')) {
        return false;
    }
    match level.get(next + 2).and_then(|n| n.ident()) {
        Some("next") => empty_call(next + 3),
        Some("nth") => level
            .get(next + 3)
            .and_then(|n| n.group())
            .is_some_and(|(_, inner)| {
                inner.len() == 1 && inner.get(0).and_then(|n| n.number()) == Some(0)
            }),
        _ => false,
    }
}

/// The names a macro invocation's arguments hold, with their byte offsets (8 groups deep).
pub(super) fn idents_in(level: &Level<'_>) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![(*level, 0)];
    while let Some((level, depth)) = stack.pop() {
        for node in level.iter() {
            if let Some(name) = node.ident() {
                out.push((name.to_owned(), node.at()));
            } else if let Some((_, inner)) = node.group().filter(|_| depth < 8) {
                stack.push((inner, depth + 1));
            }
        }
    }
    out
}

/// A map from a name to what is known of it.
pub(super) type ByName<T> = HashMap<String, Vec<T>>;
