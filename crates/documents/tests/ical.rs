//! Reads our iCalendar output back with an independent parser, Python's
//! `icalendar` package (`pip install icalendar`), so escaping, folding and
//! UTC times are judged by someone else's reading of RFC 5545.
//!
//! A missing python3 or package fails the test with instructions: a skipped
//! check would look like a passed one.

#[path = "support/pytools.rs"]
mod pytools;


use jiff::Timestamp;
use slivers_documents::ical::{CalendarEvent, EventStatus, calendar};

/// Prints, as JSON, what icalendar makes of the file: calendar name and per
/// event its decoded properties.
const READER: &str = r#"
import json, sys
from icalendar import Calendar, Event
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
# icalendar keeps unknown X- properties raw, but RFC 5545 says their default
# type is TEXT: decode the raw value with icalendar's own TEXT parser.
raw_name = cal.get("X-WR-CALNAME").to_ical().decode()
name = str(Event.from_ical("BEGIN:VEVENT\r\nSUMMARY:" + raw_name + "\r\nEND:VEVENT\r\n")["SUMMARY"])
out = {"name": name, "version": str(cal.get("VERSION")), "events": []}
for ev in cal.walk("VEVENT"):
    e = {}
    for key in ("UID", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS"):
        e[key] = str(ev[key]) if key in ev else None
    e["SEQUENCE"] = int(ev["SEQUENCE"])
    for key in ("DTSTART", "DTEND", "DTSTAMP"):
        dt = ev.decoded(key)
        e[key] = dt.isoformat()
        e[key + "_utc"] = dt.utcoffset() is not None and dt.utcoffset().total_seconds() == 0
    out["events"].append(e)
print(json.dumps(out))
"#;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn parse_with_python(ics: &str) -> serde_json::Value {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ical");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let file = dir.join("shifts.ics");
    std::fs::write(&file, ics).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    let out = pytools::python().args(["-c", READER]).arg(&file).output().unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(out.status.success(), "icalendar could not read our output:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("reader printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn python_icalendar_reads_back_every_property() {
    let long_summary = "Serveur·euse de banquet — «Salle Ωmega», Köln/Zürich; équipe de nuit, 😀 service, rangement, \\ fin: 23:59 — 夜勤スタッフ募集中";
    let events = vec![
        CalendarEvent {
            uid: "booking-1@slivers.example".into(),
            sequence: 0,
            status: EventStatus::Confirmed,
            start: t("2026-12-05T09:00:00Z"),
            end: t("2026-12-05T17:00:00Z"),
            stamp: t("2026-12-01T08:00:00Z"),
            summary: "Barista".into(),
            location: Some("1 Market St, London; rear door".into()),
            description: Some("Bring ID.\nAsk for Sam, the manager.".into()),
        },
        CalendarEvent {
            uid: "booking-2@slivers.example".into(),
            sequence: 3,
            status: EventStatus::Cancelled,
            // Given with an offset; must come out as the same instant in UTC.
            start: t("2026-12-05T20:00:00+09:00"),
            end: t("2026-12-06T02:30:00+09:00"),
            stamp: t("2026-12-02T10:15:30Z"),
            summary: long_summary.into(),
            location: None,
            description: None,
        },
        CalendarEvent {
            uid: "booking-3@slivers.example".into(),
            sequence: 1,
            status: EventStatus::Tentative,
            start: t("2026-12-31T23:00:00Z"),
            end: t("2027-01-01T03:00:00Z"),
            stamp: t("2026-12-02T10:15:30Z"),
            summary: "New Year's Eve, bar".into(),
            location: None,
            description: Some(String::new()),
        },
    ];
    let ics = calendar("Shifts — A. Worker, Café", &events);
    assert!(ics.lines().any(|l| l.starts_with(' ')), "the long summary was folded:\n{ics}");
    let parsed = parse_with_python(&ics);
    println!("{parsed:#}");
    assert_eq!(parsed["name"], "Shifts — A. Worker, Café");
    assert_eq!(parsed["version"], "2.0");
    let evs = parsed["events"].as_array().unwrap_or_else(|| panic!("no events: {parsed}"));
    assert_eq!(evs.len(), 3);
    assert_eq!(evs[0]["UID"], "booking-1@slivers.example");
    assert_eq!(evs[0]["STATUS"], "CONFIRMED");
    assert_eq!(evs[0]["SEQUENCE"], 0);
    assert_eq!(evs[0]["LOCATION"], "1 Market St, London; rear door");
    assert_eq!(evs[0]["DESCRIPTION"], "Bring ID.\nAsk for Sam, the manager.");
    assert_eq!(evs[0]["DTSTART"], "2026-12-05T09:00:00+00:00");
    assert_eq!(evs[1]["UID"], "booking-2@slivers.example");
    assert_eq!(evs[1]["STATUS"], "CANCELLED");
    assert_eq!(evs[1]["SEQUENCE"], 3);
    assert_eq!(evs[1]["SUMMARY"], long_summary, "the folded non-ASCII summary round-trips exactly");
    assert_eq!(evs[1]["DTSTART"], "2026-12-05T11:00:00+00:00");
    assert_eq!(evs[1]["DTEND"], "2026-12-05T17:30:00+00:00");
    assert_eq!(evs[1]["LOCATION"], serde_json::Value::Null);
    assert_eq!(evs[2]["STATUS"], "TENTATIVE");
    assert_eq!(evs[2]["SUMMARY"], "New Year's Eve, bar");
    assert_eq!(evs[2]["DTEND"], "2027-01-01T03:00:00+00:00");
    for e in evs {
        for key in ["DTSTART_utc", "DTEND_utc", "DTSTAMP_utc"] {
            assert_eq!(e[key], true, "{key} is UTC in {e}");
        }
    }
}
