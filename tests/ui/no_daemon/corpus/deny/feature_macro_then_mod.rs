// Mirrors: a systems crate that gates groups of items with its own `feature! { … }` macro and
// declares the next module right after the closing brace (no `;`), as rustfmt leaves it.

macro_rules! feature {
    ($($item:item)*) => {
        $( $item )*
    };
}

feature! {
    pub fn page_size() -> usize {
        4096
    }
}
pub mod unistd;

#[twelve_factor::main]
async fn main() {
    let _ = (page_size(), unistd::fork_process);
}
