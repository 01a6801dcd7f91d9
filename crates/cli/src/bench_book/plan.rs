//! What the clients of `slivers bench book` send, decided before the clock
//! starts so the timed loop does no planning: (shift, worker) pairs that the
//! matching index says would be confirmed now, and deliberate invalid
//! requests of four kinds, each built so the server must refuse it for a
//! known reason (which the report then checks).

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use jiff::{SignedDuration, Timestamp};
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::BusinessId;
use slivers_core::rules::{Mode, Rule};
use slivers_core::skills::{Level, SkillCode, SkillRequirement};
use slivers_core::{Interval, Money};
use slivers_match::{Query, Weights};
use slivers_store::{Actor, BookingFilter, NewShift, Page, Scope, ShiftFilter, Store};

/// Instant candidates asked of the index per shift. More than any headcount,
/// so most shifts fill and later pairs meet the natural refusals
/// (`headcount`, `rest`, caps) a busy market gives.
const CANDIDATES_PER_SHIFT: usize = 50;
/// Offer-mode candidates per shift examined for an "unavailable" pair.
const UNAVAILABLE_TRIES: usize = 50;
/// Businesses that get a shift which has already started, for the past kind.
const PAST_SHIFT_BUSINESSES: usize = 3;

/// Why a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A pair the index would confirm at planning time; others may take the
    /// place first, so any answer but a server error is legitimate.
    Valid,
    /// An instant booking outside the worker's declared availability (the
    /// only rule the pair fails at planning), on a shift no valid pair
    /// fills: 409 naming `availability`.
    Unavailable,
    /// The worker on a shift overlapping one this client just booked them
    /// on (again a shift no valid pair fills): 409 naming `overlap`.
    Overlap,
    /// A shift that started an hour ago (the plan posts a few, with room):
    /// 409 naming `notice`.
    Past,
    /// A valid pair sent with another business's token: 404, the shift is
    /// not theirs to see.
    Foreign,
}

impl Kind {
    pub const INVALID: [Kind; 4] = [Kind::Unavailable, Kind::Overlap, Kind::Past, Kind::Foreign];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::Unavailable => "unavailable",
            Kind::Overlap => "overlap",
            Kind::Past => "past",
            Kind::Foreign => "foreign",
        }
    }

    /// The answer this kind must get, in words for the report.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Valid => "201, or a 409 when the market moved",
            Kind::Unavailable => "409 availability",
            Kind::Overlap => "409 overlap",
            Kind::Past => "409 notice",
            Kind::Foreign => "404",
        }
    }

    /// Did the answer refuse for the reason this kind was built for?
    pub fn as_expected(self, status: u16, rules: &[String]) -> bool {
        let names = |r: &str| status == 409 && rules.iter().any(|x| x == r);
        match self {
            Kind::Valid => status == 201 || status == 409,
            Kind::Unavailable => names("availability"),
            Kind::Overlap => names("overlap"),
            Kind::Past => names("notice"),
            Kind::Foreign => status == 404,
        }
    }
}

/// Everything the clients draw from.
pub struct Plan {
    /// One token per demo business; `token_of` maps a shift to its business's.
    pub tokens: Vec<String>,
    pub token_of: HashMap<i64, usize>,
    /// Plausibly valid (shift, worker) pairs in a seeded random order.
    pub valid: Vec<(i64, i64)>,
    pub unavailable: Vec<(i64, i64)>,
    pub past: Vec<(i64, i64)>,
    /// For each shift of a valid pair, the shifts no valid pair fills that overlap it.
    pub overlapping: HashMap<i64, Vec<i64>>,
    pub businesses: usize,
    pub shifts: usize,
    pub workers: usize,
}

impl Plan {
    /// Tokens, then the matching index built from the store as `slivers serve`
    /// builds it, then the pairs.
    pub async fn build(store: &dyn Store, rng: &mut fastrand::Rng) -> Result<Plan> {
        let mut tokens = Vec::new();
        let mut token_of_business: HashMap<BusinessId, usize> = HashMap::new();
        for n in 1.. {
            let Some((token, business)) = crate::demo::business_token(store, n).await? else {
                break;
            };
            token_of_business.insert(business, tokens.len());
            tokens.push(token);
        }
        if tokens.len() < 2 {
            bail!("the market needs at least two businesses with logins (one client's shift is another's foreign shift)");
        }
        let now = Timestamp::now();
        let mut past = Vec::new();
        let mut businesses: Vec<BusinessId> = token_of_business.keys().copied().collect();
        businesses.sort();
        for business in businesses.into_iter().take(PAST_SHIFT_BUSINESSES) {
            past.push(past_shift(store, business, now).await?);
        }
        let shifts = store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await?;
        // Room left on each shift before the run: the booking write checks
        // headcount before any rule, so a deliberate refusal must aim at a
        // shift that nobody fills, or the answer would be `headcount`.
        let mut held: HashMap<i64, u32> = HashMap::new();
        for b in store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await? {
            if b.status.holds_time() {
                *held.entry(b.shift_id.0).or_default() += 1;
            }
        }
        let index = slivers_exchange::build_from_store(store, now).await.context("building the matching index")?;
        let workers = index.len();

        let mut token_of = HashMap::new();
        let mut valid = Vec::new();
        let mut unavailable = Vec::new();
        // Open future shifts with room that no valid pair will fill.
        let mut unfilled = Vec::new();
        let mut future = Vec::new();
        for s in &shifts {
            let Some(&t) = token_of_business.get(&s.business_id) else {
                continue;
            };
            token_of.insert(s.id.0, t);
            if s.window.start <= now || s.status != ShiftStatus::Open {
                continue;
            }
            future.push(s);
            let q = |mode, limit| Query { shift: s.clone(), mode, now, limit, weights: Weights::default() };
            let found = index.search(&q(Mode::Instant, CANDIDATES_PER_SHIFT));
            if !found.is_empty() {
                valid.extend(found.iter().map(|c| (s.id.0, c.worker_id.0)));
                continue;
            }
            if held.get(&s.id.0).copied().unwrap_or(0) >= s.headcount {
                continue;
            }
            unfilled.push(s.id.0);
            // An offer candidate who has opted in to instant booking and
            // fails it only for availability.
            let outside = index
                .search(&q(Mode::Offer, UNAVAILABLE_TRIES))
                .into_iter()
                .find(|c| index.explain(c.worker_id, s, now, Mode::Instant).is_some_and(|v| v.failures().map(|f| f.rule).eq([Rule::Availability])));
            if let Some(c) = outside {
                unavailable.push((s.id.0, c.worker_id.0));
            }
        }
        for s in &past {
            token_of.insert(s.id.0, token_of_business[&s.business_id]);
        }
        // Any worker will do on a past shift: notice fails whoever it is.
        let ids: Vec<i64> = valid.iter().map(|p| p.1).collect();
        let past = if ids.is_empty() { Vec::new() } else { past.iter().map(|s| (s.id.0, ids[rng.usize(0..ids.len())])).collect() };

        // For each shift a valid pair may fill, the unfilled shifts that overlap it.
        let unfilled: std::collections::HashSet<i64> = unfilled.into_iter().collect();
        future.sort_by_key(|s| s.window.start);
        let mut overlapping: HashMap<i64, Vec<i64>> = HashMap::new();
        for (i, a) in future.iter().enumerate() {
            for b in future[i + 1..].iter().take_while(|b| b.window.start < a.window.end) {
                if unfilled.contains(&b.id.0) {
                    overlapping.entry(a.id.0).or_default().push(b.id.0);
                }
                if unfilled.contains(&a.id.0) {
                    overlapping.entry(b.id.0).or_default().push(a.id.0);
                }
            }
        }
        rng.shuffle(&mut valid);
        Ok(Plan { businesses: tokens.len(), tokens, token_of, valid, unavailable, past, overlapping, shifts: shifts.len(), workers })
    }

    /// One line for the report.
    pub fn describe(&self) -> String {
        format!(
            "{} workers, {} shifts, {} businesses (a token each); {} candidate pairs, {} unavailable pairs, {} past shifts, {} shifts with overlapping shifts",
            self.workers,
            self.shifts,
            self.businesses,
            self.valid.len(),
            self.unavailable.len(),
            self.past.len(),
            self.overlapping.len()
        )
    }
}

/// A shift of `business` that started an hour ago, posted two days before,
/// written through the store at that time as the demo's history is: the
/// market has no past shift with room, and a full one would be refused for
/// `headcount` before the notice rule is asked.
async fn past_shift(store: &dyn Store, business: BusinessId, now: Timestamp) -> Result<Shift> {
    let b = store.get_business(business, &Scope::All).await?;
    let skill = store.list_skills().await?.into_iter().next().map(|(code, _)| code).context("the market has no skills")?;
    let rate = |a: i64| Money::new(rust_decimal::Decimal::from(a), b.currency);
    // Shifts start on a whole minute.
    let start = Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(60) - 3600)?;
    let shift = NewShift {
        business_id: business,
        site_id: None,
        window: Interval::new(start, start + SignedDuration::from_hours(4))?,
        skills: vec![SkillRequirement { skill: SkillCode::parse(&skill)?, level: Level::MIN }],
        headcount: 5,
        pay_rate: rate(20),
        bill_rate: rate(26),
        notes: "bench: a shift that has started".into(),
    };
    Ok(store.create_shift(&shift, &Actor::system(), start - SignedDuration::from_hours(48)).await?)
}
