//! Property test: `slivers_core::rules::check` agrees with an independent,
//! brute-force, minute-by-minute oracle.
//!
//! The oracle never calls the crate's time logic (no `Zone::resolve`,
//! availability expansion, `local_day`/`local_week`, interval set operations).
//! It works on whole UTC minutes. For each minute it asks jiff for the local
//! civil date-time (`TimeZone::to_datetime`) and turns that into a "civil key":
//! days since 1970-01-01 (computed here, not by jiff) * 1440 + minute of day.
//! A civil time is resolved to an instant by scanning minute by minute for the
//! earliest UTC minute whose civil key is at least the target, which is exactly
//! the project's rule (gap -> end of the gap, overlap -> earlier instant).
//! Local ISO weeks come from jiff's `Date::iso_week_date`.
//!
//! The on-site-first rule is decided from the case's own numbers: a shift is
//! remote when it names no site, and then needs the worker's count of earlier
//! on-site shifts with the business to reach the business's policy.
//!
//! Every random case is generated from its own seed (printed on failure), so a
//! failing case can be replayed by index.

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use jiff::civil::{date, time, Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rust_decimal::Decimal;

use slivers_core::availability::{expand_weekly, Availability, DatedWindow, WeeklyWindow};
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::labour::{LabourRules, ShiftKind, Succession};
use slivers_core::rules::{check, first_failure, Mode, Proposal, Rule, Verdict};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode, SkillRequirement};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Currency, Interval, Money, Zone};

const SEED: u64 = 0x51_1_7E25_0AC1E;
const CASES: usize = 10_000;
const H: i64 = 60;
const DAY: i64 = 1440;

const ALL_RULES: [Rule; 17] = [
    Rule::ShiftOpen,
    Rule::Overlap,
    Rule::Rest,
    Rule::DailyCap,
    Rule::WeeklyCap,
    Rule::Blackout,
    Rule::Notice,
    Rule::Availability,
    Rule::InstantOptIn,
    Rule::Rate,
    Rule::Skills,
    Rule::Reach,
    Rule::OnsiteBeforeRemote,
    Rule::ConsecutiveDays,
    Rule::DaysOff,
    Rule::Weekends,
    Rule::Succession,
];

// ---------------------------------------------------------------------------
// Minute and civil arithmetic (independent of the crate)
// ---------------------------------------------------------------------------

fn ts(m: i64) -> Timestamp {
    Timestamp::from_second(m * 60).unwrap()
}

/// UTC minute index of a whole-minute timestamp.
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

/// Civil key: local days since the epoch * 1440 + local minute of day.
fn ckey(dt: DateTime) -> i64 {
    assert!(dt.second() == 0 && dt.subsec_nanosecond() == 0, "{dt} is not a whole minute");
    days_from_civil(i64::from(dt.year()), i64::from(dt.month()), i64::from(dt.day())) * DAY
        + i64::from(dt.hour()) * 60
        + i64::from(dt.minute())
}

/// (year, month) of a day number (H. Hinnant's inverse of `days_from_civil`).
fn year_month_of_day(z: i64) -> (i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m)
}

/// Monday = 0 .. Sunday = 6 for a day number (1970-01-01 was a Thursday).
fn weekday_of_day(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

fn tmin(t: Time) -> i64 {
    assert!(t.second() == 0 && t.subsec_nanosecond() == 0);
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// Per-case memo of "UTC minute -> local civil key" and of the oracle's resolve.
struct Clock {
    tz: TimeZone,
    lo: i64,
    keys: Vec<i64>,
    day_lo: i64,
    /// ISO week (year * 100 + week) per local day, 0 when not yet seen.
    weeks: Vec<i32>,
    resolved: HashMap<i64, i64>,
}

impl Clock {
    /// A memo covering UTC minutes `[from - 4 days, to + 4 days)`.
    fn new(tz: TimeZone, from: i64, to: i64) -> Clock {
        let lo = from - 4 * DAY;
        let hi = to + 4 * DAY;
        let day_lo = lo.div_euclid(DAY) - 2;
        let ndays = ((hi - lo) / DAY + 6) as usize;
        Clock { tz, lo, keys: vec![0; (hi - lo) as usize], day_lo, weeks: vec![0; ndays], resolved: HashMap::new() }
    }

    fn key(&mut self, m: i64) -> i64 {
        let i = m - self.lo;
        if i < 0 || i >= self.keys.len() as i64 {
            return ckey(self.tz.to_datetime(ts(m)));
        }
        let i = i as usize;
        let k = self.keys[i];
        if k != 0 {
            return k;
        }
        let dt = self.tz.to_datetime(ts(m));
        let k = ckey(dt);
        self.keys[i] = k;
        let di = k.div_euclid(DAY) - self.day_lo;
        if di >= 0 && (di as usize) < self.weeks.len() && self.weeks[di as usize] == 0 {
            let w = dt.date().iso_week_date();
            self.weeks[di as usize] = i32::from(w.year()) * 100 + i32::from(w.week());
        }
        k
    }

    /// The local ISO week of a local day some minute of which was already looked up.
    fn iso_week(&self, day: i64) -> i32 {
        let w = self.weeks[(day - self.day_lo) as usize];
        assert!(w != 0, "iso week of day {day} not recorded");
        w
    }

    /// The earliest UTC minute whose local civil time is >= `target`.
    fn resolve(&mut self, target: i64) -> i64 {
        if let Some(&t) = self.resolved.get(&target) {
            return t;
        }
        let first = target - 15 * H;
        assert!(self.key(first) < target, "scan must start before the target");
        let mut t = first;
        while t <= target + 15 * H {
            if self.key(t) >= target {
                self.resolved.insert(target, t);
                return t;
            }
            t += 1;
        }
        panic!("civil key {target} not reached within 15 hours");
    }

    /// Whether some UTC minute has exactly this local civil time.
    fn exists(&mut self, target: i64) -> bool {
        let mut t = target - 15 * H;
        while t <= target + 15 * H {
            if self.key(t) == target {
                return true;
            }
            t += 1;
        }
        false
    }
}

// ---------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------

struct Case {
    worker: Worker,
    booked: Vec<Interval>,
    shift: Shift,
    now: Timestamp,
    mode: Mode,
    /// The worker's earlier on-site shifts with the shift's business.
    onsite: u32,
}

struct Expect {
    pass: Vec<(Rule, bool)>,
    detail: String,
}

impl Expect {
    fn get(&self, r: Rule) -> Option<bool> {
        self.pass.iter().find(|(x, _)| *x == r).map(|(_, p)| *p)
    }
}

struct Totals {
    /// (local day, booked minutes that day, shift minutes that day)
    days: Vec<(i64, i64, i64)>,
    /// (local ISO week, booked minutes that week, shift minutes that week)
    weeks: Vec<(i32, i64, i64)>,
}

fn booked_minutes(booked: &[Interval]) -> Vec<(i64, i64)> {
    booked.iter().map(|iv| (minute(iv.start), minute(iv.end))).collect()
}

fn cap_totals(clock: &mut Clock, s0: i64, s1: i64, booked: &[(i64, i64)]) -> Totals {
    let mut days: Vec<(i64, i64, i64)> = Vec::new();
    for m in s0..s1 {
        let d = clock.key(m).div_euclid(DAY);
        match days.iter_mut().find(|x| x.0 == d) {
            Some(x) => x.2 += 1,
            None => days.push((d, 0, 1)),
        }
    }
    let mut weeks: Vec<(i32, i64, i64)> = Vec::new();
    for &(d, _, n) in &days {
        let w = clock.iso_week(d);
        match weeks.iter_mut().find(|x| x.0 == w) {
            Some(x) => x.2 += n,
            None => weeks.push((w, 0, n)),
        }
    }
    for &(a, b) in booked {
        for m in a..b {
            let d = clock.key(m).div_euclid(DAY);
            if let Some(x) = days.iter_mut().find(|x| x.0 == d) {
                x.1 += 1;
            }
            let w = clock.iso_week(d);
            if let Some(x) = weeks.iter_mut().find(|x| x.0 == w) {
                x.1 += 1;
            }
        }
    }
    Totals { days, weeks }
}

/// Occurrences `[resolve(D at start), resolve(E at end))` of weekly windows for
/// local days `d_from..=d_to`; empty ones are dropped.
fn occurrences(clock: &mut Clock, windows: &[WeeklyWindow], d_from: i64, d_to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for d in d_from..=d_to {
        for w in windows {
            if weekday_of_day(d) != i64::from(w.weekday.to_monday_zero_offset()) {
                continue;
            }
            let (s, e) = (tmin(w.start), tmin(w.end));
            let ed = if e <= s { d + 1 } else { d };
            let a = clock.resolve(d * DAY + s);
            let b = clock.resolve(ed * DAY + e);
            if a < b {
                out.push((a, b));
            }
        }
    }
    out
}

/// Dated windows as UTC minute ranges; a window with an endpoint that does not
/// exist locally (DST gap) is refused, as the project documents.
fn dated(clock: &mut Clock, ws: &[DatedWindow]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for w in ws {
        let (a, b) = (ckey(w.start), ckey(w.end));
        if !clock.exists(a) || !clock.exists(b) {
            continue;
        }
        let (ra, rb) = (clock.resolve(a), clock.resolve(b));
        if ra < rb {
            out.push((ra, rb));
        }
    }
    out
}

fn inside(m: i64, set: &[(i64, i64)]) -> bool {
    set.iter().any(|&(a, b)| a <= m && m < b)
}

fn cents(d: Decimal) -> i128 {
    let (m, s) = (d.mantissa(), d.scale());
    if s >= 2 {
        let p = 10i128.pow(s - 2);
        assert!(m % p == 0, "{d} is not a whole number of cents");
        m / p
    } else {
        m * 10i128.pow(2 - s)
    }
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance via the chord between unit vectors (not haversine).
fn dist_m(a: GeoPoint, b: GeoPoint) -> f64 {
    let v = |p: GeoPoint| {
        let (la, lo) = (p.lat.to_radians(), p.lon.to_radians());
        (la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin())
    };
    let (x1, y1, z1) = v(a);
    let (x2, y2, z2) = v(b);
    let chord = ((x1 - x2).powi(2) + (y1 - y2).powi(2) + (z1 - z2).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_M * (chord / 2.0).min(1.0).asin()
}

fn oracle(case: &Case, clock: &mut Clock) -> Expect {
    let w = &case.worker;
    let l = &w.limits;
    let mut detail = String::new();
    let s0 = minute(case.shift.window.start);
    let s1 = minute(case.shift.window.end);
    let booked = booked_minutes(&case.booked);
    let mut pass = Vec::new();

    pass.push((Rule::ShiftOpen, case.shift.status == ShiftStatus::Open));

    let overlap_n = (s0..s1).filter(|&m| inside(m, &booked)).count();
    pass.push((Rule::Overlap, overlap_n == 0));

    let rest = i64::from(l.min_rest_minutes);
    let rest_clash = rest > 0 && ((s0 - rest)..s0).chain(s1..s1 + rest).any(|m| inside(m, &booked));
    pass.push((Rule::Rest, !rest_clash));

    let t = cap_totals(clock, s0, s1, &booked);
    let day_cap = i64::from(l.max_minutes_per_day);
    let week_cap = i64::from(l.max_minutes_per_week);
    pass.push((Rule::DailyCap, t.days.iter().all(|&(_, b, s)| b + s <= day_cap)));
    pass.push((Rule::WeeklyCap, t.weeks.iter().all(|&(_, b, s)| b + s <= week_cap)));
    for &(d, b, s) in &t.days {
        let _ = writeln!(
            detail,
            "  oracle day #{d} ({}, weekday {}): booked {b} + shift {s} = {} (cap {day_cap})",
            date(1970, 1, 1).checked_add(d.days()).unwrap(),
            weekday_of_day(d),
            b + s
        );
    }
    for &(wk, b, s) in &t.weeks {
        let _ = writeln!(detail, "  oracle ISO week {wk}: booked {b} + shift {s} = {} (cap {week_cap})", b + s);
    }

    let dmin = t.days.iter().map(|x| x.0).min().unwrap();
    let dmax = t.days.iter().map(|x| x.0).max().unwrap();
    let black = occurrences(clock, &l.blackouts, dmin - 2, dmax + 1);
    let black_n = (s0..s1).filter(|&m| inside(m, &black)).count();
    let _ = writeln!(
        detail,
        "  oracle blackout occurrences {:?} -> {black_n} shift minutes blacked out",
        show_ranges(&black)
    );
    pass.push((Rule::Blackout, black_n == 0));

    let nanos = case.shift.window.start.as_nanosecond() - case.now.as_nanosecond();
    let notice_ok = nanos > 0 && nanos.div_euclid(60_000_000_000) >= i128::from(l.min_notice_minutes);
    let _ = writeln!(detail, "  oracle notice: {nanos} ns before start, need {} min", l.min_notice_minutes);
    pass.push((Rule::Notice, notice_ok));

    if case.mode == Mode::Instant {
        let weekly = occurrences(clock, &w.availability.weekly, dmin - 2, dmax + 1);
        let dat = dated(clock, &w.availability.dated);
        let holes = dated(clock, &w.availability.exceptions);
        let avail_n =
            (s0..s1).filter(|&m| (inside(m, &weekly) || inside(m, &dat)) && !inside(m, &holes)).count() as i64;
        let _ = writeln!(
            detail,
            "  oracle availability: weekly {:?} dated {:?} exceptions {:?} -> {avail_n} of {} minutes",
            show_ranges(&weekly),
            show_ranges(&dat),
            show_ranges(&holes),
            s1 - s0
        );
        pass.push((Rule::Availability, avail_n == s1 - s0));
        pass.push((Rule::InstantOptIn, w.instant_book));
    }

    let (pay, min) = (case.shift.pay_rate, w.min_rate);
    pass.push((Rule::Rate, pay.currency == min.currency && cents(pay.amount) >= cents(min.amount)));

    let skills_ok = case.shift.skills.iter().all(|req| {
        let have = w.skills.iter().find(|c| c.skill == req.skill).map_or(0, |c| c.effective_level().get());
        have >= req.level.get()
    });
    pass.push((Rule::Skills, skills_ok));

    let reach_ok = match (case.shift.location, &w.reach) {
        (None, _) => true,
        (Some(_), Reach::RemoteOnly) => false,
        (Some(site), Reach::Travel { home, radius_km }) => {
            let d = dist_m(*home, site);
            let limit = f64::from(*radius_km) * 1000.0;
            assert!(
                d == 0.0 || (d - limit).abs() > 1000.0,
                "site too close to the travel radius for the oracle: {d} m vs {limit} m"
            );
            let _ = writeln!(detail, "  oracle distance {d:.0} m, radius {limit} m");
            d <= limit
        }
    };
    pass.push((Rule::Reach, reach_ok));

    let remote = case.shift.site_id.is_none();
    let need = case.shift.onsite_before_remote;
    let _ = writeln!(detail, "  oracle on-site first: remote {remote}, has {} of {need}", case.onsite);
    pass.push((Rule::OnsiteBeforeRemote, !remote || case.onsite >= need));

    labour_oracle(case, clock, &mut pass, &mut detail);
    Expect { pass, detail }
}

/// The labour rules, brute force over day numbers: working days are the local
/// days on which a booking (or the shift) starts; each party's rule is decided
/// on its own and a rule passes when both parties' do.
fn labour_oracle(case: &Case, clock: &mut Clock, pass: &mut Vec<(Rule, bool)>, detail: &mut String) {
    let (mine, site) = (&case.worker.limits.labour, &case.shift.site_labour);
    let start_key = |clock: &mut Clock, t: Timestamp| clock.key(minute(t));
    let sk = start_key(clock, case.shift.window.start);
    let sd = sk.div_euclid(DAY);
    let band = |key: i64| match key.rem_euclid(DAY) / 60 {
        4..=7 => "early",
        8..=11 => "day",
        12..=19 => "late",
        _ => "night",
    };
    let mut days = vec![sd];
    let mut others = Vec::new();
    for b in &case.booked {
        let k = start_key(clock, b.start);
        days.push(k.div_euclid(DAY));
        others.push((k.div_euclid(DAY), band(k)));
    }
    let worked = |d: i64| days.contains(&d);
    let _ = writeln!(detail, "  oracle labour: shift day {sd} ({}), working days {:?}", band(sk), {
        let mut v: Vec<i64> = days.iter().map(|d| d - sd).collect();
        v.sort_unstable();
        v.dedup();
        v
    });

    if mine.max_consecutive_days.is_some() || site.max_consecutive_days.is_some() {
        // The longest window [a, b] around the shift's day that is all working days.
        let mut longest = 0;
        for a in sd - 20..=sd {
            for b in sd..=sd + 20 {
                if (a..=b).all(worked) {
                    longest = longest.max(b - a + 1);
                }
            }
        }
        let ok = [mine.max_consecutive_days, site.max_consecutive_days].into_iter().flatten().all(|m| longest <= i64::from(m));
        let _ = writeln!(detail, "  oracle consecutive days {longest}");
        pass.push((Rule::ConsecutiveDays, ok));
    }
    if mine.min_days_off_per_week.is_some() || site.min_days_off_per_week.is_some() {
        let monday = sd - weekday_of_day(sd);
        let off = (monday..monday + 7).filter(|d| !worked(*d)).count() as i64;
        let ok = [mine.min_days_off_per_week, site.min_days_off_per_week].into_iter().flatten().all(|m| off >= i64::from(m));
        let _ = writeln!(detail, "  oracle days off that week {off}");
        pass.push((Rule::DaysOff, ok));
    }
    if mine.max_weekends_per_month.is_some() || site.max_weekends_per_month.is_some() {
        let wd = weekday_of_day(sd);
        let ok = if wd < 5 {
            true
        } else {
            let saturday = sd - (wd - 5);
            let month = year_month_of_day(saturday);
            let n = (saturday - 40..=saturday + 40)
                .filter(|q| weekday_of_day(*q) == 5 && year_month_of_day(*q) == month && (worked(*q) || worked(q + 1)))
                .count() as i64;
            let _ = writeln!(detail, "  oracle weekends worked in {month:?}: {n}");
            [mine.max_weekends_per_month, site.max_weekends_per_month].into_iter().flatten().all(|m| n <= i64::from(m))
        };
        pass.push((Rule::Weekends, ok));
    }
    if !mine.forbidden_successions.is_empty() || !site.forbidden_successions.is_empty() {
        let kind = band(sk);
        let forbidden = |a: &str, b: &str| {
            mine.forbidden_successions.iter().chain(&site.forbidden_successions).any(|s| s.after.as_str() == a && s.then.as_str() == b)
        };
        let broken = others.iter().any(|&(d, k)| (d == sd - 1 && forbidden(k, kind)) || (d == sd + 1 && forbidden(kind, k)));
        pass.push((Rule::Succession, !broken));
    }
}

fn show_ranges(v: &[(i64, i64)]) -> Vec<String> {
    v.iter().map(|&(a, b)| format!("{}..{}", ts(a), ts(b))).collect()
}

/// Compare a verdict with the oracle; `Err` describes the disagreement.
fn compare(exp: &Expect, v: &Verdict) -> Result<(), String> {
    let mut why = String::new();
    for r in ALL_RULES {
        let n = v.checks.iter().filter(|c| c.rule == r).count();
        match (exp.get(r), n) {
            (None, 0) => {}
            (Some(_), 0) => {
                let _ = writeln!(why, "rule {} missing from the verdict", r.as_str());
            }
            (None, _) => {
                let _ = writeln!(why, "rule {} present but not expected in this mode", r.as_str());
            }
            (Some(p), 1) => {
                let got = v.get(r).unwrap().pass;
                if got != p {
                    let _ = writeln!(why, "rule {}: implementation pass={got}, oracle pass={p}", r.as_str());
                }
            }
            (Some(_), n) => {
                let _ = writeln!(why, "rule {} listed {n} times", r.as_str());
            }
        }
    }
    let all = exp.pass.iter().all(|(_, p)| *p);
    if v.allowed != all {
        let _ = writeln!(why, "allowed: implementation {}, oracle {all}", v.allowed);
    }
    if v.allowed != v.checks.iter().all(|c| c.pass) {
        let _ = writeln!(why, "allowed is not the conjunction of the checks");
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why)
    }
}

fn describe(case: &Case, exp: &Expect, v: &Verdict) -> String {
    let tz = case.worker.zone.tz();
    let loc = |t: Timestamp| format!("{t} (local {})", tz.to_datetime(t));
    let w = &case.worker;
    let mut s = String::new();
    let _ = writeln!(s, "zone: {}", w.zone.name());
    let _ = writeln!(s, "mode: {:?}", case.mode);
    let _ = writeln!(s, "now: {}", loc(case.now));
    let sh = &case.shift;
    let _ = writeln!(
        s,
        "shift: {} -> {} ({} min), status {:?}, location {:?}, pay {}, skills {:?}",
        loc(sh.window.start),
        loc(sh.window.end),
        sh.window.minutes(),
        sh.status,
        sh.location,
        sh.pay_rate,
        sh.skills.iter().map(|r| format!("{}>={}", r.skill.as_str(), r.level.get())).collect::<Vec<_>>()
    );
    let _ = writeln!(s, "worker limits: {:?}", w.limits);
    let _ = writeln!(s, "worker instant_book {}, reach {:?}, min_rate {}", w.instant_book, w.reach, w.min_rate);
    let _ = writeln!(s, "worker availability: {:?}", w.availability);
    let _ = writeln!(
        s,
        "worker skills: {:?}",
        w.skills
            .iter()
            .map(|c| format!("{} effective {}", c.skill.as_str(), c.effective_level().get()))
            .collect::<Vec<_>>()
    );
    let _ = writeln!(s, "booked ({}):", case.booked.len());
    for b in &case.booked {
        let _ = writeln!(s, "  {} -> {} ({} min)", loc(b.start), loc(b.end), b.minutes());
    }
    let _ = writeln!(s, "oracle:");
    for (r, p) in &exp.pass {
        let _ = writeln!(s, "  {:<15} {}", r.as_str(), if *p { "pass" } else { "FAIL" });
    }
    s.push_str(&exp.detail);
    let _ = writeln!(s, "implementation (allowed = {}):", v.allowed);
    for c in &v.checks {
        let _ = writeln!(
            s,
            "  {:<15} {} — {} {:?}",
            c.rule.as_str(),
            if c.pass { "pass" } else { "FAIL" },
            c.message,
            c.facts
        );
    }
    s
}

/// The verdict, after checking that the other ways of asking the same
/// question agree with it: the allocation-free `first_failure`, and both with
/// availability and blackouts expanded up front over a wider horizon (as the
/// matching index does).
fn run_check(case: &Case) -> Verdict {
    let mut p = Proposal::new(&case.worker, &case.booked, &case.shift, case.now, case.mode);
    p.onsite_with_business = case.onsite;
    let v = check(&p);
    let first = first_failure(&p);
    assert_eq!(first.is_none(), v.allowed, "first_failure disagrees with check: {first:?}");
    if let Some(rule) = first {
        assert!(v.get(rule).is_some_and(|c| !c.pass), "first_failure names {rule:?}, which the verdict passes");
    }
    let s = case.shift.window;
    let wide = Interval::new(s.start - jiff::Span::new().hours(50), s.end + jiff::Span::new().hours(50)).unwrap();
    let available = case.worker.availability.expand(&case.worker.zone, wide);
    let blackouts = expand_weekly(&case.worker.limits.blackouts, &case.worker.zone, wide);
    let mut pre = Proposal::new(&case.worker, &case.booked, &case.shift, case.now, case.mode);
    pre.available = Some(&available);
    pre.blackouts = Some(&blackouts);
    pre.onsite_with_business = case.onsite;
    let pv = check(&pre);
    for c in &v.checks {
        assert_eq!(pv.get(c.rule).map(|x| x.pass), Some(c.pass), "precomputed expansion disagrees on {:?}", c.rule);
    }
    assert_eq!(first_failure(&pre).is_none(), v.allowed);
    v
}

fn clock_for(case: &Case) -> Clock {
    let s0 = minute(case.shift.window.start);
    let s1 = minute(case.shift.window.end);
    let lo = case.booked.iter().map(|b| minute(b.start)).min().unwrap_or(s0).min(s0);
    let hi = case.booked.iter().map(|b| minute(b.end)).max().unwrap_or(s1).max(s1);
    Clock::new(case.worker.zone.tz().clone(), lo, hi)
}

// ---------------------------------------------------------------------------
// Random generation
// ---------------------------------------------------------------------------

const ZONES: [&str; 8] = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Europe/Berlin",
    "Australia/Sydney",
    "America/Santiago", // DST changes at local midnight
    "America/Havana",   // DST changes at local midnight
];

struct ZoneInfo {
    zone: Zone,
    /// UTC minutes of the zone's offset transitions in 2026 and 2027.
    transitions: Vec<i64>,
}

fn zone_infos() -> Vec<ZoneInfo> {
    let from: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2028-01-01T00:00:00Z".parse().unwrap();
    ZONES
        .iter()
        .map(|name| {
            let zone = Zone::parse(name).unwrap();
            let transitions =
                zone.tz().following(from).map(|t| t.timestamp()).take_while(|t| *t < to).map(minute).collect();
            ZoneInfo { zone, transitions }
        })
        .collect()
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, xs: &[T]) -> T {
    xs[rng.usize(..xs.len())]
}

/// One of the listed values; the list is built before the choice is drawn.
macro_rules! pick {
    ($rng:expr, [$($x:expr),+ $(,)?]) => {{
        let xs = [$($x),+];
        xs[$rng.usize(..xs.len())]
    }};
}

const INTERESTING: [(i8, i8); 16] = [
    (0, 0),
    (0, 30),
    (1, 0),
    (1, 30),
    (1, 59),
    (2, 0),
    (2, 10),
    (2, 15),
    (2, 30),
    (2, 59),
    (3, 0),
    (3, 30),
    (22, 0),
    (23, 0),
    (23, 30),
    (23, 59),
];

fn random_time(rng: &mut fastrand::Rng) -> Time {
    match rng.u32(0..10) {
        0..=4 => {
            let (h, m) = pick(rng, &INTERESTING);
            time(h, m, 0, 0)
        }
        5..=7 => {
            let q = rng.i64(0..96) * 15;
            time((q / 60) as i8, (q % 60) as i8, 0, 0)
        }
        _ => time(rng.i8(0..24), rng.i8(0..60), 0, 0),
    }
}

/// A weekly window covering civil `[cs, ce)`, if one can (span under a day).
fn window_from(cs: DateTime, ce: DateTime) -> Option<WeeklyWindow> {
    let (st, et) = (cs.time(), ce.time());
    if st == et || ce <= cs {
        return None;
    }
    let days = days_from_civil(i64::from(ce.year()), i64::from(ce.month()), i64::from(ce.day()))
        - days_from_civil(i64::from(cs.year()), i64::from(cs.month()), i64::from(cs.day()));
    let ok = (days == 0 && et > st) || (days == 1 && et <= st);
    ok.then_some(WeeklyWindow { weekday: cs.date().weekday(), start: st, end: et })
}

fn add_min(dt: DateTime, m: i64) -> DateTime {
    dt.checked_add(m.minutes()).unwrap()
}

/// Generation statistics on the DST cross-checks of dated windows.
#[derive(Default)]
struct GenStats {
    /// "case N (seed S)", for panics raised while generating.
    context: String,
    dated_kept: usize,
    dated_refused_gap: usize,
}

/// Keep a dated window only if both ends exist locally (oracle's view); check
/// that the implementation's strict resolve agrees.
fn push_dated(clock: &mut Clock, zone: &Zone, list: &mut Vec<DatedWindow>, w: DatedWindow, gs: &mut GenStats) {
    let ctx = gs.context.clone();
    if w.end <= w.start {
        return;
    }
    let exists = clock.exists(ckey(w.start)) && clock.exists(ckey(w.end));
    let imp = w.resolve(zone);
    if exists {
        let iv = imp
            .unwrap_or_else(|e| panic!("{ctx}: implementation refuses dated window {w:?} in {}: {e:?}", zone.name()));
        assert_eq!(
            (minute(iv.start), minute(iv.end)),
            (clock.resolve(ckey(w.start)), clock.resolve(ckey(w.end))),
            "{ctx}: dated window {w:?} in {} resolves differently",
            zone.name()
        );
        list.push(w);
        gs.dated_kept += 1;
    } else {
        assert!(
            imp.is_err(),
            "{ctx}: implementation accepts dated window {w:?} with an end in a DST gap in {}",
            zone.name()
        );
        gs.dated_refused_gap += 1;
    }
}

struct Meta {
    straddles_transition: bool,
    near_transition: bool,
    crosses_midnight: bool,
    overnight_window: bool,
}

fn random_labour(rng: &mut fastrand::Rng) -> LabourRules {
    let some = |rng: &mut fastrand::Rng, lo: u8, hi: u8| rng.bool().then(|| rng.u8(lo..=hi));
    let mut forbidden_successions: Vec<Succession> = Vec::new();
    for _ in 0..rng.usize(0..=3) {
        let s = Succession { after: pick(rng, &ShiftKind::ALL), then: pick(rng, &ShiftKind::ALL) };
        if !forbidden_successions.contains(&s) {
            forbidden_successions.push(s);
        }
    }
    LabourRules {
        max_consecutive_days: some(rng, 1, 8),
        min_days_off_per_week: some(rng, 0, 4),
        max_weekends_per_month: some(rng, 0, 3),
        forbidden_successions,
    }
}

fn generate(rng: &mut fastrand::Rng, zones: &[ZoneInfo], gs: &mut GenStats) -> (Case, Clock, Meta) {
    let zi = &zones[rng.usize(..zones.len())];
    let zone = zi.zone.clone();
    let tz = zone.tz().clone();

    // --- the shift window ---------------------------------------------------
    let year_lo = minute("2026-01-10T00:00:00Z".parse().unwrap());
    let year_hi = minute("2027-12-20T00:00:00Z".parse().unwrap());
    let r = rng.u32(0..100);
    let anchor = if r < 50 && !zi.transitions.is_empty() {
        let t = pick(rng, &zi.transitions);
        if rng.bool() {
            t
        } else {
            t + rng.i64(-240..=240)
        }
    } else if r < 80 {
        // Local midnight, often on a DST-change date.
        let base = if !zi.transitions.is_empty() && rng.bool() {
            pick(rng, &zi.transitions) + rng.i64(-1..=1) * DAY
        } else {
            rng.i64(year_lo..year_hi)
        };
        let d = tz.to_datetime(ts(base)).date();
        let mid = minute(d.to_zoned(tz.clone()).unwrap().timestamp());
        if rng.bool() {
            mid
        } else {
            mid + rng.i64(-60..=60)
        }
    } else {
        rng.i64(year_lo..year_hi)
    };
    let dur = if rng.bool() { rng.i64(1..=56) * 15 } else { rng.i64(15..=840) };
    let s0 = anchor - rng.i64(0..=dur);
    let s1 = s0 + dur;

    // --- existing bookings (disjoint, may touch) ----------------------------
    let mut booked: Vec<(i64, i64)> = Vec::new();
    let nb = rng.usize(0..=6);
    let mut tries = 0;
    while booked.len() < nb && tries < 40 {
        tries += 1;
        let len = if rng.bool() { rng.i64(1..=40) * 15 } else { rng.i64(15..=600) };
        let gap = pick!(rng, [0, 0, 1, rng.i64(0..=60), rng.i64(0..=900)]);
        let (a, b) = match rng.u32(0..100) {
            0..=19 => (s0 - gap - len, s0 - gap),
            20..=39 => (s1 + gap, s1 + gap + len),
            40..=49 => {
                let a = rng.i64(s0 - len + 1..s1);
                (a, a + len)
            }
            50..=74 => {
                let a = s0 + rng.i64(-2 * DAY..=2 * DAY);
                (a, a + len)
            }
            _ => {
                let a = s0 + rng.i64(-8 * DAY..=8 * DAY);
                (a, a + len)
            }
        };
        if booked.iter().all(|&(x, y)| b <= x || y <= a) {
            booked.push((a, b));
        }
    }
    booked.sort_unstable();
    let lo = booked.iter().map(|b| b.0).min().unwrap_or(s0).min(s0);
    let hi = booked.iter().map(|b| b.1).max().unwrap_or(s1).max(s1);
    let mut clock = Clock::new(tz.clone(), lo, hi);

    // --- caps relative to the real totals -------------------------------------
    let totals = cap_totals(&mut clock, s0, s1, &booked);
    let max_day = totals.days.iter().map(|&(_, b, s)| b + s).max().unwrap();
    let max_week = totals.weeks.iter().map(|&(_, b, s)| b + s).max().unwrap();
    let day_cap = if rng.u32(0..10) < 4 {
        (max_day + pick!(rng, [-1, 0, 0, 1, rng.i64(-30..=30)])).clamp(1, 1440)
    } else {
        pick!(rng, [240, 480, 600, 720, 840, 1440, rng.i64(1..=1440)])
    };
    let week_cap = if rng.u32(0..10) < 4 {
        (max_week + pick!(rng, [-1, 0, 0, 1, rng.i64(-60..=60)])).clamp(1, 10080)
    } else {
        pick!(rng, [1200, 2400, 2880, 3600, 10080, rng.i64(1..=10080)])
    };

    // --- rest relative to the real gaps ---------------------------------------
    let gap_before = booked.iter().filter(|b| b.1 <= s0).map(|b| s0 - b.1).min();
    let gap_after = booked.iter().filter(|b| b.0 >= s1).map(|b| b.0 - s1).min();
    let min_rest = match rng.u32(0..100) {
        0..=24 => 0,
        25..=59 => {
            let g = match (gap_before, gap_after) {
                (Some(a), Some(b)) => {
                    if rng.bool() {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => rng.i64(0..=720),
            };
            (g + pick!(rng, [-1, 0, 0, 1])).clamp(0, 10080)
        }
        _ => pick!(rng, [60, 480, 600, 660, 720, rng.i64(0..=1440)]),
    };

    // --- notice and now ------------------------------------------------------
    let min_notice = pick!(rng, [0, 0, 15, 60, 120, 720, 1440, rng.i64(0..=2880)]);
    let start_s = s0 * 60;
    let now_s = match rng.u32(0..100) {
        0..=44 => {
            let base = min_notice + pick!(rng, [-1, 0, 0, 1, rng.i64(-5..=5)]);
            let secs = rng.i64(0..60);
            if rng.bool() {
                start_s - base * 60 - secs
            } else {
                start_s - base * 60 + secs
            }
        }
        45..=89 => start_s - rng.i64(-180..=3 * min_notice + 3000) * 60 + rng.i64(-59..=59),
        _ => start_s + pick!(rng, [-1, 0, 1]),
    };
    let now = Timestamp::from_second(now_s).unwrap();

    // --- civil anchors for windows ---------------------------------------------
    let ls = tz.to_datetime(ts(s0));
    let le = tz.to_datetime(ts(s1));
    let mut overnight = false;

    // --- blackouts -------------------------------------------------------------
    let mut blackouts = Vec::new();
    let nbl = pick!(rng, [0, 0, 0, 1, 1, 1, 1, 2, 2, 3]);
    while blackouts.len() < nbl {
        let w = match rng.u32(0..100) {
            0..=34 => {
                let cs = add_min(ls, rng.i64(-180..=dur));
                window_from(cs, add_min(cs, rng.i64(15..=600)))
            }
            35..=54 => {
                let len = rng.i64(15..=600);
                if rng.bool() {
                    window_from(add_min(ls, -len), ls)
                } else {
                    window_from(le, add_min(le, len))
                }
            }
            55..=79 => {
                let d = if rng.bool() { ls.date() } else { le.date() };
                let d = d.checked_add(rng.i64(-1..=0).days()).unwrap();
                let (st, et) = (random_time(rng), random_time(rng));
                (st != et).then_some(WeeklyWindow { weekday: d.weekday(), start: st, end: et })
            }
            _ => {
                let (st, et) = (random_time(rng), random_time(rng));
                let wd = Weekday::from_monday_zero_offset(rng.i8(0..7)).unwrap();
                (st != et).then_some(WeeklyWindow { weekday: wd, start: st, end: et })
            }
        };
        if let Some(w) = w {
            overnight |= w.end <= w.start;
            blackouts.push(w);
        }
    }

    // --- availability -----------------------------------------------------------
    let mut weekly = Vec::new();
    let mut dated_w = Vec::new();
    let mut exceptions = Vec::new();
    if rng.u32(0..100) >= 12 {
        let slack = |rng: &mut fastrand::Rng| match rng.u32(0..100) {
            0..=44 => 0,
            45..=84 => rng.i64(1..=120),
            _ => -rng.i64(1..=30),
        };
        let cs = add_min(ls, -slack(rng));
        let ce = add_min(le, slack(rng));
        if cs < ce {
            let span = (ckey(ce) - ckey(cs)).max(1);
            let cm = add_min(cs, rng.i64(0..span));
            match rng.u32(0..4) {
                0 => weekly.extend(window_from(cs, ce)),
                1 => {
                    weekly.extend(window_from(cs, cm));
                    weekly.extend(window_from(cm, ce));
                }
                2 => {
                    weekly.extend(window_from(cs, cm));
                    push_dated(&mut clock, &zone, &mut dated_w, DatedWindow { start: cm, end: ce }, gs);
                }
                _ => push_dated(&mut clock, &zone, &mut dated_w, DatedWindow { start: cs, end: ce }, gs),
            }
        }
    }
    for _ in 0..pick!(rng, [0, 0, 1, 2]) {
        let (st, et) = (random_time(rng), random_time(rng));
        let wd = if rng.bool() {
            ls.date().checked_add(rng.i64(-1..=1).days()).unwrap().weekday()
        } else {
            Weekday::from_monday_zero_offset(rng.i8(0..7)).unwrap()
        };
        if st != et {
            weekly.push(WeeklyWindow { weekday: wd, start: st, end: et });
        }
    }
    if rng.u32(0..4) == 0 {
        let cs = add_min(ls, rng.i64(-2 * DAY..=DAY));
        let ce = add_min(cs, rng.i64(15..=DAY));
        push_dated(&mut clock, &zone, &mut dated_w, DatedWindow { start: cs, end: ce }, gs);
    }
    for _ in 0..pick!(rng, [0, 0, 0, 1, 1, 2]) {
        let (cs, ce) = match rng.u32(0..4) {
            0 => {
                let a = add_min(ls, rng.i64(0..dur));
                (a, add_min(a, rng.i64(1..=120)))
            }
            1 => (add_min(ls, -rng.i64(1..=120)), ls),
            2 => (le, add_min(le, rng.i64(1..=120))),
            _ => {
                let a = add_min(ls, rng.i64(-DAY..=DAY));
                (a, add_min(a, rng.i64(15..=600)))
            }
        };
        push_dated(&mut clock, &zone, &mut exceptions, DatedWindow { start: cs, end: ce }, gs);
    }
    overnight |= weekly.iter().any(|w| w.end <= w.start);

    // --- reach and location --------------------------------------------------------
    let home = GeoPoint { lat: rng.f64() * 120.0 - 60.0, lon: rng.f64() * 360.0 - 180.0 };
    let radius_km: u32 = pick!(rng, [0, 5, 25, 100, rng.u32(1..=1000)]);
    let reach = if rng.u32(0..10) < 4 { Reach::RemoteOnly } else { Reach::Travel { home, radius_km } };
    let location = if rng.u32(0..10) < 4 {
        None
    } else if rng.u32(0..10) == 0 {
        Some(home)
    } else {
        loop {
            let scale_km = f64::from(radius_km.max(5)) * 2.0 * rng.f64();
            let bearing = rng.f64() * std::f64::consts::TAU;
            let lat = (home.lat + scale_km / 111.2 * bearing.cos()).clamp(-89.0, 89.0);
            let mut lon = home.lon + scale_km / (111.2 * home.lat.to_radians().cos()) * bearing.sin();
            if lon > 180.0 {
                lon -= 360.0;
            }
            if lon < -180.0 {
                lon += 360.0;
            }
            let site = GeoPoint { lat, lon };
            let d = dist_m(home, site);
            if d != 0.0 && (d - f64::from(radius_km) * 1000.0).abs() > 1500.0 {
                break Some(site);
            }
        }
    };

    // --- money ------------------------------------------------------------------------
    let currencies = [Currency::GBP, Currency::EUR, Currency::USD];
    let money = |rng: &mut fastrand::Rng, c: i64, cur: Currency| {
        let amount = if rng.bool() { Decimal::new(c, 2) } else { Decimal::new(c * 100, 4) };
        Money::new(amount, cur)
    };
    let cur = pick(rng, &currencies);
    let min_c = rng.i64(0..=5000);
    let min_rate = money(rng, min_c, cur);
    let pay_cur = if rng.u32(0..10) == 0 { pick(rng, &currencies) } else { cur };
    let pay_c = (min_c + pick!(rng, [-1, 0, 0, 1, rng.i64(-500..=500)])).max(0);
    let pay_rate = money(rng, pay_c, pay_cur);

    // --- skills ------------------------------------------------------------------------
    let codes = ["barista", "bookkeeping", "forklift", "welding"];
    let mut skills = Vec::new();
    for code in codes {
        if rng.bool() {
            let mut evidence = Vec::new();
            for _ in 0..rng.usize(0..=3) {
                let e = match rng.u32(0..6) {
                    0 => Evidence::assessment(Level::new(rng.u8(1..=5)).unwrap()),
                    1 => Evidence::VerifiedMinutes { minutes: pick!(rng, [600, 1200, 6000, 24_000]) },
                    2 => Evidence::Rating { stars: rng.u8(1..=5), booking: None },
                    3 => Evidence::Certificate { name: "Cert".into() },
                    4 => Evidence::SelfDeclared,
                    _ => {
                        // A long track record, in one go.
                        evidence.extend(std::iter::repeat_n(Evidence::Rating { stars: 5, booking: None }, 10));
                        Evidence::VerifiedMinutes { minutes: 30_000 }
                    }
                };
                evidence.push(e);
            }
            skills.push(SkillClaim {
                skill: SkillCode::parse(code).unwrap(),
                claimed: Level::new(rng.u8(1..=5)).unwrap(),
                evidence,
            });
        }
    }
    let mut reqs = Vec::new();
    for _ in 0..rng.usize(0..=2) {
        let code = pick(rng, &codes);
        if reqs.iter().all(|r: &SkillRequirement| r.skill.as_str() != code) {
            reqs.push(SkillRequirement {
                skill: SkillCode::parse(code).unwrap(),
                level: Level::new(rng.u8(1..=5)).unwrap(),
            });
        }
    }

    let worker = Worker {
        id: WorkerId(1),
        name: "Oracle".into(),
        zone: zone.clone(),
        reach,
        min_rate,
        limits: Limits {
            max_minutes_per_day: day_cap as u32,
            max_minutes_per_week: week_cap as u32,
            min_rest_minutes: min_rest as u32,
            min_notice_minutes: min_notice as u32,
            blackouts,
            labour: LabourRules::default(),
        },
        instant_book: rng.u32(0..10) < 7,
        availability: Availability { weekly, dated: dated_w, exceptions },
        skills,
        wanted_minutes_per_week: 0,
    };
    let shift = Shift {
        id: ShiftId(1),
        business_id: BusinessId(1),
        site_id: location.map(|_| SiteId(1)),
        location,
        zone,
        window: Interval::new(ts(s0), ts(s1)).unwrap(),
        skills: reqs,
        headcount: 1,
        pay_rate,
        bill_rate: pay_rate,
        notes: String::new(),
        status: if rng.u32(0..10) == 0 { ShiftStatus::Cancelled } else { ShiftStatus::Open },
        onsite_before_remote: 0,
        site_labour: Default::default(),
    };
    let mode = pick!(rng, [Mode::Instant, Mode::Offer, Mode::Accept]);
    // Drawn last so the cases above stay what they were before the rule existed.
    let mut shift = shift;
    shift.onsite_before_remote = pick!(rng, [0, 0, 1, 2, 3, 5]);
    let onsite = (i64::from(shift.onsite_before_remote) + pick!(rng, [-2, -1, -1, 0, 0, 1, 4])).max(0) as u32;
    // Labour rules, drawn after everything else so the cases above stay what
    // they were: a third of cases get rules (the worker's, the site's or
    // both) and a scatter of bookings on the days around the shift.
    let mut worker = worker;
    let mut booked = booked;
    if rng.u32(0..3) == 0 {
        worker.limits.labour = random_labour(rng);
        if rng.bool() {
            shift.site_labour = random_labour(rng);
        }
        let density = pick!(rng, [0.3, 0.6, 0.9]);
        for offset in -16..=16i64 {
            if offset == 0 || rng.f64() > density {
                continue;
            }
            let a = s0 + offset * DAY + rng.i64(-10..=10) * H + pick!(rng, [0, 0, 30]);
            let b = a + pick!(rng, [120, 180, 240, 480]);
            if booked.iter().all(|&(x, y)| b <= x || y <= a) && (b <= s0 || s1 <= a) {
                booked.push((a, b));
            }
        }
        booked.sort_unstable();
        let lo = booked.iter().map(|b| b.0).min().unwrap_or(s0).min(s0);
        let hi = booked.iter().map(|b| b.1).max().unwrap_or(s1).max(s1);
        clock = Clock::new(tz.clone(), lo, hi);
    }
    let booked = booked.iter().map(|&(a, b)| Interval::new(ts(a), ts(b)).unwrap()).collect();

    let meta = Meta {
        straddles_transition: zi.transitions.iter().any(|&t| s0 < t && t < s1),
        near_transition: zi.transitions.iter().any(|&t| (t - s0).abs() <= DAY || (t - s1).abs() <= DAY),
        crosses_midnight: totals.days.len() > 1,
        overnight_window: overnight,
    };
    (Case { worker, booked, shift, now, mode, onsite }, clock, meta)
}

// ---------------------------------------------------------------------------
// The property test
// ---------------------------------------------------------------------------

#[test]
fn check_agrees_with_minute_by_minute_oracle() {
    let started = Instant::now();
    let zones = zone_infos();
    for z in &zones {
        // Havana: the bundled tzdata keeps Cuba on -04 from 2026-03-08 to 2027-11-07.
        assert!(
            z.zone.name() == "Asia/Kolkata" || z.transitions.len() >= 2,
            "{} has transitions: {:?}",
            z.zone.name(),
            z.transitions.iter().map(|&m| ts(m)).collect::<Vec<_>>()
        );
    }
    let mut gs = GenStats::default();
    let mut counts: HashMap<Rule, (usize, usize)> = HashMap::new();
    let mut mismatch_by_rule: HashMap<String, usize> = HashMap::new();
    let mut first_failures: Vec<String> = Vec::new();
    let mut mismatches = 0usize;
    let (mut allowed, mut denied) = (0usize, 0usize);
    let (mut straddle, mut near, mut midnight, mut overnight) = (0usize, 0usize, 0usize, 0usize);
    let mut per_zone: HashMap<String, usize> = HashMap::new();
    let mut per_mode: HashMap<String, usize> = HashMap::new();
    let mut cases_run = 0usize;

    for i in 0..CASES {
        let seed = SEED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut rng = fastrand::Rng::with_seed(seed);
        gs.context = format!("case {i} (seed {seed:#x})");
        let (case, mut clock, meta) = generate(&mut rng, &zones, &mut gs);
        let exp = oracle(&case, &mut clock);
        let verdict = run_check(&case);
        if let Err(why) = compare(&exp, &verdict) {
            mismatches += 1;
            for line in why.lines() {
                *mismatch_by_rule.entry(line.split(':').next().unwrap_or(line).to_string()).or_default() += 1;
            }
            if first_failures.len() < 3 {
                first_failures.push(format!(
                    "case {i} (seed {seed:#x}, master seed {SEED:#x}):\n{why}{}",
                    describe(&case, &exp, &verdict)
                ));
            }
        }
        for (r, p) in &exp.pass {
            let e = counts.entry(*r).or_default();
            if *p {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        if exp.pass.iter().all(|(_, p)| *p) {
            allowed += 1;
        } else {
            denied += 1;
        }
        straddle += usize::from(meta.straddles_transition);
        near += usize::from(meta.near_transition);
        midnight += usize::from(meta.crosses_midnight);
        overnight += usize::from(meta.overnight_window);
        *per_zone.entry(case.worker.zone.name().to_string()).or_default() += 1;
        *per_mode.entry(format!("{:?}", case.mode)).or_default() += 1;
        cases_run += 1;
    }

    println!("rules_oracle: {cases_run} cases in {:.1?}", started.elapsed());
    println!("  {:<15} {:>6} {:>6}", "rule", "pass", "fail");
    for r in ALL_RULES {
        let (p, f) = counts.get(&r).copied().unwrap_or_default();
        println!("  {:<15} {p:>6} {f:>6}", r.as_str());
    }
    println!("  allowed {allowed}, denied {denied}");
    println!(
        "  shifts straddling a DST transition {straddle}, within a day of one {near}, crossing local midnight {midnight}, with an overnight window {overnight}"
    );
    println!("  dated windows kept {}, refused for a DST gap {}", gs.dated_kept, gs.dated_refused_gap);
    let mut z: Vec<_> = per_zone.into_iter().collect();
    z.sort();
    println!("  per zone {z:?}");
    let mut m: Vec<_> = per_mode.into_iter().collect();
    m.sort();
    println!("  per mode {m:?}");

    if mismatches > 0 {
        let mut by: Vec<_> = mismatch_by_rule.into_iter().collect();
        by.sort();
        panic!(
            "{mismatches} of {cases_run} cases disagree with the oracle; by rule: {by:?}\n\n{}",
            first_failures.join("\n----------------------------------------\n")
        );
    }

    assert_eq!(cases_run, CASES);
    for r in ALL_RULES {
        let (p, f) = counts.get(&r).copied().unwrap_or_default();
        assert!(p >= 50 && f >= 50, "rule {} is not exercised both ways: {p} passes, {f} failures", r.as_str());
    }
    assert!(allowed >= 20 && denied >= 20, "allowed {allowed}, denied {denied}");
    assert!(straddle >= CASES / 5, "only {straddle} shifts straddle a DST transition");
    assert!(midnight >= CASES / 5, "only {midnight} shifts cross local midnight");
    assert!(overnight >= CASES / 5, "only {overnight} cases have an overnight window");
    assert!(
        gs.dated_refused_gap > 0 && gs.dated_kept > 1000,
        "dated windows: {} kept, {} refused",
        gs.dated_kept,
        gs.dated_refused_gap
    );
}

// ---------------------------------------------------------------------------
// Hand-written cases with known answers
// ---------------------------------------------------------------------------

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn iv(a: &str, b: &str) -> Interval {
    Interval::new(t(a), t(b)).unwrap()
}

fn gbp(s: &str) -> Money {
    Money::new(s.parse().unwrap(), Currency::GBP)
}

fn base_worker(zone: &str) -> Worker {
    Worker {
        id: WorkerId(7),
        name: "Hand".into(),
        zone: Zone::parse(zone).unwrap(),
        reach: Reach::RemoteOnly,
        min_rate: gbp("10.00"),
        limits: Limits {
            max_minutes_per_day: 1440,
            max_minutes_per_week: 10080,
            min_rest_minutes: 0,
            min_notice_minutes: 0,
            blackouts: Vec::new(),
            labour: LabourRules::default(),
        },
        instant_book: true,
        availability: Availability::default(),
        skills: Vec::new(),
        wanted_minutes_per_week: 0,
    }
}

fn base_shift(w: Interval) -> Shift {
    Shift {
        id: ShiftId(9),
        business_id: BusinessId(3),
        site_id: None,
        location: None,
        zone: Zone::utc(),
        window: w,
        skills: Vec::new(),
        headcount: 1,
        pay_rate: gbp("12.00"),
        bill_rate: gbp("15.00"),
        notes: String::new(),
        status: ShiftStatus::Open,
        onsite_before_remote: 0,
        site_labour: Default::default(),
    }
}

/// Run both the implementation and the oracle, require agreement, return the verdict.
fn both(worker: &Worker, booked: &[Interval], window: Interval, now: Timestamp, mode: Mode) -> Verdict {
    both_on(worker, booked, base_shift(window), now, mode)
}

fn both_on(worker: &Worker, booked: &[Interval], shift: Shift, now: Timestamp, mode: Mode) -> Verdict {
    let case = Case { worker: worker.clone(), booked: booked.to_vec(), shift, now, mode, onsite: 0 };
    let mut clock = clock_for(&case);
    let exp = oracle(&case, &mut clock);
    let v = run_check(&case);
    if let Err(why) = compare(&exp, &v) {
        panic!("hand-written case disagrees:\n{why}{}", describe(&case, &exp, &v));
    }
    v
}

fn pass(v: &Verdict, r: Rule) -> bool {
    v.get(r).unwrap_or_else(|| panic!("no {} check", r.as_str())).pass
}

fn fact(v: &Verdict, r: Rule, name: &str) -> String {
    v.get(r).unwrap().facts.iter().find(|f| f.name == name).unwrap().value.clone()
}

#[test]
fn oracle_resolve_follows_the_documented_dst_rules() {
    let ny = TimeZone::get("America/New_York").unwrap();
    let mut c = Clock::new(ny, minute(t("2026-03-08T00:00:00Z")), minute(t("2026-11-02T00:00:00Z")));
    // Gap: 02:30 does not exist and resolves to the end of the gap (07:00Z).
    let gap = ckey(date(2026, 3, 8).at(2, 30, 0, 0));
    assert!(!c.exists(gap));
    assert_eq!(ts(c.resolve(gap)), t("2026-03-08T07:00:00Z"));
    // Overlap: 01:30 happens twice; the earlier (EDT) instant wins.
    let fold = ckey(date(2026, 11, 1).at(1, 30, 0, 0));
    assert!(c.exists(fold));
    assert_eq!(ts(c.resolve(fold)), t("2026-11-01T05:30:00Z"));
    // Lord Howe skips 02:00-02:30 on 2026-10-04.
    let lh = TimeZone::get("Australia/Lord_Howe").unwrap();
    let mut c = Clock::new(lh, minute(t("2026-10-03T00:00:00Z")), minute(t("2026-10-04T00:00:00Z")));
    assert_eq!(ts(c.resolve(ckey(date(2026, 10, 4).at(2, 10, 0, 0)))), t("2026-10-03T15:30:00Z"));
    assert!(c.exists(ckey(date(2026, 10, 4).at(2, 30, 0, 0))));
    assert!(!c.exists(ckey(date(2026, 10, 4).at(2, 29, 0, 0))));
    // The day numbering is the usual one.
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(weekday_of_day(days_from_civil(2026, 11, 30)), 0); // a Monday
}

#[test]
fn generator_sees_the_expected_transition_dates() {
    let zones = zone_infos();
    let dates = |name: &str| -> Vec<Date> {
        let z = zones.iter().find(|z| z.zone.name() == name).unwrap();
        z.transitions.iter().map(|&m| z.zone.tz().to_datetime(ts(m)).date()).collect()
    };
    assert!(dates("America/New_York").starts_with(&[date(2026, 3, 8), date(2026, 11, 1)]));
    assert!(dates("Europe/London").starts_with(&[date(2026, 3, 29), date(2026, 10, 25)]));
    assert!(dates("Australia/Lord_Howe").starts_with(&[date(2026, 4, 5), date(2026, 10, 4)]));
    assert!(dates("Australia/Sydney").starts_with(&[date(2026, 4, 5), date(2026, 10, 4)]));
    assert!(dates("Asia/Kolkata").is_empty());
}

/// A London week containing the October fall-back (a 25-hour Sunday), filled
/// up to exactly the weekly cap. Bookings just outside the local ISO week
/// (which a UTC week would count differently) must not count.
#[test]
fn london_weekly_cap_exactly_hit_across_fall_back() {
    let mut w = base_worker("Europe/London");
    let booked = vec![
        iv("2026-10-18T21:00:00Z", "2026-10-18T22:59:00Z"), // Sun 18th 22:00-23:59 BST: previous week
        iv("2026-10-18T23:00:00Z", "2026-10-19T00:00:00Z"), // Mon 19th 00:00-01:00 BST: this week, 60
        iv("2026-10-20T08:00:00Z", "2026-10-20T15:00:00Z"), // 420
        iv("2026-10-21T08:00:00Z", "2026-10-21T15:00:00Z"), // 420
        iv("2026-10-22T08:00:00Z", "2026-10-22T15:00:00Z"), // 420
        iv("2026-10-23T08:00:00Z", "2026-10-23T15:00:00Z"), // 420
        iv("2026-10-25T23:00:00Z", "2026-10-26T00:00:00Z"), // Sun 25th 23:00-24:00 GMT: this week, 60
        iv("2026-10-26T00:00:00Z", "2026-10-26T02:00:00Z"), // Mon 26th: next week
    ];
    // Sunday 25th 01:00 BST to 05:00 GMT: 300 minutes across the fall-back.
    let shift = iv("2026-10-25T00:00:00Z", "2026-10-25T05:00:00Z");
    let now = t("2026-10-01T12:00:00Z");

    w.limits.max_minutes_per_week = 2100;
    w.limits.max_minutes_per_day = 360;
    let v = both(&w, &booked, shift, now, Mode::Offer);
    assert!(pass(&v, Rule::WeeklyCap));
    assert_eq!(fact(&v, Rule::WeeklyCap, "week_minutes_with_shift"), "2100");
    assert_eq!(fact(&v, Rule::WeeklyCap, "week_of"), "2026-10-19");
    assert!(pass(&v, Rule::DailyCap));
    assert_eq!(fact(&v, Rule::DailyCap, "day_minutes_with_shift"), "360");
    assert!(v.allowed, "{:?}", v.failures().collect::<Vec<_>>());

    w.limits.max_minutes_per_week = 2099;
    let v = both(&w, &booked, shift, now, Mode::Offer);
    assert!(!pass(&v, Rule::WeeklyCap));
    assert!(pass(&v, Rule::DailyCap));
    assert_eq!(v.failures().count(), 1);

    w.limits.max_minutes_per_week = 2100;
    w.limits.max_minutes_per_day = 359;
    let v = both(&w, &booked, shift, now, Mode::Accept);
    assert!(!pass(&v, Rule::DailyCap));
    assert!(pass(&v, Rule::WeeklyCap));
}

/// Lord Howe skips 02:00-02:30 on Sunday 2026-10-04 (+10:30 -> +11:00 at 15:30Z).
#[test]
fn lord_howe_blackout_across_the_half_hour_gap() {
    let mut w = base_worker("Australia/Lord_Howe");
    let now = t("2026-09-01T00:00:00Z");
    let sunday = |h, m| time(h, m, 0, 0);

    // A blackout wholly inside the gap has no minutes at all.
    w.limits.blackouts = vec![WeeklyWindow { weekday: Weekday::Sunday, start: sunday(2, 0), end: sunday(2, 30) }];
    let v = both(&w, &[], iv("2026-10-03T15:00:00Z", "2026-10-03T16:00:00Z"), now, Mode::Offer);
    assert!(pass(&v, Rule::Blackout));

    // 02:10-02:40 starts inside the gap: it runs 15:30Z-15:40Z, ten minutes.
    w.limits.blackouts = vec![WeeklyWindow { weekday: Weekday::Sunday, start: sunday(2, 10), end: sunday(2, 40) }];
    let v = both(&w, &[], iv("2026-10-03T15:00:00Z", "2026-10-03T16:00:00Z"), now, Mode::Offer);
    assert!(!pass(&v, Rule::Blackout));
    assert_eq!(fact(&v, Rule::Blackout, "blackout_minutes"), "10");
    let v = both(&w, &[], iv("2026-10-03T15:40:00Z", "2026-10-03T16:30:00Z"), now, Mode::Offer);
    assert!(pass(&v, Rule::Blackout));
    let v = both(&w, &[], iv("2026-10-03T15:39:00Z", "2026-10-03T16:30:00Z"), now, Mode::Offer);
    assert!(!pass(&v, Rule::Blackout));
    assert_eq!(fact(&v, Rule::Blackout, "blackout_minutes"), "1");

    // An overnight blackout Saturday 23:00 -> Sunday 02:15 ends at the gap's end.
    w.limits.blackouts = vec![WeeklyWindow { weekday: Weekday::Saturday, start: sunday(23, 0), end: sunday(2, 15) }];
    let v = both(&w, &[], iv("2026-10-03T15:30:00Z", "2026-10-03T17:00:00Z"), now, Mode::Offer);
    assert!(pass(&v, Rule::Blackout));
    let v = both(&w, &[], iv("2026-10-03T15:29:00Z", "2026-10-03T17:00:00Z"), now, Mode::Offer);
    assert!(!pass(&v, Rule::Blackout));
}

/// Saturday 22:00 -> Sunday 06:00 in New York on the fall-back night lasts 9
/// hours (02:00Z-11:00Z). An exception typed at the repeated 01:30-01:45
/// removes only the first (EDT) occurrence.
#[test]
fn new_york_overnight_availability_across_fall_back() {
    let mut w = base_worker("America/New_York");
    w.availability.weekly =
        vec![WeeklyWindow { weekday: Weekday::Saturday, start: time(22, 0, 0, 0), end: time(6, 0, 0, 0) }];
    let now = t("2026-10-01T00:00:00Z");

    let v = both(&w, &[], iv("2026-11-01T02:00:00Z", "2026-11-01T11:00:00Z"), now, Mode::Instant);
    assert!(pass(&v, Rule::Availability));
    assert_eq!(fact(&v, Rule::Availability, "available_minutes"), "540");
    assert!(v.allowed);
    let v = both(&w, &[], iv("2026-11-01T02:00:00Z", "2026-11-01T11:01:00Z"), now, Mode::Instant);
    assert!(!pass(&v, Rule::Availability));
    let v = both(&w, &[], iv("2026-11-01T01:59:00Z", "2026-11-01T11:00:00Z"), now, Mode::Instant);
    assert!(!pass(&v, Rule::Availability));
    // Outside availability is fine for an offer.
    let v = both(&w, &[], iv("2026-11-01T01:59:00Z", "2026-11-01T11:00:00Z"), now, Mode::Offer);
    assert!(v.get(Rule::Availability).is_none() && v.allowed);

    w.availability.exceptions =
        vec![DatedWindow { start: date(2026, 11, 1).at(1, 30, 0, 0), end: date(2026, 11, 1).at(1, 45, 0, 0) }];
    let v = both(&w, &[], iv("2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z"), now, Mode::Instant);
    assert!(pass(&v, Rule::Availability), "the second 01:30-01:45 (EST) is still available");
    let v = both(&w, &[], iv("2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z"), now, Mode::Instant);
    assert!(!pass(&v, Rule::Availability));
    assert_eq!(fact(&v, Rule::Availability, "available_minutes"), "15");
}

/// Rest and overlap at the exact edges, and notice in whole seconds.
/// Must-show (d): a business that asks for 3 on-site shifts first. A remote
/// booking is refused, with the count, until the worker has 3 earlier on-site
/// shifts with it; on-site work is never held back by the rule; the business
/// sees the same sentence and numbers.
#[test]
fn remote_work_waits_for_the_first_onsite_shifts() {
    let w = base_worker("Asia/Kathmandu");
    let window = iv("2026-06-01T04:15:00Z", "2026-06-01T08:15:00Z");
    let now = t("2026-05-01T00:00:00Z");
    let mut remote = base_shift(window);
    remote.onsite_before_remote = 3;
    let mut seen = Vec::new();
    for has in 0..=4u32 {
        for mode in [Mode::Offer, Mode::Accept] {
            let case = Case { worker: w.clone(), booked: Vec::new(), shift: remote.clone(), now, mode, onsite: has };
            let exp = oracle(&case, &mut clock_for(&case));
            let v = run_check(&case);
            if let Err(why) = compare(&exp, &v) {
                panic!("on-site-first case disagrees:\n{why}{}", describe(&case, &exp, &v));
            }
            let c = v.get(Rule::OnsiteBeforeRemote).unwrap();
            assert_eq!(c.pass, has >= 3, "has {has}: {c:?}");
            assert_eq!(v.allowed, has >= 3, "the rule alone decides this case: {v:?}");
            assert_eq!(fact(&v, Rule::OnsiteBeforeRemote, "onsite_shifts_with_business"), has.to_string());
            assert_eq!(fact(&v, Rule::OnsiteBeforeRemote, "onsite_before_remote"), "3");
            let business = slivers_core::disclosure::for_business(&v);
            let b = business.get(Rule::OnsiteBeforeRemote).unwrap();
            assert_eq!((&b.message, &b.facts), (&c.message, &c.facts), "the business sees the rule as it is");
            if has < 3 {
                let p = Proposal { onsite_with_business: has, ..Proposal::new(&case.worker, &case.booked, &case.shift, now, mode) };
                assert_eq!(first_failure(&p), Some(Rule::OnsiteBeforeRemote));
            }
            seen.push(c.message.clone());
        }
    }
    assert_eq!(seen[2], "needs 3 on-site shifts with this business before remote work; has 1");
    assert_eq!(seen[6], "has 3 on-site shifts with this business, 3 needed before remote work");
    // A caller that does not fill in the count refuses rather than allows.
    assert_eq!(first_failure(&Proposal::new(&w, &[], &remote, now, Mode::Offer)), Some(Rule::OnsiteBeforeRemote));

    // The same business's on-site shift is allowed with no history at all.
    let mut w_travel = w.clone();
    let site = GeoPoint { lat: 27.7, lon: 85.3 };
    w_travel.reach = Reach::Travel { home: site, radius_km: 10 };
    let mut onsite = remote.clone();
    onsite.site_id = Some(SiteId(1));
    onsite.location = Some(site);
    let case = Case { worker: w_travel, booked: Vec::new(), shift: onsite, now, mode: Mode::Offer, onsite: 0 };
    let exp = oracle(&case, &mut clock_for(&case));
    let v = run_check(&case);
    assert!(compare(&exp, &v).is_ok() && v.allowed, "{v:?}");
    assert_eq!(v.get(Rule::OnsiteBeforeRemote).unwrap().message, "on-site work");

    // With no policy, remote work is open from the first shift.
    remote.onsite_before_remote = 0;
    let case = Case { worker: w, booked: Vec::new(), shift: remote, now, mode: Mode::Offer, onsite: 0 };
    assert!(run_check(&case).allowed);
}

#[test]
fn rest_overlap_and_notice_edges() {
    let mut w = base_worker("Asia/Kolkata");
    w.limits.min_rest_minutes = 60;
    w.limits.min_notice_minutes = 1;
    let shift = iv("2026-06-01T10:00:00Z", "2026-06-01T12:00:00Z");
    let now = t("2026-06-01T09:59:00Z");
    let v = both(
        &w,
        &[iv("2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z"), iv("2026-06-01T13:00:00Z", "2026-06-01T14:00:00Z")],
        shift,
        now,
        Mode::Accept,
    );
    assert!(pass(&v, Rule::Rest) && pass(&v, Rule::Overlap) && pass(&v, Rule::Notice));
    let v = both(&w, &[iv("2026-06-01T08:00:00Z", "2026-06-01T09:01:00Z")], shift, now, Mode::Accept);
    assert!(!pass(&v, Rule::Rest) && pass(&v, Rule::Overlap));
    let v = both(&w, &[iv("2026-06-01T12:59:00Z", "2026-06-01T14:00:00Z")], shift, now, Mode::Accept);
    assert!(!pass(&v, Rule::Rest));
    let v = both(&w, &[iv("2026-06-01T11:59:00Z", "2026-06-01T14:00:00Z")], shift, now, Mode::Accept);
    assert!(!pass(&v, Rule::Overlap) && !pass(&v, Rule::Rest));
    // 59 whole seconds is not a minute's notice; 60 is.
    let v = both(&w, &[], shift, t("2026-06-01T09:59:01Z"), Mode::Accept);
    assert!(!pass(&v, Rule::Notice));
    let v = both(&w, &[], shift, t("2026-06-01T10:00:00Z"), Mode::Accept);
    assert!(!pass(&v, Rule::Notice));
    w.limits.min_notice_minutes = 0;
    let v = both(&w, &[], shift, t("2026-06-01T10:00:00Z"), Mode::Accept);
    assert!(!pass(&v, Rule::Notice), "a shift that has started cannot be booked");
    let v = both(&w, &[], shift, t("2026-06-01T09:59:59Z"), Mode::Accept);
    assert!(pass(&v, Rule::Notice));
}

/// `now` normally carries nanoseconds (`Timestamp::now()`). 59.5 seconds
/// before the start is less than one minute's notice.
///
/// Known to fail against the current implementation: `interval::minutes_between`
/// drops the sub-second part of each timestamp before subtracting, so
/// 10:00:00.5 -> 10:01:00 counts as 60 s = 1 minute. Reported, not fixed here.
#[test]
fn notice_with_subsecond_now_counts_only_whole_elapsed_minutes() {
    let mut w = base_worker("Europe/London");
    w.limits.min_notice_minutes = 1;
    let shift = iv("2026-06-01T10:01:00Z", "2026-06-01T11:00:00Z");
    let now = t("2026-06-01T10:00:00.5Z");
    let case = Case { worker: w, booked: Vec::new(), shift: base_shift(shift), now, mode: Mode::Offer, onsite: 0 };
    let exp = oracle(&case, &mut clock_for(&case));
    assert_eq!(exp.get(Rule::Notice), Some(false), "the oracle counts 59.5 s as 0 whole minutes");
    let v = run_check(&case);
    assert!(
        !pass(&v, Rule::Notice),
        "59.5 s of notice accepted against a 1-minute minimum: {:?}",
        v.get(Rule::Notice).unwrap()
    );
}

#[test]
fn labour_rules_refuse_with_their_numbers_and_the_stricter_party_binds() {
    use slivers_core::disclosure::for_business;
    let mut w = base_worker("Europe/Dublin");
    let now = t("2026-10-01T00:00:00Z");
    // Monday to Friday, 09:00 to 17:00 Dublin (UTC in November).
    let week: Vec<Interval> = (2..=6).map(|d| iv(&format!("2026-11-0{d}T09:00:00Z"), &format!("2026-11-0{d}T17:00:00Z"))).collect();
    let saturday = iv("2026-11-07T09:00:00Z", "2026-11-07T13:00:00Z");

    w.limits.labour = LabourRules { max_consecutive_days: Some(5), min_days_off_per_week: Some(2), ..Default::default() };
    let v = both(&w, &week, saturday, now, Mode::Offer);
    assert!(!pass(&v, Rule::ConsecutiveDays) && !pass(&v, Rule::DaysOff));
    assert_eq!(fact(&v, Rule::ConsecutiveDays, "days_in_a_row_with_shift"), "6");
    assert_eq!(fact(&v, Rule::ConsecutiveDays, "run_from"), "2026-11-02");
    assert_eq!(fact(&v, Rule::DaysOff, "days_off_with_shift"), "1");
    assert_eq!(fact(&v, Rule::DaysOff, "set_by"), "worker");
    assert!(v.get(Rule::Weekends).is_none() && v.get(Rule::Succession).is_none(), "rules nobody set are not listed");
    // What a business reads names the rule and whose it is, never the pattern of other work.
    let shown = for_business(&v);
    let c = shown.get(Rule::ConsecutiveDays).unwrap();
    assert_eq!(c.message, "fails the worker's labour rules: too many working days in a row");
    assert!(c.facts.is_empty());

    // A Sunday with one other weekend worked this month.
    w.limits.labour = LabourRules { max_weekends_per_month: Some(1), ..Default::default() };
    let sunday = iv("2026-11-29T10:00:00Z", "2026-11-29T14:00:00Z");
    let v = both(&w, &[saturday], sunday, now, Mode::Offer);
    assert!(!pass(&v, Rule::Weekends));
    assert_eq!(fact(&v, Rule::Weekends, "weekends_in_month_with_shift"), "2");
    assert!(pass(&both(&w, &[saturday], iv("2026-11-26T10:00:00Z", "2026-11-26T14:00:00Z"), now, Mode::Offer), Rule::Weekends));

    // No early after a night: Monday 22:00 then Tuesday 06:00.
    w.limits.labour = LabourRules {
        forbidden_successions: vec![Succession { after: ShiftKind::Night, then: ShiftKind::Early }],
        ..Default::default()
    };
    let night = iv("2026-11-02T22:00:00Z", "2026-11-03T02:00:00Z");
    let v = both(&w, &[night], iv("2026-11-03T06:00:00Z", "2026-11-03T10:00:00Z"), now, Mode::Offer);
    assert!(!pass(&v, Rule::Succession));
    assert_eq!(fact(&v, Rule::Succession, "succession"), "no early after a night");
    assert!(pass(&both(&w, &[night], iv("2026-11-03T14:00:00Z", "2026-11-03T18:00:00Z"), now, Mode::Offer), Rule::Succession));

    // The site's policy binds when it is stricter than the worker's own.
    w.limits.labour = LabourRules { max_consecutive_days: Some(6), ..Default::default() };
    let mut shift = base_shift(saturday);
    shift.site_labour = LabourRules { max_consecutive_days: Some(3), ..Default::default() };
    let v = both_on(&w, &week, shift.clone(), now, Mode::Offer);
    assert!(!pass(&v, Rule::ConsecutiveDays));
    assert_eq!(fact(&v, Rule::ConsecutiveDays, "set_by"), "site");
    assert_eq!(fact(&v, Rule::ConsecutiveDays, "max_consecutive_days"), "3");
    assert_eq!(for_business(&v).get(Rule::ConsecutiveDays).unwrap().message, "fails the site's labour policy: too many working days in a row");
    // With no rule of its own, the worker still meets the site's.
    w.limits.labour = LabourRules::default();
    assert!(!pass(&both_on(&w, &week, shift, now, Mode::Offer), Rule::ConsecutiveDays));
}
