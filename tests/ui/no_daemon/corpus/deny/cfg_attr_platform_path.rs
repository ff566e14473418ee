// Mirrors: a cross-platform agent that chooses its platform file with `cfg_attr(…, path)` on one
// `mod` declaration instead of two cfg'd declarations.

#[cfg_attr(unix, path = "platform/unix.rs")]
#[cfg_attr(not(unix), path = "platform/other.rs")]
mod platform;

#[twelve_factor::main]
async fn main() {
    let _ = platform::detach;
}
