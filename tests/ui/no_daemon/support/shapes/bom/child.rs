//! Support module for deny/bom_module_file.rs: behind a module file with a byte-order mark.

pub fn detach() -> i32 {
    unsafe { libc::setsid() }
}
