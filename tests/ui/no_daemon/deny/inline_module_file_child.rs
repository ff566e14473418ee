// An inline module with `#[path]` whose child is a file.

#[path = "../support"]
mod inline {
    pub mod inline_child;
}

#[twelve_factor::main]
async fn main() {
    let _ = inline::inline_child::go;
}
