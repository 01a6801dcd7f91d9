//! The retake journey over real HTTP on a simulated clock, on SQLite and on
//! PostgreSQL: an operator authors an assessment; a worker takes it, asks a
//! question (answered live), hands in and fails; a retake asked three days
//! later is refused with the day it opens; after the cool-down the retake is
//! taken and passed; the business reading the worker's public profile sees
//! the improvement, first attempt against retake. Also portfolio items: the
//! worker's own declaration, reviewed only by an operator who says what they
//! checked.

mod common;

use std::sync::atomic::Ordering;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_store::testing::TestDb;

use common::{manual_clock, spawn_with_clock};

flow_on_both_databases!(sqlite_a_fail_a_refused_retake_then_a_pass, postgres_a_fail_a_refused_retake_then_a_pass, retake_journey);
flow_on_both_databases!(sqlite_portfolio_items_are_declared_then_reviewed, postgres_portfolio_items_are_declared_then_reviewed, portfolio_review);

const DAY: i64 = 24 * 3600;

pub fn assessment() -> Value {
    json!({
        "skill": "bookkeeping", "title": "Month-end close", "pass_level": 4, "time_limit_minutes": 45, "cool_down_days": 14,
        "scenarios": [
            {"kind": "text", "prompt": "The bank feed is two days behind at month end. What do you do?"},
            {"kind": "choice", "prompt": "Which comes first?", "options": ["reconcile", "accrue"]},
            {"kind": "practical", "prompt": "Upload your reconciliation"}
        ],
        "rubric": [{"name": "Judgement", "max": 10}, {"name": "Accuracy", "max": 10}],
        "questions_max": 5
    })
}

fn answers() -> Value {
    json!({"answers": [
        {"scenario": 0, "text": "Reconcile what has cleared and note the gap."},
        {"scenario": 1, "choice": 0},
        {"scenario": 2, "upload": {"name": "recon.csv", "content": "date,amount\n2026-11-30,12.00\n"}}
    ]})
}

async fn retake_journey(db: TestDb) {
    let (secs, clock) = manual_clock();
    let Some(app) = spawn_with_clock(db, clock).await else { return };
    let op = app.operator.clone();
    let (_b, _site, biz) = app.business("Ledger Ltd").await;
    let (wid, worker) = app.worker("Wendy", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0})).await;
    let (_other, other) = app.worker("Otto", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0})).await;

    let a = app.ok(Method::POST, "/assessments", &op, Some(assessment())).await;
    let aid = a["id"].as_i64().unwrap();
    // First attempt: one question, answered live, then a weak hand-in.
    let t1 = app.ok(Method::POST, &format!("/assessments/{aid}/attempts"), &worker, None).await;
    let t1 = t1["id"].as_i64().unwrap();
    let q = app.ok(Method::POST, &format!("/assessment-attempts/{t1}/questions"), &worker, Some(json!({"text": "Is the bank feed complete?"}))).await;
    let qid = q["id"].as_i64().unwrap();
    let answered = app.ok(Method::POST, &format!("/assessment-questions/{qid}/answer"), &op, Some(json!({"text": "No, two days are missing."}))).await;
    assert_eq!(answered["answered_live"], true);
    let (s, _) = app.call(Method::GET, &format!("/assessment-attempts/{t1}"), Some(&other), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another worker cannot read the attempt");
    app.ok(Method::POST, &format!("/assessment-attempts/{t1}/submit"), &worker, Some(answers())).await;
    let g1 = app
        .ok(Method::POST, &format!("/assessment-attempts/{t1}/grade"), &op, Some(json!({"scores": [3, 2], "questions_score": 2, "marks": [{"question": qid, "relevant": true}]})))
        .await;
    assert_eq!((g1["level"].as_i64(), g1["passed"].as_bool()), (Some(2), Some(false)), "{g1}");
    assert_eq!((g1["questions_asked"].as_i64(), g1["questions_relevant"].as_i64()), (Some(1), Some(1)));
    let opens: jiff::Timestamp = g1["retake_opens_at"].as_str().unwrap().parse().unwrap();

    // Three days later: too early, and the refusal names the day it opens.
    secs.fetch_add(3 * DAY, Ordering::SeqCst);
    let (s, problem) = app.call(Method::POST, &format!("/assessments/{aid}/attempts"), Some(&worker), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{problem}");
    let day = opens.strftime("%-d %b %Y").to_string();
    assert!(problem.to_string().contains(&format!("a retake opens on {day}")), "{problem}");
    assert!(problem.to_string().contains("cool_down"), "{problem}");

    // After the cool-down: the retake, a strong hand-in, a pass.
    secs.store(opens.as_second() + 60, Ordering::SeqCst);
    let t2 = app.ok(Method::POST, &format!("/assessments/{aid}/attempts"), &worker, None).await;
    assert_eq!(t2["attempt"], 2);
    let t2 = t2["id"].as_i64().unwrap();
    app.ok(Method::POST, &format!("/assessment-attempts/{t2}/submit"), &worker, Some(answers())).await;
    let g2 = app.ok(Method::POST, &format!("/assessment-attempts/{t2}/grade"), &op, Some(json!({"scores": [8, 8], "questions_score": 0}))).await;
    assert_eq!((g2["level"].as_i64(), g2["passed"].as_bool()), (Some(4), Some(true)), "{g2}");

    // A business sees the improvement on the public profile, first against retake.
    let p = app.ok(Method::GET, &format!("/workers/{wid}/public"), &biz, None).await;
    let skill = p["skills"].as_array().unwrap().iter().find(|s| s["skill"] == "bookkeeping").cloned().unwrap();
    assert_eq!(skill["effective_level"], 4, "{skill}");
    assert!(skill["reasons"][0].as_str().unwrap().contains("(attempt 2), the best of 2"), "{skill}");
    let lines: Vec<&str> = skill["assessments"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(lines.len(), 2, "{skill}");
    assert!(lines[0].starts_with("Month-end close: failed (level 2) on") && lines[0].ends_with("(first attempt)"), "{lines:?}");
    assert!(lines[1].contains(&format!("passed level 4 on {day}")) && lines[1].ends_with("(retake, attempt 2)"), "{lines:?}");
    // Nothing private in it: no reviewer, no answers, no questions.
    let text = p.to_string();
    assert!(!text.contains("reconcile") && !text.contains("bank feed") && !text.contains("reviewer"), "{text}");
    // A third attempt after the pass is refused.
    let (s, problem) = app.call(Method::POST, &format!("/assessments/{aid}/attempts"), Some(&worker), None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(problem.to_string().contains("already_passed"), "{problem}");
}

async fn portfolio_review(db: TestDb) {
    let (_secs, clock) = manual_clock();
    let Some(app) = spawn_with_clock(db, clock).await else { return };
    let op = app.operator.clone();
    let (wid, worker) = app.worker("Pia", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0})).await;
    let item = json!({"skill": "bookkeeping", "category": "volunteer", "title": "Books for the food bank", "url": "https://example.org/foodbank"});
    let w = app.ok(Method::POST, &format!("/workers/{wid}/portfolio"), &worker, Some(item.clone())).await;
    let claim = w["skills"].as_array().unwrap().iter().find(|c| c["skill"] == "bookkeeping").cloned().unwrap();
    assert_eq!(claim["evidence"][0]["kind"], "portfolio");
    assert_eq!(claim["evidence"][0]["category"], "volunteer");
    // A worker cannot review their own item.
    let review = json!({"skill": "bookkeeping", "index": 0, "level": 3, "checked": "Opened the ledger; called the food bank's treasurer."});
    let (s, _) = app.call(Method::POST, &format!("/workers/{wid}/portfolio/review"), Some(&worker), Some(review.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let w = app.ok(Method::POST, &format!("/workers/{wid}/portfolio/review"), &op, Some(review.clone())).await;
    let claim = w["skills"].as_array().unwrap().iter().find(|c| c["skill"] == "bookkeeping").cloned().unwrap();
    assert_eq!(claim["evidence"][0]["review"]["level"], 3, "{claim}");
    assert!(claim["evidence"][0]["review"]["checked"].as_str().unwrap().contains("treasurer"));
    let (s, _) = app.call(Method::POST, &format!("/workers/{wid}/portfolio/review"), Some(&op), Some(review)).await;
    assert_eq!(s, StatusCode::CONFLICT, "reviewed once");
    // Sending the claims back with a self-made review is refused by name.
    let profile = app.ok(Method::GET, &format!("/workers/{wid}"), &worker, None).await;
    let mut skills = profile["skills"].clone();
    let at = skills.as_array().unwrap().iter().position(|c| c["skill"] == "bookkeeping").unwrap();
    skills[at]["evidence"].as_array_mut().unwrap().push(json!({"kind": "portfolio", "title": "My café", "review": {"level": 3, "reviewed_on": "2026-11-01", "reviewer": 1}}));
    let (s, problem) = app.call(Method::PUT, &format!("/workers/{wid}/skills"), Some(&worker), Some(skills)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem.to_string().contains(&format!("skills[{at}].evidence[1].kind")), "{problem}");
}
