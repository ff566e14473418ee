#[twelve_factor::main(prot = 3000)]
async fn main() {}
