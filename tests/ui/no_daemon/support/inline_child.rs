//! Support module for deny/inline_module_file_child.rs.

pub fn go() -> i32 {
    unsafe { libc::daemon(0, 0) }
}
