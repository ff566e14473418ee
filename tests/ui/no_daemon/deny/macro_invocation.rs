// Tokens inside a macro invocation count.

#[twelve_factor::main]
async fn main() {
    println!("child: {}", unsafe { libc::fork() });
}
