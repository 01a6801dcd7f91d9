//! Dense random markets for the index's property tests: workers moved next
//! to a business's sites, in its currency, with the skills its shifts need
//! and availability around some of them, so most (shift, worker) pairs are
//! close calls rather than far-apart strangers.

use fastrand::Rng;
use rust_decimal::Decimal;
use slivers_core::availability::DatedWindow;
use slivers_core::geo::GeoPoint;
use slivers_core::skills::{Evidence, Level, SkillClaim};
use slivers_core::worker::Reach;
use slivers_core::Money;
use slivers_demo::Market;
use jiff::SignedDuration;

/// Make the market dense: every worker lives near a site of one business,
/// asks for its currency a little below its pay, claims the skills its shifts
/// need (at random levels) and is often available around one of its shifts.
pub fn densify(market: &mut Market, rng: &mut Rng) {
    let businesses: Vec<_> = market.businesses.iter().filter(|b| !b.shifts.is_empty()).cloned().collect();
    assert!(!businesses.is_empty());
    for dw in &mut market.workers {
        let original = dw.worker.clone();
        let w = &mut dw.worker;
        // Busier businesses get more workers, so most pairs share a business.
        let total: usize = businesses.iter().map(|b| b.shifts.len()).sum();
        let mut pick = rng.usize(..total);
        let b = businesses.iter().find(|b| pick < b.shifts.len() || { pick -= b.shifts.len(); false }).unwrap();
        let site = &b.sites[rng.usize(..b.sites.len())];

        let keep_remote = matches!(w.reach, Reach::RemoteOnly) && rng.bool();
        if !keep_remote {
            let home = GeoPoint {
                lat: site.location.lat + (rng.f64() - 0.5) * 0.08,
                lon: site.location.lon + (rng.f64() - 0.5) * 0.12,
            };
            let radius_km = if rng.u32(0..10) == 0 {
                // On the edge: the whole-km distance to one of the business's sites, or one more.
                let other = &b.sites[rng.usize(..b.sites.len())];
                let km = home.distance_m(&other.location) / 1000 + rng.i64(0..=1);
                u32::try_from(km).unwrap_or(1000).min(1000)
            } else {
                rng.u32(10..=40)
            };
            w.reach = Reach::Travel { home, radius_km };
        }
        if rng.u32(0..10) < 7 && w.availability.validate(&site.zone).is_ok() {
            w.zone = site.zone.clone();
        }

        // Usually at or below the business's lowest pay; sometimes above one of its shifts.
        let lowest = b.shifts.iter().map(|s| s.pay_rate.amount).min().unwrap_or_default();
        let (base, percent) = match rng.u32(0..10) {
            0 => (b.shifts[rng.usize(..b.shifts.len())].pay_rate.amount, rng.u32(95..=120)),
            1 => (lowest, 100),
            _ => (lowest, rng.u32(60..=99)),
        };
        w.min_rate = Money::new((base * Decimal::from(percent) / Decimal::from(100)).round_dp(2), b.currency);
        w.instant_book = rng.u32(0..10) < 7;

        // Room for a long shift on most days.
        if rng.u32(0..10) < 7 {
            w.limits.max_minutes_per_day = w.limits.max_minutes_per_day.max(30 * rng.u32(16..=24));
            w.limits.max_minutes_per_week = w.limits.max_minutes_per_week.max(2 * w.limits.max_minutes_per_day);
        }

        // The skills the business's shifts need, mostly at or above the level asked.
        for s in &b.shifts {
            for req in &s.skills {
                let level = if rng.u32(0..4) == 0 { rng.u8(1..=5) } else { rng.u8(req.level.get()..=5) };
                let claim = claim_at(req.skill.clone(), level);
                match w.skills.iter_mut().find(|c| c.skill == req.skill) {
                    Some(c) => *c = claim,
                    None => w.skills.push(claim),
                }
            }
        }

        // Available around a few of its shifts, sometimes exactly to the minute.
        for _ in 0..rng.usize(0..=3) {
            let s = &b.shifts[rng.usize(..b.shifts.len())];
            let before = SignedDuration::from_mins(15 * rng.i64(0..=6));
            let after = SignedDuration::from_mins(15 * rng.i64(0..=6));
            let window = DatedWindow { start: w.zone.civil(s.window.start - before), end: w.zone.civil(s.window.end + after) };
            if window.resolve(&w.zone).is_ok() {
                w.availability.dated.push(window);
            }
        }

        if let Err(e) = w.validate() {
            panic!("densify made an invalid worker ({e}) from {original:?}:\n{w:?}");
        }
    }
}

pub fn claim_at(skill: slivers_core::skills::SkillCode, level: u8) -> SkillClaim {
    let level = Level::new(level).unwrap();
    SkillClaim { skill, claimed: level, evidence: vec![Evidence::assessment(level)] }
}
