// `use … as …`: the import is reported (once), whatever the name it binds.

use libc::fork as spawn_copy;

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { spawn_copy() };
}
