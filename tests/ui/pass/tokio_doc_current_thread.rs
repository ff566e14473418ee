// tokio-macros' documentation example: the current-thread runtime.
#[twelve_factor::main(flavor = "current_thread")]
async fn main() {
    println!("Hello world");
}
