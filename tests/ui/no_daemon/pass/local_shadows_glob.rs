// A local item shadows a glob import of libc.

use libc::*;

fn fork() -> pid_t {
    0
}

#[twelve_factor::main]
async fn main() {
    assert_eq!(fork(), 0);
    let setsid = 3;
    assert_eq!(setsid + 1, 4);
    let doubled: Vec<i32> = [1, 2].iter().map(|daemon| daemon * 2).collect();
    assert_eq!(doubled, [2, 4]);
}
