// tokio-macros' documentation example: multi-thread runtime with 10 workers.
#[twelve_factor::main(flavor = "multi_thread", worker_threads = 10)]
async fn main() {
    println!("Hello world");
}
