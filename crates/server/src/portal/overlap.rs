//! The overlap finder in the portal: a team's common hours in a week, on
//! each person's clock. A GET form (it changes nothing) over
//! `slivers_exchange::overlap::team`.

use askama::Template;
use axum::extract::RawQuery;
use axum::response::Response;
use jiff::civil::{Date, Time};
use slivers_core::availability::{Availability, WeeklyWindow};
use slivers_exchange::overlap::{self, Person, TeamOverlap};

use super::layout::{field_errors, render, Nav};
use super::session::Session;
use super::PortalError;

const ROWS: usize = 6;
const ZONES: &[&str] = &[
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo", "Europe/Dublin", "Europe/London",
    "Europe/Berlin", "Africa/Lagos", "Asia/Dubai", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Singapore", "Asia/Tokyo", "Australia/Adelaide",
    "Australia/Sydney", "Pacific/Auckland",
];

#[derive(Default, Clone)]
pub struct Row {
    pub label: String,
    pub zone: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "overlap.html")]
struct View {
    nav: Nav,
    week: String,
    zones: &'static [&'static str],
    rows: Vec<Row>,
    result: Option<TeamOverlap>,
    errors: Vec<(String, String)>,
}

/// Rows from the repeated `label`, `zone`, `from`, `to` query fields.
fn rows(query: &str) -> (String, Vec<Row>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut week = String::new();
    let mut cols: [Vec<String>; 4] = Default::default();
    for (k, v) in pairs {
        match k.as_str() {
            "week" => week = v,
            "label" => cols[0].push(v),
            "zone" => cols[1].push(v),
            "from" => cols[2].push(v),
            "to" => cols[3].push(v),
            _ => {}
        }
    }
    let get = |c: &Vec<String>, i: usize| c.get(i).cloned().unwrap_or_default();
    let rows = (0..ROWS).map(|i| Row { label: get(&cols[0], i), zone: get(&cols[1], i), from: get(&cols[2], i), to: get(&cols[3], i) }).collect();
    (week, rows)
}

/// Weekday windows from a row; a blank row is no one.
fn person(i: usize, r: &Row) -> Result<Option<Person>, (String, String)> {
    if r.label.trim().is_empty() && r.zone.trim().is_empty() {
        return Ok(None);
    }
    let time = |s: &str, field: &str| s.parse::<Time>().map_err(|_| (format!("people[{i}].{field}"), "a time such as 09:00".to_string()));
    let (start, end) = (time(&r.from, "from")?, time(&r.to, "to")?);
    let weekly = [jiff::civil::Weekday::Monday, jiff::civil::Weekday::Tuesday, jiff::civil::Weekday::Wednesday, jiff::civil::Weekday::Thursday, jiff::civil::Weekday::Friday]
        .into_iter()
        .map(|weekday| WeeklyWindow { weekday, start, end })
        .collect();
    Ok(Some(Person { label: r.label.clone(), zone: r.zone.trim().to_string(), availability: Availability { weekly, dated: vec![], exceptions: vec![] } }))
}

pub async fn page(s: Session, RawQuery(query): RawQuery) -> Result<Response, PortalError> {
    let (week, mut table) = rows(query.as_deref().unwrap_or(""));
    let mut errors = Vec::new();
    let mut result = None;
    if query.is_some() {
        let mut people = Vec::new();
        for (i, r) in table.iter().enumerate() {
            match person(i, r) {
                Ok(Some(p)) => people.push(p),
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        let start = week.parse::<Date>().ok().and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok()).map(|z| z.timestamp());
        match (start, errors.is_empty()) {
            (None, _) => errors.push(("week".into(), "a date such as 2026-12-07".into())),
            (Some(start), true) => match overlap::team(&people, start) {
                Ok(r) => result = Some(r),
                Err(slivers_exchange::ExchangeError::Invalid(i)) => errors = field_errors(i),
                Err(e) => return Err(e.into()),
            },
            _ => {}
        }
    } else {
        // A worked example to start from: India, Ireland, Singapore and the US.
        let example = [("Asha", "Asia/Kolkata", "13:00", "22:00"), ("Niamh", "Europe/Dublin", "08:00", "18:00"), ("Wei", "Asia/Singapore", "15:00", "23:30"), ("Dana", "America/New_York", "07:00", "12:00")];
        for (row, (l, z, f, t)) in table.iter_mut().zip(example) {
            *row = Row { label: l.into(), zone: z.into(), from: f.into(), to: t.into() };
        }
    }
    let week = if week.is_empty() { jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string() } else { week };
    render(&View { nav: Nav::new(&s, "/overlap"), week, zones: ZONES, rows: table, result, errors })
}
