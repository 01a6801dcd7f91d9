//! Credentials: passwords (argon2id, hashed and verified on the blocking pool,
//! never on the async workers), API tokens and portal sessions (random,
//! stored only as SHA-256 hashes), and the use cases that issue them.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use jiff::SignedDuration;
use sha2::{Digest, Sha256};
use slivers_core::validation::Collector;
use slivers_core::ids::UserId;
use slivers_store::{NewUser, SessionRecord, TokenRecord, UserRecord};

use crate::{Exchange, ExchangeError, Result};

/// Prefix that makes leaked tokens easy to recognise in logs and scanners.
pub const TOKEN_PREFIX: &str = "slv_";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Argon2id is deliberately slow (tens of milliseconds): run it where it
/// cannot stall other requests.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ExchangeError::Internal(e.to_string()))
}

/// Hash on the calling thread: for one-off tools and test set-up, never a request path.
pub fn hash_password_blocking(password: &str) -> Result<String> {
    // Argon2::default() is argon2id with the RFC 9106 second recommended
    // parameters; the salt is drawn from the operating system.
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| ExchangeError::Internal(format!("password hashing failed: {e}")))
}

/// Hash a new password (argon2id), off the async workers.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    blocking(move || hash_password_blocking(&password)).await?
}

/// Check a password against a stored hash, off the async workers.
pub async fn verify_password(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_string(), stored.to_string());
    blocking(move || Argon2::default().verify_password(password.as_bytes(), stored.as_str()).is_ok()).await
}

/// A fresh token: 32 random bytes, hex, with the prefix.
pub fn new_token() -> Result<String> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| ExchangeError::Internal(format!("no randomness available: {e}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex(&raw)))
}

/// Tokens are high-entropy, so a fast hash is enough; the database never sees the token itself.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A token that cannot be one of ours is refused before touching the database.
pub fn plausible_token(token: &str) -> bool {
    token.starts_with(TOKEN_PREFIX) && token.len() <= 128
}

/// Rules for new passwords, with a message a person can act on.
pub fn check_password_rules(password: &str) -> std::result::Result<(), &'static str> {
    if password.chars().count() < 10 {
        return Err("must be at least 10 characters");
    }
    if password.chars().count() > 256 {
        return Err("must be at most 256 characters");
    }
    Ok(())
}

/// A real argon2id hash of a throwaway password, so an unknown email costs as
/// much time as a wrong password and timing does not reveal accounts.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password_blocking("not a real password").unwrap_or_default());

/// The user whose email and password these are; `Unauthenticated` otherwise,
/// the same for an unknown email as for a wrong password.
pub async fn authenticate(ex: &Exchange, email: &str, password: &str) -> Result<UserRecord> {
    let user = if email.is_empty() || email.chars().count() > 254 || password.is_empty() || password.chars().count() > 256 {
        None
    } else {
        ex.store.user_by_email(email).await?
    };
    let stored = user.as_ref().map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let ok = verify_password(password, &stored).await?;
    user.filter(|_| ok).ok_or(ExchangeError::Unauthenticated)
}

/// A new API token for a user who proves their password.
pub struct IssuedToken {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub record: TokenRecord,
    pub user: UserRecord,
}

/// Exchange email and password for an API token, through the sign-in
/// limiter (`ip`: the client's address, part of the limiter's key).
pub async fn issue_token(ex: &Exchange, email: &str, password: &str, label: Option<String>, ip: Option<std::net::IpAddr>) -> Result<IssuedToken> {
    let label = label.unwrap_or_else(|| "api".into());
    let mut c = Collector::new();
    c.check(!email.is_empty() && email.chars().count() <= 254, "email", "must be 1 to 254 characters");
    c.check(!password.is_empty() && password.chars().count() <= 256, "password", "must be 1 to 256 characters");
    c.check(label.chars().count() <= 100, "label", "at most 100 characters");
    c.finish()?;
    let user = crate::sign_in::sign_in(ex, email, password, ip).await?;
    let token = new_token()?;
    let record = ex.store.create_token(user.id, &token_hash(&token), &label, ex.now()).await?;
    Ok(IssuedToken { token, record, user })
}

/// The user behind an API token, and the token's id.
pub async fn user_for_token(ex: &Exchange, token: &str) -> Result<Option<(UserRecord, i64)>> {
    if !plausible_token(token) {
        return Ok(None);
    }
    Ok(ex.store.user_by_token(&token_hash(token)).await?)
}

pub async fn list_tokens(ex: &Exchange, user: UserId) -> Result<Vec<TokenRecord>> {
    Ok(ex.store.list_tokens(user).await?)
}

/// Revoke one of the user's own tokens; another user's is not found.
pub async fn revoke_token(ex: &Exchange, user: UserId, token_id: i64) -> Result<()> {
    if ex.store.revoke_token(user, token_id, ex.now()).await? { Ok(()) } else { Err(ExchangeError::NotFound("token")) }
}

/// A new portal session: the cookie token (shown once) and its CSRF token.
pub struct OpenedSession {
    pub token: String,
    pub csrf: String,
}

/// Open a portal session for `user`, valid for `hours`.
pub async fn open_session(ex: &Exchange, user: UserId, hours: i64) -> Result<OpenedSession> {
    let token = new_token()?;
    let csrf = new_token()?;
    let now = ex.now();
    ex.store.create_session(&token_hash(&token), user, &csrf, now, now + SignedDuration::from_hours(hours)).await?;
    Ok(OpenedSession { token, csrf })
}

/// A session unused for this long has ended, whatever its absolute expiry.
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(2);
/// A session's last use is written at most this often, not on every request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(1);

/// The live session named by a cookie token, with the hash it is stored
/// under. Past its absolute expiry or idle for [`SESSION_IDLE`], it is gone
/// (an idle one is deleted here); otherwise its idle clock restarts.
pub async fn session(ex: &Exchange, token: &str) -> Result<Option<(SessionRecord, String)>> {
    if !plausible_token(token) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let now = ex.now();
    let Some(s) = ex.store.session_by_token(&hash, now).await? else { return Ok(None) };
    let idle = now.duration_since(s.last_seen_at);
    if idle >= SESSION_IDLE {
        ex.store.delete_session(&hash).await?;
        return Ok(None);
    }
    if idle >= TOUCH_EVERY {
        ex.store.touch_session(&hash, now).await?;
    }
    Ok(Some((s, hash)))
}

pub async fn close_session(ex: &Exchange, token_hash: &str) -> Result<()> {
    Ok(ex.store.delete_session(token_hash).await?)
}

/// Create a login (the CLI's `user create`, and sign-up): checks the password
/// rules, hashes it off the async workers.
pub async fn create_user(ex: &Exchange, mut user: NewUser, password: &str) -> Result<UserId> {
    if let Err(why) = check_password_rules(password) {
        return Err(slivers_core::Invalid::one("password", format!("the password {why}")).into());
    }
    user.password_hash = hash_password(password).await?;
    Ok(ex.store.create_user(user).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h).await.unwrap());
        assert!(!verify_password("wrong", &h).await.unwrap());
    }

    /// On a runtime with one thread, a timer fires while a password is being
    /// verified: argon2 runs on the blocking pool, never on the async worker
    /// (inline, the verification would finish within its first poll).
    #[tokio::test(flavor = "current_thread")]
    async fn argon2_runs_off_the_async_workers() {
        let h = hash_password("correct horse battery").await.unwrap();
        let verify = verify_password("correct horse battery", &h);
        tokio::pin!(verify);
        let ticked = tokio::select! {
            biased;
            ok = &mut verify => { assert!(ok.unwrap()); false }
            () = tokio::time::sleep(std::time::Duration::from_millis(1)) => true,
        };
        assert!(ticked, "the async worker was free while argon2 ran");
        assert!(verify.await.unwrap());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
