// tokio's tests-build `macros_main_loop.rs`: a loop whose only exit is a `return`.
#[twelve_factor::main]
async fn main() -> Result<(), ()> {
    loop {
        if !never() {
            return Ok(());
        }
    }
}

fn never() -> bool {
    std::time::Instant::now() > std::time::Instant::now()
}
