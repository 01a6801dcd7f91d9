//! Availability: weekly patterns and dated windows in the worker's own zone,
//! minus dated exceptions, expanded into UTC intervals date by date.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::Span;
use serde::{Deserialize, Serialize};

use crate::interval::{normalize, subtract, Interval};
use crate::validation::Collector;
use crate::{Invalid, Zone};

/// A recurring local window: `weekday` from `start` to `end`. When `end` is not
/// after `start` the window crosses midnight into the next day, so `00:00` to
/// `00:00` is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyWindow {
    /// `monday` to `sunday` (the first three letters, in any case, are also read).
    #[cfg_attr(feature = "openapi", schema(value_type = WeekdayName, example = "monday"))]
    #[serde(with = "weekday_name")]
    pub weekday: Weekday,
    /// Local time on a whole minute, `HH:MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9](:00(\.0{1,9})?)?$"))]
    pub start: Time,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9](:00(\.0{1,9})?)?$"))]
    pub end: Time,
}

impl WeeklyWindow {
    pub fn validate(&self) -> Result<(), Invalid> {
        // Whole minutes only: limits and availability are reasoned about in minutes.
        let mut c = Collector::new();
        c.check(self.start.second() == 0 && self.start.subsec_nanosecond() == 0, "start", "must be a whole minute");
        c.check(self.end.second() == 0 && self.end.subsec_nanosecond() == 0, "end", "must be a whole minute");
        c.finish()
    }

    /// The window's occurrence that starts on local date `d`, if `d` is its weekday.
    fn occurrence(&self, d: Date, zone: &Zone) -> Option<Interval> {
        if d.weekday() != self.weekday {
            return None;
        }
        let end_date = if self.end <= self.start { d.tomorrow().ok()? } else { d };
        let s = zone.resolve(d.to_datetime(self.start));
        let e = zone.resolve(end_date.to_datetime(self.end));
        // A window wholly inside a DST gap has no existing minutes.
        (s < e).then_some(Interval { start: s, end: e })
    }
}

/// Expand weekly windows over `range` in `zone`, date by date.
pub fn expand_weekly(windows: &[WeeklyWindow], zone: &Zone, range: Interval) -> Vec<Interval> {
    if windows.is_empty() {
        return Vec::new();
    }
    // Start a day early: a window that crosses midnight may reach into the range.
    let first = zone.date(range.start).yesterday().unwrap_or(zone.date(range.start));
    let last = zone.date(range.end);
    let mut out = Vec::new();
    let mut d = first;
    while d <= last {
        for w in windows {
            if let Some(iv) = w.occurrence(d, zone).and_then(|iv| iv.intersection(&range)) {
                out.push(iv);
            }
        }
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    normalize(out)
}

/// A one-off local window on specific dates (for availability or exceptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatedWindow {
    /// Local date and time on a whole minute, `YYYY-MM-DDTHH:MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-05T09:00", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:00(\.0{1,9})?)?$"))]
    pub start: DateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-05T13:00", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:00(\.0{1,9})?)?$"))]
    pub end: DateTime,
}

impl DatedWindow {
    /// Resolve strictly: a typed local time inside a DST gap is refused, not guessed.
    pub fn resolve(&self, zone: &Zone) -> Result<Interval, Invalid> {
        let mut c = Collector::new();
        let s = c.take("start", zone.resolve_strict(self.start));
        let e = c.take("end", zone.resolve_strict(self.end));
        c.finish()?;
        match (s, e) {
            (Some(s), Some(e)) => Interval::new(s, e),
            _ => Err(Invalid::one("", "unresolvable window")),
        }
    }
}

/// Everything a worker has declared about when they can work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub weekly: Vec<WeeklyWindow>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub dated: Vec<DatedWindow>,
    /// Dated times the worker is not available, even if a pattern says so.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub exceptions: Vec<DatedWindow>,
}

/// Caps on list sizes keep one profile from becoming a denial of service.
pub const MAX_WINDOWS: usize = 500;

impl Availability {
    pub fn validate(&self, zone: &Zone) -> Result<(), Invalid> {
        let mut c = Collector::new();
        for (name, len) in [("weekly", self.weekly.len()), ("dated", self.dated.len()), ("exceptions", self.exceptions.len())] {
            c.check(len <= MAX_WINDOWS, name, format!("at most {MAX_WINDOWS} windows"));
        }
        for (i, w) in self.weekly.iter().enumerate() {
            c.take(&format!("weekly[{i}]"), w.validate());
        }
        for (name, list) in [("dated", &self.dated), ("exceptions", &self.exceptions)] {
            for (i, w) in list.iter().enumerate() {
                if let Some(iv) = c.take(&format!("{name}[{i}]"), w.resolve(zone)) {
                    c.check(iv.minutes() <= 31 * 24 * 60, &format!("{name}[{i}]"), "a dated window may span at most 31 days");
                }
            }
        }
        c.finish()
    }

    /// The UTC intervals the worker is available within `range`, normalized.
    pub fn expand(&self, zone: &Zone, range: Interval) -> Vec<Interval> {
        let mut all = expand_weekly(&self.weekly, zone, range);
        all.extend(self.dated.iter().filter_map(|w| w.resolve(zone).ok()).filter_map(|iv| iv.intersection(&range)));
        let all = normalize(all);
        let holes = normalize(self.exceptions.iter().filter_map(|w| w.resolve(zone).ok()).collect());
        subtract(&all, &holes)
    }
}

/// Serialize weekdays as lower-case English names and accept three-letter abbreviations.
/// A weekday as the API writes it.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

pub(crate) mod weekday_name {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(w: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(name(*w))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let s = String::deserialize(d)?;
        crate::zone::parse_weekday(&s).ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a weekday")))
    }
    pub fn name(w: Weekday) -> &'static str {
        match w {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }
}

/// The local dates an interval touches in `zone`.
pub fn local_dates(zone: &Zone, iv: Interval) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = zone.date(iv.start);
    // `end` is exclusive: the last touched minute is one minute earlier.
    let last = zone.date(iv.end.checked_sub(Span::new().minutes(1)).unwrap_or(iv.end));
    while d <= last {
        out.push(d);
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

/// The UTC interval covered by local date `d` (23, 24 or 25 hours around DST).
pub fn local_day(zone: &Zone, d: Date) -> Interval {
    let next = d.tomorrow().unwrap_or(d);
    Interval { start: zone.start_of_day(d), end: zone.start_of_day(next) }
}

/// The UTC interval covered by the local ISO week that starts on Monday `monday`.
pub fn local_week(zone: &Zone, monday: Date) -> Interval {
    let next = monday.checked_add(Span::new().days(7)).unwrap_or(monday);
    Interval { start: zone.start_of_day(monday), end: zone.start_of_day(next) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use jiff::Timestamp;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn overnight_pattern_crosses_midnight() {
        let z = Zone::parse("Europe/London").unwrap();
        let w = WeeklyWindow { weekday: Weekday::Friday, start: time(22, 0, 0, 0), end: time(2, 0, 0, 0) };
        let r = Interval::new(ts("2026-11-27T00:00:00Z"), ts("2026-11-29T00:00:00Z")).unwrap();
        let e = expand_weekly(&[w], &z, r);
        assert_eq!(e, vec![Interval::new(ts("2026-11-27T22:00:00Z"), ts("2026-11-28T02:00:00Z")).unwrap()]);
    }

    #[test]
    fn pattern_across_spring_forward_is_an_hour_shorter() {
        let z = Zone::parse("America/New_York").unwrap();
        let w = WeeklyWindow { weekday: Weekday::Saturday, start: time(22, 0, 0, 0), end: time(6, 0, 0, 0) };
        let r = Interval::new(ts("2026-03-07T00:00:00Z"), ts("2026-03-10T00:00:00Z")).unwrap();
        let e = expand_weekly(&[w], &z, r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].minutes(), 7 * 60);
    }

    #[test]
    fn exceptions_cut_availability() {
        let z = Zone::parse("Europe/London").unwrap();
        let a = Availability {
            weekly: vec![WeeklyWindow { weekday: Weekday::Monday, start: time(9, 0, 0, 0), end: time(17, 0, 0, 0) }],
            dated: vec![],
            exceptions: vec![DatedWindow { start: date(2026, 11, 30).at(12, 0, 0, 0), end: date(2026, 11, 30).at(13, 0, 0, 0) }],
        };
        let r = Interval::new(ts("2026-11-30T00:00:00Z"), ts("2026-12-01T00:00:00Z")).unwrap();
        assert_eq!(a.expand(&z, r).iter().map(Interval::minutes).sum::<i64>(), 7 * 60);
    }

    #[test]
    fn dated_window_in_gap_is_refused_with_field() {
        let z = Zone::parse("Europe/London").unwrap();
        let w = DatedWindow { start: date(2026, 3, 29).at(1, 30, 0, 0), end: date(2026, 3, 29).at(5, 0, 0, 0) };
        let e = w.resolve(&z).unwrap_err();
        assert_eq!(e.0[0].field, "start");
    }

    #[test]
    fn local_day_lengths_follow_dst() {
        let z = Zone::parse("Europe/London").unwrap();
        assert_eq!(local_day(&z, date(2026, 3, 29)).minutes(), 23 * 60);
        assert_eq!(local_day(&z, date(2026, 10, 25)).minutes(), 25 * 60);
        let lh = Zone::parse("Australia/Lord_Howe").unwrap();
        assert_eq!(local_day(&lh, date(2026, 10, 4)).minutes(), 23 * 60 + 30);
    }
}
