//! The one rule checker. Booking, matching and rostering all ask [`check`],
//! which lists every rule with pass or fail and the numbers behind it.

use std::ops::ControlFlow;

use jiff::{Span, Timestamp};
use serde::Serialize;

use crate::availability::{expand_weekly, local_dates, local_day, local_week};
use crate::business::{Shift, ShiftStatus};
use crate::interval::{minutes_between, Interval};
use crate::worker::{Reach, Worker};
use crate::Zone;

/// Why the rules are being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    OnsiteBeforeRemote,
    ConsecutiveDays,
    DaysOff,
    Weekends,
    Succession,
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
            Rule::OnsiteBeforeRemote => "onsite_before_remote",
            Rule::ConsecutiveDays => "consecutive_days",
            Rule::DaysOff => "days_off",
            Rule::Weekends => "weekends",
            Rule::Succession => "succession",
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
    /// The worker's availability already expanded over a range covering the
    /// shift (normalized), so an index can expand once and ask many times.
    pub available: Option<&'a [Interval]>,
    /// The worker's blackouts already expanded likewise.
    pub blackouts: Option<&'a [Interval]>,
    /// How many of the worker's bookings that hold time (confirmed, checked
    /// in, completed) are on site with the shift's business and start before
    /// the shift does. Only a remote shift whose business sets
    /// `Shift::onsite_before_remote` reads it. [`Proposal::new`] says 0, so a
    /// caller that does not know refuses such remote work rather than allows it.
    pub onsite_with_business: u32,
}

impl<'a> Proposal<'a> {
    pub fn new(worker: &'a Worker, booked: &'a [Interval], shift: &'a Shift, now: Timestamp, mode: Mode) -> Self {
        Proposal { worker, booked, shift, now, mode, available: None, blackouts: None, onsite_with_business: 0 }
    }
}

/// Where rule outcomes go. `detail` is called only by sinks that keep the
/// reasons, so a yes/no question costs no allocation.
pub trait Sink {
    fn record(&mut self, rule: Rule, pass: bool, detail: impl FnOnce() -> (String, Vec<Fact>)) -> ControlFlow<()>;
}

/// Keeps every rule with its reasons: the verdict a person reads.
struct VerdictSink(Vec<Check>);

impl Sink for VerdictSink {
    fn record(&mut self, rule: Rule, pass: bool, detail: impl FnOnce() -> (String, Vec<Fact>)) -> ControlFlow<()> {
        let (message, facts) = detail();
        self.0.push(Check { rule, pass, message, facts });
        ControlFlow::Continue(())
    }
}

/// Stops at the first broken rule.
struct FirstFailure(Option<Rule>);

impl Sink for FirstFailure {
    fn record(&mut self, rule: Rule, pass: bool, _: impl FnOnce() -> (String, Vec<Fact>)) -> ControlFlow<()> {
        if pass {
            ControlFlow::Continue(())
        } else {
            self.0 = Some(rule);
            ControlFlow::Break(())
        }
    }
}

fn facts(pairs: &[(&str, String)]) -> Vec<Fact> {
    pairs.iter().map(|(n, v)| Fact { name: (*n).to_string(), value: v.clone() }).collect()
}

/// Decide every rule for `p`. The result lists every rule, passing or not.
pub fn check(p: &Proposal<'_>) -> Verdict {
    let mut sink = VerdictSink(Vec::with_capacity(12));
    let _ = evaluate(p, &mut sink);
    let allowed = sink.0.iter().all(|c| c.pass);
    Verdict { allowed, checks: sink.0 }
}

/// The first rule `p` breaks, or `None` if every rule passes. Same rules as
/// [`check`], evaluated by the same code, without building reasons.
pub fn first_failure(p: &Proposal<'_>) -> Option<Rule> {
    let mut sink = FirstFailure(None);
    let _ = evaluate(p, &mut sink);
    sink.0
}

/// The rules, cheapest and most selective first so a yes/no stops early.
pub fn evaluate<S: Sink>(p: &Proposal<'_>, sink: &mut S) -> ControlFlow<()> {
    let w = p.worker;
    let s = p.shift.window;
    let shift_minutes = s.minutes();

    let open = p.shift.status == ShiftStatus::Open;
    sink.record(Rule::ShiftOpen, open, || {
        ((if open { "the shift is open" } else { "the shift was cancelled" }).into(), Vec::new())
    })?;

    let rate_ok = p.shift.pay_rate.currency == w.min_rate.currency && p.shift.pay_rate.amount >= w.min_rate.amount;
    sink.record(Rule::Rate, rate_ok, || {
        (
            format!("pays {} per hour against a minimum of {}", p.shift.pay_rate, w.min_rate),
            facts(&[("pay_rate", p.shift.pay_rate.to_string()), ("min_rate", w.min_rate.to_string())]),
        )
    })?;

    skills(sink, p)?;
    reach(sink, p)?;
    onsite_first(sink, p)?;

    if p.mode == Mode::Instant {
        sink.record(Rule::InstantOptIn, w.instant_book, || {
            let m = if w.instant_book { "accepts instant booking" } else { "has not opted in to instant booking; send an offer" };
            (m.into(), Vec::new())
        })?;
    }

    let notice = minutes_between(p.now, s.start);
    let need = i64::from(w.limits.min_notice_minutes);
    sink.record(Rule::Notice, notice >= need && s.start > p.now, || {
        (
            format!("{notice} minutes' notice against a minimum of {need}"),
            facts(&[("notice_minutes", notice.to_string()), ("min_notice_minutes", need.to_string())]),
        )
    })?;

    if p.mode == Mode::Instant {
        let expanded;
        let avail = match p.available {
            Some(a) => a,
            None => {
                expanded = w.availability.expand(&w.zone, s);
                &expanded
            }
        };
        // Normalized intervals: the shift is covered iff one interval contains it.
        let i = avail.partition_point(|iv| iv.end <= s.start);
        let inside = avail.get(i).is_some_and(|iv| iv.contains(&s));
        sink.record(Rule::Availability, inside, || {
            let avail_minutes: i64 = avail.iter().filter_map(|iv| iv.intersection(&s)).map(|iv| iv.minutes()).sum();
            let m = if inside {
                "inside declared availability".into()
            } else {
                format!("only {avail_minutes} of {shift_minutes} minutes are inside declared availability")
            };
            (m, facts(&[("available_minutes", avail_minutes.to_string()), ("shift_minutes", shift_minutes.to_string())]))
        })?;
    }

    let overlapping = p.booked.iter().filter(|iv| iv.overlaps(&s)).count();
    sink.record(Rule::Overlap, overlapping == 0, || {
        let m = match p.booked.iter().find(|iv| iv.overlaps(&s)) {
            None => "no other booking overlaps".into(),
            Some(o) => format!("overlaps a booking from {} to {}", o.start, o.end),
        };
        (m, facts(&[("overlapping_bookings", overlapping.to_string())]))
    })?;

    rest(sink, p)?;

    let blackout_minutes: i64 = match p.blackouts {
        Some(b) => b.iter().filter_map(|iv| iv.intersection(&s)).map(|iv| iv.minutes()).sum(),
        None => expand_weekly(&w.limits.blackouts, &w.zone, s).iter().map(Interval::minutes).sum(),
    };
    sink.record(Rule::Blackout, blackout_minutes == 0, || {
        let m = if blackout_minutes == 0 {
            "touches no blackout window".into()
        } else {
            format!("{blackout_minutes} minutes fall in the worker's blackout windows")
        };
        (m, facts(&[("blackout_minutes", blackout_minutes.to_string())]))
    })?;

    caps(sink, w, p.booked, s)?;
    labour(sink, w, p.booked, p.shift)
}

fn rest<S: Sink>(sink: &mut S, p: &Proposal<'_>) -> ControlFlow<()> {
    let s = p.shift.window;
    let rest = i64::from(p.worker.limits.min_rest_minutes);
    // The shift padded by the rest on each side, minus the shift itself, must be free.
    let pad = Span::new().minutes(rest);
    let before = Interval { start: s.start.checked_sub(pad).unwrap_or(s.start), end: s.start };
    let after = Interval { start: s.end, end: s.end.checked_add(pad).unwrap_or(s.end) };
    let clash = rest > 0 && p.booked.iter().any(|iv| iv.overlaps(&before) || iv.overlaps(&after));
    sink.record(Rule::Rest, !clash, || {
        let gap_before = p.booked.iter().filter(|iv| iv.end <= s.start).map(|iv| minutes_between(iv.end, s.start)).min();
        let gap_after = p.booked.iter().filter(|iv| iv.start >= s.end).map(|iv| minutes_between(s.end, iv.start)).min();
        let show = |g: Option<i64>| g.map_or("none".to_string(), |g| g.to_string());
        (
            format!("rest before {} and after {} minutes against a minimum of {rest}", show(gap_before), show(gap_after)),
            facts(&[
                ("rest_before_minutes", show(gap_before)),
                ("rest_after_minutes", show(gap_after)),
                ("min_rest_minutes", rest.to_string()),
            ]),
        )
    })
}

/// Booked minutes inside `period`, summed over `booked`.
fn minutes_in(booked: &[Interval], period: &Interval) -> i64 {
    booked.iter().filter_map(|iv| iv.intersection(period)).map(|iv| iv.minutes()).sum()
}

fn caps<S: Sink>(sink: &mut S, w: &Worker, booked: &[Interval], s: Interval) -> ControlFlow<()> {
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
        sink.record(Rule::DailyCap, with <= day_cap, || {
            (
                format!("{with} minutes on {d} with this shift ({before} without) against a cap of {day_cap}"),
                facts(&[
                    ("day", d.to_string()),
                    ("day_minutes_without_shift", before.to_string()),
                    ("day_minutes_with_shift", with.to_string()),
                    ("max_minutes_per_day", day_cap.to_string()),
                ]),
            )
        })?;
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
        sink.record(Rule::WeeklyCap, with <= week_cap, || {
            (
                format!("{with} minutes in the week of {m} with this shift ({before} without) against a cap of {week_cap}"),
                facts(&[
                    ("week_of", m.to_string()),
                    ("week_minutes_without_shift", before.to_string()),
                    ("week_minutes_with_shift", with.to_string()),
                    ("max_minutes_per_week", week_cap.to_string()),
                ]),
            )
        })?;
    }
    ControlFlow::Continue(())
}

fn skills<S: Sink>(sink: &mut S, p: &Proposal<'_>) -> ControlFlow<()> {
    let have = |req: &crate::skills::SkillRequirement| {
        p.worker.skills.iter().find(|c| c.skill == req.skill).map_or(0, |c| c.effective_level().get())
    };
    let ok = p.shift.skills.iter().all(|req| have(req) >= req.level.get());
    sink.record(Rule::Skills, ok, || {
        let mut fs = Vec::new();
        let mut missing = Vec::new();
        for req in &p.shift.skills {
            let h = have(req);
            fs.push(Fact { name: req.skill.as_str().to_string(), value: format!("{h} of {} required", req.level.get()) });
            if h < req.level.get() {
                missing.push(format!("{} (has {h}, needs {})", req.skill.as_str(), req.level.get()));
            }
        }
        // A passing verdict names the strongest evidence behind each required
        // skill (the weighing's first reason, written for businesses), so a
        // business sees *why* the worker qualifies, e.g. a graded assessment.
        let m = if missing.is_empty() {
            let why: Vec<String> = p
                .shift
                .skills
                .iter()
                .filter_map(|req| p.worker.skills.iter().find(|c| c.skill == req.skill))
                .filter_map(|c| c.weigh().reasons.into_iter().next().map(|r| format!("{}: {r}", c.skill.as_str())))
                .collect();
            if why.is_empty() { "every required skill at the required level".into() } else { format!("every required skill at the required level ({})", why.join("; ")) }
        } else {
            format!("short of {}", missing.join(", "))
        };
        (m, fs)
    })
}

/// A business may ask that a worker's first shifts with it are on site:
/// remote work comes after `onsite_before_remote` on-site shifts.
fn onsite_first<S: Sink>(sink: &mut S, p: &Proposal<'_>) -> ControlFlow<()> {
    let need = p.shift.onsite_before_remote;
    let has = p.onsite_with_business;
    let remote = p.shift.is_remote();
    let ok = !remote || has >= need;
    sink.record(Rule::OnsiteBeforeRemote, ok, || {
        // The count is shown only where the rule reads it: callers need not
        // (and the store does not) count for on-site work or without a policy.
        if !remote {
            ("on-site work".into(), Vec::new())
        } else if need == 0 {
            ("the business allows remote work from the first shift".into(), facts(&[("onsite_before_remote", "0".into())]))
        } else {
            let m = if ok {
                format!("has {has} on-site shifts with this business, {need} needed before remote work")
            } else {
                format!("needs {need} on-site shifts with this business before remote work; has {has}")
            };
            (m, facts(&[("onsite_shifts_with_business", has.to_string()), ("onsite_before_remote", need.to_string())]))
        }
    })
}

fn reach<S: Sink>(sink: &mut S, p: &Proposal<'_>) -> ControlFlow<()> {
    match (p.shift.location, &p.worker.reach) {
        (None, _) => sink.record(Rule::Reach, true, || ("remote work".into(), Vec::new())),
        (Some(_), Reach::RemoteOnly) => sink.record(Rule::Reach, false, || ("the worker only works remotely".into(), Vec::new())),
        (Some(site), Reach::Travel { home, radius_km }) => {
            let d = home.distance_m(&site);
            let limit = i64::from(*radius_km) * 1000;
            sink.record(Rule::Reach, d <= limit, || {
                (
                    format!("site is {} km away against a travel radius of {radius_km} km", d / 1000),
                    facts(&[("distance_m", d.to_string()), ("radius_m", limit.to_string())]),
                )
            })
        }
    }
}

/// The labour rules (`crate::labour`): the worker's own and the site's
/// policy, the stricter binding. Each is recorded only where either party
/// sets it, so a verdict does not list rules nobody asked for.
fn labour<S: Sink>(sink: &mut S, w: &Worker, booked: &[Interval], shift: &Shift) -> ControlFlow<()> {
    use crate::labour::{stricter, stricter_min, WorkDays};
    let (mine, site) = (&w.limits.labour, &shift.site_labour);
    if mine.is_empty() && site.is_empty() {
        return ControlFlow::Continue(());
    }
    let days = WorkDays::new(&w.zone, booked, shift.window);
    let whose = |p: crate::labour::Party| match p {
        crate::labour::Party::Worker => "the worker's",
        crate::labour::Party::Site => "the site's",
    };

    if let Some((max, party)) = stricter(mine.max_consecutive_days, site.max_consecutive_days) {
        let (first, len) = days.run();
        sink.record(Rule::ConsecutiveDays, len <= u32::from(max), || {
            (
                format!("{len} working days in a row from {first} with this shift against {} limit of {max}", whose(party)),
                facts(&[
                    ("run_from", first.to_string()),
                    ("days_in_a_row_with_shift", len.to_string()),
                    ("max_consecutive_days", max.to_string()),
                    ("set_by", party.as_str().into()),
                ]),
            )
        })?;
    }
    if let Some((min_off, party)) = stricter_min(mine.min_days_off_per_week, site.min_days_off_per_week) {
        let (monday, worked) = days.week();
        let off = 7 - worked;
        sink.record(Rule::DaysOff, off >= u32::from(min_off), || {
            (
                format!("{off} days off in the week of {monday} with this shift against {} minimum of {min_off}", whose(party)),
                facts(&[
                    ("week_of", monday.to_string()),
                    ("days_off_with_shift", off.to_string()),
                    ("min_days_off_per_week", min_off.to_string()),
                    ("set_by", party.as_str().into()),
                ]),
            )
        })?;
    }
    if let Some((max, party)) = stricter(mine.max_weekends_per_month, site.max_weekends_per_month) {
        let weekend = days.weekends();
        let ok = weekend.is_none_or(|(_, n)| n <= u32::from(max));
        sink.record(Rule::Weekends, ok, || match weekend {
            None => ("not weekend work".into(), facts(&[("max_weekends_per_month", max.to_string()), ("set_by", party.as_str().into())])),
            Some((saturday, n)) => (
                format!("{n} weekends worked in {} {} with this shift against {} limit of {max}", month_name(saturday), saturday.year(), whose(party)),
                facts(&[
                    ("weekend_of", saturday.to_string()),
                    ("weekends_in_month_with_shift", n.to_string()),
                    ("max_weekends_per_month", max.to_string()),
                    ("set_by", party.as_str().into()),
                ]),
            ),
        })?;
    }
    if !(mine.forbidden_successions.is_empty() && site.forbidden_successions.is_empty()) {
        let broken = days
            .broken_succession(mine.forbidden_successions.iter())
            .map(|b| (b, crate::labour::Party::Worker))
            .or_else(|| days.broken_succession(site.forbidden_successions.iter()).map(|b| (b, crate::labour::Party::Site)));
        sink.record(Rule::Succession, broken.is_none(), || match broken {
            None => {
                let all: Vec<String> = mine.forbidden_successions.iter().chain(&site.forbidden_successions).map(ToString::to_string).collect();
                (format!("a {} shift that keeps every succession rule ({})", days.shift_kind.as_str(), all.join(", ")), facts(&[("shift_kind", days.shift_kind.as_str().into())]))
            }
            Some(((rule, other), party)) => (
                format!("breaks {} rule \"{rule}\" with the shift on {other}", whose(party)),
                facts(&[
                    ("shift_kind", days.shift_kind.as_str().into()),
                    ("succession", rule.to_string()),
                    ("other_day", other.to_string()),
                    ("set_by", party.as_str().into()),
                ]),
            ),
        })?;
    }
    ControlFlow::Continue(())
}

fn month_name(d: jiff::civil::Date) -> &'static str {
    const NAMES: [&str; 12] =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    NAMES[(d.month() - 1) as usize]
}
