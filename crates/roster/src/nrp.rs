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
}

fn err(line: usize, reason: impl Into<String>) -> ParseError {
    ParseError::Line { line, reason: reason.into() }
}

fn num<T: std::str::FromStr>(s: &str, line: usize, what: &str) -> Result<T, ParseError> {
    s.trim().parse().map_err(|_| err(line, format!("{what}: `{s}` is not a number")))
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

    let mut shift_ids: HashMap<String, usize> = HashMap::new();
    let raw_shifts = section("SECTION_SHIFTS")?;
    for (i, (_, f)) in raw_shifts.iter().enumerate() {
        shift_ids.insert(f[0].clone(), i);
    }
    let shift_of = |s: &str, line: usize| shift_ids.get(s).copied().ok_or_else(|| err(line, format!("unknown shift `{s}`")));
    let mut shifts = Vec::new();
    for (line, f) in raw_shifts {
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
            min_minutes: num(&f[3], *line, "min minutes")?,
            max_consecutive: num(&f[4], *line, "max consecutive")?,
            min_consecutive: num(&f[5], *line, "min consecutive")?,
            min_days_off: num(&f[6], *line, "min days off")?,
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
        let d: usize = num(s, line, "day")?;
        if d < days { Ok(d) } else { Err(err(line, format!("day {d} is outside the horizon"))) }
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
}
