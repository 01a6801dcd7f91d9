//! Situational assessments: what an assessment holds (scenarios, a time
//! limit, a rubric with its own questions criterion, a pass level and the
//! retake cool-down), what a worker hands in, how a reviewer grades it, and
//! the one mapping from a rubric score to a skill level.
//!
//! Uploads for a practical task are stored in the database, inside the
//! attempt's answers: either a web address (`url`) or a small text or base64
//! file (`content`, at most [`UPLOAD_BYTES`]). Keeping them in the row means
//! the same scoping that hides an attempt hides its upload, with no second
//! store to secure.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::contact::check_text;
use crate::skills::{Level, SkillCode};
use crate::validation::Collector;
use crate::Invalid;

/// The largest upload kept in the database with an answer.
pub const UPLOAD_BYTES: usize = 256 * 1024;
/// Bounds on a question or an answer to one.
pub const QUESTION_CHARS: (usize, usize) = (1, 2000);

/// A question or an answer to one: 1 to 2000 characters.
pub fn check_answer_text(c: &mut Collector, field: &str, text: &str) {
    check_text(c, field, text, QUESTION_CHARS);
}

/// One option of a choice scenario, in the API document: 1 to 500 characters.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, min_length = 1, max_length = 500, pattern = r"\S")]
#[allow(dead_code)]
pub struct ChoiceOption(String);

/// What a scenario asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ScenarioKind {
    /// A free-text answer.
    Text,
    /// One of the options, by index.
    Choice {
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<ChoiceOption>, min_items = 2, max_items = 10))]
        options: Vec<String>,
    },
    /// A practical task handed in as an upload (a link or a small file).
    Practical,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scenario {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000, pattern = r"\S"))]
    pub prompt: String,
    #[serde(flatten)]
    pub kind: ScenarioKind,
}

/// One rubric line: what the reviewer judges and the points it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub max: u32,
}

/// An assessment as its author writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentSpec {
    pub skill: SkillCode,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
    pub title: String,
    /// A graded level at or above this passes.
    pub pass_level: Level,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 480))]
    pub time_limit_minutes: u32,
    /// Days after a failed attempt is graded before a retake may start.
    #[cfg_attr(feature = "openapi", schema(maximum = 365))]
    pub cool_down_days: u32,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub scenarios: Vec<Scenario>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub rubric: Vec<Criterion>,
    /// The points the questions criterion is worth: how well the worker
    /// asked (the reviewer marks each question relevant or not).
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub questions_max: u32,
}

impl AssessmentSpec {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        check_text(&mut c, "title", &self.title, (1, 200));
        c.check((1..=480).contains(&self.time_limit_minutes), "time_limit_minutes", "must be 1 to 480");
        c.check(self.cool_down_days <= 365, "cool_down_days", "must be 0 to 365");
        c.check((1..=50).contains(&self.scenarios.len()), "scenarios", "must hold 1 to 50 scenarios");
        for (i, s) in self.scenarios.iter().enumerate() {
            check_text(&mut c, &format!("scenarios[{i}].prompt"), &s.prompt, (1, 4000));
            if let ScenarioKind::Choice { options } = &s.kind {
                c.check((2..=10).contains(&options.len()), &format!("scenarios[{i}].options"), "must hold 2 to 10 options");
                for (j, o) in options.iter().enumerate() {
                    check_text(&mut c, &format!("scenarios[{i}].options[{j}]"), o, (1, 500));
                }
            }
        }
        c.check((1..=20).contains(&self.rubric.len()), "rubric", "must hold 1 to 20 criteria");
        for (i, r) in self.rubric.iter().enumerate() {
            check_text(&mut c, &format!("rubric[{i}].name"), &r.name, (1, 200));
            c.check((1..=100).contains(&r.max), &format!("rubric[{i}].max"), "must be 1 to 100 points");
        }
        c.check(self.questions_max <= 100, "questions_max", "must be 0 to 100 points");
        c.finish()
    }

    /// Every point the rubric can give, the questions criterion included.
    pub fn max_score(&self) -> u32 {
        self.rubric.iter().map(|r| r.max).sum::<u32>() + self.questions_max
    }
}

/// A practical task's hand-in: a link, or a small file kept in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Upload {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000, pattern = r"^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"))]
    pub url: Option<String>,
    /// Text, or base64 for a binary file; at most [`UPLOAD_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// The worker's answer to one scenario, by index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub scenario: u32,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<Upload>,
}

/// Check answers against the scenarios they answer, naming each bad field.
pub fn validate_answers(spec: &AssessmentSpec, answers: &[Answer]) -> Result<(), Invalid> {
    let mut c = Collector::new();
    c.check(answers.len() <= spec.scenarios.len(), "answers", "at most one answer per scenario");
    let mut seen = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let f = |x: &str| format!("answers[{i}].{x}");
        let Some(s) = spec.scenarios.get(a.scenario as usize) else {
            c.push(f("scenario"), format!("there is no scenario {}", a.scenario));
            continue;
        };
        c.check(!seen.contains(&a.scenario), &f("scenario"), "answered twice");
        seen.push(a.scenario);
        c.check(a.text.chars().count() <= 20_000, &f("text"), "must be at most 20000 characters");
        match (&s.kind, a.choice) {
            (ScenarioKind::Choice { options }, Some(n)) => c.check((n as usize) < options.len(), &f("choice"), format!("must be 0 to {}", options.len() - 1)),
            (ScenarioKind::Choice { .. }, None) => {}
            (_, Some(_)) => c.push(f("choice"), "this scenario has no options"),
            _ => {}
        }
        if let Some(u) = &a.upload {
            c.check(matches!(s.kind, ScenarioKind::Practical), &f("upload"), "only a practical task takes an upload");
            check_text(&mut c, &f("upload.name"), &u.name, (1, 200));
            c.check(u.url.is_some() != u.content.is_some(), &f("upload"), "give either a url or content");
            if let Some(url) = &u.url {
                c.check(crate::validation::web_url_ok(url, true), &f("upload.url"), "must be an http(s) address of at most 2000 characters");
            }
            if let Some(body) = &u.content {
                c.check(body.len() <= UPLOAD_BYTES, &f("upload.content"), format!("must be at most {UPLOAD_BYTES} bytes"));
            }
        }
    }
    c.finish()
}

/// The reviewer's mark on one question the worker asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionMark {
    pub question: i64,
    pub relevant: bool,
}

/// A grade by the rubric: points per criterion (in rubric order), the
/// questions criterion's points, and every question marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grade {
    pub scores: Vec<u32>,
    #[serde(default)]
    pub questions_score: u32,
    #[serde(default)]
    pub marks: Vec<QuestionMark>,
}

impl Grade {
    /// Check against the rubric and the questions asked (every one marked once).
    pub fn validate(&self, spec: &AssessmentSpec, asked: &[i64]) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check(self.scores.len() == spec.rubric.len(), "scores", format!("must give {} scores, one per criterion", spec.rubric.len()));
        for (i, (s, r)) in self.scores.iter().zip(&spec.rubric).enumerate() {
            c.check(*s <= r.max, &format!("scores[{i}]"), format!("must be 0 to {} ({})", r.max, r.name));
        }
        c.check(self.questions_score <= spec.questions_max, "questions_score", format!("must be 0 to {}", spec.questions_max));
        for (i, m) in self.marks.iter().enumerate() {
            let twice = self.marks[..i].iter().any(|o| o.question == m.question);
            c.check(asked.contains(&m.question) && !twice, &format!("marks[{i}].question"), format!("{} is not a question of this attempt, or is marked twice", m.question));
        }
        c.check(asked.iter().all(|q| self.marks.iter().any(|m| m.question == *q)), "marks", "mark every question asked relevant or not");
        c.finish()
    }

    pub fn total(&self) -> u32 {
        self.scores.iter().sum::<u32>() + self.questions_score
    }
}

/// THE mapping from a rubric score to a level: the share of the maximum in
/// fifths. Under 20 % is level 1, under 40 % level 2, under 60 % level 3,
/// under 80 % level 4, 80 % and above level 5. The attempt passes when the
/// level is at least the assessment's pass level.
pub fn level_for(score: u32, max: u32) -> Level {
    let pct = u64::from(score) * 100 / u64::from(max.max(1));
    let n = match pct {
        0..20 => 1,
        20..40 => 2,
        40..60 => 3,
        60..80 => 4,
        _ => 5,
    };
    Level::new(n).unwrap_or(Level::MIN)
}

/// When a retake may start after a failed attempt graded at `graded_at`.
pub fn retake_opens(graded_at: Timestamp, cool_down_days: u32) -> Timestamp {
    graded_at.saturating_add(SignedDuration::from_hours(24 * i64::from(cool_down_days))).unwrap_or(graded_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> AssessmentSpec {
        AssessmentSpec {
            skill: SkillCode::parse("barista").unwrap(),
            title: "Morning rush".into(),
            pass_level: Level::new(3).unwrap(),
            time_limit_minutes: 30,
            cool_down_days: 14,
            scenarios: vec![
                Scenario { prompt: "A queue of ten".into(), kind: ScenarioKind::Text },
                Scenario { prompt: "Milk first?".into(), kind: ScenarioKind::Choice { options: vec!["yes".into(), "no".into()] } },
                Scenario { prompt: "Photograph your latte art".into(), kind: ScenarioKind::Practical },
            ],
            rubric: vec![Criterion { name: "Calm".into(), max: 10 }, Criterion { name: "Craft".into(), max: 10 }],
            questions_max: 5,
        }
    }

    #[test]
    fn score_maps_to_levels_in_fifths() {
        assert_eq!(level_for(0, 25).get(), 1);
        assert_eq!(level_for(5, 25).get(), 2);
        assert_eq!(level_for(14, 25).get(), 3);
        assert_eq!(level_for(19, 25).get(), 4);
        assert_eq!(level_for(20, 25).get(), 5);
        assert_eq!(level_for(25, 25).get(), 5);
    }

    #[test]
    fn answers_and_grades_name_their_fields() {
        let s = spec();
        assert!(s.validate().is_ok());
        let bad = [Answer { scenario: 1, text: String::new(), choice: Some(7), upload: None }];
        assert_eq!(validate_answers(&s, &bad).unwrap_err().0[0].field, "answers[0].choice");
        let big = Upload { name: "a.txt".into(), url: None, content: Some("x".repeat(UPLOAD_BYTES + 1)) };
        let bad = [Answer { scenario: 2, text: String::new(), choice: None, upload: Some(big) }];
        assert_eq!(validate_answers(&s, &bad).unwrap_err().0[0].field, "answers[0].upload.content");
        let g = Grade { scores: vec![10, 11], questions_score: 5, marks: vec![] };
        let e = g.validate(&s, &[4]).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["scores[1]", "marks"]);
    }

    #[test]
    fn a_retake_opens_after_the_cool_down() {
        let t: Timestamp = "2026-11-01T10:00:00Z".parse().unwrap();
        assert_eq!(retake_opens(t, 14).to_string(), "2026-11-15T10:00:00Z");
    }
}
