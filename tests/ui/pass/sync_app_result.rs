// A synchronous `fn main(app: App)` returning a `Result` with a `Debug`-only error.
#[derive(Debug)]
struct Oops;

#[twelve_factor::main]
fn main(app: twelve_factor::App) -> Result<(), Oops> {
    app.ready();
    // Async work from sync code: tracked tasks run on the runtime.
    let handle = app.spawn(async { 40 + 2 });
    assert!(!app.is_shutting_down());
    drop(handle);
    Ok(())
}
