// Included by deny/include_file.rs.

fn included_fork() -> i32 {
    unsafe { libc::fork() }
}
