//! The weighting of skill evidence (`SkillClaim::weigh`, which
//! `effective_level` is): a table of representative evidence sets with the
//! level and every reason line a business reads, and a seeded property that
//! certificates, portfolio items and self-declarations alone never reach the
//! levels kept for assessments and verified hours.

#![allow(clippy::unwrap_used)]

use jiff::civil::{date, Date};
use slivers_core::ids::UserId;
use slivers_core::skills::{Evidence, Level, PortfolioReview, SkillClaim, SkillCode};

const SEED: u64 = 0xE1_1DE2CE;
const CASES: usize = 20_000;
/// The highest level weak evidence may support, written out rather than read
/// from the crate so that raising a cap there fails here.
const WEAK_MAX: u8 = 3;

fn lvl(n: u8) -> Level {
    Level::new(n).unwrap()
}

fn claim(claimed: u8, evidence: Vec<Evidence>) -> SkillClaim {
    SkillClaim { skill: SkillCode::parse("bookkeeping").unwrap(), claimed: lvl(claimed), evidence }
}

fn graded(level: u8, on: Date, attempt: u8) -> Evidence {
    Evidence::Assessment { level: lvl(level), graded_at: Some(on), reviewer: Some(UserId(1)), attempt }
}

fn hours(h: u32) -> Evidence {
    Evidence::VerifiedMinutes { minutes: h * 60 }
}

fn stars(n: u8) -> Evidence {
    Evidence::Rating { stars: n, booking: Some(1) }
}

fn cert() -> Evidence {
    Evidence::Certificate { name: "ACCA Bookkeeping".into() }
}

fn portfolio(review: Option<u8>) -> Evidence {
    Evidence::Portfolio {
        category: slivers_core::skills::PortfolioKind::Volunteer,
        title: "Year-end accounts".into(),
        url: Some("https://example.org/work".into()),
        review: review.map(|l| PortfolioReview { level: lvl(l), reviewed_on: date(2026, 10, 1), reviewer: UserId(2), checked: None }),
    }
}

const SELF: &str = "self-declared counted at most 2";

#[test]
fn weighting_table() {
    let nov12 = date(2026, 11, 12);
    let old: Evidence = serde_json::from_str(r#"{"kind":"assessment","level":3}"#).unwrap();
    let mut record = vec![hours(400)];
    record.extend(std::iter::repeat_n(stars(5), 10));
    #[rustfmt::skip]
    let table: Vec<(&str, SkillClaim, u8, Vec<&str>)> = vec![
        ("the claim alone", claim(5, vec![]), 2, vec![SELF]),
        ("a claim of 1 stays 1", claim(1, vec![Evidence::SelfDeclared]), 1, vec![SELF, "claimed 1, so no higher"]),
        ("certificates count at most 2", claim(5, vec![cert(), cert(), cert()]), 2, vec!["3 certificates counted at most 2", SELF]),
        ("unreviewed portfolio counts nothing", claim(5, vec![portfolio(None), portfolio(None)]), 2,
            vec!["2 portfolio items not yet reviewed, counted nothing", SELF]),
        ("reviewed portfolio counts at most 3", claim(5, vec![portfolio(Some(5)), portfolio(Some(2))]), 3,
            vec!["reviewed portfolio at level 5 counted at most 3 (2 items)", SELF]),
        ("reviewed portfolio beats a certificate", claim(4, vec![cert(), portfolio(Some(3)), portfolio(None)]), 3,
            vec!["reviewed portfolio at level 3", "1 portfolio item not yet reviewed, counted nothing", "certificate counted at most 2", SELF]),
        ("a weak review adds nothing over the claim", claim(5, vec![portfolio(Some(1))]), 2, vec!["reviewed portfolio at level 1", SELF]),
        ("the issue's example", claim(5, vec![graded(4, nov12, 1), hours(310), cert()]), 4,
            vec!["assessment 4 graded on 12 Nov 2026", "310 verified hours support level 3", "certificate counted at most 2", SELF]),
        ("a retake: the best attempt counts", claim(5, vec![graded(2, date(2026, 10, 1), 1), graded(4, nov12, 2)]), 4,
            vec!["assessment 4 graded on 12 Nov 2026 (attempt 2), the best of 2", SELF]),
        ("an old undated assessment", claim(5, vec![old]), 3, vec!["assessment 3", SELF]),
        ("a low assessment does not lower the claim", claim(5, vec![graded(1, nov12, 1)]), 2, vec!["assessment 1 graded on 12 Nov 2026", SELF]),
        ("19 hours are not yet a track record", claim(5, vec![hours(19)]), 2, vec!["19 verified hours (20 count for level 3)", SELF]),
        ("100 hours and three 4-star ratings", claim(5, vec![hours(100), stars(4), stars(4), stars(4)]), 4,
            vec!["100 verified hours with 3 ratings averaging 4.0 stars support level 4", SELF]),
        ("ratings averaging under 4 hold at 3", claim(5, vec![hours(100), stars(4), stars(4), stars(3)]), 3,
            vec!["100 verified hours with 3 ratings averaging 3.6 stars support level 3", SELF]),
        ("ratings need hours", claim(5, vec![stars(5), stars(5)]), 2, vec!["2 ratings averaging 5.0 stars (ratings count with verified hours)", SELF]),
        ("a long record reaches 5", claim(5, record.clone()), 5,
            vec!["400 verified hours with 10 ratings averaging 5.0 stars support level 5", SELF]),
        ("never above the claim", claim(3, record), 3,
            vec!["400 verified hours with 10 ratings averaging 5.0 stars support level 5", SELF, "claimed 3, so no higher"]),
    ];
    for (name, c, level, reasons) in table {
        let w = c.weigh();
        assert_eq!(w.level.get(), level, "{name}: {w:?}");
        assert_eq!(w.reasons, reasons, "{name}");
        assert_eq!(c.effective_level(), w.level, "{name}: effective_level is the weighing's level");
    }
}

/// Any number of certificates, portfolio items (reviewed at any level or not)
/// and self-declarations, in any order, under any claim.
fn weak_evidence(rng: &mut fastrand::Rng) -> SkillClaim {
    let mut evidence = Vec::new();
    for _ in 0..rng.usize(0..=3) {
        match rng.u8(0..4) {
            0 => evidence.extend(std::iter::repeat_n(cert(), rng.usize(1..=30))),
            1 => evidence.extend(std::iter::repeat_n(portfolio(Some(rng.u8(1..=5))), rng.usize(1..=30))),
            2 => evidence.extend(std::iter::repeat_n(portfolio(None), rng.usize(1..=30))),
            _ => evidence.extend(std::iter::repeat_n(Evidence::SelfDeclared, rng.usize(1..=5))),
        }
    }
    rng.shuffle(&mut evidence);
    claim(rng.u8(1..=5), evidence)
}

#[test]
fn weak_evidence_alone_never_reaches_the_levels_kept_for_assessments_and_hours() {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut reached = [0usize; 6];
    for i in 0..CASES {
        let c = weak_evidence(&mut rng);
        let w = c.weigh();
        assert!(w.level.get() <= WEAK_MAX, "case {i} (seed {SEED:#x}): {} from {:?}: {:?}", w.level.get(), c.evidence, w.reasons);
        assert!(w.level <= c.claimed && w.level.get() >= 1, "case {i}: {w:?} for claim {}", c.claimed.get());
        reached[usize::from(w.level.get())] += 1;

        // The same set with one assessment or a track record added does reach
        // the top, so the bound is about the kinds of evidence, not the claim.
        let mut strong = c.clone();
        strong.claimed = lvl(5);
        strong.evidence.push(graded(5, date(2026, 11, 12), 1));
        assert_eq!(strong.effective_level().get(), 5, "case {i}: an assessment at 5 is 5");
        let mut strong = c.clone();
        strong.claimed = lvl(5);
        strong.evidence.push(hours(100));
        strong.evidence.extend([stars(4), stars(5), stars(4)]);
        assert_eq!(strong.effective_level().get(), 4, "case {i}: 100 hours with good ratings is 4");

        // More evidence never lowers the level.
        let mut more = c.clone();
        more.evidence.push(weak_evidence(&mut rng).evidence.first().cloned().unwrap_or(Evidence::SelfDeclared));
        assert!(more.effective_level() >= w.level, "case {i}: {:?} lowered {w:?}", more.evidence.last());
    }
    println!("evidence_weighting: {CASES} weak evidence sets, levels reached {:?}", &reached[1..]);
    // The bound is tight: 3 is reached, and each of 1..=3 occurs.
    assert!(reached[1] > 0 && reached[2] > 0 && reached[3] > 0, "{reached:?}");
    assert_eq!(reached[4] + reached[5], 0);
}
