//! The goals, each judged in the run that measured it: fill within
//! 2 % of the LP upper bound, 95 % of urgent shifts filled within 30
//! simulated minutes, hours fairness at least 20 % better than the greedy
//! baseline (spread and Gini, both stated), and no broken limit. The lines
//! go to the console and into the report's notes, formatted by the outcomes
//! crate's formatters so the two cannot disagree.
#![allow(clippy::float_arithmetic, reason = "ratios of rates for people to read")]

use slivers_outcomes::metrics::Metrics;
use slivers_outcomes::summary::{decimal3, percent};

use crate::bound::Bound;
use crate::simulate::Simulation;

/// Fill may fall at most this far (in percentage points of places) below the LP bound.
pub const FILL_GAP_POINTS: f64 = 2.0;
/// Share of urgent shifts that must be filled within 30 minutes.
pub const URGENT_QUICK_SHARE: f64 = 0.95;
/// Fairness must improve on the greedy baseline by at least this share.
pub const FAIRNESS_GAIN: f64 = 0.20;

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// (label, value) lines: each goal with its measured numbers and verdict, then what the run did.
pub fn lines(sim: &Simulation) -> Vec<(String, String)> {
    let m = &sim.metrics;
    let mut out = Vec::new();
    let rate = |b: &Bound| if b.places == 0 { None } else { Some(b.filled / b.places as f64) };
    if let Some(b) = &sim.bound {
        out.push((
            "LP upper bound, every eligible worker willing".into(),
            format!("{} ({} of {} places, {} components)", percent(rate(b)), format_places(b.filled), b.places, b.components),
        ));
    }
    if let Some(b) = &sim.bound_willing {
        let gap = rate(b).zip(m.fill.rate).map(|(b, f)| (b - f) * 100.0);
        out.push((
            "fill against the LP upper bound of willing workers".into(),
            format!(
                "{} filled, bound {} ({} of {} places): {} points below; goal ≤ {FILL_GAP_POINTS} points: {}",
                percent(m.fill.rate),
                percent(rate(b)),
                format_places(b.filled),
                b.places,
                gap.map_or("—".into(), |g| format!("{g:.1}")),
                verdict(gap.is_some_and(|g| g <= FILL_GAP_POINTS))
            ),
        ));
    }
    out.push((
        "hours fairness population".into(),
        format!("{} workers who want hours, of {} eligible for at least one shift this month", m.fairness.population, sim.eligible_workers),
    ));
    let quick = m.time_to_fill.within_30_share;
    out.push((
        "urgent shifts filled within 30 min".into(),
        format!(
            "{} of {} urgent shifts; goal ≥ {}: {} ({} of them had nobody eligible who would ever say yes; at most {} could be filled within 30 min by any way of choosing)",
            percent(quick),
            m.time_to_fill.urgent_shifts,
            percent(Some(URGENT_QUICK_SHARE)),
            verdict(quick.is_some_and(|q| q >= URGENT_QUICK_SHARE)),
            sim.urgent_without_anyone,
            percent((m.time_to_fill.urgent_shifts > 0).then(|| sim.urgent_quick_possible as f64 / m.time_to_fill.urgent_shifts as f64)),
        ),
    ));
    if let Some(g) = &sim.greedy {
        let gain = |ours: Option<f64>, theirs: Option<f64>| ours.zip(theirs).filter(|(_, t)| *t > 0.0).map(|(o, t)| 1.0 - o / t);
        let spread = gain(m.fairness.spread, g.fairness.spread);
        let gini = gain(m.fairness.gini, g.fairness.gini);
        let show = |x: Option<f64>| x.map_or("—".into(), |v| format!("{:.1}%", v * 100.0));
        out.push((
            "hours fairness against greedy first-come".into(),
            format!(
                "spread {} vs {} ({} better), Gini {} vs {} ({} better); goal ≥ 20% better (spread): {}",
                decimal3(m.fairness.spread),
                decimal3(g.fairness.spread),
                show(spread),
                decimal3(m.fairness.gini),
                decimal3(g.fairness.gini),
                show(gini),
                verdict(spread.is_some_and(|s| s >= FAIRNESS_GAIN))
            ),
        ));
        out.push(("greedy first-come baseline".into(), slivers_outcomes::metrics::summary_line(g)));
    }
    out.push((
        "limit violations (independent re-check)".into(),
        format!("{} of {} holding bookings; goal 0: {}", sim.violations.broken.len(), sim.violations.checked, verdict(sim.violations.broken.is_empty())),
    ));
    let c = &sim.run.counters;
    out.push((
        "what happened".into(),
        format!(
            "{} shifts posted; {} instant bookings; {} roster bookings in {} roster runs ({} not proven optimal); {} wave campaigns, {} offers ({} accepted, {} declined, {} unanswered before the start); {} worker cancellations; {} no-shows; {} checked out; {} ratings",
            c.shifts_posted, c.instant_booked, c.roster_booked, c.roster_runs, c.rosters_not_proven, c.waves_started, c.offers, c.offers_accepted, c.offers_declined, c.offers_unanswered, c.cancellations, c.no_shows, c.checked_out, c.ratings
        ),
    ));
    out.push((
        "seconds".into(),
        format!(
            "month {:.1}, re-check {:.1}, eligibility {:.1}, LP bounds {:.1}, greedy {:.1} ({} eligible pairs)",
            sim.seconds.month, sim.seconds.recheck, sim.seconds.eligibility, sim.seconds.bound, sim.seconds.greedy, sim.pairs
        ),
    ));
    out
}

fn format_places(x: f64) -> String {
    format!("{x:.1}")
}

/// The policy comparison table, one row per run.
pub fn table(rows: &[(String, Metrics)]) -> String {
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(6).max(6);
    let mut out = format!("{:<width$}  {:>7}  {:>7}  {:>8}  {:>7}  {:>6}  {:>9}\n", "policy", "fill", "urgent", "≤30 min", "spread", "Gini", "absorbed");
    for (label, m) in rows {
        out.push_str(&format!(
            "{:<width$}  {:>7}  {:>7}  {:>8}  {:>7}  {:>6}  {:>9}\n",
            label,
            percent(m.fill.rate),
            percent(m.urgent_fill.rate),
            percent(m.time_to_fill.within_30_share),
            decimal3(m.fairness.spread),
            decimal3(m.fairness.gini),
            slivers_outcomes::summary::absorbed(m)
        ));
    }
    out
}
