use std::process::ExitCode;

#[twelve_factor::main]
async fn main() -> Result<ExitCode, std::io::Error> {
    Ok(ExitCode::SUCCESS)
}
