//! sd_notify(3) over the datagram socket systemd passes in $NOTIFY_SOCKET.

use std::os::unix::net::UnixDatagram;

pub fn notify(state: &str) -> std::io::Result<bool> {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
        return Ok(false);
    };
    let socket = UnixDatagram::unbound()?;
    socket.send_to(state.as_bytes(), path)?;
    Ok(true)
}
