// Re-exports through the crate's own modules: a renamed re-export is reported where it stands;
// a glob re-export where the banned name is used.

mod os {
    pub use libc::*;
}

mod spawn {
    pub use libc::fork as copy_process;
}

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { crate::os::daemon(0, 0) };
    let _ = spawn::copy_process;
}
