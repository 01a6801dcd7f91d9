//! A deterministic synthetic market for demos, load tests and development:
//! workers across a dozen cities and time zones, businesses with sites, and
//! the shifts they post. Plain data, no IO: the store assigns ids.
//!
//! ```
//! let market = slivers_demo::generate(&slivers_demo::MarketSpec { workers: 10, ..Default::default() });
//! assert_eq!(market.workers.len(), 10);
//! ```

mod businesses;
mod data;
mod rng;
mod workers;
mod load;

pub use load::{load, Loaded, Progress};

#[cfg(test)]
mod tests;

use jiff::{SignedDuration, Timestamp};
use slivers_core::business::{Shift, ShiftStatus, Site};
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BusinessId, ShiftId, SiteId};
use slivers_core::skills::{SkillCode, SkillRequirement};
use slivers_core::worker::Worker;
use slivers_core::{Currency, Interval, Money, Zone};

/// What to generate. The same spec always gives the same [`Market`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarketSpec {
    pub seed: u64,
    pub workers: usize,
    pub businesses: usize,
    /// Total shifts across all businesses (none are made when there are no businesses).
    pub shifts: usize,
    /// "Now": every shift starts strictly after this, within `weeks` weeks.
    pub start: Timestamp,
    /// The horizon in weeks (0 is treated as 1).
    pub weeks: u32,
}

/// 2026-12-01T00:00:00Z.
const DEFAULT_START: Timestamp = Timestamp::constant(1_796_083_200, 0);

impl Default for MarketSpec {
    fn default() -> Self {
        MarketSpec { seed: 42, workers: 2000, businesses: 100, shifts: 1000, start: DEFAULT_START, weeks: 4 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Market {
    /// The whole skill taxonomy, whether or not anyone claims a skill.
    pub skills: Vec<SkillDef>,
    pub businesses: Vec<DemoBusiness>,
    pub workers: Vec<DemoWorker>,
}

impl Market {
    pub fn shift_count(&self) -> usize {
        self.businesses.iter().map(|b| b.shifts.len()).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillDef {
    pub code: SkillCode,
    /// A human name, e.g. "Forklift driver".
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoBusiness {
    pub name: String,
    /// The zone of the first (head-office) site; used for remote shifts.
    pub zone: Zone,
    pub currency: Currency,
    /// 1 to 5 sites, all in one country.
    pub sites: Vec<DemoSite>,
    /// Sorted by start.
    pub shifts: Vec<DemoShift>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoSite {
    /// Unique within the business.
    pub name: String,
    pub zone: Zone,
    pub location: GeoPoint,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoShift {
    /// Index into the business's `sites`; `None` for remote work.
    pub site: Option<usize>,
    pub window: Interval,
    pub skills: Vec<SkillRequirement>,
    pub headcount: u32,
    /// Hourly, in the business's currency.
    pub pay_rate: Money,
    /// Hourly, in the business's currency: pay plus a 20-35% margin.
    pub bill_rate: Money,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoWorker {
    /// With id `WorkerId(0)`: the store assigns ids.
    pub worker: Worker,
    /// Unique within the market, e.g. `w00042`.
    pub email_local_part: String,
}

impl DemoBusiness {
    /// The zone a shift is in: its site's, or the business's for remote work.
    pub fn shift_zone(&self, shift: &DemoShift) -> &Zone {
        self.site_of(shift).map_or(&self.zone, |s| &s.zone)
    }

    /// The site a shift is at; `None` for remote work.
    pub fn site_of(&self, shift: &DemoShift) -> Option<&DemoSite> {
        shift.site.and_then(|i| self.sites.get(i))
    }
}

impl DemoSite {
    pub fn to_site(&self, id: SiteId, business_id: BusinessId) -> Site {
        Site { id, business_id, name: self.name.clone(), zone: self.zone.clone(), location: self.location, labour: Default::default() }
    }
}

impl DemoShift {
    /// The core shift, open, with the ids the store assigned. `site_id` is the
    /// id of `business.sites[self.site]` and must be `None` exactly when the shift is remote.
    pub fn to_shift(&self, business: &DemoBusiness, id: ShiftId, business_id: BusinessId, site_id: Option<SiteId>) -> Shift {
        Shift {
            id,
            business_id,
            site_id,
            location: business.site_of(self).map(|s| s.location),
            zone: business.shift_zone(self).clone(),
            window: self.window,
            skills: self.skills.clone(),
            headcount: self.headcount,
            pay_rate: self.pay_rate,
            bill_rate: self.bill_rate,
            notes: self.notes.clone(),
            status: ShiftStatus::Open,
            // Demo businesses do not ask for on-site shifts before remote work.
            onsite_before_remote: 0,
            site_labour: Default::default(),
        }
    }
}

/// Parsed forms of the static tables, built once per generation.
pub(crate) struct Ctx {
    pub seed: u64,
    pub start: Timestamp,
    /// Shifts start in `(start, end]`.
    pub end: Timestamp,
    pub days: u32,
    pub zones: Vec<Zone>,
    pub currencies: Vec<Currency>,
    pub codes: Vec<SkillCode>,
    pub sector_skills: Vec<Vec<usize>>,
    /// Remote-capable skills of each sector, or the back office when it has none.
    pub sector_remote: Vec<Vec<usize>>,
    /// Every remote-capable skill.
    pub remote_all: Vec<usize>,
    pub city_weights: Vec<u32>,
    pub country_cities: Vec<Vec<usize>>,
}

impl Ctx {
    fn new(spec: &MarketSpec) -> Ctx {
        let skill_index = |code: &str| {
            data::SKILLS.iter().position(|s| s.code == code).unwrap_or_else(|| panic!("unknown skill `{code}` in a table"))
        };
        let sector_skills: Vec<Vec<usize>> =
            data::SECTORS.iter().map(|s| s.skills.iter().map(|c| skill_index(c)).collect()).collect();
        let back_office: Vec<usize> = data::BACK_OFFICE.iter().map(|c| skill_index(c)).collect();
        let sector_remote = sector_skills
            .iter()
            .map(|v| {
                let r: Vec<usize> = v.iter().copied().filter(|&i| data::SKILLS[i].remote).collect();
                if r.is_empty() { back_office.clone() } else { r }
            })
            .collect();
        let weeks = spec.weeks.max(1);
        Ctx {
            seed: spec.seed,
            start: spec.start,
            end: spec.start.checked_add(SignedDuration::from_hours(24 * 7 * i64::from(weeks))).unwrap_or(Timestamp::MAX),
            days: weeks.saturating_mul(7),
            zones: data::CITIES.iter().map(|c| Zone::parse(c.zone).expect("the city table names IANA zones")).collect(),
            currencies: data::COUNTRIES
                .iter()
                .map(|c| Currency::parse(c.currency).expect("the country table names ISO currencies"))
                .collect(),
            codes: data::SKILLS.iter().map(|s| SkillCode::parse(s.code).expect("the skill table holds valid codes")).collect(),
            sector_skills,
            sector_remote,
            remote_all: (0..data::SKILLS.len()).filter(|&i| data::SKILLS[i].remote).collect(),
            city_weights: data::CITIES.iter().map(|c| c.weight).collect(),
            country_cities: (0..data::COUNTRIES.len())
                .map(|k| (0..data::CITIES.len()).filter(|&i| data::CITIES[i].country == k).collect())
                .collect(),
        }
    }
}

/// Generate a market for `spec`. Deterministic: the same spec gives an identical market.
pub fn generate(spec: &MarketSpec) -> Market {
    let ctx = Ctx::new(spec);
    let skills =
        data::SKILLS.iter().zip(&ctx.codes).map(|(s, code)| SkillDef { code: code.clone(), name: s.name.to_string() }).collect();
    let workers = (0..spec.workers).map(|i| workers::worker(&ctx, i)).collect();
    let businesses = businesses::businesses(&ctx, spec.businesses, spec.shifts);
    Market { skills, businesses, workers }
}
