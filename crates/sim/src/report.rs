//! What a simulation shows: the console lines (the one-line summary, then each
//! goal with its numbers, then what happened) and the HTML report built from
//! the same lines and metrics, so the page and the console cannot disagree.

use sha2::Digest;
use slivers_outcomes::metrics::Metrics;

use crate::goals;
use crate::simulate::Simulation;

/// A short fingerprint of the metrics: runs with equal metrics print equal digests.
pub fn digest(m: &Metrics) -> String {
    let json = serde_json::to_vec(m).unwrap_or_default();
    sha2::Sha256::digest(&json).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The console: the summary line first, then one indented line per goal and fact.
pub fn console(sim: &Simulation) -> Vec<String> {
    let mut out = vec![slivers_outcomes::summary_line(&sim.metrics)];
    out.extend(goals::lines(sim).into_iter().map(|(label, value)| format!("  {label}: {value}")));
    out.push(format!("  metrics digest {}", digest(&sim.metrics)));
    out
}

/// The HTML report: the outcomes page with the greedy baseline as a
/// reference column and series, and the goal lines as notes.
pub fn html(sim: &Simulation) -> String {
    let mut references = Vec::new();
    if let Some(g) = &sim.greedy {
        references.push(("greedy first-come", g));
    }
    let mut notes = goals::lines(sim);
    notes.push(("metrics digest".into(), digest(&sim.metrics)));
    let s = &sim.spec;
    slivers_outcomes::html(
        &format!("A simulated month: {} workers, {} businesses, seed {}", s.workers, s.businesses, s.seed),
        &slivers_outcomes::ReportInput { main: ("simulated exchange", &sim.metrics), references, notes },
    )
}
