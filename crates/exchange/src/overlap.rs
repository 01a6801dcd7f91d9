//! When a team spread over zones can meet: the hours of a week when everyone
//! is available, in each person's own zone (DST-correct), for scheduling
//! calls across India, Ireland, Singapore and the US. People are described
//! by what they choose to share (a zone and weekly windows), never read from
//! workers' private availability: asking about one worker would reveal it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::availability::Availability;
use slivers_core::overlap::{find, week_from, Member};
use slivers_core::validation::Collector;
use slivers_core::{Invalid, Zone};

use crate::Result;

/// Most people in one question.
pub const MAX_PEOPLE: usize = 50;

/// One person as they describe themselves.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// A name to recognise them by (1 to 80 characters).
    pub label: String,
    /// Their IANA zone, e.g. `Asia/Kolkata`.
    #[cfg_attr(feature = "openapi", schema(value_type = slivers_core::zone::Zone))]
    pub zone: String,
    /// When they can meet, in their own zone.
    pub availability: Availability,
}

/// One common window on one person's clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    /// Civil start in the person's zone, `2026-11-30T14:30`.
    pub start: String,
    pub end: String,
    /// The UTC offsets in force at start and end (they differ across a DST change).
    pub start_offset: String,
    pub end_offset: String,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub label: String,
    pub zone: String,
    pub windows: Vec<Window>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamOverlap {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: Timestamp,
    /// Total minutes when everyone is available.
    pub minutes: i64,
    /// The common windows, in UTC.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub common: Vec<slivers_core::Interval>,
    /// The same windows on each person's clock, in the order given.
    pub people: Vec<PersonView>,
}

/// The week from `start` (7 × 24 hours) when every person is available.
pub fn team(people: &[Person], start: Timestamp) -> Result<TeamOverlap> {
    let mut c = Collector::new();
    c.check(!people.is_empty() && people.len() <= MAX_PEOPLE, "people", format!("1 to {MAX_PEOPLE} people"));
    let mut zones = Vec::with_capacity(people.len());
    for (i, p) in people.iter().enumerate() {
        c.check(!p.label.trim().is_empty() && p.label.chars().count() <= 80, &format!("people[{i}].label"), "1 to 80 characters");
        match Zone::parse(&p.zone) {
            Ok(z) => {
                c.take(&format!("people[{i}].availability"), p.availability.validate(&z));
                zones.push(z);
            }
            Err(e) => c.push(format!("people[{i}].zone"), e.to_string()),
        }
    }
    let range = week_from(start).map_err(|_| Invalid::one("start", "is out of range"))?;
    c.finish()?;
    let members: Vec<Member<'_>> = people.iter().zip(&zones).map(|(p, zone)| Member { zone, availability: &p.availability }).collect();
    let found = find(&members, range)?;
    let views = people
        .iter()
        .zip(found.local)
        .map(|(p, local)| PersonView {
            label: p.label.trim().to_string(),
            zone: local.zone.name().to_string(),
            windows: local
                .windows
                .into_iter()
                .map(|w| Window {
                    start: w.start.strftime("%Y-%m-%dT%H:%M").to_string(),
                    end: w.end.strftime("%Y-%m-%dT%H:%M").to_string(),
                    start_offset: w.start_offset,
                    end_offset: w.end_offset,
                    minutes: w.minutes,
                })
                .collect(),
        })
        .collect();
    Ok(TeamOverlap { start: range.start, end: range.end, minutes: found.minutes, common: found.common, people: views })
}
