// tokio-macros' documentation example: the plain `async fn main`.
#[twelve_factor::main]
async fn main() {
    println!("Hello world");
}
