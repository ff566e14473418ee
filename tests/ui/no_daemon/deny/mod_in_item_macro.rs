// Shape of cross-platform services: the platform module is declared inside an item macro (one
// arm per platform), so the `mod` exists only after expansion. Every `mod name;` inside an
// item-position macro call is the user's code, and its file is read.

macro_rules! platform {
    (unix { $($unix:item)* } other { $($other:item)* }) => {
        $( #[cfg(unix)] $unix )*
        $( #[cfg(not(unix))] $other )*
    };
}

platform! {
    unix {
        #[path = "../support/shapes/detach_unix.rs"]
        mod detach;
        use detach::background;
    }
    other {
        fn background() {}
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = background;
}
