//! A generator of instances in the Curtois–Qu text format, shaped like the
//! family (early, day, late and night types with rest rules between them,
//! skills as per-type maxima of 0, a few capped night shifts, weekly minute
//! limits, fixed days off, weighted on/off requests, cover with 100 per
//! place short and 1 per place extra), at any size up to and beyond the
//! family's largest (364 days, 150 staff, 32 types).
//!
//! Demand is set from what the staff can supply, so instances are tight but
//! every person on their own can keep their rules (tested below).

use std::fmt::Write;

/// Size and seed of a generated instance.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub days: usize,
    pub staff: usize,
    pub types: usize,
    pub seed: u64,
}

/// The family's largest size.
pub const LARGEST: Spec = Spec { days: 364, staff: 150, types: 32, seed: 1 };

fn name(i: usize) -> String {
    // A, B, …, Z, AA, AB, … as in the benchmark files.
    let mut s = String::new();
    let mut i = i + 1;
    while i > 0 {
        i -= 1;
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        i /= 26;
    }
    s
}

/// The instance text for `spec`.
pub fn instance(spec: Spec) -> String {
    let Spec { days, staff, types, seed } = spec;
    let types = types.max(1);
    let mut rng = fastrand::Rng::with_seed(seed);
    // Types in four bands by start time: early, day, late, night.
    let band = |t: usize| (4 * t / types).min(3);
    let minutes = |t: usize| if band(t) == 3 { 600 } else if t % 5 == 4 { 720 } else { 480 };
    let mut out = String::new();
    let _ = writeln!(out, "# Generated instance: {days} days, {staff} staff, {types} shift types, seed {seed}\n");
    let _ = writeln!(out, "SECTION_HORIZON\n# All instances start on a Monday\n{days}\n");
    let _ = writeln!(out, "SECTION_SHIFTS\n# ShiftID, Length in mins, Shifts which cannot follow this shift | separated");
    let tname = |t: usize| format!("{}{}", ["E", "D", "L", "N"][band(t)], t);
    for t in 0..types {
        // A later band may not be followed by an earlier one (rest between shifts).
        let forbidden: Vec<String> = (0..types).filter(|u| band(*u) < band(t)).map(tname).collect();
        let _ = writeln!(out, "{},{},{}", tname(t), minutes(t), forbidden.join("|"));
    }
    let weeks = days.div_ceil(7);
    let _ = writeln!(out, "\nSECTION_STAFF\n# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends");
    let mut skills: Vec<Vec<bool>> = Vec::new();
    let mut supply = 0.0f64;
    for e in 0..staff {
        // Each person works a few types from one or two neighbouring bands.
        let home = rng.usize(0..types);
        let mut can: Vec<bool> = (0..types).map(|t| t.abs_diff(home) <= 3 || rng.u8(0..10) == 0).collect();
        can[home] = true;
        let part_time = rng.u8(0..5) == 0;
        let per_week = if part_time { 1440 } else { 2400 };
        let max_minutes = per_week * days / 7;
        let min_minutes = max_minutes - max_minutes / 4;
        let caps: Vec<String> = (0..types)
            .map(|t| {
                let cap = if !can[t] { 0 } else if band(t) == 3 { (days / 7).max(1) } else { days };
                format!("{}={}", tname(t), cap)
            })
            .collect();
        let (maxc, minc, mo) = if rng.bool() { (5, 2, 2) } else { (6, 2, 3) };
        let max_weekends = (weeks * 2).div_ceil(3);
        let _ = writeln!(out, "{},{},{},{},{},{},{},{}", name(e), caps.join("|"), max_minutes, min_minutes, maxc, minc, mo, max_weekends);
        supply += ((min_minutes + max_minutes) / 2) as f64 / 510.0;
        skills.push(can);
    }
    let _ = writeln!(out, "\nSECTION_DAYS_OFF\n# EmployeeID, DayIndexes (start at zero)");
    for e in 0..staff {
        let mut off: Vec<usize> = (0..(days / 14).max(1)).map(|_| rng.usize(0..days)).collect();
        off.sort_unstable();
        off.dedup();
        let list: Vec<String> = off.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "{},{}", name(e), list.join(","));
    }
    for (title, share) in [("SECTION_SHIFT_ON_REQUESTS", 10), ("SECTION_SHIFT_OFF_REQUESTS", 14)] {
        let _ = writeln!(out, "\n{title}\n# EmployeeID, Day, ShiftID, Weight");
        for e in 0..staff {
            let own: Vec<usize> = (0..types).filter(|t| skills[e][*t]).collect();
            let mut d = rng.usize(0..share.min(days));
            while d < days {
                let t = own[rng.usize(0..own.len())];
                let w = rng.u32(1..=3);
                for k in 0..rng.usize(1..=4).min(days - d) {
                    let _ = writeln!(out, "{},{},{},{}", name(e), d + k, tname(t), w);
                }
                d += share + rng.usize(0..2 * share);
            }
        }
    }
    // Demand: what the staff can supply, spread over types by how many can
    // work them, with day-to-day noise.
    let able: Vec<f64> = (0..types).map(|t| skills.iter().filter(|s| s[t]).count() as f64).collect();
    let total_able: f64 = able.iter().sum::<f64>().max(1.0);
    let per_day = supply / days.max(1) as f64;
    let _ = writeln!(out, "\nSECTION_COVER\n# Day, ShiftID, Requirement, Weight for under, Weight for over");
    for d in 0..days {
        for t in 0..types {
            let mean = per_day * able[t] / total_able;
            let req = (mean * (0.7 + 0.6 * rng.f64())).round() as u32;
            let _ = writeln!(out, "{d},{},{req},100,1", tname(t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{dp, nrp, validate, Solution};

    #[test]
    fn everyone_can_keep_their_rules() {
        let p = nrp::parse(&instance(Spec { days: 56, staff: 12, types: 8, seed: 3 })).unwrap();
        assert_eq!((p.days, p.staff.len(), p.shifts.len()), (56, 12, 8));
        let mut rows = Vec::new();
        for e in 0..p.staff.len() {
            let zero = vec![vec![0.0; p.shifts.len()]; p.days];
            let (_, row) = dp::best(&p, e, &zero, &vec![None; p.days], 0, p.days, p.staff[e].min_minutes).expect("a feasible row");
            rows.push(row);
        }
        assert!(validate(&p, &Solution { assign: rows }).feasible);
    }

    #[test]
    fn largest_size_parses() {
        let p = nrp::parse(&instance(LARGEST)).unwrap();
        assert_eq!((p.days, p.staff.len(), p.shifts.len()), (364, 150, 32));
        assert_eq!(name(26), "AA");
    }
}
