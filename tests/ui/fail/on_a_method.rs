// The attribute on a method: one error on its name; the method is left as written.
struct Service;

impl Service {
    #[twelve_factor::main]
    async fn run(self) {}
}

fn main() {
    let _ = Service.run();
}
