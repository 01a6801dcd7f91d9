//! What a business may learn from a verdict about a worker. A worker's limits,
//! rate floor, blackouts, availability, home and other bookings are private:
//! a business learns which rule failed and, where the shortfall does not
//! reveal a private value, by how much ("fails rest by 40 minutes"). The
//! worker themselves and operators see the full verdict. The on-site-first
//! rule is the business's own policy over its own bookings with the worker,
//! so its message and numbers are shown as they are. [`for_worker`] frames the
//! same verdict for the worker it is about (the worker's "why not").

use crate::rules::{Check, Fact, Rule, Verdict};
use crate::worker::Worker;

fn fact(c: &Check, name: &str) -> Option<i64> {
    c.facts.iter().find(|f| f.name == name).and_then(|f| f.value.parse().ok())
}

/// The verdict as a business may see it: every rule with pass or fail and a
/// message that carries no private value; skill facts (effective levels are
/// public) and on-site-first facts are kept, every other fact is dropped.
pub fn for_business(v: &Verdict) -> Verdict {
    Verdict { allowed: v.allowed, checks: v.checks.iter().map(check_for_business).collect() }
}

fn check_for_business(c: &Check) -> Check {
    let by = |n: Option<i64>| n.filter(|n| *n > 0).map_or(String::new(), |n| format!(" by {n} minutes"));
    let message = if c.pass {
        match c.rule {
            Rule::Skills | Rule::ShiftOpen | Rule::OnsiteBeforeRemote => c.message.clone(),
            rule => format!("passes {}", rule.as_str()),
        }
    } else {
        match c.rule {
            Rule::ShiftOpen | Rule::Skills | Rule::OnsiteBeforeRemote => c.message.clone(),
            Rule::Rate => "the pay is below the worker's minimum rate".into(),
            Rule::Reach => "the site is beyond the worker's reach".into(),
            Rule::Overlap => "the worker is already booked at that time".into(),
            Rule::Blackout => "the shift touches time the worker keeps free".into(),
            Rule::InstantOptIn => "the worker takes offers, not instant bookings".into(),
            Rule::Rest => {
                let need = fact(c, "min_rest_minutes");
                let gap = [fact(c, "rest_before_minutes"), fact(c, "rest_after_minutes")].into_iter().flatten().min();
                format!("fails rest{}", by(need.zip(gap).map(|(n, g)| n - g)))
            }
            Rule::DailyCap => format!(
                "fails the daily cap{}",
                by(fact(c, "day_minutes_with_shift").zip(fact(c, "max_minutes_per_day")).map(|(w, m)| w - m))
            ),
            Rule::WeeklyCap => format!(
                "fails the weekly cap{}",
                by(fact(c, "week_minutes_with_shift").zip(fact(c, "max_minutes_per_week")).map(|(w, m)| w - m))
            ),
            Rule::Notice => format!(
                "fails notice{}",
                by(fact(c, "min_notice_minutes").zip(fact(c, "notice_minutes")).map(|(n, g)| n - g))
            ),
            Rule::Availability => format!(
                "falls outside declared availability{}",
                by(fact(c, "shift_minutes").zip(fact(c, "available_minutes")).map(|(s, a)| s - a))
            ),
            // Whose rule it is, never the pattern of the worker's other work.
            Rule::ConsecutiveDays | Rule::DaysOff | Rule::Weekends | Rule::Succession => {
                let what = match c.rule {
                    Rule::ConsecutiveDays => "too many working days in a row",
                    Rule::DaysOff => "too few days off that week",
                    Rule::Weekends => "too many weekends worked that month",
                    _ => "a forbidden succession of shifts",
                };
                let whose = if text(c, "set_by") == "site" { "the site's labour policy" } else { "the worker's labour rules" };
                format!("fails {whose}: {what}")
            }
        }
    };
    let facts: Vec<Fact> = if matches!(c.rule, Rule::Skills | Rule::OnsiteBeforeRemote) { c.facts.clone() } else { Vec::new() };
    Check { rule: c.rule, pass: c.pass, message, facts }
}

/// The verdict framed for the worker it is about: the same rules in the same
/// order with the same pass or fail (so it cannot disagree with
/// [`for_business`] or the full verdict), each message in the second person
/// with the worker's own numbers beside the shift's ("the site is 14 km away
/// and your radius is 10 km"). Every fact a verdict carries is the worker's
/// own or public about the shift (pay rate, skills, place, time), so all are
/// kept; a failing skill gains one fact per short skill with the evidence
/// reasons from [`SkillClaim::weigh`](crate::skills::SkillClaim::weigh). What
/// the business keeps private (bill rate, other bookings and workers, wave
/// and billing settings) never enters a verdict in the first place.
pub fn for_worker(v: &Verdict, worker: &Worker) -> Verdict {
    Verdict { allowed: v.allowed, checks: v.checks.iter().map(|c| check_for_worker(c, worker)).collect() }
}

fn text(c: &Check, name: &str) -> String {
    c.facts.iter().find(|f| f.name == name).map(|f| f.value.clone()).unwrap_or_default()
}

/// 2400 -> "2,400": minutes read more easily grouped.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn check_for_worker(c: &Check, worker: &Worker) -> Check {
    let n = |name: &str| fact(c, name).map_or_else(|| "?".to_string(), grouped);
    let mut facts = c.facts.clone();
    let message = match c.rule {
        Rule::ShiftOpen if c.pass => "the shift is open".into(),
        Rule::ShiftOpen => "the business cancelled this shift".into(),
        Rule::Rate => {
            let (pay, min) = (text(c, "pay_rate"), text(c, "min_rate"));
            if c.pass { format!("pays {pay} per hour, at or above your minimum of {min}") } else { format!("pays {pay} per hour, below your minimum of {min}") }
        }
        Rule::Skills => skills_for_worker(c, worker, &mut facts),
        Rule::Reach => match (fact(c, "distance_m"), fact(c, "radius_m")) {
            (Some(d), Some(r)) if c.pass => format!("the site is {} km away, inside your {} km radius", grouped(d / 1000), grouped(r / 1000)),
            (Some(d), Some(r)) => format!("the site is {} km away and your radius is {} km", grouped(d / 1000), grouped(r / 1000)),
            _ if c.pass => "remote work".into(),
            _ => "the work is on site and you work remotely only".into(),
        },
        Rule::OnsiteBeforeRemote => match (fact(c, "onsite_before_remote"), fact(c, "onsite_shifts_with_business")) {
            (Some(need), Some(has)) if c.pass => format!("you have {has} on-site shifts with this business; it asks for {need} before remote work"),
            (Some(need), Some(has)) => format!("this business asks for {need} on-site shifts with it before remote work; you have {has}"),
            _ if c.pass => c.message.clone(),
            _ => "this business asks for on-site shifts with it before remote work".into(),
        },
        Rule::InstantOptIn if c.pass => "you accept instant booking".into(),
        Rule::InstantOptIn => "you take offers, not instant bookings: the business can send you an offer".into(),
        Rule::Notice => {
            let m = format!("starts in {} minutes; you ask for {} minutes' notice", n("notice_minutes"), n("min_notice_minutes"));
            if c.pass || fact(c, "notice_minutes").is_some_and(|x| x > 0) { m } else { "has already started".into() }
        }
        Rule::Availability if c.pass => "inside your declared availability".into(),
        Rule::Availability => format!("only {} of its {} minutes are inside your declared availability", n("available_minutes"), n("shift_minutes")),
        Rule::Overlap if c.pass => "none of your bookings overlaps it".into(),
        // The checker names the overlapping booking's times; it is the worker's own.
        Rule::Overlap => format!("you are already booked then: {}", c.message.trim_start_matches("overlaps ")),
        Rule::Rest => format!(
            "you would rest {} minutes before and {} after; you ask for {}",
            text(c, "rest_before_minutes"),
            text(c, "rest_after_minutes"),
            n("min_rest_minutes")
        ),
        Rule::Blackout if c.pass => "touches none of your blackout windows".into(),
        Rule::Blackout => format!("{} minutes fall in your blackout windows", n("blackout_minutes")),
        Rule::DailyCap => format!(
            "you would be at {} of your {} minutes on {}{}",
            n("day_minutes_with_shift"),
            n("max_minutes_per_day"),
            text(c, "day"),
            over(fact(c, "day_minutes_with_shift"), fact(c, "max_minutes_per_day"))
        ),
        Rule::WeeklyCap => format!(
            "you would be at {} of your {} weekly minutes (week of {}){}",
            n("week_minutes_with_shift"),
            n("max_minutes_per_week"),
            text(c, "week_of"),
            over(fact(c, "week_minutes_with_shift"), fact(c, "max_minutes_per_week"))
        ),
        Rule::ConsecutiveDays | Rule::DaysOff | Rule::Weekends | Rule::Succession => labour_for_worker(c),
    };
    Check { rule: c.rule, pass: c.pass, message, facts }
}

/// The labour rules in the second person: "you would work 6 days in a row
/// from 2026-11-02; your limit is 5" or "…; the site's policy allows 5".
fn labour_for_worker(c: &Check) -> String {
    let site = text(c, "set_by") == "site";
    let limit = |what: &str| if site { format!("the site's policy {what}") } else { format!("your limit {what}") };
    match c.rule {
        Rule::ConsecutiveDays => format!(
            "you would work {} days in a row from {}; {}",
            text(c, "days_in_a_row_with_shift"),
            text(c, "run_from"),
            limit(&format!("is {}", text(c, "max_consecutive_days")))
        ),
        Rule::DaysOff => format!(
            "you would have {} days off in the week of {}; {}",
            text(c, "days_off_with_shift"),
            text(c, "week_of"),
            limit(&format!("asks for at least {}", text(c, "min_days_off_per_week")))
        ),
        Rule::Weekends if text(c, "weekend_of").is_empty() => "not weekend work".into(),
        Rule::Weekends => format!(
            "this would be weekend {} of the month (weekend of {}); {}",
            text(c, "weekends_in_month_with_shift"),
            text(c, "weekend_of"),
            limit(&format!("is {}", text(c, "max_weekends_per_month")))
        ),
        _ if c.pass => format!("a {} shift that keeps your succession rules", text(c, "shift_kind")),
        _ => format!(
            "{} (\"{}\") with your shift on {}",
            if site { "breaks the site's rule" } else { "breaks your rule" },
            text(c, "succession"),
            text(c, "other_day")
        ),
    }
}

fn over(with: Option<i64>, cap: Option<i64>) -> String {
    match with.zip(cap) {
        Some((w, c)) if w > c => format!(", over by {}", grouped(w - c)),
        _ => String::new(),
    }
}

/// "needs barista level 3 and your evidence supports 2: an assessment would
/// settle it", one clause per short skill; the weighing's reasons become facts.
fn skills_for_worker(c: &Check, worker: &Worker, facts: &mut Vec<Fact>) -> String {
    if c.pass {
        return "you have every required skill at the level needed".into();
    }
    let mut clauses = Vec::new();
    for f in &c.facts {
        // The checker writes "{have} of {need} required" per requirement.
        let mut parts = f.value.split(" of ");
        let have: Option<u8> = parts.next().and_then(|h| h.parse().ok());
        let need: Option<u8> = parts.next().and_then(|r| r.trim_end_matches(" required").parse().ok());
        let (Some(have), Some(need)) = (have, need) else { continue };
        if have >= need {
            continue;
        }
        let claim = worker.skills.iter().find(|s| s.skill.as_str() == f.name);
        let hint = match claim {
            None => "add it to your skills to be considered".to_string(),
            Some(cl) if cl.claimed.get() < need => format!("you claim {}; raise your claim and add evidence", cl.claimed.get()),
            Some(cl) => {
                let w = cl.weigh();
                facts.push(Fact { name: format!("{}_evidence", f.name), value: w.reasons.join("; ") });
                "an assessment would settle it".to_string()
            }
        };
        clauses.push(format!("needs {} level {need} and your evidence supports {have}: {hint}", f.name));
    }
    if clauses.is_empty() { c.message.clone() } else { clauses.join("; ") }
}
