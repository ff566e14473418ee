// A module declared inside a `cfg_if!`-style item macro is read, and the user's own items in it
// that share a banned name (a `fork` function, a `setsid` method, a `daemon` field) stay the
// user's.

macro_rules! when_unix {
    (if #[cfg(unix)] { $($yes:item)* } else { $($no:item)* }) => {
        $( #[cfg(unix)] $yes )*
        $( #[cfg(not(unix))] $no )*
    };
}

when_unix! {
    if #[cfg(unix)] {
        #[path = "../support/shapes/own_daemon_words.rs"]
        mod jobs;
        use jobs::fork;
    } else {
        fn fork() -> u32 {
            2
        }
    }
}

#[twelve_factor::main]
async fn main() {
    assert_eq!(fork(), 2);
}
