//! Property test: `slivers_core::overlap::find` agrees with an independent,
//! minute-by-minute oracle over random teams in seven zones (half-hour and
//! 45-minute offsets, both hemispheres' DST) and weeks with DST changes.
//!
//! The oracle never calls the crate's time logic (no `Zone::resolve`, no
//! availability expansion, no interval set operations). For each UTC minute
//! around the week it asks jiff for the member's civil date-time and turns it
//! into a "civil key" (days since 1970-01-01, computed here, × 1440 + minute
//! of day). A civil time resolves to the earliest minute whose key is at least
//! the target, which is the exchange's documented DST rule (a gap resolves to
//! its end, an overlap to the earlier instant); a dated window with an end
//! whose key no minute has (inside a gap) is refused, as the project
//! documents. Then, minute by minute: is every member available? The finder's
//! intervals must cover exactly those minutes, and each member's rendering
//! must name the civil time and offset the oracle sees at both ends.
//!
//! Seeded: each team comes from its own seed, printed on failure.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Instant;

use jiff::civil::{date, time, Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use slivers_core::availability::{local_week, Availability, DatedWindow, WeeklyWindow};
use slivers_core::overlap::{find, week_from, Member, Overlap};
use slivers_core::{Interval, Zone};

const SEED: u64 = 0x0E_7A_2026;
const TEAMS: usize = 3_000;
const DAY: i64 = 1440;

const ZONES: [&str; 7] = [
    "Asia/Kolkata",       // +05:30, no DST
    "Asia/Kathmandu",     // +05:45, no DST
    "Australia/Adelaide", // +09:30 / +10:30, southern-hemisphere DST
    "America/St_Johns",   // -03:30 / -02:30
    "Europe/Dublin",      // +00:00 / +01:00 (legally "winter time" is the negative DST)
    "America/New_York",   // -05:00 / -04:00
    "Asia/Singapore",     // +08:00, no DST
];

/// Weeks around DST changes (date, zone that changes, offsets before and after in minutes).
const CHANGES: [((i16, i8, i8), &str, i64, i64); 6] = [
    ((2026, 10, 4), "Australia/Adelaide", 570, 630),
    ((2026, 10, 25), "Europe/Dublin", 60, 0),
    ((2026, 11, 1), "America/New_York", -240, -300),
    ((2027, 3, 14), "America/New_York", -300, -240),
    ((2027, 3, 28), "Europe/Dublin", 0, 60),
    ((2027, 4, 4), "Australia/Adelaide", 630, 570),
];
/// Ordinary weeks, for contrast.
const QUIET: [(i16, i8, i8); 2] = [(2026, 7, 15), (2027, 1, 20)];

fn ts(m: i64) -> Timestamp {
    Timestamp::from_second(m * 60).unwrap()
}

fn minute(t: Timestamp) -> i64 {
    assert!(t.as_second() % 60 == 0 && t.subsec_nanosecond() == 0, "{t} is not a whole minute");
    t.as_second().div_euclid(60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ckey(dt: DateTime) -> i64 {
    days_from_civil(i64::from(dt.year()), i64::from(dt.month()), i64::from(dt.day())) * DAY
        + i64::from(dt.hour()) * 60
        + i64::from(dt.minute())
}

/// Monday = 0 .. Sunday = 6 for a day number (1970-01-01 was a Thursday).
fn weekday_of_day(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

fn tmin(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// One zone's civil keys for every UTC minute in `[lo, hi)`, and their running
/// maximum, which is monotone, so "the earliest minute whose key is at least
/// k" is a binary search.
struct Clock {
    lo: i64,
    keys: Vec<i64>,
    running_max: Vec<i64>,
}

impl Clock {
    fn new(tz: &TimeZone, lo: i64, hi: i64) -> Clock {
        let keys: Vec<i64> = (lo..hi).map(|m| ckey(tz.to_datetime(ts(m)))).collect();
        let mut running_max = Vec::with_capacity(keys.len());
        let mut top = i64::MIN;
        for k in &keys {
            top = top.max(*k);
            running_max.push(top);
        }
        Clock { lo, keys, running_max }
    }

    fn key(&self, m: i64) -> i64 {
        self.keys[(m - self.lo) as usize]
    }

    /// The exchange's resolve: the earliest minute whose civil key is >= k.
    fn resolve(&self, k: i64) -> i64 {
        assert!(k > self.keys[0] && k <= *self.running_max.last().unwrap(), "civil key {k} outside the memo");
        self.lo + self.running_max.partition_point(|x| *x < k) as i64
    }

    fn exists(&self, k: i64) -> bool {
        self.keys.contains(&k)
    }
}

/// Minutes of `[r0, r1)` when one member is available, as the oracle sees it.
fn member_minutes(clock: &Clock, a: &Availability, r0: i64, r1: i64) -> Vec<bool> {
    let mut on = vec![false; (r1 - r0) as usize];
    let mut mark = |a: i64, b: i64, v: bool| {
        for m in a.max(r0)..b.min(r1) {
            on[(m - r0) as usize] = v;
        }
    };
    let (d0, d1) = (clock.key(r0).div_euclid(DAY) - 1, clock.key(r1 - 1).div_euclid(DAY));
    for d in d0..=d1 {
        for w in &a.weekly {
            if weekday_of_day(d) != i64::from(w.weekday.to_monday_zero_offset()) {
                continue;
            }
            let (s, e) = (tmin(w.start), tmin(w.end));
            let ed = if e <= s { d + 1 } else { d };
            mark(clock.resolve(d * DAY + s), clock.resolve(ed * DAY + e), true);
        }
    }
    let dated = |ws: &[DatedWindow]| -> Vec<(i64, i64)> {
        ws.iter()
            .map(|w| (ckey(w.start), ckey(w.end)))
            .filter(|(a, b)| clock.exists(*a) && clock.exists(*b))
            .map(|(a, b)| (clock.resolve(a), clock.resolve(b)))
            .collect()
    };
    for (a, b) in dated(&a.dated) {
        mark(a, b, true);
    }
    for (a, b) in dated(&a.exceptions) {
        mark(a, b, false);
    }
    on
}

/// Parse `±hh:mm` into minutes, independently of jiff.
fn offset_minutes(s: &str) -> i64 {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let (h, m) = s[1..].split_once(':').unwrap();
    sign * (h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap())
}

struct Team {
    zones: Vec<Zone>,
    availability: Vec<Availability>,
    range: Interval,
    /// The change (or quiet) day the week was drawn around: clocks are shared per zone and day.
    day: Date,
}

const TIMES: [(i8, i8); 14] =
    [(0, 0), (1, 0), (1, 30), (2, 0), (2, 30), (3, 0), (7, 0), (8, 30), (9, 0), (12, 0), (17, 0), (18, 45), (22, 0), (23, 30)];

fn random_time(rng: &mut fastrand::Rng) -> Time {
    if rng.bool() {
        let (h, m) = TIMES[rng.usize(..TIMES.len())];
        time(h, m, 0, 0)
    } else {
        time(rng.i8(0..24), rng.i8(0..4) * 15, 0, 0)
    }
}

fn random_availability(rng: &mut fastrand::Rng, near: DateTime) -> Availability {
    let mut a = Availability::default();
    match rng.u8(0..6) {
        // Long days every day: most teams then share some hours.
        0 => {
            let (s, e) = (time(rng.i8(0..8), 0, 0, 0), time(rng.i8(16..24), 30, 0, 0));
            for d in 0..7 {
                a.weekly.push(WeeklyWindow { weekday: Weekday::from_monday_zero_offset(d).unwrap(), start: s, end: e });
            }
        }
        // Whole days, and so the night of the DST change.
        1 | 2 => {
            for d in 0..7 {
                if rng.u8(0..4) > 0 {
                    let wd = Weekday::from_monday_zero_offset(d).unwrap();
                    a.weekly.push(WeeklyWindow { weekday: wd, start: time(0, 0, 0, 0), end: time(0, 0, 0, 0) });
                }
            }
        }
        // Nights across midnight, when DST changes happen.
        3 => {
            let (s, e) = (time(rng.i8(18..24), 0, 0, 0), time(rng.i8(3..10), 0, 0, 0));
            for d in 0..7 {
                a.weekly.push(WeeklyWindow { weekday: Weekday::from_monday_zero_offset(d).unwrap(), start: s, end: e });
            }
        }
        // Random windows, some across midnight.
        _ => {
            for _ in 0..rng.usize(1..=8) {
                let (s, e) = (random_time(rng), random_time(rng));
                if s != e {
                    a.weekly.push(WeeklyWindow { weekday: Weekday::from_monday_zero_offset(rng.i8(0..7)).unwrap(), start: s, end: e });
                }
            }
        }
    }
    // Dated windows and exceptions, at civil times near the week (some in DST gaps).
    for _ in 0..rng.usize(0..=2) {
        let start = near.checked_add(rng.i64(-DAY..8 * DAY).minutes()).unwrap();
        let start = start.with().minute(start.minute() / 30 * 30).build().unwrap();
        let w = DatedWindow { start, end: start.checked_add((rng.i64(1..=40) * 30).minutes()).unwrap() };
        if rng.bool() { a.dated.push(w) } else { a.exceptions.push(w) }
    }
    a
}

fn generate(rng: &mut fastrand::Rng, zones: &[Zone]) -> Team {
    let (day, changing) = if rng.u8(0..8) == 0 {
        (QUIET[rng.usize(..QUIET.len())], None)
    } else {
        let c = CHANGES[rng.usize(..CHANGES.len())];
        (c.0, Some(c.1))
    };
    let day = date(day.0, day.1, day.2);
    let members = rng.usize(2..=6);
    let mut team_zones: Vec<Zone> = (0..members).map(|_| zones[rng.usize(..zones.len())].clone()).collect();
    // Often someone lives where the clocks change that week.
    if let Some(name) = changing.filter(|_| rng.bool()) {
        team_zones[0] = Zone::parse(name).unwrap();
    }
    let range = if rng.bool() {
        // The ISO week containing the change, as one member's calendar has it.
        let z = &team_zones[rng.usize(..members)];
        local_week(z, Zone::iso_week_start(day))
    } else {
        // Seven days from any whole minute within the week before the change.
        let end_of_day = day.to_zoned(TimeZone::UTC).unwrap().timestamp();
        let back = rng.i64(0..7 * DAY);
        week_from(ts(minute(end_of_day) - back + rng.i64(0..DAY))).unwrap()
    };
    let near = Zone::iso_week_start(day).to_datetime(time(0, 0, 0, 0));
    let availability = (0..members).map(|_| random_availability(rng, near)).collect();
    Team { zones: team_zones, availability, range, day }
}

/// Check one team; `Err` says how the finder and the oracle disagree.
fn compare(team: &Team, got: &Overlap, clocks: &mut HashMap<(String, Date), Clock>) -> Result<(), String> {
    let (r0, r1) = (minute(team.range.start), minute(team.range.end));
    let mut everyone = vec![true; (r1 - r0) as usize];
    // Every range lies within [day - 8 days, day + 9 days]; the memo adds room
    // for windows that start the day before and for resolving near its ends.
    let mid = minute(team.day.to_zoned(TimeZone::UTC).unwrap().timestamp());
    for (z, a) in team.zones.iter().zip(&team.availability) {
        let clock = clocks.entry((z.name().to_string(), team.day)).or_insert_with(|| Clock::new(z.tz(), mid - 12 * DAY, mid + 13 * DAY));
        for (e, on) in everyone.iter_mut().zip(member_minutes(clock, a, r0, r1)) {
            *e &= on;
        }
    }
    let mut found = vec![false; everyone.len()];
    for w in got.common.windows(2) {
        if w[0].end >= w[1].start {
            return Err(format!("common intervals not normalized: {w:?}"));
        }
    }
    for iv in &got.common {
        for m in minute(iv.start)..minute(iv.end) {
            let i = m - r0;
            if i < 0 || i >= found.len() as i64 {
                return Err(format!("{iv:?} leaves the range"));
            }
            found[i as usize] = true;
        }
    }
    if let Some(i) = (0..everyone.len()).find(|&i| everyone[i] != found[i]) {
        return Err(format!("minute {} ({}): oracle says everyone {}, finder {}", r0 + i as i64, ts(r0 + i as i64), everyone[i], found[i]));
    }
    let total = everyone.iter().filter(|x| **x).count() as i64;
    if got.minutes != total {
        return Err(format!("minutes {} against {total}", got.minutes));
    }
    // Each member's clock: the civil time and offset at both ends of every interval.
    for (z, view) in team.zones.iter().zip(&got.local) {
        let clock = &clocks[&(z.name().to_string(), team.day)];
        if view.windows.len() != got.common.len() || view.zone != *z {
            return Err(format!("{}: {} local windows for {} intervals", z.name(), view.windows.len(), got.common.len()));
        }
        for (iv, w) in got.common.iter().zip(&view.windows) {
            for (m, civil, off) in [(minute(iv.start), w.start, &w.start_offset), (minute(iv.end), w.end, &w.end_offset)] {
                if ckey(civil) != clock.key(m) || ckey(civil) - offset_minutes(off) != m {
                    return Err(format!("{}: {} rendered as {civil} {off}", z.name(), ts(m)));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn the_changes_are_where_the_generator_expects_them() {
    for ((y, m, d), zone, before, after) in CHANGES {
        let tz = TimeZone::get(zone).unwrap();
        let day = date(y, m, d).to_zoned(TimeZone::UTC).unwrap().timestamp();
        let off = |t: Timestamp| i64::from(tz.to_offset(t).seconds() / 60);
        assert_eq!((off(day - 36.hours()), off(day + 36.hours())), (before, after), "{zone} around {y}-{m}-{d}");
    }
}

/// Must-show (e).
#[test]
fn overlap_agrees_with_minute_by_minute_oracle() {
    let started = Instant::now();
    let zones: Vec<Zone> = ZONES.iter().map(|z| Zone::parse(z).unwrap()).collect();
    let mut failures = Vec::new();
    let mut clocks = HashMap::new();
    let (mut some, mut straddles, mut intervals) = (0usize, 0usize, 0usize);
    let mut per_zone: HashMap<&str, usize> = HashMap::new();
    let mut per_week: std::collections::BTreeMap<Date, usize> = std::collections::BTreeMap::new();
    for i in 0..TEAMS {
        let seed = SEED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let team = generate(&mut fastrand::Rng::with_seed(seed), &zones);
        let members: Vec<Member<'_>> = team.zones.iter().zip(&team.availability).map(|(zone, availability)| Member { zone, availability }).collect();
        let got = find(&members, team.range).unwrap();
        if let Err(why) = compare(&team, &got, &mut clocks) {
            failures.push(format!("team {i} (seed {seed:#x}) in {:?} over {:?}: {why}", team.zones, team.range));
        }
        *per_week.entry(team.day).or_default() += 1;
        some += usize::from(!got.common.is_empty());
        intervals += got.common.len();
        // An interval in which some member's UTC offset changes.
        straddles += got.common.iter().filter(|iv| team.zones.iter().any(|z| z.tz().to_offset(iv.start) != z.tz().to_offset(iv.end))).count();
        for z in &team.zones {
            *per_zone.entry(ZONES.iter().find(|n| **n == z.name()).unwrap()).or_default() += 1;
        }
    }
    println!(
        "overlap_oracle: {TEAMS} teams in {:.1?}, {} disagreements; {some} with common time, {intervals} intervals, {straddles} across a DST change; members per zone {per_zone:?}; teams per week around {per_week:?}",
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} of {TEAMS} teams disagree:\n{}", failures.len(), failures.iter().take(3).cloned().collect::<Vec<_>>().join("\n"));
    assert!(some >= TEAMS / 4, "only {some} teams have common time");
    assert!(straddles >= 150, "only {straddles} common intervals cross a DST change");
    assert!(per_zone.len() == ZONES.len() && per_zone.values().all(|n| *n >= 200), "{per_zone:?}");
    assert!(per_week.len() == CHANGES.len() + QUIET.len() && per_week.values().all(|n| *n >= 100), "{per_week:?}");
}

#[test]
fn oracle_resolve_follows_the_documented_dst_rules() {
    let tz = TimeZone::get("Australia/Adelaide").unwrap();
    let lo = minute("2026-10-01T00:00:00Z".parse().unwrap());
    let c = Clock::new(&tz, lo, lo + 7 * DAY);
    // 2026-10-04 02:15 does not exist in Adelaide: it resolves to 03:00 ACDT (+10:30) = 16:30 UTC on the 3rd.
    let gap = ckey(date(2026, 10, 4).at(2, 15, 0, 0));
    assert!(!c.exists(gap));
    assert_eq!(ts(c.resolve(gap)).to_string(), "2026-10-03T16:30:00Z");
    // 2026-11-01 01:30 happens twice in New York: the earlier, EDT one (05:30 UTC).
    let ny = TimeZone::get("America/New_York").unwrap();
    let lo = minute("2026-10-29T00:00:00Z".parse().unwrap());
    let c = Clock::new(&ny, lo, lo + 7 * DAY);
    assert_eq!(ts(c.resolve(ckey(date(2026, 11, 1).at(1, 30, 0, 0)))).to_string(), "2026-11-01T05:30:00Z");
}
