// Two calls of one banned API: one error each, each at its call; the `use` line is a note on
// the first.
use libc::fork;

#[twelve_factor::main]
async fn main() {
    let first = unsafe { fork() };
    let second = unsafe { fork() };
    println!("{first} {second}");
}
