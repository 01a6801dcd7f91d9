//! `/metrics` in the Prometheus text exposition format (version 0.0.4), from a
//! small registry of our own: a few maps under a mutex and some atomics cost
//! less to build and to read than a metrics crate with its own exporter.
//!
//! Series:
//! - `slivers_http_requests_total{method,route,status}` and
//!   `slivers_http_request_duration_seconds{method,route}` (histogram), recorded
//!   by the [`track`] middleware. `route` is the matched route template, never
//!   the raw URI, so ids in paths cannot grow the number of series; requests no
//!   route matched share `route="unmatched"`.
//! - `slivers_bookings_total{outcome}` (`confirmed`, `offered`, `refused`) and
//!   `slivers_booking_refusals_total{rule}`, recorded by [`record_booking`].
//! - `slivers_match_index_workers`, `slivers_match_index_shifts`,
//!   `slivers_match_index_applied_seq`, `slivers_event_log_last_seq` and
//!   `slivers_event_log_lag` (events in the store the index has not applied),
//!   read when scraped.
//!
//! Durations are kept in whole microseconds and written as decimal seconds by
//! integer formatting, so no float arithmetic is involved.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use slivers_core::booking::BookingStatus;
use slivers_exchange::{businesses, ExchangeError};
use slivers_store::Booking;

use crate::AppState;

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the latency buckets, in microseconds (1 ms to 10 s).
const BUCKETS_MICROS: [u64; 13] =
    [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

/// How long a scrape waits for the store's last event number; a scrape must
/// answer even when the database does not.
const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// One route and method: answers by status, and the latency histogram.
#[derive(Default)]
struct RouteStats {
    statuses: BTreeMap<u16, u64>,
    /// Per bucket, not cumulative; the last slot is beyond the largest bound.
    buckets: [u64; BUCKETS_MICROS.len() + 1],
    sum_micros: u64,
    count: u64,
}

/// The registry, one per server (in [`AppState`]), so tests running several
/// servers in one process each see only their own numbers.
#[derive(Default)]
pub struct Metrics {
    /// Route template → method → stats. Keyed by the template as axum gives
    /// it, so a request finds its entry without allocating.
    routes: Mutex<BTreeMap<String, BTreeMap<&'static str, RouteStats>>>,
    confirmed: AtomicU64,
    offered: AtomicU64,
    refused: AtomicU64,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
}

/// Counters stay meaningful after a panic elsewhere: take the data regardless.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Metrics {
    fn record_request(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_MICROS.iter().position(|b| micros <= *b).unwrap_or(BUCKETS_MICROS.len());
        let mut routes = lock(&self.routes);
        let methods = match routes.get_mut(route) {
            Some(m) => m,
            None => routes.entry(route.to_string()).or_default(),
        };
        let stats = methods.entry(method).or_default();
        *stats.statuses.entry(status).or_default() += 1;
        stats.buckets[bucket] += 1;
        stats.sum_micros = stats.sum_micros.saturating_add(micros);
        stats.count += 1;
    }

    /// Write the request, booking and (given) index series.
    fn render(&self, out: &mut String, gauges: &Gauges) {
        out.push_str("# HELP slivers_http_requests_total HTTP requests answered, by method, matched route template and status.\n");
        out.push_str("# TYPE slivers_http_requests_total counter\n");
        let routes = lock(&self.routes);
        for (route, methods) in routes.iter() {
            let route = route_label(route);
            for (method, stats) in methods {
                for (status, n) in &stats.statuses {
                    let _ = writeln!(out, "slivers_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}");
                }
            }
        }
        out.push_str("# HELP slivers_http_request_duration_seconds Time to answer an HTTP request (until the response head), by method and route template.\n");
        out.push_str("# TYPE slivers_http_request_duration_seconds histogram\n");
        for (route, methods) in routes.iter() {
            let route = route_label(route);
            for (method, stats) in methods {
                let labels = format!("method=\"{method}\",route=\"{route}\"");
                let mut cumulative = 0;
                for (bound, n) in BUCKETS_MICROS.iter().zip(stats.buckets.iter()) {
                    cumulative += n;
                    let le = seconds(*bound);
                    let _ = writeln!(out, "slivers_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}");
                }
                let _ = writeln!(out, "slivers_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", stats.count);
                let _ = writeln!(out, "slivers_http_request_duration_seconds_sum{{{labels}}} {}", seconds(stats.sum_micros));
                let _ = writeln!(out, "slivers_http_request_duration_seconds_count{{{labels}}} {}", stats.count);
            }
        }
        drop(routes);

        out.push_str("# HELP slivers_bookings_total Booking requests answered through the API, by outcome.\n");
        out.push_str("# TYPE slivers_bookings_total counter\n");
        for (outcome, n) in [("confirmed", &self.confirmed), ("offered", &self.offered), ("refused", &self.refused)] {
            let _ = writeln!(out, "slivers_bookings_total{{outcome=\"{outcome}\"}} {}", n.load(Ordering::Relaxed));
        }
        out.push_str("# HELP slivers_booking_refusals_total Refused booking requests by the rule that refused them (one refusal may name several rules).\n");
        out.push_str("# TYPE slivers_booking_refusals_total counter\n");
        for (rule, n) in lock(&self.refusals).iter() {
            let _ = writeln!(out, "slivers_booking_refusals_total{{rule=\"{}\"}} {n}", escape(rule));
        }

        let mut gauge = |name: &str, help: &str, value: Option<i64>| {
            if let Some(v) = value {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
            }
        };
        gauge("slivers_match_index_workers", "Workers in the matching index.", gauges.workers);
        gauge("slivers_match_index_shifts", "Open shifts in the matching index.", gauges.shifts);
        gauge("slivers_match_index_applied_seq", "The last event-log sequence number the matching index has applied.", gauges.applied_seq);
        gauge("slivers_event_log_last_seq", "The last sequence number in the store's event log (absent when the store does not answer).", gauges.last_seq);
        gauge(
            "slivers_event_log_lag",
            "Events in the store the matching index has not applied yet (last_seq minus applied_seq).",
            gauges.last_seq.zip(gauges.applied_seq).map(|(last, applied)| last - applied),
        );
    }
}

/// Values read at scrape time; `None` is left out rather than guessed.
#[derive(Default)]
struct Gauges {
    workers: Option<i64>,
    shifts: Option<i64>,
    applied_seq: Option<i64>,
    last_seq: Option<i64>,
}

/// Record a booking answer and hand it back unchanged, so a handler wraps its
/// `store.book(..)` call in one line.
pub fn record_booking(metrics: &Metrics, answer: Result<Booking, ExchangeError>) -> Result<Booking, ExchangeError> {
    match &answer {
        Ok(b) if b.status == BookingStatus::Confirmed => {
            metrics.confirmed.fetch_add(1, Ordering::Relaxed);
        }
        Ok(b) if b.status == BookingStatus::Offered => {
            metrics.offered.fetch_add(1, Ordering::Relaxed);
        }
        Err(ExchangeError::Conflict(c)) => {
            metrics.refused.fetch_add(1, Ordering::Relaxed);
            let mut refusals = lock(&metrics.refusals);
            for rule in c.rules() {
                *refusals.entry(rule).or_default() += 1;
            }
        }
        // Other failures (not found, forbidden, database errors) are no
        // booking outcome; the request counters show them by status.
        _ => {}
    }
    answer
}

/// Middleware: count every request and time it, by matched route template.
pub async fn track(State(metrics): State<std::sync::Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    // `MatchedPath` is a cheap handle (an `Arc<str>`); the request moves on.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let res = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", |r| r.as_str());
    metrics.record_request(route, method, res.status().as_u16(), started.elapsed());
    res
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let mut gauges = Gauges::default();
    if let Ok(index) = state.exchange.feed().index.read() {
        gauges.workers = i64::try_from(index.len()).ok();
        gauges.shifts = i64::try_from(index.shift_count()).ok();
        gauges.applied_seq = Some(index.last_seq);
    }
    match tokio::time::timeout(STORE_TIMEOUT, businesses::last_event_seq(&state.exchange)).await {
        Ok(Ok(seq)) => gauges.last_seq = Some(seq),
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: could not read the last event"),
        Err(_) => tracing::warn!("metrics: the store did not give the last event within {STORE_TIMEOUT:?}"),
    }
    let mut body = String::with_capacity(16 * 1024);
    state.metrics.render(&mut body, &gauges);
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

/// Standard methods by name; anything else is one label, so a client
/// inventing methods cannot grow the number of series.
fn method_label(m: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::HEAD, "HEAD"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::TRACE, "TRACE"),
        (Method::CONNECT, "CONNECT"),
    ];
    KNOWN.iter().find(|(k, _)| k == m).map_or("other", |(_, name)| name)
}

/// A route template as a label value: path parameters are written `:name`
/// instead of `{name}`, because some text-format parsers (prometheus-parse,
/// used in our tests, among them) end a label set at the first `}`.
fn route_label(template: &str) -> String {
    escape(&template.replace('{', ":").replace('}', ""))
}

/// Escape a label value as the text format requires.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Whole microseconds as decimal seconds: 2500 → `0.0025`, 1000000 → `1`.
fn seconds(micros: u64) -> String {
    let (whole, frac) = (micros / 1_000_000, micros % 1_000_000);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:06}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_exact_decimals() {
        assert_eq!(seconds(0), "0");
        assert_eq!(seconds(1_000), "0.001");
        assert_eq!(seconds(2_500), "0.0025");
        assert_eq!(seconds(1_000_000), "1");
        assert_eq!(seconds(12_345_678), "12.345678");
    }

    #[test]
    fn routes_are_labelled_by_template_and_escaped() {
        assert_eq!(route_label("/api/v1/shifts/{id}/bookings"), "/api/v1/shifts/:id/bookings");
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").expect("method")), "other");
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_end_at_the_count() {
        let m = Metrics::default();
        for ms in [0, 3, 3, 40, 20_000] {
            m.record_request("/x/{id}", "GET", 200, Duration::from_millis(ms));
        }
        m.record_request("/x/{id}", "GET", 404, Duration::from_millis(1));
        let mut out = String::new();
        m.render(&mut out, &Gauges::default());
        let line = |prefix: &str| out.lines().find(|l| l.starts_with(prefix)).map(|l| l.rsplit(' ').next().unwrap_or("").to_string());
        let b = "slivers_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x/:id\",le=";
        assert_eq!(line(&format!("{b}\"0.001\"}}")).as_deref(), Some("2"));
        assert_eq!(line(&format!("{b}\"0.005\"}}")).as_deref(), Some("4"));
        assert_eq!(line(&format!("{b}\"0.05\"}}")).as_deref(), Some("5"));
        assert_eq!(line(&format!("{b}\"10\"}}")).as_deref(), Some("5"));
        assert_eq!(line(&format!("{b}\"+Inf\"}}")).as_deref(), Some("6"));
        assert_eq!(line("slivers_http_request_duration_seconds_sum{").as_deref(), Some("20.047"));
        assert_eq!(line("slivers_http_requests_total{method=\"GET\",route=\"/x/:id\",status=\"404\"}").as_deref(), Some("1"));
        // Gauges the scrape could not read are left out, not written as zero.
        assert!(!out.contains("slivers_event_log_lag"));
    }
}
