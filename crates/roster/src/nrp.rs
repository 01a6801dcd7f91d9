//! Reader for the Curtois–Qu shift scheduling benchmark format
//! (see `shared/bench/nrp/README.md`).

use std::collections::HashMap;

use crate::model::{Cover, Problem, Request, ShiftType, Staff};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("missing section {0}")]
    Missing(&'static str),
    /// A well-formed integer the model cannot hold (a negative count or weight, or too large).
    #[error("line {line}: {what} {value} is out of range")]
    Range { line: usize, what: String, value: i128 },
}

/// Horizons longer than this (over 27 years) are refused rather than allocated.
const MAX_DAYS: usize = 10_000;

fn err(line: usize, reason: impl Into<String>) -> ParseError {
    ParseError::Line { line, reason: reason.into() }
}

/// An integer as the format writes it: optional `+` or `-` (so `-0` too)
/// and any number of leading zeros.
fn int(s: &str, line: usize, what: &str) -> Result<i128, ParseError> {
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(line, format!("{what}: `{s}` is not a number")));
    }
    // Leading zeros carry no value; what is left must fit comfortably.
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return Err(ParseError::Range { line, what: what.into(), value: if neg { i128::MIN } else { i128::MAX } });
    }
    let v: i128 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| err(line, format!("{what}: `{s}` is not a number")))? };
    Ok(if neg { -v } else { v })
}

/// A count, length or weight: at least 0 and fits the model.
fn num<T: TryFrom<i128>>(s: &str, line: usize, what: &str) -> Result<T, ParseError> {
    let v = int(s, line, what)?;
    T::try_from(v).map_err(|_| ParseError::Range { line, what: what.into(), value: v })
}

/// A lower limit: a negative minimum allows the same as 0 does.
fn min_num(s: &str, line: usize, what: &str) -> Result<u32, ParseError> {
    let v = int(s, line, what)?.max(0);
    u32::try_from(v).map_err(|_| ParseError::Range { line, what: what.into(), value: v })
}

/// Parse an instance file's text.
pub fn parse(text: &str) -> Result<Problem, ParseError> {
    // Collect sections: name -> list of (line number, fields).
    let mut sections: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            current = None;
            continue;
        }
        if line.starts_with("SECTION_") {
            current = Some(line.to_string());
            sections.entry(line.to_string()).or_default();
            continue;
        }
        let Some(name) = &current else { return Err(err(i + 1, "data outside a section")) };
        sections.entry(name.clone()).or_default().push((i + 1, line.split(',').map(|f| f.trim().to_string()).collect()));
    }
    let section = |name: &'static str| sections.get(name).ok_or(ParseError::Missing(name));

    let (hl, h) = section("SECTION_HORIZON")?.first().cloned().ok_or(ParseError::Missing("SECTION_HORIZON"))?;
    let days: usize = num(&h[0], hl, "horizon")?;
    if days > MAX_DAYS {
        return Err(ParseError::Range { line: hl, what: "horizon".into(), value: days as i128 });
    }

    let mut shift_ids: HashMap<String, usize> = HashMap::new();
    let raw_shifts = section("SECTION_SHIFTS")?;
    for (i, (_, f)) in raw_shifts.iter().enumerate() {
        shift_ids.insert(f[0].clone(), i);
    }
    let shift_of = |s: &str, line: usize| shift_ids.get(s).copied().ok_or_else(|| err(line, format!("unknown shift `{s}`")));
    let mut shifts = Vec::new();
    for (line, f) in raw_shifts {
        if f.len() < 2 {
            return Err(err(*line, "a shift line has an ID and a length"));
        }
        let forbidden_next = match f.get(2) {
            Some(s) if !s.is_empty() => s.split('|').map(|x| shift_of(x, *line)).collect::<Result<_, _>>()?,
            _ => Vec::new(),
        };
        shifts.push(ShiftType { name: f[0].clone(), minutes: num(&f[1], *line, "length")?, forbidden_next });
    }

    let mut staff_ids: HashMap<String, usize> = HashMap::new();
    let mut staff = Vec::new();
    for (line, f) in section("SECTION_STAFF")? {
        if f.len() < 8 {
            return Err(err(*line, "a staff line has 8 fields"));
        }
        let mut max_shifts = vec![0u32; shifts.len()];
        for part in f[1].split('|').filter(|p| !p.is_empty()) {
            let (s, m) = part.split_once('=').ok_or_else(|| err(*line, format!("`{part}` is not SHIFT=max")))?;
            max_shifts[shift_of(s, *line)?] = num(m, *line, "max shifts")?;
        }
        staff_ids.insert(f[0].clone(), staff.len());
        staff.push(Staff {
            name: f[0].clone(),
            max_shifts,
            max_minutes: num(&f[2], *line, "max minutes")?,
            min_minutes: min_num(&f[3], *line, "min minutes")?,
            max_consecutive: num(&f[4], *line, "max consecutive")?,
            min_consecutive: min_num(&f[5], *line, "min consecutive")?,
            min_days_off: min_num(&f[6], *line, "min days off")?,
            max_weekends: num(&f[7], *line, "max weekends")?,
            day_off: vec![false; days],
            unavailable: Vec::new(),
            conflicts: Vec::new(),
            on_requests: Vec::new(),
            off_requests: Vec::new(),
        });
    }
    let staff_of = |s: &str, line: usize| staff_ids.get(s).copied().ok_or_else(|| err(line, format!("unknown staff `{s}`")));
    let day_of = |s: &str, line: usize| -> Result<usize, ParseError> {
        let d = int(s, line, "day")?;
        if (0..days as i128).contains(&d) { Ok(d as usize) } else { Err(err(line, format!("day {d} is outside the horizon"))) }
    };

    if let Some(rows) = sections.get("SECTION_DAYS_OFF") {
        for (line, f) in rows {
            let e = staff_of(&f[0], *line)?;
            for d in &f[1..] {
                let d = day_of(d, *line)?;
                staff[e].day_off[d] = true;
            }
        }
    }
    for (name, on) in [("SECTION_SHIFT_ON_REQUESTS", true), ("SECTION_SHIFT_OFF_REQUESTS", false)] {
        for (line, f) in sections.get(name).map(Vec::as_slice).unwrap_or_default() {
            if f.len() < 4 {
                return Err(err(*line, "a request has 4 fields"));
            }
            let e = staff_of(&f[0], *line)?;
            let r = Request { day: day_of(&f[1], *line)?, shift: shift_of(&f[2], *line)?, weight: num(&f[3], *line, "weight")? };
            if on { staff[e].on_requests.push(r) } else { staff[e].off_requests.push(r) }
        }
    }
    let zero = Cover { requirement: 0, weight_under: 0, weight_over: 0 };
    let mut cover = vec![vec![zero; shifts.len()]; days];
    for (line, f) in section("SECTION_COVER")? {
        if f.len() < 5 {
            return Err(err(*line, "a cover line has 5 fields"));
        }
        let d = day_of(&f[0], *line)?;
        let s = shift_of(&f[1], *line)?;
        cover[d][s] = Cover {
            requirement: num(&f[2], *line, "requirement")?,
            weight_under: num(&f[3], *line, "weight under")?,
            weight_over: num(&f[4], *line, "weight over")?,
        };
    }
    Ok(Problem { days, shifts, staff, cover })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_instance_one() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/nrp/Instance1.txt"));
        let Ok(text) = text else { return eprintln!("skipped: shared/bench not present") };
        let p = parse(&text).unwrap();
        assert_eq!((p.days, p.shifts.len(), p.staff.len()), (14, 1, 8));
        assert_eq!(p.staff[0].max_minutes, 4320);
        assert!(p.staff[0].day_off[0]);
        assert_eq!(p.staff[1].on_requests.len(), 5);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("SECTION_HORIZON\nx\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    const SMALL: &str = "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\nN,600,D\n\nSECTION_STAFF\nA,D=7|N=2,2400,960,5,2,2,1\nB,D=7|N=0,2400,960,5,2,2,1\n\nSECTION_DAYS_OFF\nA,0\n\nSECTION_SHIFT_ON_REQUESTS\nA,2,D,2\n\nSECTION_SHIFT_OFF_REQUESTS\nB,3,D,1\n\nSECTION_COVER\n0,D,1,100,1\n1,D,1,100,1\n2,N,1,100,1\n";

    #[test]
    fn integers_take_signs_and_leading_zeros() {
        let text = SMALL
            .replace("SECTION_HORIZON\n7", "SECTION_HORIZON\n+007")
            .replace("A,D=7|N=2,2400,960,5,2,2,1", "A,D=+7|N=02,02400,-0,+5,-3,2,001")
            .replace("A,2,D,2", "A,+2,D,-0")
            .replace("1,D,1,100,1", "0001,D,+1,0100,-0");
        let p = parse(&text).unwrap();
        assert_eq!(p.days, 7);
        let a = &p.staff[0];
        assert_eq!((a.max_shifts.clone(), a.max_minutes, a.min_minutes, a.max_consecutive), (vec![7, 2], 2400, 0, 5));
        // A negative minimum allows what 0 does.
        assert_eq!((a.min_consecutive, a.max_weekends), (0, 1));
        assert_eq!((a.on_requests[0].day, a.on_requests[0].weight), (2, 0));
        assert_eq!(p.cover[1][0], Cover { requirement: 1, weight_under: 100, weight_over: 0 });
        assert_eq!(parse(SMALL).unwrap().days, 7);
    }

    #[test]
    fn out_of_range_integers_are_typed_errors() {
        for (from, to) in [
            ("A,2,D,2", "A,2,D,-2"),
            ("A,2,D,2", "A,-1,D,2"),
            ("SECTION_HORIZON\n7", "SECTION_HORIZON\n-7"),
            ("SECTION_HORIZON\n7", "SECTION_HORIZON\n99999999999999999999999999999999999999"),
            ("0,D,1,100,1", "0,D,1,4294967296,1"),
        ] {
            let e = parse(&SMALL.replace(from, to)).unwrap_err();
            assert!(matches!(e, ParseError::Range { .. } | ParseError::Line { .. }), "{to}: {e}");
        }
        assert!(matches!(parse(&SMALL.replace("A,2,D,2", "A,2,D,-2")), Err(ParseError::Range { .. })));
        for bad in ["+", "-", "1-2", "--1", "+-1", " ", "1e3", "0x10"] {
            assert!(parse(&SMALL.replace("A,2,D,2", &format!("A,2,D,{bad}"))).is_err(), "{bad}");
        }
    }

    /// Random byte-level and token-level mutations of a valid instance never
    /// panic: each either parses (and then solves to a validated roster) or
    /// returns an error.
    #[test]
    fn mutations_never_panic() {
        let mut rng = fastrand::Rng::with_seed(12);
        let tokens = ["-0", "+5", "-3", "007", "", ",", "|", "=", "\n", "\n\n", "SECTION_COVER", "99999999999", "D", "N", "A", "#"];
        for round in 0..3000 {
            let mut text: Vec<char> = SMALL.chars().collect();
            for _ in 0..rng.usize(1..6) {
                let at = rng.usize(0..=text.len());
                match rng.u8(0..3) {
                    0 if !text.is_empty() => {
                        text.remove(at.min(text.len() - 1));
                    }
                    1 => {
                        let tok = tokens[rng.usize(0..tokens.len())];
                        for (k, c) in tok.chars().enumerate() {
                            text.insert(at + k, c);
                        }
                    }
                    _ => text.insert(at, char::from(rng.u8(32..127))),
                }
            }
            let text: String = text.into_iter().collect();
            if let Ok(p) = parse(&text) {
                if round % 10 == 0 && p.days <= 50 {
                    match crate::solve(&p, crate::Options::seconds(0.2, round), |_| {}) {
                        Ok(out) => assert!(out.report.feasible && out.report.objective.total == out.objective, "{text}"),
                        Err(e) => assert!(matches!(e, crate::SolveError::NoSolution(_)), "{e}: {text}"),
                    }
                }
            }
        }
    }
}
