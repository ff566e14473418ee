//! Going to the background on the platforms that support it.

cfg_if::cfg_if! {
    if #[cfg(unix)] {
        mod unix;
        pub use self::unix::daemonize;
    } else {
        pub fn daemonize() -> std::io::Result<()> {
            Err(std::io::Error::other("daemonize is not supported on this platform"))
        }
    }
}
