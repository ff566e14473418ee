// `super::` and `self::` paths into a module that glob-imports libc.

mod sys {
    pub use libc::*;
}

mod service {
    pub mod start {
        pub fn background() -> i32 {
            unsafe { super::super::sys::setsid() }
        }
    }
    pub fn go() -> i32 {
        self::start::background()
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = service::go;
}
