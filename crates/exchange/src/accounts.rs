//! Opening an account: a login together with the worker profile or the
//! business (and its first site) it acts for.

use slivers_core::Invalid;
use slivers_store::{NewAccount, StoreError, UserRecord};

use crate::{credentials, Exchange, ExchangeError, Result};

/// What the new account acts for.
pub use slivers_store::AccountProfile;

const TAKEN: &str = "an account with this email already exists; sign in instead";

/// Sign up: the profile (or business and first site) and the login, in one
/// transaction. A taken email is refused by name and writes nothing; the
/// worker declares their skills only (the exchange writes the rest of the evidence).
pub async fn sign_up(ex: &Exchange, email: &str, password: &str, profile: AccountProfile) -> Result<UserRecord> {
    if let Err(why) = credentials::check_password_rules(password) {
        return Err(Invalid::one("password", format!("the password {why}")).into());
    }
    if ex.store.user_by_email(email).await?.is_some() {
        return Err(Invalid::one("email", TAKEN).into());
    }
    if let AccountProfile::Worker(w) = &profile {
        slivers_core::skills::declared_only(&w.skills)?;
    }
    let password_hash = credentials::hash_password(password).await?;
    let account = NewAccount { email: email.to_string(), password_hash, profile };
    let user = match ex.store.create_account(&account, ex.now()).await {
        Ok(user) => user,
        // Two sign-ups raced for one email: the other won, and this one wrote nothing.
        Err(StoreError::Conflict(_)) => return Err(Invalid::one("email", TAKEN).into()),
        Err(e) => return Err(ExchangeError::from(e)),
    };
    ex.refresh().await;
    Ok(user)
}
