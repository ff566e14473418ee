// tokio's tests-build `macros_main.rs`: `'static>>` must not be taken as one joint token.
#[twelve_factor::main]
async fn main() -> Result<(), Box<dyn std::error::Error + 'static>> {
    Ok(())
}
