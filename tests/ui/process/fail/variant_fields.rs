// A process type is a unit variant: the error is on the fields.
#[derive(twelve_factor::Process)]
enum Kind {
    Web,
    Worker { queue: String },
}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
