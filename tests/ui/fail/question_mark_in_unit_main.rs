// `?` in a `main` that returns `()`: rustc's own error, on the user's tokens; the attribute
// adds nothing.
#[twelve_factor::main]
async fn main() {
    let port: u16 = "80".parse()?;
    let _ = port;
}
