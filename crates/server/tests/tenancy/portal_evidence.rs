//! The portal's pages for hiring by evidence (a part of `portal_security.rs`,
//! kept apart to keep files short): a business's own assessments, portfolio
//! review, the on-site-first setting and the other party's clock on lists.
//!
//! * A business authors an assessment for its pool, answers a question and
//!   grades the attempt through its forms; another business opening or
//!   posting to that attempt by URL gets 404 and nothing is written; workers
//!   and operators have no `/b` pages.
//! * A worker adds portfolio items; only an operator reviews them (anyone
//!   else: 404, nothing written); the worker then reads the review.
//! * Bad input on each new form is refused by field name and writes nothing.
//! * Booking, offer and timesheet lists show the other party's clock when
//!   the zones differ.

use super::*;

/// Post a form with a session cookie.
pub(super) async fn post<T: serde::Serialize + ?Sized>(app: &common::TestApp, session: &str, path: &str, fields: &T) -> reqwest::Response {
    client().post(format!("{}{path}", app.base)).header(COOKIE, session).form_body(fields).send().await.expect("post")
}

/// Open a page with a session cookie: its status and HTML.
pub(super) async fn page(app: &common::TestApp, session: &str, path: &str) -> (StatusCode, String) {
    let res = client().get(format!("{}{path}", app.base)).header(COOKIE, session).send().await.expect("get");
    (res.status(), res.text().await.expect("body"))
}

/// Whether a refused form's page names `field` in its refusal (nested names end in it).
async fn names(res: reqwest::Response, field: &str) -> bool {
    let html = res.text().await.expect("body");
    html.contains(&format!("class=\"rule\">{field}</span>")) || html.contains(&format!(".{field}</span>"))
}

/// The worker moves to another zone (through their own profile).
pub(super) async fn move_worker(app: &common::TestApp, id: i64, token: &str, zone: &str) {
    let mut profile = app.ok(Method::GET, &format!("/workers/{id}"), token, None).await;
    let fields = profile.as_object_mut().expect("profile");
    fields.remove("id");
    fields.insert("zone".into(), json!(zone));
    app.ok(Method::PUT, &format!("/workers/{id}"), token, Some(profile)).await;
}

pub(super) async fn a_business_authors_and_grades_its_own_assessment_and_no_one_else_reaches_it(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let (b_id, _, _) = app.business("Beta").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0});
    let (worker, w_token) = app.worker("Wanda", limits).await;
    // Wanda is in Alpha's pool: Alpha has booked her.
    let start = common::monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(9)).expect("start");
    let shift = app.shift(&a_token, Some(a_site), start, 240, 1).await;
    app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &a_token, Some(json!({"worker_id": worker, "mode": "instant"}))).await;

    let (alpha, alpha_csrf) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let (wanda, _) = sign_in(&app.base, &format!("wanda-{worker}@workers.example"), "test-password-123").await;
    let (op, _) = sign_in(&app.base, "operator@test.example", "test-password-123").await;
    let title = "ALPHA-OWN latte art";
    let form = |pass: &'static str| {
        vec![("csrf", alpha_csrf.as_str()), ("skill", "barista"), ("title", title), ("pass_level", pass), ("time_limit_minutes", "60"), ("cool_down_days", "7"),
            ("scenarios", "A customer says the latte is cold. What do you do?"), ("rubric", "Judgement: 10"), ("questions_max", "5")]
    };
    // Bad input is refused by name and writes nothing.
    let before = app.snapshot().await;
    let res = post(&app, &alpha, "/b/assessments", &form("five")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(names(res, "pass_level").await, "the refusal names the field");
    assert_eq!(app.snapshot().await, before);
    let res = post(&app, &alpha, "/b/assessments", &form("3")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains(&format!("“{title}” created")));
    let own = app.ok(Method::GET, "/assessments", &a_token, None).await;
    let assessment = own.as_array().expect("list").iter().find(|a| a["title"] == title).expect("authored")["id"].as_i64().expect("id");
    assert_eq!(own.as_array().expect("list").iter().find(|a| a["id"] == assessment).expect("it")["business_id"], json!(a_id), "Alpha's own");

    // Wanda takes it (her side is already in the portal's worker pages) and asks a question.
    let attempt = app.ok(Method::POST, &format!("/assessments/{assessment}/attempts"), &w_token, None).await["id"].as_i64().expect("attempt");
    let question = app.ok(Method::POST, &format!("/assessment-attempts/{attempt}/questions"), &w_token, Some(json!({"text": "WANDA-ASKS oat milk?"}))).await;
    let question = question["id"].as_i64().expect("question").to_string();
    app.ok(Method::POST, &format!("/assessment-attempts/{attempt}/submit"), &w_token, Some(json!({"answers": [{"scenario": 0, "text": "Remake it"}]}))).await;

    let path = format!("/b/assessment-attempts/{attempt}");
    let (code, html) = page(&app, &alpha, "/b/assessments").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(&format!("href=\"{path}\"")), "Alpha's list links the attempt");
    let (code, html) = page(&app, &alpha, &path).await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("WANDA-ASKS") && html.contains("Grade by the rubric"));
    // Beta: not found, nothing shown, nothing written; workers and operators have no /b pages.
    let (code, html) = page(&app, &beta, &path).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert!(!html.contains("WANDA-ASKS") && !html.contains(title));
    assert!(!page(&app, &beta, "/b/assessments").await.1.contains(title), "Beta's list has none of Alpha's");
    for who in [&wanda, &op] {
        assert_eq!(page(&app, who, "/b/assessments").await.0, StatusCode::NOT_FOUND);
        assert_eq!(page(&app, who, &path).await.0, StatusCode::NOT_FOUND);
    }
    let before = app.snapshot().await;
    let answer = [("csrf", beta_csrf.as_str()), ("question", question.as_str()), ("text", "hijack")];
    assert_eq!(post(&app, &beta, &format!("{path}/answer"), &answer).await.status(), StatusCode::NOT_FOUND);
    let grade = [("csrf", beta_csrf.as_str()), ("s0", "10"), ("questions_score", "5")];
    assert_eq!(post(&app, &beta, &format!("{path}/grade"), &grade).await.status(), StatusCode::NOT_FOUND);
    // Alpha's own forms: a bad score is refused by name first.
    let res = post(&app, &alpha, &format!("{path}/grade"), &[("csrf", alpha_csrf.as_str()), ("s0", "lots"), ("questions_score", "4")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(names(res, "s0").await, "the refusal names the score");
    assert_eq!(app.snapshot().await, before, "nothing was written");

    let res = post(&app, &alpha, &format!("{path}/answer"), &[("csrf", alpha_csrf.as_str()), ("question", question.as_str()), ("text", "Yes, we have oat milk")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("answered later"));
    let rel = format!("rel{question}");
    let res = post(&app, &alpha, &format!("{path}/grade"), &[("csrf", alpha_csrf.as_str()), ("s0", "8"), ("questions_score", "4"), (rel.as_str(), "on")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("body");
    assert!(html.contains("passed at level") && html.contains("1 asked, 1 relevant"), "graded by Alpha");
    let t = app.ok(Method::GET, &format!("/assessment-attempts/{attempt}"), &app.operator, None).await;
    assert_eq!((t["status"].as_str(), t["passed"].as_bool()), (Some("graded"), Some(true)));
}

pub(super) async fn portfolio_items_are_added_by_the_worker_and_reviewed_only_by_an_operator(app: common::TestApp) {
    let (b_id, _, _) = app.business("Beta").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0});
    let (worker, _) = app.worker("Wanda", limits).await;
    let (wanda, csrf) = sign_in(&app.base, &format!("wanda-{worker}@workers.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let (op, op_csrf) = sign_in(&app.base, "operator@test.example", "test-password-123").await;
    let item = |skill: &'static str, url: &'static str| [("csrf", csrf.as_str()), ("skill", skill), ("category", "volunteer"), ("title", "Food bank till"), ("url", url)];

    let before = app.snapshot().await;
    for (fields, named) in [(item("barista", "javascript:alert(1)"), "url"), (item("Not A Skill", ""), "skill")] {
        let res = post(&app, &wanda, "/w/portfolio", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{named}");
        assert!(names(res, named).await, "the refusal names {named}");
    }
    assert_eq!(app.snapshot().await, before, "nothing was written");
    let res = post(&app, &wanda, "/w/portfolio", &item("barista", "https://example.org/till")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("waiting for review"));

    // The queue is the exchange's: a business and the worker get 404 and write nothing.
    let (code, html) = page(&app, &op, "/op/portfolio").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("Food bank till (a volunteer project, barista)") && html.contains(&format!("/op/workers/{worker}/portfolio/review")));
    let index = html.split("name=\"index\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("index").to_string();
    let review = |token: &str, checked: &'static str| {
        vec![("csrf", token.to_string()), ("skill", "barista".into()), ("index", index.clone()), ("level", "3".into()), ("checked", checked.into())]
    };
    let path = format!("/op/workers/{worker}/portfolio/review");
    let before = app.snapshot().await;
    assert_eq!(page(&app, &beta, "/op/portfolio").await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, &wanda, "/op/portfolio").await.0, StatusCode::NOT_FOUND);
    for (who, token) in [(&beta, &beta_csrf), (&wanda, &csrf)] {
        assert_eq!(post(&app, who, &path, &review(token, "I reviewed myself")).await.status(), StatusCode::NOT_FOUND);
    }
    let res = post(&app, &op, &path, &review(&op_csrf, " ")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(names(res, "checked").await, "the refusal names the field");
    assert_eq!(app.snapshot().await, before, "nothing was written");

    let res = post(&app, &op, &path, &review(&op_csrf, "Opened the link; called the food bank")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("Nothing waiting for review"));
    let (_, html) = page(&app, &wanda, "/w/portfolio").await;
    assert!(html.contains("reviewed on") && html.contains("level 3") && html.contains("called the food bank"), "the worker reads the review");
    assert!(html.contains("<td>a volunteer project</td>"), "the kind of work is shown");
}

pub(super) async fn the_on_site_first_rule_is_set_on_the_settings_page(app: common::TestApp) {
    let (a_id, _, a_token) = app.business("Alpha").await;
    let (alpha, csrf) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (code, html) = page(&app, &alpha, "/b/settings").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("No rule"));
    let before = app.snapshot().await;
    for bad in ["two", "101", "-1"] {
        let res = post(&app, &alpha, "/b/settings/remote-rule", &[("csrf", csrf.as_str()), ("onsite_before_remote", bad)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(names(res, "onsite_before_remote").await, "{bad}: the refusal names the field");
    }
    assert_eq!(app.snapshot().await, before, "nothing was written");
    let res = post(&app, &alpha, "/b/settings/remote-rule", &[("csrf", csrf.as_str()), ("onsite_before_remote", "2")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("first <strong>2</strong> shift(s)"));
    assert_eq!(app.ok(Method::GET, &format!("/businesses/{a_id}"), &a_token, None).await["onsite_before_remote"], 2);
}

/// An offer and a booking between a business in London and a worker in New
/// York: the worker's home and the business's shift and booking pages show
/// both clocks. (The timesheet lists are checked in the timesheets test.)
pub(super) async fn booking_lists_show_the_other_partys_clock(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0});
    let (worker, w_token) = app.worker("Wanda", limits).await;
    move_worker(&app, worker, &w_token, "America/New_York").await;
    let start = common::monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(9)).expect("start");
    let offered = app.shift(&a_token, Some(a_site), start, 240, 1).await;
    let later = start.checked_add(jiff::SignedDuration::from_hours(24)).expect("later");
    let booked = app.shift(&a_token, Some(a_site), later, 240, 1).await;
    app.ok(Method::POST, &format!("/shifts/{offered}/bookings"), &a_token, Some(json!({"worker_id": worker, "mode": "offer"}))).await;
    app.ok(Method::POST, &format!("/shifts/{booked}/bookings"), &a_token, Some(json!({"worker_id": worker, "mode": "instant"}))).await;

    let (wanda, _) = sign_in(&app.base, &format!("wanda-{worker}@workers.example"), "test-password-123").await;
    let (alpha, _) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let html = page(&app, &wanda, "/w").await.1;
    for section in ["id=\"offers\"", "id=\"upcoming\""] {
        let part = html.split(section).nth(1).and_then(|r| r.split("</section>").next()).expect(section);
        assert!(part.contains("(America/New_York)") && part.contains("at the business (Europe/London)"), "{section} shows both clocks");
    }
    for shift in [offered, booked] {
        let html = page(&app, &alpha, &format!("/b/shifts/{shift}")).await.1;
        assert!(html.contains("for the worker (America/New_York)"), "shift {shift}'s bookings show the worker's clock");
    }
}
