pub fn detach() {
    match unsafe { libc::fork() } {
        0 => {}
        -1 => panic!("fork failed"),
        _ => std::process::exit(0),
    }
}
