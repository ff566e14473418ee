// Mirrors: a tool with a `daemon` subcommand that runs its server in the foreground (the
// subcommand is just the long-running mode); the enum variant and the string are named daemon.

enum Command {
    Daemon { listen: String },
    Status,
}

fn parse(args: &[String]) -> Command {
    match args.get(1).map(String::as_str) {
        Some("daemon") => Command::Daemon {
            listen: "127.0.0.1:7000".to_owned(),
        },
        _ => Command::Status,
    }
}

#[twelve_factor::main]
async fn main() {
    match parse(&std::env::args().collect::<Vec<_>>()) {
        Command::Daemon { listen } => println!("would listen on {listen}"),
        Command::Status => println!("status: ok"),
    }
}
