//! IANA time zones and the DST rules for turning civil times into instants.
//!
//! The rules (DESIGN.md): a civil time inside a DST gap resolves to the end of
//! the gap; a civil time inside an overlap resolves to the earlier instant.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Invalid;

/// A named IANA zone, resolved against the bundled tz database.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn parse(name: &str) -> Result<Zone, Invalid> {
        if name.is_empty() || name.len() > 64 {
            return Err(Invalid::one("", "time zone name must be 1 to 64 characters"));
        }
        // Fixed offsets and POSIX strings are refused: limits follow the worker's
        // civil calendar, which only an IANA name describes across DST changes.
        if !name.contains('/') && name != "UTC" {
            return Err(Invalid::one("", format!("`{name}` is not an IANA time zone name such as Europe/London")));
        }
        match TimeZone::get(name) {
            // The database's own spelling: lookups ignore case, and the
            // document lists each name once, as the database writes it.
            Ok(tz) => Ok(Zone { name: tz.iana_name().unwrap_or(name).to_string(), tz }),
            Err(_) => Err(Invalid::one("", format!("unknown time zone `{name}`"))),
        }
    }

    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), tz: TimeZone::UTC }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Civil date-time at an instant in this zone.
    pub fn civil(&self, t: Timestamp) -> DateTime {
        self.tz.to_datetime(t)
    }

    pub fn date(&self, t: Timestamp) -> Date {
        self.civil(t).date()
    }

    /// Resolve a civil time by the exchange's DST rules (gap → end of gap, overlap → earlier).
    pub fn resolve(&self, dt: DateTime) -> Timestamp {
        match self.tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => to_ts(dt, offset),
            AmbiguousOffset::Fold { before, after } => to_ts(dt, before).min(to_ts(dt, after)),
            AmbiguousOffset::Gap { before, after } => {
                let earliest = to_ts(dt, before).min(to_ts(dt, after));
                self.tz
                    .following(earliest)
                    .next()
                    .map(|t| t.timestamp())
                    .unwrap_or_else(|| to_ts(dt, after))
            }
        }
    }

    /// Resolve a civil time that a person typed for a specific date: a time
    /// that does not exist (inside a DST gap) is an error rather than a guess.
    pub fn resolve_strict(&self, dt: DateTime) -> Result<Timestamp, Invalid> {
        match self.tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Gap { .. } => Err(Invalid::one(
                "",
                format!("{dt} does not exist in {} (it falls in a daylight-saving gap)", self.name),
            )),
            _ => Ok(self.resolve(dt)),
        }
    }

    /// The instant a local date starts (its first existing minute).
    pub fn start_of_day(&self, d: Date) -> Timestamp {
        self.resolve(d.to_datetime(jiff::civil::Time::midnight()))
    }

    /// Monday of the ISO week containing `d`.
    pub fn iso_week_start(d: Date) -> Date {
        let back = i64::from(d.weekday().to_monday_zero_offset());
        d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
    }
}

fn to_ts(dt: DateTime, offset: jiff::tz::Offset) -> Timestamp {
    offset.to_timestamp(dt).unwrap_or(Timestamp::MAX)
}

impl std::fmt::Debug for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Zone::parse(&s).map_err(|e| serde::de::Error::custom(e.0[0].reason.clone()))
    }
}

impl Zone {
    /// Every name [`Zone::parse`] accepts, as the database spells it.
    pub fn names() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_string())
            .filter(|n| (n.contains('/') || n == "UTC") && n.len() <= 64 && Zone::parse(n).is_ok_and(|z| z.name == *n))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// In the API document a zone is one of the bundled database's names, so a
/// client (or a fuzzer) knows exactly which strings the exchange accepts.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Zone {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An IANA time zone name from the exchange's bundled database"))
            .enum_values(Some(Zone::names()))
            .examples(["Europe/London"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Zone {}

/// Parse a weekday written as `mon`..`sun` or the full English name.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let l = s.to_ascii_lowercase();
    Some(match l.get(..3)? {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ny() -> Zone {
        Zone::parse("America/New_York").unwrap()
    }

    #[test]
    fn unknown_and_offset_zones_are_refused() {
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert!(Zone::parse("+05:00").is_err());
        assert!(Zone::parse("").is_err());
        assert!(Zone::parse("Asia/Kolkata").is_ok());
    }

    #[test]
    fn gap_resolves_to_end_of_gap() {
        // 2026-03-08 02:30 does not exist in New York; the gap ends at 03:00 EDT = 07:00 UTC.
        let t = ny().resolve(date(2026, 3, 8).at(2, 30, 0, 0));
        assert_eq!(t.to_string(), "2026-03-08T07:00:00Z");
        assert!(ny().resolve_strict(date(2026, 3, 8).at(2, 30, 0, 0)).is_err());
    }

    #[test]
    fn overlap_resolves_to_earlier_instant() {
        // 2026-11-01 01:30 happens twice in New York; take the EDT one (05:30 UTC).
        let t = ny().resolve(date(2026, 11, 1).at(1, 30, 0, 0));
        assert_eq!(t.to_string(), "2026-11-01T05:30:00Z");
    }

    #[test]
    fn lord_howe_half_hour_gap() {
        let z = Zone::parse("Australia/Lord_Howe").unwrap();
        // 2026-10-04 02:00 -> 02:30 local is skipped (+10:30 -> +11:00).
        let t = z.resolve(date(2026, 10, 4).at(2, 10, 0, 0));
        assert_eq!(z.civil(t).time(), jiff::civil::time(2, 30, 0, 0));
    }

    #[test]
    fn iso_week_starts_monday() {
        assert_eq!(Zone::iso_week_start(date(2026, 11, 29)), date(2026, 11, 23));
        assert_eq!(Zone::iso_week_start(date(2026, 11, 23)), date(2026, 11, 23));
    }
}
