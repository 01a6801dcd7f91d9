//! Labour rules in the portal (a part of `portal_security.rs`): a worker
//! sets their own on the limits page, a business sets each site's policy on
//! the sites page; bad numbers are refused by name and write nothing; another
//! business's site is not found; the rules then show on the pages and in the API.
//! The roster page takes a fairness weight, checked by the same use case.

use super::portal_evidence::{page, post};
use super::*;

/// Whether a refused form's page names `field` in its list of fixes (a
/// nested name such as `limits.labour.max_consecutive_days` ends in it).
async fn names(res: reqwest::Response, field: &str) -> bool {
    let html = res.text().await.expect("body");
    html.contains("Nothing was saved") && (html.contains(&format!("<strong>{field}</strong>")) || html.contains(&format!(".{field}</strong>")))
}

pub(super) async fn labour_rules_are_set_in_the_portal_by_the_worker_and_per_site(app: common::TestApp) {
    let (a_id, a_site, a_token) = app.business("Alpha").await;
    let (b_id, _, _) = app.business("Beta").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0});
    let (worker, w_token) = app.worker("Wanda", limits).await;
    let (alpha, alpha_csrf) = sign_in(&app.base, &format!("manager@{a_id}.alpha.example"), "test-password-123").await;
    let (beta, beta_csrf) = sign_in(&app.base, &format!("manager@{b_id}.beta.example"), "test-password-123").await;
    let (wanda, wanda_csrf) = sign_in(&app.base, &format!("wanda-{worker}@workers.example"), "test-password-123").await;

    // The worker's own: a bad number is named, then the rules are saved.
    let before = app.snapshot().await;
    let res = post(&app, &wanda, "/w/limits/labour", &[("csrf", wanda_csrf.as_str()), ("max_consecutive_days", "five")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(names(res, "days in a row").await);
    let res = post(&app, &wanda, "/w/limits/labour", &[("csrf", wanda_csrf.as_str()), ("max_consecutive_days", "15")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the domain's range applies");
    assert!(names(res, "max_consecutive_days").await);
    let res = post(&app, &wanda, "/w/limits/labour", &[("csrf", wanda_csrf.as_str()), ("succession", "night-brunch")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.snapshot().await, before, "refused forms write nothing");
    let fields = [("csrf", wanda_csrf.as_str()), ("max_consecutive_days", "5"), ("min_days_off_per_week", ""), ("succession", "night-early")];
    let res = post(&app, &wanda, "/w/limits/labour", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("Labour rules saved: at most 5 days in a row; no early after a night."));
    let profile = app.ok(Method::GET, &format!("/workers/{worker}"), &w_token, None).await;
    assert_eq!(profile["limits"]["labour"], json!({"max_consecutive_days": 5, "min_days_off_per_week": null, "max_weekends_per_month": null,
        "forbidden_successions": [{"after": "night", "then": "early"}]}));
    let (status, html) = page(&app, &wanda, "/w/limits").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Now: at most 5 days in a row; no early after a night."));
    // Without the CSRF token: refused, nothing written.
    let before = app.snapshot().await;
    let res = post(&app, &wanda, "/w/limits/labour", &[("max_consecutive_days", "2")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before);

    // A site's policy: Alpha sets its own; Beta posting to Alpha's site is not found.
    let path = format!("/b/sites/{a_site}/labour");
    let before = app.snapshot().await;
    let res = post(&app, &beta, &path, &[("csrf", beta_csrf.as_str()), ("max_weekends_per_month", "1")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = post(&app, &wanda, &path, &[("csrf", wanda_csrf.as_str()), ("max_weekends_per_month", "1")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "a worker has no sites page");
    let res = post(&app, &alpha, &path, &[("csrf", alpha_csrf.as_str()), ("min_days_off_per_week", "7")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(names(res, "min_days_off_per_week").await);
    assert_eq!(app.snapshot().await, before);
    let res = post(&app, &alpha, &path, &[("csrf", alpha_csrf.as_str()), ("min_days_off_per_week", "2"), ("max_weekends_per_month", "1")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("saved: at least 2 days off a week; at most 1 weekend a month."));
    // The roster form's fairness weight: a bad one is refused and writes nothing.
    let before = app.snapshot().await;
    for bad in ["many", "500", "-1"] {
        let res = post(&app, &alpha, "/b/roster/propose", &[("csrf", alpha_csrf.as_str()), ("mode", "offer"), ("fairness_weight", bad)]).await;
        assert!(res.status().is_client_error(), "fairness weight {bad}: {}", res.status());
    }
    assert_eq!(app.snapshot().await, before);
    let res = post(&app, &alpha, "/b/roster/propose", &[("csrf", alpha_csrf.as_str()), ("mode", "offer"), ("fairness_weight", "10")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("body").contains("Fairness weighed at 10"));

    let site = app.ok(Method::GET, &format!("/sites/{a_site}"), &a_token, None).await;
    assert_eq!(site["labour"]["min_days_off_per_week"], 2);
    assert_eq!(site["labour"]["max_weekends_per_month"], 1);
}
