// tokio's tests-build `macros_main_generics.rs`: tokio accepts generic functions (they are
// never `main`); a twelve-factor `main` is called once by the runtime, with no type to pick.
// Each case is the `main` of a module of its own, which nothing calls.
#[allow(dead_code)]
mod single_parameter {
    #[twelve_factor::main]
    pub async fn main<T>() {}
}

#[allow(dead_code)]
mod joint_bracket_in_generic {
    #[twelve_factor::main]
    pub async fn main<T: Iterator<Item = Option<fn() -> ()>>>(_: T) {}
}

fn main() {}
