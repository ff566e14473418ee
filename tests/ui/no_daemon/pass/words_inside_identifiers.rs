// Banned words inside other identifiers: forklift, daemons_running, setsid_count.

struct Forklift;

fn daemons_running() -> usize {
    0
}

#[twelve_factor::main]
async fn main() {
    let setsid_count = daemons_running();
    let _lift = Forklift;
    let forked_repos = ["a"].len();
    assert_eq!(setsid_count + forked_repos, 1);
}
