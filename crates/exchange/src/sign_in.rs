//! Signing in with a password, rate-limited: the portal's sign-in form and
//! the API's token endpoint both come here. Failed attempts are counted per
//! (email, client address) in the database (`Store::sign_in_failures`), so
//! every server process on one database enforces the same limit.

use std::net::IpAddr;

use jiff::SignedDuration;
use slivers_store::UserRecord;

use crate::credentials::{authenticate, token_hash};
use crate::{Exchange, ExchangeError, Result};

/// Failed sign-ins allowed per email and address within [`WINDOW`]; the next
/// attempt, even with the right password, is refused until the oldest ages out.
pub const MAX_FAILURES: i64 = 5;
/// How long a failed sign-in counts.
pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// The limiter's key: a hash, so the table holds neither email nor address.
fn key(email: &str, ip: Option<IpAddr>) -> String {
    let ip = ip.map_or_else(|| "unknown".to_string(), |a| a.to_string());
    token_hash(&format!("sign-in|{}|{ip}", email.trim().to_lowercase()))
}

/// The user whose email and password these are. `TooManyAttempts` while
/// the (email, address) pair has [`MAX_FAILURES`] recent failures, before the
/// password is even checked; `Unauthenticated` for a wrong password or an
/// unknown email (each counted); a success clears the count.
pub async fn sign_in(ex: &Exchange, email: &str, password: &str, ip: Option<IpAddr>) -> Result<UserRecord> {
    let key = key(email, ip);
    let now = ex.now();
    if ex.store.sign_in_failures(&key, now - WINDOW).await? >= MAX_FAILURES {
        return Err(ExchangeError::TooManyAttempts);
    }
    match authenticate(ex, email, password).await {
        Ok(user) => {
            ex.store.clear_sign_in_failures(&key).await?;
            Ok(user)
        }
        Err(ExchangeError::Unauthenticated) => {
            ex.store.record_sign_in_failure(&key, now, now - WINDOW).await?;
            Err(ExchangeError::Unauthenticated)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spaces_and_differ_by_address() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(key(" Ada@Example.com ", Some(ip)), key("ada@example.com", Some(ip)));
        assert_ne!(key("ada@example.com", Some(ip)), key("ada@example.com", None));
        assert!(!key("ada@example.com", Some(ip)).contains("ada"));
    }
}
