//! The one rule checker. Booking, matching and rostering all ask [`check`],
//! which lists every rule with pass or fail and the numbers behind it.

use jiff::{Span, Timestamp};
use serde::Serialize;

use crate::availability::{expand_weekly, local_dates, local_day, local_week};
use crate::business::{Shift, ShiftStatus};
use crate::interval::{minutes_between, Interval};
use crate::worker::{Reach, Worker};
use crate::Zone;

/// Why the rules are being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Mode {
    /// A business books straight into declared availability.
    Instant,
    /// A business proposes work; it may lie outside availability.
    Offer,
    /// The worker accepts an offer: every hard limit again, availability not required.
    Accept,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Rule {
    ShiftOpen,
    Overlap,
    Rest,
    DailyCap,
    WeeklyCap,
    Blackout,
    Notice,
    Availability,
    InstantOptIn,
    Rate,
    Skills,
    Reach,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ShiftOpen => "shift_open",
            Rule::Overlap => "overlap",
            Rule::Rest => "rest",
            Rule::DailyCap => "daily_cap",
            Rule::WeeklyCap => "weekly_cap",
            Rule::Blackout => "blackout",
            Rule::Notice => "notice",
            Rule::Availability => "availability",
            Rule::InstantOptIn => "instant_opt_in",
            Rule::Rate => "rate",
            Rule::Skills => "skills",
            Rule::Reach => "reach",
        }
    }
}

/// One number behind a verdict, e.g. `week_minutes_with_shift = 2520`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fact {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub rule: Rule,
    pub pass: bool,
    /// A sentence a person can read.
    pub message: String,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verdict {
    pub allowed: bool,
    pub checks: Vec<Check>,
}

impl Verdict {
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.pass)
    }
    pub fn get(&self, rule: Rule) -> Option<&Check> {
        self.checks.iter().find(|c| c.rule == rule)
    }
}

/// What the rules need to decide one worker on one shift.
pub struct Proposal<'a> {
    pub worker: &'a Worker,
    /// The worker's bookings that hold time, excluding the one being decided.
    pub booked: &'a [Interval],
    pub shift: &'a Shift,
    pub now: Timestamp,
    pub mode: Mode,
}

struct Builder(Vec<Check>);

impl Builder {
    fn add(&mut self, rule: Rule, pass: bool, message: String, facts: &[(&str, String)]) {
        let facts = facts.iter().map(|(n, v)| Fact { name: (*n).to_string(), value: v.clone() }).collect();
        self.0.push(Check { rule, pass, message, facts });
    }
}

/// Decide every rule for `p`. The result lists every rule, passing or not.
pub fn check(p: &Proposal<'_>) -> Verdict {
    let w = p.worker;
    let s = p.shift.window;
    let mut b = Builder(Vec::with_capacity(12));
    let shift_minutes = s.minutes();

    b.add(
        Rule::ShiftOpen,
        p.shift.status == ShiftStatus::Open,
        if p.shift.status == ShiftStatus::Open { "the shift is open".into() } else { "the shift was cancelled".into() },
        &[],
    );

    let overlapping: Vec<&Interval> = p.booked.iter().filter(|iv| iv.overlaps(&s)).collect();
    b.add(
        Rule::Overlap,
        overlapping.is_empty(),
        match overlapping.first() {
            None => "no other booking overlaps".into(),
            Some(o) => format!("overlaps a booking from {} to {}", o.start, o.end),
        },
        &[("overlapping_bookings", overlapping.len().to_string())],
    );

    rest(&mut b, p);
    caps(&mut b, w, p.booked, s, shift_minutes);

    let blackout_minutes: i64 =
        expand_weekly(&w.limits.blackouts, &w.zone, s).iter().map(Interval::minutes).sum();
    b.add(
        Rule::Blackout,
        blackout_minutes == 0,
        if blackout_minutes == 0 {
            "touches no blackout window".into()
        } else {
            format!("{blackout_minutes} minutes fall in the worker's blackout windows")
        },
        &[("blackout_minutes", blackout_minutes.to_string())],
    );

    let notice = minutes_between(p.now, s.start);
    let need = i64::from(w.limits.min_notice_minutes);
    b.add(
        Rule::Notice,
        notice >= need && s.start > p.now,
        format!("{notice} minutes' notice against a minimum of {need}"),
        &[("notice_minutes", notice.to_string()), ("min_notice_minutes", need.to_string())],
    );

    if p.mode == Mode::Instant {
        let covered = w.availability.expand(&w.zone, s);
        let inside = covered.len() == 1 && covered[0] == s;
        let avail_minutes: i64 = covered.iter().map(Interval::minutes).sum();
        b.add(
            Rule::Availability,
            inside,
            if inside {
                "inside declared availability".into()
            } else {
                format!("only {avail_minutes} of {shift_minutes} minutes are inside declared availability")
            },
            &[("available_minutes", avail_minutes.to_string()), ("shift_minutes", shift_minutes.to_string())],
        );
        b.add(
            Rule::InstantOptIn,
            w.instant_book,
            if w.instant_book { "accepts instant booking".into() } else { "has not opted in to instant booking; send an offer".into() },
            &[],
        );
    }

    let rate_ok = p.shift.pay_rate.currency == w.min_rate.currency && p.shift.pay_rate.amount >= w.min_rate.amount;
    b.add(
        Rule::Rate,
        rate_ok,
        format!("pays {} per hour against a minimum of {}", p.shift.pay_rate, w.min_rate),
        &[("pay_rate", p.shift.pay_rate.to_string()), ("min_rate", w.min_rate.to_string())],
    );

    skills(&mut b, p);
    reach(&mut b, p);

    let allowed = b.0.iter().all(|c| c.pass);
    Verdict { allowed, checks: b.0 }
}

fn rest(b: &mut Builder, p: &Proposal<'_>) {
    let s = p.shift.window;
    let rest = i64::from(p.worker.limits.min_rest_minutes);
    let gap_before = p.booked.iter().filter(|iv| iv.end <= s.start).map(|iv| minutes_between(iv.end, s.start)).min();
    let gap_after = p.booked.iter().filter(|iv| iv.start >= s.end).map(|iv| minutes_between(s.end, iv.start)).min();
    // The shift padded by the rest on each side, minus the shift itself, must be free.
    let pad = Span::new().minutes(rest);
    let before = Interval { start: s.start.checked_sub(pad).unwrap_or(s.start), end: s.start };
    let after = Interval { start: s.end, end: s.end.checked_add(pad).unwrap_or(s.end) };
    let clash = rest > 0 && p.booked.iter().any(|iv| iv.overlaps(&before) || iv.overlaps(&after));
    let show = |g: Option<i64>| g.map_or("none".to_string(), |g| g.to_string());
    b.add(
        Rule::Rest,
        !clash,
        format!("rest before {} and after {} minutes against a minimum of {rest}", show(gap_before), show(gap_after)),
        &[
            ("rest_before_minutes", show(gap_before)),
            ("rest_after_minutes", show(gap_after)),
            ("min_rest_minutes", rest.to_string()),
        ],
    );
}

/// Booked minutes inside `period`, summed over `booked`.
fn minutes_in(booked: &[Interval], period: &Interval) -> i64 {
    booked.iter().filter_map(|iv| iv.intersection(period)).map(|iv| iv.minutes()).sum()
}

fn caps(b: &mut Builder, w: &Worker, booked: &[Interval], s: Interval, _shift_minutes: i64) {
    let zone: &Zone = &w.zone;
    let dates = local_dates(zone, s);

    // The worst local day the shift touches decides the daily cap.
    let day_cap = i64::from(w.limits.max_minutes_per_day);
    let mut worst_day = None;
    for d in &dates {
        let day = local_day(zone, *d);
        let before = minutes_in(booked, &day);
        let with = before + s.intersection(&day).map_or(0, |iv| iv.minutes());
        if worst_day.is_none_or(|(_, _, w)| with > w) {
            worst_day = Some((*d, before, with));
        }
    }
    if let Some((d, before, with)) = worst_day {
        b.add(
            Rule::DailyCap,
            with <= day_cap,
            format!("{with} minutes on {d} with this shift ({before} without) against a cap of {day_cap}"),
            &[
                ("day", d.to_string()),
                ("day_minutes_without_shift", before.to_string()),
                ("day_minutes_with_shift", with.to_string()),
                ("max_minutes_per_day", day_cap.to_string()),
            ],
        );
    }

    let week_cap = i64::from(w.limits.max_minutes_per_week);
    let mut mondays: Vec<_> = dates.iter().map(|d| Zone::iso_week_start(*d)).collect();
    mondays.dedup();
    let mut worst_week = None;
    for m in mondays {
        let week = local_week(zone, m);
        let before = minutes_in(booked, &week);
        let with = before + s.intersection(&week).map_or(0, |iv| iv.minutes());
        if worst_week.is_none_or(|(_, _, w)| with > w) {
            worst_week = Some((m, before, with));
        }
    }
    if let Some((m, before, with)) = worst_week {
        b.add(
            Rule::WeeklyCap,
            with <= week_cap,
            format!("{with} minutes in the week of {m} with this shift ({before} without) against a cap of {week_cap}"),
            &[
                ("week_of", m.to_string()),
                ("week_minutes_without_shift", before.to_string()),
                ("week_minutes_with_shift", with.to_string()),
                ("max_minutes_per_week", week_cap.to_string()),
            ],
        );
    }
}

fn skills(b: &mut Builder, p: &Proposal<'_>) {
    let mut facts = Vec::new();
    let mut missing = Vec::new();
    for req in &p.shift.skills {
        let have = p.worker.skills.iter().find(|c| c.skill == req.skill).map(|c| c.effective_level().get());
        let have_n = have.unwrap_or(0);
        facts.push((req.skill.as_str().to_string(), format!("{have_n} of {} required", req.level.get())));
        if have_n < req.level.get() {
            missing.push(format!("{} (has {have_n}, needs {})", req.skill.as_str(), req.level.get()));
        }
    }
    let facts: Vec<(&str, String)> = facts.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
    b.add(
        Rule::Skills,
        missing.is_empty(),
        if missing.is_empty() { "every required skill at the required level".into() } else { format!("short of {}", missing.join(", ")) },
        &facts,
    );
}

fn reach(b: &mut Builder, p: &Proposal<'_>) {
    match (p.shift.location, &p.worker.reach) {
        (None, _) => b.add(Rule::Reach, true, "remote work".into(), &[]),
        (Some(_), Reach::RemoteOnly) => b.add(Rule::Reach, false, "the worker only works remotely".into(), &[]),
        (Some(site), Reach::Travel { home, radius_km }) => {
            let d = home.distance_m(&site);
            let limit = i64::from(*radius_km) * 1000;
            b.add(
                Rule::Reach,
                d <= limit,
                format!("site is {} km away against a travel radius of {radius_km} km", d / 100 * 100 / 1000),
                &[("distance_m", d.to_string()), ("radius_m", limit.to_string())],
            );
        }
    }
}
