//! The machine and the process, read from /proc, and latency statistics.

#![allow(clippy::float_arithmetic)]

use std::time::Duration;

fn proc_field(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| l.strip_prefix(key).map(|v| v.trim().trim_start_matches(':').trim().to_string()))
}

/// A `kB` field of /proc/self/status or /proc/meminfo, in bytes.
fn kb(path: &str, key: &str) -> Option<u64> {
    proc_field(path, key)?.split_whitespace().next()?.parse::<u64>().ok().map(|k| k * 1024)
}

pub fn rss() -> u64 {
    kb("/proc/self/status", "VmRSS").unwrap_or(0)
}

pub fn hwm() -> u64 {
    kb("/proc/self/status", "VmHWM").unwrap_or(0)
}

pub fn mem_total() -> u64 {
    kb("/proc/meminfo", "MemTotal").unwrap_or(0)
}

pub fn cpu_model() -> String {
    proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into())
}

pub fn nproc() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn gib(b: u64) -> String {
    format!("{:.2} GiB", b as f64 / (1u64 << 30) as f64)
}

/// Latency summary over a set of samples.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub mean: Duration,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Stats {
        let mut v = samples.to_vec();
        v.sort_unstable();
        let n = v.len();
        let pick = |q: f64| -> Duration {
            if n == 0 {
                return Duration::ZERO;
            }
            // Nearest rank.
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            v[rank - 1]
        };
        let total: Duration = v.iter().sum();
        Stats {
            n,
            p50: pick(0.50),
            p90: pick(0.90),
            p99: pick(0.99),
            max: v.last().copied().unwrap_or_default(),
            mean: if n == 0 { Duration::ZERO } else { total / n as u32 },
        }
    }
}

/// A duration in the unit that reads best: µs below 10 ms, ms above.
pub fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 10_000.0 { format!("{us:.0} µs") } else { format!("{:.1} ms", us / 1000.0) }
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

/// The 1-minute load average: other work on the machine skews timings.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").ok().and_then(|s| s.split_whitespace().next().map(str::to_string)).unwrap_or_else(|| "?".into())
}
