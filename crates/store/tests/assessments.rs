//! Behaviour suite, situational assessments: authoring, an attempt with the
//! question channel (one answered live, one after hand-in), grading by the
//! rubric into assessment evidence in the same transaction, a retake refused
//! during the cool-down and allowed after it, tenancy (a business's own
//! assessment and its attempts are its own) and bad input writing nothing.
//! Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use slivers_core::assessments::{Answer, AssessmentSpec, Criterion, Grade, QuestionMark, Scenario, ScenarioKind, Upload};
use slivers_core::skills::{Evidence, Level, SkillCode};

use common::*;
use slivers_store::*;

suite!(
    a_graded_attempt_becomes_evidence_with_its_questions_marked,
    a_retake_waits_for_the_cool_down_and_the_best_attempt_counts,
    a_business_assessment_and_its_attempts_are_its_own,
    bad_input_names_the_field_and_writes_nothing,
);

pub fn spec(skill: &str) -> AssessmentSpec {
    AssessmentSpec {
        skill: SkillCode::parse(skill).unwrap(),
        title: "Morning rush".into(),
        pass_level: Level::new(4).unwrap(),
        time_limit_minutes: 30,
        cool_down_days: 14,
        scenarios: vec![
            Scenario { prompt: "Ten people queue; the milk runs out.".into(), kind: ScenarioKind::Text },
            Scenario { prompt: "Which comes first?".into(), kind: ScenarioKind::Choice { options: vec!["tickets".into(), "drinks".into()] } },
            Scenario { prompt: "Show a latte art photo".into(), kind: ScenarioKind::Practical },
        ],
        rubric: vec![Criterion { name: "Calm".into(), max: 10 }, Criterion { name: "Craft".into(), max: 10 }],
        questions_max: 5,
    }
}

fn answers() -> Vec<Answer> {
    vec![
        Answer { scenario: 0, text: "Apologise, offer oat milk.".into(), choice: None, upload: None },
        Answer { scenario: 1, text: String::new(), choice: Some(0), upload: None },
        Answer { scenario: 2, text: String::new(), choice: None, upload: Some(Upload { name: "art.txt".into(), url: None, content: Some("aGVsbG8=".into()) }) },
    ]
}

fn op() -> Actor {
    Actor::system()
}

fn later(t: Timestamp, mins: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_mins(mins)).unwrap()
}

async fn barista(store: &Arc<dyn Store>, w: &World) -> slivers_core::skills::SkillClaim {
    store.get_worker(w.worker, &Scope::All).await.unwrap().skills.into_iter().find(|c| c.skill.as_str() == "barista").unwrap()
}

async fn a_graded_attempt_becomes_evidence_with_its_questions_marked(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = store.create_assessment(&spec("cleaner"), &op(), now()).await.unwrap();
    assert_eq!(a.business_id, None);
    assert_eq!(store.list_assessments(&Scope::Worker(w.worker), Page::all()).await.unwrap().len(), 1);
    let me = as_worker(w.worker);
    let t = store.start_attempt(a.id, &me, now()).await.unwrap();
    assert_eq!((t.attempt, t.status), (1, AttemptStatus::Open));
    let q1 = store.ask_question(t.id, "May I use oat milk?", &me, later(now(), 2)).await.unwrap();
    let q2 = store.ask_question(t.id, "What colour is the logo?", &me, later(now(), 3)).await.unwrap();
    let live = store.answer_question(q1.id, "Yes.", &op(), later(now(), 4)).await.unwrap();
    assert!(live.answered_live);
    // The operator side of the channel is the staff's, not the worker's.
    assert!(matches!(store.answer_question(q2.id, "Blue", &me, later(now(), 5)).await, Err(StoreError::Forbidden(_))));
    let t = store.submit_attempt(t.id, &answers(), &me, later(now(), 20)).await.unwrap();
    assert!(!t.late);
    let after = store.answer_question(q2.id, "Blue, but it does not matter.", &op(), later(now(), 60)).await.unwrap();
    assert!(!after.answered_live);
    let grade = Grade {
        scores: vec![9, 8],
        questions_score: 3,
        marks: vec![QuestionMark { question: q1.id, relevant: true }, QuestionMark { question: q2.id, relevant: false }],
    };
    let g = store.grade_attempt(t.id, &grade, &op(), later(now(), 90)).await.unwrap();
    assert_eq!((g.score, g.max_score, g.level.map(Level::get), g.passed), (Some(20), Some(25), Some(5), Some(true)));
    assert_eq!((g.questions_asked, g.questions_relevant), (2, 1));
    let thread = store.get_attempt(t.id, &me.scope).await.unwrap();
    assert_eq!(thread.questions.iter().map(|q| q.relevant).collect::<Vec<_>>(), [Some(true), Some(false)]);
    assert_eq!(thread.attempt.answers, answers());
    // The claim on cleaning did not exist: it is created at the graded level.
    let ada = store.get_worker(w.worker, &Scope::All).await.unwrap();
    let c = ada.skills.iter().find(|c| c.skill.as_str() == "cleaner").unwrap();
    assert_eq!(c.effective_level().get(), 5);
    assert!(matches!(c.evidence[..], [Evidence::Assessment { attempt: 1, graded_at: Some(_), .. }]));
    assert_eq!(store.list_attempts(&AttemptFilter { status: Some(AttemptStatus::Graded), ..Default::default() }, &Scope::All, Page::all()).await.unwrap().len(), 1);
    let again = store.grade_attempt(t.id, &grade, &op(), later(now(), 91)).await.unwrap_err();
    assert_eq!(rules_of(again), ["state"]);
}

async fn a_retake_waits_for_the_cool_down_and_the_best_attempt_counts(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = store.create_assessment(&spec("barista"), &op(), now()).await.unwrap();
    let me = as_worker(w.worker);
    let t = store.start_attempt(a.id, &me, now()).await.unwrap();
    assert_eq!(rules_of(store.start_attempt(a.id, &me, later(now(), 1)).await.unwrap_err()), ["attempt_in_progress"]);
    store.submit_attempt(t.id, &answers(), &me, later(now(), 10)).await.unwrap();
    let graded = later(now(), 60);
    let g = store.grade_attempt(t.id, &Grade { scores: vec![3, 3], questions_score: 0, marks: vec![] }, &op(), graded).await.unwrap();
    assert_eq!((g.level.map(Level::get), g.passed), (Some(2), Some(false)));
    let opens = g.retake_opens_at.unwrap();
    assert_eq!(opens, later(graded, 14 * 24 * 60));
    let early = store.start_attempt(a.id, &me, later(graded, 24 * 60)).await.unwrap_err();
    let msg = early.to_string();
    assert!(msg.contains("a retake opens on 15 Dec 2026 at 01:00 UTC"), "{msg}");
    assert_eq!(rules_of(early), ["cool_down"]);
    let r = store.start_attempt(a.id, &me, opens).await.unwrap();
    assert_eq!(r.attempt, 2);
    store.submit_attempt(r.id, &answers(), &me, later(opens, 10)).await.unwrap();
    store.grade_attempt(r.id, &Grade { scores: vec![8, 8], questions_score: 0, marks: vec![] }, &op(), later(opens, 60)).await.unwrap();
    let c = barista(&store, &w).await;
    let weighing = c.weigh();
    assert_eq!(weighing.level.get(), 4);
    assert!(weighing.reasons[0].contains("(attempt 2), the best of 3"), "{:?}", weighing.reasons);
    assert_eq!(rules_of(store.start_attempt(a.id, &me, later(opens, 99_999)).await.unwrap_err()), ["already_passed"]);
    let mine = store.list_attempts(&AttemptFilter { assessment: Some(a.id), worker: Some(w.worker), status: None }, &me.scope, Page::all()).await.unwrap();
    assert_eq!(mine.iter().map(|t| (t.attempt, t.passed)).collect::<Vec<_>>(), [(1, Some(false)), (2, Some(true))]);
}

async fn a_business_assessment_and_its_attempts_are_its_own(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let own = store.create_assessment(&spec("barista"), &biz(&w), now()).await.unwrap();
    assert_eq!(own.business_id, Some(w.business));
    assert!(is_not_found(store.get_assessment(own.id, &Scope::Business(w.other_business)).await));
    // Not in the pool yet: Ada has never been booked by the business.
    assert!(is_not_found(store.get_assessment(own.id, &Scope::Worker(w.worker)).await));
    assert!(is_not_found(store.start_attempt(own.id, &as_worker(w.worker), now()).await));
    let s = shift(&store, &w, "2026-12-10T09:00:00Z", "2026-12-10T13:00:00Z", 1).await;
    store.book(&book(s, w.worker, BookMode::Instant), &Actor::system()).await.unwrap();
    assert_eq!(store.get_assessment(own.id, &Scope::Worker(w.worker)).await.unwrap().id, own.id);
    let me = as_worker(w.worker);
    let t = store.start_attempt(own.id, &me, now()).await.unwrap();
    let q = store.ask_question(t.id, "Which grinder?", &me, now()).await.unwrap();
    // Grace and the other business see none of it.
    let grace = as_worker(w.other_worker);
    assert!(is_not_found(store.get_attempt(t.id, &grace.scope).await));
    assert!(is_not_found(store.ask_question(t.id, "Me too?", &grace, now()).await));
    assert!(is_not_found(store.get_attempt(t.id, &Scope::Business(w.other_business)).await));
    assert!(is_not_found(store.answer_question(q.id, "No", &other_biz(&w), now()).await));
    assert!(store.list_attempts(&AttemptFilter::default(), &Scope::Business(w.other_business), Page::all()).await.unwrap().is_empty());
    // The owning business's staff answer and see the answers.
    store.answer_question(q.id, "The Mazzer.", &biz(&w), now()).await.unwrap();
    store.submit_attempt(t.id, &answers(), &me, later(now(), 5)).await.unwrap();
    assert_eq!(store.get_attempt(t.id, &Scope::Business(w.business)).await.unwrap().attempt.answers.len(), 3);
    // An exchange-wide attempt is not the business's to read.
    let ex = store.create_assessment(&spec("cleaner"), &op(), now()).await.unwrap();
    let t2 = store.start_attempt(ex.id, &me, now()).await.unwrap();
    assert!(is_not_found(store.get_attempt(t2.id, &Scope::Business(w.business)).await));
    assert!(matches!(store.create_assessment(&spec("barista"), &me, now()).await, Err(StoreError::Forbidden(_))));
}

async fn bad_input_names_the_field_and_writes_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = store.create_assessment(&spec("barista"), &op(), now()).await.unwrap();
    let me = as_worker(w.worker);
    let t = store.start_attempt(a.id, &me, now()).await.unwrap();
    let before = snapshot(&store).await;
    let mut bad = spec("barista");
    bad.rubric.clear();
    bad.time_limit_minutes = 0;
    assert_eq!(fields_of(store.create_assessment(&bad, &op(), now()).await.unwrap_err()), ["time_limit_minutes", "rubric"]);
    assert_eq!(fields_of(store.create_assessment(&spec("juggler"), &op(), now()).await.unwrap_err()), ["skill"]);
    assert_eq!(fields_of(store.ask_question(t.id, " ", &me, now()).await.unwrap_err()), ["text"]);
    let wrong = [Answer { scenario: 9, text: String::new(), choice: None, upload: None }];
    assert_eq!(fields_of(store.submit_attempt(t.id, &wrong, &me, now()).await.unwrap_err()), ["answers[0].scenario"]);
    assert_eq!(snapshot(&store).await, before);
    store.submit_attempt(t.id, &answers(), &me, now()).await.unwrap();
    let before = snapshot(&store).await;
    let over = Grade { scores: vec![11, 0], questions_score: 9, marks: vec![] };
    assert_eq!(fields_of(store.grade_attempt(t.id, &over, &op(), now()).await.unwrap_err()), ["scores[0]", "questions_score"]);
    assert_eq!(fields_of(store.answer_question(1_000_000, "", &op(), now()).await.unwrap_err()), ["text"]);
    assert_eq!(snapshot(&store).await, before);
}
