//! Businesses, their sites, and the shifts they post.

use std::collections::HashSet;

use fastrand::Rng;
use jiff::civil::{time, Weekday};
use jiff::{SignedDuration, Span, Timestamp};
use slivers_core::skills::{Level, SkillRequirement};
use slivers_core::{Interval, Money, Zone};

use crate::data::{Sector, BUSINESS_PREFIXES, CITIES, COUNTRIES, REMOTE_NOTES, SECTORS, SKILLS};
use crate::rng::{chance, index, item_rng, money, near, pay_step, pick, stepped, weighted, with_margin, BUSINESSES, SHIFTS};
use crate::{Ctx, DemoBusiness, DemoShift, DemoSite};

/// Share of shifts that are remote.
const REMOTE_PERCENT: u32 = 20;
/// Pay uplift by the main requirement's level, in percent.
const LEVEL_PERCENT: [u32; 4] = [100, 106, 114, 125];

/// A business while its shifts are being made.
struct Plan {
    business: DemoBusiness,
    sector: usize,
    /// City of each site; the first is the head office.
    site_cities: Vec<usize>,
    /// Relative share of all shifts this business posts.
    activity: u32,
}

pub(crate) fn businesses(ctx: &Ctx, n: usize, shifts: usize) -> Vec<DemoBusiness> {
    let mut names = HashSet::new();
    let mut plans: Vec<Plan> = (0..n).map(|i| plan(ctx, i, &mut names)).collect();
    if !plans.is_empty() {
        let weights: Vec<u32> = plans.iter().map(|p| p.activity).collect();
        for j in 0..shifts {
            let mut rng = item_rng(ctx.seed, SHIFTS, j as u64);
            let b = weighted(&mut rng, &weights);
            let s = shift(&mut rng, ctx, &plans[b]);
            plans[b].business.shifts.push(s);
        }
    }
    plans
        .into_iter()
        .map(|mut p| {
            p.business.shifts.sort_by_key(|s| (s.window.start, s.window.end));
            p.business
        })
        .collect()
}

fn plan(ctx: &Ctx, i: usize, names: &mut HashSet<String>) -> Plan {
    let mut rng = item_rng(ctx.seed, BUSINESSES, i as u64);
    let sector_weights: Vec<u32> = SECTORS.iter().map(|s| s.business_weight).collect();
    let sector = weighted(&mut rng, &sector_weights);
    let hq = weighted(&mut rng, &ctx.city_weights);
    let country = CITIES[hq].country;
    let cities = &ctx.country_cities[country];
    let city_weights: Vec<u32> = cities.iter().map(|&c| CITIES[c].weight).collect();
    let n_sites = 1 + weighted(&mut rng, &[40, 25, 17, 10, 8]);
    let mut site_cities = vec![hq];
    for _ in 1..n_sites {
        // Chains grow at home first.
        let c = if chance(&mut rng, 50) { hq } else { cities[weighted(&mut rng, &city_weights)] };
        site_cities.push(c);
    }

    let name = business_name(&mut rng, &SECTORS[sector], CITIES[hq].name, names);
    let mut sites: Vec<DemoSite> = Vec::with_capacity(n_sites);
    for (k, &c) in site_cities.iter().enumerate() {
        let city = &CITIES[c];
        let mut site_name = String::new();
        for _ in 0..8 {
            site_name = format!("{name} ({})", pick(&mut rng, city.districts));
            if !sites.iter().any(|s| s.name == site_name) {
                break;
            }
        }
        if sites.iter().any(|s| s.name == site_name) {
            site_name = format!("{name} ({} {})", city.name, k + 1);
        }
        sites.push(DemoSite { name: site_name, zone: ctx.zones[c].clone(), location: near(&mut rng, city, 10_000) });
    }
    let activity = u32::try_from(n_sites).unwrap_or(1) * rng.u32(1..=4);
    let business = DemoBusiness {
        name,
        zone: ctx.zones[hq].clone(),
        currency: ctx.currencies[country],
        sites,
        shifts: Vec::new(),
    };
    Plan { business, sector, site_cities, activity }
}

/// "Juniper Coffee Co.", made unique with the head-office city and then a number.
fn business_name(rng: &mut Rng, sector: &Sector, city: &str, taken: &mut HashSet<String>) -> String {
    let base = format!("{} {}", pick(rng, BUSINESS_PREFIXES), pick(rng, sector.suffixes));
    let mut name = base.clone();
    if taken.contains(&name) {
        name = format!("{base} {city}");
    }
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base} {city} {n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

fn shift(rng: &mut Rng, ctx: &Ctx, plan: &Plan) -> DemoShift {
    let sector = &SECTORS[plan.sector];
    let site = if chance(rng, REMOTE_PERCENT) { None } else { Some(index(rng, plan.site_cities.len())) };
    // Remote work is paid at head-office rates and shown in the head office's zone.
    let city_ix = site.map_or(plan.site_cities[0], |k| plan.site_cities[k]);
    let city = &CITIES[city_ix];

    // Distinct skills: a partial shuffle of the pool.
    let mut pool = if site.is_none() { ctx.sector_remote[plan.sector].clone() } else { ctx.sector_skills[plan.sector].clone() };
    let n = (1 + weighted(rng, &[55, 28, 12, 5])).min(pool.len());
    for k in 0..n {
        let j = k + index(rng, pool.len() - k);
        pool.swap(k, j);
    }
    pool.truncate(n);
    let main_level = 1 + weighted(rng, &[35, 35, 22, 8]);
    let skills: Vec<SkillRequirement> = pool
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let l = if k == 0 { main_level } else { 1 + weighted(rng, &[55, 35, 10]) };
            SkillRequirement { skill: ctx.codes[s].clone(), level: Level::new(l as u8).unwrap_or(Level::MIN) }
        })
        .collect();
    let tier = pool.iter().map(|&s| SKILLS[s].tier).max().unwrap_or(0);

    let headcount = 1 + weighted(rng, &[50, 25, 12, 8, 5]) as u32;
    let window = window(rng, ctx, &ctx.zones[city_ix], sector);

    let currency_code = COUNTRIES[city.country].currency;
    let pay = money(city.rates[tier], LEVEL_PERCENT[main_level - 1], rng.u32(100..=130), pay_step(currency_code));
    let bill = with_margin(pay, rng.u32(20..=35));
    let currency = ctx.currencies[city.country];

    let notes = match site {
        None => format!("{} {}", pick(rng, REMOTE_NOTES), pick(rng, sector.notes)),
        Some(_) if chance(rng, 50) => format!("{} Ask for the duty manager on arrival.", pick(rng, sector.notes)),
        Some(_) => (*pick(rng, sector.notes)).to_string(),
    };
    DemoShift {
        site,
        window,
        skills,
        headcount,
        pay_rate: Money::new(pay, currency),
        bill_rate: Money::new(bill, currency),
        notes,
    }
}

/// A window starting at a quarter-hour of local daytime or evening in the
/// sector's usual slots, strictly after `ctx.start` and no later than `ctx.end`.
fn window(rng: &mut Rng, ctx: &Ctx, zone: &Zone, sector: &Sector) -> Interval {
    let first = zone.date(ctx.start);
    let minutes = |m: u32| SignedDuration::from_mins(i64::from(m));
    for _ in 0..32 {
        let Ok(d) = first.checked_add(Span::new().days(i64::from(rng.u32(0..=ctx.days)))) else { continue };
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        if weekend && !sector.weekends && chance(rng, 80) {
            continue;
        }
        let &(lo, hi) = pick(rng, sector.slots);
        let at = stepped(rng, lo, hi, 15);
        let len = stepped(rng, sector.minutes.0, sector.minutes.1, 15);
        // A start inside a DST gap does not exist: draw again rather than shift it.
        let Ok(start) = zone.resolve_strict(d.to_datetime(time((at / 60) as i8, (at % 60) as i8, 0, 0))) else { continue };
        if start <= ctx.start || start > ctx.end {
            continue;
        }
        if let Ok(end) = start.checked_add(minutes(len)) {
            return Interval { start, end };
        }
    }
    // Practically unreachable: 10:00 local two days on is always after the
    // start and inside the first week.
    let d = zone.date(ctx.start.checked_add(SignedDuration::from_hours(48)).unwrap_or(ctx.start));
    let start = zone.resolve(d.to_datetime(time(10, 0, 0, 0)));
    let end = start.checked_add(minutes(4 * 60)).unwrap_or(Timestamp::MAX);
    Interval { start, end }
}
