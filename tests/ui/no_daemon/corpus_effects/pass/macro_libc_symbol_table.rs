// Mirrors: a network interposer that builds a table of libc symbols with a
// `macro_rules! pointer { ($name:ident) => { libc::$name … } }` helper: the names it passes
// (`connect`, `getaddrinfo`) are not daemonizing.

macro_rules! pointer {
    ($name:ident) => {
        libc::$name as *const () as *mut libc::c_void
    };
}

fn symbol(name: &str) -> Option<*mut libc::c_void> {
    match name {
        "connect" => Some(pointer!(connect)),
        "getaddrinfo" => Some(pointer!(getaddrinfo)),
        "freeaddrinfo" => Some(pointer!(freeaddrinfo)),
        _ => None,
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = symbol;
}
