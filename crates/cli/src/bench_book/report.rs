//! The report of `slivers bench book`: a text summary, one JSON line for
//! BENCHMARKS.md, and the defects that make the command fail.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use slivers_exchange::recheck::Recheck;

use super::load::Tally;
use super::plan::Kind;

/// The goals: bookings per second by database, and the tail.
const GOAL_SQLITE: f64 = 2000.0;
const GOAL_POSTGRES: f64 = 1500.0;
const GOAL_P99_MS: f64 = 25.0;

pub struct Report {
    pub db: &'static str,
    pub clients: usize,
    pub seconds: f64,
    pub invalid_percent: u8,
    pub seed: u64,
    pub market: String,
    /// Plausibly valid pairs in the plan.
    pub valid_pairs: usize,
    pub market_sizes: (usize, usize, usize),
    pub baseline: Tally,
    pub tally: Tally,
    /// Booking rows the run left in the database, and how many hold time.
    pub rows_made: u64,
    pub holding: u64,
    pub recheck: Recheck,
    /// /proc/loadavg before the baseline and after the run, where there is one.
    pub load_before: Option<String>,
    pub load_after: Option<String>,
    /// The server's mean time per booking request, from its /metrics.
    pub server_mean_ms: Option<f64>,
    /// CPU seconds the server and the generator used during the booking run.
    pub cpu: (Option<f64>, Option<f64>),
}

/// Nearest-rank percentile in milliseconds; 0 for no samples.
fn pct(samples: &[u32], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut v = samples.to_vec();
    v.sort_unstable();
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    f64::from(v[rank.min(v.len()) - 1]) / 1000.0
}

fn mean_ms(samples: &[u32]) -> f64 {
    samples.iter().map(|&u| f64::from(u)).sum::<f64>() / samples.len().max(1) as f64 / 1000.0
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// User plus system CPU seconds of a process so far, from /proc (Linux).
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on (glibc's sysconf(_SC_CLK_TCK)).
    Some(ticks / 100.0)
}

/// Read the load average: on a shared machine it says what else was running.
pub fn loadavg() -> Option<String> {
    std::fs::read_to_string("/proc/loadavg").ok().map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

impl Report {
    fn goal(&self) -> f64 {
        if self.db == "postgres" {
            GOAL_POSTGRES
        } else {
            GOAL_SQLITE
        }
    }

    fn rps(&self) -> f64 {
        self.tally.rate(self.tally.requests())
    }

    fn confirmed_ps(&self) -> f64 {
        self.tally.rate(self.tally.count(201))
    }

    fn baseline_rps(&self) -> f64 {
        self.baseline.rate(self.baseline.requests())
    }

    fn ratio(&self) -> f64 {
        self.rps() / self.baseline_rps().max(1e-9)
    }

    fn invalid_confirmed(&self) -> u64 {
        self.tally.by_kind.iter().filter(|(k, _)| **k != Kind::Valid).map(|(_, t)| t.confirmed).sum()
    }

    /// What makes the run fail: a broken limit, a booking that must not
    /// exist, a disagreement between the answers and the database, a server
    /// error, or a request refused for another reason than it was built for.
    pub fn defects(&self) -> Vec<String> {
        let mut d = Vec::new();
        if !self.recheck.broken.is_empty() {
            d.push(format!("{} broken limits in the final database", self.recheck.broken.len()));
        }
        if self.invalid_confirmed() > 0 {
            d.push(format!("{} deliberately invalid requests were confirmed", self.invalid_confirmed()));
        }
        if self.tally.count(201) != self.rows_made || self.rows_made != self.holding {
            d.push(format!(
                "the clients were told of {} confirmed bookings; the run left {} booking rows, {} holding time",
                self.tally.count(201),
                self.rows_made,
                self.holding
            ));
        }
        let errors: u64 = self.tally.by_status.range(500..).map(|(_, n)| n).sum::<u64>() + self.tally.transport_errors;
        if errors > 0 {
            d.push(format!("{errors} booking requests got a server error or no answer"));
        }
        let baseline_bad = self.baseline.requests() - self.baseline.count(200);
        if baseline_bad > 0 {
            d.push(format!("{baseline_bad} /healthz requests did not get 200"));
        }
        for (k, t) in &self.tally.by_kind {
            if t.as_expected < t.sent {
                d.push(format!("{} of {} `{}` requests did not get {}", t.sent - t.as_expected, t.sent, k.name(), k.expected()));
            }
        }
        d
    }

    pub fn text(&self) -> String {
        let b = &self.baseline;
        let t = &self.tally;
        let met = |ok: bool| if ok { "met" } else { "NOT met" };
        let mut s = format!(
            "slivers bench book: {} ({} cores), {} clients, {} s (baseline {:.1} s), {} % invalid, seed {}\n\
             market: {}\n\
             server: a child `slivers serve` on loopback; load average before {}, after {}\n\
             baseline GET /healthz: {} requests, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms\n\
             bookings POST /api/v1/shifts/{{id}}/bookings: {} requests in {:.1} s, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms\n\
             \x20 confirmed: {} ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms\n\
             \x20 refused:   {} ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms\n\
             ratio booking req/s ÷ baseline req/s: {:.3}\n",
            self.db,
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            self.clients,
            self.seconds,
            b.elapsed.as_secs_f64(),
            self.invalid_percent,
            self.seed,
            self.market,
            self.load_before.as_deref().unwrap_or("?"),
            self.load_after.as_deref().unwrap_or("?"),
            b.requests(),
            self.baseline_rps(),
            pct(&b.latency_us, 50.0),
            pct(&b.latency_us, 99.0),
            t.requests(),
            t.elapsed.as_secs_f64(),
            self.rps(),
            pct(&t.latency_us, 50.0),
            pct(&t.latency_us, 99.0),
            pct(&t.latency_us, 100.0),
            t.count(201),
            self.confirmed_ps(),
            pct(&t.confirmed_us, 50.0),
            pct(&t.confirmed_us, 99.0),
            t.refused_us.len(),
            t.rate(t.refused_us.len() as u64),
            pct(&t.refused_us, 50.0),
            pct(&t.refused_us, 99.0),
            self.ratio(),
        );
        if let Some(ms) = self.server_mean_ms {
            s += &format!("  server-side mean (its /metrics, until the response head): {ms:.2} ms; client-side mean {:.2} ms\n", mean_ms(&t.latency_us));
        }
        if let (Some(server), Some(generator)) = self.cpu {
            let secs = t.elapsed.as_secs_f64();
            s += &format!(
                "  CPU during the run: server {server:.1} s ({:.0} % of one core), generator {generator:.1} s ({:.0} %), of {:.0} core-seconds\n",
                server / secs * 100.0,
                generator / secs * 100.0,
                secs * std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
            );
        }
        match t.pairs_ran_out {
            Some(at) => {
                s += &format!(
                    "  the {} valid pairs ran out after {:.1} s: later valid requests repeat pairs (already_booked, headcount); a larger market (--workers, --shifts) keeps the run booking\n",
                    self.tally.by_kind.get(&Kind::Valid).map_or(0, |k| k.sent.min(self.valid_pairs as u64)),
                    at.as_secs_f64()
                )
            }
            None => s += &format!("  valid pairs sent once each; the plan had {}\n", self.valid_pairs),
        }
        let list = |m: &BTreeMap<String, u64>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        s += &format!("answers by status: {}\n", t.by_status.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
        s += &format!("refusals by problem type: {}\n", list(&t.by_type));
        s += &format!("refusals by rule (a refusal may name several): {}\n", list(&t.by_rule));
        for (k, kt) in &t.by_kind {
            s += &format!("  {:<12} sent {:>7}, as expected ({}) {:>7}, confirmed {}\n", k.name(), kt.sent, k.expected(), kt.as_expected, kt.confirmed);
        }
        if t.transport_errors > 0 {
            s += &format!("no answer: {}\n", t.transport_errors);
        }
        for e in t.examples.iter().take(10) {
            s += &format!("  unexpected: {e}\n");
        }
        s += &format!(
            "re-check over the final database: {} bookings made in the run, {} holding; {} re-checked against all the worker's others, {} shifts' headcount; broken limits: {}\n",
            self.rows_made,
            self.holding,
            self.recheck.checked,
            self.recheck.shifts,
            self.recheck.broken.len()
        );
        for line in self.recheck.broken.iter().take(10) {
            s += &format!("  {line}\n");
        }
        s += &format!(
            "goals: ≥ {:.0} booking requests/s {} ({:.0}); ≥ {:.0} confirmed/s {} ({:.0}); p99 ≤ {GOAL_P99_MS} ms {} ({:.2} ms); 0 broken limits {}",
            self.goal(),
            met(self.rps() >= self.goal()),
            self.rps(),
            self.goal(),
            met(self.confirmed_ps() >= self.goal()),
            self.confirmed_ps(),
            met(pct(&t.latency_us, 99.0) <= GOAL_P99_MS),
            pct(&t.latency_us, 99.0),
            met(self.recheck.broken.is_empty()),
        );
        s
    }

    /// One line for BENCHMARKS.md and for tests.
    pub fn json(&self) -> String {
        let b = &self.baseline;
        let t = &self.tally;
        let kinds: serde_json::Map<String, Value> =
            t.by_kind.iter().map(|(k, v)| (k.name().to_string(), json!({"sent": v.sent, "as_expected": v.as_expected, "confirmed": v.confirmed}))).collect();
        let ms = |v: &[u32], p| round(pct(v, p), 3);
        json!({
            "bench": "book",
            "date": jiff::Timestamp::now().to_string().get(..10),
            "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
            "load_before": self.load_before,
            "load_after": self.load_after,
            "db": self.db,
            "clients": self.clients,
            "seconds": self.seconds,
            "invalid_percent": self.invalid_percent,
            "seed": self.seed,
            "market": {"workers": self.market_sizes.0, "businesses": self.market_sizes.1, "shifts": self.market_sizes.2},
            "baseline": {"requests": b.requests(), "rps": round(self.baseline_rps(), 1), "p50_ms": ms(&b.latency_us, 50.0), "p99_ms": ms(&b.latency_us, 99.0)},
            "bookings": {
                "requests": t.requests(), "rps": round(self.rps(), 1), "confirmed": t.count(201), "confirmed_per_s": round(self.confirmed_ps(), 1),
                "p50_ms": ms(&t.latency_us, 50.0), "p99_ms": ms(&t.latency_us, 99.0), "max_ms": ms(&t.latency_us, 100.0),
                "confirmed_p50_ms": ms(&t.confirmed_us, 50.0), "confirmed_p99_ms": ms(&t.confirmed_us, 99.0),
                "refused_p50_ms": ms(&t.refused_us, 50.0), "refused_p99_ms": ms(&t.refused_us, 99.0),
            },
            "ratio": round(self.ratio(), 4),
            "server_mean_ms": self.server_mean_ms.map(|m| round(m, 3)),
            "cpu_s": {"server": self.cpu.0.map(|c| round(c, 2)), "generator": self.cpu.1.map(|c| round(c, 2))},
            "valid_pairs": self.valid_pairs,
            "pairs_ran_out_s": t.pairs_ran_out.map(|d| round(d.as_secs_f64(), 2)),
            "status": t.by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "types": t.by_type,
            "rules": t.by_rule,
            "kinds": kinds,
            "no_answer": t.transport_errors,
            "recheck": {"bookings_made": self.rows_made, "holding": self.holding, "checked": self.recheck.checked, "shifts": self.recheck.shifts, "broken": self.recheck.broken.len()},
            "defects": self.defects(),
        })
        .to_string()
    }
}
