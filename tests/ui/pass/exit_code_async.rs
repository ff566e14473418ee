use std::process::ExitCode;

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> ExitCode {
    app.ready();
    ExitCode::SUCCESS
}
