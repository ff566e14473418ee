//! OS glue, re-exported under this service's names.

pub use nix::unistd::setsid as new_session;
