//! One worker as the index holds them: the profile plus everything that can be
//! computed once and reused by every query.

use jiff::Timestamp;
use slivers_core::availability::expand_weekly;
use slivers_core::business::Shift;
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::skills::Evidence;
use slivers_core::worker::{Reach, Worker};
use slivers_core::Interval;
use slivers_core::worker::TrackRecord;

#[derive(Debug, Clone)]
pub struct WorkerEntry {
    pub worker: Worker,
    /// Availability over the horizon, normalized.
    pub available: Vec<Interval>,
    /// Blackouts over the horizon, normalized.
    pub blackouts: Vec<Interval>,
    /// Bookings that hold time, sorted by start.
    pub booked: Vec<Interval>,
    /// Starts of the bookings that hold time on site with businesses that
    /// ask for on-site shifts before remote work, by start: what the rule
    /// `onsite_before_remote` counts. Empty until the index is told.
    pub onsite: Vec<(BusinessId, Timestamp)>,
    /// (skill index, effective level) for each claim.
    pub levels: Vec<(u32, u8)>,
    /// Mean rating in stars across all evidence, if any.
    pub rating: Option<f32>,
    pub track: TrackRecord,
    /// The minimum rate as a float, for ranking only (the rate rule uses the decimal).
    pub min_rate_f32: f32,
}

impl WorkerEntry {
    pub fn new(worker: Worker, horizon: Interval, booked: Vec<Interval>, track: Option<TrackRecord>, skill_index: &mut impl FnMut(&str) -> u32) -> Self {
        let available = worker.availability.expand(&worker.zone, horizon);
        let blackouts = expand_weekly(&worker.limits.blackouts, &worker.zone, horizon);
        let levels = worker.skills.iter().map(|c| (skill_index(c.skill.as_str()), c.effective_level().get())).collect();
        let (mut stars, mut n) = (0u32, 0u32);
        for c in &worker.skills {
            for e in &c.evidence {
                if let Evidence::Rating { stars: s, .. } = e {
                    stars += u32::from(*s);
                    n += 1;
                }
            }
        }
        let rating = (n > 0).then(|| stars as f32 / n as f32);
        let track = track.unwrap_or(TrackRecord { worker_id: worker.id, completed: 0, no_shows: 0, cancelled_by_worker: 0, late_cancellations: 0 });
        let mut booked = booked;
        booked.sort();
        let min_rate_f32 = rust_decimal::prelude::ToPrimitive::to_f32(&worker.min_rate.amount).unwrap_or(f32::MAX);
        WorkerEntry { worker, available, blackouts, booked, onsite: Vec::new(), levels, rating, track, min_rate_f32 }
    }

    pub fn id(&self) -> WorkerId {
        self.worker.id
    }

    /// The worker's on-site shifts with `shift`'s business that start before
    /// it, as `Proposal::onsite_with_business` wants them.
    pub fn onsite_before(&self, shift: &Shift) -> u32 {
        let n = self.onsite.iter().filter(|(b, t)| *b == shift.business_id && *t < shift.window.start).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    pub fn level(&self, skill: u32) -> u8 {
        self.levels.iter().find(|(s, _)| *s == skill).map_or(0, |(_, l)| *l)
    }

    /// Is `[start, end)` inside one precomputed availability interval?
    pub fn available_for(&self, window: &Interval) -> bool {
        let i = self.available.partition_point(|iv| iv.end <= window.start);
        self.available.get(i).is_some_and(|iv| iv.contains(window))
    }

    /// Minutes booked in the seven days centred on `t`: the fairness signal.
    pub fn minutes_near(&self, t: Timestamp) -> i64 {
        let half = jiff::SignedDuration::from_hours(84);
        let week = Interval { start: t - half, end: t + half };
        self.booked.iter().filter_map(|b| b.intersection(&week)).map(|b| b.minutes()).sum()
    }

    /// The reach as a box in degrees containing the reach circle; `None` for remote-only.
    pub fn reach_box(&self) -> Option<([f64; 2], [f64; 2])> {
        match self.worker.reach {
            Reach::RemoteOnly => None,
            Reach::Travel { home, radius_km } => {
                // A degree of latitude is at least 110.5 km; pad by a kilometre against rounding.
                let r = f64::from(radius_km) + 1.0;
                let dlat = r / 110.5;
                // Degrees of longitude per km grow toward the pole: size the box by the
                // circle's poleward edge so it always contains the whole circle.
                let poleward = (home.lat.abs() + dlat).min(90.0);
                let cos = poleward.to_radians().cos();
                let dlon = if cos < 0.01 { 360.0 } else { r / (111.32 * cos) };
                let (mut lo, mut hi) = (home.lon - dlon, home.lon + dlon);
                if lo < -180.0 || hi > 180.0 {
                    // Across the antimeridian: every longitude, a superset that stays correct.
                    (lo, hi) = (-180.0, 180.0);
                }
                Some(([lo, home.lat - dlat], [hi, home.lat + dlat]))
            }
        }
    }
}
