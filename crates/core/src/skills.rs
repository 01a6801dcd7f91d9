//! Skills with levels 1–5, backed by evidence. The effective level is derived
//! from the evidence, so a certificate or a self-declaration alone never
//! reaches the top levels.

use serde::{Deserialize, Serialize};

use crate::validation::Collector;
use crate::Invalid;

/// A skill code from the taxonomy, e.g. `barista` or `bookkeeping`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "barista"))]
pub struct SkillCode(String);

impl SkillCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if ok {
            Ok(SkillCode(s.to_string()))
        } else {
            Err(Invalid::one("", format!("`{s}` is not a skill code (1-64 of a-z, 0-9, _ and -)")))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for SkillCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        SkillCode::parse(&s).map_err(|e| e.0[0].reason.clone())
    }
}
impl From<SkillCode> for String {
    fn from(c: SkillCode) -> String {
        c.0
    }
}

/// A skill level, 1 (beginner) to 5 (expert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = u8, minimum = 1, maximum = 5))]
pub struct Level(u8);

impl Level {
    pub const MIN: Level = Level(1);
    pub const MAX: Level = Level(5);
    pub fn new(n: u8) -> Result<Self, Invalid> {
        if (1..=5).contains(&n) {
            Ok(Level(n))
        } else {
            Err(Invalid::one("", format!("level {n} is outside 1 to 5")))
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}
impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Level::new(n).map_err(|e| e.0[0].reason.clone())
    }
}
impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

/// One piece of evidence behind a skill claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Evidence {
    /// A situational assessment run by an operator, passed at `level`.
    Assessment { level: Level },
    /// Minutes worked with this skill through the exchange, verified by timesheets.
    VerifiedMinutes { minutes: u32 },
    /// A business's rating of work with this skill, 1 to 5 stars; `booking`
    /// names the rated booking, so an edited rating replaces its evidence.
    Rating {
        stars: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booking: Option<i64>,
    },
    /// An external certificate: worth little on its own.
    Certificate { name: String },
    /// The worker's own word.
    SelfDeclared,
}

/// The ceilings evidence can lift a claim to.
pub const SELF_DECLARED_CAP: u8 = 2;
pub const CERTIFICATE_CAP: u8 = 3;

impl Evidence {
    /// Assessment grades, verified minutes and ratings are the exchange's own
    /// records: only the exchange writes them, never the person they describe.
    pub fn exchange_only(&self) -> bool {
        matches!(self, Evidence::Assessment { .. } | Evidence::VerifiedMinutes { .. } | Evidence::Rating { .. })
    }

    /// The `kind` tag as clients write it.
    pub fn kind(&self) -> &'static str {
        match self {
            Evidence::Assessment { .. } => "assessment",
            Evidence::VerifiedMinutes { .. } => "verified_minutes",
            Evidence::Rating { .. } => "rating",
            Evidence::Certificate { .. } => "certificate",
            Evidence::SelfDeclared => "self_declared",
        }
    }

    fn validate(&self) -> Result<(), Invalid> {
        match self {
            Evidence::Rating { stars, .. } if !(1..=5).contains(stars) => Err(Invalid::one("stars", "must be 1 to 5")),
            Evidence::Certificate { name } if name.trim().is_empty() || name.len() > 200 => {
                Err(Invalid::one("name", "must be 1 to 200 characters"))
            }
            Evidence::VerifiedMinutes { minutes } if *minutes > 1_000_000 => {
                Err(Invalid::one("minutes", "must be at most 1000000"))
            }
            _ => Ok(()),
        }
    }
}

/// A worker's claim on a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillClaim {
    pub skill: SkillCode,
    /// The level the worker says they have.
    pub claimed: Level,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

impl SkillClaim {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check(self.evidence.len() <= 200, "evidence", "at most 200 records");
        for (i, e) in self.evidence.iter().enumerate() {
            c.take(&format!("evidence[{i}]"), e.validate());
        }
        c.finish()
    }

    /// The level the evidence supports, never above the claim. A claim is
    /// itself a self-declaration, so every claim reaches at least level 1.
    pub fn effective_level(&self) -> Level {
        let mut cap = SELF_DECLARED_CAP.min(self.claimed.0);
        let mut minutes: u64 = 0;
        let (mut stars, mut ratings) = (0u32, 0u32);
        for e in &self.evidence {
            match e {
                Evidence::Assessment { level } => cap = cap.max(level.0),
                Evidence::Certificate { .. } => cap = cap.max(CERTIFICATE_CAP),
                Evidence::VerifiedMinutes { minutes: m } => minutes += u64::from(*m),
                Evidence::Rating { stars: s, .. } => {
                    stars += u32::from(*s);
                    ratings += 1;
                }
                Evidence::SelfDeclared => {}
            }
        }
        // Ten times the average rating, in integers: 45 means 4.5 stars.
        let avg10 = if ratings == 0 { 0 } else { stars * 10 / ratings };
        let hours = minutes / 60;
        if hours >= 20 {
            cap = cap.max(3);
        }
        if hours >= 100 && ratings >= 3 && avg10 >= 40 {
            cap = cap.max(4);
        }
        if hours >= 400 && ratings >= 10 && avg10 >= 45 {
            cap = cap.max(5);
        }
        Level(cap.min(self.claimed.0).max(1))
    }
}

/// Refuse exchange-only evidence in claims a person writes about themselves,
/// naming each offending record.
pub fn declared_only(claims: &[SkillClaim]) -> Result<(), Invalid> {
    nothing_new_from_exchange(&[], claims)
}

/// Refuse exchange-only evidence that is not already on record: a person may
/// send back what the exchange wrote (read, edit, write), never add to it.
pub fn nothing_new_from_exchange(recorded: &[SkillClaim], claims: &[SkillClaim]) -> Result<(), Invalid> {
    let mut c = Collector::new();
    for (i, claim) in claims.iter().enumerate() {
        let mut on_record: Vec<&Evidence> =
            recorded.iter().filter(|r| r.skill == claim.skill).flat_map(|r| &r.evidence).filter(|e| e.exchange_only()).collect();
        for (j, e) in claim.evidence.iter().enumerate().filter(|(_, e)| e.exchange_only()) {
            match on_record.iter().position(|r| *r == e) {
                Some(k) => {
                    on_record.swap_remove(k);
                }
                None => c.push(
                    &format!("skills[{i}].evidence[{j}].kind"),
                    format!("`{}` is written only by the exchange from its own records (graded assessments, approved timesheets, ratings on completed bookings); declare the skill or attach a certificate", e.kind()),
                ),
            }
        }
    }
    c.finish()
}

/// What the evidence behind a claim adds up to, without the records themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceSummary {
    /// Assessments graded by the exchange, and the best level passed.
    pub assessments: u32,
    pub best_assessment: Option<u8>,
    /// Minutes of this skill's work verified by the exchange.
    pub verified_minutes: u64,
    /// Ratings from businesses and their mean, to one decimal.
    pub ratings: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "4.5"))]
    pub average_rating: Option<rust_decimal::Decimal>,
    pub certificates: u32,
}

impl SkillClaim {
    pub fn summary(&self) -> EvidenceSummary {
        let mut s = EvidenceSummary::default();
        let mut stars = 0u32;
        for e in &self.evidence {
            match e {
                Evidence::Assessment { level } => {
                    s.assessments += 1;
                    s.best_assessment = s.best_assessment.max(Some(level.0));
                }
                Evidence::VerifiedMinutes { minutes } => s.verified_minutes += u64::from(*minutes),
                Evidence::Rating { stars: n, .. } => {
                    s.ratings += 1;
                    stars += u32::from(*n);
                }
                Evidence::Certificate { .. } => s.certificates += 1,
                Evidence::SelfDeclared => {}
            }
        }
        if s.ratings > 0 {
            s.average_rating = Some((rust_decimal::Decimal::from(stars) / rust_decimal::Decimal::from(s.ratings)).round_dp(1));
        }
        s
    }
}

/// A shift's need: this skill at this level or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillRequirement {
    pub skill: SkillCode,
    pub level: Level,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(level: u8, evidence: Vec<Evidence>) -> SkillClaim {
        SkillClaim { skill: SkillCode::parse("barista").unwrap(), claimed: Level::new(level).unwrap(), evidence }
    }

    #[test]
    fn certificate_or_self_declaration_alone_never_reach_top_levels() {
        assert_eq!(claim(5, vec![]).effective_level().get(), 2);
        assert_eq!(claim(5, vec![Evidence::SelfDeclared]).effective_level().get(), 2);
        assert_eq!(claim(5, vec![Evidence::Certificate { name: "Barista Pro".into() }; 5]).effective_level().get(), 3);
    }

    #[test]
    fn assessment_and_track_record_lift_the_level() {
        assert_eq!(claim(5, vec![Evidence::Assessment { level: Level::new(4).unwrap() }]).effective_level().get(), 4);
        let mut record = vec![Evidence::VerifiedMinutes { minutes: 400 * 60 }];
        record.extend(std::iter::repeat_n(Evidence::Rating { stars: 5, booking: None }, 10));
        assert_eq!(claim(5, record.clone()).effective_level().get(), 5);
        // Never above the claim.
        assert_eq!(claim(3, record).effective_level().get(), 3);
    }

    #[test]
    fn bad_level_and_code_are_refused() {
        assert!(Level::new(9).is_err());
        assert!(Level::new(0).is_err());
        assert!(SkillCode::parse("Barista!").is_err());
        assert!(serde_json::from_str::<Level>("9").is_err());
    }
}
