//! Operations over real HTTP: `/metrics` is Prometheus text that a third-party
//! parser (the `prometheus-parse` crate) reads, with the request, booking,
//! index and lag series we promise; `/healthz` is 200 while the database
//! answers and 503 problem+json once it is gone.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};
use prometheus_parse::{LineInfo, Scrape, Value as Prom};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_core::{Currency, Zone};
use slivers_store::{Actor, NewBusiness, Store};

use common::{monday_after_next, TestApp};

on_both_databases!(metrics_count_requests_bookings_index_and_lag, healthz_is_ok_while_the_database_answers);

/// Fetch `/metrics`, check its content type, and parse it with prometheus-parse.
/// The parser skips lines it does not understand, so every sample line is also
/// checked to be one it reads as a sample.
async fn scrape(client: &reqwest::Client, base: &str) -> Scrape {
    let res = client.get(format!("{base}/metrics")).send().await.expect("GET /metrics");
    assert_eq!(res.status(), StatusCode::OK);
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "content type {kind}");
    let body = res.text().await.expect("body");
    for line in body.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        assert!(matches!(LineInfo::parse(line), LineInfo::Sample { .. }), "not a sample line: {line}");
    }
    Scrape::parse(body.lines().map(|l| Ok(l.to_string()))).expect("prometheus-parse reads /metrics")
}

/// The one sample of `metric` whose labels include `labels`.
fn sample<'a>(s: &'a Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<&'a Prom> {
    let mut found = s.samples.iter().filter(|x| x.metric == metric && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)));
    let first = found.next()?;
    assert!(found.next().is_none(), "more than one {metric} sample with {labels:?}");
    Some(&first.value)
}

/// A counter's or gauge's value, or 0 when the series is absent. Every series
/// we serve counts something, so a value with a fraction is a bug.
fn number(s: &Scrape, metric: &str, labels: &[(&str, &str)]) -> i64 {
    match sample(s, metric, labels) {
        Some(Prom::Counter(v) | Prom::Gauge(v) | Prom::Untyped(v)) => {
            assert!(v.fract() == 0.0 && v.is_finite(), "{metric} {labels:?} = {v}");
            *v as i64
        }
        Some(other) => panic!("{metric} is not a number: {other:?}"),
        None => 0,
    }
}

const BOOKINGS_ROUTE: &str = "/api/v1/shifts/:id/bookings";

async fn book(app: &TestApp, token: &str, shift: i64, worker: i64, mode: &str) -> (StatusCode, Value) {
    app.call(Method::POST, &format!("/shifts/{shift}/bookings"), Some(token), Some(json!({"worker_id": worker, "mode": mode}))).await
}

async fn metrics_count_requests_bookings_index_and_lag(app: TestApp) {
    let (_, site, manager) = app.business("Ops Cafe").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0});
    let (worker, _) = app.worker("Olive", limits).await;
    let start = monday_after_next().timestamp().checked_add(9.hours()).expect("start");
    let first = app.shift(&manager, Some(site), start, 240, 1).await;
    let overlapping = app.shift(&manager, Some(site), start.checked_add(1.hours()).expect("t"), 120, 1).await;
    let next_day = app.shift(&manager, Some(site), start.checked_add(24.hours()).expect("t"), 240, 1).await;

    let (s, v) = book(&app, &manager, first, worker, "instant").await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::CREATED, Some("confirmed")), "{v}");
    let (s, v) = book(&app, &manager, overlapping, worker, "instant").await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["rules"].as_array().expect("rules").contains(&json!("overlap")), "{v}");
    let (s, v) = book(&app, &manager, next_day, worker, "offer").await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::CREATED, Some("offered")), "{v}");
    let stray = app.client.get(format!("{}/no/such/page/{first}", app.base)).send().await.expect("GET");
    assert_eq!(stray.status(), StatusCode::NOT_FOUND);

    let m = scrape(&app.client, &app.base).await;
    let requests = |status: &str| number(&m, "slivers_http_requests_total", &[("method", "POST"), ("route", BOOKINGS_ROUTE), ("status", status)]);
    assert_eq!(requests("201"), 2);
    assert_eq!(requests("409"), 1);
    assert_eq!(number(&m, "slivers_http_requests_total", &[("method", "POST"), ("route", "/api/v1/shifts"), ("status", "201")]), 3);
    assert_eq!(number(&m, "slivers_http_requests_total", &[("method", "GET"), ("route", "unmatched"), ("status", "404")]), 1);
    // Route labels are templates: no shift id (or any other id) appears in them.
    for x in m.samples.iter().filter_map(|x| x.labels.get("route")) {
        assert!(!x.replace("/v1/", "/").chars().any(|c| c.is_ascii_digit()), "raw path in a route label: {x}");
    }
    // The latency histogram of the booking route saw all three answers.
    match sample(&m, "slivers_http_request_duration_seconds", &[("method", "POST"), ("route", BOOKINGS_ROUTE)]) {
        Some(Prom::Histogram(buckets)) => {
            let last = buckets.last().expect("buckets");
            assert!(last.less_than.is_infinite() && last.count == 3.0, "{buckets:?}");
            assert!(buckets.windows(2).all(|w| w[0].count <= w[1].count), "buckets are cumulative: {buckets:?}");
        }
        other => panic!("no latency histogram for the booking route: {other:?}"),
    }
    assert_eq!(number(&m, "slivers_http_request_duration_seconds_count", &[("method", "POST"), ("route", BOOKINGS_ROUTE)]), 3);

    for (outcome, n) in [("confirmed", 1), ("offered", 1), ("refused", 1)] {
        assert_eq!(number(&m, "slivers_bookings_total", &[("outcome", outcome)]), n, "{outcome}");
    }
    assert_eq!(number(&m, "slivers_booking_refusals_total", &[("rule", "overlap")]), 1);

    // Every write went through this server, which refreshes its index after each.
    assert_eq!(number(&m, "slivers_match_index_workers", &[]), 1);
    assert_eq!(number(&m, "slivers_match_index_shifts", &[]), 3);
    let last = number(&m, "slivers_event_log_last_seq", &[]);
    assert!(last > 0);
    assert_eq!(number(&m, "slivers_match_index_applied_seq", &[]), last);
    assert_eq!(sample(&m, "slivers_event_log_lag", &[]), Some(&Prom::Gauge(0.0)));

    // A write the index has not seen (straight into the store, as another
    // server's would be) shows as lag until the index catches up.
    let other = NewBusiness { name: "Elsewhere".into(), zone: Zone::parse("Europe/London").expect("zone"), currency: Currency::parse("GBP").expect("gbp") };
    app.store.create_business(&other, &Actor::system(), Timestamp::now()).await.expect("business");
    let m = scrape(&app.client, &app.base).await;
    let lag = number(&m, "slivers_event_log_lag", &[]);
    assert!(lag >= 1, "lag {lag}");
    assert_eq!(lag, number(&m, "slivers_event_log_last_seq", &[]) - number(&m, "slivers_match_index_applied_seq", &[]));
    app.state.refresh().await;
    let m = scrape(&app.client, &app.base).await;
    assert_eq!(sample(&m, "slivers_event_log_lag", &[]), Some(&Prom::Gauge(0.0)));
    // Scrapes are requests too, counted under their own template.
    assert!(number(&m, "slivers_http_requests_total", &[("method", "GET"), ("route", "/metrics"), ("status", "200")]) >= 2);
}

async fn healthz_is_ok_while_the_database_answers(app: TestApp) {
    let res = app.client.get(format!("{}/healthz", app.base)).send().await.expect("GET /healthz");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.expect("body"), "ok");
}

/// Serve `store` on a loopback port; returns the base URL.
async fn serve(store: Arc<dyn Store>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = slivers_server::app(slivers_server::AppState::new(store));
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// `/healthz` must answer 503 as a problem document, and promptly: a health
/// check that hangs is as bad as none.
async fn assert_unavailable(client: &reqwest::Client, base: &str) {
    let asked = Instant::now();
    let res = client.get(format!("{base}/healthz")).send().await.expect("GET /healthz");
    let took = asked.elapsed();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    let problem: Value = res.json().await.expect("problem json");
    assert_eq!(problem["status"], 503, "{problem}");
    assert_eq!(problem["type"], "/problems/unavailable", "{problem}");
    assert!(took < Duration::from_secs(5), "/healthz took {took:?}");
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> String {
    let (head, query) = base.split_once('?').map_or((base, None), |(h, q)| (h, Some(q)));
    let (scheme, rest) = head.split_once("://").expect("a URL");
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{authority}/{name}{query}")
}

/// A fresh PostgreSQL database (not only a schema), served; then terminated
/// and dropped under the server, which must notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_healthz_is_503_once_the_database_is_dropped() {
    use sqlx::Connection;
    let Some(base) = slivers_store::testing::postgres_url() else {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        return eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let name = format!("slivers_ops_{}_{nanos}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("maintenance connection");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.expect("create database");

    let store = slivers_store::connect(&with_database(&base, &name)).await.expect("connect to the new database");
    let base_url = serve(store).await;
    let client = reqwest::Client::new();
    let res = client.get(format!("{base_url}/healthz")).send().await.expect("GET /healthz");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.expect("body"), "ok");

    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
        .bind(&name)
        .execute(&mut admin)
        .await
        .expect("terminate connections");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&mut admin).await.expect("drop database");
    admin.close().await.expect("close");

    assert_unavailable(&client, &base_url).await;
    // Still unavailable when asked again (the pool does not pretend to recover).
    assert_unavailable(&client, &base_url).await;
    // /metrics still answers, counts the 503s, and leaves out what it could not read.
    let m = scrape(&client, &base_url).await;
    assert_eq!(number(&m, "slivers_http_requests_total", &[("method", "GET"), ("route", "/healthz"), ("status", "503")]), 2);
    assert!(sample(&m, "slivers_event_log_last_seq", &[]).is_none());
    assert!(sample(&m, "slivers_event_log_lag", &[]).is_none());
}

/// SQLite has no server to lose, and an open connection keeps its file open
/// even if the file is deleted, so `SELECT 1` goes on succeeding on a pooled
/// connection (tried: with the database's directory removed under a running
/// server, `/healthz` stayed 200): "gone" cannot be staged honestly with a file.
/// What a SQLite store can do is lose its pool (closed at shutdown); the
/// health check must then answer 503 through the same path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_healthz_is_503_once_the_pool_is_closed() {
    let store = Arc::new(slivers_store::SqlStore::connect(&slivers_store::testing::sqlite_url()).await.expect("sqlite store"));
    let base_url = serve(store.clone()).await;
    let client = reqwest::Client::new();
    let res = client.get(format!("{base_url}/healthz")).send().await.expect("GET /healthz");
    assert_eq!(res.status(), StatusCode::OK);
    store.pool().close().await;
    assert_unavailable(&client, &base_url).await;
    // An API call that needs the database answers 503 too, never 500: the
    // database out of reach is a passing condition, not a fault.
    let res = client
        .get(format!("{base_url}/api/v1/bookings"))
        .bearer_auth(format!("slv_{}", "0".repeat(64)))
        .send()
        .await
        .expect("GET /api/v1/bookings");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let problem: Value = res.json().await.expect("problem json");
    assert_eq!(problem["type"], "/problems/unavailable", "{problem}");
}
