// tokio's tests-build `macros_main_generics.rs`: tokio accepts generic functions (they are
// never `main`); a twelve-factor `main` is called once by the runtime, with no type to pick.
#[twelve_factor::main]
async fn single_parameter<T>() {}

#[twelve_factor::main]
async fn joint_bracket_in_generic<T: Iterator<Item = Option<fn() -> ()>>>(_: T) {}

fn main() {}
