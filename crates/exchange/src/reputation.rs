//! Portable reputation: a worker exports a signed record of chosen skills
//! (effective levels and the `SkillClaim::weigh` reasons, evidence summaries)
//! and their public reliability and reputation, as a W3C Verifiable
//! Credential (data model 2.0) that anyone can verify offline against the
//! exchange's published Ed25519 key, and revoke it later.
//!
//! Signing: `proof.proofValue` is the base64url (no padding) Ed25519
//! signature over the UTF-8 bytes of [`jcs::canonical`] of the credential
//! without its `proof` member. This follows the shape of `eddsa-jcs-2022`
//! but signs the canonical document directly rather than the hash of proof
//! options and document, so a verifier needs only JCS and Ed25519; the
//! cryptosuite is therefore named `slivers-eddsa-jcs-2026`.
//!
//! Key storage: the signing key is generated on first use (32 bytes from
//! `getrandom`) and kept in the database (`issuer_keys`). A read of that
//! table lets anyone sign in the exchange's name; a production deployment
//! would keep it in a KMS or a file only the server reads. The issuer is the
//! key's `did:key`, so a record names the key that signed it.

pub mod jcs;

use std::collections::BTreeSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use slivers_core::ids::WorkerId;
use slivers_core::Invalid;
use slivers_store::IssuedCredential;

use crate::{workers, Exchange, ExchangeError, Principal, Result};

/// The cryptosuite name in every proof (see the module docs for why not `eddsa-jcs-2022`).
pub const CRYPTOSUITE: &str = "slivers-eddsa-jcs-2026";
/// The base of the status list entries: the list is served at `GET /api/v1/credentials/status`.
pub const STATUS_LIST: &str = "urn:slivers:credentials:status";

/// What the worker chooses to export.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRequest {
    /// Skill codes from the worker's own profile; at least one.
    pub skills: Vec<String>,
}

/// The exchange's published verification key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuerKey {
    /// `did:key:z6Mk…`, the `issuer` of every record.
    pub issuer: String,
    /// The `verificationMethod` in every proof.
    pub verification_method: String,
    pub algorithm: &'static str,
    pub cryptosuite: &'static str,
    /// The 32-byte Ed25519 public key, base64url without padding.
    pub public_key: String,
    /// The same key as multibase (base58btc of the multicodec `ed25519-pub` prefix and the key).
    pub public_key_multibase: String,
    /// How `proofValue` is computed, in words.
    pub canonical_form: &'static str,
}

/// The public status list: every revoked record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusList {
    pub issuer: String,
    /// Revoked credentials (id, status index, when).
    pub revoked: Vec<RevokedEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedEntry {
    pub id: String,
    pub status_index: i64,
    pub revoked_at: jiff::Timestamp,
}

const CANONICAL_FORM: &str = "Ed25519 over the UTF-8 bytes of the RFC 8785 (JCS) form of the credential without its `proof` member; integers only";

/// The exchange's signing key, created on first use.
async fn signing_key(ex: &Exchange) -> Result<SigningKey> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| ExchangeError::Internal(format!("no randomness available: {e}")))?;
    let stored = ex.store.issuer_key(&URL_SAFE_NO_PAD.encode(fresh), ex.now()).await?;
    let bytes = URL_SAFE_NO_PAD.decode(stored.as_bytes()).map_err(|e| ExchangeError::Internal(format!("stored issuer key: {e}")))?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| ExchangeError::Internal("stored issuer key is not 32 bytes".into()))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// `z` + base58btc(0xed 0x01 ‖ key): the multibase form `did:key` uses.
fn multibase(key: &VerifyingKey) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut input = vec![0xed, 0x01];
    input.extend_from_slice(key.as_bytes());
    // Big-number division by 58, digits little-endian; leading zero bytes become '1'.
    let mut digits: Vec<u8> = Vec::new();
    for &byte in &input {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = input.iter().take_while(|b| **b == 0).count();
    let mut out = String::from("z");
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(digits.iter().rev().map(|d| char::from(ALPHABET[usize::from(*d)])));
    out
}

fn describe(key: &VerifyingKey) -> IssuerKey {
    let mb = multibase(key);
    let issuer = format!("did:key:{mb}");
    IssuerKey {
        verification_method: format!("{issuer}#{mb}"),
        issuer,
        algorithm: "Ed25519",
        cryptosuite: CRYPTOSUITE,
        public_key: URL_SAFE_NO_PAD.encode(key.as_bytes()),
        public_key_multibase: mb,
        canonical_form: CANONICAL_FORM,
    }
}

/// The published key (public).
pub async fn issuer(ex: &Exchange) -> Result<IssuerKey> {
    Ok(describe(&signing_key(ex).await?.verifying_key()))
}

/// A random `urn:slivers:credential:` id in the 8-4-4-4-12 hex shape of a UUID.
fn new_id() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| ExchangeError::Internal(format!("no randomness available: {e}")))?;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("urn:slivers:credential:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// Issue a signed record of the chosen skills: the worker themself only
/// (anyone else, operators included, is told the worker does not exist).
pub async fn export(ex: &Exchange, who: &Principal, worker: WorkerId, request: &ExportRequest) -> Result<Value> {
    who.require_self(worker, "only the worker exports their own credentials")?;
    let profile = workers::public_profile(ex, who, worker, None).await?;
    if request.skills.is_empty() {
        return Err(Invalid::one("skills", "choose at least one skill").into());
    }
    let mut chosen = BTreeSet::new();
    for (i, code) in request.skills.iter().enumerate() {
        if !profile.skills.iter().any(|s| s.skill.as_str() == code.as_str()) {
            return Err(Invalid::one(format!("skills[{i}]"), "not one of your skills").into());
        }
        chosen.insert(code.as_str());
    }
    let key = signing_key(ex).await?;
    let issuer = describe(&key.verifying_key());
    let id = new_id()?;
    let now = ex.now();
    let index = ex.store.record_credential(&id, worker, now).await?;
    let skills: Vec<Value> = profile
        .skills
        .iter()
        .filter(|s| chosen.contains(s.skill.as_str()))
        .map(|s| {
            json!({
                "skill": s.skill.as_str(),
                "effectiveLevel": s.effective_level.get(),
                "reasons": s.reasons,
                "evidence": {
                    "assessments": s.evidence.assessments,
                    "bestAssessment": s.evidence.best_assessment,
                    "verifiedMinutes": s.evidence.verified_minutes,
                    "ratings": s.evidence.ratings,
                    // Text, not a number: the canonical form carries integers only.
                    "averageRating": s.evidence.average_rating.map(|d| d.to_string()),
                    "reviewedPortfolio": s.evidence.reviewed_portfolio,
                    "certificates": s.evidence.certificates,
                },
            })
        })
        .collect();
    let r = &profile.reliability;
    let mut credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "SliversReputation"],
        "id": id,
        "issuer": issuer.issuer,
        "validFrom": now.to_string(),
        "credentialSubject": {
            "id": format!("urn:slivers:worker:{}", worker.0),
            "name": profile.name,
            "skills": skills,
            "reputation": {"ratings": profile.reputation.ratings, "averageRating": profile.reputation.average.map(|d| d.to_string())},
            "reliability": {
                "completed": r.completed,
                "noShows": r.no_shows,
                "cancelledByWorker": r.cancelled_by_worker,
                "lateCancellations": r.late_cancellations,
            },
        },
        "credentialStatus": {
            "id": format!("{STATUS_LIST}#{index}"),
            "type": "SliversRevocationList",
            "statusPurpose": "revocation",
            "statusListIndex": index,
            "statusListCredential": STATUS_LIST,
        },
    });
    let canonical = jcs::canonical(&credential).map_err(ExchangeError::Internal)?;
    let signature = key.sign(canonical.as_bytes());
    let proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": now.to_string(),
        "verificationMethod": issuer.verification_method,
        "proofPurpose": "assertionMethod",
        "proofValue": URL_SAFE_NO_PAD.encode(signature.to_bytes()),
    });
    if let Value::Object(map) = &mut credential {
        map.insert("proof".into(), proof);
    }
    Ok(credential)
}

/// Whether `credential` carries a valid signature by `key` (the exchange's own check).
pub fn verify(credential: &Value, key: &VerifyingKey) -> bool {
    let Value::Object(map) = credential else { return false };
    let Some(sig) = map.get("proof").and_then(|p| p.get("proofValue")).and_then(Value::as_str) else { return false };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig.as_bytes()) else { return false };
    let Ok(sig) = Signature::from_slice(&sig) else { return false };
    let mut unsigned = map.clone();
    unsigned.remove("proof");
    match jcs::canonical(&Value::Object(unsigned)) {
        Ok(text) => key.verify(text.as_bytes(), &sig).is_ok(),
        Err(_) => false,
    }
}

/// Revoke one of the worker's own records; another's is not found.
pub async fn revoke(ex: &Exchange, who: &Principal, id: &str) -> Result<IssuedCredential> {
    let Some(me) = who.worker() else { return Err(ExchangeError::NotFound("credential")) };
    Ok(ex.store.revoke_credential(id, me, ex.now()).await?)
}

/// The public list of revoked records.
pub async fn status(ex: &Exchange) -> Result<StatusList> {
    let issuer = issuer(ex).await?.issuer;
    let revoked = ex
        .store
        .issued_credentials(None)
        .await?
        .into_iter()
        .filter_map(|c| c.revoked_at.map(|at| RevokedEntry { id: c.id, status_index: c.status_index, revoked_at: at }))
        .collect();
    Ok(StatusList { issuer, revoked })
}
