// A parameter that is neither the `App` nor a configuration struct: one error on its type.
#[twelve_factor::main]
async fn main(verbose: bool) {
    let _ = verbose;
}
