//! The clients of `slivers bench book`: each sends one request at a time
//! over its own keep-alive connection, for a fixed time, and keeps its own
//! tally (merged at the end, so the timed loop shares nothing but an atomic
//! cursor into the plan's valid pairs).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::plan::{Kind, Plan};

/// Unexpected answers kept for the report, per client.
const EXAMPLES: usize = 3;

/// What one kind of request got.
#[derive(Debug, Default, Clone)]
pub struct KindTally {
    pub sent: u64,
    /// Refused for the reason the kind was built for (valid: 201 or 409).
    pub as_expected: u64,
    /// Confirmed: for an invalid kind, a booking that must not exist.
    pub confirmed: u64,
}

/// Everything the clients saw.
#[derive(Debug, Default)]
pub struct Tally {
    /// Microseconds per request, from sending to the last byte of the answer.
    pub latency_us: Vec<u32>,
    pub confirmed_us: Vec<u32>,
    pub refused_us: Vec<u32>,
    pub by_status: BTreeMap<u16, u64>,
    /// Problem `type` of each non-2xx answer.
    pub by_type: BTreeMap<String, u64>,
    /// Every rule named in a refusal's `rules` (one refusal may name several).
    pub by_rule: BTreeMap<String, u64>,
    pub by_kind: BTreeMap<Kind, KindTally>,
    /// Requests that got no HTTP answer.
    pub transport_errors: u64,
    pub examples: Vec<String>,
    /// Time from the start until the last client stopped.
    pub elapsed: Duration,
    /// When the last unsent valid pair went out: from then on valid
    /// requests repeat pairs and meet `already_booked` or a full shift.
    pub pairs_ran_out: Option<Duration>,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.latency_us.extend(o.latency_us);
        self.confirmed_us.extend(o.confirmed_us);
        self.refused_us.extend(o.refused_us);
        for (k, v) in o.by_status {
            *self.by_status.entry(k).or_default() += v;
        }
        for (k, v) in o.by_type {
            *self.by_type.entry(k).or_default() += v;
        }
        for (k, v) in o.by_rule {
            *self.by_rule.entry(k).or_default() += v;
        }
        for (k, v) in o.by_kind {
            let t = self.by_kind.entry(k).or_default();
            t.sent += v.sent;
            t.as_expected += v.as_expected;
            t.confirmed += v.confirmed;
        }
        self.transport_errors += o.transport_errors;
        self.examples.extend(o.examples);
        self.pairs_ran_out = match (self.pairs_ran_out, o.pairs_ran_out) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    pub fn requests(&self) -> u64 {
        self.latency_us.len() as u64 + self.transport_errors
    }

    pub fn count(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Requests per second over the run.
    pub fn rate(&self, n: u64) -> f64 {
        n as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The part of an answer the tally reads; serde skips the rest (a refusal's
/// full verdict, a booking's fields) without building it.
#[derive(Deserialize, Default)]
struct Answer {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
}

pub struct Load {
    pub client: reqwest::Client,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    pub plan: Arc<Plan>,
    pub invalid_percent: u8,
}

/// A keep-alive client for `clients` concurrent requesters.
pub fn http_client(clients: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().pool_max_idle_per_host(clients).timeout(Duration::from_secs(60)).build()?)
}

/// `clients` requesters hitting `GET /healthz` for `seconds`: the same run's
/// no-work baseline (the health check is one `SELECT 1`).
pub async fn baseline(client: &reqwest::Client, origin: &str, clients: usize, seconds: f64) -> Tally {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, url, stop) = (client.clone(), format!("{origin}/healthz"), stop.clone());
            tokio::spawn(async move {
                let mut t = Tally::default();
                while !stop.load(Ordering::Relaxed) {
                    let t0 = Instant::now();
                    match client.get(&url).send().await {
                        Ok(res) => {
                            let status = res.status().as_u16();
                            let _ = res.bytes().await;
                            t.latency_us.push(micros(t0));
                            *t.by_status.entry(status).or_default() += 1;
                        }
                        Err(_) => t.transport_errors += 1,
                    }
                }
                t
            })
        })
        .collect();
    finish(tasks, stop, started, seconds).await
}

/// Sleep out the run, stop the clients, merge their tallies.
async fn finish(tasks: Vec<tokio::task::JoinHandle<Tally>>, stop: Arc<AtomicBool>, started: Instant, seconds: f64) -> Tally {
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Tally::default();
    for t in tasks {
        match t.await {
            Ok(t) => all.merge(t),
            Err(e) => all.examples.push(format!("a client task failed: {e}")),
        }
    }
    all.elapsed = started.elapsed();
    all
}

fn micros(t0: Instant) -> u32 {
    u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX)
}

impl Load {
    /// `clients` requesters booking for `seconds`.
    pub async fn run(self: Arc<Self>, clients: usize, seconds: f64, seed: u64) -> Tally {
        let stop = Arc::new(AtomicBool::new(false));
        let cursor = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|i| {
                let (load, stop, cursor) = (self.clone(), stop.clone(), cursor.clone());
                let rng = fastrand::Rng::with_seed(seed.wrapping_mul(1000).wrapping_add(i as u64));
                tokio::spawn(async move { load.client_loop(rng, &stop, &cursor, started).await })
            })
            .collect();
        finish(tasks, stop, started, seconds).await
    }

    async fn client_loop(&self, mut rng: fastrand::Rng, stop: &AtomicBool, cursor: &AtomicUsize, started: Instant) -> Tally {
        let mut t = Tally::default();
        // The client's latest confirmed pair: the next overlap request's anchor.
        let mut last: Option<(i64, i64)> = None;
        while !stop.load(Ordering::Relaxed) {
            let (kind, shift, worker, token, last_pair) = self.pick(&mut rng, cursor, last);
            if last_pair {
                t.pairs_ran_out = Some(started.elapsed());
            }
            let t0 = Instant::now();
            let sent = self
                .client
                .post(format!("{}/api/v1/shifts/{shift}/bookings", self.origin))
                .bearer_auth(&self.plan.tokens[token])
                .json(&serde_json::json!({"worker_id": worker, "mode": "instant"}))
                .send()
                .await;
            let (status, body) = match sent {
                Ok(res) => (res.status().as_u16(), res.bytes().await),
                Err(e) => {
                    t.transport_errors += 1;
                    if t.examples.len() < EXAMPLES {
                        t.examples.push(format!("{} shift {shift} worker {worker}: {e}", kind.name()));
                    }
                    continue;
                }
            };
            let us = micros(t0);
            let answer: Answer = body.ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
            t.latency_us.push(us);
            *t.by_status.entry(status).or_default() += 1;
            let expected = kind.as_expected(status, &answer.rules);
            if !expected && t.examples.len() < EXAMPLES {
                t.examples.push(format!("{} shift {shift} worker {worker}: {status} {:?} {:?}", kind.name(), answer.kind, answer.rules));
            }
            let k = t.by_kind.entry(kind).or_default();
            k.sent += 1;
            k.as_expected += u64::from(expected);
            if status == 201 {
                k.confirmed += 1;
                t.confirmed_us.push(us);
                last = Some((shift, worker));
            } else {
                t.refused_us.push(us);
                *t.by_type.entry(answer.kind.unwrap_or_else(|| "(no type)".into())).or_default() += 1;
                for r in answer.rules {
                    *t.by_rule.entry(r).or_default() += 1;
                }
            }
        }
        t
    }

    /// The next request: (kind, shift, worker, token index, whether it is
    /// the last valid pair not sent before).
    fn pick(&self, rng: &mut fastrand::Rng, cursor: &AtomicUsize, last: Option<(i64, i64)>) -> (Kind, i64, i64, usize, bool) {
        let p = &*self.plan;
        let token = |shift: i64| p.token_of[&shift];
        if rng.u8(0..100) < self.invalid_percent {
            match Kind::INVALID[rng.usize(0..Kind::INVALID.len())] {
                Kind::Overlap => {
                    let anchor = last.and_then(|(s, w)| Some((p.overlapping.get(&s).filter(|o| !o.is_empty())?, w)));
                    if let Some((others, w)) = anchor {
                        let s2 = others[rng.usize(0..others.len())];
                        return (Kind::Overlap, s2, w, token(s2), false);
                    }
                }
                Kind::Past if !p.past.is_empty() => {
                    let (s, w) = p.past[rng.usize(0..p.past.len())];
                    return (Kind::Past, s, w, token(s), false);
                }
                Kind::Foreign if !p.valid.is_empty() => {
                    let (s, w) = p.valid[rng.usize(0..p.valid.len())];
                    // Any business but the shift's own.
                    let other = (token(s) + 1 + rng.usize(0..p.tokens.len() - 1)) % p.tokens.len();
                    return (Kind::Foreign, s, w, other, false);
                }
                _ => {}
            }
            // Unavailable, and the fallback when a kind has nothing to send yet.
            if !p.unavailable.is_empty() {
                let (s, w) = p.unavailable[rng.usize(0..p.unavailable.len())];
                return (Kind::Unavailable, s, w, token(s), false);
            }
        }
        // Each pair once in the plan's random order; after a full pass the
        // pairs come round again and meet `already_booked` or a full shift.
        let n = cursor.fetch_add(1, Ordering::Relaxed);
        let (s, w) = p.valid[n % p.valid.len()];
        (Kind::Valid, s, w, token(s), n + 1 == p.valid.len())
    }
}

/// The server's own mean time to answer a booking request (until the
/// response head), from its `/metrics` histogram: the client's latency minus
/// this is the HTTP client, the loopback and the scheduler.
pub async fn server_mean_ms(client: &reqwest::Client, origin: &str) -> Option<f64> {
    let text = client.get(format!("{origin}/metrics")).send().await.ok()?.text().await.ok()?;
    let series = |name: &str| {
        let prefix = format!("{name}{{method=\"POST\",route=\"/api/v1/shifts/:id/bookings\"}} ");
        text.lines().find_map(|l| l.strip_prefix(&prefix)).and_then(|v| v.trim().parse::<f64>().ok())
    };
    let (sum, count) = (series("slivers_http_request_duration_seconds_sum")?, series("slivers_http_request_duration_seconds_count")?);
    (count > 0.0).then(|| sum / count * 1000.0)
}
