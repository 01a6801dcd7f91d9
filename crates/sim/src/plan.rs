//! The month's market before it runs: who is in it (the demo generator's
//! workers and businesses), what each business will post and when, and how
//! each business fills its shifts. Deterministic for a seed.
//!
//! Demand comes from the demo generator's shifts (sector start times and
//! lengths, fewer weekend shifts in sectors that close at weekends, busier
//! chains posting more). Each shift is given a posting time: most are posted
//! one to fourteen days ahead; `urgent_percent` of them one to six hours ahead.
//!
//! Businesses post for the people around them: `tailored_percent` of shifts
//! take their requirements from a worker who could reach them (one or two of
//! that worker's skills, at levels their evidence supports as loaded, never
//! above what the generator asked) and pay at least that worker's floor, so
//! demand looks like work the local market does. The rest keep the
//! generator's requirements, some of which nobody nearby can meet.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use rust_decimal::Decimal;
use slivers_core::geo::GeoPoint;
use slivers_core::skills::{Evidence, Level, SkillCode, SkillRequirement};
use slivers_core::worker::Reach;
use slivers_core::Money;
use slivers_demo::{DemoShift, DemoWorker, Market, MarketSpec};

use crate::behaviour::{rng, Behaviour};

/// Streams of draws for the plan (the behaviour model has its own).
const POSTING: u64 = 21;
const CHANNEL: u64 = 22;
const TAILOR: u64 = 23;
/// Workers looked at when choosing whom a shift is written for.
const TAILOR_SAMPLE: usize = 200;

/// How a business fills its shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Book the best candidate who takes instant bookings; offer waves for the rest.
    Instant,
    /// Offer waves from the moment the shift is posted.
    Waves,
    /// A weekly roster of next week's shifts; offer waves for what it leaves
    /// and for anything posted too late for it.
    Roster,
}

/// Shares of businesses per channel, in percent (they need not sum to 100: they are weights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mix {
    pub instant: u32,
    pub waves: u32,
    pub roster: u32,
}

impl Default for Mix {
    fn default() -> Self {
        Mix { instant: 40, waves: 40, roster: 20 }
    }
}

/// How businesses treat urgent places. The defaults are the measured best
/// (docs/SIMULATION.md, "Urgent places"); `UrgentPlaybook::AS_USUAL` is each
/// business filling an urgent place through its usual channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UrgentPlaybook {
    /// Book those who take instant bookings first, before any wave.
    pub instant_first: bool,
    /// Offers per wave for an urgent place (`None`: the usual wave size).
    pub wave_size: Option<u32>,
}

impl UrgentPlaybook {
    pub const AS_USUAL: UrgentPlaybook = UrgentPlaybook { instant_first: false, wave_size: None };
}

impl Default for UrgentPlaybook {
    fn default() -> Self {
        UrgentPlaybook { instant_first: true, wave_size: Some(25) }
    }
}

/// What to simulate.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    pub seed: u64,
    pub workers: usize,
    pub businesses: usize,
    /// Shifts starting within the simulated days (about; the generator draws start days at random).
    pub shifts: usize,
    pub days: u32,
    /// The first simulated instant; shifts start after it.
    pub start: Timestamp,
    pub urgent_percent: u32,
    /// Share of shifts written for someone in the local labour pool.
    pub tailored_percent: u32,
    pub mix: Mix,
    /// Offer waves: offers per wave and minutes between waves.
    pub wave_size: u32,
    pub wave_interval_minutes: u32,
    /// Whom each wave asks first (`None`: the business's default, the overall score).
    pub wave_order: Option<slivers_store::WaveOrder>,
    /// What a business does with an urgent place (its shift starts less than
    /// `slivers_outcomes::URGENT_MINUTES` away), whatever its channel.
    pub urgent: UrgentPlaybook,
    /// The fairness weight each weekly roster is proposed with (0: cost only).
    pub roster_fairness: f64,
    /// The optimizer's work per weekly roster: a fixed amount rather than
    /// seconds, so the month does not depend on the machine's speed or load.
    pub roster_effort: slivers_roster::Effort,
    /// How the exchange ranks candidates.
    pub weights: slivers_match::Weights,
    pub behaviour: Behaviour,
}

/// 2026-12-07T00:00:00Z, a Monday.
pub const DEFAULT_START: Timestamp = Timestamp::constant(1_796_601_600, 0);

impl Default for Spec {
    fn default() -> Self {
        Spec {
            seed: 1,
            workers: 5000,
            businesses: 300,
            shifts: 9000,
            days: 30,
            start: DEFAULT_START,
            urgent_percent: 10,
            tailored_percent: 90,
            mix: Mix::default(),
            wave_size: 5,
            wave_interval_minutes: 10,
            wave_order: None,
            urgent: UrgentPlaybook::default(),
            roster_fairness: 0.0,
            roster_effort: slivers_roster::Effort { nodes: 300, rounds: 10 },
            weights: slivers_match::Weights::default(),
            behaviour: Behaviour::default(),
        }
    }
}

impl Spec {
    /// The simulated period: shifts starting in it are measured.
    pub fn period(&self) -> slivers_core::Interval {
        slivers_core::Interval { start: self.start, end: self.start + SignedDuration::from_hours(24 * i64::from(self.days.max(1))) }
    }
}

/// One shift a business will post.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Index into the market's businesses.
    pub business: usize,
    pub shift: DemoShift,
    pub posted_at: Timestamp,
}

/// The market and its month of demand.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Workers and businesses with sites; no shifts (they are posted as the month runs).
    pub market: Market,
    /// Sorted by posting time.
    pub shifts: Vec<Planned>,
    /// One per business.
    pub channels: Vec<Channel>,
}

pub fn plan(spec: &Spec) -> Plan {
    let period = spec.period();
    let weeks = spec.days.max(1).div_ceil(7);
    // The generator spreads starts over whole weeks; ask for enough that
    // about `shifts` fall inside the period.
    let asked = spec.shifts * (weeks as usize * 7) / spec.days.max(1) as usize;
    let mut market = slivers_demo::generate(&MarketSpec {
        seed: spec.seed,
        workers: spec.workers,
        businesses: spec.businesses,
        shifts: asked,
        start: spec.start,
        weeks,
    });
    let weights = [spec.mix.instant, spec.mix.waves, spec.mix.roster];
    let channels = (0..market.businesses.len())
        .map(|i| {
            let total: u32 = weights.iter().sum();
            let mut roll = rng(spec.seed, CHANNEL, i as u64).u32(..total.max(1));
            let mut pick = Channel::Waves;
            for (w, c) in weights.iter().zip([Channel::Instant, Channel::Waves, Channel::Roster]) {
                if roll < *w {
                    pick = c;
                    break;
                }
                roll -= w;
            }
            pick
        })
        .collect();
    let mut shifts = Vec::new();
    let levels: Vec<Vec<(SkillCode, u8)>> = market.workers.iter().map(|w| loaded_levels(&w.worker)).collect();
    for (b, business) in market.businesses.iter_mut().enumerate() {
        for mut shift in std::mem::take(&mut business.shifts) {
            let start = shift.window.start;
            if start >= period.end {
                continue;
            }
            let item = shifts.len() as u64;
            let mut r = rng(spec.seed, POSTING, item);
            let lead_minutes = if r.u32(..100) < spec.urgent_percent {
                i64::from(r.u32(60..=360))
            } else {
                i64::from(r.u32(24 * 60..=14 * 24 * 60))
            };
            let posted_at = (start - SignedDuration::from_mins(lead_minutes)).max(spec.start);
            let mut t = rng(spec.seed, TAILOR, item);
            if t.u32(..100) < spec.tailored_percent {
                let site = business.site_of(&shift).map(|s| s.location);
                tailor(&mut shift, site, &market.workers, &levels, &mut t);
            }
            shifts.push(Planned { business: b, shift, posted_at });
        }
    }
    // Posting order; ties keep generation order, so the plan is stable.
    shifts.sort_by_key(|p| p.posted_at);
    Plan { market, shifts, channels }
}

/// Each claimed skill at the level its evidence supports once loaded: the
/// exchange-only evidence the generator made is dropped by the loader, except
/// assessments, which the exchange grades again.
fn loaded_levels(w: &slivers_core::worker::Worker) -> Vec<(SkillCode, u8)> {
    w.skills
        .iter()
        .map(|c| {
            let mut kept = c.clone();
            kept.evidence.retain(|e| !e.exchange_only() || matches!(e, Evidence::Assessment { .. }));
            (c.skill.clone(), kept.effective_level().get())
        })
        .collect()
}

/// Rewrite `shift` for a worker who could take it: one who reaches the site
/// (or works remotely, for remote work) and is paid in its currency.
fn tailor(shift: &mut DemoShift, site: Option<GeoPoint>, workers: &[DemoWorker], levels: &[Vec<(SkillCode, u8)>], r: &mut fastrand::Rng) {
    if workers.is_empty() {
        return;
    }
    let currency = shift.pay_rate.currency;
    let asked = shift.skills.first().map_or(1, |s| s.level.get());
    for _ in 0..TAILOR_SAMPLE {
        let i = r.usize(..workers.len());
        let w = &workers[i].worker;
        if w.min_rate.currency != currency || levels[i].is_empty() {
            continue;
        }
        let reaches = match (&w.reach, site) {
            (_, None) => true,
            (Reach::RemoteOnly, Some(_)) => false,
            (Reach::Travel { home, radius_km }, Some(at)) => home.distance_m(&at) <= i64::from(*radius_km) * 1000,
        };
        if !reaches {
            continue;
        }
        let mut skills = Vec::new();
        let first = r.usize(..levels[i].len());
        let mut picks = vec![first];
        if levels[i].len() > 1 && r.u32(..100) < 25 {
            picks.push((first + 1 + r.usize(..levels[i].len() - 1)) % levels[i].len());
        }
        for k in picks {
            let (code, level) = &levels[i][k];
            let level = (*level).min(asked).max(1);
            let level = Level::new(r.u8(1..=level)).unwrap_or(Level::MIN);
            skills.push(SkillRequirement { skill: code.clone(), level });
        }
        // At least the worker's floor, up to a quarter above it.
        let floor = w.min_rate.amount * Decimal::new(i64::from(100 + r.u32(0..=25)), 2);
        let pay = shift.pay_rate.amount.max(floor).round_dp(2);
        let margin = shift.bill_rate.amount.checked_div(shift.pay_rate.amount).unwrap_or(Decimal::new(125, 2));
        shift.skills = skills;
        shift.pay_rate = Money::new(pay, currency);
        shift.bill_rate = Money::new((pay * margin).round_dp(2), currency);
        return;
    }
}
