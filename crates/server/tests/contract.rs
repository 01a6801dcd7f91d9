//! The OpenAPI document as a contract (issue 14.1): every operation declares
//! what the shared parts of the server answer, every error is a problem
//! document, ids and paging carry their bounds, and no operation declares a
//! 500. Then the server is held to a few of those promises over real HTTP,
//! and to the case a generated client depends on: a request the document
//! calls valid (a whole number written `2.0`) is accepted.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use common::TestApp;

on_both_databases!(the_document_declares_every_shared_status_and_the_server_keeps_it);

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn operations(spec: &Value) -> Vec<(String, &str, &Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((path.clone(), m, op));
            }
        }
    }
    out
}

/// Every way the document can go wrong, by operation.
fn contract_breaches(spec: &Value) -> Vec<String> {
    let mut breaches = Vec::new();
    for (path, method, op) in operations(spec) {
        let at = format!("{} {path}", method.to_uppercase());
        let responses = op["responses"].as_object().expect("responses");
        let has = |s: &str| responses.contains_key(s);
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let mut must = Vec::new();
        if secured {
            must.extend(["401", "403"]);
        }
        if op.get("requestBody").is_some() {
            must.extend(["400", "413", "415", "422"]);
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        if params.iter().any(|p| p["in"] == "path") {
            must.push("404");
        }
        if params.iter().any(|p| p["in"] == "query") {
            must.push("422");
        }
        for s in must {
            if !has(s) {
                breaches.push(format!("{at}: no {s}"));
            }
        }
        if has("500") || has("default") {
            breaches.push(format!("{at}: declares a 500 or a catch-all"));
        }
        for (status, r) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let types: Vec<&String> = r["content"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
                if types != ["application/problem+json"] {
                    breaches.push(format!("{at}: {status} is {types:?}, not a problem document"));
                }
            }
        }
        for p in &params {
            let name = p["name"].as_str().unwrap_or_default();
            let schema = &p["schema"];
            let integer = schema["type"] == "integer";
            if integer && (name == "id" || name.ends_with("_id")) && schema["minimum"] != json!(1) {
                breaches.push(format!("{at}: {name} has no minimum of 1"));
            }
            if integer && name == "limit" && (schema["minimum"].is_null() || schema["maximum"].is_null()) {
                breaches.push(format!("{at}: limit is unbounded"));
            }
        }
    }
    breaches
}

async fn the_document_declares_every_shared_status_and_the_server_keeps_it(app: TestApp) {
    let spec = app.ok(Method::GET, "/openapi.json", &app.operator, None).await;
    let ops = operations(&spec);
    assert!(ops.len() >= 120, "only {} operations in the document", ops.len());
    let breaches = contract_breaches(&spec);
    assert!(breaches.is_empty(), "{} breaches of the contract:\n{}", breaches.len(), breaches.join("\n"));

    // The check can fail: a document with one problem declared as plain JSON,
    // or a route without its 401, is caught.
    let mut broken = spec.clone();
    broken["paths"]["/bookings"]["get"]["responses"]["401"]["content"] = json!({"application/json": {}});
    broken["paths"]["/shifts"]["post"]["responses"].as_object_mut().expect("responses").remove("415");
    assert_eq!(contract_breaches(&broken).len(), 2, "{:?}", contract_breaches(&broken));

    // Zones are the bundled database's names, so the document lists them.
    let zones = spec["components"]["schemas"]["Zone"]["enum"].as_array().expect("zone names");
    assert!(zones.len() > 300 && zones.contains(&json!("Europe/London")) && zones.contains(&json!("UTC")));

    // The server keeps the shared promises, with a problem document each time.
    let (a, _, manager) = app.business("Contract Café").await;
    for (method, path, token, body, status) in [
        (Method::GET, "/bookings".to_string(), None, None, StatusCode::UNAUTHORIZED),
        (Method::POST, "/businesses".to_string(), Some(manager.as_str()), Some(json!({"name": "X", "zone": "UTC", "currency": "GBP"})), StatusCode::FORBIDDEN),
        (Method::GET, "/businesses/0".to_string(), Some(manager.as_str()), None, StatusCode::NOT_FOUND),
        (Method::GET, "/bookings?limit=0".to_string(), Some(manager.as_str()), None, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (s, problem) = app.call(method.clone(), &path, token, body).await;
        assert_eq!(s, status, "{method} {path}: {problem}");
        assert_eq!(problem["status"], json!(status.as_u16()), "{method} {path}: {problem}");
    }

    // A whole number written as a float is an integer to JSON Schema, so the
    // server takes it as one.
    let site = app
        .ok(Method::POST, &format!("/businesses/{a}/sites"), &manager, Some(json!({"name": "Annex", "zone": "Europe/London", "location": {"lat": 51.5, "lon": -0.1}})))
        .await;
    let site = site["id"].as_i64().expect("site id");
    let rules = app
        .ok(Method::PUT, &format!("/sites/{site}/labour"), &manager, Some(json!({"max_consecutive_days": 5.0, "forbidden_successions": []})))
        .await;
    assert_eq!(rules["labour"]["max_consecutive_days"], json!(5), "{rules}");
}
