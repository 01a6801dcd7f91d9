//! The last pass over the OpenAPI document: it declares what the shared parts of
//! the server answer on every route, so no handler can forget them.
//!
//! Handlers declare what their use case can answer (403, 404, 409, 429, 503 …).
//! What every route shares comes from one place and is added here, from the
//! shape of the operation:
//! - a bearer-token route can answer 401 (no token, or a revoked one) and
//!   403 (the caller's role may not do this);
//! - a route with a body: 400 (not JSON), 413 (over [`crate::MAX_BODY_BYTES`]),
//!   415 (not `application/json`) and 422 (a field with the wrong type or value);
//! - a route with a path id: 404 (an id that names nothing, or is not a number);
//! - a route with query parameters: 422 (a parameter out of its bounds).
//!
//! Every error response carries `application/problem+json` with the one
//! [`crate::Problem`] schema; ids are integers of at least 1, and paging
//! parameters carry the bounds the server enforces. The pass works on the
//! JSON form of the document, which is what clients read.

use serde_json::{json, Map, Value};
use utoipa::openapi::OpenApi;

use crate::api::MAX_OFFSET;
use slivers_store::Page;

const PROBLEM_JSON: &str = "application/problem+json";

/// The document with every shared status, problem body and bound declared.
pub fn complete(api: OpenApi) -> OpenApi {
    let mut doc = serde_json::to_value(&api).expect("the OpenAPI document is JSON");
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for method in ["get", "put", "post", "delete", "patch"] {
                if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                    complete_operation(op);
                }
            }
        }
    }
    serde_json::from_value(doc).expect("the completed document is still OpenAPI")
}

fn complete_operation(op: &mut Map<String, Value>) {
    let secured = op.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
    let has_body = op.contains_key("requestBody");
    let mut has_path = false;
    let mut has_query = false;
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params.iter_mut() {
            match p.get("in").and_then(Value::as_str) {
                Some("path") => has_path = true,
                Some("query") => has_query = true,
                _ => {}
            }
            bound_parameter(p);
        }
    }
    let responses = op.entry("responses").or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else { return };
    let mut shared: Vec<(&str, &str)> = Vec::new();
    if secured {
        shared.push(("401", "No bearer token, or one that is unknown, expired or revoked"));
        shared.push(("403", "The caller's role may not do this"));
    }
    if has_body {
        shared.push(("400", "The body is not JSON (or not the declared text)"));
        shared.push(("413", "The body is larger than 1 MiB"));
        shared.push(("415", "The body is not of the declared content type"));
        shared.push(("422", "A field is missing or has a bad value; `errors` names each"));
    }
    if has_path {
        shared.push(("404", "Nothing the caller may see has this id"));
    }
    if has_query {
        shared.push(("422", "A query parameter has a bad value; `errors` names each"));
    }
    for (status, description) in shared {
        responses.entry(status).or_insert_with(|| json!({ "description": description }));
    }
    for (status, response) in responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            if let Some(r) = response.as_object_mut() {
                r.insert("content".into(), json!({ PROBLEM_JSON: { "schema": { "$ref": "#/components/schemas/Problem" } } }));
            }
        }
    }
}

/// Ids are positive 64-bit integers; `limit` and `offset` carry the bounds
/// the server refuses beyond.
fn bound_parameter(p: &mut Value) {
    let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else { return };
    if !is_integer(schema) {
        return;
    }
    let (min, max) = match name.as_str() {
        "limit" => (1, Page::MAX_LIMIT),
        "offset" => (0, MAX_OFFSET),
        n if n == "id" || n.ends_with("_id") => (1, i64::MAX),
        _ => return,
    };
    schema.entry("minimum").or_insert(json!(min));
    schema.entry("maximum").or_insert(json!(max));
}

fn is_integer(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    }
}
