// `nix` is not a dependency of the ui-test project, so its paths stand in a `macro_rules!` body
// that is never invoked; the detector reads it like any other code.
// Shape of a hand-rolled double fork: `use nix::unistd::ForkResult::*` brings the variants in
// by glob. One error, for `fork` (`ForkResult` is how its result is matched); names the glob
// does not provide (`Some`, `Ok`, `Err`, `u8`, parameters) are never findings.

#[allow(unused_macros)]
macro_rules! detach {
    () => {
        use nix::unistd::fork;
        use nix::unistd::ForkResult::*;

        fn first_fork(code: Option<i32>) -> Result<(), u8> {
            match unsafe { fork() } {
                Ok(Parent { child }) => {
                    let _ = Some(child);
                    std::process::exit(code.unwrap_or(0))
                }
                Ok(Child) => Ok(()),
                Err(_) => Err(1),
            }
        }
    };
}

#[twelve_factor::main]
async fn main() {}
