// A module declared inside an item macro is read, and the user's own items in it that share a
// banned name (a `fork` function, a `setsid` method, a `daemon` field) stay the user's.

macro_rules! platform {
    (unix { $($unix:item)* } other { $($other:item)* }) => {
        $( #[cfg(unix)] $unix )*
        $( #[cfg(not(unix))] $other )*
    };
}

platform! {
    unix {
        #[path = "../support/shapes/own_daemon_words.rs"]
        mod jobs;
        use jobs::fork;
    }
    other {
        fn fork() -> u32 {
            0
        }
    }
}

#[twelve_factor::main]
async fn main() {
    assert_eq!(fork(), 2);
}
