// `impl Trait`: one error on its type.
#[twelve_factor::main]
fn main(app: impl Sized) {
    let _ = app;
}
