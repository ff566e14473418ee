//! Stands in for the `metrics` folder when the `metrics` feature is off: no recorder, and
//! `/metrics` is a 404. Neither the `metrics` crate nor its exporter is linked.

/// Nothing to install.
pub(crate) fn install(_service: &str, _version: &str) {}

/// No page: the probe listener answers 404.
pub(crate) fn render(_ready: bool) -> Option<String> {
    None
}
