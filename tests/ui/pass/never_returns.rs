// A server loop that never returns (tokio's `impl_trait.rs` `-> !` case): no never-type
// fallback warning and no internal names, in any edition.
#![deny(warnings)]

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> ! {
    app.ready();
    loop {
        tokio::task::yield_now().await;
        // Ends the trybuild run; a real server loops until the drain cancels it.
        std::process::exit(0);
    }
}
