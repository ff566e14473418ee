// Shape of a `sys/mod.rs` layout: the platform module file declares its children inside a
// `cfg_if!`-style macro (written here by the user, with the same call syntax as the `cfg_if`
// crate), so the module tree continues through the macro in a nested file.

macro_rules! cfg_if {
    (if #[cfg($when:meta)] { $($yes:item)* } else { $($no:item)* }) => {
        $( #[cfg($when)] $yes )*
        $( #[cfg(not($when))] $no )*
    };
}

#[path = "../support/shapes/sys/mod.rs"]
mod sys;

#[twelve_factor::main]
async fn main() {
    let _ = sys::detach;
}
