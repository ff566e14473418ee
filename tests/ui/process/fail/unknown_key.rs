// An unknown key is reported on the key, with the keys a variant accepts.
#[derive(twelve_factor::Process)]
enum Kind {
    #[process(defualt)]
    Web,
}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
