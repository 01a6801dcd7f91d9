//! The tenancy walk over the assessment routes (a part of `tenancy.rs`, kept
//! apart to keep files short).
//!
//! * A business's own assessment is seen by it, operators and its pool only:
//!   another business, or a worker never booked with it, gets a 404 identical
//!   to a missing id, and cannot start it.
//! * An attempt (answers, uploads, questions) is the worker's, the owning
//!   business's (its own assessments only) and operators': anyone else gets
//!   the same 404 as for a missing id, whether reading, handing in, asking,
//!   answering or grading, and nothing is written.
//! * Portfolio items are the worker's own to add; reviewing is the
//!   exchange's, refused with 403 before any lookup.

use super::*;

pub(super) struct Ids {
    pub ma: String,
    pub mb: String,
    pub t1: String,
    pub t2: String,
    pub w1: i64,
    pub w2: i64,
}

/// What an UPDATE on the assessment tables can change without adding a row:
/// an attempt's status, answers and grade; a question's answer and mark.
pub(super) async fn views(app: &TestApp, views: &mut serde_json::Map<String, Value>) {
    let op = app.operator.as_str();
    let list = send(app, Method::GET, "/assessment-attempts?limit=1000", op, None).await.body;
    for id in ids(&list) {
        let path = format!("/assessment-attempts/{id}");
        views.insert(path.clone(), send(app, Method::GET, &path, op, None).await.body);
    }
    views.insert("assessments".into(), send(app, Method::GET, "/assessments?limit=1000", op, None).await.body);
}

fn spec(skill: &str, title: &str) -> Value {
    json!({
        "skill": skill, "title": title, "pass_level": 3, "time_limit_minutes": 600 / 2, "cool_down_days": 14,
        "scenarios": [{"kind": "text", "prompt": "What do you do?"}, {"kind": "practical", "prompt": "Upload it"}],
        "rubric": [{"name": "Judgement", "max": 10}], "questions_max": 5
    })
}

pub(super) async fn walk(p: &mut Probe<'_>, k: &Ids) -> usize {
    let app = p.app;
    let op = app.operator.clone();
    let (ma, mb, t1, t2) = (k.ma.as_str(), k.mb.as_str(), k.t1.as_str(), k.t2.as_str());
    let g = || Method::GET;
    let post = || Method::POST;
    let (ab, ww, wb, bw) = ("business A -> business B", "worker W1 -> worker W2", "worker W1 -> business B", "business B -> worker W1");
    let id_of = |v: Value| v["id"].as_i64().expect("id");
    // B's own assessment (W2 is in B's pool, W1 is not) and an exchange-wide one.
    let own_b = id_of(app.ok(post(), "/assessments", mb, Some(spec("barista", "BETA-PRIVATE latte"))).await);
    let own_a = id_of(app.ok(post(), "/assessments", ma, Some(spec("barista", "ALPHA-PRIVATE flat white"))).await);
    let wide = id_of(app.ok(post(), "/assessments", &op, Some(spec("bookkeeping", "Month end"))).await);
    let tw2 = id_of(app.ok(post(), &format!("/assessments/{own_b}/attempts"), t2, None).await);
    let q2 = id_of(app.ok(post(), &format!("/assessment-attempts/{tw2}/questions"), t2, Some(json!({"text": "W2-PRIVATE which milk?"}))).await);
    let tw1 = id_of(app.ok(post(), &format!("/assessments/{wide}/attempts"), t1, None).await);
    let q1 = id_of(app.ok(post(), &format!("/assessment-attempts/{tw1}/questions"), t1, Some(json!({"text": "W1-PRIVATE which ledger?"}))).await);

    let t = "/assessments/{id}";
    p.refused(ab, g(), t, &at(t, own_b), &at(t, GHOST), ma, None, None).await;
    p.refused(wb, g(), t, &at(t, own_b), &at(t, GHOST), t1, None, None).await;
    p.control(ab, g(), &at(t, own_a), ma, None, StatusCode::OK).await;
    p.control(ww, g(), &at(t, wide), t1, None, StatusCode::OK).await;
    let t = "/assessments/{id}/attempts";
    p.refused(wb, post(), t, &at(t, own_b), &at(t, GHOST), t1, None, None).await;

    let text = json!({"text": "hijack"});
    let answers = json!({"answers": [{"scenario": 0, "text": "hijack"}]});
    let grade = json!({"scores": [10], "questions_score": 5, "marks": []});
    // W1 on W2's attempt; A on B's (its own assessments only); B on W1's exchange-wide attempt.
    for (who, token, foreign) in [(ww, t1, tw2), (ab, ma, tw2), (bw, mb, tw1)] {
        let t = "/assessment-attempts/{id}";
        p.refused(who, g(), t, &at(t, foreign), &at(t, GHOST), token, None, None).await;
        let t = "/assessment-attempts/{id}/grade";
        if token != t1 {
            p.refused(who, post(), t, &at(t, foreign), &at(t, GHOST), token, Some(grade.clone()), Some(grade.clone())).await;
        }
    }
    for t in ["/assessment-attempts/{id}/submit", "/assessment-attempts/{id}/questions"] {
        let body = if t.ends_with("submit") { answers.clone() } else { text.clone() };
        p.refused(ww, post(), t, &at(t, tw2), &at(t, GHOST), t1, Some(body.clone()), Some(body)).await;
    }
    // A worker grading is refused before any lookup.
    let t = "/assessment-attempts/{id}/grade";
    p.refused_with(ww, post(), t, &at(t, tw2), &at(t, GHOST), t1, Some(grade.clone()), Some(grade.clone()), StatusCode::FORBIDDEN).await;
    let t = "/assessment-questions/{id}/answer";
    p.refused(ab, post(), t, &at(t, q2), &at(t, GHOST), ma, Some(text.clone()), Some(text.clone())).await;
    p.refused(bw, post(), t, &at(t, q1), &at(t, GHOST), mb, Some(text.clone()), Some(text.clone())).await;
    p.refused_with(ww, post(), t, &at(t, q2), &at(t, GHOST), t1, Some(text.clone()), Some(text.clone()), StatusCode::FORBIDDEN).await;
    // Controls: the worker reads their own; B answers its own; the operator answers W1's.
    let mine = p.control(ww, g(), &at("/assessment-attempts/{id}", tw1), t1, None, StatusCode::OK).await;
    assert!(mine.to_string().contains("W1-PRIVATE"), "W1 reads their own question: {mine}");
    p.control(bw, g(), &at("/assessment-attempts/{id}", tw2), mb, None, StatusCode::OK).await;
    p.control(bw, post(), &at("/assessment-questions/{id}/answer", q2), mb, Some(json!({"text": "Oat."})), StatusCode::OK).await;
    p.control("operator", post(), &at("/assessment-questions/{id}/answer", q1), &op, Some(json!({"text": "The main one."})), StatusCode::OK).await;

    // Portfolio: the worker's own to add; reviews are the exchange's.
    let item = json!({"skill": "barista", "title": "Pop-up café", "url": "https://example.org/popup"});
    let t = "/workers/{id}/portfolio";
    p.refused(ww, post(), t, &at(t, k.w2), &at(t, GHOST), t1, Some(item.clone()), Some(item.clone())).await;
    p.refused(bw, post(), t, &at(t, k.w1), &at(t, GHOST), mb, Some(item.clone()), Some(item.clone())).await;
    let review = json!({"skill": "barista", "index": 0, "level": 3, "checked": "hijack"});
    let t = "/workers/{id}/portfolio/review";
    for (who, token) in [(ww, t1), (bw, mb)] {
        p.refused_with(who, post(), t, &at(t, k.w1), &at(t, GHOST), token, Some(review.clone()), Some(review.clone()), StatusCode::FORBIDDEN).await;
    }

    // Lists: each sees only what is theirs.
    let a_list = app.ok(g(), "/assessments?limit=1000", ma, None).await;
    assert_eq!(ids(&a_list), set(&[own_a, wide]), "A's GET /assessments");
    let w1_list = app.ok(g(), "/assessments?limit=1000", t1, None).await;
    assert!(!w1_list.to_string().contains("BETA-PRIVATE"), "W1 is not in B's pool: {w1_list}");
    let w1_attempts = app.ok(g(), "/assessment-attempts?limit=1000", t1, None).await;
    assert_eq!(ids(&w1_attempts), set(&[tw1]), "W1's GET /assessment-attempts");
    let a_attempts = app.ok(g(), "/assessment-attempts?limit=1000", ma, None).await;
    assert_eq!(a_attempts, json!([]), "A's GET /assessment-attempts");
    let b_attempts = app.ok(g(), "/assessment-attempts?limit=1000", mb, None).await;
    assert_eq!(ids(&b_attempts), set(&[tw2]), "B's GET /assessment-attempts");
    5
}
