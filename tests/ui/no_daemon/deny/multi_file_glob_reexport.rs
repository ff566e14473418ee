// A module file that re-exports `libc::*`; the banned name is used here, in `main`.

#[path = "../support/reexports.rs"]
mod reexports;

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { reexports::setsid() };
}
