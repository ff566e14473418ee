//! Reading the user's files from disk without trusting them: a path the crate names may be a
//! FIFO (opening one that has no writer blocks forever), a device (`/dev/zero` never ends), a
//! directory, or a file of hundreds of megabytes. Only regular files are read, the type is
//! checked before the file is opened and again on what was opened, and never more than a limit
//! is read, so a file that grows while it is read cannot make the macro's memory grow with it.

use crate::detect::source::store::{Sources, Unread, MAX_FILE_BYTES};
use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads from the file system.
pub(crate) struct Disk;

impl Sources for Disk {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Unread> {
        read_regular(path, MAX_FILE_BYTES)
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    // The type is checked before the file is opened: opening a FIFO blocks.
    let meta = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Unread::Missing,
        _ => Unread::Refused(format!("cannot be read ({error})")),
    })?;
    check(&meta, limit)?;
    let file = open(path).map_err(|error| Unread::Refused(format!("cannot be read ({error})")))?;
    // The path may name something else by now: check what was opened.
    let meta = file
        .metadata()
        .map_err(|error| Unread::Refused(format!("cannot be read ({error})")))?;
    check(&meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| Unread::Refused(format!("cannot be read ({error})")))?;
    if bytes.len() as u64 > limit {
        // It grew after the check.
        return Err(Unread::Refused(format!("over the {limit}-byte limit")));
    }
    Ok(bytes)
}

/// Refuses anything but a regular file of at most `limit` bytes.
fn check(meta: &Metadata, limit: u64) -> Result<(), Unread> {
    if let Some(kind) = not_regular(meta) {
        return Err(Unread::Refused(format!("{kind}, not a regular file")));
    }
    match meta.len() > limit {
        true => Err(Unread::Refused(format!(
            "{} bytes, over the {limit}-byte limit",
            meta.len()
        ))),
        false => Ok(()),
    }
}

/// What the file is when it is not a regular file.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens `path` for reading; on Linux without blocking, so that a FIFO put in place of a
/// checked file between the check and the open is not waited on either.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(all(
        target_os = "linux",
        any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "aarch64",
            target_arch = "arm",
            target_arch = "riscv64"
        )
    ))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK on these architectures; it changes nothing for a regular file.
        options.custom_flags(0o4000);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tf-disk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = temp("limit");
        let file = dir.join("a.rs");
        std::fs::write(&file, b"fn main() {}").expect("write");
        assert_eq!(read_regular(&file, 12), Ok(b"fn main() {}".to_vec()));
        assert_eq!(
            read_regular(&file, 11),
            Err(Unread::Refused("12 bytes, over the 11-byte limit".into()))
        );
        assert_eq!(read_regular(&dir.join("gone.rs"), 11), Err(Unread::Missing));
        assert_eq!(
            read_regular(&dir, 11),
            Err(Unread::Refused("a directory, not a regular file".into()))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_at_once() {
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            assert_eq!(
                read_regular(Path::new(device), MAX_FILE_BYTES),
                Err(Unread::Refused("a device, not a regular file".into())),
                "{device}"
            );
        }
        let dir = temp("fifo");
        let fifo = dir.join("fifo.rs");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            let started = std::time::Instant::now();
            assert_eq!(
                read_regular(&fifo, MAX_FILE_BYTES),
                Err(Unread::Refused("a FIFO, not a regular file".into()))
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
