//! Support module for deny/mod_in_cfg_if_nested.rs: the other platforms stay in the foreground.

pub fn detach() -> std::io::Result<()> {
    Ok(())
}
