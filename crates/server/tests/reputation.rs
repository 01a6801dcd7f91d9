//! Portable reputation over HTTP, on SQLite and PostgreSQL (must-show c): an
//! exported record verifies with an independent implementation (Python's
//! `cryptography` Ed25519, which computes the canonical form itself with
//! `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`,
//! equal to JCS for our integer-only, ASCII-key JSON); changing one character
//! makes it invalid; a revoked record is listed as revoked.

mod common;
#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::TestApp;

on_both_databases!(an_exported_record_verifies_independently_and_can_be_revoked);

/// Reads the issuer key (base64url) as argv[1] and the credential on stdin;
/// prints "valid" or "invalid".
const VERIFIER: &str = r#"
import base64, json, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

vc = json.loads(sys.stdin.read())
proof = vc.pop("proof")
def no_floats(v):
    assert not isinstance(v, float), v
    if isinstance(v, dict):
        for k, x in v.items():
            assert k.isascii(), k
            no_floats(x)
    elif isinstance(v, list):
        for x in v:
            no_floats(x)
no_floats(vc)
canonical = json.dumps(vc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
key = Ed25519PublicKey.from_public_bytes(b64(sys.argv[1]))
try:
    key.verify(b64(proof["proofValue"]), canonical)
    print("valid")
except InvalidSignature:
    print("invalid")
"#;

fn python_verdict(key: &str, credential: &str) -> String {
    use std::io::Write;
    let mut child = pytools::python()
        .args(["-c", VERIFIER, key])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().expect("stdin").write_all(credential.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "verifier failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

async fn an_exported_record_verifies_independently_and_can_be_revoked(app: TestApp) {
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0});
    let (w, token) = app.worker("Ada Reputation", limits).await;

    // The published key needs no sign-in.
    let (status, issuer) = app.call(Method::GET, "/issuer", None, None).await;
    assert_eq!(status, StatusCode::OK, "{issuer}");
    let key = issuer["public_key"].as_str().expect("public key").to_string();
    assert!(issuer["public_key_multibase"].as_str().is_some_and(|m| m.starts_with("z6Mk")), "{issuer}");

    let vc = app.ok(Method::POST, &format!("/workers/{w}/credentials"), &token, Some(json!({"skills": ["barista"]}))).await;
    assert_eq!(vc["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert_eq!(vc["type"], json!(["VerifiableCredential", "SliversReputation"]));
    assert_eq!(vc["issuer"], issuer["issuer"]);
    assert_eq!(vc["proof"]["verificationMethod"], issuer["verification_method"]);
    let skill = &vc["credentialSubject"]["skills"][0];
    assert_eq!((skill["skill"].as_str(), skill["effectiveLevel"].as_i64()), (Some("barista"), Some(3)), "{vc}");
    assert!(skill["reasons"][0].as_str().is_some_and(|r| r.starts_with("assessment 3")), "{vc}");
    assert_eq!(skill["evidence"]["assessments"], 1);
    assert!(vc["credentialSubject"]["reliability"]["completed"].is_i64(), "{vc}");

    let text = serde_json::to_string(&vc).expect("json");
    assert_eq!(python_verdict(&key, &text), "valid", "{text}");
    // One character changed in a signed value: invalid.
    let tampered = text.replacen("Ada Reputation", "Ada Reputatiom", 1);
    assert_ne!(tampered, text);
    assert_eq!(python_verdict(&key, &tampered), "invalid");
    let mut raised = vc.clone();
    raised["credentialSubject"]["skills"][0]["effectiveLevel"] = json!(5);
    assert_eq!(python_verdict(&key, &raised.to_string()), "invalid");

    // Revoked: on the public status list by id and index; revoking again keeps the first time.
    let id = vc["id"].as_str().expect("id");
    assert!(id.starts_with("urn:slivers:credential:"), "{id}");
    let (_, before) = app.call(Method::GET, "/credentials/status", None, None).await;
    assert_eq!(before["revoked"], json!([]));
    let revoked = app.ok(Method::POST, &format!("/credentials/{id}/revoke"), &token, None).await;
    let again = app.ok(Method::POST, &format!("/credentials/{id}/revoke"), &token, None).await;
    assert_eq!(revoked["revoked_at"], again["revoked_at"]);
    let (status, list) = app.call(Method::GET, "/credentials/status", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["revoked"][0]["id"], vc["id"], "{list}");
    assert_eq!(list["revoked"][0]["status_index"], vc["credentialStatus"]["statusListIndex"], "{list}");
    // Revoked is not forged: the signature still verifies, the status list says revoked.
    assert_eq!(python_verdict(&key, &text), "valid");

    // Operators cannot export for a worker: they see the worker, so it is
    // 403 (for a business the worker would not exist: 404, in tenancy.rs).
    let (status, _) = app.call(Method::POST, &format!("/workers/{w}/credentials"), Some(&app.operator), Some(json!({"skills": ["barista"]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
