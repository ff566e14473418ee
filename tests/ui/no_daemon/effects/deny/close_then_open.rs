// Closing stdout, then opening a file: the file takes descriptor 1 (no dup2 in sight).

#[twelve_factor::main]
async fn main() {
    unsafe { libc::close(1) };
    let _log = std::fs::File::create("/tmp/svc.log");
}
