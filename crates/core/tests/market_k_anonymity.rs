//! The k-anonymity property of the public market data, over 2,000 seeded
//! random markets: no published cell or demand bucket draws on fewer than k
//! distinct businesses or k distinct workers (counted here independently
//! from the raw records), every cell that reaches k is published, and a cell
//! one business or one worker short of k (k − 1) is suppressed, not rounded.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use fastrand::Rng;
use jiff::Timestamp;
use rust_decimal::Decimal;
use slivers_core::market::{aggregate, Fill, ShiftRecord, GENERAL};
use slivers_core::{Currency, Money};

const SKILLS: [&str; 3] = ["barista", "chef", "bookkeeping"];
const REGIONS: [&str; 3] = ["Europe/London", "America/New_York", "remote"];

fn market(rng: &mut Rng) -> Vec<ShiftRecord> {
    let businesses = rng.i64(1..12);
    let workers = rng.i64(1..15);
    let t0: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    (0..rng.usize(0..80))
        .map(|_| {
            let places = rng.u32(1..4);
            let fills = (0..rng.u32(0..=places)).map(|_| Fill { worker: rng.i64(0..workers), at: t0 + jiff::SignedDuration::from_mins(rng.i64(0..5000)) }).collect();
            ShiftRecord {
                business: rng.i64(0..businesses),
                skills: (0..rng.usize(0..3)).map(|_| SKILLS[rng.usize(..3)].to_string()).collect::<BTreeSet<_>>().into_iter().collect(),
                region: REGIONS[rng.usize(..3)].to_string(),
                pay_rate: Money::new(Decimal::new(rng.i64(1000..3000), 2), Currency::GBP),
                places,
                posted_at: Some(t0),
                weekday: rng.u8(0..7),
                hour: rng.u8(0..24),
                cancelled: rng.u8(0..10) == 0,
                fills,
            }
        })
        .collect()
}

type Crowd = (BTreeSet<i64>, BTreeSet<i64>);

/// Distinct businesses and workers per (skill, region), by brute force.
fn crowds(shifts: &[ShiftRecord]) -> BTreeMap<(String, String), Crowd> {
    let mut out: BTreeMap<(String, String), Crowd> = BTreeMap::new();
    for s in shifts.iter().filter(|s| !s.cancelled) {
        let skills = if s.skills.is_empty() { vec![GENERAL.to_string()] } else { s.skills.clone() };
        for sk in skills {
            let e = out.entry((sk, s.region.clone())).or_default();
            e.0.insert(s.business);
            e.1.extend(s.fills.iter().map(|f| f.worker));
        }
    }
    out
}

#[test]
fn no_published_cell_draws_on_fewer_than_k_businesses_or_workers() {
    let (mut published, mut suppressed, mut just_below) = (0, 0, 0);
    for seed in 0..2000u64 {
        let mut rng = Rng::with_seed(seed);
        let k = rng.usize(1..7);
        let shifts = market(&mut rng);
        let m = aggregate(&shifts, k);
        let truth = crowds(&shifts);
        let shown: BTreeSet<(String, String)> = m.cells.iter().map(|c| (c.skill.clone(), c.region.clone())).collect();
        for c in &m.cells {
            let (b, w) = &truth[&(c.skill.clone(), c.region.clone())];
            assert!(b.len() >= k && w.len() >= k, "seed {seed}: published {} / {} draws on {} businesses, {} workers (k {k})", c.skill, c.region, b.len(), w.len());
            assert_eq!((c.businesses, c.workers), (b.len(), w.len()), "seed {seed}");
            for d in &c.demand {
                let who: BTreeSet<i64> = shifts
                    .iter()
                    .filter(|s| !s.cancelled && s.region == c.region && s.weekday == d.weekday && s.hour == d.hour)
                    .filter(|s| if c.skill == GENERAL { s.skills.is_empty() } else { s.skills.contains(&c.skill) })
                    .map(|s| s.business)
                    .collect();
                assert!(who.len() >= k, "seed {seed}: a demand bucket draws on {} businesses", who.len());
            }
        }
        for (cell, (b, w)) in &truth {
            let reaches = b.len() >= k && w.len() >= k;
            assert_eq!(shown.contains(cell), reaches, "seed {seed}: {cell:?} with {} businesses, {} workers, k {k}", b.len(), w.len());
            if !reaches && (b.len() == k - 1 || w.len() == k - 1) && k > 1 {
                just_below += 1;
            }
        }
        published += m.cells.len();
        suppressed += m.cells_suppressed;
        assert_eq!(m.cells.len() + m.cells_suppressed, truth.len(), "seed {seed}: every cell is published or counted as suppressed");
    }
    println!("market k-anonymity: 2000 markets, {published} cells published, {suppressed} suppressed, {just_below} of them exactly one short of k");
    assert!(published > 1000 && just_below > 500, "the markets are too one-sided: {published} published, {just_below} just below k");
}

#[test]
fn a_cell_one_short_of_k_is_suppressed_and_reaching_k_publishes_it() {
    let t0: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    let shift = |b: i64, w: i64, pay: i64| ShiftRecord {
        business: b,
        skills: vec!["barista".into()],
        region: "Europe/London".into(),
        pay_rate: Money::new(Decimal::new(pay, 2), Currency::GBP),
        places: 1,
        posted_at: Some(t0),
        weekday: 0,
        hour: 9,
        cancelled: false,
        fills: vec![Fill { worker: w, at: t0 + jiff::SignedDuration::from_mins(30 + w) }],
    };
    // Four businesses, five workers: one business short of k = 5.
    let mut shifts: Vec<_> = (0..5).map(|i| shift(i % 4, i, 1200 + 100 * i)).collect();
    let m = aggregate(&shifts, 5);
    assert!(m.cells.is_empty() && m.cells_suppressed == 1, "{m:?}");
    // Five businesses, four workers: one worker short.
    shifts[4] = shift(4, 0, 1600);
    let m = aggregate(&shifts, 5);
    assert!(m.cells.is_empty() && m.cells_suppressed == 1, "{m:?}");
    // Five and five: published, with nearest-rank figures that were really offered.
    shifts[4] = shift(4, 4, 1600);
    let m = aggregate(&shifts, 5);
    let c = &m.cells[0];
    assert_eq!((c.businesses, c.workers, c.shifts), (5, 5, 5));
    assert_eq!(c.pay_p25.amount, Decimal::new(1300, 2));
    assert_eq!(c.pay_median.amount, Decimal::new(1400, 2));
    assert_eq!(c.pay_p75.amount, Decimal::new(1500, 2));
    assert_eq!(c.fill_rate_percent, Decimal::new(1000, 1));
    assert_eq!(c.time_to_fill_minutes, Some(32));
    assert_eq!(c.demand.len(), 1);
    assert_eq!(c.demand[0].places, 5);
}
