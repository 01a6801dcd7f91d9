//! Realistic shift queries: mostly at a site near a city or town where the
//! skill is in demand, some remote; skills, levels and pay drawn from the
//! market itself so popularity and co-occurrence match the workers.

#![allow(clippy::float_arithmetic)]

use fastrand::Rng;
use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId, SiteId};
use slivers_core::rules::Mode;
use slivers_core::skills::{Level, SkillRequirement};
use slivers_core::worker::Worker;
use slivers_core::{Interval, Money};
use slivers_match::{Query, Weights};

use super::market::{item_rng, jitter, weighted, BenchMarket};

pub const LIMIT: usize = 50;
/// Share of queries at a site (the rest are remote), in percent.
const SITE_SHARE: u32 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    SiteOffer,
    SiteInstant,
    RemoteOffer,
    RemoteInstant,
}

impl Kind {
    pub fn of(q: &Query) -> Kind {
        match (q.shift.location.is_some(), q.mode) {
            (true, Mode::Instant) => Kind::SiteInstant,
            (true, _) => Kind::SiteOffer,
            (false, Mode::Instant) => Kind::RemoteInstant,
            (false, _) => Kind::RemoteOffer,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::SiteOffer => "site/offer",
            Kind::SiteInstant => "site/instant",
            Kind::RemoteOffer => "remote/offer",
            Kind::RemoteInstant => "remote/instant",
        }
    }
    pub const ALL: [Kind; 4] = [Kind::SiteOffer, Kind::SiteInstant, Kind::RemoteOffer, Kind::RemoteInstant];
}

/// The query plus where it came from, for the report.
pub struct BenchQuery {
    pub query: Query,
    pub anchor: Option<&'static str>,
}

pub fn generate(m: &BenchMarket, seed: u64, count: usize, horizon: Interval) -> Vec<BenchQuery> {
    let anchor_weights: Vec<f64> = m.anchor_workers.iter().map(|v| v.len() as f64).collect();
    (0..count)
        .map(|i| {
            let mut rng = item_rng(seed, 201, i as u64);
            loop {
                if let Some(q) = one(&mut rng, m, &anchor_weights, i, horizon) {
                    return q;
                }
            }
        })
        .collect()
}

fn one(rng: &mut Rng, m: &BenchMarket, anchor_weights: &[f64], i: usize, horizon: Interval) -> Option<BenchQuery> {
    let site = rng.u32(..100) < SITE_SHARE;
    let (template, location, zone, anchor): (&Worker, _, _, _) = if site {
        let a = weighted(rng, anchor_weights);
        let pool = &m.anchor_workers[a];
        if pool.is_empty() {
            return None;
        }
        let anchor = &m.anchors[a];
        let w = &m.workers[pool[rng.usize(..pool.len())] as usize];
        (w, Some(jitter(rng, anchor.point, anchor.site_radius_m)), anchor.zone.clone(), Some(anchor.name))
    } else {
        if m.remote_pool.is_empty() {
            return None;
        }
        let w = &m.workers[m.remote_pool[rng.usize(..m.remote_pool.len())] as usize];
        (w, None, w.zone.clone(), None)
    };
    // 1 to 3 skills the template worker has (for remote work, remote-capable ones):
    // popularity and co-occurrence follow the market.
    let mut pool: Vec<_> = template.skills.iter().filter(|c| site || m.remote_skills.contains(c.skill.as_str())).collect();
    if pool.is_empty() {
        return None;
    }
    rng.shuffle(&mut pool);
    let k = (1 + weighted(rng, &[55.0, 30.0, 15.0])).min(pool.len());
    let skills: Vec<SkillRequirement> = pool[..k]
        .iter()
        .map(|c| SkillRequirement { skill: c.skill.clone(), level: Level::new(1 + weighted(rng, &[45.0, 40.0, 15.0]) as u8).unwrap_or(Level::MIN) })
        .collect();
    // Pay around the going minimum for this kind of worker: 95% to 135% of the template's minimum.
    let currency = template.min_rate.currency;
    let step = if currency.as_str() == "INR" { Decimal::from(5) } else { Decimal::new(5, 2) };
    let factor = Decimal::from_f64(0.95 + 0.40 * rng.f64()).unwrap_or(Decimal::ONE);
    let mut pay = (template.min_rate.amount * factor / step).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * step;
    pay.rescale(2);
    let bill = (pay * Decimal::new(125, 2)).round_dp(2);
    // Local daytime start on a quarter-hour, 06:00 to 20:00, 3 to 8 hours long.
    let day = rng.i64(0..28);
    let date = zone.date(horizon.start).checked_add(jiff::Span::new().days(day)).ok()?;
    let q = rng.i32(24..=80);
    let start_local = Time::constant((q / 4) as i8, ((q % 4) * 15) as i8, 0, 0);
    let start: Timestamp = zone.resolve(date.to_datetime(start_local));
    let end = start + SignedDuration::from_mins(15 * i64::from(rng.i32(12..=32)));
    let window = Interval { start, end };
    if start < horizon.start + SignedDuration::from_mins(60) || !horizon.contains(&window) {
        return None;
    }
    let mode = if rng.bool() { Mode::Instant } else { Mode::Offer };
    let shift = Shift {
        id: ShiftId(i as i64 + 1),
        business_id: BusinessId(1),
        site_id: location.map(|_| SiteId(1)),
        location,
        zone,
        window,
        skills,
        headcount: 1,
        pay_rate: Money::new(pay, currency),
        bill_rate: Money::new(bill, currency),
        notes: String::new(),
        status: ShiftStatus::Open,
        onsite_before_remote: 0,
        site_labour: Default::default(),
    };
    Some(BenchQuery { query: Query { shift, mode, now: horizon.start, limit: LIMIT, weights: Weights::default() }, anchor })
}
