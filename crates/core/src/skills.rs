//! Skills with levels 1–5, backed by evidence. The effective level is derived
//! from the evidence, so a certificate or a self-declaration alone never
//! reaches the top levels.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::validation::Collector;
use crate::Invalid;

/// A skill code from the taxonomy, e.g. `barista` or `bookkeeping`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "barista", pattern = "^[a-z0-9_-]{1,64}$"))]
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
    /// A situational assessment run by the exchange, passed at `level`.
    /// Records written before grading dates existed read as
    /// `{"kind":"assessment","level":4}`: an undated first attempt.
    Assessment {
        level: Level,
        /// The day the attempt was graded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2026-11-12"))]
        graded_at: Option<Date>,
        /// The operator who graded it; kept for audit, never shown in reasons.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reviewer: Option<UserId>,
        /// 1 for a first attempt, 2 for the first retake, and so on.
        #[serde(default = "first_attempt", skip_serializing_if = "is_first_attempt")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 255))]
        attempt: u8,
    },
    /// Minutes worked with this skill through the exchange, verified by timesheets.
    VerifiedMinutes {
        #[cfg_attr(feature = "openapi", schema(maximum = 1_000_000))]
        minutes: u32,
    },
    /// A business's rating of work with this skill, 1 to 5 stars; `booking`
    /// names the rated booking, so an edited rating replaces its evidence.
    Rating {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
        stars: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booking: Option<i64>,
    },
    /// Work the worker shows (a link, a description). The worker adds it;
    /// only the exchange adds `review`, and until then it counts nothing.
    Portfolio {
        /// A work sample, a volunteer project or a project of one's own.
        #[serde(default, skip_serializing_if = "PortfolioKind::is_work_sample")]
        category: PortfolioKind,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(max_length = 2000, pattern = r"^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"))]
        url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        review: Option<PortfolioReview>,
    },
    /// An external certificate: worth little on its own.
    Certificate {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
        name: String,
    },
    /// The worker's own word.
    SelfDeclared,
}

/// What a portfolio item is. Items from before kinds existed read as work samples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PortfolioKind {
    /// Paid or unpaid work done for someone.
    #[default]
    WorkSample,
    /// Work for a non-profit or a community.
    Volunteer,
    /// A project of the worker's own.
    OwnProject,
}

impl PortfolioKind {
    pub const ALL: [PortfolioKind; 3] = [PortfolioKind::WorkSample, PortfolioKind::Volunteer, PortfolioKind::OwnProject];

    pub fn is_work_sample(&self) -> bool {
        *self == PortfolioKind::WorkSample
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PortfolioKind::WorkSample => "work_sample",
            PortfolioKind::Volunteer => "volunteer",
            PortfolioKind::OwnProject => "own_project",
        }
    }

    /// "a volunteer project", as a sentence reads it.
    pub fn label(self) -> &'static str {
        match self {
            PortfolioKind::WorkSample => "a work sample",
            PortfolioKind::Volunteer => "a volunteer project",
            PortfolioKind::OwnProject => "a project of their own",
        }
    }

    pub fn parse(s: &str) -> Option<PortfolioKind> {
        PortfolioKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The exchange's review of a portfolio item: the level the work shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortfolioReview {
    /// The level the reviewer saw; counted at most [`PORTFOLIO_CAP`].
    pub level: Level,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-11-12"))]
    pub reviewed_on: Date,
    /// The operator who reviewed it; kept for audit, never shown in reasons.
    pub reviewer: UserId,
    /// What the reviewer checked (the link opened, the client called…),
    /// for the worker and operators; never shown in reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<String>,
}

fn first_attempt() -> u8 {
    1
}

fn is_first_attempt(n: &u8) -> bool {
    *n == 1
}

/// The ceilings the weaker kinds of evidence can lift a claim to. Levels above
/// [`PORTFOLIO_CAP`] are reached only by assessments and verified hours (with
/// ratings): the order of weight is assessments and verified hours, then
/// ratings, then reviewed portfolio, then certificates, then self-declared.
pub const SELF_DECLARED_CAP: u8 = 2;
pub const CERTIFICATE_CAP: u8 = 2;
pub const PORTFOLIO_CAP: u8 = 3;

/// The track-record thresholds: verified hours, ratings and the mean rating
/// (times ten, so 45 is 4.5 stars) that support each level.
const TRACK: [(u8, u64, u32, u32); 3] = [(3, 20, 0, 0), (4, 100, 3, 40), (5, 400, 10, 45)];

impl Evidence {
    /// A graded first attempt with no date or reviewer on record.
    pub fn assessment(level: Level) -> Evidence {
        Evidence::Assessment { level, graded_at: None, reviewer: None, attempt: 1 }
    }

    /// Assessment grades, verified minutes, ratings and portfolio reviews are
    /// the exchange's own records: only the exchange writes them, never the
    /// person they describe. An unreviewed portfolio item is the worker's own.
    pub fn exchange_only(&self) -> bool {
        match self {
            Evidence::Assessment { .. } | Evidence::VerifiedMinutes { .. } | Evidence::Rating { .. } => true,
            Evidence::Portfolio { review, .. } => review.is_some(),
            Evidence::Certificate { .. } | Evidence::SelfDeclared => false,
        }
    }

    /// The `kind` tag as clients write it.
    pub fn kind(&self) -> &'static str {
        match self {
            Evidence::Assessment { .. } => "assessment",
            Evidence::VerifiedMinutes { .. } => "verified_minutes",
            Evidence::Rating { .. } => "rating",
            Evidence::Portfolio { .. } => "portfolio",
            Evidence::Certificate { .. } => "certificate",
            Evidence::SelfDeclared => "self_declared",
        }
    }

    fn validate(&self) -> Result<(), Invalid> {
        match self {
            Evidence::Rating { stars, .. } if !(1..=5).contains(stars) => Err(Invalid::one("stars", "must be 1 to 5")),
            Evidence::Certificate { name } if !crate::validation::text_ok(name, 200) => {
                Err(Invalid::one("name", "must be 1 to 200 characters"))
            }
            Evidence::VerifiedMinutes { minutes } if *minutes > 1_000_000 => {
                Err(Invalid::one("minutes", "must be at most 1000000"))
            }
            Evidence::Assessment { attempt, .. } if *attempt == 0 => Err(Invalid::one("attempt", "must be 1 or more")),
            Evidence::Portfolio { title, url, .. } => {
                let mut c = Collector::new();
                c.check(crate::validation::text_ok(title, 200), "title", "must be 1 to 200 characters");
                if let Some(u) = url {
                    // Shown to businesses as a link: only web addresses, never `javascript:`.
                    c.check(crate::validation::web_url_ok(u, true), "url", "must be an http(s) address of at most 2000 characters");
                }
                c.finish()
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
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub evidence: Vec<Evidence>,
}

/// The effective level of a claim and why, one line per kind of evidence in
/// order of weight. The lines name evidence only (levels, dates, hours,
/// counts), never a reviewer or a booking, so a business may read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weighing {
    pub level: Level,
    pub reasons: Vec<String>,
}

/// "1 certificate", "3 certificates".
fn count(n: u32, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
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

    /// The level the evidence supports, never above the claim: [`Self::weigh`]
    /// without the reasons. Matching and the rule checker both read this.
    pub fn effective_level(&self) -> Level {
        self.weigh().level
    }

    /// THE weighting of evidence. Each kind supports a level; the claim gets
    /// the highest supported level, never above the claim itself and never
    /// below 1 (a claim is itself a self-declaration):
    ///
    /// | evidence | supports |
    /// |---|---|
    /// | assessment | its graded level (the best attempt counts) |
    /// | verified hours (with ratings) | 3 from 20 h; 4 from 100 h with ≥ 3 ratings averaging ≥ 4.0; 5 from 400 h with ≥ 10 averaging ≥ 4.5 |
    /// | reviewed portfolio | the reviewed level, at most [`PORTFOLIO_CAP`] (unreviewed: nothing) |
    /// | certificate | at most [`CERTIFICATE_CAP`] |
    /// | self-declared (every claim) | at most [`SELF_DECLARED_CAP`] |
    pub fn weigh(&self) -> Weighing {
        let mut best_assessment: Option<(Level, Option<Date>, u8)> = None;
        let mut assessments = 0u32;
        let mut minutes: u64 = 0;
        let (mut stars, mut ratings) = (0u32, 0u32);
        let (mut reviewed, mut unreviewed, mut best_review) = (0u32, 0u32, 0u8);
        let mut certificates = 0u32;
        for e in &self.evidence {
            match e {
                Evidence::Assessment { level, graded_at, attempt, .. } => {
                    assessments += 1;
                    // Best level first; among equals, the latest grading is the one to cite.
                    let better = best_assessment.as_ref().is_none_or(|(l, d, _)| (*level, *graded_at) > (*l, *d));
                    if better {
                        best_assessment = Some((*level, *graded_at, *attempt));
                    }
                }
                Evidence::VerifiedMinutes { minutes: m } => minutes += u64::from(*m),
                Evidence::Rating { stars: s, .. } => {
                    stars += u32::from(*s);
                    ratings += 1;
                }
                Evidence::Portfolio { review: Some(r), .. } => {
                    reviewed += 1;
                    best_review = best_review.max(r.level.0);
                }
                Evidence::Portfolio { review: None, .. } => unreviewed += 1,
                Evidence::Certificate { .. } => certificates += 1,
                Evidence::SelfDeclared => {}
            }
        }
        let mut reasons = Vec::new();
        let mut support = SELF_DECLARED_CAP;

        if let Some((level, graded_at, attempt)) = best_assessment {
            support = support.max(level.0);
            let mut line = format!("assessment {}", level.0);
            if let Some(d) = graded_at {
                line.push_str(&format!(" graded on {}", d.strftime("%-d %b %Y")));
            }
            if attempt > 1 {
                line.push_str(&format!(" (attempt {attempt})"));
            }
            if assessments > 1 {
                line.push_str(&format!(", the best of {assessments}"));
            }
            reasons.push(line);
        }

        // Ten times the average rating, in integers: 45 means 4.5 stars.
        let avg10 = (stars * 10).checked_div(ratings).unwrap_or(0);
        let hours = minutes / 60;
        let track = TRACK
            .iter()
            .filter(|(_, h, n, a)| hours >= *h && ratings >= *n && avg10 >= *a)
            .map(|(l, ..)| *l)
            .max();
        if minutes > 0 || ratings > 0 {
            let mut line = if minutes > 0 { format!("{hours} verified hours") } else { String::new() };
            if ratings > 0 {
                let sep = if line.is_empty() { "" } else { " with " };
                line.push_str(&format!("{sep}{} averaging {}.{} stars", count(ratings, "rating"), avg10 / 10, avg10 % 10));
            }
            match track {
                Some(l) => {
                    support = support.max(l);
                    line.push_str(&format!(" support level {l}"));
                }
                None if minutes == 0 => line.push_str(" (ratings count with verified hours)"),
                None => line.push_str(&format!(" ({} count for level 3)", TRACK[0].1)),
            }
            reasons.push(line);
        }

        if reviewed > 0 {
            let counted = best_review.min(PORTFOLIO_CAP);
            support = support.max(counted);
            let items = if reviewed > 1 { format!(" ({reviewed} items)") } else { String::new() };
            reasons.push(if best_review > PORTFOLIO_CAP {
                format!("reviewed portfolio at level {best_review} counted at most {PORTFOLIO_CAP}{items}")
            } else {
                format!("reviewed portfolio at level {best_review}{items}")
            });
        }
        if unreviewed > 0 {
            reasons.push(format!("{} not yet reviewed, counted nothing", count(unreviewed, "portfolio item")));
        }
        if certificates > 0 {
            support = support.max(CERTIFICATE_CAP);
            let what = if certificates == 1 { "certificate".to_string() } else { count(certificates, "certificate") };
            reasons.push(format!("{what} counted at most {CERTIFICATE_CAP}"));
        }
        reasons.push(format!("self-declared counted at most {SELF_DECLARED_CAP}"));
        if support > self.claimed.0 {
            reasons.push(format!("claimed {}, so no higher", self.claimed.0));
        }
        Weighing { level: Level(support.min(self.claimed.0).max(1)), reasons }
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
                    format!("`{}` is written only by the exchange from its own records (graded assessments, approved timesheets, ratings on completed bookings, portfolio reviews); declare the skill, attach a certificate or add an unreviewed portfolio item", e.kind()),
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
    /// Portfolio items the exchange has reviewed.
    pub reviewed_portfolio: u32,
    pub certificates: u32,
}

impl SkillClaim {
    pub fn summary(&self) -> EvidenceSummary {
        let mut s = EvidenceSummary::default();
        let mut stars = 0u32;
        for e in &self.evidence {
            match e {
                Evidence::Assessment { level, .. } => {
                    s.assessments += 1;
                    s.best_assessment = s.best_assessment.max(Some(level.0));
                }
                Evidence::VerifiedMinutes { minutes } => s.verified_minutes += u64::from(*minutes),
                Evidence::Rating { stars: n, .. } => {
                    s.ratings += 1;
                    stars += u32::from(*n);
                }
                Evidence::Portfolio { review: Some(_), .. } => s.reviewed_portfolio += 1,
                Evidence::Certificate { .. } => s.certificates += 1,
                Evidence::Portfolio { review: None, .. } | Evidence::SelfDeclared => {}
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
        assert_eq!(claim(5, vec![Evidence::Certificate { name: "Barista Pro".into() }; 5]).effective_level().get(), 2);
    }

    #[test]
    fn assessment_and_track_record_lift_the_level() {
        assert_eq!(claim(5, vec![Evidence::assessment(Level::new(4).unwrap())]).effective_level().get(), 4);
        let mut record = vec![Evidence::VerifiedMinutes { minutes: 400 * 60 }];
        record.extend(std::iter::repeat_n(Evidence::Rating { stars: 5, booking: None }, 10));
        assert_eq!(claim(5, record.clone()).effective_level().get(), 5);
        // Never above the claim.
        assert_eq!(claim(3, record).effective_level().get(), 3);
    }

    #[test]
    fn old_assessment_records_still_read_and_write_the_same() {
        let json = r#"{"kind":"assessment","level":4}"#;
        let e: Evidence = serde_json::from_str(json).unwrap();
        assert_eq!(e, Evidence::assessment(Level::new(4).unwrap()));
        assert_eq!(serde_json::to_string(&e).unwrap(), json);
        let dated = r#"{"kind":"assessment","level":4,"graded_at":"2026-11-12","reviewer":7,"attempt":2}"#;
        let e: Evidence = serde_json::from_str(dated).unwrap();
        assert!(matches!(e, Evidence::Assessment { attempt: 2, reviewer: Some(UserId(7)), .. }));
        assert_eq!(serde_json::to_string(&e).unwrap(), dated);
    }

    #[test]
    fn only_the_exchange_adds_a_portfolio_review() {
        let mine = Evidence::Portfolio { category: PortfolioKind::Volunteer, title: "Latte art".into(), url: None, review: None };
        let review = PortfolioReview { level: Level::new(3).unwrap(), reviewed_on: jiff::civil::date(2026, 11, 12), reviewer: UserId(1), checked: None };
        let reviewed = Evidence::Portfolio { category: PortfolioKind::Volunteer, title: "Latte art".into(), url: None, review: Some(review) };
        assert!(declared_only(&[claim(3, vec![mine.clone()])]).is_ok());
        let e = declared_only(&[claim(3, vec![mine, reviewed.clone()])]).unwrap_err();
        assert_eq!(e.0[0].field, "skills[0].evidence[1].kind");
        // Sending back the reviewed item as recorded is fine; editing it is not.
        let recorded = [claim(3, vec![reviewed.clone()])];
        assert!(nothing_new_from_exchange(&recorded, &recorded).is_ok());
        let Evidence::Portfolio { review, .. } = reviewed else { unreachable!() };
        let edited = Evidence::Portfolio { category: PortfolioKind::Volunteer, title: "Better latte art".into(), url: None, review };
        assert!(nothing_new_from_exchange(&recorded, &[claim(3, vec![edited])]).is_err());
    }

    #[test]
    fn portfolio_links_are_web_addresses() {
        let p = |url: &str| claim(3, vec![Evidence::Portfolio { category: PortfolioKind::OwnProject, title: "Work".into(), url: Some(url.into()), review: None }]);
        assert!(p("https://example.org/work").validate().is_ok());
        assert_eq!(p("javascript:alert(1)").validate().unwrap_err().0[0].field, "evidence[0].url");
    }

    #[test]
    fn bad_level_and_code_are_refused() {
        assert!(Level::new(9).is_err());
        assert!(Level::new(0).is_err());
        assert!(SkillCode::parse("Barista!").is_err());
        assert!(serde_json::from_str::<Level>("9").is_err());
    }
}
