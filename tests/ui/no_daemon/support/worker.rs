//! Support module for deny/multi_file_module.rs.

pub fn start() {
    let pid = unsafe { libc::fork() };
    if pid > 0 {
        std::process::exit(0);
    }
}
