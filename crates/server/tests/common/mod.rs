//! A real server on a loopback port over a scratch database, and a small
//! HTTP client for tests.
#![allow(dead_code)]

pub mod portal;

use std::sync::Arc;

use jiff::civil::Weekday;
use jiff::{Timestamp, ToSpan, Zoned};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_exchange::credentials as auth;
use slivers_store::testing::{scratch, TestDb};
use slivers_store::{NewUser, Role, Store};

pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The server's state, for driving background work (offer waves) directly.
    pub state: slivers_server::AppState,
    pub client: reqwest::Client,
    pub operator: String,
}

/// Run `body` on SQLite always and on PostgreSQL when configured (required in CI).
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let app = super::common::spawn(slivers_store::testing::TestDb::Sqlite).await.unwrap();
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    match super::common::spawn(slivers_store::testing::TestDb::Postgres).await {
                        Some(app) => super::$name(app).await,
                        None if std::env::var_os("CI").is_some() => panic!("SLIVERS_TEST_DATABASE_URL must be set in CI"),
                        None => eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set"),
                    }
                }
            )*
        }
    };
}

/// Run `flow(db: TestDb)` (which builds its own app, e.g. on a simulated
/// clock) as two tests: `$sqlite` always, `$postgres` when configured
/// (required in CI).
#[macro_export]
macro_rules! flow_on_both_databases {
    ($sqlite:ident, $postgres:ident, $flow:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $sqlite() {
            $flow(slivers_store::testing::TestDb::Sqlite).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $postgres() {
            if slivers_store::testing::postgres_url().is_none() {
                assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
                return eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
            }
            $flow(slivers_store::testing::TestDb::Postgres).await;
        }
    };
}

pub async fn spawn(db: TestDb) -> Option<TestApp> {
    spawn_with_clock(db, Arc::new(Timestamp::now)).await
}

/// A clock tests can move: seconds since the epoch, starting at the real now.
pub fn manual_clock() -> (Arc<std::sync::atomic::AtomicI64>, Arc<dyn Fn() -> Timestamp + Send + Sync>) {
    let secs = Arc::new(std::sync::atomic::AtomicI64::new(Timestamp::now().as_second()));
    let read = secs.clone();
    let clock = Arc::new(move || Timestamp::from_second(read.load(std::sync::atomic::Ordering::SeqCst)).expect("time"));
    (secs, clock)
}

pub async fn spawn_with_clock(db: TestDb, clock: Arc<dyn Fn() -> Timestamp + Send + Sync>) -> Option<TestApp> {
    let (store, _url) = scratch(db).await?;
    store
        .upsert_skills(&[("barista".into(), "Barista".into()), ("bookkeeping".into(), "Bookkeeping".into())])
        .await
        .expect("skills");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = slivers_server::AppState::with_clock(store.clone(), clock);
    let served = state.clone();
    tokio::spawn(async move { axum::serve(listener, slivers_server::app(served)).await });
    let mut app = TestApp { base, store, state, client: reqwest::Client::new(), operator: String::new() };
    app.operator = app.user("operator@test.example", Role::Operator, None, None).await;
    Some(app)
}

/// One hash for every test user: argon2id is deliberately slow.
static HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| auth::hash_password_blocking("test-password-123").expect("hash"));

impl TestApp {
    /// Create a user straight in the store and return a fresh API token.
    pub async fn user(&self, email: &str, role: Role, worker: Option<WorkerId>, business: Option<BusinessId>) -> String {
        let id = self
            .store
            .create_user(NewUser { email: email.into(), password_hash: HASH.clone(), role, worker_id: worker, business_id: business, now: Timestamp::now() })
            .await
            .expect("user");
        let token = auth::new_token().expect("token");
        self.store.create_token(id, &auth::token_hash(&token), "test", Timestamp::now()).await.expect("token");
        token
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}/api/v1{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn ok(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let (s, v) = self.call(method.clone(), path, Some(token), body).await;
        assert!(s.is_success(), "{method} {path} -> {s}: {v}");
        v
    }

    /// A business with one site in Leeds, and a member's token.
    pub async fn business(&self, name: &str) -> (i64, i64, String) {
        let b = self
            .ok(Method::POST, "/businesses", &self.operator, Some(json!({"name": name, "zone": "Europe/London", "currency": "GBP"})))
            .await;
        let id = b["id"].as_i64().expect("id");
        let site = self
            .ok(
                Method::POST,
                &format!("/businesses/{id}/sites"),
                &self.operator,
                Some(json!({"name": format!("{name} Leeds"), "zone": "Europe/London", "location": {"lat": 53.7997, "lon": -1.5492}})),
            )
            .await;
        let token = self.user(&format!("manager@{id}.{}.example", name.to_lowercase().replace(' ', "-")), Role::Business, None, Some(BusinessId(id))).await;
        (id, site["id"].as_i64().expect("site id"), token)
    }

    /// A worker in Leeds, available around the clock, with the given limits; and their token.
    pub async fn worker(&self, name: &str, limits: Value) -> (i64, String) {
        self.graded_worker(json!({
            "name": name,
            "zone": "Europe/London",
            "reach": {"mode": "travel", "home": {"lat": 53.80, "lon": -1.55}, "radius_km": 25},
            "min_rate": {"amount": "12.00", "currency": "GBP"},
            "limits": limits,
            "instant_book": true,
            "availability": {"weekly": every_day("00:00")},
            "skills": [{"skill": "barista", "claimed": 3, "evidence": [{"kind": "self_declared"}]}],
            "wanted_minutes_per_week": 1200
        }))
        .await
    }

    /// Create `profile` as the operator, grade its barista claim 3 (an
    /// assessment only the exchange records), and sign the worker up: id and token.
    async fn graded_worker(&self, profile: Value) -> (i64, String) {
        let w = self.ok(Method::POST, "/workers", &self.operator, Some(profile)).await;
        let id = w["id"].as_i64().expect("worker id");
        self.ok(Method::POST, &format!("/workers/{id}/assessments"), &self.operator, Some(json!({"skill": "barista", "level": 3}))).await;
        let name = w["name"].as_str().expect("name");
        let email = format!("{}-{id}@workers.example", name.to_lowercase().replace(' ', "-"));
        (id, self.user(&email, Role::Worker, Some(WorkerId(id)), None).await)
    }

    pub async fn shift(&self, token: &str, site: Option<i64>, start: Timestamp, minutes: i64, headcount: u32) -> i64 {
        let end = start.checked_add(minutes.minutes()).expect("end");
        let v = self
            .ok(
                Method::POST,
                "/shifts",
                token,
                Some(json!({
                    "site_id": site, "start": start, "end": end, "headcount": headcount,
                    "skills": [{"skill": "barista", "level": 2}],
                    "pay_rate": {"amount": "13.50", "currency": "GBP"},
                    "bill_rate": {"amount": "17.25", "currency": "GBP"}
                })),
            )
            .await;
        v["id"].as_i64().expect("shift id")
    }

    /// A worker with distinctive private values (see [`PRIVATE`]), graded
    /// barista 3 by the exchange; and their token.
    pub async fn private_worker(&self) -> (i64, String) {
        self.graded_worker(json!({
            "name": "Priya Private", "zone": "Europe/London",
            "reach": {"mode": "travel", "home": {"lat": 53.812345, "lon": -1.554321}, "radius_km": 25},
            "min_rate": {"amount": "12.37", "currency": "GBP"},
            "limits": {"max_minutes_per_day": 600, "max_minutes_per_week": 2437, "min_rest_minutes": 60, "min_notice_minutes": 0,
                       "blackouts": [{"weekday": "sunday", "start": "03:17", "end": "04:29"}]},
            "instant_book": true,
            "availability": {"weekly": every_day("06:11")},
            "skills": [{"skill": "barista", "claimed": 5, "evidence": [{"kind": "self_declared"}]}],
            "wanted_minutes_per_week": 1200
        }))
        .await
    }

    /// Row counts and the last event: equal before and after means nothing was written.
    pub async fn snapshot(&self) -> (Vec<(String, i64)>, i64) {
        (self.store.row_counts().await.expect("counts"), self.store.last_event_seq().await.expect("seq"))
    }
}

/// A weekly window on every day from `start` to midnight.
fn every_day(start: &str) -> Vec<Value> {
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .iter()
        .map(|d| json!({"weekday": d, "start": start, "end": "00:00"}))
        .collect()
}

/// Monday 00:00 in London of the ISO week after next: far enough ahead for any notice.
pub fn monday_after_next() -> Zoned {
    let now = Timestamp::now().in_tz("Europe/London").expect("zone");
    let mut d = now.date().checked_add(8.days()).expect("date");
    while d.weekday() != Weekday::Monday {
        d = d.tomorrow().expect("date");
    }
    d.to_zoned(now.time_zone().clone()).expect("midnight")
}

/// Values and keys of [`TestApp::private_worker`] that only the worker and operators may see: home, rate
/// floor, blackouts, availability, limits, and the score parts derived from them.
pub const PRIVATE: &[&str] = &[
    "53.812345", "-1.554321", "12.37", "03:17", "04:29", "06:11", "2437", "\"home\":", "\"min_rate\":", "\"blackouts\":", "\"limits\":",
    "\"availability\":", "\"max_minutes_per_week\":", "\"min_rest_minutes\":", "\"radius_km\":", "\"cost\":", "\"fairness\":", "distance_m",
];

/// The private markers found in `body`.
pub fn leaks(body: &str) -> Vec<&'static str> {
    PRIVATE.iter().copied().filter(|m| body.contains(m)).collect()
}
