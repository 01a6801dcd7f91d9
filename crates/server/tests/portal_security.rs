//! The web portal's security properties over a real server: CSRF tokens are
//! required on form posts, session cookies carry Secure/HttpOnly/SameSite,
//! sign-in is rate-limited, and a business member opening another business's
//! shift, booking, roster, inquiry thread or booking messages by URL gets 404.
//! The pages for hiring by evidence are walked in `tenancy/portal_evidence.rs`,
//! the labour-rules forms in `tenancy/portal_labour.rs`.

mod common;
#[path = "tenancy/portal_evidence.rs"]
mod portal_evidence;
#[path = "tenancy/portal_labour.rs"]
mod portal_labour;

use portal_evidence::{
    a_business_authors_and_grades_its_own_assessment_and_no_one_else_reaches_it, booking_lists_show_the_other_partys_clock,
    portfolio_items_are_added_by_the_worker_and_reviewed_only_by_an_operator, the_on_site_first_rule_is_set_on_the_settings_page,
};

use portal_labour::labour_rules_are_set_in_the_portal_by_the_worker_and_per_site;
use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::json;

on_both_databases!(
    forms_without_a_valid_csrf_token_are_refused,
    session_cookies_are_secure_httponly_samesite_and_sign_out_ends_them,
    sign_in_is_rate_limited_per_email_and_password_rules_are_explained,
    a_worker_cannot_write_exchange_evidence_through_the_portal,
    a_business_sees_no_private_value_of_a_worker_in_the_portal,
    another_businesss_shift_booking_and_roster_are_not_found,
    another_businesss_timesheets_and_invoices_are_not_found,
    contact_forms_need_the_token_and_another_customers_inquiry_or_messages_are_not_found,
    a_business_authors_and_grades_its_own_assessment_and_no_one_else_reaches_it,
    portfolio_items_are_added_by_the_worker_and_reviewed_only_by_an_operator,
    the_on_site_first_rule_is_set_on_the_settings_page,
    booking_lists_show_the_other_partys_clock,
    labour_rules_are_set_in_the_portal_by_the_worker_and_per_site,
);

use common::portal::{client, csrf_in, set_cookie, sign_in, FormBody};

async fn forms_without_a_valid_csrf_token_are_refused(app: common::TestApp) {
    let c = client();
    // Before sign-in: the double-submit cookie must match the field.
    let page = c.get(format!("{}/signup", app.base)).send().await.expect("page");
    let (pre, _) = set_cookie(&page, "slivers_csrf").expect("cookie");
    let token = csrf_in(&page.text().await.expect("body"));
    let fields = |csrf: &str| {
        let mut v = vec![("role", "worker".to_string()), ("name", "Eve".into()), ("email", "eve@example.test".into()), ("password", "long enough password".into()), ("city", "leeds".into())];
        if !csrf.is_empty() {
            v.push(("csrf", csrf.to_string()));
        }
        v
    };
    let res = c.post(format!("{}/signup", app.base)).header(COOKIE, &pre).form_body(&fields("")).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c.post(format!("{}/signup", app.base)).header(COOKIE, &pre).form_body(&fields("slv_forged")).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The right token but no cookie (a cross-site form cannot read or set it).
    let res = c.post(format!("{}/signup", app.base)).form_body(&fields(&token)).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(app.store.user_by_email("eve@example.test").await.expect("lookup").is_none(), "nothing was created");

    // Signed in: every form needs the session's own token.
    let member = app.business("Csrf Cafe").await;
    let (session, csrf) = sign_in(&app.base, &format!("manager@{}.csrf-cafe.example", member.0), "test-password-123").await;
    let site = [("name", "Annex"), ("city", "leeds")];
    let res = c.post(format!("{}/b/sites", app.base)).header(COOKIE, &session).form_body(&site).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token");
    let mut with = site.to_vec();
    with.push(("csrf", "slv_0000"));
    let res = c.post(format!("{}/b/sites", app.base)).header(COOKIE, &session).form_body(&with).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "wrong token");
    let before = app.store.list_sites(slivers_core::ids::BusinessId(member.0), &slivers_store::Scope::All).await.expect("sites").len();
    let mut with = site.to_vec();
    with.push(("csrf", &csrf));
    let res = c.post(format!("{}/b/sites", app.base)).header(COOKIE, &session).form_body(&with).send().await.expect("post");
    assert_eq!(res.status(), StatusCode::OK, "right token");
    let after = app.store.list_sites(slivers_core::ids::BusinessId(member.0), &slivers_store::Scope::All).await.expect("sites").len();
    assert_eq!(after, before + 1);
}

async fn session_cookies_are_secure_httponly_samesite_and_sign_out_ends_them(app: common::TestApp) {
    let c = client();
    let page = c.get(format!("{}/signup", app.base)).send().await.expect("page");
    let (pre, pre_line) = set_cookie(&page, "slivers_csrf").expect("cookie");
    let token = csrf_in(&page.text().await.expect("body"));
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(pre_line.contains(flag), "{pre_line} lacks {flag}");
    }
    let res = c
        .post(format!("{}/signup", app.base))
        .header(COOKIE, &pre)
        .form_body(&[("csrf", token.as_str()), ("role", "worker"), ("name", "Grace"), ("email", "grace@example.test"), ("password", "long enough password"), ("city", "leeds")])
        .send()
        .await
        .expect("signup");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/w");
    let (session, line) = set_cookie(&res, "slivers_session").expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age="] {
        assert!(line.contains(flag), "{line} lacks {flag}");
    }
    // The database holds only a hash of the token.
    let raw = session.trim_start_matches("slivers_session=");
    assert!(app.store.session_by_token(raw, jiff::Timestamp::now()).await.expect("lookup").is_none());
    let home = c.get(format!("{}/w", app.base)).header(COOKIE, &session).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::OK);
    assert_eq!(home.headers()["cache-control"], "no-store");
    assert!(home.headers()["content-security-policy"].to_str().expect("csp").contains("script-src 'self'"));
    let csrf = csrf_in(&home.text().await.expect("body"));
    let out = c.post(format!("{}/signout", app.base)).header(COOKIE, &session).form_body(&[("csrf", csrf.as_str())]).send().await.expect("signout");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let again = c.get(format!("{}/w", app.base)).header(COOKIE, &session).send().await.expect("home");
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "a signed-out session is gone");
    assert_eq!(again.headers()["location"], "/signin");
}

async fn sign_in_is_rate_limited_per_email_and_password_rules_are_explained(app: common::TestApp) {
    // The limiter is in each test's own database (shared across processes: tests/security.rs and cli/tests/two_servers.rs).
    let name = format!("Limit {:?}", app.store.backend());
    let (id, _, _) = app.business(&name).await;
    let email = format!("manager@{id}.{}.example", name.to_lowercase().replace(' ', "-"));
    let c = client();
    let page = c.get(format!("{}/signin", app.base)).send().await.expect("page");
    let (pre, _) = set_cookie(&page, "slivers_csrf").expect("cookie");
    let token = csrf_in(&page.text().await.expect("body"));
    let attempt = |password: &'static str| {
        c.post(format!("{}/signin", app.base)).header(COOKIE, &pre).form_body(&[("csrf", token.as_str()), ("email", email.as_str()), ("password", password)]).send()
    };
    for _ in 0..5 {
        let res = attempt("wrong password").await.expect("post");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(res.text().await.expect("body").contains("do not match"));
    }
    let res = attempt("test-password-123").await.expect("post");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the right password is refused while limited");
    assert!(set_cookie(&res, "slivers_session").is_none());

    let res = c
        .post(format!("{}/signup", app.base))
        .header(COOKIE, &pre)
        .form_body(&[("csrf", token.as_str()), ("role", "worker"), ("name", "Short"), ("email", "short@example.test"), ("password", "short"), ("city", "leeds")])
        .send()
        .await
        .expect("signup");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("must be at least 10 characters"));
}

async fn another_businesss_shift_booking_and_roster_are_not_found(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let (b_id, _, _) = app.business("Beta").await;
    let (worker, _) = app.worker("Wanda", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let start = common::monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(9)).expect("start");
    let shift = app.shift(&a_token, Some(a_site), start, 240, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &a_token, Some(json!({"worker_id": worker, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking id");

    let (alpha, alpha_csrf) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let c = client();
    for path in [format!("/b/shifts/{shift}"), format!("/b/shifts/{shift}/edit"), format!("/b/bookings/{booking}"), format!("/b/sites/{a_site}/roster")] {
        let own = c.get(format!("{}{path}", app.base)).header(COOKIE, &alpha).send().await.expect("get");
        assert_eq!(own.status(), StatusCode::OK, "the owner opens {path}");
        let other = c.get(format!("{}{path}", app.base)).header(COOKIE, &beta).send().await.expect("get");
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "another business opening {path}");
        assert!(!other.text().await.expect("body").contains("Wanda"), "nothing of it leaks");
    }
    // Writes by URL are refused the same way, and change nothing.
    let before = app.snapshot().await;
    for path in [format!("/b/bookings/{booking}/cancel"), format!("/b/shifts/{shift}/book"), format!("/b/shifts/{shift}/edit")] {
        let res = c
            .post(format!("{}{path}", app.base))
            .header(COOKIE, &beta)
            .form_body(&[("csrf", beta_csrf.as_str()), ("worker_id", &worker.to_string()), ("mode", "instant"), ("headcount", "5"), ("pay_rate", "99"), ("bill_rate", "99")])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "another business posting to {path}");
    }
    assert_eq!(app.snapshot().await, before);
    // A worker's pages are not a business's, and the other way round.
    let res = c.get(format!("{}/w", app.base)).header(COOKIE, &beta).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = c.get(format!("{}/op", app.base)).header(COOKIE, &beta).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The owner edits: rates are fixed while someone holds the shift; headcount and notes are not.
    let edit = |headcount: &'static str, pay: &'static str| {
        c.post(format!("{}/b/shifts/{shift}/edit", app.base)).header(COOKIE, &alpha).form_body(&[
            ("csrf", alpha_csrf.as_str()),
            ("headcount", headcount),
            ("pay_rate", pay),
            ("bill_rate", "17.25"),
            ("notes", "Aprons provided"),
        ])
    };
    let res = edit("1", "20.00").send().await.expect("edit");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("rates are fixed while 1 worker(s) hold or are offered this shift"));
    let res = edit("3", "13.50").send().await.expect("edit");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let s = app.store.get_shift(slivers_core::ids::ShiftId(shift), &slivers_store::Scope::All).await.expect("shift");
    assert_eq!((s.headcount, s.notes.as_str()), (3, "Aprons provided"));
}

/// The skills form takes declared evidence only: a crafted post that names an
/// exchange-only kind is refused by name and writes nothing.
async fn a_worker_cannot_write_exchange_evidence_through_the_portal(app: common::TestApp) {
    let (w, _) = app.worker("Portal Pat", serde_json::json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let (session, csrf) = sign_in(&app.base, &format!("portal-pat-{w}@workers.example"), "test-password-123").await;
    let before = app.snapshot().await;
    for kind in ["assessment", "verified_minutes", "rating"] {
        let res = client()
            .post(format!("{}/w/skills", app.base))
            .header(COOKIE, &session)
            .form_body(&[("csrf", csrf.as_str()), ("skill", "barista"), ("claimed", "5"), ("evidence", kind), ("level", "5")])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind}");
        let html = res.text().await.expect("body");
        assert!(html.contains("written only by the exchange"), "{kind}: the refusal says why");
        assert_eq!(app.snapshot().await, before, "{kind}: nothing written");
    }
    // A declared claim through the same form is accepted (the control).
    let res = client()
        .post(format!("{}/w/skills", app.base))
        .header(COOKIE, &session)
        .form_body(&[("csrf", csrf.as_str()), ("skill", "bookkeeping"), ("claimed", "2"), ("certificate", "Bookkeeping basics")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(app.snapshot().await, before, "the declared claim was saved");
}

/// The portal's shift page (candidates, "why not", a refused booking) shows a
/// business verdicts, never the worker's private values.
async fn a_business_sees_no_private_value_of_a_worker_in_the_portal(app: common::TestApp) {
    let (w, _) = app.private_worker().await;
    let (b, site, _) = app.business("Portal Patisserie").await;
    let monday = common::monday_after_next();
    // Sunday 03:00 to 05:00: inside the worker's blackout and outside availability.
    let sunday = monday.timestamp().checked_add(jiff::SignedDuration::from_hours(6 * 24 + 3)).expect("sunday");
    let noon = monday.timestamp().checked_add(jiff::SignedDuration::from_hours(12)).expect("noon");
    let (session, csrf) = sign_in(&app.base, &format!("manager@{b}.portal-patisserie.example"), "test-password-123").await;
    let token = app.user(&format!("second@{b}.example"), slivers_store::Role::Business, None, Some(slivers_core::ids::BusinessId(b))).await;
    let day = app.shift(&token, Some(site), noon, 120, 1).await;
    let night = app.shift(&token, Some(site), sunday, 120, 1).await;
    let c = client();
    for (shift, what) in [(day, "candidates"), (night, "why not")] {
        let html = c.get(format!("{}/b/shifts/{shift}?why={w}", app.base)).header(COOKIE, &session).send().await.expect("page").text().await.expect("body");
        assert!(html.contains("Priya Private"), "{what}: the worker is on the page");
        assert!(common::leaks(&html).is_empty(), "{what}: the page leaks {:?}", common::leaks(&html));
    }
    let res = c
        .post(format!("{}/b/shifts/{night}/book", app.base))
        .header(COOKIE, &session)
        .form_body(&[("csrf", csrf.as_str()), ("worker_id", w.to_string().as_str()), ("mode", "instant")])
        .send()
        .await
        .expect("book");
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.expect("body");
    assert!(html.contains("blackout") && html.contains("touches time the worker keeps free"), "the refusal names the rule");
    assert!(common::leaks(&html).is_empty(), "the refusal leaks {:?}", common::leaks(&html));
}

/// Timesheets and invoices in the portal are the business's own: another
/// business (or a worker) gets 404 for the pages, the downloads and the
/// review form, and nothing is written; the owner gets them.
async fn another_businesss_timesheets_and_invoices_are_not_found(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let (b_id, _, _) = app.business("Beta").await;
    let (worker, worker_token) = app.worker("Wanda", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    // In another zone than the business: both timesheet lists show both clocks.
    portal_evidence::move_worker(&app, worker, &worker_token, "America/New_York").await;
    // Any cancellation within 14 days is late for Alpha: it leaves an approved timesheet to bill.
    let billing = json!({"policy": {"period": "weekly", "review_hours": 24, "cancellation_notice_minutes": 20160,
        "late_cancellation_pay_percent": "50", "fee_percent": "15", "tax_category": "standard", "tax_percent": "20",
        "premiums": {"night_percent": "0", "weekend_percent": "0", "short_notice_percent": "0", "short_notice_hours": 0}},
        "party": {"name": "Alpha Ltd", "street": "1 High Street", "city": "Leeds", "postcode": "LS1 1AA", "country": "GB",
        "vat_id": null, "endpoint_scheme": "0088", "endpoint_id": "5060000000016"}});
    app.ok(Method::PUT, &format!("/businesses/{a_id}/billing"), &a_token, Some(billing)).await;
    let start = common::monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(9)).expect("start");
    let shift = app.shift(&a_token, Some(a_site), start, 240, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &a_token, Some(json!({"worker_id": worker, "mode": "instant"}))).await;
    app.ok(Method::POST, &format!("/bookings/{}/cancel", booking["id"]), &a_token, None).await;
    let sheet = app.ok(Method::GET, "/timesheets", &a_token, None).await[0]["id"].as_i64().expect("timesheet");
    let later = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(60 * 24)).expect("later");
    let seller = slivers_exchange::billing::exchange_party();
    let invoice = app.store.issue_invoices(slivers_core::ids::BusinessId(a_id), &seller, &slivers_store::Actor::system(), later).await.expect("invoice")[0].id;

    let (alpha, _) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let (wanda, _) = sign_in(&app.base, &format!("wanda-{worker}@workers.example"), "test-password-123").await;
    let c = client();
    let own = c.get(format!("{}/b/timesheets", app.base)).header(COOKIE, &alpha).send().await.expect("get").text().await.expect("body");
    assert!(own.contains("INV-000001"), "the owner sees the invoice");
    assert!(own.contains("for the worker (America/New_York)"), "the timesheet on the worker's clock too");
    let hers = c.get(format!("{}/w/timesheets", app.base)).header(COOKIE, &wanda).send().await.expect("get").text().await.expect("body");
    assert!(hers.contains("at the business (Europe/London)"), "and on the business's clock for her");
    let theirs = c.get(format!("{}/b/timesheets", app.base)).header(COOKIE, &beta).send().await.expect("get").text().await.expect("body");
    assert!(!theirs.contains("INV-000001"), "another business does not");
    for path in [format!("/b/documents/{invoice}/print"), format!("/b/documents/{invoice}/ubl")] {
        let res = c.get(format!("{}{path}", app.base)).header(COOKIE, &alpha).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::OK, "the owner opens {path}");
        let res = c.get(format!("{}{path}", app.base)).header(COOKIE, &beta).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "another business opening {path}");
    }
    let before = app.snapshot().await;
    let res = c
        .post(format!("{}/b/timesheets/{sheet}/review", app.base))
        .header(COOKIE, &beta)
        .form_body(&[("csrf", beta_csrf.as_str()), ("action", "dispute"), ("reason", "hijack")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another business reviewing the timesheet");
    // Operators' pages are not a business's (the market's outcomes included).
    for path in ["/op/billing", "/op/outcomes"] {
        let res = c.get(format!("{}{path}", app.base)).header(COOKIE, &beta).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "a business opening {path}");
    }
    assert_eq!(app.snapshot().await, before);
}

/// Every form of the contact pages (inquiries, feedback board, booking
/// messages), with path ids filled in: each is CSRF-checked by its extractor.
fn contact_forms(inquiry: i64, booking: i64, request: i64) -> Vec<String> {
    vec![
        "/b/inquiries".into(),
        format!("/b/inquiries/{inquiry}/step"),
        format!("/b/bookings/{booking}/messages"),
        "/w/inquiries".into(),
        format!("/w/inquiries/{inquiry}/step"),
        format!("/w/bookings/{booking}/messages"),
        format!("/op/inquiries/{inquiry}/step"),
        "/feedback".into(),
        format!("/feedback/{request}/vote"),
        format!("/feedback/{request}/merge"),
        format!("/feedback/{request}/status"),
    ]
}

/// An inquiry is its customer's and the operators'; a booking's messages are
/// its two parties' and the operators'. Another business opening either by
/// URL (or posting to it) gets 404 and nothing is written or shown; no
/// contact form is taken without the session's CSRF token.
async fn contact_forms_need_the_token_and_another_customers_inquiry_or_messages_are_not_found(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let (b_id, _, _) = app.business("Beta").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0});
    let (wanda, _) = app.worker("Wanda", limits.clone()).await;
    let (otto, _) = app.worker("Otto", limits).await;
    let start = common::monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(9)).expect("start");
    let shift = app.shift(&a_token, Some(a_site), start, 240, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &a_token, Some(json!({"worker_id": wanda, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking id");

    let (alpha, alpha_csrf) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let (wanda_s, wanda_csrf) = sign_in(&app.base, &format!("wanda-{wanda}@workers.example"), "test-password-123").await;
    let (otto_s, _) = sign_in(&app.base, &format!("otto-{otto}@workers.example"), "test-password-123").await;
    let (op, _) = sign_in(&app.base, "operator@test.example", "test-password-123").await;
    let c = client();
    let post = |path: String, session: &str, fields: Vec<(&'static str, String)>| {
        c.post(format!("{}{path}", app.base)).header(COOKIE, session.to_string()).form_body(&fields).send()
    };

    // Alpha raises an inquiry about its booking and writes to the worker, through the portal.
    let subject = "Alpha private billing question";
    let res = post("/b/inquiries".into(), &alpha, vec![("csrf", alpha_csrf.clone()), ("category", "billing".into()), ("priority", "normal".into()),
        ("about", format!("booking:{booking}")), ("subject", subject.into()), ("text", "Why is the fee 15%?".into())]).await.expect("raise");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "raised");
    let thread = res.headers()["location"].to_str().expect("location").to_string();
    let inquiry: i64 = thread.rsplit('/').next().and_then(|x| x.parse().ok()).expect("inquiry id");
    assert_eq!(thread, format!("/b/inquiries/{inquiry}"));
    let res = post(format!("/b/bookings/{booking}/messages"), &alpha, vec![("csrf", alpha_csrf.clone()), ("text", "Aprons are in the back room".into())]).await.expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    // A booking of Beta's cannot be named as what the inquiry is about.
    let res = post("/b/inquiries".into(), &beta, vec![("csrf", beta_csrf.clone()), ("category", "booking".into()), ("priority", "normal".into()),
        ("about", format!("booking:{booking}")), ("subject", "Hijack".into()), ("text", "x".into())]).await.expect("raise");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("no booking"), "the refusal names the field");

    for (path, who) in [(thread.clone(), &alpha), (format!("/b/bookings/{booking}"), &alpha), (format!("/w/bookings/{booking}"), &wanda_s), (format!("/op/inquiries/{inquiry}"), &op)] {
        let res = c.get(format!("{}{path}", app.base)).header(COOKIE, who.as_str()).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::OK, "a party opens {path}");
        let html = res.text().await.expect("body");
        assert!(html.contains(subject) || html.contains("Aprons are in the back room"), "{path} shows the thread");
    }
    for (path, who) in [(thread.clone(), &beta), (format!("/b/bookings/{booking}"), &beta), (format!("/w/bookings/{booking}"), &otto_s), (format!("/w/inquiries/{inquiry}"), &wanda_s)] {
        let res = c.get(format!("{}{path}", app.base)).header(COOKIE, who.as_str()).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "someone else opening {path}");
        let html = res.text().await.expect("body");
        assert!(!html.contains(subject) && !html.contains("Aprons"), "nothing of {path} leaks");
    }
    // Help pages list only one's own inquiries.
    let help = c.get(format!("{}/b/help", app.base)).header(COOKIE, &beta).send().await.expect("get").text().await.expect("body");
    assert!(!help.contains(subject));

    // Writes by URL are refused the same way, and change nothing.
    let before = app.snapshot().await;
    let res = post(format!("/b/inquiries/{inquiry}/step"), &beta, vec![("csrf", beta_csrf.clone()), ("action", "reply".into()), ("text", "hijack".into())]).await.expect("post");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another business replying");
    let res = post(format!("/b/bookings/{booking}/messages"), &beta, vec![("csrf", beta_csrf.clone()), ("text", "hijack".into())]).await.expect("post");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another business writing on the booking");
    // A customer cannot take an operator's step on their own inquiry.
    let res = post(format!("/b/inquiries/{inquiry}/step"), &alpha, vec![("csrf", alpha_csrf.clone()), ("action", "resolve".into())]).await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before);

    // No contact form is taken without the session's own token.
    let res = post("/feedback".into(), &wanda_s, vec![("csrf", wanda_csrf.clone()), ("title", "Dark mode".into()), ("text", "Please".into())]).await.expect("file");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request: i64 = res.headers()["location"].to_str().expect("location").rsplit('/').next().and_then(|x| x.parse().ok()).expect("request id");
    let before = app.snapshot().await;
    for path in contact_forms(inquiry, booking, request) {
        for csrf in [None, Some("slv_forged")] {
            let mut fields = vec![("action", "reply".to_string()), ("text", "forged".into()), ("title", "Forged".into()), ("status", "shipped".into()),
                ("into", request.to_string()), ("category", "billing".into()), ("priority", "normal".into()), ("subject", "Forged".into())];
            if let Some(t) = csrf {
                fields.push(("csrf", t.into()));
            }
            for who in [&alpha, &wanda_s, &op] {
                let res = post(path.clone(), who, fields.clone()).await.expect("post");
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path} with token {csrf:?}");
            }
        }
    }
    assert_eq!(app.snapshot().await, before, "nothing was written");
}
