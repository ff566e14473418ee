// Mirrors: a small network daemon (a DNS or DHCP helper) whose options struct has a `daemon`
// flag; when set it calls nix's `daemon(nochdir, noclose)` before serving.

struct Options {
    daemon: bool,
    port: u16,
}

fn parse() -> Options {
    Options {
        daemon: std::env::args().any(|a| a == "-d"),
        port: 5353,
    }
}

fn start(options: &Options) -> nix::Result<()> {
    if options.daemon {
        nix::unistd::daemon(true, false)?;
    }
    println!("serving on {}", options.port);
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let options = parse();
    let _ = start(&options);
}
