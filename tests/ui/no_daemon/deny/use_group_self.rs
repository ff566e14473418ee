// `self` in a use group, renamed: `c::setsid` is `libc::setsid`.

use libc::{self as c, pid_t};

fn new_session() -> pid_t {
    unsafe { c::setsid() }
}

#[twelve_factor::main]
async fn main() {
    let _ = new_session;
}
