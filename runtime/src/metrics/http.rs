//! [`HttpMetricsLayer`]: a tower layer that records each HTTP request the service answers, by
//! method, route template and status class, through the `metrics` facade (so `/metrics` shows
//! them). Generic over `http` requests and responses: axum, tonic, hyper and tower-http stacks.
//!
//! The route is a template, never the raw path (which would make one series per id): the
//! layer asks a function for it, given the request's extensions. With axum, that is its
//! `MatchedPath`; a request no route matched is labelled `unmatched`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// The request counter.
pub(crate) const REQUESTS: &str = "http_server_requests_total";
/// The latency histogram.
pub(crate) const DURATION: &str = "http_server_request_duration_seconds";
/// The latency buckets, in seconds.
pub(crate) const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// The route label of requests no route matched.
pub const UNMATCHED: &str = "unmatched";

/// Gives the series their `HELP` lines.
pub(crate) fn describe() {
    metrics::describe_counter!(REQUESTS, "HTTP requests answered, by method, route and status class.");
    metrics::describe_histogram!(
        DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method, route and status class."
    );
}

/// Finds a request's route template in its extensions.
pub type RouteOf = for<'a> fn(&'a http::Extensions) -> Option<&'a str>;

/// Records every request of the service it wraps: `http_server_requests_total` and
/// `http_server_request_duration_seconds`, labelled `method`, `route` and `status`
/// (`2xx`…`5xx`, or `error` when the service failed).
///
/// With axum, the route is its `MatchedPath`:
///
/// ```ignore
/// use axum::extract::MatchedPath;
/// let app = Router::new()
///     .route("/orders/{id}", get(order))
///     .layer(HttpMetricsLayer::new(|extensions| {
///         extensions.get::<MatchedPath>().map(MatchedPath::as_str)
///     }));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct HttpMetricsLayer {
    route: RouteOf,
}

impl HttpMetricsLayer {
    /// A layer that labels each request with the route `route` finds in its extensions
    /// ([`UNMATCHED`] when it finds none).
    pub fn new(route: RouteOf) -> HttpMetricsLayer {
        HttpMetricsLayer { route }
    }
}

impl<S> tower_layer::Layer<S> for HttpMetricsLayer {
    type Service = HttpMetrics<S>;

    fn layer(&self, inner: S) -> HttpMetrics<S> {
        HttpMetrics {
            inner,
            route: self.route,
        }
    }
}

/// The service [`HttpMetricsLayer`] wraps around the service's own.
#[derive(Clone, Debug)]
pub struct HttpMetrics<S> {
    inner: S,
    route: RouteOf,
}

impl<S, B, R> tower_service::Service<http::Request<B>> for HttpMetrics<S>
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = method_label(request.method());
        let route = (self.route)(request.extensions())
            .unwrap_or(UNMATCHED)
            .to_owned();
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let result = answer.await;
            let status = match &result {
                Ok(response) => status_class(response.status()),
                Err(_) => "error",
            };
            let labels = [("method", method), ("route", route), ("status", status.to_owned())];
            metrics::counter!(REQUESTS, &labels).increment(1);
            metrics::histogram!(DURATION, &labels).record(started.elapsed().as_secs_f64());
            result
        })
    }
}

/// The standard methods by name; anything else is `other` (the label stays bounded).
fn method_label(method: &http::Method) -> String {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ];
    if KNOWN.contains(&method.as_str()) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}

fn status_class(status: http::StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_bounded() {
        assert_eq!(method_label(&http::Method::GET), "GET");
        assert_eq!(
            method_label(&http::Method::from_bytes(b"BREW").unwrap()),
            "other"
        );
        assert_eq!(status_class(http::StatusCode::NOT_FOUND), "4xx");
        assert_eq!(status_class(http::StatusCode::OK), "2xx");
        assert_eq!(status_class(http::StatusCode::BAD_GATEWAY), "5xx");
    }
}
