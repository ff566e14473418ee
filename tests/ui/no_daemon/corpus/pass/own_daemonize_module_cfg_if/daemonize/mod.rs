cfg_if::cfg_if! {
    if #[cfg(unix)] {
        mod unix;
        pub use self::unix::explain;
    } else {
        pub fn explain() {}
    }
}
