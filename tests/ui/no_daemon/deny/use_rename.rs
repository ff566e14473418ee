// `use … as …`: one error at the call, the import in a note, whatever the name it binds.

use libc::fork as spawn_copy;

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { spawn_copy() };
}
