//! Helpers for tests that run the real `slivers` binary: a scratch database
//! loaded by `slivers demo`, `slivers serve` started on a fixed address (so
//! it can be killed and started again where clients expect it), readiness
//! through `/healthz`, and a thin JSON client.

#![allow(dead_code)]

pub mod ledger;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A database for the test: a SQLite file in a fresh directory, or a fresh
/// PostgreSQL schema; `None` (with a note printed) when PostgreSQL is not set up.
pub async fn scratch_db(postgres: bool) -> Option<String> {
    if !postgres {
        return Some(slivers_store::testing::sqlite_url());
    }
    let Some(base) = slivers_store::testing::postgres_url() else {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
        return None;
    };
    Some(slivers_store::testing::postgres_scratch_url(&base).await.expect("scratch schema"))
}

/// Tokens of the demo market's operator and first business (business 1).
pub struct DemoTokens {
    pub operator: String,
    pub business: String,
    pub business_id: i64,
}

/// `slivers demo --json` with a small market: it makes the logins and tokens.
pub fn demo(db: &str) -> DemoTokens {
    let out = Command::new(env!("CARGO_BIN_EXE_slivers"))
        .args(["demo", "--db", db, "--workers", "60", "--businesses", "2", "--shifts", "20", "--json"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run slivers demo");
    assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("demo tokens");
    let text = |p: &str| v.pointer(p).and_then(Value::as_str).unwrap_or_else(|| panic!("demo output lacks {p}")).to_string();
    DemoTokens {
        operator: text("/operator/token"),
        business: text("/business/token"),
        business_id: v.pointer("/business/business_id").and_then(Value::as_i64).expect("business id"),
    }
}

pub fn free_addr() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port");
    format!("127.0.0.1:{port}")
}

/// A running `slivers serve`; dropping it kills the process.
pub struct Server(pub Child);

impl Server {
    pub fn start(db: &str, addr: &str) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_slivers"))
            .args(["serve", "--db", db, "--addr", addr])
            .env("RUST_LOG", "error")
            .env_remove("SLIVERS_FAILPOINT")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn slivers serve");
        Server(child)
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no destructor, no flush,
    /// no graceful shutdown; then reap it so its port is free again.
    pub fn kill9(mut self) {
        self.0.kill().expect("SIGKILL slivers serve");
        self.0.wait().expect("reap slivers serve");
    }

    /// Wait until `/healthz` answers 200; fails if the process exits first.
    pub async fn wait_ready(&mut self, client: &reqwest::Client, addr: &str) {
        let url = format!("http://{addr}/healthz");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if client.get(&url).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Some(status) = self.0.try_wait().expect("poll slivers serve") {
                panic!("slivers serve exited before it was ready: {status}");
            }
            assert!(Instant::now() < deadline, "slivers serve at {addr} did not become ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A request that must succeed: its JSON body.
pub async fn ok(client: &reqwest::Client, method: reqwest::Method, url: &str, token: &str, body: Option<Value>) -> Value {
    let mut req = client.request(method.clone(), url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    assert!(status.is_success(), "{method} {url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e}): {text}"))
}
