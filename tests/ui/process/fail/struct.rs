// A struct is not a set of process types; using it as one adds no second error.
#[derive(twelve_factor::Process)]
struct Kind;

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
