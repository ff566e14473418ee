// `fork` as a named format argument, a struct-literal field and a let pattern.

struct Config {
    fork: bool,
}

#[twelve_factor::main]
async fn main() {
    use libc::*;
    let fork = true;
    let config = Config { fork };
    let Config { fork: daemon } = config;
    println!("{fork} {daemon} {setsid}", setsid = 1);
    let _ = unsafe { getpid() };
}
