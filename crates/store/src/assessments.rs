//! Records for situational assessments: the assessment as authored, a
//! worker's attempts (answers, grade, level, pass) and the questions asked
//! while taking one, with the staff's answers and the reviewer's marks.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::assessments::{Answer, AssessmentSpec, Grade};
use slivers_core::ids::{BusinessId, UserId, WorkerId};
use slivers_core::skills::Level;

/// An assessment: exchange-wide when `business_id` is empty (authored by an
/// operator), otherwise one business's own, for its pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: i64,
    pub business_id: Option<BusinessId>,
    #[serde(flatten)]
    pub spec: AssessmentSpec,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AttemptStatus {
    /// Being taken: questions may be asked until the deadline.
    Open,
    /// Handed in, waiting for a reviewer.
    Submitted,
    Graded,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Graded => "graded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "submitted" => Some(Self::Submitted),
            "graded" => Some(Self::Graded),
            _ => None,
        }
    }
}

/// One attempt at an assessment by one worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentAttempt {
    pub id: i64,
    pub assessment_id: i64,
    pub worker_id: WorkerId,
    /// 1 for the first attempt, 2 for the first retake…
    pub attempt: u8,
    pub status: AttemptStatus,
    pub started_at: Timestamp,
    /// Questions are taken until then; a later hand-in is marked late.
    pub deadline_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub late: bool,
    pub answers: Vec<Answer>,
    pub graded_at: Option<Timestamp>,
    pub reviewer: Option<UserId>,
    pub grade: Option<Grade>,
    pub score: Option<u32>,
    pub max_score: Option<u32>,
    pub level: Option<Level>,
    pub passed: Option<bool>,
    /// How many questions were asked, and how many the reviewer marked relevant.
    pub questions_asked: u32,
    pub questions_relevant: u32,
    /// After a failed attempt: when a retake may start.
    pub retake_opens_at: Option<Timestamp>,
}

/// A question asked while taking an attempt, with the staff's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub id: i64,
    pub attempt_id: i64,
    pub text: String,
    pub asked_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
    pub answered_by: Option<UserId>,
    /// Answered while the attempt was still open (live), rather than later.
    pub answered_live: bool,
    pub relevant: Option<bool>,
}

/// An attempt with its questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptThread {
    #[serde(flatten)]
    pub attempt: AssessmentAttempt,
    pub questions: Vec<Question>,
}

/// Which attempts a list holds (always within the caller's scope).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptFilter {
    pub assessment: Option<i64>,
    pub worker: Option<WorkerId>,
    pub status: Option<AttemptStatus>,
}
