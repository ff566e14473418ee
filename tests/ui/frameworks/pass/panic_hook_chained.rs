// The fix: take the attribute's hook first and call it from the service's own.
#[twelve_factor::main]
async fn main() {
    let ours = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ours(info);
        eprintln!("crashed: {info}");
    }));
}
