// A syntax error in `main`'s body is rustc's one error: the attribute never parses the body,
// so it adds neither "goes on a function" nor "`main` cannot be async".
#[twelve_factor::main]
async fn main() {
    let x = ;
}
