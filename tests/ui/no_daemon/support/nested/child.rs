//! Support module for deny/multi_file_nested.rs.

pub fn detach() -> i32 {
    unsafe { libc::setsid() }
}
