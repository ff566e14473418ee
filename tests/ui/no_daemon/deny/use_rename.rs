// `use … as …`: one error for the API, listing the import and the call, whatever the name it binds.

use libc::fork as spawn_copy;

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { spawn_copy() };
}
