//! Webhook deliveries signed to the Standard Webhooks specification:
//! `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` and the
//! base64 HMAC-SHA256 of `id.timestamp.body` under the endpoint's secret).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;

/// The retry schedule the specification suggests: the wait after the n-th
/// failed attempt. After the last, the delivery is given up.
pub const RETRY_AFTER: [SignedDuration; 7] = [
    SignedDuration::from_secs(5),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
    SignedDuration::from_hours(5),
    SignedDuration::from_hours(10),
    SignedDuration::from_hours(10),
];

/// Consecutive failed attempts (across deliveries) after which an endpoint
/// is switched off: two full schedules' worth.
pub const DISABLE_AFTER_FAILURES: i64 = 16;

/// The secret's bytes: `whsec_` followed by base64.
fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)).ok()
}

/// One `v1,` signature of `body` for `msg_id` at `timestamp` (seconds).
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key(secret)?).ok()?;
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per live secret, space
/// separated, so a receiver part-way through a rotation accepts either.
pub fn signature_header(secrets: &[&str], msg_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let sigs: Option<Vec<String>> = secrets.iter().map(|s| sign(s, msg_id, timestamp, body)).collect();
    Some(sigs?.join(" "))
}

/// A fresh secret: 32 random bytes.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("whsec_{}", STANDARD.encode(bytes)))
}

/// When to try again after `attempts` failed tries, or `None` to give up.
pub fn next_attempt(now: Timestamp, attempts: i64) -> Option<Timestamp> {
    let wait = RETRY_AFTER.get(usize::try_from(attempts.checked_sub(1)?).ok()?)?;
    now.checked_add(*wait).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector published with the specification.
    #[test]
    fn the_published_test_vector_is_reproduced() {
        let got = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, r#"{"test": 2432232314}"#);
        assert_eq!(got.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    #[test]
    fn a_rotation_signs_with_both_secrets() {
        let a = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let b = new_secret().expect("random");
        let header = signature_header(&[&b, a], "msg_1", 1, "{}").expect("valid secrets");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(Some(parts[1].to_string()), sign(a, "msg_1", 1, "{}"));
        assert!(sign("whsec_not base64!", "m", 1, "").is_none());
    }

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let t0 = Timestamp::from_second(1_800_000_000).expect("valid");
        assert_eq!(next_attempt(t0, 1), Some(t0 + SignedDuration::from_secs(5)));
        assert_eq!(next_attempt(t0, 2), Some(t0 + SignedDuration::from_mins(5)));
        assert_eq!(next_attempt(t0, 7), Some(t0 + SignedDuration::from_hours(10)));
        assert_eq!(next_attempt(t0, 8), None);
        assert_eq!(next_attempt(t0, 0), None);
    }
}
