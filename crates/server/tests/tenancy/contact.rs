//! The tenancy walk over the contact routes: inquiries, the feedback board and
//! booking messages (a part of `tenancy.rs`, kept apart to keep files short).
//!
//! * Inquiries and booking messages belong to their customer (messages: to the
//!   booking's two parties): another business or worker gets a 404 identical
//!   to a missing id, and nothing is written.
//! * The board is shared by design — every customer reads any request's
//!   title, status and counts, and may vote on it — but each customer's words
//!   are their own: on another's request the answer carries only the caller's
//!   own links. Merging, status and "who asked" are the exchange's: a
//!   customer is refused with 403 before any lookup, so no id leaks.

use super::*;

/// The ids of the main walk the contact routes run against.
pub(super) struct Ids {
    pub a: i64,
    pub ma: String,
    pub mb: String,
    pub t1: String,
    pub t2: String,
    /// A's booking with W1 (cancelled by now: messages stay open).
    pub bk_a1: i64,
    /// A's offer to W1, accepted by now.
    pub of_a2: i64,
    /// A's booking with W2.
    pub bk_a3_w2: i64,
    /// B's booking with W2, and B's open offer to W2.
    pub bk_b1: i64,
    pub of_b2: i64,
}

/// What an UPDATE on the contact tables can change without adding a row:
/// inquiry status, times and priority; a request's status and merge; the
/// settings (replaced in place). Target states tick with the real clock, so
/// inquiries are reduced to their stored fields.
pub(super) async fn views(app: &TestApp, views: &mut serde_json::Map<String, Value>) {
    let op = app.operator.as_str();
    let inquiries = send(app, Method::GET, "/inquiries?limit=1000", op, None).await.body;
    let stored: Vec<Value> = inquiries
        .as_array()
        .map(|l| {
            l.iter()
                .map(|q| json!([q["id"], q["status"], q["priority"], q["first_response_at"], q["resolved_at"], q["escalations"], q["pauses"]]))
                .collect()
        })
        .unwrap_or_default();
    views.insert("inquiries".into(), Value::Array(stored));
    for path in ["/feature-requests?include_merged=true&limit=1000", "/contact-settings"] {
        views.insert(path.into(), send(app, Method::GET, path, op, None).await.body);
    }
}

/// A route of the shared board on another customer's request: served
/// (`expect`), carrying only `own`'s links and never `secret`; the same on a
/// missing id is a 404 that writes nothing; a read writes nothing either.
#[allow(clippy::too_many_arguments)]
async fn shared(p: &mut Probe<'_>, who: &str, method: Method, template: &str, path: &str, ghost: &str, token: &str, body: Option<Value>, expect: StatusCode, own: &Value, secret: &str) {
    let before = p.fingerprint().await;
    let r = send(p.app, method.clone(), path, token, body.as_ref()).await;
    assert_eq!(r.status, expect, "{who}: {method} {path} -> {}", r.body);
    assert!(!r.body.to_string().contains(secret), "{who}: {method} {path} shows another customer's words: {}", r.body);
    let links = r.body["links"].as_array().unwrap_or_else(|| panic!("{who}: {method} {path}: no links in {}", r.body));
    assert!(links.iter().all(|l| &l["customer"] == own), "{who}: {method} {path} shows another customer's link: {}", r.body);
    let mid = p.fingerprint().await;
    if method == Method::GET {
        assert_eq!(before, mid, "{who}: {method} {path} wrote something");
    }
    let g = send(p.app, method.clone(), ghost, token, body.as_ref()).await;
    assert_eq!((g.status, &g.body["type"]), (StatusCode::NOT_FOUND, &json!("/problems/not-found")), "{who}: {method} {ghost}: {}", g.body);
    assert_eq!(mid, p.fingerprint().await, "{who}: {method} {ghost} wrote something");
    p.exercised.entry((method.to_string(), template.to_string())).or_default().insert(format!("{who} (shared board)"));
    p.refusals += 1;
}

pub(super) async fn walk(p: &mut Probe<'_>, known: &Ids) -> usize {
    let app = p.app;
    let op = app.operator.clone();
    let (ma, mb, t1, t2) = (known.ma.as_str(), known.mb.as_str(), known.t1.as_str(), known.t2.as_str());
    let g = || Method::GET;
    let (ab, ww, aw, wb) = ("business A -> business B", "worker W1 -> worker W2", "business A -> workers", "worker W1 -> business B");
    let raise = |token: &str, who: &str| {
        let (app, token, body) = (app, token.to_string(), json!({"category": "account", "subject": format!("{who} subject"), "text": format!("{who} words")}));
        async move { app.ok(Method::POST, "/inquiries", &token, Some(body)).await["id"].as_i64().expect("inquiry") }
    };
    let inq_a = raise(ma, "ALPHA-PRIVATE").await;
    let inq_b = raise(mb, "BETA-PRIVATE").await;
    let inq_w1 = raise(t1, "W1-PRIVATE").await;
    let inq_w2 = raise(t2, "W2-PRIVATE").await;
    let file = |token: &str, title: &str, text: &str| {
        let (app, token, body) = (app, token.to_string(), json!({"title": title, "text": text}));
        async move { app.ok(Method::POST, "/feature-requests", &token, Some(body)).await["id"].as_i64().expect("request") }
    };
    let fr_a = file(ma, "Shift templates", "ALPHA-PRIVATE templates").await;
    let fr_dup = file(ma, "Templates for shifts", "ALPHA-PRIVATE again").await;
    let fr_b = file(mb, "Recurring shifts", "BETA-PRIVATE recurring").await;
    app.ok(Method::POST, &format!("/bookings/{}/messages", known.bk_b1), mb, Some(json!({"text": "BETA-PRIVATE see you"}))).await;

    // Inquiries: the customer's own.
    let t = "/inquiries/{id}";
    p.refused(ab, g(), t, &at(t, inq_b), &at(t, GHOST), ma, None, None).await;
    p.refused(aw, g(), t, &at(t, inq_w1), &at(t, GHOST), ma, None, None).await;
    p.refused(ww, g(), t, &at(t, inq_w2), &at(t, GHOST), t1, None, None).await;
    p.control(ab, g(), &at(t, inq_a), ma, None, StatusCode::OK).await;
    p.control(ww, g(), &at(t, inq_w1), t1, None, StatusCode::OK).await;
    let t = "/inquiries/{id}/steps";
    let step = |action: &str| json!({"action": action, "text": "hijack"});
    for action in ["reply", "reopen"] {
        p.refused(ab, Method::POST, t, &at(t, inq_b), &at(t, GHOST), ma, Some(step(action)), Some(step(action))).await;
        p.refused(ww, Method::POST, t, &at(t, inq_w2), &at(t, GHOST), t1, Some(step(action)), Some(step(action))).await;
    }
    // An operator's step is refused before the lookup: the same 403 for any id.
    p.refused_with(ab, Method::POST, t, &at(t, inq_b), &at(t, GHOST), ma, Some(step("answer")), Some(step("answer")), StatusCode::FORBIDDEN).await;
    p.control(ab, Method::POST, &at(t, inq_a), ma, Some(step("reply")), StatusCode::OK).await;
    p.control(ww, Method::POST, &at(t, inq_w1), t1, Some(step("reopen")), StatusCode::CONFLICT).await; // not resolved

    // The board: shared, but each customer's words are their own.
    let own_a = json!({"kind": "business", "id": known.a});
    let t = "/feature-requests/{id}";
    shared(p, ab, g(), t, &at(t, fr_b), &at(t, GHOST), ma, None, StatusCode::OK, &own_a, "BETA-PRIVATE").await;
    let mine = p.control(ab, g(), &at(t, fr_a), ma, None, StatusCode::OK).await;
    assert!(mine.to_string().contains("ALPHA-PRIVATE templates"), "A reads its own words: {mine}");
    let t = "/feature-requests/{id}/votes";
    let vote = json!({"text": "ALPHA-PRIVATE me too"});
    shared(p, ab, Method::POST, t, &at(t, fr_b), &at(t, GHOST), ma, Some(vote.clone()), StatusCode::CREATED, &own_a, "BETA-PRIVATE").await;
    p.control(ab, Method::POST, &at(t, fr_a), ma, Some(vote), StatusCode::CONFLICT).await; // already linked
    let merge = json!({"survivor_id": fr_a});
    let planned = json!({"status": "planned"});
    let exchange_only: [(&str, Method, Option<Value>); 3] =
        [("/feature-requests/{id}/merge", Method::POST, Some(merge.clone())), ("/feature-requests/{id}/status", Method::POST, Some(planned.clone())), ("/feature-requests/{id}/who-asked", g(), None)];
    for (t, m, body) in &exchange_only {
        for (who, token) in [(ab, ma), (wb, t1)] {
            p.refused_with(who, m.clone(), t, &at(t, fr_b), &at(t, GHOST), token, body.clone(), body.clone(), StatusCode::FORBIDDEN).await;
        }
        p.control(ab, m.clone(), &at(t, fr_dup), ma, body.clone(), StatusCode::FORBIDDEN).await;
    }
    p.control("operator", Method::POST, &at("/feature-requests/{id}/merge", fr_dup), &op, Some(merge), StatusCode::OK).await;
    p.control("operator", Method::POST, &at("/feature-requests/{id}/status", fr_a), &op, Some(planned), StatusCode::OK).await;
    let asked = p.control("operator", g(), &at("/feature-requests/{id}/who-asked", fr_b), &op, None, StatusCode::OK).await;
    assert_eq!(asked["customers"].as_array().map(Vec::len), Some(2), "B, and A's vote: {asked}");

    // Booking messages: the booking's two parties only.
    let t = "/bookings/{id}/messages";
    let text = json!({"text": "hijack"});
    for m in [g(), Method::POST] {
        let body = (m == Method::POST).then(|| text.clone());
        for foreign in [known.bk_b1, known.of_b2] {
            p.refused(ab, m.clone(), t, &at(t, foreign), &at(t, GHOST), ma, body.clone(), body.clone()).await;
        }
        for foreign in [known.bk_b1, known.of_b2, known.bk_a3_w2] {
            p.refused(ww, m.clone(), t, &at(t, foreign), &at(t, GHOST), t1, body.clone(), body.clone()).await;
        }
    }
    let hello = json!({"text": "ALPHA-PRIVATE hello"});
    p.control(ab, Method::POST, &at(t, known.bk_a1), ma, Some(hello.clone()), StatusCode::CREATED).await;
    p.control(ab, Method::POST, &at(t, known.of_a2), ma, Some(hello), StatusCode::CREATED).await;
    p.control(ww, Method::POST, &at(t, known.bk_a1), t1, Some(json!({"text": "W1-PRIVATE hi"})), StatusCode::CREATED).await;
    let thread = p.control(ww, g(), &at(t, known.bk_a1), t1, None, StatusCode::OK).await;
    assert_eq!(thread.as_array().map(Vec::len), Some(2), "A's message and W1's: {thread}");
    p.control(ab, g(), &at(t, known.bk_a1), ma, None, StatusCode::OK).await;

    // Lists: nobody's list holds another customer's inquiries or words.
    let a_list = app.ok(Method::GET, "/inquiries?limit=1000", ma, None).await;
    assert_eq!(ids(&a_list), set(&[inq_a]), "A's GET /inquiries");
    let w1_list = app.ok(Method::GET, "/inquiries?limit=1000", t1, None).await;
    assert_eq!(ids(&w1_list), set(&[inq_w1]), "W1's GET /inquiries");
    for (who, token, secrets) in [("A", ma, ["BETA-PRIVATE", "W1-PRIVATE", "W2-PRIVATE"]), ("W1", t1, ["ALPHA-PRIVATE", "BETA-PRIVATE", "W2-PRIVATE"])] {
        for path in ["/inquiries?limit=1000", "/feature-requests?include_merged=true&limit=1000", "/inquiries/response-times", "/inquiries/report.csv"] {
            let body = send(app, g(), path, token, None).await.body.to_string();
            for s in secrets {
                assert!(!body.contains(s), "{who}'s GET {path} shows {s}: {body}");
            }
        }
    }
    let times = app.ok(Method::GET, "/inquiries/response-times", ma, None).await;
    assert_eq!(times["per_customer"].as_array().map(Vec::len), Some(1), "A's response times are A's alone: {times}");
    // Two own-list checks and two walks of four lists.
    4
}
