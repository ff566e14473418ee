// tokio's tests-build `macros_main_return.rs`: an explicit `return` in `main`.
#[twelve_factor::main]
async fn main() -> Result<(), ()> {
    return Ok(());
}
