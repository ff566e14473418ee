// The attribute on a helper rather than on `main`: one error on the helper's name; the helper
// is left as written, so its caller still compiles.
struct Command;

#[twelve_factor::main]
async fn run(cmd: Command) {
    let Command = cmd;
}

fn main() {
    let _ = run(Command);
}
