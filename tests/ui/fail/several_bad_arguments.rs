// Every bad argument is reported in one compile.
#[twelve_factor::main(port = "x", log = 1, colour = true)]
async fn main() {}
