//! A real HTTP endpoint for tests that must prove webhooks were delivered
//! and correctly signed: Python's threaded `http.server` on 127.0.0.1 that
//! checks every POST with the `standardwebhooks` package (the reference
//! implementation of the Standard Webhooks spec), so signatures are judged
//! by someone else's code, not ours. It logs each request and answers with
//! the status a [`Plan`] says, to exercise retries and gone endpoints.
//!
//! The server script is `webhook_receiver.py` next to this file. Include
//! with `#[path = ".../support/webhook_receiver.rs"] mod webhook_receiver;`
//! next to `#[path = ".../support/pytools.rs"] mod pytools;` (it uses
//! `super::pytools`); the including crate needs `serde_json`.
#![allow(dead_code)] // each test crate uses a different part

use super::pytools;

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SCRIPT: &str = include_str!("webhook_receiver.py");

/// How long startup may take before the test fails (~0.1 s when idle).
const STARTUP: Duration = Duration::from_secs(30);

/// What the receiver answers. Every POST counts, verified or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// 200 to everything.
    Ok,
    /// 500 to the first n requests, then 200.
    FailFirst(u32),
    /// This status to everything (e.g. 410 Gone, 500).
    Always(u16),
}

impl Plan {
    fn arg(self) -> String {
        match self {
            Plan::Ok => "ok".into(),
            Plan::FailFirst(n) => format!("fail_first:{n}"),
            Plan::Always(status) => {
                assert!((100..600).contains(&status), "not an HTTP status: {status}");
                format!("always:{status}")
            }
        }
    }
}

/// One request as the receiver logged it.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The `webhook-id` header.
    pub id: Option<String>,
    /// The `webhook-timestamp` header, as sent (seconds since the epoch).
    pub timestamp: Option<String>,
    /// The `webhook-signature` header, as sent.
    pub signature: Option<String>,
    /// Whether `standardwebhooks.Webhook(secret).verify(body, headers)`
    /// accepted it (signature, required headers, timestamp within 5 min).
    pub verified: bool,
    /// Why verification failed, e.g. `No matching signature found`,
    /// `Message timestamp too old`, `Missing required headers`.
    pub error: Option<String>,
    /// The body parsed as JSON, or a JSON string of the text if it is not.
    pub body: serde_json::Value,
    /// The body as text (lossy UTF-8).
    pub raw: String,
    /// When the receiver got it, ms since the epoch (receiver's clock).
    pub received_at_ms: i64,
    /// The status the receiver answered.
    pub status: u16,
    /// The request path (with query).
    pub path: String,
    /// All request headers in order, names as sent.
    pub headers: Vec<(String, String)>,
}

impl Delivery {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A running receiver; killed (and its log removed) on drop.
pub struct WebhookReceiver {
    port: u16,
    secret: String,
    dir: PathBuf,
    child: Child,
    /// Held open: the script exits when it closes (test process gone).
    stdin: Option<ChildStdin>,
}

impl WebhookReceiver {
    /// Starts a receiver verifying with `secret` (`whsec_` + base64) and
    /// answering per `plan`; returns once it accepts connections.
    pub fn start(secret: &str, plan: Plan) -> WebhookReceiver {
        let dir = fresh_dir();
        let log_path = dir.join("server.log");
        let log = File::create(&log_path).unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let log2 = log.try_clone().unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let port_file = dir.join("port");
        let mut child = pytools::python()
            .args(["-c", SCRIPT, secret, &plan.arg()])
            .arg(dir.join("deliveries.jsonl"))
            .arg(&port_file)
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3: {e}"));
        let stdin = child.stdin.take();
        let mut receiver = WebhookReceiver { port: 0, secret: secret.to_string(), dir, child, stdin };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = receiver.child.try_wait() {
                panic!("webhook receiver exited ({status}) before listening; its output:\n{}", receiver.log());
            }
            if let Some(port) = std::fs::read_to_string(&port_file).ok().and_then(|p| p.trim().parse().ok()) {
                receiver.port = port;
                if TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_secs(1)).is_ok() {
                    return receiver;
                }
            }
            assert!(started.elapsed() < STARTUP, "webhook receiver not listening after {STARTUP:?}; its output:\n{}", receiver.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Where to send webhooks: `http://127.0.0.1:PORT/hook`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The secret it verifies with.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Every request so far, in the order the receiver logged them.
    pub fn deliveries(&self) -> Vec<Delivery> {
        let text = std::fs::read_to_string(self.dir.join("deliveries.jsonl")).unwrap_or_default();
        // Only whole lines: a line is written in one go, but be safe.
        let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
        whole
            .lines()
            .map(|line| delivery(&serde_json::from_str(line).unwrap_or_else(|e| panic!("bad log line ({e}): {line}"))))
            .collect()
    }

    /// Waits (polling) until at least `n` requests have arrived and returns
    /// them all; panics with what did arrive if `timeout` passes first.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        let started = Instant::now();
        loop {
            let got = self.deliveries();
            if got.len() >= n {
                return got;
            }
            if started.elapsed() >= timeout {
                panic!("waited {timeout:?} for {n} webhook(s) at {}; {} arrived: {got:#?}\nreceiver output:\n{}", self.url(), got.len(), self.log());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The server's stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        self.stdin.take();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

fn delivery(v: &serde_json::Value) -> Delivery {
    let opt = |key: &str| v[key].as_str().map(str::to_string);
    Delivery {
        id: opt("id"),
        timestamp: opt("timestamp"),
        signature: opt("signature"),
        verified: v["verified"].as_bool().unwrap_or(false),
        error: opt("error"),
        body: v["body"].clone(),
        raw: opt("raw").unwrap_or_default(),
        received_at_ms: v["received_at_ms"].as_i64().unwrap_or_default(),
        status: v["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or_default(),
        path: opt("path").unwrap_or_default(),
        headers: v["headers"]
            .as_array()
            .map(|a| a.iter().map(|pair| (pair[0].as_str().unwrap_or_default().to_string(), pair[1].as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default(),
    }
}

/// A new empty directory under the system temp dir.
fn fresh_dir() -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("slivers-webhooks-{}-{nanos}-{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}
