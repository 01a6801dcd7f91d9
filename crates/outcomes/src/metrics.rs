//! [`measure`]: what a market delivered over a [`Record`]'s period, as plain
//! numbers — fill, time to fill for urgent shifts, hours fairness, earnings,
//! cancellations and no-shows. Pure and deterministic: every collection is
//! walked in a sorted order (never a hash map's), so the same record, in any
//! order, gives equal metrics down to the last bit of every float.

#![allow(
    clippy::float_arithmetic,
    reason = "rates and shares are ratios shown to people; every amount of money stays in rust_decimal"
)]

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::{Currency, Interval};

use crate::record::{BookingEnd, BookingRecord, Record, ShiftRecord};

pub use crate::summary::summary_line;

/// Wanted hours are per week; the period is measured in weeks of this many minutes.
pub const MINUTES_PER_WEEK: i64 = 7 * 24 * 60;
/// An urgent shift filled within this many minutes of posting counts as filled quickly.
pub const QUICK_FILL_MINUTES: i64 = 30;
/// Upper edges, in minutes, of the time-to-fill histogram's buckets `(previous, edge]`;
/// then one bucket above the last edge and one for shifts never filled.
pub const TIME_TO_FILL_EDGES: [i64; 7] = [5, 10, 15, QUICK_FILL_MINUTES, 60, 120, 240];
/// The Lorenz curve is downsampled to at most this many points, so a chart of
/// ten thousand workers stays small.
pub const LORENZ_MAX_POINTS: usize = 101;
/// The earnings histogram aims at about this many buckets of a round width.
const EARNINGS_BUCKETS: i64 = 8;

/// Everything [`measure`] reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub period: Interval,
    /// Every counted shift.
    pub fill: Fill,
    /// Counted shifts posted less than 12 h before they start.
    pub urgent_fill: Fill,
    /// Places and filled places of the shifts starting on each UTC day of the period.
    pub fill_by_day: Vec<DayFill>,
    pub time_to_fill: TimeToFill,
    pub fairness: Fairness,
    pub earnings: Earnings,
    pub cancellations: Cancellations,
}

/// How many places there were and how many were held when the shift started.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fill {
    pub shifts: u64,
    /// Σ headcount.
    pub places: u64,
    /// Σ per shift of min(headcount, bookings held at the start — worked or no-show).
    pub filled: u64,
    /// filled ÷ places; `None` when there were no places.
    pub rate: Option<f64>,
}

/// One day of the fill-over-time series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayFill {
    pub date: Date,
    pub places: u64,
    pub filled: u64,
}

impl DayFill {
    /// `None` on a day with no places, so a chart leaves a gap instead of drawing a false 0 %.
    pub fn rate(&self) -> Option<f64> {
        ratio(self.filled, self.places)
    }
}

/// How long urgent shifts took to fill, from posting to the moment every place was held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToFill {
    /// Urgent counted shifts with at least one place.
    pub urgent_shifts: u64,
    /// Of those, how many were fully held at some moment before they started.
    pub filled_before_start: u64,
    /// How many were fully held within [`QUICK_FILL_MINUTES`] of posting.
    pub within_30_minutes: u64,
    /// within_30_minutes ÷ urgent_shifts: a shift never filled counts against it.
    pub within_30_share: Option<f64>,
    /// Nearest-rank median of the whole minutes the filled ones took.
    pub median_minutes: Option<i64>,
    /// Nearest-rank 90th percentile of the same.
    pub p90_minutes: Option<i64>,
    /// One bucket per [`TIME_TO_FILL_EDGES`] entry, then "> last edge", then "never".
    pub histogram: Vec<Bucket>,
}

/// A histogram bar: its label (the range it covers) and how many fell in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub label: String,
    pub count: u64,
}

/// How evenly the hours went round, measured as each worker's share: minutes
/// worked ÷ minutes wanted over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fairness {
    /// Workers who want any hours at all.
    pub population: u64,
    pub mean_share: Option<f64>,
    /// Population standard deviation of the shares.
    pub spread: Option<f64>,
    /// Gini coefficient of the shares: 0 when everyone got the same share of what they wanted.
    pub gini: Option<f64>,
    /// From (0, 0) to (1, 1), workers sorted by ascending share; at most [`LORENZ_MAX_POINTS`].
    pub lorenz: Vec<LorenzPoint>,
}

/// A point of a Lorenz curve: the poorest `workers` fraction got `hours` of the total share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LorenzPoint {
    pub workers: f64,
    pub hours: f64,
}

/// What workers earned from bookings they worked, per currency (never added across currencies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Earnings {
    pub by_currency: BTreeMap<Currency, CurrencyEarnings>,
    /// For the currency with the most earning workers (the first code on a tie).
    pub histogram: Option<EarningsHistogram>,
}

/// Earnings in one currency, over the workers who earned more than zero in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrencyEarnings {
    pub workers_earning: u64,
    /// Nearest-rank percentiles of one worker's total.
    pub p10: Decimal,
    pub p50: Decimal,
    pub p90: Decimal,
    pub total: Decimal,
}

/// Earning workers counted in buckets `[lower, lower + width)` of a round width.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarningsHistogram {
    pub currency: Currency,
    pub bucket_width: Decimal,
    pub buckets: Vec<Bucket>,
}

/// Bookings that did not end in work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cancellations {
    pub by_worker: u64,
    /// Of those cancelled by workers, how many were on a shift that still had
    /// every place held when it started (someone else took the place).
    pub absorbed: u64,
    pub by_business: u64,
    pub no_shows: u64,
}

/// Measures the record: only shifts whose window starts in `[period.start, period.end)` count,
/// and only bookings on those shifts.
pub fn measure(r: &Record) -> Metrics {
    // Keyed by id so the walk order does not depend on the record's order; the first of a duplicated id wins.
    let mut shifts: BTreeMap<ShiftId, &ShiftRecord> = BTreeMap::new();
    for shift in r.shifts.iter().filter(|s| r.period.start <= s.window.start && s.window.start < r.period.end) {
        shifts.entry(shift.id).or_insert(shift);
    }
    let mut bookings: BTreeMap<ShiftId, Vec<&BookingRecord>> = BTreeMap::new();
    for booking in r.bookings.iter().filter(|b| shifts.contains_key(&b.shift_id)) {
        bookings.entry(booking.shift_id).or_default().push(booking);
    }
    let on = |id: ShiftId| bookings.get(&id).map_or(&[][..], Vec::as_slice);

    let (fill, urgent_fill, fill_by_day, cancellations) = fill_and_cancellations(&r.period, &shifts, &on);
    let time_to_fill = time_to_fill(shifts.values().copied().filter(|s| s.urgent()), &on);
    let worked: Vec<&BookingRecord> = bookings.values().flatten().copied().filter(|b| b.end == BookingEnd::Held).collect();
    Metrics {
        period: r.period,
        fill,
        urgent_fill,
        fill_by_day,
        time_to_fill,
        fairness: fairness(r, &worked),
        earnings: earnings(&worked),
        cancellations,
    }
}

/// Bookings that held a place when the shift started: worked, or held by a worker who did not come.
fn held_at_start(bookings: &[&BookingRecord]) -> u64 {
    bookings.iter().filter(|b| matches!(b.end, BookingEnd::Held | BookingEnd::NoShow)).count() as u64
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Fill {
    fn add(&mut self, places: u64, filled: u64) {
        self.shifts += 1;
        self.places += places;
        self.filled += filled;
        self.rate = ratio(self.filled, self.places);
    }
}

fn utc_date(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

fn fill_and_cancellations<'r>(
    period: &Interval,
    shifts: &BTreeMap<ShiftId, &ShiftRecord>,
    on: &impl Fn(ShiftId) -> &'r [&'r BookingRecord],
) -> (Fill, Fill, Vec<DayFill>, Cancellations) {
    let (mut all, mut urgent, mut cancellations) = (Fill::default(), Fill::default(), Cancellations::default());
    // Every day of the period is present, even without shifts, so series from different runs line up.
    let mut days: BTreeMap<Date, (u64, u64)> = BTreeMap::new();
    let last_day = utc_date(period.end.checked_sub(jiff::SignedDuration::from_nanos(1)).unwrap_or(period.end));
    let mut day = utc_date(period.start);
    while day <= last_day {
        days.insert(day, (0, 0));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    for shift in shifts.values() {
        let held = held_at_start(on(shift.id));
        let places = u64::from(shift.headcount);
        let filled = held.min(places);
        all.add(places, filled);
        if shift.urgent() {
            urgent.add(places, filled);
        }
        let entry = days.entry(utc_date(shift.window.start)).or_insert((0, 0));
        entry.0 += places;
        entry.1 += filled;
        for booking in on(shift.id) {
            match booking.end {
                BookingEnd::CancelledByWorker { .. } => {
                    cancellations.by_worker += 1;
                    if held >= places {
                        cancellations.absorbed += 1;
                    }
                }
                BookingEnd::CancelledByBusiness { .. } => cancellations.by_business += 1,
                BookingEnd::NoShow => cancellations.no_shows += 1,
                BookingEnd::Held => {}
            }
        }
    }
    let by_day = days.into_iter().map(|(date, (places, filled))| DayFill { date, places, filled }).collect();
    (all, urgent, by_day, cancellations)
}

/// Seconds from posting until the first moment at or before the start when
/// every place was held; `None` if that never happened.
pub fn seconds_to_fill(shift: &ShiftRecord, bookings: &[&BookingRecord]) -> Option<i64> {
    let needed = i64::from(shift.headcount);
    // +1 when a booking starts holding, −1 when it is released. Sorting puts a
    // release before a confirmation at the same instant, so a swap at one
    // instant never counts as both held at once.
    let mut events: Vec<(Timestamp, i64)> = Vec::with_capacity(bookings.len() * 2);
    for booking in bookings {
        match booking.end.released_at() {
            Some(at) if at <= booking.confirmed_at => continue,
            Some(at) => events.push((at, -1)),
            None => {}
        }
        events.push((booking.confirmed_at, 1));
    }
    events.sort();
    let mut holding = 0;
    for (at, delta) in events {
        if at > shift.window.start {
            break;
        }
        holding += delta;
        if holding >= needed {
            return Some(at.duration_since(shift.posted_at).as_secs().max(0));
        }
    }
    None
}

/// The label of each time-to-fill bucket in minutes, in order (the same for every run, so runs compare).
pub fn time_to_fill_labels() -> Vec<String> {
    let mut labels = Vec::with_capacity(TIME_TO_FILL_EDGES.len() + 2);
    let mut lower = 0;
    for edge in TIME_TO_FILL_EDGES {
        labels.push(format!("{lower}–{edge}"));
        lower = edge;
    }
    labels.push(format!("> {lower}"));
    labels.push("never".to_string());
    labels
}

fn time_to_fill<'r>(urgent: impl Iterator<Item = &'r ShiftRecord>, on: &impl Fn(ShiftId) -> &'r [&'r BookingRecord]) -> TimeToFill {
    let mut counts = vec![0_u64; TIME_TO_FILL_EDGES.len() + 2];
    let never = counts.len() - 1;
    let (mut shifts, mut within) = (0_u64, 0_u64);
    let mut filled_minutes: Vec<i64> = Vec::new();
    // A shift with no places has nothing to fill; it would only flatter the numbers.
    for shift in urgent.filter(|s| s.headcount > 0) {
        shifts += 1;
        let Some(seconds) = seconds_to_fill(shift, on(shift.id)) else {
            counts[never] += 1;
            continue;
        };
        if seconds <= QUICK_FILL_MINUTES * 60 {
            within += 1;
        }
        // Buckets are (lower, edge], matching "within 30 minutes" above.
        let bucket = TIME_TO_FILL_EDGES.iter().position(|edge| seconds <= edge * 60).unwrap_or(TIME_TO_FILL_EDGES.len());
        counts[bucket] += 1;
        filled_minutes.push(seconds.div_euclid(60));
    }
    filled_minutes.sort_unstable();
    TimeToFill {
        urgent_shifts: shifts,
        filled_before_start: filled_minutes.len() as u64,
        within_30_minutes: within,
        within_30_share: ratio(within, shifts),
        median_minutes: nearest_rank(&filled_minutes, 50).copied(),
        p90_minutes: nearest_rank(&filled_minutes, 90).copied(),
        histogram: time_to_fill_labels().into_iter().zip(counts).map(|(label, count)| Bucket { label, count }).collect(),
    }
}

/// The nearest-rank `percent`th percentile of ascending `sorted`: the value at rank ⌈percent × n / 100⌉.
pub fn nearest_rank<T>(sorted: &[T], percent: usize) -> Option<&T> {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1)
}

/// Minutes worked ÷ minutes wanted over the period, for one worker.
/// The period's weeks are the exact fraction `period minutes / 10080`, so the
/// division happens once, on integers.
pub fn hours_share(worked_minutes: i64, wanted_minutes_per_week: u32, period_minutes: i64) -> f64 {
    let wanted = i128::from(wanted_minutes_per_week) * i128::from(period_minutes);
    if wanted <= 0 {
        return 0.0;
    }
    (i128::from(worked_minutes) * i128::from(MINUTES_PER_WEEK)) as f64 / wanted as f64
}

fn fairness(r: &Record, worked: &[&BookingRecord]) -> Fairness {
    let mut worked_minutes: BTreeMap<WorkerId, i64> = BTreeMap::new();
    for booking in worked {
        *worked_minutes.entry(booking.worker_id).or_default() += booking.minutes;
    }
    let mut wanted: BTreeMap<WorkerId, u32> = BTreeMap::new();
    for worker in r.workers.iter().filter(|w| w.wanted_minutes_per_week > 0) {
        wanted.entry(worker.id).or_insert(worker.wanted_minutes_per_week);
    }
    let period_minutes = r.period.minutes();
    let mut shares: Vec<f64> = wanted
        .iter()
        .map(|(id, per_week)| hours_share(worked_minutes.get(id).copied().unwrap_or(0), *per_week, period_minutes))
        .collect();
    shares.sort_by(f64::total_cmp);
    share_statistics(&shares)
}

/// Mean, spread, Gini and Lorenz curve of ascending `shares`.
pub fn share_statistics(sorted: &[f64]) -> Fairness {
    let population = sorted.len() as u64;
    if sorted.is_empty() {
        return Fairness { population, mean_share: None, spread: None, gini: None, lorenz: Vec::new() };
    }
    let n = sorted.len() as f64;
    let total: f64 = sorted.iter().sum();
    let mean = total / n;
    let spread = (sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
    // G = 2 Σ i·x_i / (n Σ x) − (n + 1) / n, with i from 1 over ascending x.
    let gini = if total > 0.0 {
        let weighted: f64 = sorted.iter().enumerate().map(|(i, x)| (i + 1) as f64 * x).sum();
        (2.0 * weighted / (n * total) - (n + 1.0) / n).max(0.0)
    } else {
        0.0
    };
    Fairness { population, mean_share: Some(mean), spread: Some(spread), gini: Some(gini), lorenz: lorenz_curve(sorted, total) }
}

fn lorenz_curve(sorted: &[f64], total: f64) -> Vec<LorenzPoint> {
    let n = sorted.len();
    let mut cumulative = Vec::with_capacity(n + 1);
    cumulative.push(0.0);
    let mut running = 0.0;
    for x in sorted {
        running += x;
        cumulative.push(running);
    }
    let point = |k: usize| LorenzPoint {
        workers: k as f64 / n as f64,
        // Nobody got anything: everyone got the same, which is the diagonal.
        hours: if total > 0.0 { cumulative[k] / total } else { k as f64 / n as f64 },
    };
    if n < LORENZ_MAX_POINTS {
        return (0..=n).map(point).collect();
    }
    // Downsample to points that lie exactly on the curve, always keeping both ends.
    let steps = LORENZ_MAX_POINTS - 1;
    let mut ks: Vec<usize> = (0..=steps).map(|j| (j * n + steps / 2) / steps).collect();
    ks.dedup();
    ks.into_iter().map(point).collect()
}

fn earnings(worked: &[&BookingRecord]) -> Earnings {
    let mut per_worker: BTreeMap<(Currency, WorkerId), Decimal> = BTreeMap::new();
    for booking in worked {
        *per_worker.entry((booking.pay.currency, booking.worker_id)).or_default() += booking.pay.amount;
    }
    let mut amounts: BTreeMap<Currency, (Vec<Decimal>, Decimal)> = BTreeMap::new();
    for ((currency, _), amount) in per_worker {
        let entry = amounts.entry(currency).or_default();
        entry.1 += amount;
        if amount > Decimal::ZERO {
            entry.0.push(amount);
        }
    }
    let mut by_currency = BTreeMap::new();
    let mut widest: Option<(Currency, Vec<Decimal>)> = None;
    for (currency, (mut earners, total)) in amounts {
        earners.sort_unstable();
        let at = |percent| nearest_rank(&earners, percent).copied().unwrap_or(Decimal::ZERO);
        by_currency.insert(
            currency,
            CurrencyEarnings { workers_earning: earners.len() as u64, p10: at(10), p50: at(50), p90: at(90), total },
        );
        // Strictly more, so a tie keeps the first currency code.
        if !earners.is_empty() && widest.as_ref().is_none_or(|(_, best)| earners.len() > best.len()) {
            widest = Some((currency, earners));
        }
    }
    let histogram = widest.map(|(currency, earners)| earnings_histogram(currency, &earners));
    Earnings { by_currency, histogram }
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that is at least `at_least`.
fn round_width(at_least: Decimal) -> Decimal {
    let mut base = Decimal::ONE;
    loop {
        for multiple in [1, 2, 5] {
            let width = base * Decimal::from(multiple);
            if width >= at_least {
                return width;
            }
        }
        match base.checked_mul(Decimal::TEN) {
            Some(next) => base = next,
            None => return at_least.ceil().max(Decimal::ONE),
        }
    }
}

fn earnings_histogram(currency: Currency, ascending: &[Decimal]) -> EarningsHistogram {
    let max = ascending.last().copied().unwrap_or(Decimal::ZERO);
    let width = round_width(max / Decimal::from(EARNINGS_BUCKETS));
    let bucket_of = |amount: Decimal| (amount / width).floor().to_usize().unwrap_or(0);
    let mut counts = vec![0_u64; bucket_of(max) + 1];
    for amount in ascending {
        if let Some(count) = counts.get_mut(bucket_of(*amount)) {
            *count += 1;
        }
    }
    let buckets = counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| {
            let lower = width * Decimal::from(i as u64);
            Bucket { label: format!("{}–{}", lower.normalize(), (lower + width).normalize()), count }
        })
        .collect();
    EarningsHistogram { currency, bucket_width: width, buckets }
}
