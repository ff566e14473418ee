// A name must be typeable as the first argument: lowercase, digits and `-`.
#[derive(twelve_factor::Process)]
enum Kind {
    #[process(name = "Send Digest")]
    SendDigest,
}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
