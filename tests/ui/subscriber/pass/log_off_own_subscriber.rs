// `log = "off"`: the attribute installs no subscriber, so the service installs its own, and it
// works at run time too.

#[twelve_factor::main(log = "off")]
async fn main() {
    tracing_subscriber::fmt().with_target(false).init();
    tracing::info!("own subscriber");
}
