//! Workers: where they live, when they can work, their limits, rates and skills.

use fastrand::Rng;
use jiff::civil::{time, Date, Time, Weekday};
use jiff::Span;
use slivers_core::availability::{Availability, DatedWindow, WeeklyWindow};
use slivers_core::ids::WorkerId;
use slivers_core::labour::{LabourRules, ShiftKind, Succession};
use slivers_core::skills::{Evidence, Level, SkillClaim};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Money, Zone};

use crate::data::{CITIES, COUNTRIES, NAMES, SECTORS, SKILLS};
use crate::rng::{chance, index, item_rng, min_rate_step, money, near, pick, stepped, weighted, WORKERS};
use crate::{Ctx, DemoWorker};

use Weekday::{Friday, Monday, Saturday, Sunday, Thursday, Tuesday, Wednesday};
const WEEKDAYS: [Weekday; 5] = [Monday, Tuesday, Wednesday, Thursday, Friday];
const ALL_DAYS: [Weekday; 7] = [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday];

/// Life patterns that shape weekly availability and limits.
#[derive(Clone, Copy)]
enum Persona {
    Student,
    Parent,
    NightOwl,
    FullTimer,
    WeekendOnly,
    Flexible,
    PartTimer,
}

const PERSONAS: [(Persona, u32); 7] = [
    (Persona::Student, 22),
    (Persona::Parent, 15),
    (Persona::NightOwl, 8),
    (Persona::FullTimer, 20),
    (Persona::WeekendOnly, 12),
    (Persona::Flexible, 15),
    (Persona::PartTimer, 8),
];

pub(crate) fn worker(ctx: &Ctx, i: usize) -> DemoWorker {
    let mut rng = item_rng(ctx.seed, WORKERS, i as u64);
    let city_ix = weighted(&mut rng, &ctx.city_weights);
    let city = &CITIES[city_ix];
    let zone = ctx.zones[city_ix].clone();
    let currency = ctx.currencies[city.country];
    let name = person_name(&mut rng, COUNTRIES[city.country].names);

    let remote_only = chance(&mut rng, 10);
    let reach = if remote_only {
        Reach::RemoteOnly
    } else {
        Reach::Travel { home: near(&mut rng, city, 15_000), radius_km: rng.u32(5..=50) }
    };

    let (claims, top_tier) = claims(&mut rng, ctx, remote_only);
    // At least the local entry rate; skilled workers ask around their trade's going rate.
    let step = min_rate_step(COUNTRIES[city.country].currency);
    let floor = money(city.rates[0], 100, 100, step);
    let asked = money(city.rates[top_tier], rng.u32(85..=110), 100, step);
    let min_rate = Money::new(floor.max(asked), currency);

    let weights: Vec<u32> = PERSONAS.iter().map(|p| p.1).collect();
    let persona = PERSONAS[weighted(&mut rng, &weights)].0;
    let weekly = weekly_pattern(&mut rng, persona);
    let limits = limits(&mut rng, persona);
    let wanted = (limits.max_minutes_per_week * rng.u32(40..=100) / 100 / 60 * 60).max(60);
    let availability = Availability { weekly, dated: dated(&mut rng, ctx, &zone), exceptions: exceptions(&mut rng, ctx, &zone) };

    let worker = Worker {
        id: WorkerId(0),
        name,
        zone,
        reach,
        min_rate,
        limits,
        instant_book: chance(&mut rng, 60),
        availability,
        skills: claims,
        wanted_minutes_per_week: wanted,
    };
    DemoWorker { worker, email_local_part: format!("w{i:05}") }
}

/// A plausible name: mostly from the country's pool, sometimes from anywhere.
pub(crate) fn person_name(rng: &mut Rng, pool: usize) -> String {
    let pool = if chance(rng, 15) { index(rng, NAMES.len()) } else { pool };
    let (first, last) = NAMES[pool];
    format!("{} {}", pick(rng, first), pick(rng, last))
}

fn at(h: i8, m: i8) -> Time {
    time(h, m, 0, 0)
}

fn win(weekday: Weekday, start: Time, end: Time) -> WeeklyWindow {
    WeeklyWindow { weekday, start, end }
}

fn weekly_pattern(rng: &mut Rng, persona: Persona) -> Vec<WeeklyWindow> {
    let mut v = Vec::new();
    match persona {
        Persona::Student => {
            let (s, e) = (*pick(rng, &[at(17, 0), at(17, 30), at(18, 0)]), *pick(rng, &[at(22, 0), at(23, 0), at(23, 30)]));
            v.extend(WEEKDAYS.iter().filter(|_| chance(rng, 75)).map(|&d| win(d, s, e)));
            let (ws, we) = (*pick(rng, &[at(10, 0), at(11, 0)]), *pick(rng, &[at(18, 0), at(22, 0)]));
            if chance(rng, 85) {
                v.push(win(Saturday, ws, we));
            }
            if chance(rng, 70) {
                v.push(win(Sunday, ws, we));
            }
        }
        Persona::Parent => {
            let (s, e) = [(at(9, 15), at(14, 45)), (at(9, 30), at(14, 30)), (at(9, 0), at(15, 0))][weighted(rng, &[3, 1, 1])];
            v.extend(WEEKDAYS.iter().filter(|_| chance(rng, 90)).map(|&d| win(d, s, e)));
        }
        Persona::NightOwl => {
            let (s, e) = [(at(22, 0), at(6, 0)), (at(21, 0), at(5, 0)), (at(23, 0), at(7, 0))][weighted(rng, &[3, 1, 1])];
            v.extend(ALL_DAYS.iter().filter(|_| chance(rng, 60)).map(|&d| win(d, s, e)));
        }
        Persona::FullTimer => {
            let (s, e) = (*pick(rng, &[at(8, 0), at(8, 30), at(9, 0)]), *pick(rng, &[at(17, 0), at(17, 30), at(18, 0)]));
            v.extend(WEEKDAYS.iter().map(|&d| win(d, s, e)));
            if chance(rng, 30) {
                v.push(win(Saturday, at(9, 0), at(17, 0)));
            }
        }
        Persona::WeekendOnly => {
            let (s, e) = *pick(rng, &[(at(7, 0), at(19, 0)), (at(8, 0), at(20, 0)), (at(10, 0), at(22, 0))]);
            v.push(win(Saturday, s, e));
            v.push(win(Sunday, s, e));
            if chance(rng, 30) {
                v.push(win(Friday, at(18, 0), at(23, 0)));
            }
        }
        Persona::Flexible => {
            let off = index(rng, 7);
            let (s, e) = *pick(rng, &[(at(7, 0), at(22, 0)), (at(6, 0), at(21, 0))]);
            v.extend(ALL_DAYS.iter().enumerate().filter(|&(k, _)| k != off).map(|(_, &d)| win(d, s, e)));
        }
        Persona::PartTimer => {
            let (s, e) = (*pick(rng, &[at(7, 0), at(8, 0)]), *pick(rng, &[at(13, 0), at(14, 0)]));
            v.extend(WEEKDAYS.iter().filter(|_| chance(rng, 55)).map(|&d| win(d, s, e)));
        }
    }
    if v.is_empty() {
        v.push(win(*pick(rng, &WEEKDAYS), at(9, 0), at(17, 0)));
    }
    v
}

fn limits(rng: &mut Rng, persona: Persona) -> Limits {
    // (daily cap range, weekly cap range) in minutes.
    let ((dlo, dhi), (wlo, whi)) = match persona {
        Persona::Student => ((240, 480), (480, 1200)),
        Persona::Parent => ((240, 330), (600, 1500)),
        Persona::NightOwl => ((360, 600), (960, 2400)),
        Persona::FullTimer => ((420, 600), (1800, 2880)),
        Persona::WeekendOnly => ((360, 600), (480, 1200)),
        Persona::Flexible => ((360, 600), (1200, 2880)),
        Persona::PartTimer => ((240, 360), (480, 1200)),
    };
    let daily = stepped(rng, dlo, dhi, 30);
    let weekly = stepped(rng, wlo, whi, 60).max(daily);
    let blackouts = if chance(rng, 20) {
        vec![*pick(
            rng,
            &[
                win(Sunday, at(10, 0), at(16, 0)), // family time
                win(Friday, at(18, 0), at(22, 0)),
                win(Wednesday, at(18, 0), at(20, 0)), // evening class
                win(Saturday, at(9, 0), at(13, 0)),
            ],
        )]
    } else {
        Vec::new()
    };
    Limits {
        max_minutes_per_day: daily,
        max_minutes_per_week: weekly,
        min_rest_minutes: stepped(rng, 480, 720, 60),
        min_notice_minutes: *pick(rng, &[0, 30, 60, 60, 120, 240, 480, 720, 1440]),
        blackouts,
        labour: labour_rules(persona),
    }
}

/// Labour rules by persona, drawing nothing from the generator so every
/// other part of a seeded market stays as it was.
fn labour_rules(persona: Persona) -> LabourRules {
    match persona {
        Persona::FullTimer => LabourRules { max_consecutive_days: Some(6), min_days_off_per_week: Some(1), ..Default::default() },
        Persona::NightOwl => LabourRules {
            forbidden_successions: vec![Succession { after: ShiftKind::Night, then: ShiftKind::Early }],
            ..Default::default()
        },
        Persona::Parent => LabourRules { max_weekends_per_month: Some(2), ..Default::default() },
        _ => LabourRules::default(),
    }
}

/// The local date `days` after the horizon's first local date.
fn horizon_date(ctx: &Ctx, zone: &Zone, days: u32) -> Option<Date> {
    zone.date(ctx.start).checked_add(Span::new().days(i64::from(days))).ok()
}

/// Keep a dated window only if it resolves: a civil time inside a DST gap is refused by core.
pub(crate) fn valid(w: DatedWindow, zone: &Zone) -> Option<DatedWindow> {
    w.resolve(zone).ok().filter(|iv| iv.minutes() <= 31 * 24 * 60).map(|_| w)
}

/// A window from `s` on local date `d` to `e` on `d` plus `end_days`.
fn dated_window(d: Date, s: Time, end_days: i64, e: Time) -> Option<DatedWindow> {
    let end = d.checked_add(Span::new().days(end_days)).ok()?;
    Some(DatedWindow { start: d.to_datetime(s), end: end.to_datetime(e) })
}

/// Extra one-off availability in the horizon.
fn dated(rng: &mut Rng, ctx: &Ctx, zone: &Zone) -> Vec<DatedWindow> {
    if !chance(rng, 25) {
        return Vec::new();
    }
    (0..rng.u32(1..=2))
        .filter_map(|_| {
            let d = horizon_date(ctx, zone, rng.u32(0..ctx.days))?;
            let (s, end_days, e) =
                *pick(rng, &[(at(8, 0), 0, at(16, 0)), (at(9, 0), 0, at(17, 0)), (at(18, 0), 0, at(23, 0)), (at(22, 0), 1, at(2, 30)), (at(2, 30), 0, at(8, 0))]);
            valid(dated_window(d, s, end_days, e)?, zone)
        })
        .collect()
}

/// Days off, holidays and appointments in the horizon.
fn exceptions(rng: &mut Rng, ctx: &Ctx, zone: &Zone) -> Vec<DatedWindow> {
    if !chance(rng, 30) {
        return Vec::new();
    }
    (0..rng.u32(1..=2))
        .filter_map(|_| {
            let d = horizon_date(ctx, zone, rng.u32(0..ctx.days))?;
            let w = match rng.u32(0..4) {
                0 => dated_window(d, at(0, 0), 1, at(0, 0)),                         // a day off
                1 => dated_window(d, at(0, 0), i64::from(rng.u32(2..=10)), at(0, 0)), // a holiday
                2 => dated_window(d, *pick(rng, &[at(9, 30), at(10, 0), at(14, 0)]), 0, at(16, 30)), // an appointment
                _ => dated_window(d, at(1, 30), 0, at(9, 0)),                         // an early flight
            }?;
            valid(w, zone)
        })
        .collect()
}

/// 1 to 5 skill claims, mostly from one trade, and the highest pay tier among them.
fn claims(rng: &mut Rng, ctx: &Ctx, remote_only: bool) -> (Vec<SkillClaim>, usize) {
    let weights: Vec<u32> = SECTORS.iter().map(|s| s.worker_weight).collect();
    let sector = weighted(rng, &weights);
    let pool = if remote_only { &ctx.sector_remote[sector] } else { &ctx.sector_skills[sector] };
    let n = 1 + weighted(rng, &[20, 30, 27, 14, 9]);
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    for _ in 0..n * 4 {
        if chosen.len() == n {
            break;
        }
        let s = if chance(rng, 85) {
            *pick(rng, pool)
        } else if remote_only {
            *pick(rng, &ctx.remote_all)
        } else {
            index(rng, SKILLS.len())
        };
        if !chosen.contains(&s) {
            chosen.push(s);
        }
    }
    let top_tier = chosen.iter().map(|&s| SKILLS[s].tier).max().unwrap_or(0);
    let claims = chosen.into_iter().map(|s| claim(rng, ctx, s)).collect();
    (claims, top_tier)
}

fn level(n: usize) -> Level {
    Level::new(u8::try_from(n).unwrap_or(1)).unwrap_or(Level::MIN)
}

fn claim(rng: &mut Rng, ctx: &Ctx, skill: usize) -> SkillClaim {
    let claimed = 1 + weighted(rng, &[15, 30, 30, 17, 8]);
    let certificate = || Evidence::Certificate { name: SKILLS[skill].certificate.to_string() };
    let mut evidence = Vec::new();
    match weighted(rng, &[25, 15, 15, 30, 15]) {
        0 => {
            if chance(rng, 50) {
                evidence.push(Evidence::SelfDeclared);
            }
        }
        1 => {
            if chance(rng, 40) {
                evidence.push(Evidence::SelfDeclared);
            }
            evidence.push(certificate());
        }
        2 => evidence.push(Evidence::assessment(level(claimed.saturating_sub(index(rng, 2)).max(1)))),
        3 => track_record(rng, &mut evidence),
        _ => {
            evidence.push(certificate());
            track_record(rng, &mut evidence);
            if chance(rng, 30) {
                evidence.push(Evidence::assessment(level(claimed)));
            }
        }
    }
    SkillClaim { skill: ctx.codes[skill].clone(), claimed: level(claimed), evidence }
}

/// Verified minutes through the exchange and the ratings that came with them.
fn track_record(rng: &mut Rng, evidence: &mut Vec<Evidence>) {
    let hours = match weighted(rng, &[25, 35, 28, 12]) {
        0 => rng.u32(5..20),
        1 => rng.u32(20..100),
        2 => rng.u32(100..400),
        _ => rng.u32(400..900),
    };
    evidence.push(Evidence::VerifiedMinutes { minutes: hours * 60 });
    // How good this worker is at this skill, as a typical star rating.
    let typical = *pick(rng, &[3u8, 4, 4, 5, 5]);
    let ratings = (hours / 25 + rng.u32(0..=3)).min(20);
    for _ in 0..ratings {
        let stars = match rng.u32(0..10) {
            0 => typical.saturating_sub(1).max(1),
            1 => (typical + 1).min(5),
            _ => typical,
        };
        evidence.push(Evidence::Rating { stars, booking: None });
    }
}
