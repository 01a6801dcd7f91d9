//! Unit tests of the synthetic market: default sizes, validity of every worker
//! and shift, realistic spreads (cities, zones, limits, availability, skills,
//! rates, sites, shifts), determinism per seed, DST horizons and speed.

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::str::FromStr;
use std::sync::OnceLock;

use jiff::civil::{date, time, Weekday};
use jiff::{SignedDuration, Timestamp};
use rust_decimal::{Decimal, RoundingStrategy};
use slivers_core::availability::DatedWindow;
use slivers_core::business::Shift;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::{check, Mode, Proposal};
use slivers_core::skills::Evidence;
use slivers_core::worker::{Reach, Worker};
use slivers_core::Zone;

use super::*;

fn default_market() -> &'static Market {
    static M: OnceLock<Market> = OnceLock::new();
    M.get_or_init(|| generate(&MarketSpec::default()))
}

/// The currency a zone's country uses, written out independently of the tables.
fn currency_of_zone(zone: &Zone) -> &'static str {
    match zone.name() {
        "Europe/London" => "GBP",
        "Asia/Kolkata" => "INR",
        z if z.starts_with("Europe/") => "EUR",
        z if z.starts_with("America/") => "USD",
        z if z.starts_with("Australia/") => "AUD",
        z => panic!("unexpected zone {z}"),
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Every shift as a core `Shift` with dummy ids, with its business.
fn core_shifts(m: &Market) -> Vec<(&DemoBusiness, Shift)> {
    let mut out = Vec::new();
    for (b, biz) in m.businesses.iter().enumerate() {
        for (k, s) in biz.shifts.iter().enumerate() {
            let site_id = s.site.map(|i| SiteId(1000 * b as i64 + i as i64));
            out.push((biz, s.to_shift(biz, ShiftId(k as i64), BusinessId(b as i64), site_id)));
        }
    }
    out
}

fn all_valid(m: &Market, start: Timestamp) {
    for w in &m.workers {
        if let Err(e) = w.worker.validate() {
            panic!("{} is invalid: {e}\n{:#?}", w.email_local_part, w.worker);
        }
    }
    for (_, s) in core_shifts(m) {
        if let Err(e) = s.validate(start) {
            panic!("shift is invalid: {e}\n{s:#?}");
        }
    }
}

#[test]
fn default_sizes_and_taxonomy() {
    let spec = MarketSpec::default();
    assert_eq!((spec.seed, spec.workers, spec.businesses, spec.shifts, spec.weeks), (42, 2000, 100, 1000, 4));
    assert_eq!(spec.start.to_string(), "2026-12-01T00:00:00Z");
    let m = default_market();
    assert_eq!(m.workers.len(), 2000);
    assert_eq!(m.businesses.len(), 100);
    assert_eq!(m.shift_count(), 1000);
    assert!((30..=60).contains(&m.skills.len()), "{}", m.skills.len());
    let codes: HashSet<&str> = m.skills.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes.len(), m.skills.len(), "skill codes are unique");
    for c in ["barista", "waiter", "bartender", "line_cook", "kitchen_porter", "cleaner", "warehouse_picker", "forklift_driver",
        "retail_assistant", "cashier", "event_steward", "security_guard", "receptionist", "care_assistant", "bookkeeping",
        "payroll", "data_entry", "customer_support", "copywriting", "web_development", "graphic_design", "translation", "tutoring"]
    {
        assert!(codes.contains(c), "{c} missing");
    }
    assert!(m.skills.iter().all(|s| !s.name.is_empty() && s.name.chars().next().unwrap().is_uppercase()));
    // Every skill a worker claims or a shift needs is in the taxonomy.
    for w in &m.workers {
        assert!(w.worker.skills.iter().all(|c| codes.contains(c.skill.as_str())));
    }
    for b in &m.businesses {
        assert!(b.shifts.iter().flat_map(|s| &s.skills).all(|r| codes.contains(r.skill.as_str())));
    }
}

#[test]
fn every_default_worker_validates_and_every_shift_validates() {
    let m = default_market();
    all_valid(m, MarketSpec::default().start);
    assert!(m.workers.iter().all(|w| w.worker.id == WorkerId(0)));
    let emails: HashSet<&str> = m.workers.iter().map(|w| w.email_local_part.as_str()).collect();
    assert_eq!(emails.len(), m.workers.len());
    assert_eq!(m.workers[42].email_local_part, "w00042");
}

#[test]
fn workers_live_in_cities_across_zones_with_local_currency() {
    let m = default_market();
    let zones: BTreeSet<&str> = m.workers.iter().map(|w| w.worker.zone.name()).collect();
    assert!(zones.len() >= 6, "{zones:?}");
    for w in &m.workers {
        let w = &w.worker;
        assert_eq!(w.min_rate.currency.as_str(), currency_of_zone(&w.zone), "{}", w.name);
        if let Reach::Travel { home, radius_km } = w.reach {
            assert!((5..=50).contains(&radius_km));
            // Within 15 km of a city centre in the worker's zone.
            let nearest = data::CITIES
                .iter()
                .filter(|c| c.zone == w.zone.name())
                .map(|c| home.distance_m(&slivers_core::geo::GeoPoint { lat: c.lat, lon: c.lon }))
                .min()
                .unwrap();
            assert!(nearest <= 15_300, "{} lives {nearest} m from the centre", w.name);
        }
        let parts: Vec<&str> = w.name.split(' ').collect();
        assert!(parts.len() >= 2 && parts.iter().all(|p| !p.is_empty()), "{}", w.name);
    }
    let names: HashSet<&str> = m.workers.iter().map(|w| w.worker.name.as_str()).collect();
    assert!(names.len() > 1000, "names are varied: {}", names.len());
}

fn share(n: usize, of: usize) -> f64 {
    n as f64 / of.max(1) as f64
}

#[test]
fn worker_limits_reach_and_booking_preferences_are_varied() {
    let m = default_market();
    let ws: Vec<&Worker> = m.workers.iter().map(|w| &w.worker).collect();
    let n = ws.len();
    let instant = share(ws.iter().filter(|w| w.instant_book).count(), n);
    assert!((0.55..=0.65).contains(&instant), "{instant}");
    let remote = share(ws.iter().filter(|w| w.reach == Reach::RemoteOnly).count(), n);
    assert!((0.07..=0.13).contains(&remote), "{remote}");
    for w in &ws {
        let l = &w.limits;
        assert!((240..=600).contains(&l.max_minutes_per_day), "{l:?}");
        assert!((480..=2880).contains(&l.max_minutes_per_week), "{l:?}");
        assert!(l.max_minutes_per_week >= l.max_minutes_per_day);
        assert!((480..=720).contains(&l.min_rest_minutes));
        assert!(l.min_notice_minutes <= 1440);
        assert!((60..=l.max_minutes_per_week).contains(&w.wanted_minutes_per_week));
        assert!((1..=5).contains(&w.skills.len()));
        assert!(!w.availability.weekly.is_empty());
    }
    let blackouts = share(ws.iter().filter(|w| !w.limits.blackouts.is_empty()).count(), n);
    assert!((0.1..=0.3).contains(&blackouts), "{blackouts}");
    assert!(ws.iter().any(|w| w.limits.blackouts.iter().any(|b| b.weekday == Weekday::Sunday)));
    let notices: BTreeSet<u32> = ws.iter().map(|w| w.limits.min_notice_minutes).collect();
    assert!(notices.contains(&0) && notices.contains(&1440), "{notices:?}");
}

#[test]
fn availability_patterns_cover_the_personas() {
    let m = default_market();
    let ws: Vec<&Worker> = m.workers.iter().map(|w| &w.worker).collect();
    let weekly = |w: &&Worker| w.availability.weekly.clone();
    let parent = ws.iter().filter(|w| {
        weekly(w).iter().all(|x| x.start == time(9, 15, 0, 0) && x.end == time(14, 45, 0, 0) && x.weekday.to_monday_one_offset() <= 5)
    });
    assert!(parent.count() > 50);
    let night = ws.iter().filter(|w| weekly(w).iter().any(|x| x.end < x.start && x.start >= time(21, 0, 0, 0)));
    assert!(night.count() > 50);
    let weekend_only = ws.iter().filter(|w| weekly(w).iter().all(|x| matches!(x.weekday, Weekday::Saturday | Weekday::Sunday)));
    assert!(weekend_only.count() > 50);
    let student = ws.iter().filter(|w| weekly(w).iter().any(|x| x.start >= time(17, 0, 0, 0) && x.end >= time(22, 0, 0, 0)));
    assert!(student.count() > 100);
    let full = ws.iter().filter(|w| (1..=5).all(|d| weekly(w).iter().any(|x| x.weekday.to_monday_one_offset() == d && x.start <= time(9, 0, 0, 0) && x.end >= time(17, 0, 0, 0))));
    assert!(full.count() > 100);

    // Dated windows and exceptions sit inside the horizon and resolve.
    let spec = MarketSpec::default();
    let horizon_end = spec.start.checked_add(SignedDuration::from_hours(24 * 7 * 4 + 24 * 12)).unwrap();
    let with_dated = ws.iter().filter(|w| !w.availability.dated.is_empty()).count();
    let with_exceptions = ws.iter().filter(|w| !w.availability.exceptions.is_empty()).count();
    assert!(with_dated > 200 && with_exceptions > 200, "{with_dated} {with_exceptions}");
    for w in &ws {
        for d in w.availability.dated.iter().chain(&w.availability.exceptions) {
            let iv = d.resolve(&w.zone).unwrap();
            assert!(iv.start >= spec.start.checked_sub(SignedDuration::from_hours(24)).unwrap() && iv.end <= horizon_end, "{d:?}");
        }
    }
}

#[test]
fn skill_evidence_gives_varied_effective_levels() {
    let m = default_market();
    let mut levels = BTreeMap::new();
    let mut kinds = BTreeSet::new();
    for w in &m.workers {
        for c in &w.worker.skills {
            let e = c.effective_level();
            assert!(e <= c.claimed);
            *levels.entry(e.get()).or_insert(0usize) += 1;
            for ev in &c.evidence {
                kinds.insert(match ev {
                    Evidence::Assessment { .. } => "assessment",
                    Evidence::VerifiedMinutes { .. } => "minutes",
                    Evidence::Rating { .. } => "rating",
                    Evidence::Certificate { .. } => "certificate",
                    Evidence::Portfolio { .. } => "portfolio",
                    Evidence::SelfDeclared => "self",
                });
            }
            if c.evidence.iter().all(|e| matches!(e, Evidence::SelfDeclared)) {
                assert!(c.effective_level().get() <= 2);
            }
        }
    }
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert_eq!(levels.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5], "{levels:?}");
    let total: usize = levels.values().sum();
    assert!(share(levels[&3] + levels[&4] + levels[&5], total) > 0.2, "{levels:?}");
    assert!(share(levels[&5], total) < 0.1, "{levels:?}");
}

#[test]
fn worker_minimum_rates_are_realistic() {
    let m = default_market();
    let ranges = [("GBP", "12.75", "45"), ("EUR", "12", "50"), ("USD", "16", "65"), ("AUD", "31", "80"), ("INR", "140", "1000")];
    for w in &m.workers {
        let r = w.worker.min_rate;
        let (_, lo, hi) = ranges.iter().find(|(c, ..)| *c == r.currency.as_str()).unwrap();
        assert!(r.amount >= dec(lo) && r.amount <= dec(hi), "{r}");
        assert_eq!(r.amount.scale(), 2);
    }
}

#[test]
fn businesses_have_sites_in_one_country() {
    let m = default_market();
    let names: HashSet<&str> = m.businesses.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names.len(), m.businesses.len());
    let mut multi = 0;
    for b in &m.businesses {
        assert!((1..=5).contains(&b.sites.len()));
        multi += usize::from(b.sites.len() > 1);
        assert_eq!(b.zone, b.sites[0].zone);
        for s in &b.sites {
            assert_eq!(currency_of_zone(&s.zone), b.currency.as_str(), "{}", b.name);
            assert!(s.location.validate().is_ok());
        }
        let site_names: HashSet<&str> = b.sites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(site_names.len(), b.sites.len(), "{:?}", b.sites);
    }
    assert!(multi > 20);
    let zones: BTreeSet<&str> = m.businesses.iter().map(|b| b.zone.name()).collect();
    assert!(zones.len() >= 6, "{zones:?}");
}

#[test]
fn shifts_are_realistic() {
    let spec = MarketSpec::default();
    let m = default_market();
    let end = spec.start.checked_add(SignedDuration::from_hours(24 * 7 * 4)).unwrap();
    let (mut remote, mut small, mut level4, mut reqs) = (0, 0, 0, 0);
    let mut per_week = [0usize; 4];
    for (biz, s) in core_shifts(m) {
        let w = s.window;
        assert!(w.start > spec.start && w.start <= end, "{w:?}");
        assert_eq!(w.start.as_second() % 900, 0, "{w:?}");
        assert_eq!(w.end.as_second() % 900, 0, "{w:?}");
        assert!((180..=600).contains(&w.minutes()), "{w:?}");
        let local = s.zone.civil(w.start);
        assert!((6..=21).contains(&local.hour()), "{local} in {}", s.zone.name());
        per_week[(((w.start.as_second() - spec.start.as_second()) / (7 * 86400)) as usize).min(3)] += 1;

        assert!((1..=4).contains(&s.skills.len()));
        for r in &s.skills {
            assert!((1..=4).contains(&r.level.get()));
            level4 += usize::from(r.level.get() == 4);
            reqs += 1;
        }
        assert!((1..=5).contains(&s.headcount));
        small += usize::from(s.headcount <= 2);
        if s.is_remote() {
            remote += 1;
            assert_eq!(s.zone, biz.zone);
            assert!(s.location.is_none());
        } else {
            assert!(s.location.is_some());
        }

        assert_eq!(s.pay_rate.currency, biz.currency);
        assert_eq!(s.bill_rate.currency, biz.currency);
        let pay = s.pay_rate.amount;
        let round = |pct: &str| (pay * dec(pct)).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        assert!(s.bill_rate.amount >= round("1.20") && s.bill_rate.amount <= round("1.35"), "{} vs {}", s.bill_rate, s.pay_rate);
        assert_eq!(s.bill_rate.amount.scale(), 2);
        assert!(!s.notes.is_empty());
    }
    let n = m.shift_count();
    let remote = share(remote, n);
    assert!((0.15..=0.25).contains(&remote), "{remote}");
    assert!(share(small, n) >= 0.65);
    assert!(share(level4, reqs) < 0.12, "level 4 is rare");
    assert!(per_week.iter().all(|&k| k >= n / 8), "spread over the weeks: {per_week:?}");
}

/// Pay meets what workers ask: at least the lowest entry rate of the country,
/// and for most shifts at least the median ask of workers with the main skill.
#[test]
fn shift_pay_meets_typical_worker_minimums() {
    let m = default_market();
    let mut asks: BTreeMap<(&str, &str), Vec<Decimal>> = BTreeMap::new();
    for w in &m.workers {
        for c in &w.worker.skills {
            asks.entry((w.worker.min_rate.currency.as_str(), c.skill.as_str())).or_default().push(w.worker.min_rate.amount);
        }
    }
    let floor: BTreeMap<&str, Decimal> = m.workers.iter().fold(BTreeMap::new(), |mut acc, w| {
        let e = acc.entry(w.worker.min_rate.currency.as_str()).or_insert(w.worker.min_rate.amount);
        *e = (*e).min(w.worker.min_rate.amount);
        acc
    });
    let (mut compared, mut above_median) = (0, 0);
    for b in &m.businesses {
        for s in &b.shifts {
            assert!(s.pay_rate.amount >= floor[b.currency.as_str()], "{} pays {}", b.name, s.pay_rate);
            if let Some(v) = asks.get_mut(&(b.currency.as_str(), s.skills[0].skill.as_str())) {
                v.sort();
                compared += 1;
                above_median += usize::from(s.pay_rate.amount >= v[v.len() / 2]);
            }
        }
    }
    eprintln!("{above_median} of {compared} shifts pay at least the median ask for their main skill");
    assert!(share(above_median, compared) >= 0.8, "{above_median} of {compared}");
}

/// The market is usable: most shifts have someone the rules allow for an offer.
#[test]
fn most_shifts_have_an_eligible_worker() {
    let spec = MarketSpec::default();
    let m = default_market();
    let (mut offer_ok, mut instant_ok) = (0, 0);
    let shifts = core_shifts(m);
    for (_, s) in &shifts {
        let candidates = m.workers.iter().map(|w| &w.worker).filter(|w| {
            w.min_rate.currency == s.pay_rate.currency
                && s.skills.iter().all(|r| w.skills.iter().any(|c| c.skill == r.skill))
        });
        let (mut offer, mut instant) = (false, false);
        for w in candidates {
            let p = |mode| Proposal::new(w, &[], s, spec.start, mode);
            offer |= check(&p(Mode::Offer)).allowed;
            instant |= check(&p(Mode::Instant)).allowed;
            if offer && instant {
                break;
            }
        }
        offer_ok += usize::from(offer);
        instant_ok += usize::from(instant);
    }
    eprintln!("offer-eligible {offer_ok}, instant-eligible {instant_ok} of {}", shifts.len());
    assert!(share(offer_ok, shifts.len()) >= 0.5, "{offer_ok}");
    assert!(share(instant_ok, shifts.len()) >= 0.1, "{instant_ok}");
}

#[test]
fn same_spec_same_market_and_seeds_differ() {
    let spec = MarketSpec { workers: 300, businesses: 20, shifts: 150, ..Default::default() };
    let a = generate(&spec);
    let b = generate(&spec);
    assert_eq!(a, b);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let c = generate(&MarketSpec { seed: 7, ..spec });
    assert_ne!(format!("{a:?}"), format!("{c:?}"));
    // Workers are drawn independently: a smaller market is a prefix of a larger one.
    assert_eq!(&default_market().workers[..300], &a.workers[..]);
}

#[test]
fn tiny_and_empty_specs_work() {
    let tiny = generate(&MarketSpec { workers: 1, businesses: 1, shifts: 1, ..Default::default() });
    assert_eq!((tiny.workers.len(), tiny.businesses.len(), tiny.shift_count()), (1, 1, 1));
    all_valid(&tiny, MarketSpec::default().start);
    let empty = generate(&MarketSpec { workers: 0, businesses: 0, shifts: 0, ..Default::default() });
    assert!(empty.workers.is_empty() && empty.businesses.is_empty() && !empty.skills.is_empty());
    let no_biz = generate(&MarketSpec { workers: 0, businesses: 0, shifts: 10, ..Default::default() });
    assert_eq!(no_biz.shift_count(), 0);
    let one_week = generate(&MarketSpec { weeks: 0, workers: 20, businesses: 3, shifts: 50, ..Default::default() });
    all_valid(&one_week, MarketSpec::default().start);
}

/// Horizons across DST changes: spring forward in the US (8 March) and Europe
/// (29 March), Sydney's in October and Europe's fall back (25 October).
#[test]
fn horizons_across_daylight_saving_changes_stay_valid() {
    for start in ["2026-03-01T00:00:00Z", "2026-10-01T09:30:00Z"] {
        let start: Timestamp = start.parse().unwrap();
        let spec = MarketSpec { start, weeks: 5, seed: 9, ..Default::default() };
        let m = generate(&spec);
        all_valid(&m, start);
        for (_, s) in core_shifts(&m) {
            assert!(s.zone.resolve_strict(s.zone.civil(s.window.start)).is_ok());
            assert!((6..=21).contains(&s.zone.civil(s.window.start).hour()));
        }
    }
}

#[test]
fn dated_windows_in_a_dst_gap_are_dropped() {
    let london = Zone::parse("Europe/London").unwrap();
    let gap = DatedWindow { start: date(2026, 3, 29).at(1, 30, 0, 0), end: date(2026, 3, 29).at(9, 0, 0, 0) };
    assert!(workers::valid(gap, &london).is_none());
    let fine = DatedWindow { start: date(2026, 3, 30).at(1, 30, 0, 0), end: date(2026, 3, 30).at(9, 0, 0, 0) };
    assert_eq!(workers::valid(fine, &london), Some(fine));
}

/// `cargo test --release -p slivers-demo -- --ignored --nocapture`
#[test]
#[ignore]
fn large_market_is_fast() {
    let t = std::time::Instant::now();
    let m = generate(&MarketSpec { workers: 100_000, businesses: 5_000, shifts: 50_000, ..Default::default() });
    let took = t.elapsed();
    eprintln!("100k workers, 5k businesses, 50k shifts in {took:?}");
    assert_eq!(m.workers.len(), 100_000);
    assert!(m.workers.iter().all(|w| w.worker.validate().is_ok()));
    let emails: HashSet<&str> = m.workers.iter().map(|w| w.email_local_part.as_str()).collect();
    assert_eq!(emails.len(), 100_000);
}
