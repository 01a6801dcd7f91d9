//! Small random helpers. Only `u32`/`i64` draws are used (never `usize`), so
//! a seed gives the same market on 32- and 64-bit targets.

use fastrand::Rng;
use rust_decimal::{Decimal, RoundingStrategy};
use slivers_core::geo::GeoPoint;

use crate::data::City;

/// Streams, so workers, businesses and shifts draw from independent sequences.
pub(crate) const WORKERS: u64 = 1;
pub(crate) const BUSINESSES: u64 = 2;
pub(crate) const SHIFTS: u64 = 3;

/// A generator for item `index` of `stream`: items are independent of each
/// other, so the first 100 workers are the same whether 100 or 100,000 are made.
pub(crate) fn item_rng(seed: u64, stream: u64, index: u64) -> Rng {
    let mut x = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = splitmix(x ^ splitmix(index));
    Rng::with_seed(x)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform index below `n` (which must be at least 1).
pub(crate) fn index(rng: &mut Rng, n: usize) -> usize {
    let n = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    rng.u32(..n) as usize
}

pub(crate) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[index(rng, items.len())]
}

/// An index drawn with the given relative weights (at least one must be non-zero).
pub(crate) fn weighted(rng: &mut Rng, weights: &[u32]) -> usize {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let mut r = rng.u64(..total.max(1));
    for (i, &w) in weights.iter().enumerate() {
        if r < u64::from(w) {
            return i;
        }
        r -= u64::from(w);
    }
    weights.len().saturating_sub(1)
}

/// True with probability `percent` / 100.
pub(crate) fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(..100) < percent
}

/// A multiple of `step` in `lo..=hi`.
pub(crate) fn stepped(rng: &mut Rng, lo: u32, hi: u32, step: u32) -> u32 {
    lo + step * rng.u32(0..=(hi.saturating_sub(lo)) / step)
}

/// A point within `max_m` metres of the city centre, denser towards the middle.
/// The offset is drawn in whole metres; the only floating point is one
/// division per coordinate, which IEEE 754 makes identical on every platform.
#[allow(clippy::float_arithmetic)] // geography is the one place floats belong
pub(crate) fn near(rng: &mut Rng, city: &City, max_m: i64) -> GeoPoint {
    let r = rng.i64(1..=max_m.max(1));
    let (dx, dy) = loop {
        let dx = rng.i64(-r..=r);
        let dy = rng.i64(-r..=r);
        if dx * dx + dy * dy <= r * r {
            break (dx, dy);
        }
    };
    GeoPoint { lat: city.lat + dy as f64 / 111_200.0, lon: city.lon + dx as f64 / (city.km_per_deg_lon * 1000.0) }
}

/// `minor` units (cents) × `percent_a`/100 × `percent_b`/100, rounded to the nearest
/// `step_minor` (half away from zero), shown with two decimal places.
pub(crate) fn money(minor: i64, percent_a: u32, percent_b: u32, step_minor: i64) -> Decimal {
    let raw = Decimal::new(minor, 2) * Decimal::new(i64::from(percent_a), 2) * Decimal::new(i64::from(percent_b), 2);
    round_to_step(raw, step_minor)
}

pub(crate) fn round_to_step(raw: Decimal, step_minor: i64) -> Decimal {
    let step = Decimal::new(step_minor.max(1), 2);
    let mut v = (raw / step).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * step;
    v.rescale(2);
    v
}

/// Pay plus a `margin_percent` margin, rounded half away from zero to cents.
pub(crate) fn with_margin(pay: Decimal, margin_percent: u32) -> Decimal {
    let mut v = (pay * Decimal::new(i64::from(100 + margin_percent), 2))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(2);
    v
}

/// The rounding step for rates in a currency, in minor units: 5 rupees, 5 cents elsewhere.
pub(crate) fn pay_step(currency: &str) -> i64 {
    if currency == "INR" { 500 } else { 5 }
}

/// Workers state minimum rates in coarser steps: 10 rupees, 25 cents elsewhere.
pub(crate) fn min_rate_step(currency: &str) -> i64 {
    if currency == "INR" { 1000 } else { 25 }
}
