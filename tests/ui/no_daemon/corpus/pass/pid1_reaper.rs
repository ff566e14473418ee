// Mirrors: a container init (PID 1) that reaps every exited child with waitpid(-1, WNOHANG).

fn reap_children() -> usize {
    let mut reaped = 0;
    loop {
        let mut status = 0;
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return reaped;
        }
        reaped += 1;
    }
}

#[twelve_factor::main]
async fn main() {
    if unsafe { libc::getpid() } == 1 {
        let _ = reap_children();
    }
}
