//! Tenancy over real HTTP, on SQLite and on PostgreSQL.
//!
//! * A member of business A, pointed at business B's resources, gets a 404
//!   problem document on every route that takes an id, indistinguishable from
//!   the reply for an id that does not exist, and nothing is written.
//! * A worker (W1) pointed at another worker's (W2) profile, pay, bookings
//!   and shifts gets the same.
//! * Lists never carry another tenant's ids.
//! * Every refusal has a positive control: the caller's own resource, through
//!   the same route, is served, so the 404s are not vacuous.
//! * Inquiries and booking messages are their customers' own; the feedback
//!   board is shared, but each customer's words are theirs (`tenancy/contact.rs`).
//! * Reputation records are their worker's alone (`tenancy/reputation.rs`).
//! * Coverage: every `(method, path)` in the OpenAPI document whose path takes
//!   an `{id}` must have been exercised here against a foreign resource, so a
//!   route added later without a tenancy test fails this test.

mod common;
#[path = "tenancy/contact.rs"]
mod contact;
#[path = "tenancy/assessments.rs"]
mod assessments;
#[path = "tenancy/reputation.rs"]
mod reputation;

use std::collections::{BTreeMap, BTreeSet};

use jiff::{Timestamp, ToSpan};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_core::ids::UserId;
use slivers_exchange::credentials as auth;

use common::TestApp;

on_both_databases!(no_tenant_reaches_another_tenants_resources);

/// An id that exists in no table: a foreign id must look exactly like it.
const GHOST: i64 = 999_999_999;

/// Every action `POST /bookings/{id}/{action}` knows. `cancel` comes last so
/// positive controls that succeed do not change the state the others see.
const ACTIONS: [&str; 8] = ["accept", "decline", "withdraw", "check-in", "complete", "no-show", "expire", "cancel"];

struct Reply {
    status: StatusCode,
    content_type: String,
    body: Value,
}

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Option<&Value>) -> Reply {
    let mut req = app.client.request(method, format!("{}/api/v1{path}", app.base)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let content_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = res.text().await.expect("body");
    Reply { status, content_type, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

/// `template` with its `{id}` (and `{action}`) filled in.
fn at(template: &str, id: i64) -> String {
    template.replace("{id}", &id.to_string())
}

fn act(id: i64, action: &str) -> String {
    format!("/bookings/{id}/{action}")
}

/// The `key` of every object in a JSON array.
fn field(v: &Value, key: &str) -> BTreeSet<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
        .iter()
        .map(|x| x[key].as_i64().unwrap_or_else(|| panic!("no {key} in {x}")))
        .collect()
}

fn ids(v: &Value) -> BTreeSet<i64> {
    field(v, "id")
}

fn set(xs: &[i64]) -> BTreeSet<i64> {
    xs.iter().copied().collect()
}

/// Asserts `list` holds none of `foreign`.
fn none_of(what: &str, list: &BTreeSet<i64>, foreign: &BTreeSet<i64>) {
    let leaked: Vec<_> = list.intersection(foreign).collect();
    assert!(leaked.is_empty(), "{what} leaks foreign ids {leaked:?} (list {list:?})");
}

/// Asserts `list` holds all of `own` (the positive control for a list).
fn all_of(what: &str, list: &BTreeSet<i64>, own: &BTreeSet<i64>) {
    assert!(own.is_subset(list), "{what} is missing own ids {:?} (list {list:?})", own.difference(list).collect::<Vec<_>>());
}

/// Every value of `key` in a list of objects, nulls included.
fn column(v: &Value, key: &str) -> Vec<Option<i64>> {
    v.as_array().expect("list").iter().map(|x| x[key].as_i64()).collect()
}

/// Runs refusals and their controls, and records what was exercised.
struct Probe<'a> {
    app: &'a TestApp,
    /// Tokens whose own token lists belong in the fingerprint.
    tokens: Vec<String>,
    workers: Vec<i64>,
    businesses: Vec<i64>,
    /// (METHOD, path template) -> who was refused on it.
    exercised: BTreeMap<(String, String), BTreeSet<String>>,
    /// Actions exercised on `POST /bookings/{id}/{action}` against a foreign booking.
    actions: BTreeSet<String>,
    refusals: usize,
    controls: usize,
}

impl Probe<'_> {
    /// Row counts and last event, plus the operator's view of every row that
    /// an UPDATE could change without adding a row, plus each user's tokens
    /// (a revoke is an UPDATE with no event).
    async fn fingerprint(&self) -> ((Vec<(String, i64)>, i64), Value) {
        let snap = self.app.snapshot().await;
        let op = self.app.operator.as_str();
        let mut views = serde_json::Map::new();
        for path in ["/bookings?limit=1000", "/shifts?limit=1000", "/businesses?limit=1000"] {
            views.insert(path.into(), send(self.app, Method::GET, path, op, None).await.body);
        }
        for b in &self.businesses {
            for path in [format!("/businesses/{b}/sites"), format!("/businesses/{b}/webhooks")] {
                views.insert(path.clone(), send(self.app, Method::GET, &path, op, None).await.body);
            }
        }
        contact::views(self.app, &mut views).await;
        assessments::views(self.app, &mut views).await;
        reputation::views(self.app, &mut views).await;
        for w in &self.workers {
            let path = format!("/workers/{w}");
            views.insert(path.clone(), send(self.app, Method::GET, &path, op, None).await.body);
        }
        for (i, t) in self.tokens.iter().enumerate() {
            let r = send(self.app, Method::GET, "/tokens", t, None).await;
            views.insert(format!("tokens#{i}"), json!({"status": r.status.as_u16(), "body": r.body}));
        }
        (snap, Value::Object(views))
    }

    /// `method path` by `token` must be a 404 problem document identical to the
    /// reply for a nonexistent id (`ghost`), and must write nothing.
    #[allow(clippy::too_many_arguments)]
    async fn refused(
        &mut self,
        who: &str,
        method: Method,
        template: &str,
        path: &str,
        ghost: &str,
        token: &str,
        body: Option<Value>,
        ghost_body: Option<Value>,
    ) {
        self.refused_with(who, method, template, path, ghost, token, body, ghost_body, StatusCode::NOT_FOUND).await;
    }

    #[allow(clippy::too_many_arguments)]
    async fn refused_with(
        &mut self,
        who: &str,
        method: Method,
        template: &str,
        path: &str,
        ghost: &str,
        token: &str,
        body: Option<Value>,
        ghost_body: Option<Value>,
        expect: StatusCode,
    ) {
        let before = self.fingerprint().await;
        let r = send(self.app, method.clone(), path, token, body.as_ref()).await;
        assert_eq!(r.status, expect, "{who}: {method} {path} with {body:?} -> {} {}", r.status, r.body);
        assert!(
            r.content_type.starts_with("application/problem+json"),
            "{who}: {method} {path}: content type {:?}",
            r.content_type
        );
        assert_eq!(r.body["status"], json!(expect.as_u16()), "{who}: {method} {path}: {}", r.body);
        if expect == StatusCode::NOT_FOUND {
            assert_eq!(r.body["type"], "/problems/not-found", "{who}: {method} {path}: {}", r.body);
        }
        // No existence oracle: the foreign resource looks exactly like a missing one.
        let g = send(self.app, method.clone(), ghost, token, ghost_body.as_ref()).await;
        assert_eq!(
            (g.status, &g.body),
            (r.status, &r.body),
            "{who}: {method} {path} must be indistinguishable from {method} {ghost}"
        );
        let after = self.fingerprint().await;
        assert_eq!(before.0, after.0, "{who}: {method} {path} changed row counts or the event log");
        assert_eq!(before.1, after.1, "{who}: {method} {path} changed stored state");
        self.exercised.entry((method.to_string(), template.to_string())).or_default().insert(who.to_string());
        self.refusals += 1;
    }

    /// The positive control: the caller's own resource through the same route.
    async fn control(&mut self, who: &str, method: Method, path: &str, token: &str, body: Option<Value>, expect: StatusCode) -> Value {
        let r = send(self.app, method.clone(), path, token, body.as_ref()).await;
        assert_eq!(r.status, expect, "control {who}: {method} {path} -> {} {}", r.status, r.body);
        self.controls += 1;
        r.body
    }
}

async fn no_tenant_reaches_another_tenants_resources(app: TestApp) {
    let started = std::time::Instant::now();
    let op = app.operator.clone();

    // ---- Two businesses, three workers, shifts, bookings and offers. ----
    let limits = json!({"max_minutes_per_day": 720, "max_minutes_per_week": 3000, "min_rest_minutes": 60, "min_notice_minutes": 0});
    let (a, site_a, ma) = app.business("Alpha Cafe").await;
    let (b, site_b, mb) = app.business("Beta Bakery").await;
    let (w1, t1) = app.worker("Wendy One", limits.clone()).await;
    let (w2, t2) = app.worker("Walter Two", limits.clone()).await;
    let (w3, t3) = app.worker("Wanda Three", limits.clone()).await;

    let monday = common::monday_after_next();
    let hour = |h: i64| -> Timestamp { monday.checked_add(h.hours()).expect("hour").timestamp() };
    let s_a1 = app.shift(&ma, Some(site_a), hour(9), 240, 3).await; // Monday
    let s_a2 = app.shift(&ma, Some(site_a), hour(24 + 9), 240, 1).await; // Tuesday
    let s_a3 = app.shift(&ma, Some(site_a), hour(48 + 9), 240, 2).await; // Wednesday, W1 and W2
    let s_b1 = app.shift(&mb, Some(site_b), hour(9), 240, 3).await; // Monday, only W2
    let s_b2 = app.shift(&mb, Some(site_b), hour(24 + 9), 240, 1).await; // Tuesday, W2's offer

    let book = |token: String, shift: i64, worker: i64, mode: &'static str| {
        let app = &app;
        async move {
            let v = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &token, Some(json!({"worker_id": worker, "mode": mode}))).await;
            v["id"].as_i64().expect("booking id")
        }
    };
    let bk_a1 = book(ma.clone(), s_a1, w1, "instant").await; // A's, W1's
    let of_a2 = book(ma.clone(), s_a2, w1, "offer").await; // A's offer to W1
    let bk_a3_w1 = book(ma.clone(), s_a3, w1, "instant").await;
    let bk_a3_w2 = book(ma.clone(), s_a3, w2, "instant").await;
    let bk_b1 = book(mb.clone(), s_b1, w2, "instant").await; // B's, W2's
    let of_b2 = book(mb.clone(), s_b2, w2, "offer").await; // B's offer to W2

    let token_id = |token: String| {
        let app = &app;
        async move {
            let list = app.ok(Method::GET, "/tokens", &token, None).await;
            *ids(&list).iter().next().expect("one token")
        }
    };
    let tok_b = token_id(mb.clone()).await;
    let tok_w2 = token_id(t2.clone()).await;
    // Spare tokens the callers may revoke themselves (positive controls for DELETE /tokens/{id}).
    let spare = |token: String| {
        let app = &app;
        async move {
            let me = app.ok(Method::GET, "/me", &token, None).await;
            let secret = auth::new_token().expect("token");
            let rec = app
                .store
                .create_token(UserId(me["id"].as_i64().expect("user id")), &auth::token_hash(&secret), "spare", Timestamp::now())
                .await
                .expect("spare token");
            rec.id
        }
    };
    let spare_a = spare(ma.clone()).await;
    let spare_w1 = spare(t1.clone()).await;

    let b_shifts = set(&[s_b1, s_b2]);
    let b_bookings = set(&[bk_b1, of_b2]);
    let a_shifts = set(&[s_a1, s_a2, s_a3]);
    let a_bookings = set(&[bk_a1, of_a2, bk_a3_w1, bk_a3_w2]);
    let w1_bookings = set(&[bk_a1, of_a2, bk_a3_w1]);
    let w2_bookings = set(&[bk_a3_w2, bk_b1, of_b2]);

    // ---- 2. Lists never leak, business against business. ----
    let b_events = app.ok(Method::GET, &format!("/businesses/{b}/events?limit=1000"), &mb, None).await;
    let b_seqs = field(&b_events, "seq");
    assert!(
        column(&b_events, "booking_id").contains(&Some(bk_b1)) && column(&b_events, "shift_id").contains(&Some(s_b1)),
        "B's own timeline should show its booking and shift: {b_events}"
    );
    let mut list_checks = 0;
    {
        let shifts = app.ok(Method::GET, "/shifts?limit=1000", &ma, None).await;
        all_of("A's GET /shifts", &ids(&shifts), &a_shifts);
        none_of("A's GET /shifts", &ids(&shifts), &b_shifts);
        assert!(column(&shifts, "business_id").iter().all(|x| *x == Some(a)), "A's GET /shifts: {shifts}");
        let shifts = app.ok(Method::GET, &format!("/shifts?business_id={b}"), &ma, None).await;
        assert_eq!(shifts, json!([]), "A's GET /shifts?business_id=B");

        let bookings = app.ok(Method::GET, "/bookings?limit=1000", &ma, None).await;
        all_of("A's GET /bookings", &ids(&bookings), &a_bookings);
        none_of("A's GET /bookings", &ids(&bookings), &b_bookings);
        assert!(column(&bookings, "business_id").iter().all(|x| *x == Some(a)), "A's GET /bookings: {bookings}");

        let events = app.ok(Method::GET, "/events?limit=1000", &ma, None).await;
        assert!(!field(&events, "seq").is_empty(), "A sees its own events");
        none_of("A's GET /events (seq)", &field(&events, "seq"), &b_seqs);
        assert!(column(&events, "business_id").iter().all(|x| *x == Some(a)), "A's GET /events: {events}");
        assert!(column(&events, "booking_id").contains(&Some(bk_a1)), "A's GET /events shows A's booking");
        let shift_ids: BTreeSet<i64> = column(&events, "shift_id").into_iter().flatten().collect();
        let booking_ids: BTreeSet<i64> = column(&events, "booking_id").into_iter().flatten().collect();
        none_of("A's GET /events (shift_id)", &shift_ids, &b_shifts);
        none_of("A's GET /events (booking_id)", &booking_ids, &b_bookings);
        let events = app.ok(Method::GET, &format!("/events?business_id={b}"), &ma, None).await;
        assert_eq!(events, json!([]), "A's GET /events?business_id=B");
        let own_timeline = app.ok(Method::GET, &format!("/businesses/{a}/events?limit=1000"), &ma, None).await;
        none_of("A's GET /businesses/A/events", &field(&own_timeline, "seq"), &b_seqs);

        let businesses = app.ok(Method::GET, "/businesses", &ma, None).await;
        assert_eq!(ids(&businesses), set(&[a]), "A's GET /businesses");

        // A may read W2's bookings only as far as they are A's.
        let w2_at_a = app.ok(Method::GET, &format!("/workers/{w2}/bookings"), &ma, None).await;
        assert_eq!(ids(&w2_at_a), set(&[bk_a3_w2]), "A's GET /workers/W2/bookings");
        list_checks += 9;
    }

    // ---- 3 (lists). A worker's lists hold nothing of another worker's. ----
    {
        let w2_events = app.ok(Method::GET, "/events?limit=1000", &t2, None).await;
        let w2_seqs = field(&w2_events, "seq");
        assert!(!w2_seqs.is_empty());

        let bookings = app.ok(Method::GET, "/bookings?limit=1000", &t1, None).await;
        assert_eq!(ids(&bookings), w1_bookings, "W1's GET /bookings");
        none_of("W1's GET /bookings", &ids(&bookings), &w2_bookings);
        assert!(column(&bookings, "worker_id").iter().all(|x| *x == Some(w1)));

        let events = app.ok(Method::GET, "/events?limit=1000", &t1, None).await;
        assert!(column(&events, "booking_id").contains(&Some(bk_a1)), "W1 sees its own booking events: {events}");
        assert!(column(&events, "worker_id").iter().all(|x| *x == Some(w1)), "W1's GET /events: {events}");
        none_of("W1's GET /events (seq)", &field(&events, "seq"), &w2_seqs);
        let events = app.ok(Method::GET, &format!("/events?worker_id={w2}"), &t1, None).await;
        assert_eq!(events, json!([]), "W1's GET /events?worker_id=W2");

        let shifts = app.ok(Method::GET, "/shifts?limit=1000", &t1, None).await;
        assert_eq!(ids(&shifts), a_shifts, "W1's GET /shifts: the shifts W1 holds a booking or offer on");
        none_of("W1's GET /shifts", &ids(&shifts), &b_shifts);

        // A shift both work: W1 sees only W1's booking on it.
        let shared = app.ok(Method::GET, &format!("/shifts/{s_a3}/bookings"), &t1, None).await;
        assert_eq!(ids(&shared), set(&[bk_a3_w1]), "W1's GET /shifts/{{shared}}/bookings");

        let own = app.ok(Method::GET, &format!("/workers/{w1}/bookings"), &t1, None).await;
        assert_eq!(ids(&own), w1_bookings, "W1's GET /workers/W1/bookings");
        let pay = app.ok(Method::GET, &format!("/workers/{w1}/pay"), &t1, None).await;
        let lines: BTreeSet<i64> = field(&pay["lines"], "booking_id");
        none_of("W1's pay", &lines, &w2_bookings);

        let businesses = app.ok(Method::GET, "/businesses", &t1, None).await;
        none_of("W1's GET /businesses", &ids(&businesses), &set(&[b]));
        list_checks += 9;
    }

    // ---- 1. Business A against business B, route by route. ----
    let mut p = Probe {
        app: &app,
        tokens: vec![ma.clone(), mb.clone(), t1.clone(), t2.clone(), t3.clone()],
        workers: vec![w1, w2, w3],
        businesses: vec![a, b],
        exercised: BTreeMap::new(),
        actions: BTreeSet::new(),
        refusals: 0,
        controls: 0,
    };
    let g = || Method::GET;
    let ab = "business A -> business B";

    for t in ["/businesses/{id}", "/businesses/{id}/sites", "/businesses/{id}/events", "/businesses/{id}/timeline"] {
        p.refused(ab, g(), t, &at(t, b), &at(t, GHOST), &ma, None, None).await;
        p.control(ab, g(), &at(t, a), &ma, None, StatusCode::OK).await;
    }
    let site = |name: &str| json!({"name": name, "zone": "Europe/London", "location": {"lat": 53.80, "lon": -1.55}});
    let t = "/businesses/{id}/sites";
    p.refused(ab, Method::POST, t, &at(t, b), &at(t, GHOST), &ma, Some(site("Hijack")), Some(site("Hijack"))).await;
    p.control(ab, Method::POST, &at(t, a), &ma, Some(site("Alpha York")), StatusCode::CREATED).await;

    let t = "/sites/{id}";
    p.refused(ab, g(), t, &at(t, site_b), &at(t, GHOST), &ma, None, None).await;
    p.control(ab, g(), &at(t, site_a), &ma, None, StatusCode::OK).await;
    // A site's labour policy is its business's to set; the control sets no rule.
    let t = "/sites/{id}/labour";
    let policy = json!({"max_consecutive_days": 1});
    p.refused(ab, Method::PUT, t, &at(t, site_b), &at(t, GHOST), &ma, Some(policy.clone()), Some(policy.clone())).await;
    p.control(ab, Method::PUT, &at(t, site_a), &ma, Some(json!({})), StatusCode::OK).await;

    for t in ["/shifts/{id}", "/shifts/{id}/bookings"] {
        p.refused(ab, g(), t, &at(t, s_b1), &at(t, GHOST), &ma, None, None).await;
        p.control(ab, g(), &at(t, s_a1), &ma, None, StatusCode::OK).await;
    }
    // Matching: candidates and explanations exist only for one's own shifts.
    for t in ["/shifts/{id}/candidates", "/shifts/{id}/explain"] {
        let q = format!("?worker_id={w1}");
        p.refused(ab, g(), t, &format!("{}{q}", at(t, s_b1)), &format!("{}{q}", at(t, GHOST)), &ma, None, None).await;
        p.control(ab, g(), &format!("{}{q}", at(t, s_a1)), &ma, None, StatusCode::OK).await;
    }
    let t = "/shifts/{id}/bookings";
    let instant = |w: i64| json!({"worker_id": w, "mode": "instant"});
    let offer = |w: i64| json!({"worker_id": w, "mode": "offer"});
    p.refused(ab, Method::POST, t, &at(t, s_b1), &at(t, GHOST), &ma, Some(instant(w3)), Some(instant(w3))).await;
    p.refused(ab, Method::POST, t, &at(t, s_b1), &at(t, GHOST), &ma, Some(offer(w3)), Some(offer(w3))).await;
    // The control books W3 on A's Monday shift; the action controls below work on it.
    let bk_a1_w3 = p.control(ab, Method::POST, &at(t, s_a1), &ma, Some(instant(w3)), StatusCode::CREATED).await["id"]
        .as_i64()
        .expect("id");

    let t = "/bookings/{id}";
    for foreign in [bk_b1, of_b2] {
        p.refused(ab, g(), t, &at(t, foreign), &at(t, GHOST), &ma, None, None).await;
    }
    p.control(ab, g(), &at(t, bk_a1), &ma, None, StatusCode::OK).await;

    // Every action, on B's confirmed booking and on B's offer. The control is
    // A's own confirmed booking: the route finds it, then the state machine or
    // the party rules answer (never 404).
    let t = "/bookings/{id}/{action}";
    for action in ACTIONS {
        for foreign in [bk_b1, of_b2] {
            p.refused(ab, Method::POST, t, &act(foreign, action), &act(GHOST, action), &ma, None, None).await;
        }
        p.actions.insert(action.to_string());
        let expect = match action {
            "accept" | "decline" | "expire" => StatusCode::FORBIDDEN, // a worker's or the exchange's move
            "withdraw" | "complete" => StatusCode::CONFLICT,          // not from `confirmed`
            "check-in" | "no-show" => StatusCode::CONFLICT,           // too early
            "cancel" => StatusCode::OK,
            other => panic!("no control for {other}"),
        };
        p.control(ab, Method::POST, &act(bk_a1_w3, action), &ma, None, expect).await;
    }

    // POST /shifts naming B.
    let shift_body = |business: i64, site: Option<i64>| {
        json!({
            "business_id": business, "site_id": site, "start": hour(72 + 9), "end": hour(72 + 13), "headcount": 1,
            "skills": [{"skill": "barista", "level": 2}],
            "pay_rate": {"amount": "13.50", "currency": "GBP"},
            "bill_rate": {"amount": "17.25", "currency": "GBP"}
        })
    };
    p.refused(ab, Method::POST, "/shifts", "/shifts", "/shifts", &ma, Some(shift_body(b, Some(site_b))), Some(shift_body(GHOST, Some(site_b))))
        .await;
    p.refused(ab, Method::POST, "/shifts", "/shifts", "/shifts", &ma, Some(shift_body(b, None)), Some(shift_body(GHOST, None))).await;
    p.control(ab, Method::POST, "/shifts", &ma, Some(shift_body(a, Some(site_a))), StatusCode::CREATED).await;
    // A's own business with B's site: refused by name, nothing written.
    {
        let before = p.fingerprint().await;
        let r = send(&app, Method::POST, "/shifts", &ma, Some(&shift_body(a, Some(site_b)))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "A posting on B's site: {}", r.body);
        assert_eq!(r.body["errors"][0]["field"], "site_id", "{}", r.body);
        let ghost = send(&app, Method::POST, "/shifts", &ma, Some(&shift_body(a, Some(GHOST)))).await;
        assert_eq!(ghost.status, r.status);
        assert_eq!(p.fingerprint().await, before, "A posting on B's site wrote something");
    }

    // A business never edits a worker or sees their pay: not the worker it
    // booked (W1), not one it never met at B (W2).
    let profile = app.ok(Method::GET, &format!("/workers/{w1}"), &t1, None).await;
    let mut input = profile.clone();
    input.as_object_mut().expect("object").remove("id");
    let mut hijack = input.clone();
    hijack["name"] = json!("Hijacked");
    let mut hijack_limits = profile["limits"].clone();
    hijack_limits["max_minutes_per_week"] = json!(1500);
    let mut hijack_availability = profile["availability"].clone();
    hijack_availability["weekly"].as_array_mut().expect("weekly").pop();
    let mut hijack_skills = profile["skills"].clone();
    hijack_skills[0]["claimed"] = json!(2);
    let puts: [(&str, Value, Value); 4] = [
        ("/workers/{id}", hijack.clone(), input.clone()),
        ("/workers/{id}/availability", hijack_availability.clone(), profile["availability"].clone()),
        ("/workers/{id}/limits", hijack_limits.clone(), profile["limits"].clone()),
        ("/workers/{id}/skills", hijack_skills.clone(), profile["skills"].clone()),
    ];
    let aw = "business A -> workers";
    for (t, bad, own) in &puts {
        for target in [w1, w2] {
            p.refused(aw, Method::PUT, t, &at(t, target), &at(t, GHOST), &ma, Some(bad.clone()), Some(bad.clone())).await;
        }
        // Control: the worker themself, with their own unchanged values.
        let saved = p.control("W1 own", Method::PUT, &at(t, w1), &t1, Some(own.clone()), StatusCode::OK).await;
        assert_eq!(saved, profile, "W1 re-saving {t} should change nothing");
    }
    for t in ["/workers/{id}/pay", "/workers/{id}/timeline"] {
        // Even the worker business A booked (W1) keeps their pay and timeline to themself.
        for target in [w1, w2] {
            p.refused(aw, g(), t, &at(t, target), &at(t, GHOST), &ma, None, None).await;
        }
        p.control("W1 own", g(), &at(t, w1), &t1, None, StatusCode::OK).await;
    }

    // Tokens: B's member's token is not A's to revoke.
    let t = "/tokens/{id}";
    p.refused(ab, Method::DELETE, t, &at(t, tok_b), &at(t, GHOST), &ma, None, None).await;
    app.ok(Method::GET, "/me", &mb, None).await; // B's token still works
    p.control(ab, Method::DELETE, &at(t, spare_a), &ma, None, StatusCode::NO_CONTENT).await;

    // POST /businesses/{id} is not a route: whatever it answers, it answers the
    // same for B, for A and for nobody, and writes nothing.
    {
        let body = json!({"name": "Renamed", "zone": "Europe/London", "currency": "GBP"});
        let before = p.fingerprint().await;
        let foreign = send(&app, Method::POST, &format!("/businesses/{b}"), &ma, Some(&body)).await;
        let own = send(&app, Method::POST, &format!("/businesses/{a}"), &ma, Some(&body)).await;
        let ghost = send(&app, Method::POST, &format!("/businesses/{GHOST}"), &ma, Some(&body)).await;
        assert!(foreign.status.is_client_error(), "POST /businesses/B -> {} {}", foreign.status, foreign.body);
        assert_eq!((foreign.status, &foreign.body), (own.status, &own.body));
        assert_eq!((foreign.status, &foreign.body), (ghost.status, &ghost.body));
        assert_eq!(p.fingerprint().await, before, "POST /businesses/B wrote something");
        eprintln!("note: POST /businesses/{{id}} is not a route; it answers {} {:?}", foreign.status, foreign.content_type);
        p.exercised.entry(("POST".into(), "/businesses/{id}".into())).or_default().insert(ab.into());
        p.refusals += 1;
    }

    // Offer waves and their settings belong to the shift's business. The
    // controls run on A's Wednesday shift, which is already full, so starting
    // waves there sends no offers and disturbs nothing else in this test.
    let t = "/shifts/{id}/waves";
    p.refused(ab, Method::POST, t, &at(t, s_b1), &at(t, GHOST), &ma, Some(json!({})), Some(json!({}))).await;
    p.refused(ab, g(), t, &at(t, s_b1), &at(t, GHOST), &ma, None, None).await;
    p.refused(ab, Method::DELETE, t, &at(t, s_b1), &at(t, GHOST), &ma, None, None).await;
    p.control(ab, Method::POST, &at(t, s_a3), &ma, Some(json!({})), StatusCode::CREATED).await;
    p.control(ab, g(), &at(t, s_a3), &ma, None, StatusCode::OK).await;
    p.control(ab, Method::DELETE, &at(t, s_a3), &ma, None, StatusCode::CONFLICT).await;
    let t = "/businesses/{id}/wave-settings";
    let settings = json!({"size": 4, "interval_minutes": 15, "order": "reliability"});
    p.refused(ab, Method::PUT, t, &at(t, b), &at(t, GHOST), &ma, Some(settings.clone()), Some(settings.clone())).await;
    p.control(ab, Method::PUT, &at(t, a), &ma, Some(settings), StatusCode::OK).await;
    let t = "/businesses/{id}/remote-rule";
    let rule = json!({"onsite_before_remote": 2});
    p.refused(ab, Method::PUT, t, &at(t, b), &at(t, GHOST), &ma, Some(rule.clone()), Some(rule.clone())).await;
    p.control(ab, Method::PUT, &at(t, a), &ma, Some(json!({"onsite_before_remote": 0})), StatusCode::OK).await;

    // Rosters are proposed and applied only for one's own business.
    let t = "/businesses/{id}/roster/propose";
    let week = json!({"from": hour(0), "seconds": 0.5});
    p.refused(ab, Method::POST, t, &at(t, b), &at(t, GHOST), &ma, Some(week.clone()), Some(week.clone())).await;
    p.control(ab, Method::POST, &at(t, a), &ma, Some(week), StatusCode::OK).await;
    let t = "/businesses/{id}/roster/apply";
    let plan = json!({"assignments": [{"shift_id": s_a3, "worker_id": w3}], "mode": "instant"});
    p.refused(ab, Method::POST, t, &at(t, b), &at(t, GHOST), &ma, Some(plan.clone()), Some(plan.clone())).await;
    // A's own roster naming B's shift is refused exactly as one naming no
    // shift at all (422 on the field, the same words), and writes nothing.
    let foreign_plan = json!({"assignments": [{"shift_id": s_b1, "worker_id": w3}], "mode": "instant"});
    let ghost_plan = json!({"assignments": [{"shift_id": GHOST, "worker_id": w3}], "mode": "instant"});
    let (s1, foreign) = app.call(Method::POST, &at(t, a), Some(ma.as_str()), Some(foreign_plan.clone())).await;
    let (s2, ghost) = app.call(Method::POST, &at(t, a), Some(ma.as_str()), Some(ghost_plan)).await;
    assert_eq!((s1, &foreign), (s2, &ghost), "a foreign shift must read like a missing one");
    p.control(ab, Method::POST, &at(t, a), &ma, Some(foreign_plan), StatusCode::UNPROCESSABLE_ENTITY).await;
    // The control: A's full Wednesday shift refuses the booking by headcount, not 404.
    p.control(ab, Method::POST, &at(t, a), &ma, Some(plan), StatusCode::CONFLICT).await;

    // ---- 3. Worker W1 against worker W2. ----
    let ww = "worker W1 -> worker W2";
    for t in ["/workers/{id}", "/workers/{id}/bookings", "/workers/{id}/pay", "/workers/{id}/timeline"] {
        p.refused(ww, g(), t, &at(t, w2), &at(t, GHOST), &t1, None, None).await;
        p.control(ww, g(), &at(t, w1), &t1, None, StatusCode::OK).await;
    }
    for (t, bad, own) in &puts {
        p.refused(ww, Method::PUT, t, &at(t, w2), &at(t, GHOST), &t1, Some(bad.clone()), Some(bad.clone())).await;
        p.control(ww, Method::PUT, &at(t, w1), &t1, Some(own.clone()), StatusCode::OK).await;
    }
    let t = "/bookings/{id}";
    for foreign in [bk_b1, of_b2, bk_a3_w2] {
        p.refused(ww, g(), t, &at(t, foreign), &at(t, GHOST), &t1, None, None).await;
    }
    p.control(ww, g(), &at(t, bk_a1), &t1, None, StatusCode::OK).await;
    // Matching: a worker's fitting shifts and explanations are their own.
    let t = "/workers/{id}/shifts";
    p.refused(ww, g(), t, &at(t, w2), &at(t, GHOST), &t1, None, None).await;
    p.control(ww, g(), &at(t, w1), &t1, None, StatusCode::OK).await;
    // Another worker's public profile does not exist for a worker; their own does.
    let t = "/workers/{id}/public";
    p.refused(ww, g(), t, &at(t, w2), &at(t, GHOST), &t1, None, None).await;
    p.control(ww, g(), &at(t, w1), &t1, None, StatusCode::OK).await;
    // Grading is the exchange's: a worker is refused before any lookup (own, other or ghost alike).
    let t = "/workers/{id}/assessments";
    let grade = json!({"skill": "barista", "level": 5});
    p.refused_with(ww, Method::POST, t, &at(t, w2), &at(t, GHOST), &t1, Some(grade.clone()), Some(grade.clone()), StatusCode::FORBIDDEN).await;
    p.control(ww, Method::POST, &at(t, w1), &t1, Some(grade.clone()), StatusCode::FORBIDDEN).await;
    let t = "/shifts/{id}/explain";
    let (foreign, ghost, own) = (format!("?worker_id={w2}"), format!("?worker_id={GHOST}"), format!("?worker_id={w1}"));
    p.refused(ww, g(), t, &format!("{}{foreign}", at(t, s_a1)), &format!("{}{ghost}", at(t, s_a1)), &t1, None, None).await;
    p.control(ww, g(), &format!("{}{own}", at(t, s_a1)), &t1, None, StatusCode::OK).await;
    // The worker's why-not is theirs alone; businesses have explain instead.
    let t = "/shifts/{id}/why-not";
    p.refused(ww, g(), t, &format!("{}{foreign}", at(t, s_a1)), &format!("{}{ghost}", at(t, s_a1)), &t1, None, None).await;
    p.control(ww, g(), &at(t, s_a1), &t1, None, StatusCode::OK).await;
    p.refused_with("business A -> a worker's why-not", g(), t, &at(t, s_b1), &at(t, GHOST), &ma, None, None, StatusCode::FORBIDDEN).await;
    let t = "/shifts/{id}";
    p.refused(ww, g(), t, &at(t, s_b1), &at(t, GHOST), &t1, None, None).await; // only W2 is booked on it
    p.control(ww, g(), &at(t, s_a1), &t1, None, StatusCode::OK).await;
    let t = "/shifts/{id}/bookings";
    p.refused(ww, g(), t, &at(t, s_b1), &at(t, GHOST), &t1, None, None).await;
    p.control(ww, g(), &at(t, s_a1), &t1, None, StatusCode::OK).await;
    // Every action on W2's offer and W2's confirmed booking. Controls on W1's own:
    // accept W1's offer and cancel W1's booking succeed; the rest are answered
    // by the state machine or the party rules.
    let t = "/bookings/{id}/{action}";
    for action in ACTIONS {
        for foreign in [of_b2, bk_b1, bk_a3_w2] {
            p.refused(ww, Method::POST, t, &act(foreign, action), &act(GHOST, action), &t1, None, None).await;
        }
        let (own, expect) = match action {
            "accept" => (of_a2, StatusCode::OK),
            "cancel" => (bk_a1, StatusCode::OK),
            // The worker checks out themselves: only after checking in.
            "decline" | "check-in" | "complete" => (bk_a3_w1, StatusCode::CONFLICT),
            "withdraw" | "no-show" | "expire" => (bk_a3_w1, StatusCode::FORBIDDEN),
            other => panic!("no control for {other}"),
        };
        p.control(ww, Method::POST, &act(own, action), &t1, None, expect).await;
    }
    let t = "/tokens/{id}";
    p.refused(ww, Method::DELETE, t, &at(t, tok_w2), &at(t, GHOST), &t1, None, None).await;
    app.ok(Method::GET, "/me", &t2, None).await; // W2's token still works
    p.control(ww, Method::DELETE, &at(t, spare_w1), &t1, None, StatusCode::NO_CONTENT).await;
    reputation::walk(&mut p, w1, &t1, w2, &t2).await;

    // ---- Worker W1 against business B's resources (W1 has never worked for B). ----
    let wb = "worker W1 -> business B";
    for t in ["/businesses/{id}", "/businesses/{id}/sites", "/businesses/{id}/events", "/businesses/{id}/timeline"] {
        p.refused(wb, g(), t, &at(t, b), &at(t, GHOST), &t1, None, None).await;
        p.control("business B own", g(), &at(t, b), &mb, None, StatusCode::OK).await;
    }
    let t = "/businesses/{id}/sites";
    p.refused(wb, Method::POST, t, &at(t, b), &at(t, GHOST), &t1, Some(site("Hijack")), Some(site("Hijack"))).await;
    let t = "/sites/{id}";
    p.refused(wb, g(), t, &at(t, site_b), &at(t, GHOST), &t1, None, None).await;
    p.control("business B own", g(), &at(t, site_b), &mb, None, StatusCode::OK).await;
    let t = "/sites/{id}/labour";
    p.refused(wb, Method::PUT, t, &at(t, site_b), &at(t, GHOST), &t1, Some(json!({"max_consecutive_days": 1})), Some(json!({"max_consecutive_days": 1}))).await;

    // A worker cannot book anyone onto any shift; the answer is the same for
    // B's shift, a missing shift, another worker and a missing worker, so it
    // reveals no ids, and nothing is written.
    let mut replies = Vec::new();
    for (shift, body) in [(s_b1, instant(w1)), (s_b1, offer(w2)), (GHOST, instant(w1)), (s_b1, offer(GHOST))] {
        let before = p.fingerprint().await;
        let r = send(&app, Method::POST, &format!("/shifts/{shift}/bookings"), &t1, Some(&body)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "W1 booking onto shift {shift} with {body}: {}", r.body);
        assert_eq!(p.fingerprint().await, before, "W1 booking onto shift {shift} with {body} wrote something");
        replies.push(r.body.to_string());
    }
    assert!(replies.windows(2).all(|w| w[0] == w[1]), "replies differ, revealing ids: {replies:?}");

    // ---- After the work: billing terms, timesheets, ratings, documents, feeds. ----
    // Both businesses count any cancellation within 14 days as late, so a
    // cancelled booking leaves an approved late-cancellation timesheet to bill and pay.
    let billing = |name: &str| {
        json!({"policy": {"period": "weekly", "review_hours": 24, "cancellation_notice_minutes": 20160,
            "late_cancellation_pay_percent": "50", "fee_percent": "15", "tax_category": "standard", "tax_percent": "20",
            "premiums": {"night_percent": "0", "weekend_percent": "0", "short_notice_percent": "0", "short_notice_hours": 0}},
         "party": {"name": name, "street": "1 High Street", "city": "Leeds", "postcode": "LS1 1AA", "country": "GB",
            "vat_id": "GB123456789", "endpoint_scheme": "0088", "endpoint_id": "5060000000016"}})
    };
    let t = "/businesses/{id}/billing";
    p.refused(ab, g(), t, &at(t, b), &at(t, GHOST), &ma, None, None).await;
    p.refused(ab, Method::PUT, t, &at(t, b), &at(t, GHOST), &ma, Some(billing("Hijack")), Some(billing("Hijack"))).await;
    p.control(ab, Method::PUT, &at(t, a), &ma, Some(billing("Alpha Cafe Ltd")), StatusCode::OK).await;
    p.control(ab, g(), &at(t, a), &ma, None, StatusCode::OK).await;
    app.ok(Method::PUT, &at(t, b), &mb, Some(billing("Beta Bakery Ltd"))).await;
    let s_a4 = app.shift(&ma, Some(site_a), hour(72 + 9), 240, 1).await; // Thursday
    let s_b3 = app.shift(&mb, Some(site_b), hour(96 + 9), 240, 1).await; // Friday
    let bk_a4 = book(ma.clone(), s_a4, w3, "instant").await;
    let bk_b3 = book(mb.clone(), s_b3, w2, "instant").await;
    app.ok(Method::POST, &act(bk_a4, "cancel"), &ma, None).await;
    app.ok(Method::POST, &act(bk_b3, "cancel"), &mb, None).await;
    let only = |v: Value| -> i64 {
        let list = ids(&v);
        assert_eq!(list.len(), 1, "one timesheet expected: {v}");
        *list.iter().next().expect("id")
    };
    let ts_a = only(app.ok(Method::GET, "/timesheets", &ma, None).await);
    let ts_b = only(app.ok(Method::GET, "/timesheets", &mb, None).await);
    // Invoices and pay statements as the billing run would issue them once the periods end.
    let later = Timestamp::now().checked_add(jiff::SignedDuration::from_hours(60 * 24)).expect("later");
    let seller = slivers_exchange::billing::exchange_party();
    let sys = slivers_store::Actor::system();
    let inv_a = app.store.issue_invoices(slivers_core::ids::BusinessId(a), &seller, &sys, later).await.expect("invoice A")[0].id;
    let inv_b = app.store.issue_invoices(slivers_core::ids::BusinessId(b), &seller, &sys, later).await.expect("invoice B")[0].id;
    let pay_w3 = app.store.issue_pay_statements(slivers_core::ids::WorkerId(w3), &sys, later).await.expect("pay W3")[0].id;
    let pay_w2 = app.store.issue_pay_statements(slivers_core::ids::WorkerId(w2), &sys, later).await.expect("pay W2")[0].id;
    let feed_a = app.ok(Method::POST, "/calendar-feeds", &ma, None).await["feed"]["id"].as_i64().expect("feed");
    let feed_b = app.ok(Method::POST, "/calendar-feeds", &mb, None).await["feed"]["id"].as_i64().expect("feed");

    let t = "/timesheets/{id}";
    p.refused(ab, g(), t, &at(t, ts_b), &at(t, GHOST), &ma, None, None).await;
    p.control(ab, g(), &at(t, ts_a), &ma, None, StatusCode::OK).await;
    p.refused(ww, g(), t, &at(t, ts_b), &at(t, GHOST), &t1, None, None).await;
    p.control("W3 own", g(), &at(t, ts_a), &t3, None, StatusCode::OK).await;
    let t = "/timesheets/{id}/review";
    let confirm = json!({"action": "confirm"});
    p.refused(ab, Method::POST, t, &at(t, ts_b), &at(t, GHOST), &ma, Some(confirm.clone()), Some(confirm.clone())).await;
    p.control(ab, Method::POST, &at(t, ts_a), &ma, Some(confirm), StatusCode::CONFLICT).await; // already approved
    let t = "/bookings/{id}/attendance";
    let clock_in = json!({"clock": "check_in"});
    p.refused(ab, Method::POST, t, &at(t, bk_b1), &at(t, GHOST), &ma, Some(clock_in.clone()), Some(clock_in.clone())).await;
    p.refused(ww, Method::POST, t, &at(t, bk_b1), &at(t, GHOST), &t1, Some(clock_in.clone()), Some(clock_in.clone())).await;
    p.control(ab, Method::POST, &at(t, bk_a1), &ma, Some(clock_in), StatusCode::CONFLICT).await; // too early
    let t = "/bookings/{id}/rating";
    let stars = json!({"stars": 5});
    for m in [Method::POST, Method::PUT] {
        p.refused(ab, m.clone(), t, &at(t, bk_b1), &at(t, GHOST), &ma, Some(stars.clone()), Some(stars.clone())).await;
        p.refused(ww, m.clone(), t, &at(t, bk_b1), &at(t, GHOST), &t1, Some(stars.clone()), Some(stars.clone())).await;
        p.control(ab, m, &at(t, bk_a1), &ma, Some(stars.clone()), StatusCode::CONFLICT).await; // not completed
    }
    for t in ["/documents/{id}", "/documents/{id}/ubl", "/documents/{id}/print"] {
        p.refused(ab, g(), t, &at(t, inv_b), &at(t, GHOST), &ma, None, None).await;
        p.refused(ww, g(), t, &at(t, inv_b), &at(t, GHOST), &t1, None, None).await;
        p.control(ab, g(), &at(t, inv_a), &ma, None, StatusCode::OK).await;
    }
    // Credit notes are the exchange's: a business is refused before any lookup.
    let t = "/documents/{id}/credit";
    let why = json!({"reason": "hijack"});
    p.refused_with(ab, Method::POST, t, &at(t, inv_b), &at(t, GHOST), &ma, Some(why.clone()), Some(why.clone()), StatusCode::FORBIDDEN).await;
    p.control(ab, Method::POST, &at(t, inv_a), &ma, Some(why), StatusCode::FORBIDDEN).await;
    for t in ["/pay-statements/{id}", "/pay-statements/{id}/print"] {
        p.refused(ww, g(), t, &at(t, pay_w2), &at(t, GHOST), &t1, None, None).await;
        p.refused(ab, g(), t, &at(t, pay_w2), &at(t, GHOST), &ma, None, None).await;
        p.control("W3 own", g(), &at(t, pay_w3), &t3, None, StatusCode::OK).await;
    }
    let t = "/calendar-feeds/{id}";
    p.refused(ab, Method::DELETE, t, &at(t, feed_b), &at(t, GHOST), &ma, None, None).await;
    p.control(ab, Method::DELETE, &at(t, feed_a), &ma, None, StatusCode::NO_CONTENT).await;
    // Webhooks: endpoints, secrets and delivery logs are the business's own.
    let hook = json!({"url": "http://127.0.0.1:9/hijack", "event_types": "*"});
    let ep_a = app.ok(Method::POST, &format!("/businesses/{a}/webhooks"), &ma, Some(json!({"url": "http://127.0.0.1:9/a"}))).await["id"].as_i64().expect("endpoint");
    let ep_b = app.ok(Method::POST, &format!("/businesses/{b}/webhooks"), &mb, Some(json!({"url": "http://127.0.0.1:9/b"}))).await["id"].as_i64().expect("endpoint");
    let later_start = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(24 * 30);
    app.shift(&ma, Some(site_a), later_start, 60, 1).await;
    app.shift(&mb, Some(site_b), later_start, 60, 1).await;
    let first = |v: Value| v[0]["id"].as_i64().expect("a delivery");
    let dl_a = first(app.ok(Method::GET, &format!("/webhooks/{ep_a}/deliveries"), &ma, None).await);
    let dl_b = first(app.ok(Method::GET, &format!("/webhooks/{ep_b}/deliveries"), &mb, None).await);
    let t = "/businesses/{id}/webhooks";
    p.refused(ab, g(), t, &at(t, b), &at(t, GHOST), &ma, None, None).await;
    p.refused(ab, Method::POST, t, &at(t, b), &at(t, GHOST), &ma, Some(hook.clone()), Some(hook.clone())).await;
    p.refused_with(ww, Method::POST, t, &at(t, b), &at(t, GHOST), &t1, Some(hook.clone()), Some(hook.clone()), StatusCode::FORBIDDEN).await;
    p.control(ab, g(), &at(t, a), &ma, None, StatusCode::OK).await;
    let t = "/webhooks/{id}";
    p.refused(ab, Method::PATCH, t, &at(t, ep_b), &at(t, GHOST), &ma, Some(hook.clone()), Some(hook.clone())).await;
    p.control(ab, Method::PATCH, &at(t, ep_a), &ma, Some(json!({"enabled": true})), StatusCode::OK).await;
    for (t, own, foreign) in [("/webhooks/{id}/deliveries", ep_a, ep_b), ("/webhook-deliveries/{id}/attempts", dl_a, dl_b)] {
        p.refused(ab, g(), t, &at(t, foreign), &at(t, GHOST), &ma, None, None).await;
        p.refused_with(ww, g(), t, &at(t, foreign), &at(t, GHOST), &t1, None, None, StatusCode::FORBIDDEN).await;
        p.control(ab, g(), &at(t, own), &ma, None, StatusCode::OK).await;
    }
    let t = "/webhooks/{id}/rotate-secret";
    p.refused(ab, Method::POST, t, &at(t, ep_b), &at(t, GHOST), &ma, None, None).await;
    p.control(ab, Method::POST, &at(t, ep_a), &ma, None, StatusCode::OK).await;
    // Lists: A's documents and timesheets are A's alone.
    let docs = app.ok(Method::GET, "/documents", &ma, None).await;
    assert_eq!(ids(&docs), set(&[inv_a]), "A's GET /documents");
    let docs = app.ok(Method::GET, "/documents", &t1, None).await;
    assert_eq!(docs, json!([]), "W1's GET /documents");
    let sheets = app.ok(Method::GET, "/timesheets", &t1, None).await;
    assert_eq!(sheets, json!([]), "W1's GET /timesheets");
    list_checks += 3;

    // ---- Talking with customers: inquiries, the board, booking messages (tenancy/contact.rs). ----
    let known = contact::Ids { a, ma: ma.clone(), mb: mb.clone(), t1: t1.clone(), t2: t2.clone(), bk_a1, of_a2, bk_a3_w2, bk_b1, of_b2 };
    list_checks += contact::walk(&mut p, &known).await;

    // ---- Assessments and portfolio review (tenancy/assessments.rs). ----
    let known = assessments::Ids { ma: ma.clone(), mb: mb.clone(), t1: t1.clone(), t2: t2.clone(), w1, w2 };
    list_checks += assessments::walk(&mut p, &known).await;

    // ---- 4. Coverage: every OpenAPI route with an {id} was exercised. ----
    let spec = app.ok(Method::GET, "/openapi.json", &op, None).await;
    let paths = spec["paths"].as_object().expect("paths");
    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in paths {
        if !path.contains("{id}") {
            continue;
        }
        for m in ["get", "put", "post", "delete", "patch", "head", "options", "trace"] {
            if item.get(m).is_some() {
                documented.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(documented.len() >= 18, "the OpenAPI document lists too few id routes: {documented:?}");
    let covered: BTreeSet<(String, String)> = p.exercised.keys().cloned().collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(missing.is_empty(), "routes with an id and no tenancy test: {missing:?}");
    // The actions the document names must each have been tried on a foreign booking.
    let op_doc = &paths["/bookings/{id}/{action}"]["post"];
    let text = format!("{} {}", op_doc["summary"].as_str().unwrap_or(""), op_doc["description"].as_str().unwrap_or(""));
    let documented_actions: BTreeSet<String> = text.split('`').skip(1).step_by(2).map(str::to_string).collect();
    assert!(!documented_actions.is_empty(), "no actions named in {text:?}");
    let missing: Vec<_> = documented_actions.difference(&p.actions).collect();
    assert!(missing.is_empty(), "booking actions with no tenancy test: {missing:?}");

    eprintln!("tenancy coverage ({} documented id routes):", documented.len());
    for ((m, path), who) in &p.exercised {
        let mark = if documented.contains(&(m.clone(), path.clone())) {
            ""
        } else if paths.get(path.as_str()).is_some_and(|item| item.get(m.to_lowercase()).is_some()) {
            "  (id in the body)"
        } else {
            "  (not a route)"
        };
        eprintln!("  {m:6} {path:32} {}{mark}", who.iter().cloned().collect::<Vec<_>>().join("; "));
    }
    eprintln!(
        "{} refusals (each with a ghost-id twin and a state fingerprint), {} positive controls, {} list checks, {} actions, in {:?}",
        p.refusals,
        p.controls,
        list_checks,
        p.actions.len(),
        started.elapsed()
    );
}
