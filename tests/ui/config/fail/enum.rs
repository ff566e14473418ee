#[derive(twelve_factor::Config)]
enum Settings {
    Port(u16),
}

fn main() {}
