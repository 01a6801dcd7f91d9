//! Open market data: offered pay, fill rate, time to fill and demand by
//! skill and region, aggregated so that no business or worker can be
//! singled out.
//!
//! A **cell** is (skill, region, currency): region is the site's IANA zone or
//! `remote`; a shift with no required skill counts under `general`, a shift
//! with several skills counts in each. Cancelled shifts are left out. A cell
//! is published only when its shifts come from at least `k` distinct
//! businesses **and** at least `k` distinct workers filled them; otherwise it
//! is suppressed (left out entirely, and only counted), never rounded or
//! blurred. Inside a published cell a demand bucket (local weekday × hour of
//! the shift's start) is published only when it too draws on at least `k`
//! businesses. No totals across cells are published, so no suppressed cell
//! can be recovered by subtracting one published figure from another.
//!
//! Figures: pay per hour is one value per shift, as its median (p50), p25
//! and p75 by nearest rank, so each is a rate some shift really offered
//! (money stays decimal; no interpolation, no floats). The fill rate is
//! filled places over offered places, in percent to one decimal; a place is
//! filled by a booking that took it (confirmed, checked in, completed or a
//! no-show), at most the shift's headcount. Time to fill is the median
//! (nearest rank) of minutes from the shift's posting to each filling
//! booking's confirmation.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::Money;

/// The smallest crowd a published figure may draw on unless configured.
pub const DEFAULT_K: usize = 5;
/// The skill under which shifts that require none are counted.
pub const GENERAL: &str = "general";
/// The region of remote work.
pub const REMOTE: &str = "remote";

/// One booking that took a place on a shift.
#[derive(Debug, Clone)]
pub struct Fill {
    pub worker: i64,
    /// When the booking was confirmed.
    pub at: Timestamp,
}

/// One shift as the aggregation reads it.
#[derive(Debug, Clone)]
pub struct ShiftRecord {
    pub business: i64,
    /// Required skill codes; empty counts under [`GENERAL`].
    pub skills: Vec<String>,
    /// The site's IANA zone, or [`REMOTE`].
    pub region: String,
    pub pay_rate: Money,
    pub places: u32,
    pub posted_at: Option<Timestamp>,
    /// Monday = 0 … Sunday = 6, in the shift's own zone.
    pub weekday: u8,
    /// 0–23, in the shift's own zone.
    pub hour: u8,
    pub cancelled: bool,
    pub fills: Vec<Fill>,
}

/// Places demanded at one local weekday and hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Demand {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    pub hour: u8,
    pub places: u64,
}

/// One published cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cell {
    pub skill: String,
    pub region: String,
    pub currency: String,
    /// Distinct businesses and workers the cell draws on (each at least k).
    pub businesses: usize,
    pub workers: usize,
    pub shifts: usize,
    pub places: u64,
    pub pay_p25: Money,
    pub pay_median: Money,
    pub pay_p75: Money,
    /// Filled places over offered places, percent to one decimal.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "62.5"))]
    pub fill_rate_percent: Decimal,
    /// Median minutes from posting to confirmation; `None` when no posting time is known.
    pub time_to_fill_minutes: Option<i64>,
    /// Buckets drawing on at least k businesses; the rest are suppressed.
    pub demand: Vec<Demand>,
    pub demand_buckets_suppressed: usize,
}

/// Everything published, with how much was held back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketData {
    pub k: usize,
    pub cells: Vec<Cell>,
    /// Cells below k businesses or k workers: counted, never shown.
    pub cells_suppressed: usize,
}

/// Nearest rank (see [`crate::contact::nearest_rank`]) over any ordered values.
pub fn nearest_rank<T: Copy + Ord>(sorted: &[T], p: usize) -> Option<T> {
    let n = sorted.len();
    let rank = (p.clamp(1, 100) * n).div_ceil(100).max(1);
    sorted.get(rank.checked_sub(1)?).copied()
}

#[derive(Default)]
struct Acc {
    businesses: BTreeSet<i64>,
    workers: BTreeSet<i64>,
    rates: Vec<Decimal>,
    places: u64,
    filled: u64,
    waits: Vec<i64>,
    buckets: BTreeMap<(u8, u8), (u64, BTreeSet<i64>)>,
}

/// Aggregate `shifts` into cells, suppressing every cell and bucket below `k`
/// (a `k` of 0 is treated as 1: a figure always draws on someone).
pub fn aggregate(shifts: &[ShiftRecord], k: usize) -> MarketData {
    let k = k.max(1);
    let mut cells: BTreeMap<(String, String, String), Acc> = BTreeMap::new();
    for s in shifts.iter().filter(|s| !s.cancelled) {
        let skills: Vec<&str> = if s.skills.is_empty() { vec![GENERAL] } else { s.skills.iter().map(String::as_str).collect() };
        // Only the first `places` fills take a place; later ones are over the headcount.
        let mut fills: Vec<&Fill> = s.fills.iter().collect();
        fills.sort_by_key(|f| f.at);
        fills.truncate(usize::try_from(s.places).unwrap_or(usize::MAX));
        for skill in skills {
            let a = cells.entry((skill.to_string(), s.region.clone(), s.pay_rate.currency.as_str().to_string())).or_default();
            a.businesses.insert(s.business);
            a.rates.push(s.pay_rate.amount);
            a.places += u64::from(s.places);
            a.filled += fills.len() as u64;
            for f in &fills {
                a.workers.insert(f.worker);
                if let Some(p) = s.posted_at {
                    a.waits.push(p.duration_until(f.at).as_secs().max(0) / 60);
                }
            }
            let b = a.buckets.entry((s.weekday, s.hour)).or_default();
            b.0 += u64::from(s.places);
            b.1.insert(s.business);
        }
    }
    let mut out = MarketData { k, cells: Vec::new(), cells_suppressed: 0 };
    for ((skill, region, currency), mut a) in cells {
        if a.businesses.len() < k || a.workers.len() < k {
            out.cells_suppressed += 1;
            continue;
        }
        a.rates.sort();
        a.waits.sort_unstable();
        let cur = crate::Currency::parse(&currency).unwrap_or(crate::Currency::GBP);
        let money = |p: usize| Money::new(nearest_rank(&a.rates, p).unwrap_or_default(), cur);
        let fill = if a.places == 0 { Decimal::ZERO } else { (Decimal::from(a.filled) * Decimal::from(100) / Decimal::from(a.places)).round_dp(1) };
        let (mut demand, mut suppressed) = (Vec::new(), 0);
        for ((weekday, hour), (places, who)) in &a.buckets {
            if who.len() >= k {
                demand.push(Demand { weekday: *weekday, hour: *hour, places: *places });
            } else {
                suppressed += 1;
            }
        }
        out.cells.push(Cell {
            skill,
            region,
            currency,
            businesses: a.businesses.len(),
            workers: a.workers.len(),
            shifts: a.rates.len(),
            places: a.places,
            pay_p25: money(25),
            pay_median: money(50),
            pay_p75: money(75),
            fill_rate_percent: fill,
            time_to_fill_minutes: nearest_rank(&a.waits, 50),
            demand,
            demand_buckets_suppressed: suppressed,
        });
    }
    out
}

/// The published cells as CSV, one row per cell (demand is in the JSON).
pub fn to_csv(m: &MarketData) -> String {
    let mut out = String::from("skill,region,currency,businesses,workers,shifts,places,pay_p25,pay_median,pay_p75,fill_rate_percent,time_to_fill_minutes\n");
    for c in &m.cells {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            c.skill,
            c.region,
            c.currency,
            c.businesses,
            c.workers,
            c.shifts,
            c.places,
            c.pay_p25.amount,
            c.pay_median.amount,
            c.pay_p75.amount,
            c.fill_rate_percent,
            c.time_to_fill_minutes.map_or(String::new(), |m| m.to_string())
        ));
    }
    out
}
