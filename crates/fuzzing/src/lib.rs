//! The fuzz targets' bodies: every parser of outside input, fed arbitrary
//! bytes. Each function must return for any input without panicking; what
//! it parses successfully it also pushes one step further (validation,
//! expansion, the rule checker), since that is where parsed values go next.
//!
//! `fuzz/` (a cargo-fuzz crate, its own workspace) calls these from
//! libFuzzer; `tests/corpus.rs` replays the kept corpus through them on
//! stable Rust in the ordinary test run, so every input that once crashed
//! stays a regression test.

use jiff::civil::DateTime;
use jiff::{Span, Timestamp};
use slivers_core::availability::Availability;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId};
use slivers_core::labour::LabourRules;
use slivers_core::rules::{check, first_failure, Mode, Proposal};
use slivers_core::worker::Worker;
use slivers_core::{Interval, Money, Zone};
use slivers_documents::imports::{ShiftRow, SiteRow, WorkerRow};

/// The benchmark reader (Curtois–Qu roster instances): parse, then judge
/// the empty roster with the independent validator.
pub fn nrp(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(problem) = slivers_roster::nrp::parse(&text) {
        let empty = slivers_roster::Solution::empty(&problem);
        let _ = slivers_roster::validate(&problem, &empty);
    }
}

/// Time and zone inputs as people type them: a zone name, an instant, a
/// civil time resolved strictly in that zone, and a day's bounds there.
pub fn time(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '|');
    let (zone, instant, civil) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let zone = Zone::parse(zone).unwrap_or_else(|_| Zone::utc());
    if let Ok(t) = instant.parse::<Timestamp>() {
        let d = zone.date(t);
        let _ = slivers_core::availability::local_day(&zone, d);
        let _ = slivers_core::Zone::iso_week_start(d);
    }
    if let Ok(dt) = civil.parse::<DateTime>() {
        let _ = zone.resolve_strict(dt);
        let _ = zone.resolve(dt);
    }
}

/// A week from a fixed Monday: the range availability is expanded over.
fn week() -> Interval {
    let start: Timestamp = "2026-03-23T00:00:00Z".parse().unwrap_or(Timestamp::UNIX_EPOCH);
    Interval { start, end: start.checked_add(Span::new().hours(24 * 14)).unwrap_or(start) }
}

/// Availability patterns (weekly windows, dated windows, exceptions) as a
/// worker sends them: validated in a zone, then expanded over two weeks
/// that include a DST change.
pub fn availability(data: &[u8]) {
    let Ok(a) = serde_json::from_slice::<Availability>(data) else { return };
    for zone in ["Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"] {
        let Ok(zone) = Zone::parse(zone) else { continue };
        if a.validate(&zone).is_ok() {
            let _ = a.expand(&zone, week());
        }
    }
}

/// The largest JSON body a route takes, a worker's whole profile, and the
/// labour rules inside it: validated, then asked of the rule checker against
/// a shift in that week with a few bookings around it.
pub fn worker(data: &[u8]) {
    let _ = serde_json::from_slice::<LabourRules>(data).map(|r| r.validate());
    let Ok(w) = serde_json::from_slice::<Worker>(data) else { return };
    if w.validate().is_err() {
        return;
    }
    let range = week();
    let hour = |h: i64| range.start.checked_add(Span::new().hours(h)).unwrap_or(range.start);
    let window = Interval { start: hour(30), end: hour(38) };
    let shift = Shift {
        id: ShiftId(1),
        business_id: BusinessId(1),
        site_id: None,
        location: None,
        zone: Zone::utc(),
        window,
        skills: Vec::new(),
        headcount: 1,
        pay_rate: Money::new(w.min_rate.amount, w.min_rate.currency),
        bill_rate: Money::new(w.min_rate.amount, w.min_rate.currency),
        notes: String::new(),
        status: ShiftStatus::Open,
        onsite_before_remote: 0,
        site_labour: w.limits.labour.clone(),
    };
    let booked = [Interval { start: hour(2), end: hour(10) }, Interval { start: hour(50), end: hour(58) }];
    for mode in [Mode::Instant, Mode::Offer, Mode::Accept] {
        let p = Proposal::new(&w, &booked, &shift, range.start, mode);
        let v = check(&p);
        assert_eq!(first_failure(&p).is_none(), v.allowed, "first_failure and check disagree");
    }
}

/// CSV imports: the same bytes read as shifts, sites and staff.
pub fn csv_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = slivers_documents::csv::read::<ShiftRow>(&text);
    let _ = slivers_documents::csv::read::<SiteRow>(&text);
    let _ = slivers_documents::csv::read::<WorkerRow>(&text);
}

/// Every target by name, for the corpus replay and the fuzz crate.
pub const TARGETS: [(&str, fn(&[u8])); 5] =
    [("nrp", nrp), ("time", time), ("availability", availability), ("worker", worker), ("csv_import", csv_import)];
