// A glob import: `daemon` comes from `libc::*`.

use libc::*;

fn go_background() -> c_int {
    unsafe { daemon(0, 0) }
}

#[twelve_factor::main]
async fn main() {
    let _ = go_background;
}
