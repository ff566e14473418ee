// A macro of the user's called `fork`, and an enum with `Fork`/`Daemon` variants.

macro_rules! fork {
    ($x:expr) => {
        ($x, $x)
    };
}

#[derive(Debug, PartialEq)]
enum Mode {
    Fork,
    Daemon,
}

#[twelve_factor::main]
async fn main() {
    let (a, b) = fork!(1);
    assert_eq!(a + b, 2);
    let mode = Mode::Fork;
    assert_ne!(mode, Mode::Daemon);
}
