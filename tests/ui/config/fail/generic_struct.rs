#[derive(twelve_factor::Config)]
struct Settings<T> {
    value: T,
}

fn main() {}
