#[path = "../support/shapes/own_daemon_words.rs"]
mod jobs;

// A file with a byte-order mark whose first module is clean: it is read, and nothing in it is
// banned.

#[twelve_factor::main]
async fn main() {
    assert_eq!(jobs::fork(), 2);
}
