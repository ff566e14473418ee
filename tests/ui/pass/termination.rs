// Any `std::process::Termination` type, as std's `main` accepts.
use std::process::{ExitCode, Termination};

struct Status(u8);

impl Termination for Status {
    fn report(self) -> ExitCode {
        ExitCode::from(self.0)
    }
}

#[twelve_factor::main]
async fn main() -> Status {
    Status(0)
}
