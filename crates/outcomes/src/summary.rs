//! The words and numbers people read: one formatter per kind of number, used by
//! the console's one-line summary, the report's table and the charts alike, so
//! the same number can never be printed two ways.

#![allow(clippy::float_arithmetic, reason = "rates are shown as percentages; money is formatted from rust_decimal")]

use rust_decimal::{Decimal, RoundingStrategy};
use slivers_core::Currency;

use crate::metrics::Metrics;

/// Shown where a number has no meaning (a rate over zero places, a median of nothing).
pub const NOT_APPLICABLE: &str = "—";

/// A rate as a percentage with one decimal, e.g. `92.3%`.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| NOT_APPLICABLE.to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// A share, spread or Gini coefficient with three decimals, e.g. `0.214`.
pub fn decimal3(value: Option<f64>) -> String {
    value.map_or_else(|| NOT_APPLICABLE.to_string(), |v| format!("{v:.3}"))
}

/// Whole minutes, e.g. `12 min`.
pub fn minutes(value: Option<i64>) -> String {
    value.map_or_else(|| NOT_APPLICABLE.to_string(), |m| format!("{m} min"))
}

/// Money to the cent (half away from zero), e.g. `GBP 1234.50`.
pub fn money(amount: Decimal, currency: Currency) -> String {
    format!("{currency} {:.2}", amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Worker cancellations that others covered, out of all worker cancellations, e.g. `3/4`.
pub fn absorbed(m: &Metrics) -> String {
    format!("{}/{}", m.cancellations.absorbed, m.cancellations.by_worker)
}

/// One console line with the headline numbers, formatted exactly as the report's table shows them.
pub fn summary_line(m: &Metrics) -> String {
    format!(
        "fill {} · urgent fill {} · urgent filled ≤{} min {} · hours spread {} · Gini {} · worker cancellations absorbed {} · no-shows {}",
        percent(m.fill.rate),
        percent(m.urgent_fill.rate),
        crate::metrics::QUICK_FILL_MINUTES,
        percent(m.time_to_fill.within_30_share),
        decimal3(m.fairness.spread),
        decimal3(m.fairness.gini),
        absorbed(m),
        m.cancellations.no_shows,
    )
}

/// The report's table, as (measure, value) rows in reading order; one row
/// group per currency earned in.
pub fn headline_rows(m: &Metrics) -> Vec<(String, String)> {
    let row = |label: &str, value: String| (label.to_string(), value);
    let (fill, urgent, ttf, fair, cancel) = (&m.fill, &m.urgent_fill, &m.time_to_fill, &m.fairness, &m.cancellations);
    let mut rows = vec![
        row("Shifts", fill.shifts.to_string()),
        row("Places", fill.places.to_string()),
        row("Places filled", fill.filled.to_string()),
        row("Fill rate", percent(fill.rate)),
        row("Urgent shifts (posted < 12 h ahead)", urgent.shifts.to_string()),
        row("Urgent places", urgent.places.to_string()),
        row("Urgent places filled", urgent.filled.to_string()),
        row("Urgent fill rate", percent(urgent.rate)),
        (format!("Urgent shifts filled within {} min", crate::metrics::QUICK_FILL_MINUTES), percent(ttf.within_30_share)),
        row("Urgent shifts never filled before start", (ttf.urgent_shifts - ttf.filled_before_start).to_string()),
        row("Time to fill, median", minutes(ttf.median_minutes)),
        row("Time to fill, 90th percentile", minutes(ttf.p90_minutes)),
        row("Workers wanting hours", fair.population.to_string()),
        row("Hours share (worked ÷ wanted), mean", decimal3(fair.mean_share)),
        row("Hours share, spread (standard deviation)", decimal3(fair.spread)),
        row("Hours share, Gini", decimal3(fair.gini)),
    ];
    for (currency, e) in &m.earnings.by_currency {
        rows.push((format!("Workers earning ({currency})"), e.workers_earning.to_string()));
        rows.push((format!("Earnings per worker p10 / p50 / p90 ({currency})"), format!("{} / {} / {}", money(e.p10, *currency), money(e.p50, *currency), money(e.p90, *currency))));
        rows.push((format!("Earnings total ({currency})"), money(e.total, *currency)));
    }
    rows.extend([
        row("Cancelled by workers", cancel.by_worker.to_string()),
        row("Worker cancellations absorbed", absorbed(m)),
        row("Cancelled by businesses", cancel.by_business.to_string()),
        row("No-shows", cancel.no_shows.to_string()),
    ]);
    rows
}
