// Tokens inside a `macro_rules!` body count.

macro_rules! detach {
    () => {
        unsafe { libc::setsid() }
    };
}

#[twelve_factor::main]
async fn main() {
    let _ = detach!();
}
