// `flavor = "actix"` while the `actix` feature of twelvefactor is off.
#[twelve_factor::main(flavor = "actix")]
async fn main() {}
