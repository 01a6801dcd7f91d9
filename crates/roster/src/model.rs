//! The general rostering model.

use serde::Serialize;

/// A kind of shift that can be worked on any day (e.g. early, late, night).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShiftType {
    pub name: String,
    pub minutes: u32,
    /// Types that may not be worked on the day after this one (rest rules).
    pub forbidden_next: Vec<usize>,
}

/// A soft preference: `weight` if the request is not honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Request {
    pub day: usize,
    pub shift: usize,
    pub weight: u32,
}

/// A person and their hard limits over the horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staff {
    pub name: String,
    /// Per shift type: most shifts of that type over the horizon (0: never).
    pub max_shifts: Vec<u32>,
    pub max_minutes: u32,
    pub min_minutes: u32,
    pub max_consecutive: u32,
    /// Blocks of working days wholly inside the horizon are at least this long.
    pub min_consecutive: u32,
    /// Blocks of days off wholly inside the horizon are at least this long.
    pub min_days_off: u32,
    pub max_weekends: u32,
    /// Per day: no shift at all.
    pub day_off: Vec<bool>,
    /// Per day and type: this shift is not possible (availability, skills, other bookings).
    /// Empty means every shift is possible on every working day.
    pub unavailable: Vec<Vec<bool>>,
    /// Pairs of (day, shift) this person may not both work (overlap, rest or
    /// caps between specific shifts; used when rostering the exchange's shifts).
    pub conflicts: Vec<[(usize, usize); 2]>,
    /// Penalised if the shift is not worked.
    pub on_requests: Vec<Request>,
    /// Penalised if the shift is worked.
    pub off_requests: Vec<Request>,
}

impl Staff {
    pub fn can_work(&self, day: usize, shift: usize) -> bool {
        !self.day_off[day]
            && self.max_shifts.get(shift).is_some_and(|m| *m > 0)
            && !self.unavailable.get(day).and_then(|d| d.get(shift)).copied().unwrap_or(false)
    }
}

/// Demand for one shift type on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cover {
    pub requirement: u32,
    /// Per place short of the requirement.
    pub weight_under: u32,
    /// Per place beyond the requirement.
    pub weight_over: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub days: usize,
    pub shifts: Vec<ShiftType>,
    pub staff: Vec<Staff>,
    /// `cover[day][shift]`.
    pub cover: Vec<Vec<Cover>>,
}

impl Problem {
    /// Weekend index of a day (day 0 is a Monday), if it is a Saturday or Sunday.
    pub fn weekend(day: usize) -> Option<usize> {
        matches!(day % 7, 5 | 6).then_some(day / 7)
    }

    pub fn weekends(&self) -> usize {
        self.days.div_ceil(7)
    }
}

/// `assign[staff][day]`: the shift type worked, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Solution {
    pub assign: Vec<Vec<Option<usize>>>,
}

impl Solution {
    pub fn empty(p: &Problem) -> Solution {
        Solution { assign: vec![vec![None; p.days]; p.staff.len()] }
    }

    /// How many staff work `shift` on `day`.
    pub fn covered(&self, day: usize, shift: usize) -> u32 {
        self.assign.iter().filter(|row| row[day] == Some(shift)).count() as u32
    }
}
