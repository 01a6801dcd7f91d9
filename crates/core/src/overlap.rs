//! The overlap finder: for a team of people in different zones, the times in
//! a given week when everyone is available, as UTC intervals and as each
//! person reads them on their own clock.
//!
//! Each person's availability (weekly windows, dated windows and exceptions,
//! in their own zone) is expanded by [`Availability::expand`], the same
//! expansion the rule checker uses, so a window that crosses a DST change
//! follows the exchange's DST rules (a civil time in a gap resolves to the end
//! of the gap, in an overlap to the earlier instant). The common time is the
//! intersection of the expansions; rendering it in a zone attaches the UTC
//! offset in force at each end, so an hour that happens twice on a fall-back
//! night is never ambiguous.

use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::availability::Availability;
use crate::interval::{intersect, Interval};
use crate::validation::Collector;
use crate::{Invalid, Zone};

/// One person of the team: their zone and what they have declared.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub zone: &'a Zone,
    pub availability: &'a Availability,
}

/// A common interval on one person's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalWindow {
    /// Civil start and end in the person's zone; `end` may be on a later date.
    pub start: DateTime,
    pub end: DateTime,
    /// The UTC offsets in force at `start` and at `end`, e.g. `+05:45`; they
    /// differ when a DST change falls inside the window.
    pub start_offset: String,
    pub end_offset: String,
    /// Elapsed minutes, which differ from the civil difference across a DST change.
    pub minutes: i64,
}

/// The common intervals in one person's zone, in the order of [`Overlap::common`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalView {
    pub zone: Zone,
    pub windows: Vec<LocalWindow>,
}

/// Everyone's common time in the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub range: Interval,
    /// When everyone is available, normalized (sorted, disjoint, not touching).
    pub common: Vec<Interval>,
    /// Total common minutes.
    pub minutes: i64,
    /// One view per member, in the order the members were given.
    pub local: Vec<LocalView>,
}

/// Largest team: the expansion is linear in it, and a bigger team has no
/// common time in practice.
pub const MAX_MEMBERS: usize = 200;
/// Longest range asked about at once.
pub const MAX_RANGE_DAYS: i64 = 31;

/// The week starting at `start`: seven times 24 hours.
pub fn week_from(start: Timestamp) -> Result<Interval, Invalid> {
    let end = start.checked_add(SignedDuration::from_hours(7 * 24)).map_err(|_| Invalid::one("week", "is out of range"))?;
    Interval::new(start, end)
}

/// The times within `range` when every member is available. A week as one
/// zone's calendar has it is `availability::local_week(zone, monday)`, which
/// is 167 or 169 hours long in a week with a DST change there.
pub fn find(members: &[Member<'_>], range: Interval) -> Result<Overlap, Invalid> {
    let mut c = Collector::new();
    c.check(!members.is_empty(), "members", "at least one person");
    c.check(members.len() <= MAX_MEMBERS, "members", format!("at most {MAX_MEMBERS} people"));
    c.check(range.end > range.start, "range.end", "must be after the start");
    c.check(range.minutes() <= MAX_RANGE_DAYS * 24 * 60, "range", format!("at most {MAX_RANGE_DAYS} days"));
    c.finish()?;

    let mut common = vec![range];
    for m in members {
        // Stop expanding once nothing is left: later members cannot add time.
        if common.is_empty() {
            break;
        }
        common = intersect(&common, &m.availability.expand(m.zone, range));
    }
    let minutes = common.iter().map(Interval::minutes).sum();
    let local = members.iter().map(|m| LocalView { zone: m.zone.clone(), windows: render(m.zone, &common) }).collect();
    Ok(Overlap { range, common, minutes, local })
}

/// `intervals` on `zone`'s clock, each end with the offset in force there.
pub fn render(zone: &Zone, intervals: &[Interval]) -> Vec<LocalWindow> {
    let offset = |t: Timestamp| {
        // Always `±hh:mm`, so `+05:45` and `-05:00` line up in a table.
        let secs = zone.tz().to_offset(t).seconds();
        let (sign, m) = if secs < 0 { ('-', -secs / 60) } else { ('+', secs / 60) };
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    };
    intervals
        .iter()
        .map(|iv| LocalWindow {
            start: zone.civil(iv.start),
            end: zone.civil(iv.end),
            start_offset: offset(iv.start),
            end_offset: offset(iv.end),
            minutes: iv.minutes(),
        })
        .collect()
}

impl std::fmt::Display for LocalWindow {
    /// `Sun 1 Nov 00:30 -04:00 – 02:00 -05:00 (150 min)`, with the end's date
    /// only when it differs from the start's.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let end = if self.end.date() == self.start.date() { self.end.strftime("%H:%M") } else { self.end.strftime("%a %-d %b %H:%M") };
        write!(
            f,
            "{} {} – {} {} ({} min)",
            self.start.strftime("%a %-d %b %H:%M"),
            self.start_offset,
            end,
            self.end_offset,
            self.minutes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::WeeklyWindow;
    use jiff::civil::{time, Weekday};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn weekly(days: &[Weekday], from: (i8, i8), to: (i8, i8)) -> Availability {
        let w = |d: &Weekday| WeeklyWindow { weekday: *d, start: time(from.0, from.1, 0, 0), end: time(to.0, to.1, 0, 0) };
        Availability { weekly: days.iter().map(w).collect(), ..Default::default() }
    }

    #[test]
    fn kolkata_and_new_york_meet_in_the_new_york_morning() {
        let (kol, ny) = (Zone::parse("Asia/Kolkata").unwrap(), Zone::parse("America/New_York").unwrap());
        // Kolkata 17:00–23:30 (+05:30) is 11:30–18:00 UTC; New York 08:00–12:00
        // EST (-05:00) is 13:00–17:00 UTC on Monday 2 Nov 2026.
        let (a, b) = (weekly(&[Weekday::Monday], (17, 0), (23, 30)), weekly(&[Weekday::Monday], (8, 0), (12, 0)));
        let o = find(&[Member { zone: &kol, availability: &a }, Member { zone: &ny, availability: &b }], week_from(ts("2026-11-02T00:00:00Z")).unwrap()).unwrap();
        assert_eq!(o.common, vec![Interval::new(ts("2026-11-02T13:00:00Z"), ts("2026-11-02T17:00:00Z")).unwrap()]);
        assert_eq!(o.minutes, 240);
        assert_eq!(o.local[0].windows[0].to_string(), "Mon 2 Nov 18:30 +05:30 – 22:30 +05:30 (240 min)");
        assert_eq!(o.local[1].windows[0].to_string(), "Mon 2 Nov 08:00 -05:00 – 12:00 -05:00 (240 min)");
    }

    #[test]
    fn a_window_across_fall_back_shows_both_offsets() {
        let ny = Zone::parse("America/New_York").unwrap();
        let all = weekly(&[Weekday::Sunday], (0, 0), (0, 0));
        let o = find(&[Member { zone: &ny, availability: &all }], week_from(ts("2026-10-29T00:00:00Z")).unwrap()).unwrap();
        // Sunday 1 Nov 2026 has 25 hours in New York.
        assert_eq!(o.local[0].windows.len(), 1);
        let w = &o.local[0].windows[0];
        assert_eq!((w.minutes, w.start_offset.as_str(), w.end_offset.as_str()), (25 * 60, "-04:00", "-05:00"));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let z = Zone::utc();
        assert_eq!(find(&[], week_from(ts("2026-11-02T00:00:00Z")).unwrap()).unwrap_err().0[0].field, "members");
        let a = Availability::default();
        let long = Interval::new(ts("2026-01-01T00:00:00Z"), ts("2026-03-01T00:00:00Z")).unwrap();
        assert_eq!(find(&[Member { zone: &z, availability: &a }], long).unwrap_err().0[0].field, "range");
    }
}
