//! Passwords (argon2id), API tokens (random, stored as SHA-256 hashes) and the
//! authenticated caller.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use slivers_store::{Actor, Scope, UserRecord};

use crate::{AppError, AppState};

/// Prefix that makes leaked tokens easy to recognise in logs and scanners.
pub const TOKEN_PREFIX: &str = "slv_";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("no randomness available: {0}")]
    Random(String),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    // Argon2::default() is argon2id with the RFC 9106 second recommended
    // parameters; the salt is drawn from the operating system.
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), stored).is_ok()
}

/// A fresh token: 32 random bytes, hex, with the prefix.
pub fn new_token() -> Result<String, AuthError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex(&raw)))
}

/// Tokens are high-entropy, so a fast hash is enough; the database never sees the token itself.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Rules for new passwords, with a message a person can act on.
pub fn check_password_rules(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 10 {
        return Err("must be at least 10 characters");
    }
    if password.len() > 256 {
        return Err("must be at most 256 bytes");
    }
    Ok(())
}

/// The authenticated user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRecord,
    pub token_id: i64,
}

impl Caller {
    pub fn scope(&self) -> Scope {
        self.user.scope()
    }
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }
    pub fn is_operator(&self) -> bool {
        self.scope() == Scope::All
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).ok_or(AppError::Unauthenticated)?;
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
            return Err(AppError::Unauthenticated);
        }
        match state.store.user_by_token(&token_hash(token)).await? {
            Some((user, token_id)) => Ok(Caller { user, token_id }),
            None => Err(AppError::Unauthenticated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
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
