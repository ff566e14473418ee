//! Support module for pass/item_macro_own_module.rs: the user's own items named like banned APIs.

pub struct Session {
    pub daemon: bool,
    pub ids: u32,
}

impl Session {
    pub fn setsid(&mut self) -> u32 {
        self.ids += 1;
        self.ids
    }
}

/// Splits a work queue in two ("fork" as in fork-join); no process is created.
pub fn fork() -> u32 {
    let mut session = Session {
        daemon: false,
        ids: 1,
    };
    assert!(!session.daemon);
    session.setsid()
}
