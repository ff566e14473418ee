// std's `fn main() -> ExitCode`: the code is the process's exit code, after the drain (the
// corpus tests run non-zero codes; trybuild needs 0).
use std::process::ExitCode;

#[twelve_factor::main]
fn main() -> ExitCode {
    ExitCode::SUCCESS
}
