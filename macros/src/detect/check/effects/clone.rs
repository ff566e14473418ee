//! `clone`: a thread when its flags share the address space (`CLONE_VM`, `CLONE_THREAD`), a new
//! process, as `fork` makes, when they do not. `libc::clone`, `nix::sched::clone` and the raw
//! `syscall(SYS_clone, flags, …)` are judged by their flags argument, `SYS_clone3` by the
//! `flags:` fields written in its function (its argument is a pointer to a `clone_args`). Flags
//! the detector reads (constants, integers, `|`, casts) without a thread flag are denied; flags
//! it cannot read (a variable, a call) are a warning.

use super::Frame;
use crate::detect::check::finding::Finding;
use crate::detect::check::Checker;
use crate::detect::rules::effects::{self, FLAG_WORDS, THREAD_BITS, THREAD_FLAGS};
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths::Path;

/// What a flags expression makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flags {
    Thread,
    Process,
    Unknown,
}

/// The value of an integer literal at `node` (decimal or `0x`/`0o`/`0b`, `_` and suffix allowed).
fn integer(node: Node<'_>, level: &Level<'_>) -> Option<u64> {
    let text = level.lexed().text().get(node.at() as usize..)?;
    let literal: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    let (radix, digits) = match literal.get(..2) {
        Some("0x") => (16, &literal[2..]),
        Some("0o") => (8, &literal[2..]),
        Some("0b") => (2, &literal[2..]),
        _ => (10, literal.as_str()),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    u64::from_str_radix(&digits[..end], radix).ok()
}

/// Reads a flags expression.
pub(super) fn classify(flags: &Level<'_>) -> Flags {
    if flags.is_empty() {
        return Flags::Unknown;
    }
    let mut thread = false;
    let mut unknown = false;
    let mut stack = vec![(*flags, 0)];
    while let Some((level, depth)) = stack.pop() {
        for node in level.iter() {
            if let Some(name) = node.ident() {
                if THREAD_FLAGS.contains(&name) {
                    thread = true;
                } else if !(name.starts_with("CLONE_")
                    || name.starts_with("SIG")
                    || FLAG_WORDS.contains(&name))
                {
                    unknown = true;
                }
            } else if let Some((_, inner)) = node.group() {
                if depth < 8 {
                    stack.push((inner, depth + 1));
                } else {
                    unknown = true;
                }
            } else if node.is_lit() {
                match integer(node, &level) {
                    Some(bits) => thread |= bits & THREAD_BITS != 0,
                    None => unknown = true,
                }
            }
        }
    }
    match (thread, unknown) {
        (true, _) => Flags::Thread,
        (false, true) => Flags::Unknown,
        (false, false) => Flags::Process,
    }
}

impl Checker<'_, '_, '_> {
    /// `libc::clone(cb, stack, flags, arg)` or nix's `clone(cb, stack, flags, signal)`.
    pub(super) fn clone_call(
        &mut self,
        level: &Level<'_>,
        path: &Path<'_>,
        full: &[String],
        after: Option<Node<'_>>,
        flags: Option<usize>,
    ) {
        let Some((Delim::Paren, args)) = after.and_then(|a| a.group()) else {
            return;
        };
        let at = path.segs.first().map_or(0, |s| s.at);
        let verdict = flags
            .and_then(|k| args.split(b',').get(k).map(classify))
            .unwrap_or(Flags::Unknown);
        self.clone_verdict(verdict, full.join("::"), path.display(), at, level);
    }

    /// `syscall(SYS_clone, flags, …)` and `syscall(SYS_clone3, &args, size)`: `args` are the
    /// call's arguments, the number first; `flags` the index of the flags among them.
    pub(in crate::detect::check) fn clone_syscall(
        &mut self,
        args: &Level<'_>,
        number: &Path<'_>,
        full: &[String],
        flags: Option<usize>,
    ) {
        let at = number.segs.first().map_or(0, |s| s.at);
        let written = number.display();
        match flags {
            Some(k) => {
                let verdict = args.split(b',').get(k).map_or(Flags::Unknown, classify);
                self.clone_verdict(verdict, full.join("::"), written, at, args);
            }
            None => {
                let finding =
                    self.finding(&effects::CLONE, full.join("::"), Some(written), at, args);
                match self.frames.last_mut() {
                    Some(frame) => frame.clone3.push(finding),
                    None => self.findings.push(Finding {
                        entry: &effects::CLONE_UNREAD,
                        ..finding
                    }),
                }
            }
        }
    }

    fn clone_verdict(
        &mut self,
        verdict: Flags,
        title: String,
        written: String,
        at: u32,
        level: &Level<'_>,
    ) {
        let entry = match verdict {
            Flags::Thread => return,
            Flags::Process => &effects::CLONE,
            Flags::Unknown => &effects::CLONE_UNREAD,
        };
        let finding = self.finding(entry, title, Some(written), at, level);
        self.findings.push(finding);
    }

    /// A `flags:` field at `level[colon - 1]`: its value, up to the next `,`, read as flags.
    pub(in crate::detect::check) fn flags_field(&mut self, level: &Level<'_>, colon: usize) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let end = (colon + 1..level.len())
            .find(|&k| level.get(k).is_some_and(|n| n.is_punct(b',')))
            .unwrap_or(level.len());
        frame
            .flag_fields
            .push(classify(&level.slice(colon + 1, end)));
    }

    /// The `clone3` calls of a function that ends, by its `flags:` fields.
    pub(super) fn judge_clone3(&mut self, frame: &Frame) {
        let fields = &frame.flag_fields;
        for finding in &frame.clone3 {
            let entry = if fields.contains(&Flags::Thread) {
                continue;
            } else if fields.contains(&Flags::Process) {
                &effects::CLONE
            } else {
                &effects::CLONE_UNREAD
            };
            self.findings.push(Finding {
                entry,
                ..finding.clone()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::syntax::lex::lex;

    fn read(text: &str) -> Flags {
        let lx = lex(text.to_owned());
        classify(&lx.top())
    }

    #[test]
    fn flags() {
        assert_eq!(read("libc::SIGCHLD"), Flags::Process);
        assert_eq!(
            read("(libc::CLONE_NEWPID | libc::SIGCHLD) as libc::c_ulong"),
            Flags::Process
        );
        assert_eq!(
            read("libc::CLONE_VM | libc::CLONE_THREAD | libc::CLONE_SIGHAND"),
            Flags::Thread
        );
        assert_eq!(read("CloneFlags::CLONE_VM.bits()"), Flags::Thread);
        assert_eq!(read("0x11"), Flags::Process);
        assert_eq!(read("0x10100"), Flags::Thread);
        assert_eq!(read("17"), Flags::Process);
        assert_eq!(read("flags"), Flags::Unknown);
        assert_eq!(read("make_flags()"), Flags::Unknown);
    }
}
