//! The worker's week calendar: paint hours on a 7 × 24 grid (weekly
//! patterns), and add dated windows and exceptions. Without JavaScript the
//! grid is a set of checkboxes; with it, dragging paints.

use askama::Template;
use slivers_exchange::{workers};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::{DateTime, Time, Weekday};
use slivers_core::availability::{DatedWindow, WeeklyWindow};
use slivers_core::worker::Worker;

use super::form::Posted;
use super::layout::{field_errors, hours, render_status, Nav};
use super::session::Session;
use super::worker::me;
use super::PortalError;
use crate::AppState;

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "Mon", "Monday"),
    (Weekday::Tuesday, "Tue", "Tuesday"),
    (Weekday::Wednesday, "Wed", "Wednesday"),
    (Weekday::Thursday, "Thu", "Thursday"),
    (Weekday::Friday, "Fri", "Friday"),
    (Weekday::Saturday, "Sat", "Saturday"),
    (Weekday::Sunday, "Sun", "Sunday"),
];
const WEEK_MINUTES: i64 = 7 * 24 * 60;

pub struct Cell {
    pub value: String,
    pub checked: bool,
    pub label: String,
}

pub struct Row {
    pub hour: String,
    pub cells: Vec<Cell>,
}

pub struct Dated {
    pub index: usize,
    pub text: String,
}

#[derive(Template)]
#[template(path = "worker/availability.html")]
struct Calendar {
    nav: Nav,
    zone: String,
    days: Vec<&'static str>,
    rows: Vec<Row>,
    weekly_hours: String,
    dated: Vec<Dated>,
    exceptions: Vec<Dated>,
    notice: String,
    errors: Vec<(String, String)>,
}

/// Minute of the week (Monday 00:00 = 0) where a weekly window starts and ends;
/// the end is after the start, crossing midnight (or the week) as needed.
fn span(w: &WeeklyWindow) -> (i64, i64) {
    let day = i64::from(w.weekday.to_monday_zero_offset());
    let m = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
    let s = day * 1440 + m(w.start);
    let mut e = day * 1440 + m(w.end);
    if e <= s {
        e += 1440;
    }
    (s, e)
}

/// Which hour slots the weekly windows touch: `[day][hour]`.
fn painted(windows: &[WeeklyWindow]) -> [[bool; 24]; 7] {
    let mut g = [[false; 24]; 7];
    for w in windows {
        let (s, e) = span(w);
        for (d, day) in g.iter_mut().enumerate() {
            for (h, cell) in day.iter_mut().enumerate() {
                let a = (d as i64) * 1440 + (h as i64) * 60;
                // A window from Sunday night into Monday wraps around the week.
                let hit = |off: i64| s + off < a + 60 && a < e + off;
                if hit(0) || hit(-WEEK_MINUTES) {
                    *cell = true;
                }
            }
        }
    }
    g
}

/// Painted slots back into windows: each day's runs of hours, one window per run.
fn windows_from(grid: &[[bool; 24]; 7]) -> Vec<WeeklyWindow> {
    let mut out = Vec::new();
    for (d, day) in grid.iter().enumerate() {
        let mut h = 0;
        while h < 24 {
            if !day[h] {
                h += 1;
                continue;
            }
            let start = h;
            while h < 24 && day[h] {
                h += 1;
            }
            // A run to midnight ends at 00:00, which the domain reads as the next day's start.
            let end = if h == 24 { 0 } else { h };
            out.push(WeeklyWindow { weekday: DAYS[d].0, start: Time::constant(start as i8, 0, 0, 0), end: Time::constant(end as i8, 0, 0, 0) });
        }
    }
    out
}

fn weekly_minutes(windows: &[WeeklyWindow]) -> i64 {
    windows.iter().map(|w| { let (s, e) = span(w); e - s }).sum()
}

fn describe(w: &DatedWindow) -> String {
    format!("{} – {}", w.start.strftime("%a %-d %b %Y %H:%M"), w.end.strftime("%a %-d %b %Y %H:%M"))
}

fn page(s: &Session, w: &Worker, notice: String, errors: Vec<(String, String)>) -> Calendar {
    let g = painted(&w.availability.weekly);
    let rows = (0..24)
        .map(|h| Row {
            hour: format!("{h:02}:00"),
            cells: (0..7)
                .map(|d| Cell { value: format!("{d}-{h}"), checked: g[d][h], label: format!("{} {h:02}:00 to {:02}:00", DAYS[d].2, (h + 1) % 24) })
                .collect(),
        })
        .collect();
    let list = |v: &[DatedWindow]| -> Vec<Dated> { v.iter().enumerate().map(|(index, w)| Dated { index, text: describe(w) }).collect() };
    Calendar {
        nav: Nav::new(s, "/w/availability"),
        zone: w.zone.name().to_string(),
        days: DAYS.iter().map(|d| d.1).collect(),
        rows,
        weekly_hours: hours(weekly_minutes(&w.availability.weekly)),
        dated: list(&w.availability.dated),
        exceptions: list(&w.availability.exceptions),
        notice,
        errors,
    }
}

pub async fn show(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    render_status(StatusCode::OK, &page(&s, &w, String::new(), Vec::new()))
}

/// Save `w` and show the calendar again, with the store's field errors if it refused.
async fn save(state: &AppState, s: &Session, mut w: Worker, before: Worker, notice: String) -> Result<Response, PortalError> {
    match super::profile::save_profile(state, s, w.clone()).await? {
        Ok(w) => render_status(StatusCode::OK, &page(s, &w, notice, Vec::new())),
        Err(i) => {
            w.availability = before.availability;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(s, &w, String::new(), field_errors(i)))
        }
    }
}

/// Replace the weekly pattern with the painted slots.
pub async fn paint(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let mut w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let before = w.clone();
    let mut grid = [[false; 24]; 7];
    for v in form.fields.all("slot") {
        let parsed = v.split_once('-').and_then(|(d, h)| Some((d.parse::<usize>().ok()?, h.parse::<usize>().ok()?)));
        match parsed {
            Some((d, h)) if d < 7 && h < 24 => grid[d][h] = true,
            _ => return Err(PortalError::BadForm(format!("`{v}` is not an hour slot"))),
        }
    }
    w.availability.weekly = windows_from(&grid);
    let notice = format!("Saved: {} windows, {} a week.", w.availability.weekly.len(), hours(weekly_minutes(&w.availability.weekly)));
    save(&state, &s, w, before, notice).await
}

fn parse_local(field: &str, v: &str) -> Result<DateTime, (String, String)> {
    v.parse::<DateTime>().map_err(|_| (field.to_string(), "enter a date and time like 2026-12-05T09:00".to_string()))
}

/// Add a dated window (extra availability) or an exception (time off).
pub async fn add_dated(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let mut w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let before = w.clone();
    let (start, end) = (parse_local("start", &form.fields.text("start")), parse_local("end", &form.fields.text("end")));
    let (start, end) = match (start, end) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let errors = [a.err(), b.err()].into_iter().flatten().collect();
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&s, &w, String::new(), errors));
        }
    };
    let dw = DatedWindow { start, end };
    if let Err(i) = dw.resolve(&w.zone) {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&s, &w, String::new(), field_errors(i)));
    }
    let exception = form.fields.get("kind") == Some("exception");
    if exception {
        w.availability.exceptions.push(dw);
    } else {
        w.availability.dated.push(dw);
    }
    let notice = format!("Added {}: {}.", if exception { "time off" } else { "a dated window" }, describe(&dw));
    save(&state, &s, w, before, notice).await
}

pub async fn remove_dated(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let mut w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let before = w.clone();
    let i: usize = form.fields.text("index").parse().map_err(|_| PortalError::BadForm("index".into()))?;
    let list = if form.fields.get("kind") == Some("exception") { &mut w.availability.exceptions } else { &mut w.availability.dated };
    if i >= list.len() {
        return Err(PortalError::NotFound("window"));
    }
    let gone = list.remove(i);
    save(&state, &s, w, before, format!("Removed {}.", describe(&gone))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_round_trips_and_whole_days_cross_midnight() {
        let mut g = [[false; 24]; 7];
        for h in 9..17 {
            g[1][h] = true;
        }
        for h in 0..24 {
            g[5][h] = true;
        }
        g[6][23] = true;
        let ws = windows_from(&g);
        assert_eq!(ws.len(), 3);
        assert_eq!(ws[1].start, Time::midnight());
        assert_eq!(ws[1].end, Time::midnight(), "a painted whole day is 00:00 to 00:00");
        assert_eq!(weekly_minutes(&ws), 8 * 60 + 24 * 60 + 60);
        assert_eq!(painted(&ws), g);
    }

    #[test]
    fn a_sunday_night_window_paints_monday_morning() {
        let w = WeeklyWindow { weekday: Weekday::Sunday, start: Time::constant(22, 0, 0, 0), end: Time::constant(2, 0, 0, 0) };
        let g = painted(&[w]);
        assert!(g[6][22] && g[6][23] && g[0][0] && g[0][1] && !g[0][2]);
    }
}
