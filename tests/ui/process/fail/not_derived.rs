// A type that does not derive `Process` says what to add.
enum Kind {
    Web,
}

fn types<P: twelve_factor::Process>() -> usize {
    P::TYPES.len()
}

fn main() {
    let _ = Kind::Web;
    let _ = types::<Kind>();
}
