// A `Result` alias as the return type.
#[twelve_factor::main]
async fn main() -> std::io::Result<()> {
    Ok(())
}
