// A `macro_rules!` body that appends its argument to `libc::`, invoked with `fork`.

macro_rules! sys {
    ($f:ident) => {
        unsafe { libc::$f() }
    };
}

#[twelve_factor::main]
async fn main() {
    let _pid = sys!(fork);
}
