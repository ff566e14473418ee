// The attribute on a function that is not the process's `main`: one error on its name.
#[twelve_factor::main]
fn main2() {}

fn main() {
    main2();
}
