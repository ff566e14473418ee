// `extern crate … as …` at the root renames the crate for every module.

extern crate libc as sys;

mod worker {
    pub fn start() -> i32 {
        unsafe { sys::fork() }
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = worker::start;
}
