//! Businesses, their sites, and the shifts they post.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::{BusinessId, ShiftId, SiteId};
use crate::labour::LabourRules;
use crate::skills::SkillRequirement;
use crate::validation::Collector;
use crate::{Interval, Invalid, Money, Zone};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: SiteId,
    pub business_id: BusinessId,
    pub name: String,
    pub zone: Zone,
    pub location: GeoPoint,
    /// The site's labour policy: applies to every shift at the site.
    #[serde(default)]
    pub labour: LabourRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShiftStatus {
    Open,
    Cancelled,
}

/// A piece of work: at a site or remote, in a UTC window, for `headcount` people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    pub id: ShiftId,
    pub business_id: BusinessId,
    /// `None` for remote work.
    pub site_id: Option<SiteId>,
    /// The site's location, copied so the rules need no lookup; `None` when remote.
    pub location: Option<GeoPoint>,
    /// The site's zone (or the business's for remote work), for display.
    pub zone: Zone,
    pub window: Interval,
    pub skills: Vec<SkillRequirement>,
    pub headcount: u32,
    /// Hourly pay to the worker.
    pub pay_rate: Money,
    /// Hourly price to the business.
    pub bill_rate: Money,
    pub notes: String,
    pub status: ShiftStatus,
    /// The business's policy, copied like `location` so the rules need no
    /// lookup: a worker's first this-many shifts with the business are on
    /// site before it may book them remotely. 0 is no such rule.
    #[serde(default)]
    pub onsite_before_remote: u32,
    /// The site's labour policy, copied likewise; empty for remote work.
    #[serde(default)]
    pub site_labour: LabourRules,
}

/// Longest single shift; longer work is posted as several shifts.
pub const MAX_SHIFT_MINUTES: i64 = 24 * 60;
pub const MAX_HEADCOUNT: u32 = 500;
/// The most on-site shifts a business may ask for before remote work.
pub const MAX_ONSITE_BEFORE_REMOTE: u32 = 100;

impl Shift {
    pub fn minutes(&self) -> i64 {
        self.window.minutes()
    }

    pub fn is_remote(&self) -> bool {
        self.site_id.is_none()
    }

    /// Validate a shift being posted at `now`.
    pub fn validate(&self, now: Timestamp) -> Result<(), Invalid> {
        let mut c = Collector::new();
        let w = self.window;
        c.check(w.end > w.start, "end", "must be after start");
        c.check(w.start.as_second() % 60 == 0 && w.start.subsec_nanosecond() == 0, "start", "must be on a whole minute");
        c.check(w.end.as_second() % 60 == 0 && w.end.subsec_nanosecond() == 0, "end", "must be on a whole minute");
        c.check(w.minutes() <= MAX_SHIFT_MINUTES, "end", "a shift may last at most 24 hours");
        c.check(w.start > now, "start", "must be in the future");
        c.check((1..=MAX_HEADCOUNT).contains(&self.headcount), "headcount", "must be 1 to 500");
        c.take("pay_rate", self.pay_rate.validate_rate());
        c.take("bill_rate", self.bill_rate.validate_rate());
        c.check(self.pay_rate.currency == self.bill_rate.currency, "bill_rate.currency", "must match pay_rate.currency");
        c.check(self.bill_rate.amount >= self.pay_rate.amount, "bill_rate.amount", "must not be below pay_rate.amount");
        c.check(self.notes.chars().count() <= 4000, "notes", "at most 4000 characters");
        c.check(self.skills.len() <= 20, "skills", "at most 20 requirements");
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in self.skills.iter().enumerate() {
            c.check(seen.insert(&s.skill), &format!("skills[{i}].skill"), "listed twice");
        }
        c.finish()
    }
}
