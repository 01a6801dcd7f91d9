//! Response targets that run in business hours ("first response within 4
//! business hours"): when a target falls due and how much of it has been used.
//!
//! Why a module of its own: a target's clock is not the wall clock. It stops
//! at closing time, at weekends and on holidays, and while the exchange waits
//! on the customer (a [`Pause`]). Every screen and reminder must agree on the
//! same due time, so the arithmetic lives here, pure and IO-free.
//!
//! Decisions:
//! - Opening hours are civil times in the calendar's [`Zone`]. Each window's
//!   ends are turned into instants with the zone's DST rules (gap → end of the
//!   gap, overlap → earlier instant), and the target then counts the *real*
//!   time between those instants. A 09:00–17:00 window is 8 real hours on any
//!   ordinary day; a night window 00:00–06:00 is 5 real hours on a
//!   spring-forward day and 7 on a fall-back day.
//! - [`HoursMode::Calendar`] (24/7) counts real elapsed time too: 24 target
//!   hours across a DST change are 24 real hours, so the due time's local
//!   clock reading moves by 23 or 25 hours.
//! - Time is kept exact ([`SignedDuration`]), not rounded to minutes, so
//!   `elapsed(start, due(start, b)) == b` holds for any start.
//! - The walk goes window by window, never minute by minute, and stops after
//!   [`HORIZON_DAYS`], so even an unvalidated all-closed calendar terminates.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::interval::{normalize, subtract, Interval};
use crate::validation::Collector;
use crate::{Invalid, Zone};

/// How far ahead a due time is searched (about ten years). A target that
/// does not run out within it is reported as unreachable, not searched forever.
pub const HORIZON_DAYS: i64 = 3653;
/// Caps keep one settings document from becoming a denial of service.
pub const MAX_WINDOWS_PER_DAY: usize = 48;
pub const MAX_HOLIDAYS: usize = 1000;
/// Budgets beyond a year of minutes are typos, not targets.
pub const MAX_BUDGET_MINUTES: u32 = 365 * 24 * 60;

/// One open window on a weekday, `[start, end)` in local civil time. A window
/// may not cross midnight; an `end` of `00:00` means midnight at the end of
/// the day, so `00:00`–`00:00` is open all day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenWindow {
    pub start: Time,
    pub end: Time,
}

impl OpenWindow {
    pub fn new(start: Time, end: Time) -> Self {
        Self { start, end }
    }

    /// Minutes since local midnight of both ends, with a midnight end as 1440.
    fn minutes(&self) -> (i32, i32) {
        let m = |t: Time| i32::from(t.hour()) * 60 + i32::from(t.minute());
        let end = if self.end == Time::midnight() { 24 * 60 } else { m(self.end) };
        (m(self.start), end)
    }

    /// The window's instants on local date `d`; `None` when no minute of it
    /// exists (wholly inside a DST gap) or the window is malformed.
    fn occurrence(&self, d: Date, zone: &Zone) -> Option<Interval> {
        let s = zone.resolve(d.to_datetime(self.start));
        let e = if self.end == Time::midnight() {
            zone.start_of_day(d.tomorrow().ok()?)
        } else {
            zone.resolve(d.to_datetime(self.end))
        };
        (s < e).then_some(Interval { start: s, end: e })
    }
}

/// Open windows per weekday. Named fields, not an array, so the stored JSON
/// reads `{"monday": [...]}` and errors can name `week.monday[0]`; unknown
/// keys are refused because a misspelt day would otherwise silently close.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Week {
    pub monday: Vec<OpenWindow>,
    pub tuesday: Vec<OpenWindow>,
    pub wednesday: Vec<OpenWindow>,
    pub thursday: Vec<OpenWindow>,
    pub friday: Vec<OpenWindow>,
    pub saturday: Vec<OpenWindow>,
    pub sunday: Vec<OpenWindow>,
}

impl Week {
    /// Mon–Fri with the same windows, the weekend closed.
    pub fn weekdays(windows: &[OpenWindow]) -> Self {
        let v = || windows.to_vec();
        Week { monday: v(), tuesday: v(), wednesday: v(), thursday: v(), friday: v(), ..Week::default() }
    }

    pub fn day(&self, w: Weekday) -> &[OpenWindow] {
        self.named()[usize::from(w.to_monday_zero_offset().unsigned_abs())].1
    }

    fn named(&self) -> [(&'static str, &[OpenWindow]); 7] {
        [
            ("monday", &self.monday),
            ("tuesday", &self.tuesday),
            ("wednesday", &self.wednesday),
            ("thursday", &self.thursday),
            ("friday", &self.friday),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ]
    }
}

/// Whether the target clock runs around the clock or only in opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum HoursMode {
    /// Every real minute counts, 24/7.
    Calendar,
    /// Only open windows count; holidays are closed all day.
    Business {
        week: Week,
        #[serde(default)]
        holidays: BTreeSet<Date>,
    },
}

/// The calendar a target runs on. Stored as JSON, flat:
/// `{"zone": "Europe/Dublin", "mode": "business", "week": {...}, "holidays": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceHours {
    pub zone: Zone,
    #[serde(flatten)]
    pub mode: HoursMode,
}

/// A span during which the clock stands still ("waiting on the customer").
/// `to: None` is a pause still in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: Timestamp,
    pub to: Option<Timestamp>,
}

/// Budgets in business (or calendar) minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
}

impl Target {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        for (name, v) in [("first_response_minutes", self.first_response_minutes), ("resolution_minutes", self.resolution_minutes)] {
            c.check(v <= MAX_BUDGET_MINUTES, name, format!("at most {MAX_BUDGET_MINUTES} minutes"));
        }
        // Resolving an inquiry answers it, so resolution cannot be due first.
        let ordered = self.resolution_minutes >= self.first_response_minutes;
        c.check(ordered, "resolution_minutes", "must not be shorter than the first-response target");
        c.finish()
    }
}

/// Where a target stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TargetStatus {
    /// Done at `at`; `within` when `at` is no later than the due instant.
    Met { at: Timestamp, within: bool },
    /// Running; `remaining_minutes` are business minutes left, rounded up.
    Due { at: Timestamp, remaining_minutes: i64 },
    /// Past due; `overdue_minutes` are business minutes since `due_at`, rounded
    /// down (wall-clock lateness is simply `now - due_at`).
    Breached { due_at: Timestamp, overdue_minutes: i64 },
    /// An open pause holds the clock before the budget ran out.
    Paused,
    /// The budget does not run out within [`HORIZON_DAYS`] (an almost-closed calendar).
    Unreachable,
}

/// The result of walking the clock forward.
enum Deadline {
    At(Timestamp),
    Paused,
    Beyond,
}

impl ServiceHours {
    /// Mon–Fri 09:00–17:00, no holidays.
    pub fn office(zone: Zone) -> Self {
        let week = Week::weekdays(&[OpenWindow::new(Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0))]);
        Self { zone, mode: HoursMode::Business { week, holidays: BTreeSet::new() } }
    }

    /// 24/7: every real minute counts.
    pub fn calendar(zone: Zone) -> Self {
        Self { zone, mode: HoursMode::Calendar }
    }

    /// Build from a zone name, naming `zone` in the error, and validate.
    pub fn new(zone: &str, mode: HoursMode) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let zone = c.take("zone", Zone::parse(zone));
        c.take("", validate_mode(&mode));
        c.finish()?;
        match zone {
            Some(zone) => Ok(Self { zone, mode }),
            None => Err(Invalid::one("zone", "unknown time zone")),
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        validate_mode(&self.mode)
    }

    /// The open (clock-running) instants within `[from, to)`, sorted and
    /// disjoint, walking local days in the zone. Pauses are not applied here.
    pub fn open_intervals(&self, from: Timestamp, to: Timestamp) -> impl Iterator<Item = Interval> + '_ {
        let range = (from < to).then_some(Interval { start: from, end: to });
        let (calendar, business) = match &self.mode {
            HoursMode::Calendar => (range, None),
            HoursMode::Business { week, holidays } => (None, range.map(|r| (r, week, holidays))),
        };
        let zone = &self.zone;
        calendar.into_iter().chain(business.into_iter().flat_map(move |(r, week, holidays)| {
            // Windows never cross midnight, so no earlier day reaches into `from`.
            let last = zone.date(r.end);
            std::iter::successors(Some(zone.date(r.start)), |d| d.tomorrow().ok())
                .take_while(move |d| *d <= last)
                .filter(move |d| !holidays.contains(d))
                .flat_map(move |d| {
                    week.day(d.weekday()).iter().filter_map(move |w| w.occurrence(d, zone)?.intersection(&r))
                })
        }))
    }

    /// Target time elapsed from `from` to `to`: open time minus paused time.
    /// Negative when `to` is before `from`. Cost is linear in the local days
    /// spanned (none after an open pause begins), never in minutes.
    pub fn elapsed(&self, from: Timestamp, to: Timestamp, pauses: &[Pause]) -> SignedDuration {
        if to < from {
            return -self.elapsed(to, from, pauses);
        }
        let paused = paused_spans(pauses);
        self.running(from, to, &paused).map(|iv| iv.end.duration_since(iv.start)).sum()
    }

    /// The instant at which `budget_minutes` of target time have run since
    /// `start`. A start outside opening hours starts the clock at the next
    /// opening; a zero budget is due at the first running instant at or after
    /// `start`. `None` when undetermined: an open-ended pause holds the clock
    /// before the budget ran out (its length is unknown, so any date would be
    /// a guess), or the budget does not run out within [`HORIZON_DAYS`].
    pub fn due(&self, start: Timestamp, budget_minutes: u32, pauses: &[Pause]) -> Option<Timestamp> {
        match self.deadline(start, budget_minutes, pauses) {
            Deadline::At(t) => Some(t),
            Deadline::Paused | Deadline::Beyond => None,
        }
    }

    /// Where a target started at `start` stands at `now`. A met target is
    /// judged against the due instant (met exactly at it is within); an
    /// unmet one is breached only once `now` is strictly past it.
    pub fn status(&self, start: Timestamp, budget_minutes: u32, pauses: &[Pause], met_at: Option<Timestamp>, now: Timestamp) -> TargetStatus {
        let deadline = self.deadline(start, budget_minutes, pauses);
        if let Some(at) = met_at {
            // Paused or beyond the horizon means the budget had not run out.
            let within = match deadline {
                Deadline::At(d) => at <= d,
                Deadline::Paused | Deadline::Beyond => true,
            };
            return TargetStatus::Met { at, within };
        }
        match deadline {
            Deadline::Paused => TargetStatus::Paused,
            Deadline::Beyond => TargetStatus::Unreachable,
            Deadline::At(d) if now > d => {
                TargetStatus::Breached { due_at: d, overdue_minutes: self.elapsed(d, now, pauses).as_secs() / 60 }
            }
            Deadline::At(d) => {
                let left = self.elapsed(now.max(start), d, pauses);
                let secs = left.as_secs() + i64::from(left.subsec_nanos() > 0);
                TargetStatus::Due { at: d, remaining_minutes: (secs + 59) / 60 }
            }
        }
    }

    /// Open intervals in `[from, to)` with the (normalized) paused spans cut out.
    fn running<'a>(&'a self, from: Timestamp, to: Timestamp, paused: &'a [Interval]) -> impl Iterator<Item = Interval> + 'a {
        // Nothing runs after an open pause begins, so the walk need not go past it.
        let to = match held_from(paused) {
            Some(h) => to.min(h.max(from)),
            None => to,
        };
        let mut j = 0;
        self.open_intervals(from, to).flat_map(move |iv| {
            // Both lists are sorted, so pauses behind this window are never needed again.
            while j < paused.len() && paused[j].end <= iv.start {
                j += 1;
            }
            subtract(&[iv], &paused[j..])
        })
    }

    fn deadline(&self, start: Timestamp, budget_minutes: u32, pauses: &[Pause]) -> Deadline {
        let paused = paused_spans(pauses);
        let horizon = start.checked_add(SignedDuration::from_hours(24 * HORIZON_DAYS)).unwrap_or(Timestamp::MAX);
        let mut left = SignedDuration::from_mins(i64::from(budget_minutes));
        for piece in self.running(start, horizon, &paused) {
            let len = piece.end.duration_since(piece.start);
            // `<=`: a budget that runs out exactly at closing time is due at
            // closing, not at the next opening; a zero budget is due at piece.start.
            if left <= len {
                return Deadline::At(piece.start.checked_add(left).unwrap_or(piece.end));
            }
            left -= len;
        }
        match held_from(&paused) {
            Some(h) if h < horizon => Deadline::Paused,
            _ => Deadline::Beyond,
        }
    }
}

/// Pauses as sorted, merged spans (so overlaps are not counted twice); an
/// open pause runs to `Timestamp::MAX`, a reversed or empty one is ignored.
fn paused_spans(pauses: &[Pause]) -> Vec<Interval> {
    let spans = pauses.iter().map(|p| Interval { start: p.from, end: p.to.unwrap_or(Timestamp::MAX) });
    normalize(spans.filter(|iv| iv.start < iv.end).collect())
}

/// Where an open pause begins: after normalizing it is the last span, reaching `Timestamp::MAX`.
fn held_from(paused: &[Interval]) -> Option<Timestamp> {
    paused.last().filter(|p| p.end == Timestamp::MAX).map(|p| p.start)
}

fn validate_mode(mode: &HoursMode) -> Result<(), Invalid> {
    let HoursMode::Business { week, holidays } = mode else { return Ok(()) };
    let mut c = Collector::new();
    for (day, windows) in week.named() {
        c.check(windows.len() <= MAX_WINDOWS_PER_DAY, &format!("week.{day}"), format!("at most {MAX_WINDOWS_PER_DAY} windows"));
        let mut prev_end = 0;
        for (i, w) in windows.iter().enumerate() {
            let field = format!("week.{day}[{i}]");
            let whole = |t: Time| t.second() == 0 && t.subsec_nanosecond() == 0;
            // Whole minutes only: targets are budgeted in minutes.
            c.check(whole(w.start) && whole(w.end), &field, "times must be whole minutes");
            let (s, e) = w.minutes();
            c.check(s < e, &field, "start must be before end (a window may not cross midnight; end 00:00 means midnight)");
            c.check(s >= prev_end, &field, "windows must be sorted and must not overlap");
            prev_end = prev_end.max(e);
        }
    }
    // An all-closed week would make every due time unreachable.
    c.check(week.named().iter().any(|(_, w)| !w.is_empty()), "week", "at least one open window is needed");
    c.check(holidays.len() <= MAX_HOLIDAYS, "holidays", format!("at most {MAX_HOLIDAYS} holidays"));
    // Indexes count in date order, the order the set is stored and serialized in.
    for (i, d) in holidays.iter().enumerate() {
        // A mistyped year would otherwise be accepted and silently never apply.
        c.check((1970..=2199).contains(&d.year()), &format!("holidays[{i}]"), "year must be between 1970 and 2199");
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }
    fn zone(name: &str) -> Zone {
        Zone::parse(name).expect("zone")
    }
    fn office(name: &str) -> ServiceHours {
        ServiceHours::office(zone(name))
    }
    fn with_holiday(mut h: ServiceHours, d: Date) -> ServiceHours {
        if let HoursMode::Business { holidays, .. } = &mut h.mode {
            holidays.insert(d);
        }
        h
    }
    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }
    fn pause(from: &str, to: &str) -> Pause {
        Pause { from: ts(from), to: Some(ts(to)) }
    }
    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }
    fn win(a: (i8, i8), b: (i8, i8)) -> OpenWindow {
        OpenWindow::new(time(a.0, a.1, 0, 0), time(b.0, b.1, 0, 0))
    }
    fn business(z: &str, week: Week) -> ServiceHours {
        ServiceHours { zone: zone(z), mode: HoursMode::Business { week, holidays: BTreeSet::new() } }
    }

    // Fri 2026-06-12 16:00 IST (UTC+1) = 15:00Z; the fixture for the pause tests.
    const FRI: &str = "2026-06-12T15:00:00Z";

    #[test]
    fn weekend_is_skipped() {
        // 4 h from Fri 16:00 IST: 1 h until 17:00, then 3 h from Mon 09:00 -> Mon 12:00 IST = 11:00Z.
        let h = office("Europe/Dublin");
        let due = h.due(ts(FRI), 240, &[]).expect("due");
        assert_eq!(due, ts("2026-06-15T11:00:00Z"));
        assert_eq!(h.zone.civil(due), date(2026, 6, 15).at(12, 0, 0, 0));
        // The weekend costs nothing: 240 minutes elapsed, and -240 backwards.
        assert_eq!(h.elapsed(ts(FRI), due, &[]), mins(240));
        assert_eq!(h.elapsed(due, ts(FRI), &[]), mins(-240));
        // A budget running out exactly at closing is due at closing, not Monday.
        assert_eq!(h.due(ts(FRI), 60, &[]), Some(ts("2026-06-12T16:00:00Z")));
    }

    #[test]
    fn holiday_monday_moves_due_to_tuesday() {
        // Fri 2026-05-29 16:00 IST = 15:00Z; Mon 2026-06-01 is the June bank holiday,
        // so the 3 remaining hours run Tue 09:00-12:00 IST -> Tue 12:00 IST = 11:00Z.
        let h = with_holiday(office("Europe/Dublin"), date(2026, 6, 1));
        assert_eq!(h.due(ts("2026-05-29T15:00:00Z"), 240, &[]), Some(ts("2026-06-02T11:00:00Z")));
    }

    #[test]
    fn start_outside_hours_and_zero_budget() {
        let h = office("Europe/Dublin");
        // Sat 2026-06-13 10:00 IST: the clock starts Mon 09:00 IST = 08:00Z.
        assert_eq!(h.due(ts("2026-06-13T09:00:00Z"), 0, &[]), Some(ts("2026-06-15T08:00:00Z")));
        // 60 min from there: Mon 10:00 IST = 09:00Z.
        assert_eq!(h.due(ts("2026-06-13T09:00:00Z"), 60, &[]), Some(ts("2026-06-15T09:00:00Z")));
        // Zero budget inside hours is due at once.
        assert_eq!(h.due(ts(FRI), 0, &[]), Some(ts(FRI)));
    }

    #[test]
    fn dst_weekends_land_on_local_noon() {
        // (zone, Fri 16:00 local as UTC, Mon 12:00 local as UTC):
        // Dublin spring 2027-03-28: Fri GMT (16:00Z), Mon IST (12:00 - 1 h = 11:00Z).
        // Dublin autumn 2026-10-25: Fri IST (15:00Z), Mon GMT (12:00Z).
        // New York 2026-11-01: Fri EDT (16:00 + 4 h = 20:00Z), Mon EST (12:00 + 5 h = 17:00Z).
        for (z, start, due, monday) in [
            ("Europe/Dublin", "2027-03-26T16:00:00Z", "2027-03-29T11:00:00Z", date(2027, 3, 29)),
            ("Europe/Dublin", "2026-10-23T15:00:00Z", "2026-10-26T12:00:00Z", date(2026, 10, 26)),
            ("America/New_York", "2026-10-30T20:00:00Z", "2026-11-02T17:00:00Z", date(2026, 11, 2)),
        ] {
            let h = office(z);
            let got = h.due(ts(start), 240, &[]).expect("due");
            assert_eq!(got, ts(due), "{z}");
            assert_eq!(h.zone.civil(got), monday.at(12, 0, 0, 0), "{z}");
            assert_eq!(h.elapsed(ts(start), got, &[]), mins(240), "{z}");
        }
    }

    #[test]
    fn calendar_mode_counts_real_hours_across_dst() {
        let h = ServiceHours::calendar(zone("Europe/Dublin"));
        // Sat 2027-03-27 12:00 GMT = 12:00Z; 24 real hours later is 12:00Z Sunday,
        // which reads 13:00 IST because the clocks went forward in between.
        let due = h.due(ts("2027-03-27T12:00:00Z"), 24 * 60, &[]).expect("due");
        assert_eq!(due, ts("2027-03-28T12:00:00Z"));
        assert_eq!(h.zone.civil(due), date(2027, 3, 28).at(13, 0, 0, 0));
        // Autumn: Sat 2026-10-24 12:00 IST = 11:00Z -> 11:00Z Sunday = 11:00 GMT.
        let due = h.due(ts("2026-10-24T11:00:00Z"), 24 * 60, &[]).expect("due");
        assert_eq!(due, ts("2026-10-25T11:00:00Z"));
        assert_eq!(h.zone.civil(due), date(2026, 10, 25).at(11, 0, 0, 0));
    }

    #[test]
    fn night_windows_across_dst_are_shorter_or_longer_and_never_panic() {
        let sunday = |ws: Vec<OpenWindow>| business("Europe/Dublin", Week { sunday: ws, ..Week::default() });
        let total = |h: &ServiceHours, from: &str, to: &str| -> i64 { h.open_intervals(ts(from), ts(to)).map(|iv| iv.minutes()).sum() };
        let night = sunday(vec![win((0, 0), (6, 0))]);
        // 2027-03-28: 00:00 GMT = 00:00Z to 06:00 IST = 05:00Z -> 5 real hours.
        assert_eq!(total(&night, "2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z"), 300);
        // 2026-10-25: 00:00 IST = 24th 23:00Z to 06:00 GMT = 06:00Z -> 7 real hours.
        assert_eq!(total(&night, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), 420);
        // 01:30-02:30 on the spring day: 01:30 is in the gap -> its end, 02:00 IST = 01:00Z;
        // 02:30 IST = 01:30Z -> 30 minutes. 01:15-01:45 lies wholly in the gap -> nothing.
        let gap = sunday(vec![win((1, 15), (1, 45)), win((1, 45), (2, 30))]);
        let ivs: Vec<_> = gap.open_intervals(ts("2027-03-27T00:00:00Z"), ts("2027-03-29T00:00:00Z")).collect();
        assert_eq!(ivs, vec![Interval { start: ts("2027-03-28T01:00:00Z"), end: ts("2027-03-28T01:30:00Z") }]);
        // 01:30-03:00 on the autumn day: 01:30 twice -> earlier, IST = 00:30Z; 03:00 GMT = 03:00Z -> 150.
        let overlap = sunday(vec![win((1, 30), (3, 0))]);
        assert_eq!(total(&overlap, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), 150);
        // A whole-day window (end 00:00 = midnight) on the 25-hour day is 25 hours.
        let all_day = sunday(vec![win((0, 0), (0, 0))]);
        assert_eq!(total(&all_day, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), 25 * 60);
    }

    #[test]
    fn pause_in_open_hours_pushes_due_by_paused_minutes() {
        let h = office("Europe/Dublin");
        // Paused Fri 16:15-16:45 IST: 30 business minutes -> Mon 12:30 IST = 11:30Z.
        let p = [pause("2026-06-12T15:15:00Z", "2026-06-12T15:45:00Z")];
        assert_eq!(h.due(ts(FRI), 240, &p), Some(ts("2026-06-15T11:30:00Z")));
        // Paused Fri 16:30 to Mon 09:30 IST: 30 open minutes each side -> Mon 13:00 IST = 12:00Z.
        let p = [pause("2026-06-12T15:30:00Z", "2026-06-15T08:30:00Z")];
        assert_eq!(h.due(ts(FRI), 240, &p), Some(ts("2026-06-15T12:00:00Z")));
    }

    #[test]
    fn pause_outside_hours_changes_nothing() {
        let h = office("Europe/Dublin");
        // Sat 10:00-14:00 IST and Fri 18:00 to Mon 08:00 IST are all closed time.
        let p = [pause("2026-06-13T09:00:00Z", "2026-06-13T13:00:00Z"), pause("2026-06-12T17:00:00Z", "2026-06-15T07:00:00Z")];
        assert_eq!(h.due(ts(FRI), 240, &p), Some(ts("2026-06-15T11:00:00Z")));
        // So is a pause before the start, and a reversed (empty) one.
        let p = [pause("2026-06-12T10:00:00Z", "2026-06-12T14:00:00Z"), pause("2026-06-12T15:40:00Z", "2026-06-12T15:10:00Z")];
        assert_eq!(h.due(ts(FRI), 240, &p), Some(ts("2026-06-15T11:00:00Z")));
    }

    #[test]
    fn overlapping_pauses_count_once() {
        let h = office("Europe/Dublin");
        // Given out of order: 16:30-16:50, 16:15-16:45 (twice) and 16:05-16:10 IST. The first
        // three merge to 16:15-16:50 = 35 min, plus 5 -> 40 min -> Mon 12:40 IST = 11:40Z.
        let p = [
            pause("2026-06-12T15:30:00Z", "2026-06-12T15:50:00Z"),
            pause("2026-06-12T15:15:00Z", "2026-06-12T15:45:00Z"),
            pause("2026-06-12T15:15:00Z", "2026-06-12T15:45:00Z"),
            pause("2026-06-12T15:05:00Z", "2026-06-12T15:10:00Z"),
        ];
        assert_eq!(h.due(ts(FRI), 240, &p), Some(ts("2026-06-15T11:40:00Z")));
        assert_eq!(h.elapsed(ts(FRI), ts("2026-06-12T16:00:00Z"), &p), mins(60 - 40));
    }

    #[test]
    fn open_pause_leaves_due_undetermined_unless_budget_ran_out_first() {
        let h = office("Europe/Dublin");
        // Waiting on the customer since Fri 16:30 IST with 3.5 h left: no due time.
        let open = [Pause { from: ts("2026-06-12T15:30:00Z"), to: None }];
        assert_eq!(h.due(ts(FRI), 240, &open), None);
        assert_eq!(h.status(ts(FRI), 240, &open, None, ts("2026-06-20T12:00:00Z")), TargetStatus::Paused);
        // Only the 30 unpaused minutes have elapsed, however long the wait.
        assert_eq!(h.elapsed(ts(FRI), ts("2026-06-20T12:00:00Z"), &open), mins(30));
        // A pause opened Mon 13:00 IST, after the Mon 12:00 due time, cannot undo the breach:
        // at Mon 14:00 IST it is breached by the 60 business minutes 12:00-13:00 only.
        let late = [Pause { from: ts("2026-06-15T12:00:00Z"), to: None }];
        assert_eq!(h.due(ts(FRI), 240, &late), Some(ts("2026-06-15T11:00:00Z")));
        let breached = TargetStatus::Breached { due_at: ts("2026-06-15T11:00:00Z"), overdue_minutes: 60 };
        assert_eq!(h.status(ts(FRI), 240, &late, None, ts("2026-06-15T13:00:00Z")), breached);
    }

    #[test]
    fn status_met_due_and_breached() {
        let h = office("Europe/Dublin");
        let due = ts("2026-06-15T11:00:00Z");
        let st = |met: Option<&str>, now: &str| h.status(ts(FRI), 240, &[], met.map(ts), ts(now));
        // Met on Friday, or exactly at the due instant, is within; a minute later is not.
        assert_eq!(st(Some("2026-06-12T15:30:00Z"), "2026-06-20T00:00:00Z"), TargetStatus::Met { at: ts("2026-06-12T15:30:00Z"), within: true });
        assert_eq!(st(Some("2026-06-15T11:00:00Z"), "2026-06-20T00:00:00Z"), TargetStatus::Met { at: due, within: true });
        assert_eq!(st(Some("2026-06-15T11:01:00Z"), "2026-06-20T00:00:00Z"), TargetStatus::Met { at: ts("2026-06-15T11:01:00Z"), within: false });
        // Saturday: 60 of 240 used on Friday -> 180 business minutes left.
        assert_eq!(st(None, "2026-06-13T12:00:00Z"), TargetStatus::Due { at: due, remaining_minutes: 180 });
        // Mon 10:00 IST: 09:00-10:00 used too -> 120 left; 30 s later still rounds up to 120.
        assert_eq!(st(None, "2026-06-15T09:00:00Z"), TargetStatus::Due { at: due, remaining_minutes: 120 });
        assert_eq!(st(None, "2026-06-15T09:00:30Z"), TargetStatus::Due { at: due, remaining_minutes: 120 });
        // At the due instant it is not yet breached; Mon 13:30 IST is 90 business minutes over.
        assert_eq!(st(None, "2026-06-15T11:00:00Z"), TargetStatus::Due { at: due, remaining_minutes: 0 });
        assert_eq!(st(None, "2026-06-15T12:30:00Z"), TargetStatus::Breached { due_at: due, overdue_minutes: 90 });
        // Sat 20th: Mon 12:00-17:00 (300) + Tue-Fri (4 x 480); the weekend adds nothing.
        assert_eq!(st(None, "2026-06-20T12:00:00Z"), TargetStatus::Breached { due_at: due, overdue_minutes: 5 * 60 + 4 * 8 * 60 });
    }

    #[test]
    fn closed_calendar_terminates_as_unreachable() {
        // Not valid (validate refuses it), but the walk must still end, at the horizon.
        let h = business("Europe/Dublin", Week::default());
        assert_eq!(h.due(ts(FRI), 1, &[]), None);
        assert_eq!(h.status(ts(FRI), 1, &[], None, ts(FRI)), TargetStatus::Unreachable);
        assert_eq!(fields(h.validate().expect_err("closed week")), vec!["week"]);
    }

    /// Deterministic LCG (Knuth's MMIX constants) so failures reproduce without a crate.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn elapsed_and_due_agree_on_random_inputs() {
        // Split days, a night window and a 01:30-midnight Sunday that meets both DST changes.
        let monday = vec![win((8, 0), (12, 0)), win((13, 0), (18, 30))];
        let split = Week { monday, saturday: vec![win((0, 0), (3, 0))], sunday: vec![win((1, 30), (0, 0))], ..Week::default() };
        let calendars = [
            with_holiday(office("Europe/Dublin"), date(2026, 12, 25)),
            office("America/New_York"),
            ServiceHours::calendar(zone("Europe/Dublin")),
            business("America/New_York", split),
        ];
        let base = ts("2026-01-01T00:00:00Z");
        let mut rng = Lcg(20_260_612);
        for h in &calendars {
            h.validate().expect("valid calendar");
            for _ in 0..300 {
                // Starts over 2026-2027 (both DST changes each year), with seconds.
                let start = base + SignedDuration::from_secs(rng.below(2 * 365 * 86_400) as i64);
                let budget = rng.below(6000) as u32;
                let pauses: Vec<Pause> = (0..rng.below(3))
                    .map(|_| {
                        let from = start + mins(rng.below(10_000) as i64);
                        Pause { from, to: Some(from + mins(rng.below(3000) as i64)) }
                    })
                    .collect();
                let due = h.due(start, budget, &pauses).expect("due within horizon");
                assert!(due >= start);
                assert_eq!(h.elapsed(start, due, &pauses), mins(i64::from(budget)), "{h:?} {start} {budget} {pauses:?}");
                // Minimal: one second earlier the budget had not yet run out.
                if budget > 0 {
                    let before = due - SignedDuration::from_secs(1);
                    assert!(h.elapsed(start, before, &pauses) < mins(i64::from(budget)));
                }
            }
        }
    }

    #[test]
    fn validation_names_the_field() {
        let week = Week {
            monday: vec![win((17, 0), (9, 0))],                        // crosses midnight
            tuesday: vec![win((9, 0), (13, 0)), win((12, 0), (17, 0))], // overlaps the first
            friday: vec![OpenWindow::new(time(9, 0, 30, 0), time(17, 0, 0, 0))], // not a whole minute
            ..Week::default()
        };
        let holidays = [date(2026, 1, 1), date(2026, 12, 25), date(9026, 12, 25)].into_iter().collect();
        let e = ServiceHours::new("Europe/Dublin", HoursMode::Business { week, holidays }).expect_err("invalid");
        assert_eq!(fields(e), vec!["week.monday[0]", "week.tuesday[1]", "week.friday[0]", "holidays[2]"]);
        let e = ServiceHours::new("Mars/Olympus", HoursMode::Calendar).expect_err("bad zone");
        assert_eq!(fields(e), vec!["zone"]);
        let e = Target { first_response_minutes: 600, resolution_minutes: 60 }.validate().expect_err("inverted");
        assert_eq!(fields(e), vec!["resolution_minutes"]);
        assert!(Target { first_response_minutes: 240, resolution_minutes: 3 * 8 * 60 }.validate().is_ok());
    }

    #[test]
    fn json_round_trip_is_flat_and_refuses_misspelt_days() {
        let h = with_holiday(office("Europe/Dublin"), date(2026, 12, 25));
        let json = serde_json::to_value(&h).expect("serialize");
        assert_eq!(json["zone"], "Europe/Dublin");
        assert_eq!(json["mode"], "business");
        assert_eq!(json["holidays"][0], "2026-12-25");
        let back: ServiceHours = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, h);
        let typed = r#"{"zone":"UTC","mode":"business","week":{"monday":[{"start":"09:00","end":"17:00"}]}}"#;
        let h: ServiceHours = serde_json::from_str(typed).expect("typed");
        // Open Mondays only, in UTC: from Friday the hour runs Mon 09:00-10:00Z.
        assert_eq!(h.due(ts("2026-06-12T15:00:00Z"), 60, &[]), Some(ts("2026-06-15T10:00:00Z")));
        assert!(serde_json::from_str::<ServiceHours>(r#"{"zone":"UTC","mode":"business","week":{"munday":[]}}"#).is_err());
        assert!(serde_json::from_str::<ServiceHours>(r#"{"zone":"Nowhere/Land","mode":"calendar"}"#).is_err());
    }
}

/// The API document's description of [`ServiceHours`]: a zone and either
/// `calendar` (24/7) or `business` opening hours. Written by hand because
/// the type reads itself flat (`mode` beside `zone`) with custom checks.
#[cfg(feature = "openapi")]
pub fn hours_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    let time = serde_json::json!({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:00(\.0{1,9})?)?$"});
    let day = serde_json::json!({"type": "array", "maxItems": MAX_WINDOWS_PER_DAY, "items": {
        "type": "object", "required": ["start", "end"], "additionalProperties": false,
        "properties": {"start": time, "end": time}}});
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let week = serde_json::json!({"type": "object", "additionalProperties": false,
        "properties": days.iter().map(|d| (d.to_string(), day.clone())).collect::<serde_json::Map<_, _>>()});
    let zone = serde_json::to_value(<Zone as utoipa::PartialSchema>::schema()).unwrap_or_default();
    let doc = serde_json::json!({"oneOf": [
        {"type": "object", "required": ["zone", "mode"], "additionalProperties": false,
         "properties": {"zone": zone, "mode": {"type": "string", "enum": ["calendar"]}}},
        {"type": "object", "required": ["zone", "mode", "week"], "additionalProperties": false,
         "properties": {"zone": zone, "mode": {"type": "string", "enum": ["business"]}, "week": week,
            "holidays": {"type": "array", "maxItems": MAX_HOLIDAYS, "uniqueItems": true, "items": {"type": "string", "format": "date"}}}}
    ]});
    serde_json::from_value(doc).unwrap_or_default()
}
