//! Wrappers of `dup2`: a function of the crate that passes one of its parameters on as the
//! target of `dup2` (or `dup3`, or to another such wrapper), called with stdout or stderr in that
//! place. `fn redirect(fd: i32, to: i32) { unsafe { libc::dup2(fd, to); } }` then
//! `redirect(log, 1)` moves stdout as surely as the `dup2` itself. Wrappers are known by name,
//! crate-wide, and wrappers of wrappers are followed.

use super::{ByName, Frame};
use crate::detect::check::finding::Finding;
use crate::detect::check::{heuristics, Checker};
use crate::detect::rules::catalogue::Entry;
use crate::detect::syntax::lex::{Delim, Level, Node, Pos};
use crate::detect::syntax::paths::Path;
use std::collections::HashSet;
use std::path::PathBuf;
use std::rc::Rc;

/// Where a function passes one of its parameters.
pub(in crate::detect::check) struct Forward {
    param: usize,
    to: To,
}

enum To {
    /// The target of a `dup2`-like call.
    Dup(&'static Entry),
    /// Argument `arg` of the crate's function `callee`.
    Fn { callee: String, arg: usize },
}

/// A call of a crate function with stdout or stderr as argument `arg`.
struct Call {
    callee: String,
    arg: usize,
    written: String,
    file: PathBuf,
    pos: Pos,
    cfg: Vec<Rc<str>>,
}

/// What is known crate-wide.
#[derive(Default)]
pub(super) struct Forwarding {
    /// Per function name: parameter → the `dup2` it reaches, directly.
    direct: ByName<(usize, &'static Entry)>,
    /// Per function name: (parameter, callee, callee's argument).
    links: ByName<(usize, String, usize)>,
    calls: Vec<Call>,
}

impl Forwarding {
    /// Keeps what `frame`'s function forwards.
    pub(super) fn leave(&mut self, frame: &Frame) {
        for forward in &frame.forwards {
            match &forward.to {
                To::Dup(entry) => self
                    .direct
                    .entry(frame.name.clone())
                    .or_default()
                    .push((forward.param, entry)),
                To::Fn { callee, arg } => self.links.entry(frame.name.clone()).or_default().push((
                    forward.param,
                    callee.clone(),
                    *arg,
                )),
            }
        }
    }

    /// The names of the functions known to forward a parameter (one level: enough to select
    /// the files that call them).
    pub(super) fn names(&self) -> HashSet<String> {
        self.direct
            .keys()
            .chain(self.links.keys())
            .cloned()
            .collect()
    }

    /// The calls that reach a `dup2` target with stdout or stderr.
    pub(super) fn finish(self) -> Vec<Finding> {
        let mut wrappers = self.direct;
        // Wrappers of wrappers, a few levels up.
        for _ in 0..8 {
            let mut added = Vec::new();
            for (name, links) in &self.links {
                for (param, callee, arg) in links {
                    let reached = wrappers
                        .get(callee)
                        .and_then(|w| w.iter().find(|(p, _)| p == arg).map(|(_, e)| *e));
                    let known = wrappers
                        .get(name)
                        .is_some_and(|w| w.iter().any(|(p, _)| p == param));
                    if let (Some(entry), false) = (reached, known) {
                        added.push((name.clone(), *param, entry));
                    }
                }
            }
            if added.is_empty() {
                break;
            }
            for (name, param, entry) in added {
                wrappers.entry(name).or_default().push((param, entry));
            }
        }
        self.calls
            .into_iter()
            .filter_map(|call| {
                let entry = wrappers
                    .get(&call.callee)?
                    .iter()
                    .find(|(p, _)| *p == call.arg)?
                    .1;
                Some(Finding {
                    entry,
                    title: entry.path.to_owned(),
                    written: Some(format!(
                        "{}, which passes it to {}",
                        call.written, entry.path
                    )),
                    file: call.file,
                    pos: call.pos,
                    cfg: call.cfg,
                    import: false,
                })
            })
            .collect()
    }
}

/// Whether an argument is short enough to name a descriptor (`1`, `libc::STDOUT_FILENO`,
/// `io::stdout().as_raw_fd()`): long ones are not searched, so nested calls cost linear time.
fn short(arg: &Level<'_>) -> bool {
    arg.len() <= 12 && arg.iter().all(|n| n.inner_text().len() <= 64)
}

/// The name an argument is, alone (`to`, `&mut to`, `to as i32`), if it is one.
fn bare_name<'a>(arg: &Level<'a>) -> Option<&'a str> {
    let skip = (0..arg.len())
        .take_while(|&i| {
            arg.get(i)
                .is_some_and(|n| n.is_punct(b'&') || n.is_ident("mut"))
        })
        .count();
    let name = arg.get(skip)?.ident()?;
    let alone = arg.len() == skip + 1 || arg.get(skip + 1).is_some_and(|t| t.is_ident("as"));
    alone.then_some(name)
}

impl Checker<'_, '_, '_> {
    /// A `dup2`-like call whose target `onto` is not stdout or stderr: a parameter of the
    /// function makes the function a wrapper.
    pub(in crate::detect::check) fn dup_target(&mut self, entry: &'static Entry, onto: &Level<'_>) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        if let Some(param) = bare_name(onto).and_then(|name| frame.param(name)) {
            frame.forwards.push(Forward {
                param,
                to: To::Dup(entry),
            });
        }
    }

    /// A call of the crate's own function (`path` resolved to no external item), with its
    /// argument group `args`: stdout or stderr passed, or a parameter forwarded.
    pub(in crate::detect::check) fn local_call(&mut self, path: &Path<'_>, args: Option<Node<'_>>) {
        let Some((Delim::Paren, args)) = args.and_then(|a| a.group()) else {
            return;
        };
        let Some(callee) = path.segs.last().map(|s| s.name.to_owned()) else {
            return;
        };
        let at = path.segs.first().map_or(0, |s| s.at);
        for (k, arg) in args.split(b',').iter().enumerate() {
            if short(arg) && heuristics::names_std_stream(arg)
                || heuristics::bound_to_std_stream(arg, &self.std_names)
            {
                let call = Call {
                    callee: callee.clone(),
                    arg: k,
                    written: format!("{}(…)", path.display()),
                    file: self.path.clone(),
                    pos: args.lexed().pos(at),
                    cfg: self.cfg.clone(),
                };
                self.effects.forwarding.calls.push(call);
            } else if let Some(frame) = self.frames.last_mut() {
                if let Some(param) = bare_name(arg).and_then(|name| frame.param(name)) {
                    frame.forwards.push(Forward {
                        param,
                        to: To::Fn {
                            callee: callee.clone(),
                            arg: k,
                        },
                    });
                }
            }
        }
    }
}
