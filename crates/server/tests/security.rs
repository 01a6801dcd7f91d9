//! Security basics (issue 14.5) over a real server, on SQLite and PostgreSQL:
//!
//! * the API's token endpoint is rate-limited like the portal's sign-in (429
//!   problem document, even for the right password, per email and address);
//! * sessions rotate on sign-in (the old cookie stops working) and end after
//!   two idle hours or a week, judged by the server on a simulated clock;
//! * every response carries the security headers, with a CSP that allows no
//!   inline script, and no template holds an inline script or handler;
//! * operators' actions are in `GET /audit`, naming the operator, readable
//!   by operators alone; no route of the OpenAPI document edits events.
//!
//! The limiter shared by two server processes is `cli/tests/two_servers.rs`;
//! argon2 off the async workers is `exchange::credentials`' unit test.

mod common;

use std::sync::atomic::Ordering;

use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_store::testing::TestDb;

use common::portal::{client, post_sign_in, set_cookie, sign_in};
use common::TestApp;

on_both_databases!(
    the_token_endpoint_is_rate_limited_per_email,
    every_response_carries_the_security_headers,
    operators_actions_are_in_an_audit_log_only_operators_read,
);
flow_on_both_databases!(sqlite_sessions_rotate_and_expire, postgres_sessions_rotate_and_expire, sessions_rotate_and_expire);

const PASSWORD: &str = "test-password-123";

async fn the_token_endpoint_is_rate_limited_per_email(app: TestApp) {
    let email = "limited@test.example";
    let _ = app.user(email, slivers_store::Role::Worker, None, None).await;
    let attempt = |password: &'static str| app.call(Method::POST, "/tokens", None, Some(json!({"email": email, "password": password})));
    for i in 0..5 {
        let (status, body) = attempt("wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}: {body}");
    }
    let (status, body) = attempt(PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the right password is refused while limited: {body}");
    assert_eq!(body["status"], 429);
    assert!(body["type"].as_str().is_some_and(|t| t.contains("too-many-requests")), "{body}");
    // Other accounts are unaffected, and case does not dodge the limit.
    let op = app.call(Method::POST, "/tokens", None, Some(json!({"email": "operator@test.example", "password": PASSWORD}))).await;
    assert_eq!(op.0, StatusCode::CREATED, "{}", op.1);
    let upper = app.call(Method::POST, "/tokens", None, Some(json!({"email": email.to_uppercase(), "password": PASSWORD}))).await;
    assert_eq!(upper.0, StatusCode::TOO_MANY_REQUESTS);
    // The same count holds for the portal's sign-in form: one limiter.
    let res = post_sign_in(&app.base, email, PASSWORD, None).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // The document declares the 429.
    let spec = app.ok(Method::GET, "/openapi.json", &app.operator, None).await;
    assert!(spec["paths"]["/tokens"]["post"]["responses"].get("429").is_some(), "POST /tokens documents its 429");
}

/// The CSP's directive `name`, if present.
fn directive<'a>(csp: &'a str, name: &str) -> Option<&'a str> {
    csp.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name))
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let c = client();
    let urls = [
        ("API JSON", Method::GET, "/api/v1/me", true),
        ("API problem", Method::GET, "/api/v1/shifts/999999", true),
        ("API without a token", Method::GET, "/api/v1/me", false),
        ("OpenAPI document", Method::GET, "/api/v1/openapi.json", false),
        ("API docs", Method::GET, "/api/docs", false),
        ("portal page", Method::GET, "/signin", false),
        ("portal redirect", Method::GET, "/w", false),
        ("portal public page", Method::GET, "/market", false),
        ("static script", Method::GET, "/static/portal.js", false),
        ("unrouted", Method::GET, "/no/such/page", false),
        ("wrong method", Method::DELETE, "/signin", false),
        ("health", Method::GET, "/healthz", false),
        ("metrics", Method::GET, "/metrics", false),
    ];
    for (what, method, path, token) in urls {
        let mut req = c.request(method, format!("{}{path}", app.base));
        if token {
            req = req.bearer_auth(&app.operator);
        }
        let res = req.send().await.expect("send");
        assert!(res.status() != StatusCode::INTERNAL_SERVER_ERROR, "{what}");
        let h = res.headers();
        let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("{what} ({path}) lacks {n}")).to_string();
        assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(get("referrer-policy"), "same-origin", "{what}");
        assert_eq!(get("x-frame-options"), "DENY", "{what}");
        let csp = get("content-security-policy");
        assert_eq!(directive(&csp, "frame-ancestors"), Some("frame-ancestors 'none'"), "{what}: {csp}");
        let scripts = directive(&csp, "script-src").or_else(|| directive(&csp, "default-src")).expect("a script policy");
        assert!(!scripts.contains("unsafe-inline") && !scripts.contains("unsafe-eval") && !scripts.contains('*'), "{what}: {csp}");
        assert!(directive(&csp, "script-src").is_some_and(|d| d == "script-src 'self'") || directive(&csp, "default-src") == Some("default-src 'none'"), "{what}: {csp}");
    }
    // The policy can hold because no template has an inline script or event handler.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut checked = 0;
    for entry in walk(&dir) {
        let text = std::fs::read_to_string(&entry).expect("template");
        let lower = text.to_lowercase();
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').expect("tag end")];
            assert!(tag.contains(" src="), "{}: an inline <script>", entry.display());
        }
        let handler = lower.split(|ch: char| ch.is_whitespace()).find(|w| w.starts_with("on") && w.contains('=') && w[2..w.find('=').unwrap_or(2)].chars().all(|ch| ch.is_ascii_lowercase()) && w.find('=').unwrap_or(0) > 2);
        assert!(handler.is_none(), "{}: an inline event handler {handler:?}", entry.display());
        assert!(!lower.contains("javascript:"), "{}: a javascript: URL", entry.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} templates");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

async fn sessions_rotate_and_expire(db: TestDb) {
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let email = "rotating@test.example";
    app.user(email, slivers_store::Role::Operator, None, None).await;
    let c = client();
    let home = |cookie: String| c.get(format!("{}/op", app.base)).header(COOKIE, cookie).send();
    let signed_in = |res: reqwest::Response| async move { res.status() == StatusCode::OK };

    // Rotation: signing in again with the old cookie gives a new session and ends the old one.
    let (first, _) = sign_in(&app.base, email, PASSWORD).await;
    assert!(signed_in(home(first.clone()).await.expect("home")).await);
    let res = post_sign_in(&app.base, email, PASSWORD, Some(&first)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (second, _) = set_cookie(&res, "slivers_session").expect("a new session");
    assert_ne!(first, second, "a new session id at every sign-in");
    let old = home(first.clone()).await.expect("home");
    assert_eq!((old.status(), old.headers()["location"].to_str().ok()), (StatusCode::SEE_OTHER, Some("/signin")), "the old cookie stopped working");
    assert!(signed_in(home(second.clone()).await.expect("home")).await);

    // Idle: used every 1 h 50 min it lives; two idle hours end it, server-side.
    let advance = |s: i64| secs.fetch_add(s, Ordering::SeqCst);
    for _ in 0..3 {
        advance(110 * 60);
        assert!(signed_in(home(second.clone()).await.expect("home")).await, "in use, not idle");
    }
    advance(2 * 3600);
    assert_eq!(home(second.clone()).await.expect("home").status(), StatusCode::SEE_OTHER, "idle two hours: ended");
    advance(-2 * 3600);
    assert_eq!(home(second.clone()).await.expect("home").status(), StatusCode::SEE_OTHER, "an idle session is deleted, not just hidden");

    // Absolute: however busy, a session ends a week after sign-in.
    let (third, _) = sign_in(&app.base, email, PASSWORD).await;
    let mut alive = 0;
    for _ in 0..(7 * 24 / 2 + 1) {
        advance(2 * 3600 - 60);
        if !signed_in(home(third.clone()).await.expect("home")).await {
            break;
        }
        alive += 1;
    }
    assert_eq!(alive, 7 * 24 * 60 / 119, "ended after {alive} uses of 1 h 59 min: at a week");
    assert_eq!(home(third).await.expect("home").status(), StatusCode::SEE_OTHER);
}

async fn operators_actions_are_in_an_audit_log_only_operators_read(app: TestApp) {
    let op_id = app.ok(Method::GET, "/me", &app.operator, None).await["id"].as_i64().expect("operator id");
    let (b, _, manager) = app.business("Audited").await;
    let (w, worker) = app.worker("Grace", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    app.ok(Method::POST, &format!("/workers/{w}/assessments"), &app.operator, Some(json!({"skill": "barista", "level": 4}))).await;

    let audit = app.ok(Method::GET, "/audit?limit=1000", &app.operator, None).await;
    let entries = audit.as_array().expect("a list");
    assert!(entries.iter().all(|e| e["actor_user_id"] == op_id), "every entry names the operator: {audit}");
    let kinds: Vec<&str> = entries.iter().filter_map(|e| e["kind"].as_str()).collect();
    for (kind, key, id) in [("business.created", "business_id", b), ("worker.updated", "worker_id", w)] {
        assert!(entries.iter().any(|e| e["kind"] == kind && e[key] == id), "{kind} for {id} in {kinds:?}");
    }
    assert!(entries.windows(2).all(|p| p[0]["seq"].as_i64() > p[1]["seq"].as_i64()), "newest first");
    // The business's and the worker's own writes are not operators' actions.
    let before = entries.len();
    app.ok(Method::PUT, &format!("/businesses/{b}/remote-rule"), &manager, Some(json!({"onsite_before_remote": 2}))).await;
    assert_eq!(app.ok(Method::GET, "/audit?limit=1000", &app.operator, None).await.as_array().map(Vec::len), Some(before));

    for (who, token) in [("business", Some(manager.as_str())), ("worker", Some(worker.as_str())), ("anonymous", None)] {
        let (status, body) = app.call(Method::GET, "/audit", token, None).await;
        let expected = if token.is_some() { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
        assert_eq!(status, expected, "{who}: {body}");
    }
    let (status, body) = app.call(Method::GET, "/audit?limit=0", Some(&app.operator), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // No route edits or deletes events: the document has only GETs on them,
    // and writing to those paths is refused.
    let spec = app.ok(Method::GET, "/openapi.json", &app.operator, None).await;
    let mut event_routes = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if path.contains("event") || path.contains("audit") || path.contains("timeline") {
            event_routes += 1;
            let methods: Vec<&String> = item.as_object().expect("item").keys().filter(|m| *m != "parameters").collect();
            assert_eq!(methods, ["get"], "{path}: {methods:?}");
            for m in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
                let concrete = path.replace("{id}", &b.to_string());
                let (status, _) = app.call(m.clone(), &concrete, Some(&app.operator), Some(Value::Null)).await;
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{m} {concrete}");
            }
        }
    }
    assert!(event_routes >= 4, "{event_routes}");
    for e in ["/events/1", "/audit/1"] {
        let (status, _) = app.call(Method::DELETE, e, Some(&app.operator), None).await;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "DELETE {e}: {status}");
    }
}
