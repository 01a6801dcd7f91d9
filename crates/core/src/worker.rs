//! A worker: their zone, reach, minimum rate, hard limits, availability and skills.

use serde::{Deserialize, Serialize};

use crate::availability::{Availability, WeeklyWindow};
use crate::geo::GeoPoint;
use crate::ids::WorkerId;
use crate::labour::LabourRules;
use crate::skills::SkillClaim;
use crate::validation::Collector;
use crate::{Invalid, Money, Zone};

/// Where a worker can work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reach {
    /// Remote work only; never sent to a site.
    RemoteOnly,
    /// Sites within `radius_km` of `home`, and remote work.
    Travel {
        home: GeoPoint,
        #[cfg_attr(feature = "openapi", schema(maximum = 1000))]
        radius_km: u32,
    },
}

/// The worker's hard limits. No booking may break them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    /// Booked minutes per local calendar day.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub max_minutes_per_day: u32,
    /// Booked minutes per local ISO week (Monday to Sunday).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10080))]
    pub max_minutes_per_week: u32,
    /// Minutes of rest required between two bookings.
    #[cfg_attr(feature = "openapi", schema(maximum = 10080))]
    pub min_rest_minutes: u32,
    /// Minutes between booking time and shift start.
    #[cfg_attr(feature = "openapi", schema(maximum = 129600))]
    pub min_notice_minutes: u32,
    /// Weekly local windows that no booking may touch (family time).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub blackouts: Vec<WeeklyWindow>,
    /// Patterns of work: consecutive days, days off, weekends, successions.
    #[serde(default)]
    pub labour: LabourRules,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_minutes_per_day: 8 * 60,
            max_minutes_per_week: 40 * 60,
            min_rest_minutes: 11 * 60,
            min_notice_minutes: 60,
            blackouts: Vec::new(),
            labour: LabourRules::default(),
        }
    }
}

impl Limits {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check((1..=24 * 60).contains(&self.max_minutes_per_day), "max_minutes_per_day", "must be 1 to 1440");
        c.check((1..=7 * 24 * 60).contains(&self.max_minutes_per_week), "max_minutes_per_week", "must be 1 to 10080");
        c.check(self.min_rest_minutes <= 7 * 24 * 60, "min_rest_minutes", "must be at most 10080 (a week)");
        c.check(self.min_notice_minutes <= 90 * 24 * 60, "min_notice_minutes", "must be at most 129600 (90 days)");
        c.check(self.blackouts.len() <= 100, "blackouts", "at most 100 windows");
        for (i, w) in self.blackouts.iter().enumerate() {
            c.take(&format!("blackouts[{i}]"), w.validate());
        }
        c.take("labour", self.labour.validate());
        c.finish()
    }
}

/// Everything about a worker the rules read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worker {
    pub id: WorkerId,
    pub name: String,
    pub zone: Zone,
    pub reach: Reach,
    /// The lowest hourly pay the worker accepts.
    pub min_rate: Money,
    pub limits: Limits,
    /// Whether businesses may book the worker straight into declared availability.
    pub instant_book: bool,
    pub availability: Availability,
    pub skills: Vec<SkillClaim>,
    /// Minutes a week the worker would like to work (used for fairness in ranking).
    pub wanted_minutes_per_week: u32,
}

impl Worker {
    /// What remains of a worker who deleted their account: no name, place,
    /// availability or skills, so nothing personal is kept and no one can
    /// book them; the id stays so past bookings and documents still refer to it.
    pub fn erased(&self) -> Worker {
        Worker {
            id: self.id,
            name: format!("Former worker {}", self.id.0),
            zone: self.zone.clone(),
            reach: Reach::RemoteOnly,
            min_rate: Money::new(rust_decimal::Decimal::ONE, self.min_rate.currency),
            limits: Limits { max_minutes_per_day: 1, max_minutes_per_week: 1, ..Limits::default() },
            instant_book: false,
            availability: Availability::default(),
            skills: Vec::new(),
            wanted_minutes_per_week: 0,
        }
    }

    /// A worker a business invited: who they are and what they declare they
    /// do. Home, limits, availability and rate floor are the worker's to set
    /// once they claim the account; until then they are remote-only,
    /// unavailable and not instantly bookable.
    pub fn invited(name: String, zone: Zone, currency: crate::Currency, skills: Vec<SkillClaim>) -> Worker {
        Worker {
            id: WorkerId(0),
            name,
            zone,
            reach: Reach::RemoteOnly,
            min_rate: Money::new(rust_decimal::Decimal::ONE, currency),
            limits: Limits::default(),
            instant_book: false,
            availability: Availability::default(),
            skills,
            wanted_minutes_per_week: 0,
        }
    }

    /// Validate every field; the zone is already parsed by construction.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check(crate::validation::text_ok(&self.name, 200), "name", "must be 1 to 200 characters");
        if let Reach::Travel { home, radius_km } = &self.reach {
            c.take("reach.home", home.validate());
            c.check(*radius_km <= 1000, "reach.radius_km", "must be at most 1000");
        }
        c.take("min_rate", self.min_rate.validate_rate());
        c.take("limits", self.limits.validate());
        c.take("availability", self.availability.validate(&self.zone));
        c.check(self.skills.len() <= 100, "skills", "at most 100 skills");
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in self.skills.iter().enumerate() {
            c.take(&format!("skills[{i}]"), s.validate());
            c.check(seen.insert(&s.skill), &format!("skills[{i}].skill"), "listed twice");
        }
        c.check(self.wanted_minutes_per_week <= 7 * 24 * 60, "wanted_minutes_per_week", "must be at most 10080");
        c.finish()
    }
}

/// How a worker's past bookings ended: the exchange's own record, from which
/// reliability is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackRecord {
    pub worker_id: WorkerId,
    pub completed: i64,
    pub no_shows: i64,
    pub cancelled_by_worker: i64,
    /// Of those, cancelled with less notice than the business's policy asks.
    pub late_cancellations: i64,
}
