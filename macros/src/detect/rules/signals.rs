//! Servers that take SIGTERM and SIGINT for themselves. actix-web's `HttpServer` installs its
//! own signal handlers unless told otherwise: at SIGTERM it stops accepting at once (so
//! `SHUTDOWN_DELAY` and the readiness flip do nothing), SIGINT is a forced stop, and its own
//! 30-second timeout ignores `SHUTDOWN_TIMEOUT`. The attribute owns those signals and the drain.
//!
//! The rule: a path that resolves under one of [`SERVERS`] (`HttpServer::new`, a type written
//! `HttpServer<…>`) is a finding, unless the crate calls one of the server's cures as a method
//! anywhere (`.shutdown_signal(app.shutdown())`, `.disable_signals()`): the check is crate-wide,
//! since a server is often built in one function and configured in another.
//!
//! Sources: actix-web's `HttpServer` documentation (`shutdown_signal` from 4.11,
//! `disable_signals`, `shutdown_timeout`) and public actix services' `main`.

use crate::detect::rules::catalogue::{Entry, Rule};

/// A server type that handles signals itself.
pub(crate) struct Server {
    /// The type's path, crate library name first.
    pub path: &'static str,
    pub entry: Entry,
}

/// The table. Adding a server is one entry.
pub(crate) const SERVERS: &[Server] = &[Server {
    path: "actix_web::HttpServer",
    entry: Entry {
        path: "actix_web::HttpServer",
        rule: Rule::OwnSignals,
        why: "actix-web installs its own SIGTERM and SIGINT handlers: at SIGTERM it stops accepting at once, so `SHUTDOWN_DELAY` and the readiness flip do nothing, SIGINT stops it without a drain, and its 30 s timeout ignores `SHUTDOWN_TIMEOUT`",
        instead: "hand it the attribute's shutdown (actix-web 4.11 or later): `HttpServer::new(…).listen(app.listener().await?.into_std()?)?.shutdown_signal(app.shutdown()).shutdown_timeout(app.shutdown_timeout().as_secs()).run().await`; or call `.disable_signals()` and stop it yourself through its `ServerHandle` after `app.shutdown()`",
    },
}];

fn covers(prefix: &str, path: &[String]) -> bool {
    let count = prefix.split("::").count();
    path.len() >= count && prefix.split("::").zip(path).all(|(a, b)| a == b)
}

/// The server that `path` (resolved, crate name first) names or falls under.
pub(crate) fn server_of(path: &[String]) -> Option<&'static Server> {
    SERVERS.iter().find(|s| covers(s.path, path))
}

/// Whether `path` is a server or a prefix of one (a glob `use actix_web::*;` provides
/// `HttpServer`).
pub(crate) fn leads_to_server(path: &[String]) -> bool {
    SERVERS.iter().any(|s| {
        covers(s.path, path)
            || (s.path.split("::").count() > path.len()
                && s.path.split("::").zip(path).all(|(a, b)| a == b))
    })
}

/// Methods that, called anywhere in the crate, hand every server's signals over.
pub(crate) const CURES: &[&str] = &["shutdown_signal", "disable_signals"];

/// Words that a file naming a server must contain, for the prefilter.
pub(crate) const WORDS: &[&str] = &["HttpServer"];

/// The identifiers around a hit that count.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    SERVERS.iter().flat_map(|s| s.path.split("::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn servers_and_cures() {
        assert!(server_of(&path("actix_web::HttpServer::new")).is_some());
        assert!(server_of(&path("actix_web::HttpServer")).is_some());
        assert!(server_of(&path("actix_web::App::new")).is_none());
        assert!(server_of(&path("hyper::server::conn::http1::Builder")).is_none());
        assert!(!CURES.contains(&"shutdown_timeout"));
    }

    #[test]
    fn words_cover_every_server() {
        for s in SERVERS {
            assert!(WORDS.iter().any(|w| s.path.contains(w)), "{}", s.path);
            assert_eq!(s.entry.path, s.path);
        }
    }
}
