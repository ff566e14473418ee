// Names are unique after kebab-casing: the error is on the second one.
#[derive(twelve_factor::Process)]
enum Kind {
    SendDigest,
    #[process(name = "send-digest")]
    Digest,
}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
