//! systemd socket activation (`sd_listen_fds(3)`): sockets passed as fds 3, 4, … with
//! `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES`.
//!
//! Hand-written rather than the `listenfd` crate: the protocol is three variables and an fd
//! range, and its errors become the same exit-78 errors as every other variable's.

use crate::platform::{parse_digits, BadValue};
use std::collections::VecDeque;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::sync::Mutex;

/// The first passed descriptor, `SD_LISTEN_FDS_START`.
const FIRST_FD: RawFd = 3;

/// The sockets passed to this process, in order, until `App::listener` takes them.
#[derive(Debug, Default)]
pub(crate) struct Activation {
    /// `(fd, name)` as the environment described them; owned from [`Activation::claim`] on
    /// (the list stays, so that [`Activation::is_empty`] still tells whether any were passed).
    described: Vec<(RawFd, Option<String>)>,
    claimed: Mutex<VecDeque<(OwnedFd, Option<String>)>>,
}

/// Parses the three variables for process `pid`. Sockets meant for another process (a
/// `LISTEN_PID` that is not ours, as after a fork-exec by a wrapper) are ignored, as
/// `sd_listen_fds` does.
pub(crate) fn parse(
    listen_pid: Option<&str>,
    listen_fds: Option<&str>,
    listen_fdnames: Option<&str>,
    pid: u32,
) -> Result<Activation, BadValue> {
    let (Some(listen_pid), Some(listen_fds)) = (listen_pid, listen_fds) else {
        return Ok(Activation::default());
    };
    let owner: u32 = parse_digits(listen_pid)
        .ok_or_else(|| BadValue::new("LISTEN_PID", listen_pid, "expected a process id"))?;
    let count: u16 = parse_digits(listen_fds)
        .filter(|&count: &u16| count <= 1024)
        .ok_or_else(|| {
            BadValue::new(
                "LISTEN_FDS",
                listen_fds,
                "expected a number of passed sockets from 0 to 1024",
            )
        })?;
    if owner != pid {
        return Ok(Activation::default());
    }
    let names: Vec<Option<String>> = match listen_fdnames {
        None => vec![None; usize::from(count)],
        Some(text) => {
            let names: Vec<Option<String>> =
                text.split(':').map(|name| Some(name.to_owned())).collect();
            if names.len() != usize::from(count) {
                return Err(BadValue::new(
                    "LISTEN_FDNAMES",
                    text,
                    format!("expected {count} colon-separated names, one per socket in LISTEN_FDS"),
                ));
            }
            names
        }
    };
    let described = names
        .into_iter()
        .enumerate()
        .map(|(index, name)| (FIRST_FD + index as RawFd, name))
        .collect();
    Ok(Activation {
        described,
        claimed: Mutex::default(),
    })
}

impl Activation {
    /// No sockets were passed (whether or not they have been taken since).
    pub(crate) fn is_empty(&self) -> bool {
        self.described.is_empty()
    }

    /// Takes ownership of the passed descriptors: checks each is an open socket, marks it
    /// close-on-exec, and removes the `LISTEN_*` variables so children do not inherit them.
    /// Must run before other threads exist.
    pub(crate) fn claim(&mut self) -> Result<(), BadValue> {
        if self.described.is_empty() {
            return Ok(());
        }
        let count = self.described.len().to_string();
        let mut claimed = VecDeque::with_capacity(self.described.len());
        for (fd, name) in self.described.iter().cloned() {
            if !is_socket(fd) {
                return Err(BadValue::new(
                    "LISTEN_FDS",
                    &count,
                    format!("fd {fd} is not an open socket"),
                ));
            }
            // SAFETY: the descriptor is open (checked above) and systemd's protocol hands its
            // ownership to this process; nothing else in the process refers to it.
            let owned = unsafe { OwnedFd::from_raw_fd(fd) };
            // SAFETY: F_SETFD on a descriptor this process owns.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
            claimed.push_back((owned, name));
        }
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] {
            std::env::remove_var(name);
        }
        *self.claimed.get_mut().unwrap_or_else(|e| e.into_inner()) = claimed;
        Ok(())
    }

    /// Takes the first passed socket named `name`; with no name, the first one whose name is
    /// not in `reserved` (the names other listeners will ask for).
    pub(crate) fn take(
        &self,
        name: Option<&str>,
        reserved: &[&str],
    ) -> Option<(OwnedFd, Option<String>)> {
        let mut claimed = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        let index = claimed.iter().position(|(_, passed)| match name {
            Some(name) => passed.as_deref() == Some(name),
            None => !passed.as_deref().is_some_and(|passed| reserved.contains(&passed)),
        })?;
        claimed.remove(index)
    }
}

/// Checks that a passed socket is one [`tokio::net::TcpListener`] can serve: a listening
/// `SOCK_STREAM` socket of family `AF_INET` or `AF_INET6`. A socket unit can pass anything
/// (`ListenStream=/run/x.sock`, `ListenDatagram=`, a FIFO); wrapped as a TCP listener such a
/// socket would look bound and then fail every `accept`.
pub(crate) fn check_tcp_listener(fd: &OwnedFd, name: Option<&str>) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let raw = fd.as_raw_fd();
    let option = |option: libc::c_int| -> std::io::Result<libc::c_int> {
        let mut value: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt writes at most `len` bytes into `value`, an int as it expects.
        let result = unsafe {
            libc::getsockopt(
                raw,
                libc::SOL_SOCKET,
                option,
                (&mut value as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        if result == 0 {
            Ok(value)
        } else {
            Err(std::io::Error::last_os_error())
        }
    };
    // The address family from `getsockname` rather than `SO_DOMAIN`, which only Linux and
    // FreeBSD have.
    let domain = {
        // SAFETY: getsockname writes at most `len` bytes into the zeroed storage we pass.
        let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        let result = unsafe {
            libc::getsockname(
                raw,
                (&mut storage as *mut libc::sockaddr_storage).cast(),
                &mut len,
            )
        };
        if result != 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::c_int::from(storage.ss_family)
    };
    let kind = option(libc::SO_TYPE)?;
    let listening = option(libc::SO_ACCEPTCONN)? != 0;
    let tcp = matches!(domain, libc::AF_INET | libc::AF_INET6) && kind == libc::SOCK_STREAM;
    if tcp && listening {
        return Ok(());
    }
    let family = match domain {
        libc::AF_INET => "AF_INET",
        libc::AF_INET6 => "AF_INET6",
        libc::AF_UNIX => "AF_UNIX",
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::AF_NETLINK => "AF_NETLINK",
        _ => "non-IP",
    };
    let kind = match kind {
        libc::SOCK_STREAM => "SOCK_STREAM",
        libc::SOCK_DGRAM => "SOCK_DGRAM",
        libc::SOCK_SEQPACKET => "SOCK_SEQPACKET",
        _ => "non-stream",
    };
    let what = if tcp {
        "a TCP socket that is not listening".to_owned()
    } else {
        format!("an {family} {kind} socket")
    };
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "the socket systemd passed as fd {raw}{} is {what}, not a listening TCP socket; \
             App::listener serves TCP (ListenStream=PORT or ADDRESS:PORT in the socket unit)",
            name.map(|name| format!(" ({name})")).unwrap_or_default(),
        ),
    ))
}

fn is_socket(fd: RawFd) -> bool {
    // SAFETY: fstat only writes into the zeroed struct we pass.
    unsafe {
        let mut stat: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut stat) == 0 && (stat.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_or_for_another_process_means_none() {
        assert!(parse(None, None, None, 10).unwrap().is_empty());
        assert!(parse(Some("10"), None, None, 10).unwrap().is_empty());
        assert!(parse(Some("11"), Some("2"), None, 10).unwrap().is_empty());
    }

    #[test]
    fn fds_and_names() {
        let activation = parse(Some("10"), Some("2"), Some("http:metrics"), 10).unwrap();
        assert_eq!(
            activation.described,
            vec![
                (3, Some("http".to_owned())),
                (4, Some("metrics".to_owned()))
            ]
        );
        let unnamed = parse(Some("10"), Some("1"), None, 10).unwrap();
        assert_eq!(unnamed.described, vec![(3, None)]);
    }

    #[test]
    fn only_listening_tcp_sockets_are_served() {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(check_tcp_listener(&OwnedFd::from(tcp), None).is_ok());
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let error = check_tcp_listener(&OwnedFd::from(udp), Some("dns")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("(dns) is an AF_INET SOCK_DGRAM socket"),
            "{error}"
        );
        let dir = std::env::temp_dir().join(format!("tf-activation-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.sock");
        let _ = std::fs::remove_file(&path);
        let unix = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let error = check_tcp_listener(&OwnedFd::from(unix), None).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is an AF_UNIX SOCK_STREAM socket"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let unbound = connected_tcp();
        let error = check_tcp_listener(&unbound, None).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("a TCP socket that is not listening"),
            "{error}"
        );
    }

    /// A TCP socket that is not listening: a connected client socket.
    fn connected_tcp() -> OwnedFd {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        OwnedFd::from(client)
    }

    #[test]
    fn malformed_values_are_bad_values() {
        assert_eq!(
            parse(Some("x"), Some("1"), None, 10)
                .unwrap_err()
                .variable(),
            "LISTEN_PID"
        );
        assert_eq!(
            parse(Some("10"), Some("one"), None, 10)
                .unwrap_err()
                .variable(),
            "LISTEN_FDS"
        );
        assert_eq!(
            parse(Some("10"), Some("-1"), None, 10)
                .unwrap_err()
                .variable(),
            "LISTEN_FDS"
        );
        assert_eq!(
            parse(Some("10"), Some("2"), Some("a"), 10)
                .unwrap_err()
                .variable(),
            "LISTEN_FDNAMES"
        );
    }
}
