//! Labour rules: the patterns of work a worker sets for themselves and a
//! business sets per site as policy — at most so many consecutive working
//! days, at least so many days off a week, at most so many weekends a month,
//! and forbidden successions such as no early shift the day after a night.
//!
//! Every rule counts **working days**: the local dates (in the worker's zone)
//! on which a booking that holds the worker's time *starts*, as rosters do: a
//! night shift from 22:00 to 06:00 is one working day, the day it starts.
//! A shift's **kind** comes from its local start time in the worker's zone
//! ([`ShiftKind::of`]). Both parties' rules apply together: the stricter
//! number binds, and the successions either forbids are forbidden. A site's
//! policy counts all of the worker's work, not only the work at that site: it
//! is there to protect the person (a site that books nobody into a seventh day
//! in a row means it, whoever booked the first six).
//!
//! Each rule is decided for the pattern that contains the shift being booked,
//! and every booking path asks, so a pattern that breaks a rule is refused
//! when its last booking is made: the worker's own rules hold over all of
//! their bookings at all times.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::validation::Collector;
use crate::{Interval, Invalid, Zone};

/// The most consecutive working days anyone may set: also how far the rule
/// looks back and ahead, so the store reads a bounded window.
pub const MAX_CONSECUTIVE_DAYS: u8 = 14;
/// How far around a shift (in days) the labour rules read bookings: a whole
/// calendar month either side covers the weekends rule, and it is more than
/// [`MAX_CONSECUTIVE_DAYS`].
pub const REACH_DAYS: i64 = 35;
/// At most this many forbidden successions per party.
pub const MAX_SUCCESSIONS: usize = 16;

/// A shift's kind by its local start time: early 04:00–07:59, day
/// 08:00–11:59, late 12:00–19:59, night 20:00–03:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShiftKind {
    Early,
    Day,
    Late,
    Night,
}

impl ShiftKind {
    pub const ALL: [ShiftKind; 4] = [ShiftKind::Early, ShiftKind::Day, ShiftKind::Late, ShiftKind::Night];

    /// The kind of a shift starting at local hour `hour` (0–23).
    pub fn from_hour(hour: i8) -> ShiftKind {
        match hour {
            4..=7 => ShiftKind::Early,
            8..=11 => ShiftKind::Day,
            12..=19 => ShiftKind::Late,
            _ => ShiftKind::Night,
        }
    }

    /// The kind of a shift starting at `start`, on `zone`'s clock.
    pub fn of(zone: &Zone, start: Timestamp) -> ShiftKind {
        ShiftKind::from_hour(zone.civil(start).hour())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ShiftKind::Early => "early",
            ShiftKind::Day => "day",
            ShiftKind::Late => "late",
            ShiftKind::Night => "night",
        }
    }

    pub fn parse(s: &str) -> Option<ShiftKind> {
        ShiftKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A shift of kind `then` may not start on the local day after one of kind `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Succession {
    pub after: ShiftKind,
    pub then: ShiftKind,
}

impl std::fmt::Display for Succession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no {} after a {}", self.then.as_str(), self.after.as_str())
    }
}

/// Labour rules; every field is optional (`None` or empty: no such rule).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabourRules {
    /// At most this many working days in a row (1 to 14).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 14))]
    pub max_consecutive_days: Option<u8>,
    /// At least this many days without work in each local ISO week (0 to 6).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 6))]
    pub min_days_off_per_week: Option<u8>,
    /// At most this many weekends with work in a calendar month (0 to 5); a
    /// weekend is a Saturday and the Sunday after it, counted in the
    /// Saturday's month.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 5))]
    pub max_weekends_per_month: Option<u8>,
    /// Pairs of kinds that may not follow each other on consecutive days (at most 16).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub forbidden_successions: Vec<Succession>,
}

impl LabourRules {
    pub fn is_empty(&self) -> bool {
        self.max_consecutive_days.is_none()
            && self.min_days_off_per_week.is_none()
            && self.max_weekends_per_month.is_none()
            && self.forbidden_successions.is_empty()
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        if let Some(n) = self.max_consecutive_days {
            c.check((1..=MAX_CONSECUTIVE_DAYS).contains(&n), "max_consecutive_days", format!("must be 1 to {MAX_CONSECUTIVE_DAYS}"));
        }
        if let Some(n) = self.min_days_off_per_week {
            c.check(n <= 6, "min_days_off_per_week", "must be 0 to 6");
        }
        if let Some(n) = self.max_weekends_per_month {
            c.check(n <= 5, "max_weekends_per_month", "must be 0 to 5");
        }
        c.check(self.forbidden_successions.len() <= MAX_SUCCESSIONS, "forbidden_successions", format!("at most {MAX_SUCCESSIONS}"));
        let mut seen = BTreeSet::new();
        for (i, s) in self.forbidden_successions.iter().enumerate() {
            c.check(seen.insert(*s), &format!("forbidden_successions[{i}]"), "listed twice");
        }
        c.finish()
    }
}

/// Whose rule binds: the worker's own, or the site's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Worker,
    Site,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Worker => "worker",
            Party::Site => "site",
        }
    }
}

/// The stricter of two optional limits (the lower), with whose it is; the
/// worker's wins a tie so a worker reads their own number.
pub fn stricter(worker: Option<u8>, site: Option<u8>) -> Option<(u8, Party)> {
    match (worker, site) {
        (Some(w), Some(s)) if s < w => Some((s, Party::Site)),
        (Some(w), _) => Some((w, Party::Worker)),
        (None, Some(s)) => Some((s, Party::Site)),
        (None, None) => None,
    }
}

/// For "at least N days off": the larger number is the stricter.
pub fn stricter_min(worker: Option<u8>, site: Option<u8>) -> Option<(u8, Party)> {
    match (worker, site) {
        (Some(w), Some(s)) if s > w => Some((s, Party::Site)),
        (Some(w), _) => Some((w, Party::Worker)),
        (None, Some(s)) => Some((s, Party::Site)),
        (None, None) => None,
    }
}

/// The worker's working days around a shift: the start dates of their
/// bookings, with the shift's own start date, on the worker's clock.
pub struct WorkDays {
    pub shift_day: Date,
    pub shift_kind: ShiftKind,
    days: BTreeSet<Date>,
    /// (start date, kind) of each booking, the shift excluded.
    booked: Vec<(Date, ShiftKind)>,
}

impl WorkDays {
    pub fn new(zone: &Zone, booked: &[Interval], shift: Interval) -> WorkDays {
        let shift_day = zone.date(shift.start);
        let booked: Vec<(Date, ShiftKind)> = booked
            .iter()
            .map(|iv| {
                let c = zone.civil(iv.start);
                (c.date(), ShiftKind::from_hour(c.hour()))
            })
            .collect();
        let mut days: BTreeSet<Date> = booked.iter().map(|(d, _)| *d).collect();
        days.insert(shift_day);
        WorkDays { shift_day, shift_kind: ShiftKind::of(zone, shift.start), days, booked }
    }

    fn worked(&self, d: Date) -> bool {
        self.days.contains(&d)
    }

    /// The run of consecutive working days through the shift's day:
    /// (first day, length), looking at most `MAX_CONSECUTIVE_DAYS + 1` days each way.
    pub fn run(&self) -> (Date, u32) {
        let mut first = self.shift_day;
        let mut len = 1u32;
        for _ in 0..=MAX_CONSECUTIVE_DAYS {
            match first.yesterday() {
                Ok(d) if self.worked(d) => {
                    first = d;
                    len += 1;
                }
                _ => break,
            }
        }
        let mut last = self.shift_day;
        for _ in 0..=MAX_CONSECUTIVE_DAYS {
            match last.tomorrow() {
                Ok(d) if self.worked(d) => {
                    last = d;
                    len += 1;
                }
                _ => break,
            }
        }
        (first, len)
    }

    /// The shift's ISO week: (Monday, working days in it).
    pub fn week(&self) -> (Date, u32) {
        let monday = Zone::iso_week_start(self.shift_day);
        let n = (0..7).filter_map(|i| monday.checked_add(jiff::Span::new().days(i)).ok()).filter(|d| self.worked(*d)).count();
        (monday, n as u32)
    }

    /// If the shift starts on a weekend: (its Saturday, weekends worked in
    /// that Saturday's month including this one).
    pub fn weekends(&self) -> Option<(Date, u32)> {
        let d = self.shift_day;
        let saturday = match d.weekday() {
            Weekday::Saturday => d,
            Weekday::Sunday => d.yesterday().ok()?,
            _ => return None,
        };
        let mut n = 0;
        let mut sat = saturday.first_of_month();
        while sat.weekday() != Weekday::Saturday {
            sat = sat.tomorrow().ok()?;
        }
        while sat.month() == saturday.month() {
            let sun = sat.tomorrow().ok()?;
            if self.worked(sat) || self.worked(sun) {
                n += 1;
            }
            sat = sat.checked_add(jiff::Span::new().days(7)).ok()?;
        }
        Some((saturday, n))
    }

    /// The first forbidden succession the shift makes with a booking the
    /// day before or after it: (the succession, the other booking's date).
    pub fn broken_succession<'a>(&self, forbidden: impl Iterator<Item = &'a Succession> + Clone) -> Option<(Succession, Date)> {
        let (before, after) = (self.shift_day.yesterday().ok(), self.shift_day.tomorrow().ok());
        for (d, k) in &self.booked {
            for s in forbidden.clone() {
                if Some(*d) == before && s.after == *k && s.then == self.shift_kind {
                    return Some((*s, *d));
                }
                if Some(*d) == after && s.after == self.shift_kind && s.then == *k {
                    return Some((*s, *d));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(zone: &Zone, d: Date, hour: i8) -> Interval {
        let start = zone.resolve(d.at(hour, 0, 0, 0));
        Interval { start, end: start + jiff::SignedDuration::from_hours(8) }
    }

    #[test]
    fn kinds_follow_the_local_start_hour() {
        let kinds: Vec<_> = [3, 4, 7, 8, 11, 12, 19, 20, 23].into_iter().map(ShiftKind::from_hour).collect();
        use ShiftKind::*;
        assert_eq!(kinds, vec![Night, Early, Early, Day, Day, Late, Late, Night, Night]);
    }

    #[test]
    fn runs_weeks_and_weekends_count_start_dates_on_the_workers_clock() {
        let z = Zone::parse("Europe/Dublin").unwrap();
        // Nights Monday to Thursday 2026-11-02..05; the shift is Friday's night.
        let booked: Vec<_> = (2..=5).map(|d| at(&z, date(2026, 11, d), 22)).collect();
        let w = WorkDays::new(&z, &booked, at(&z, date(2026, 11, 6), 22));
        assert_eq!(w.run(), (date(2026, 11, 2), 5), "a night shift is one working day, the day it starts");
        assert_eq!(w.week(), (date(2026, 11, 2), 5));
        assert_eq!(w.weekends(), None);
        // A Sunday shift in a month where two other weekends were worked.
        let booked = vec![at(&z, date(2026, 11, 7), 9), at(&z, date(2026, 11, 15), 9), at(&z, date(2026, 11, 28), 9)];
        let w = WorkDays::new(&z, &booked, at(&z, date(2026, 11, 29), 9));
        assert_eq!(w.weekends(), Some((date(2026, 11, 28), 3)), "the 28th–29th weekend counts once");
    }

    #[test]
    fn successions_look_one_day_each_way() {
        let z = Zone::parse("Asia/Kolkata").unwrap();
        let rule = [Succession { after: ShiftKind::Night, then: ShiftKind::Early }];
        let night = at(&z, date(2026, 11, 2), 22);
        let early_next = at(&z, date(2026, 11, 3), 6);
        assert!(WorkDays::new(&z, &[night], early_next).broken_succession(rule.iter()).is_some());
        assert!(WorkDays::new(&z, &[early_next], night).broken_succession(rule.iter()).is_some());
        let early_after_two = at(&z, date(2026, 11, 4), 6);
        assert!(WorkDays::new(&z, &[night], early_after_two).broken_succession(rule.iter()).is_none());
        assert!(WorkDays::new(&z, &[early_next], at(&z, date(2026, 11, 2), 9)).broken_succession(rule.iter()).is_none());
    }

    #[test]
    fn the_stricter_number_binds() {
        assert_eq!(stricter(Some(6), Some(5)), Some((5, Party::Site)));
        assert_eq!(stricter(Some(5), Some(5)), Some((5, Party::Worker)));
        assert_eq!(stricter_min(Some(1), Some(2)), Some((2, Party::Site)));
        assert_eq!(stricter(None, None), None);
        let bad = LabourRules { max_consecutive_days: Some(0), min_days_off_per_week: Some(7), max_weekends_per_month: Some(6), forbidden_successions: vec![] };
        let e = bad.validate().unwrap_err().to_string();
        for f in ["max_consecutive_days", "min_days_off_per_week", "max_weekends_per_month"] {
            assert!(e.contains(f), "{e}");
        }
    }
}
