//! systemd's notify protocol (`sd_notify(3)`): READY=1, STOPPING=1, STATUS=…, WATCHDOG=1 and
//! EXTEND_TIMEOUT_USEC=… as datagrams to the `AF_UNIX` socket named by `NOTIFY_SOCKET`.
//!
//! Hand-written rather than the `sd-notify` crate: the protocol is one `sendto` on a datagram
//! socket that `std` already provides (abstract names included), and owning it lets readiness,
//! stopping and the watchdog share one socket and one code path.

use crate::platform::{parse_digits, BadValue};
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::path::PathBuf;
use std::time::Duration;

/// Where `NOTIFY_SOCKET` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotifyTarget {
    /// A socket file: `NOTIFY_SOCKET=/run/systemd/notify`.
    Path(PathBuf),
    /// A Linux abstract socket: `NOTIFY_SOCKET=@name`.
    Abstract(Vec<u8>),
}

/// The longest socket path (or abstract name) an `AF_UNIX` address holds: `sun_path` less the
/// terminating NUL (a path) or the leading NUL (an abstract name).
pub(crate) const MAX_SOCKET_PATH: usize = {
    // SAFETY: an all-zero `sockaddr_un` is a valid value; only its field's size is read.
    let address: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    std::mem::size_of_val(&address.sun_path) - 1
};

/// Parses `NOTIFY_SOCKET`; `Err` says what was expected. A path longer than a socket address
/// holds is refused here, rather than found unusable when the first message is sent.
pub(crate) fn parse_target(text: &str) -> Result<NotifyTarget, &'static str> {
    let target = if let Some(name) = text.strip_prefix('@') {
        NotifyTarget::Abstract(name.as_bytes().to_vec())
    } else if text.starts_with('/') {
        NotifyTarget::Path(PathBuf::from(text))
    } else {
        return Err("expected an absolute socket path or an abstract socket name starting with @");
    };
    let length = match &target {
        NotifyTarget::Abstract(name) => name.len(),
        NotifyTarget::Path(_) => text.len(),
    };
    if length > MAX_SOCKET_PATH {
        return Err("longer than a socket address holds (107 bytes on Linux, 103 on macOS and the BSDs)");
    }
    Ok(target)
}

/// The watchdog interval systemd asked for, if it is meant for this process: `WATCHDOG_USEC`
/// when `WATCHDOG_PID` is unset or equal to `pid`.
pub(crate) fn parse_watchdog(
    usec: Option<&str>,
    watchdog_pid: Option<&str>,
    pid: u32,
) -> Result<Option<Duration>, BadValue> {
    let Some(text) = usec else { return Ok(None) };
    let micros = parse_digits::<u64>(text)
        .filter(|&micros| micros > 0)
        .ok_or_else(|| {
            BadValue::new(
                "WATCHDOG_USEC",
                text,
                "expected a positive number of microseconds",
            )
        })?;
    match watchdog_pid {
        None => Ok(Some(Duration::from_micros(micros))),
        Some(owner) => match parse_digits::<u32>(owner) {
            Some(owner) if owner == pid => Ok(Some(Duration::from_micros(micros))),
            Some(_) => Ok(None),
            None => Err(BadValue::new(
                "WATCHDOG_PID",
                owner,
                "expected a process id",
            )),
        },
    }
}

/// Sends notify messages; does nothing when `NOTIFY_SOCKET` is unset.
#[derive(Debug)]
pub(crate) struct Notifier {
    socket: Option<(UnixDatagram, SocketAddr)>,
}

impl Notifier {
    /// A notifier for `target`. A socket that cannot be created is logged once and disables it.
    pub(crate) fn new(target: Option<&NotifyTarget>) -> Notifier {
        let socket = target.and_then(|target| match Self::connect(target) {
            Ok(socket) => Some(socket),
            Err(error) => {
                tracing::warn!(target: "twelve_factor", %error, ?target, "cannot use NOTIFY_SOCKET; systemd will not be notified");
                None
            }
        });
        Notifier { socket }
    }

    fn connect(target: &NotifyTarget) -> std::io::Result<(UnixDatagram, SocketAddr)> {
        let address = match target {
            NotifyTarget::Path(path) => SocketAddr::from_pathname(path)?,
            #[cfg(any(target_os = "linux", target_os = "android"))]
            NotifyTarget::Abstract(name) => {
                #[cfg(target_os = "android")]
                use std::os::android::net::SocketAddrExt;
                #[cfg(target_os = "linux")]
                use std::os::linux::net::SocketAddrExt;
                SocketAddr::from_abstract_name(name)?
            }
            #[cfg(not(any(target_os = "linux", target_os = "android")))]
            NotifyTarget::Abstract(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Unsupported,
                    "abstract sockets exist only on Linux",
                ))
            }
        };
        Ok((UnixDatagram::unbound()?, address))
    }

    /// Whether messages go anywhere.
    #[cfg(test)]
    pub(crate) fn is_enabled(&self) -> bool {
        self.socket.is_some()
    }

    /// Sends `state` (newline-separated `KEY=VALUE` lines). Failures are logged, never fatal:
    /// a service must not die because its manager went away.
    pub(crate) fn send(&self, state: &str) {
        if let Some((socket, address)) = &self.socket {
            if let Err(error) = socket.send_to_addr(state.as_bytes(), address) {
                tracing::debug!(target: "twelve_factor", %error, state, "sd_notify failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_longer_than_a_socket_address_are_refused() {
        let longest = format!("/{}", "s".repeat(MAX_SOCKET_PATH - 1));
        assert!(parse_target(&longest).is_ok());
        assert!(parse_target(&format!("{longest}s")).is_err());
        assert!(parse_target(&format!("@{}", "a".repeat(MAX_SOCKET_PATH))).is_ok());
        assert!(parse_target(&format!("@{}", "a".repeat(MAX_SOCKET_PATH + 1))).is_err());
        // The longest accepted path is one `std` can address.
        assert!(SocketAddr::from_pathname(&longest).is_ok());
    }

    #[test]
    fn signed_numbers_are_refused() {
        assert!(parse_watchdog(Some("+1000"), None, 1).is_err());
        assert!(parse_watchdog(Some("1000"), Some("+1"), 1).is_err());
        assert!(parse_watchdog(Some("1000"), Some("1"), 1).unwrap().is_some());
    }

    #[test]
    fn targets() {
        assert_eq!(
            parse_target("/run/notify"),
            Ok(NotifyTarget::Path("/run/notify".into()))
        );
        assert_eq!(
            parse_target("@abc"),
            Ok(NotifyTarget::Abstract(b"abc".to_vec()))
        );
        assert!(parse_target("run/notify").is_err());
        assert!(parse_target("").is_err());
    }

    #[test]
    fn watchdog_is_for_the_named_pid_only() {
        assert_eq!(
            parse_watchdog(Some("2000000"), None, 7).unwrap(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_watchdog(Some("2000000"), Some("7"), 7).unwrap(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(parse_watchdog(Some("2000000"), Some("8"), 7).unwrap(), None);
        assert_eq!(parse_watchdog(None, Some("7"), 7).unwrap(), None);
        assert!(parse_watchdog(Some("0"), None, 7).is_err());
        assert!(parse_watchdog(Some("x"), None, 7).is_err());
        assert!(parse_watchdog(Some("5"), Some("me"), 7).is_err());
    }

    #[test]
    fn sends_to_a_real_socket() {
        let dir = std::env::temp_dir().join(format!("tf-notify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notify.sock");
        let _ = std::fs::remove_file(&path);
        let receiver = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier::new(Some(&NotifyTarget::Path(path.clone())));
        assert!(notifier.is_enabled());
        notifier.send("READY=1\nSTATUS=up");
        let mut buffer = [0; 64];
        let len = receiver.recv(&mut buffer).unwrap();
        assert_eq!(&buffer[..len], b"READY=1\nSTATUS=up");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn disabled_without_a_target() {
        let notifier = Notifier::new(None);
        assert!(!notifier.is_enabled());
        notifier.send("READY=1");
    }
}
