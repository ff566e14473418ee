// A field type without `FromStr` is reported on the type.
struct Pool;

#[derive(twelve_factor::Config)]
struct Settings {
    pool: Pool,
}

fn main() {}
