//! What a business may learn from a verdict about a worker. A worker's limits,
//! rate floor, blackouts, availability, home and other bookings are private:
//! a business learns which rule failed and, where the shortfall does not
//! reveal a private value, by how much ("fails rest by 40 minutes"). The
//! worker themselves and operators see the full verdict. The on-site-first
//! rule is the business's own policy over its own bookings with the worker,
//! so its message and numbers are shown as they are.

use crate::rules::{Check, Fact, Rule, Verdict};

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
        }
    };
    let facts: Vec<Fact> = if matches!(c.rule, Rule::Skills | Rule::OnsiteBeforeRemote) { c.facts.clone() } else { Vec::new() };
    Check { rule: c.rule, pass: c.pass, message, facts }
}
