//! iCalendar (RFC 5545) feeds of shifts, written by hand: a calendar is a
//! few properties per event, and a dependency would bring a second time
//! library (chrono) into a workspace that uses jiff.
//!
//! Times are always written in UTC (`…Z`), so no VTIMEZONE is needed and
//! every client shows the shift at the same instant. A changed or cancelled
//! shift keeps its UID and raises SEQUENCE, which is how clients know to
//! update the event they already have rather than add a new one.

use jiff::Timestamp;

/// Identifies the producer of the feed (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//Slivers//Slivers Exchange//EN";

/// RFC 5545 §3.1: content lines are folded so no line exceeds 75 octets.
const MAX_LINE_OCTETS: usize = 75;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::Tentative => "TENTATIVE",
            Self::Cancelled => "CANCELLED",
        }
    }
}

/// One VEVENT: a shift as the worker's or the business's calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across changes, globally unique, e.g. `booking-42@slivers.example`.
    pub uid: String,
    /// Raised on every change to the event.
    pub sequence: u32,
    pub status: EventStatus,
    pub start: Timestamp,
    pub end: Timestamp,
    /// When this version of the event was produced.
    pub stamp: Timestamp,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
}

/// A VCALENDAR named `name` holding `events`, with CRLF line endings and
/// lines folded at 75 octets.
pub fn calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    let mut line = |l: String| {
        out.push_str(&fold(&l));
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&e.uid)));
        line(format!("DTSTAMP:{}", utc(e.stamp)));
        line(format!("DTSTART:{}", utc(e.start)));
        line(format!("DTEND:{}", utc(e.end)));
        line(format!("SUMMARY:{}", escape_text(&e.summary)));
        if let Some(l) = &e.location {
            line(format!("LOCATION:{}", escape_text(l)));
        }
        if let Some(d) = &e.description {
            line(format!("DESCRIPTION:{}", escape_text(d)));
        }
        line(format!("STATUS:{}", e.status.as_str()));
        line(format!("SEQUENCE:{}", e.sequence));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A UTC DATE-TIME in RFC 5545 form 2, e.g. `20261205T200000Z`.
pub fn utc(t: Timestamp) -> String {
    // Timestamp::strftime formats the instant in UTC.
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and
/// newline. Other control characters are not allowed in content lines and
/// are dropped; a CRLF pair becomes one newline.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (without its CRLF): after at most 75 octets a
/// CRLF and a space are inserted, never inside a UTF-8 character. The
/// leading space of a continuation counts towards its 75 octets.
pub fn fold(line: &str) -> String {
    if line.len() <= MAX_LINE_OCTETS {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    let mut limit = MAX_LINE_OCTETS;
    for c in line.chars() {
        if used + c.len_utf8() > limit {
            out.push_str("\r\n ");
            used = 0;
            limit = MAX_LINE_OCTETS - 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}

/// Undoes [`fold`]: used by the tests to check folding is lossless.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_not_folded() {
        let l = "S".repeat(75);
        assert_eq!(fold(&l), l);
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets() {
        let l = "x".repeat(200);
        let folded = fold(&l);
        let parts: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(parts[0].len(), 75);
        assert!(parts[1..].iter().all(|p| p.starts_with(' ') && p.len() <= 75), "{parts:?}");
        assert_eq!(parts[1].len(), 75);
        assert_eq!(unfold(&folded), l);
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        // 3-octet and 4-octet characters placed so a naive split at 75 would cut them.
        for prefix in 0..4 {
            let l = format!("SUMMARY:{}{}", "a".repeat(prefix), "€😀ü".repeat(40));
            let folded = fold(&l);
            for part in folded.split("\r\n") {
                assert!(part.len() <= 75, "{} octets: {part}", part.len());
            }
            // Each piece is a &str, so a split char would have panicked above; and nothing is lost:
            assert_eq!(unfold(&folded), l);
        }
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("line 1\nline 2\r\nline 3"), r"line 1\nline 2\nline 3");
        assert_eq!(escape_text("bell\u{7}gone"), "bellgone");
        assert_eq!(escape_text("colon: fine"), "colon: fine");
    }

    #[test]
    fn a_calendar_has_crlf_lines_and_utc_times() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap_or_else(|e| panic!("{s}: {e}"));
        let e = CalendarEvent {
            uid: "booking-1@slivers.example".into(),
            sequence: 2,
            status: EventStatus::Cancelled,
            start: t("2026-12-05T20:00:00+01:00"),
            end: t("2026-12-06T02:00:00Z"),
            stamp: t("2026-12-01T08:30:05Z"),
            summary: "Barista, Café; Night".into(),
            location: None,
            description: Some("Bring ID\nAsk for Sam".into()),
        };
        let cal = calendar("Shifts", &[e]);
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(!cal.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
        assert!(cal.contains("\r\nDTSTART:20261205T190000Z\r\n"), "{cal}");
        assert!(cal.contains("\r\nDTSTAMP:20261201T083005Z\r\n"));
        assert!(cal.contains("\r\nSUMMARY:Barista\\, Café\\; Night\r\n"));
        assert!(cal.contains("\r\nDESCRIPTION:Bring ID\\nAsk for Sam\r\n"));
        assert!(cal.contains("\r\nSTATUS:CANCELLED\r\nSEQUENCE:2\r\n"));
        assert!(!cal.contains("LOCATION"));
    }
}
