// At most one default: the error is on the second `default`.
#[derive(twelve_factor::Process)]
enum Kind {
    #[process(default)]
    Web,
    #[process(default)]
    Worker,
}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
