// An enum without variants has no process type to run.
#[derive(twelve_factor::Process)]
enum Kind {}

fn main() {
    let _ = <Kind as twelve_factor::Process>::TYPES;
}
