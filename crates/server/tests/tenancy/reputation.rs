//! The tenancy walk's part for portable reputation: a worker cannot export
//! another worker's record or revoke another's; both answer exactly like a
//! missing id, write nothing, and the worker's own succeed.

use super::*;

/// The status list joins the fingerprint, so a refused revoke is seen to change nothing.
pub(super) async fn views(app: &TestApp, views: &mut serde_json::Map<String, Value>) {
    views.insert("/credentials/status".into(), send(app, Method::GET, "/credentials/status", &app.operator, None).await.body);
}

pub(super) async fn walk(p: &mut Probe<'_>, w1: i64, t1: &str, w2: i64, t2: &str) {
    let ww = "worker W1 -> worker W2's reputation";
    let skill_of = |profile: &Value| json!({"skills": [profile["skills"][0]["skill"].clone()]});
    let own_body = skill_of(&p.app.ok(Method::GET, &format!("/workers/{w1}"), t1, None).await);
    let their_body = skill_of(&p.app.ok(Method::GET, &format!("/workers/{w2}"), t2, None).await);
    let t = "/workers/{id}/credentials";
    p.refused(ww, Method::POST, t, &at(t, w2), &at(t, GHOST), t1, Some(their_body.clone()), Some(their_body.clone())).await;
    let mine = p.control(ww, Method::POST, &at(t, w1), t1, Some(own_body), StatusCode::CREATED).await;
    let theirs = p.app.ok(Method::POST, &at(t, w2), t2, Some(their_body)).await;

    let t = "/credentials/{id}/revoke";
    let path = |id: &Value| format!("/credentials/{}/revoke", id.as_str().expect("credential id"));
    p.refused(ww, Method::POST, t, &path(&theirs["id"]), &path(&json!("urn:slivers:credential:ghost")), t1, None, None).await;
    p.control(ww, Method::POST, &path(&mine["id"]), t1, None, StatusCode::OK).await;
}
