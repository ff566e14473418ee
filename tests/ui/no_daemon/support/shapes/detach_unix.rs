//! Support module for deny/mod_in_item_macro.rs: the unix side of a platform split.

pub fn background() {
    if unsafe { libc::daemon(1, 0) } != 0 {
        eprintln!("could not go to the background");
    }
}
