cfg_if::cfg_if! {
    if #[cfg(unix)] {
        mod unix;
        pub use unix::daemonize;
    } else {
        pub fn daemonize(entry: fn()) {
            entry();
        }
    }
}
