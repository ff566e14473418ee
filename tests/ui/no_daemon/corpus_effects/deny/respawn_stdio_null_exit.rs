// Mirrors: a tiny daemon whose `--daemon` flag re-runs its own executable with every standard
// stream on /dev/null from `/`, lets the copy run, and exits the parent.

use std::env;
use std::path::Path;
use std::process::*;

fn go_background() {
    let me = env::current_exe().unwrap();
    let me = me.to_str().unwrap();
    Command::new(me)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir(Path::new("/"))
        .spawn()
        .expect("could not start the background copy");
    exit(0);
}

#[twelve_factor::main]
async fn main() {
    if env::args().any(|a| a == "--daemon") {
        go_background();
    }
}
