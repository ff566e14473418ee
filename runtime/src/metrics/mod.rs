//! `/metrics` (the `metrics` feature): what the probe listener on `HEALTH_PORT` answers
//! `GET /metrics` with, in the Prometheus text format. Without the feature, `off.rs` stands in
//! and `/metrics` is a 404.
//!
//! - [`install`] makes metrics-exporter-prometheus's recorder the `metrics` crate's global
//!   recorder (no listener of its own: the probe listener serves it);
//! - [`render`] writes the page: `process.rs` (the standard `process_*` series), `runtime.rs`
//!   (tokio's stable runtime gauges), readiness and build info here, then every series the
//!   service recorded through the `metrics` facade;
//! - `http.rs`: [`HttpMetricsLayer`](http::HttpMetricsLayer), a tower layer that records the
//!   service's HTTP requests.

pub(crate) mod http;
mod process;
mod runtime;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::fmt::Write;
use std::sync::OnceLock;

/// The recorder's handle, and the build-info line.
struct Installed {
    handle: Option<PrometheusHandle>,
    build_info: String,
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();

/// Installs the recorder for the `metrics` facade; `service` and `version` label the build
/// info. When the program installed a recorder of its own first, that one is kept and
/// `/metrics` shows the runtime's series only.
pub(crate) fn install(service: &str, version: &str) {
    INSTALLED.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(http::DURATION.to_owned()),
                &http::DURATION_BUCKETS,
            )
            .ok()
            .and_then(|builder| builder.install_recorder().ok());
        if handle.is_some() {
            http::describe();
        } else {
            tracing::warn!(target: "twelve_factor",
                "a `metrics` recorder was already installed: /metrics shows the runtime's series only");
        }
        let build_info = format!(
            "# HELP twelve_factor_build_info The service's build: package name and version, and \
             the twelve_factor version.\n\
             # TYPE twelve_factor_build_info gauge\n\
             twelve_factor_build_info{{service=\"{}\",version=\"{}\",twelve_factor_version=\"{}\"}} 1\n",
            escape(service),
            escape(version),
            env!("CARGO_PKG_VERSION"),
        );
        Installed { handle, build_info }
    });
}

/// The `/metrics` page; `ready` is what `/readyz` would answer (0 from the shutdown on).
pub(crate) fn render(ready: bool) -> Option<String> {
    let installed = INSTALLED.get()?;
    let mut page = String::with_capacity(4096);
    process::render(&mut page);
    runtime::render(&mut page);
    let _ = write!(
        page,
        "# HELP twelve_factor_ready Whether the process wants traffic (what /readyz answers).\n\
         # TYPE twelve_factor_ready gauge\n\
         twelve_factor_ready {}\n",
        u8::from(ready)
    );
    page.push_str(&installed.build_info);
    if let Some(handle) = &installed.handle {
        // Keeps the histograms' memory bounded between scrapes.
        handle.run_upkeep();
        page.push_str(&handle.render());
    }
    Some(page)
}

/// Escapes a label value (backslash, double quote, newline).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes one sample with its `HELP` and `TYPE` lines.
fn sample(page: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    let _ = write!(
        page,
        "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_the_process_readiness_and_build_series() {
        install("shop", "1.2.3");
        metrics::counter!("twelve_factor_test_orders_total").increment(3);
        let page = render(true).unwrap();
        for line in [
            "twelve_factor_ready 1\n",
            "twelve_factor_build_info{service=\"shop\",version=\"1.2.3\",",
            "# TYPE process_cpu_seconds_total counter\n",
            "twelve_factor_test_orders_total 3\n",
        ] {
            assert!(page.contains(line), "{line:?} missing from\n{page}");
        }
        if cfg!(target_os = "linux") {
            for name in [
                "process_resident_memory_bytes ",
                "process_open_fds ",
                "process_start_time_seconds ",
            ] {
                assert!(page.contains(name), "{name:?} missing from\n{page}");
            }
        }
        assert!(render(false).unwrap().contains("twelve_factor_ready 0\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
