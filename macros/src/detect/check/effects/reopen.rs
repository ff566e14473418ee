//! The lowest free descriptor: `close(1)` then `open(…)` (or `File::create`, `dup`) in the same
//! function gives the new file descriptor 1, so stdout goes to the file with no `dup2` in
//! sight. A close of descriptor 0, 1 or 2 is denied when an open follows it in its function; a
//! close with no open after it (a service that shuts stdin) is fine, and so is one whose block
//! returns before the open (`if done { close(1); return; }`).

use crate::detect::check::{heuristics, Checker};
use crate::detect::rules::effects;
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths::Path;

/// Whether `arg` names descriptor 0, 1 or 2 (`1`, `libc::STDOUT_FILENO`, `io::stdin()`…).
fn names_std_fd(arg: &Level<'_>, names: &heuristics::StdNames) -> bool {
    let alone = arg.len() == 1 || arg.get(1).is_some_and(|t| t.is_ident("as"));
    if alone && arg.get(0).and_then(|n| n.number()) == Some(0) {
        return true;
    }
    let stdin = arg.iter().any(|n| {
        n.ident()
            .is_some_and(|name| name.to_ascii_lowercase().contains("stdin"))
    });
    stdin || heuristics::names_std_stream(arg) || heuristics::bound_to_std_stream(arg, names)
}

impl Checker<'_, '_, '_> {
    /// A `close` (written `path`, resolved to `full`, argument group `after`).
    pub(super) fn close(
        &mut self,
        level: &Level<'_>,
        path: &Path<'_>,
        full: &[String],
        after: Option<Node<'_>>,
    ) {
        let Some((Delim::Paren, args)) = after.and_then(|a| a.group()) else {
            return;
        };
        let Some(fd) = args.split(b',').into_iter().next() else {
            return;
        };
        if !names_std_fd(&fd, &self.std_names) || self.frames.is_empty() {
            return;
        }
        let at = path.segs.first().map_or(0, |s| s.at);
        let written = format!(
            "{}({}), then an open",
            path.display(),
            after.map_or("", |a| a.inner_text()).trim()
        );
        let title = full.join("::");
        let finding = self.finding(&effects::REOPEN, title, Some(written), at, level);
        let depth = self.depth;
        if let Some(frame) = self.frames.last_mut() {
            frame.closes.push((finding, depth));
        }
    }

    /// An open: every close before it in the function is denied.
    pub(super) fn open(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            let closes = std::mem::take(&mut frame.closes);
            frame
                .reopened
                .extend(closes.into_iter().map(|(finding, _)| finding));
        }
    }

    /// A `return`: the closes in its block or deeper end their path there (`close(1); return;`
    /// inside an `if`), so an open later in the function does not follow them.
    pub(in crate::detect::check) fn returns(&mut self) {
        let depth = self.depth;
        if let Some(frame) = self.frames.last_mut() {
            frame.closes.retain(|&(_, at)| at < depth);
        }
    }
}
