//! Half-open UTC intervals `[start, end)` and the few set operations the rules need.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Interval {
    /// A non-empty interval; `end` must be after `start`.
    pub fn new(start: Timestamp, end: Timestamp) -> Result<Self, Invalid> {
        if end <= start {
            return Err(Invalid::one("end", "must be after start"));
        }
        Ok(Self { start, end })
    }

    /// For callers that have already ordered the ends.
    pub(crate) fn raw(start: Timestamp, end: Timestamp) -> Self {
        Self { start, end }
    }

    pub fn minutes(&self) -> i64 {
        minutes_between(self.start, self.end)
    }

    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        let s = self.start.max(other.start);
        let e = self.end.min(other.end);
        (s < e).then(|| Interval::raw(s, e))
    }
}

/// Whole minutes from `a` to `b` (negative if `b` is earlier), rounding toward
/// zero. Sub-second parts count: 59.5 seconds is zero whole minutes.
pub fn minutes_between(a: Timestamp, b: Timestamp) -> i64 {
    b.duration_since(a).as_secs() / 60
}

/// Sort and merge touching or overlapping intervals.
pub fn normalize(mut v: Vec<Interval>) -> Vec<Interval> {
    v.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for iv in v {
        match out.last_mut() {
            Some(last) if iv.start <= last.end => last.end = last.end.max(iv.end),
            _ => out.push(iv),
        }
    }
    out
}

/// `a` minus `b`; both must be normalized. The result is normalized.
pub fn subtract(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut j = 0;
    for iv in a {
        let mut cur = iv.start;
        while j < b.len() && b[j].end <= cur {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < iv.end {
            if b[k].start > cur {
                out.push(Interval::raw(cur, b[k].start));
            }
            cur = cur.max(b[k].end);
            k += 1;
        }
        if cur < iv.end {
            out.push(Interval::raw(cur, iv.end));
        }
    }
    out
}

/// `a` and `b` both: the times in some interval of each. Both must be
/// normalized; the result is normalized.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if let Some(iv) = a[i].intersection(&b[j]) {
            out.push(iv);
        }
        // Drop whichever ends first: it cannot meet anything later in the other list.
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::raw(Timestamp::from_second(a * 60).unwrap(), Timestamp::from_second(b * 60).unwrap())
    }

    #[test]
    fn inverted_interval_is_refused() {
        let t = Timestamp::from_second(0).unwrap();
        assert_eq!(Interval::new(t, t).unwrap_err().0[0].field, "end");
    }

    #[test]
    fn normalize_merges_touching() {
        assert_eq!(normalize(vec![iv(5, 10), iv(0, 5), iv(20, 30), iv(25, 26)]), vec![iv(0, 10), iv(20, 30)]);
    }

    #[test]
    fn subtract_cuts_holes() {
        let r = subtract(&[iv(0, 100)], &[iv(10, 20), iv(50, 60), iv(90, 200)]);
        assert_eq!(r, vec![iv(0, 10), iv(20, 50), iv(60, 90)]);
        assert_eq!(subtract(&[iv(0, 10), iv(20, 30)], &[iv(5, 25)]), vec![iv(0, 5), iv(25, 30)]);
    }

    #[test]
    fn intersect_keeps_common_parts() {
        assert_eq!(intersect(&[iv(0, 10), iv(20, 30)], &[iv(5, 25), iv(29, 40)]), vec![iv(5, 10), iv(20, 25), iv(29, 30)]);
        assert_eq!(intersect(&[iv(0, 10)], &[iv(10, 20)]), vec![]);
    }
}
