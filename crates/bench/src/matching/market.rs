//! The benchmark market: `slivers_demo::generate` post-processed, deterministically,
//! into a 200-skill taxonomy and a denser map of the United Kingdom, plus existing
//! bookings and track records so every hard rule has real work to do.

#![allow(clippy::float_arithmetic)] // geography and popularity weights

use std::collections::{BTreeMap, HashMap, HashSet};

use fastrand::Rng;
use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use slivers_core::availability::WeeklyWindow;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::WorkerId;
use slivers_core::skills::{Evidence, SkillCode};
use slivers_core::worker::{Reach, Worker};
use slivers_core::{Currency, Interval, Zone};
use slivers_store::TrackRecord;

/// Target for the expanded availability windows per worker over the four weeks.
pub const WINDOWS_PER_WORKER_TARGET: usize = 10;

/// A place shifts happen and workers live: a demo city or a UK town.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub name: &'static str,
    pub zone: Zone,
    pub currency: Currency,
    pub point: GeoPoint,
    /// Radius in metres within which site shifts are placed around the centre.
    pub site_radius_m: f64,
}

/// The 22 demo cities (copied from `slivers_demo`'s private table: name, zone, lat, lon, currency).
const DEMO_CITIES: &[(&str, &str, f64, f64, &str)] = &[
    ("London", "Europe/London", 51.5074, -0.1278, "GBP"),
    ("Manchester", "Europe/London", 53.4808, -2.2426, "GBP"),
    ("Leeds", "Europe/London", 53.8008, -1.5491, "GBP"),
    ("Glasgow", "Europe/London", 55.8642, -4.2518, "GBP"),
    ("Birmingham", "Europe/London", 52.4862, -1.8904, "GBP"),
    ("Bristol", "Europe/London", 51.4545, -2.5879, "GBP"),
    ("Berlin", "Europe/Berlin", 52.5200, 13.4050, "EUR"),
    ("Munich", "Europe/Berlin", 48.1351, 11.5820, "EUR"),
    ("Hamburg", "Europe/Berlin", 53.5511, 9.9937, "EUR"),
    ("Paris", "Europe/Paris", 48.8566, 2.3522, "EUR"),
    ("Lyon", "Europe/Paris", 45.7640, 4.8357, "EUR"),
    ("Dublin", "Europe/Dublin", 53.3498, -6.2603, "EUR"),
    ("Amsterdam", "Europe/Amsterdam", 52.3676, 4.9041, "EUR"),
    ("New York", "America/New_York", 40.7128, -74.0060, "USD"),
    ("Chicago", "America/Chicago", 41.8781, -87.6298, "USD"),
    ("Los Angeles", "America/Los_Angeles", 34.0522, -118.2437, "USD"),
    ("Boston", "America/New_York", 42.3601, -71.0589, "USD"),
    ("Sydney", "Australia/Sydney", -33.8688, 151.2093, "AUD"),
    ("Melbourne", "Australia/Melbourne", -37.8136, 144.9631, "AUD"),
    ("Bengaluru", "Asia/Kolkata", 12.9716, 77.5946, "INR"),
    ("Mumbai", "Asia/Kolkata", 19.0760, 72.8777, "INR"),
    ("Delhi", "Asia/Kolkata", 28.6139, 77.2090, "INR"),
];

/// UK towns and smaller cities (name, lat, lon, relative population weight):
/// a share of the demo's UK workers is moved here so locations cover the country.
const UK_TOWNS: &[(&str, f64, f64, u32)] = &[
    ("Liverpool", 53.4084, -2.9916, 50),
    ("Sheffield", 53.3811, -1.4701, 58),
    ("Newcastle upon Tyne", 54.9783, -1.6178, 30),
    ("Nottingham", 52.9548, -1.1581, 32),
    ("Leicester", 52.6369, -1.1398, 35),
    ("Coventry", 52.4068, -1.5197, 37),
    ("Bradford", 53.7960, -1.7594, 35),
    ("Cardiff", 51.4816, -3.1791, 36),
    ("Edinburgh", 55.9533, -3.1883, 52),
    ("Belfast", 54.5973, -5.9301, 34),
    ("Southampton", 50.9097, -1.4044, 25),
    ("Portsmouth", 50.8198, -1.0880, 21),
    ("Plymouth", 50.3755, -4.1427, 26),
    ("Stoke-on-Trent", 53.0027, -2.1794, 26),
    ("Wolverhampton", 52.5862, -2.1286, 26),
    ("Derby", 52.9225, -1.4746, 26),
    ("Swansea", 51.6214, -3.9436, 24),
    ("Aberdeen", 57.1497, -2.0943, 20),
    ("Dundee", 56.4620, -2.9707, 15),
    ("Hull", 53.7676, -0.3274, 26),
    ("Brighton", 50.8225, -0.1372, 29),
    ("Reading", 51.4543, -0.9781, 17),
    ("Oxford", 51.7520, -1.2577, 15),
    ("Cambridge", 52.2053, 0.1218, 15),
    ("Norwich", 52.6309, 1.2974, 14),
    ("Exeter", 50.7184, -3.5339, 13),
    ("York", 53.9600, -1.0873, 21),
    ("Milton Keynes", 52.0406, -0.7594, 23),
    ("Northampton", 52.2405, -0.9027, 22),
    ("Luton", 51.8787, -0.4200, 22),
    ("Ipswich", 52.0567, 1.1482, 14),
    ("Middlesbrough", 54.5742, -1.2350, 14),
    ("Sunderland", 54.9069, -1.3838, 17),
    ("Preston", 53.7632, -2.7031, 14),
    ("Blackpool", 53.8175, -3.0357, 14),
    ("Inverness", 57.4778, -4.2247, 5),
    ("Carlisle", 54.8925, -2.9329, 8),
    ("Lincoln", 53.2307, -0.5406, 10),
    ("Gloucester", 51.8642, -2.2382, 13),
    ("Bournemouth", 50.7192, -1.8808, 19),
    ("Canterbury", 51.2802, 1.0789, 5),
    ("Truro", 50.2632, -5.0510, 2),
];

/// Share (percent) of the demo's travelling UK workers moved to the towns.
const UK_TOWN_SHARE: u32 = 45;
/// Demo base skills that get five variants instead of four (47 × 4 + 12 = 200).
const FIVE_VARIANT_BASES: usize = 12;
/// Percentage of workers with existing bookings in the horizon.
const BOOKED_SHARE: u32 = 30;

/// Everything the benchmark needs besides the index itself.
pub struct BenchMarket {
    pub workers: Vec<Worker>,
    pub bookings: HashMap<WorkerId, Vec<Interval>>,
    pub tracks: HashMap<WorkerId, TrackRecord>,
    pub anchors: Vec<Anchor>,
    /// Travelling workers (index into `workers`) per anchor, by nearest anchor to home.
    pub anchor_workers: Vec<Vec<u32>>,
    /// Workers with at least one remote-capable skill.
    pub remote_pool: Vec<u32>,
    /// Skill codes whose base skill can be done remotely.
    pub remote_skills: HashSet<String>,
    /// The taxonomy (200 codes) and how many workers claim each.
    pub taxonomy: Vec<String>,
    pub claims: BTreeMap<String, usize>,
    pub towns_moved: usize,
    pub weekly_windows_added: usize,
    pub booking_count: usize,
    pub booked_workers: usize,
    pub generate_secs: f64,
    pub postprocess_secs: f64,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent generator per (stream, item), like the demo's.
pub fn item_rng(seed: u64, stream: u64, item: u64) -> Rng {
    Rng::with_seed(splitmix(seed ^ splitmix(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ splitmix(item))))
}

pub fn weighted(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut r = rng.f64() * total;
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len().saturating_sub(1)
}

/// A point uniformly inside a disc of `radius_m` around `c`.
pub fn jitter(rng: &mut Rng, c: GeoPoint, radius_m: f64) -> GeoPoint {
    let r = radius_m * rng.f64().sqrt();
    let a = rng.f64() * std::f64::consts::TAU;
    let (dy, dx) = (r * a.sin(), r * a.cos());
    GeoPoint { lat: c.lat + dy / 111_200.0, lon: c.lon + dx / (111_320.0 * c.lat.to_radians().cos()) }
}

fn approx_dist2(a: GeoPoint, b: GeoPoint) -> f64 {
    let dx = (a.lon - b.lon) * a.lat.to_radians().cos();
    let dy = a.lat - b.lat;
    dx * dx + dy * dy
}

pub fn anchors() -> anyhow::Result<(Vec<Anchor>, usize)> {
    let mut v = Vec::new();
    for (name, zone, lat, lon, cur) in DEMO_CITIES {
        v.push(Anchor {
            name,
            zone: Zone::parse(zone).map_err(|e| anyhow::anyhow!("{e:?}"))?,
            currency: Currency::parse(cur).map_err(|e| anyhow::anyhow!("{e:?}"))?,
            point: GeoPoint { lat: *lat, lon: *lon },
            site_radius_m: 10_000.0,
        });
    }
    let first_town = v.len();
    let london = Zone::parse("Europe/London").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for (name, lat, lon, _) in UK_TOWNS {
        v.push(Anchor { name, zone: london.clone(), currency: Currency::GBP, point: GeoPoint { lat: *lat, lon: *lon }, site_radius_m: 5_000.0 });
    }
    Ok((v, first_town))
}

/// The 200-code taxonomy: each demo skill `base` becomes `base_v1` .. `base_v4`
/// (the first twelve get a `_v5`), picked with Zipf weights 1/k so popularity is skewed
/// within a trade as well as across trades.
fn variants(base_codes: &[String]) -> Vec<Vec<String>> {
    base_codes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let n = if i < FIVE_VARIANT_BASES { 5 } else { 4 };
            (1..=n).map(|k| format!("{b}_v{k}")).collect()
        })
        .collect()
}

pub fn build(seed: u64, n: usize, horizon: Interval) -> anyhow::Result<BenchMarket> {
    let t0 = std::time::Instant::now();
    let spec = slivers_demo::MarketSpec { seed, workers: n, businesses: 0, shifts: 0, start: horizon.start, weeks: 4 };
    let market = slivers_demo::generate(&spec);
    let generate_secs = t0.elapsed().as_secs_f64();
    let t1 = std::time::Instant::now();

    let base_codes: Vec<String> = market.skills.iter().map(|s| s.code.as_str().to_string()).collect();
    let base_ix: HashMap<String, usize> = base_codes.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
    let variants = variants(&base_codes);
    let taxonomy: Vec<String> = variants.iter().flatten().cloned().collect();
    let variant_codes: Vec<Vec<SkillCode>> = variants
        .iter()
        .map(|v| v.iter().map(|c| SkillCode::parse(c).map_err(|e| anyhow::anyhow!("{e:?}"))).collect::<anyhow::Result<Vec<_>>>())
        .collect::<anyhow::Result<_>>()?;
    let zipf: Vec<Vec<f64>> = variants.iter().map(|v| (1..=v.len()).map(|k| 1.0 / k as f64).collect()).collect();

    // Remote-capable base skills: whatever the demo gives remote-only workers.
    let remote_bases: HashSet<usize> = market
        .workers
        .iter()
        .filter(|w| matches!(w.worker.reach, Reach::RemoteOnly))
        .flat_map(|w| w.worker.skills.iter().filter_map(|c| base_ix.get(c.skill.as_str()).copied()))
        .collect();
    let remote_skills: HashSet<String> = remote_bases.iter().flat_map(|b| variants[*b].iter().cloned()).collect();

    let (anchors, first_town) = anchors()?;
    let town_weights: Vec<f64> = UK_TOWNS.iter().map(|t| f64::from(t.3)).collect();

    let mut workers: Vec<Worker> = Vec::with_capacity(n);
    let mut towns_moved = 0usize;
    for (i, dw) in market.workers.into_iter().enumerate() {
        let mut w = dw.worker;
        w.id = WorkerId(i as i64 + 1);
        let mut rng = item_rng(seed, 101, i as u64);
        for c in &mut w.skills {
            if let Some(b) = base_ix.get(c.skill.as_str()) {
                let k = weighted(&mut rng, &zipf[*b]);
                c.skill = variant_codes[*b][k].clone();
            }
        }
        if let Reach::Travel { radius_km, .. } = w.reach
            && w.zone.name() == "Europe/London"
            && rng.u32(..100) < UK_TOWN_SHARE
        {
            let t = weighted(&mut rng, &town_weights);
            let home = jitter(&mut rng, anchors[first_town + t].point, 8_000.0);
            w.reach = Reach::Travel { home, radius_km };
            towns_moved += 1;
        }
        workers.push(w);
    }

    // Availability: the demo patterns give about 18 windows per worker over four weeks;
    // if a market ever gives fewer than the target, add a weekday evening window to
    // workers with the sparsest patterns until the estimate reaches it.
    let estimate: usize = workers.iter().map(|w| w.availability.weekly.len() * 4 + w.availability.dated.len()).sum();
    let mut weekly_windows_added = 0usize;
    let target = WINDOWS_PER_WORKER_TARGET * n + n / 20;
    if estimate < target {
        let mut missing = target - estimate;
        'outer: for round in 0..7 {
            for (i, w) in workers.iter_mut().enumerate() {
                if missing == 0 {
                    break 'outer;
                }
                if w.availability.weekly.len() > 2 + round {
                    continue;
                }
                let mut rng = item_rng(seed, 102 + round as u64, i as u64);
                let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];
                let free: Vec<Weekday> = days.iter().copied().filter(|d| !w.availability.weekly.iter().any(|x| x.weekday == *d)).collect();
                if free.is_empty() {
                    continue;
                }
                let d = free[rng.usize(..free.len())];
                let start = Time::constant(rng.i8(8..=12), 0, 0, 0);
                let end = Time::constant(rng.i8(16..=20), 0, 0, 0);
                w.availability.weekly.push(WeeklyWindow { weekday: d, start, end });
                weekly_windows_added += 1;
                missing = missing.saturating_sub(4);
            }
        }
    }

    // Existing bookings and track records.
    let mut bookings: HashMap<WorkerId, Vec<Interval>> = HashMap::new();
    let mut tracks: HashMap<WorkerId, TrackRecord> = HashMap::with_capacity(n);
    let mut booking_count = 0usize;
    for (i, w) in workers.iter().enumerate() {
        let mut rng = item_rng(seed, 110, i as u64);
        let hours: u64 = w
            .skills
            .iter()
            .flat_map(|c| c.evidence.iter())
            .map(|e| if let Evidence::VerifiedMinutes { minutes } = e { u64::from(*minutes) } else { 0 })
            .sum::<u64>()
            / 60;
        let completed = (hours / 6) as i64;
        let no_shows = if rng.u32(..100) < 12 { i64::from(rng.u32(1..=3)) } else { 0 };
        let cancelled = if rng.u32(..100) < 18 { i64::from(rng.u32(1..=4)) } else { 0 };
        tracks.insert(w.id, TrackRecord { worker_id: w.id, completed, no_shows, cancelled_by_worker: cancelled, late_cancellations: cancelled / 2 });
        if rng.u32(..100) >= BOOKED_SHARE {
            continue;
        }
        let want = rng.usize(1..=3);
        let mut mine: Vec<Interval> = Vec::new();
        for _ in 0..want * 6 {
            if mine.len() >= want {
                break;
            }
            if let Some(b) = booking(&mut rng, w, horizon)
                && !clashes(&mine, &b, i64::from(w.limits.min_rest_minutes))
            {
                mine.push(b);
            }
        }
        if !mine.is_empty() {
            booking_count += mine.len();
            mine.sort();
            bookings.insert(w.id, mine);
        }
    }
    let booked_workers = bookings.len();

    // Popularity and the pools queries draw from.
    let mut claims: BTreeMap<String, usize> = taxonomy.iter().map(|c| (c.clone(), 0)).collect();
    let mut anchor_workers: Vec<Vec<u32>> = vec![Vec::new(); anchors.len()];
    let mut remote_pool = Vec::new();
    for (i, w) in workers.iter().enumerate() {
        for c in &w.skills {
            *claims.entry(c.skill.as_str().to_string()).or_default() += 1;
        }
        if w.skills.iter().any(|c| remote_skills.contains(c.skill.as_str())) {
            remote_pool.push(i as u32);
        }
        if let Reach::Travel { home, .. } = w.reach {
            let best = anchors
                .iter()
                .enumerate()
                .filter(|(_, a)| a.currency == w.min_rate.currency)
                .min_by(|a, b| approx_dist2(home, a.1.point).total_cmp(&approx_dist2(home, b.1.point)))
                .map(|(k, _)| k);
            if let Some(k) = best {
                anchor_workers[k].push(i as u32);
            }
        }
    }

    Ok(BenchMarket {
        workers,
        bookings,
        tracks,
        anchors,
        anchor_workers,
        remote_pool,
        remote_skills,
        taxonomy,
        claims,
        towns_moved,
        weekly_windows_added,
        booking_count,
        booked_workers,
        generate_secs,
        postprocess_secs: t1.elapsed().as_secs_f64(),
    })
}

fn clashes(existing: &[Interval], b: &Interval, rest_minutes: i64) -> bool {
    let pad = SignedDuration::from_mins(rest_minutes);
    existing.iter().any(|x| x.start < b.end + pad && b.start < x.end + pad)
}

/// A booking inside one occurrence of one of the worker's weekly windows (where
/// instant bookings land), 3 to 8 hours, at most the daily cap.
fn booking(rng: &mut Rng, w: &Worker, horizon: Interval) -> Option<Interval> {
    let weekly = &w.availability.weekly;
    if weekly.is_empty() {
        return None;
    }
    let win = weekly[rng.usize(..weekly.len())];
    let first: Date = w.zone.date(horizon.start);
    let ahead = (i32::from(win.weekday.to_monday_zero_offset()) - i32::from(first.weekday().to_monday_zero_offset())).rem_euclid(7);
    let week = rng.i32(0..4);
    let date = first.checked_add(jiff::Span::new().days(i64::from(ahead + 7 * week))).ok()?;
    let win_minutes = {
        let s = i32::from(win.start.hour()) * 60 + i32::from(win.start.minute());
        let e = i32::from(win.end.hour()) * 60 + i32::from(win.end.minute());
        if e > s { e - s } else { e + 1440 - s }
    };
    let len = (rng.i32(12..=32) * 15).min(win_minutes).min(w.limits.max_minutes_per_day as i32);
    if len < 60 {
        return None;
    }
    let slack = (win_minutes - len) / 15;
    let offset = rng.i32(0..=slack) * 15;
    let start: Timestamp = w.zone.resolve(date.to_datetime(win.start)) + SignedDuration::from_mins(i64::from(offset));
    let end = start + SignedDuration::from_mins(i64::from(len));
    let iv = Interval { start, end };
    horizon.contains(&iv).then_some(iv)
}
