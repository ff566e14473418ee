//! Attributes on `main` are kept, and the argument may be any pattern.

/// Documented main.
#[twelve_factor::main]
#[allow(clippy::needless_return)]
async fn main(_: twelve_factor::App) -> Result<(), String> {
    return Ok(());
}
