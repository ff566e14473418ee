// The banned function is imported at the top and called further down the attribute's own file:
// the error names the call, one error for the API, not one for the `use` line.

use libc::daemon;

fn go_background() -> i32 {
    unsafe { daemon(0, 0) }
}

#[twelve_factor::main]
async fn main() {
    let _ = go_background;
}
