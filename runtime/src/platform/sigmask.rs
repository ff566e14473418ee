//! The shutdown signals' mask: held from the first line of `main` until the handlers exist, so
//! that a SIGTERM arriving while the process starts waits instead of killing it.

/// The signals the shutdown listens to.
const SHUTDOWN_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];

/// Blocks the shutdown signals on the calling thread, before any other thread exists, so that
/// one arriving before the handlers are installed waits instead of killing the process with
/// the default action. Threads started afterwards (the runtime's) inherit the mask and keep it,
/// and the log writer, started later by whichever thread logs first, blocks them itself;
/// [`release`] unblocks the main thread once the handlers exist, so the signals are then
/// delivered there. Child processes start with an empty mask (std resets it).
pub(crate) fn hold() {
    set_mask(libc::SIG_BLOCK);
}

/// Unblocks the shutdown signals on the calling thread; pending ones are delivered now.
pub(crate) fn release() {
    set_mask(libc::SIG_UNBLOCK);
}

fn set_mask(how: libc::c_int) {
    // SAFETY: the set is initialised by sigemptyset before use, and pthread_sigmask only
    // changes the calling thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in SHUTDOWN_SIGNALS {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(how, &set, std::ptr::null_mut());
    }
}
