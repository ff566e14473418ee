//! Support module for deny/mod_in_cfg_if_nested.rs: platform dispatch through a macro.

cfg_if! {
    if #[cfg(unix)] {
        mod unix;
        pub use self::unix::detach;
    } else {
        mod fallback;
        pub use self::fallback::detach;
    }
}
