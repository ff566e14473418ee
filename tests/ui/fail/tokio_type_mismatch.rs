// tokio's tests-build `macros_type_mismatch.rs`: type errors are reported in the user's code,
// as without the attribute.
#[twelve_factor::main]
async fn missing_semicolon_or_return_type() {
    Ok(())
}

#[twelve_factor::main]
async fn missing_return_type() {
    return Ok(());
}

#[twelve_factor::main]
async fn extra_semicolon() -> Result<(), ()> {
    Ok(());
}

fn main() {}
