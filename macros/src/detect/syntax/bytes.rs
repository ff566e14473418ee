//! Byte search for the scan's hot loops, through the C library's `memchr`.
//!
//! Users build this proc macro at opt-level 0. There, `str::find(char)` is core's generic
//! searcher compiled into this crate unoptimised, `memchr` included: on a 3 MB crate that was
//! most of the scan. The C library's `memchr` is optimised whatever this crate's profile, so
//! every "next occurrence of one byte" goes through [`find`].

use std::ffi::{c_int, c_void};

extern "C" {
    // C89; in the C runtime every host rustc runs on links into the proc macro.
    fn memchr(haystack: *const c_void, byte: c_int, len: usize) -> *mut c_void;
}

/// The offset of the first `byte` in `haystack[from..]`, counted from the start of `haystack`.
pub(crate) fn find(haystack: &[u8], from: usize, byte: u8) -> Option<usize> {
    let rest = haystack.get(from..)?;
    if rest.is_empty() {
        return None;
    }
    // SAFETY: `rest` is a live slice, and `memchr` reads at most `rest.len()` bytes from its
    // start; the result is null or points into `rest`.
    let found = unsafe { memchr(rest.as_ptr().cast(), c_int::from(byte), rest.len()) };
    if found.is_null() {
        return None;
    }
    Some(from + (found as usize - rest.as_ptr() as usize))
}

/// Every offset of `byte` in `haystack`, in order.
pub(crate) fn positions(haystack: &[u8], byte: u8) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = find(haystack, from, byte)?;
        from = at + 1;
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_occurrence_like_the_standard_library() {
        let text = "fn main() { libc::fork(); } // ünïcode ✓ fork\n";
        for byte in [b'f', b'k', b'\n', b'/', 0xC3, b'z'] {
            let ours: Vec<usize> = positions(text.as_bytes(), byte).collect();
            let std: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == byte)
                .map(|(i, _)| i)
                .collect();
            assert_eq!(ours, std, "byte {byte:#x}");
        }
    }

    #[test]
    fn bounds() {
        assert_eq!(find(b"", 0, b'a'), None);
        assert_eq!(find(b"abc", 3, b'c'), None);
        assert_eq!(find(b"abc", 4, b'c'), None);
        assert_eq!(find(b"abca", 1, b'a'), Some(3));
        assert_eq!(find(b"abca", 0, b'a'), Some(0));
    }
}
