// tokio's `macros_clippy.rs`: an inner attribute at the top of the body still applies to it.
#[twelve_factor::main]
async fn main() {
    #![deny(clippy::semicolon_if_nothing_returned)]

    dbg!(0);
}
