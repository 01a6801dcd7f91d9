//! An account's life after sign-up: verifying the email, resetting a
//! forgotten password by an emailed link, moving to a new email, claiming an
//! account a business imported, email preferences, and leaving with one's
//! data. Links carry single-use tokens; only their hashes are stored, and
//! the outbox forgets the link once the email is sent.

use jiff::SignedDuration;
use slivers_core::validation::check_email;
use slivers_core::Invalid;
use slivers_store::{NewAccountToken, Redeem, Role, Scope, StoreError, TokenPurpose, UserRecord};

use crate::credentials::{self, hash_password, new_token, token_hash};
use crate::{Exchange, ExchangeError, Result};

/// How long each kind of link works.
pub fn lifetime(purpose: TokenPurpose) -> SignedDuration {
    match purpose {
        // A reset link is a key to the account: short-lived.
        TokenPurpose::ResetPassword => SignedDuration::from_hours(1),
        TokenPurpose::VerifyEmail | TokenPurpose::ChangeEmail => SignedDuration::from_hours(24),
        TokenPurpose::ClaimAccount => SignedDuration::from_hours(24 * 14),
    }
}

const USED_OR_EXPIRED: &str = "this link is unknown, already used or expired; ask for a new one";

/// Issue a token of `purpose` to `user` and queue the email carrying it.
pub(crate) async fn send_link(ex: &Exchange, user: &UserRecord, purpose: TokenPurpose, new_email: Option<String>, extra: serde_json::Value) -> Result<()> {
    let token = new_token()?;
    let now = ex.now();
    let mut data = extra;
    data["token"] = token.clone().into();
    let t = NewAccountToken { user: user.id, purpose, token_hash: token_hash(&token), new_email, expires_at: now + lifetime(purpose), data };
    match ex.store.issue_account_token(&t, now).await {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict(_)) => Err(Invalid::one("new_email", "an account with this email already exists").into()),
        Err(e) => Err(e.into()),
    }
}

pub async fn is_verified(ex: &Exchange, user: &UserRecord) -> Result<bool> {
    Ok(ex.store.email_verified_at(user.id).await?.is_some())
}

/// Email the signed-in user a link that proves the address is theirs.
pub async fn request_verification(ex: &Exchange, user: &UserRecord) -> Result<()> {
    if ex.store.email_verified_at(user.id).await?.is_some() {
        return Err(Invalid::one("email", "this email address is already verified").into());
    }
    send_link(ex, user, TokenPurpose::VerifyEmail, None, serde_json::json!({})).await
}

fn check_token(token: &str) -> Result<String> {
    if !credentials::plausible_token(token) {
        return Err(Invalid::one("token", USED_OR_EXPIRED).into());
    }
    Ok(token_hash(token))
}

async fn redeem(ex: &Exchange, token: &str, purpose: TokenPurpose, what: Redeem) -> Result<UserRecord> {
    let hash = check_token(token)?;
    match ex.store.redeem_account_token(&hash, purpose, &what, ex.now()).await {
        Err(StoreError::NotFound(_)) => Err(Invalid::one("token", USED_OR_EXPIRED).into()),
        Err(StoreError::Conflict(_)) => Err(Invalid::one("token", "the new email address has been taken meanwhile").into()),
        other => Ok(other?),
    }
}

pub async fn verify_email(ex: &Exchange, token: &str) -> Result<UserRecord> {
    redeem(ex, token, TokenPurpose::VerifyEmail, Redeem::VerifyEmail).await
}

/// Ask for a reset link. The answer is the same whether or not the email
/// has an account, so the form does not reveal who is a customer.
pub async fn request_password_reset(ex: &Exchange, email: &str) -> Result<()> {
    if let Err(why) = check_email(email) {
        return Err(Invalid::one("email", why).into());
    }
    if let Some(user) = ex.store.user_by_email(email).await? {
        send_link(ex, &user, TokenPurpose::ResetPassword, None, serde_json::json!({})).await?;
    }
    Ok(())
}

async fn new_password_hash(password: &str) -> Result<String> {
    if let Err(why) = credentials::check_password_rules(password) {
        return Err(Invalid::one("password", format!("the password {why}")).into());
    }
    hash_password(password).await
}

/// Set a new password through a reset link. Every session and API token
/// of the account ends, so whoever knew the old password is signed out.
pub async fn reset_password(ex: &Exchange, token: &str, password: &str) -> Result<UserRecord> {
    check_token(token)?;
    let hash = new_password_hash(password).await?;
    redeem(ex, token, TokenPurpose::ResetPassword, Redeem::SetPassword(hash)).await
}

/// Take over an account a business imported, by choosing a password.
pub async fn claim_account(ex: &Exchange, token: &str, password: &str) -> Result<UserRecord> {
    check_token(token)?;
    let hash = new_password_hash(password).await?;
    redeem(ex, token, TokenPurpose::ClaimAccount, Redeem::SetPassword(hash)).await
}

/// Start moving the account to `new_email`: the password proves it is the
/// owner, and a link to the new address proves it is theirs.
pub async fn request_email_change(ex: &Exchange, user: &UserRecord, new_email: &str, password: &str) -> Result<()> {
    if let Err(why) = check_email(new_email) {
        return Err(Invalid::one("new_email", why).into());
    }
    if new_email.eq_ignore_ascii_case(&user.email) {
        return Err(Invalid::one("new_email", "is already this account's email").into());
    }
    if credentials::authenticate(ex, &user.email, password).await.is_err() {
        return Err(Invalid::one("password", "is not this account's password").into());
    }
    send_link(ex, user, TokenPurpose::ChangeEmail, Some(new_email.to_lowercase()), serde_json::json!({})).await
}

pub async fn confirm_email_change(ex: &Exchange, token: &str) -> Result<UserRecord> {
    redeem(ex, token, TokenPurpose::ChangeEmail, Redeem::ChangeEmail).await
}

/// One email topic and whether this user receives it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preference {
    pub topic: String,
    pub description: String,
    /// Essential emails (account security, bookings, money) cannot be turned off.
    pub essential: bool,
    pub enabled: bool,
}

pub async fn email_preferences(ex: &Exchange, user: &UserRecord) -> Result<Vec<Preference>> {
    let set = ex.store.email_preferences(user.id).await?;
    Ok(slivers_core::notifications::TOPICS
        .iter()
        .map(|t| Preference {
            topic: t.name.into(),
            description: t.describe.into(),
            essential: t.essential,
            enabled: t.essential || set.iter().find(|(n, _)| n == t.name).is_none_or(|(_, on)| *on),
        })
        .collect())
}

pub async fn set_email_preference(ex: &Exchange, user: &UserRecord, topic: &str, enabled: bool) -> Result<Vec<Preference>> {
    match slivers_core::notifications::topic(topic) {
        None => return Err(Invalid::one("topic", format!("unknown topic `{topic}`")).into()),
        Some(t) if t.essential && !enabled => return Err(Invalid::one("topic", format!("`{topic}` emails are essential and cannot be turned off")).into()),
        Some(_) => ex.store.set_email_preference(user.id, topic, enabled).await?,
    }
    email_preferences(ex, user).await
}

/// The one-click unsubscribe link of a non-essential email.
pub async fn unsubscribe(ex: &Exchange, key: &str, topic: &str) -> Result<UserRecord> {
    if key.is_empty() || key.len() > 128 {
        return Err(Invalid::one("key", "unknown unsubscribe link").into());
    }
    let user = ex.store.user_by_unsubscribe_key(key).await?.ok_or_else(|| Invalid::one("key", "unknown unsubscribe link"))?;
    set_email_preference(ex, &user, topic, false).await?;
    Ok(user)
}

/// Everything the exchange holds about the user, as JSON.
pub async fn export(ex: &Exchange, user: &UserRecord) -> Result<serde_json::Value> {
    let scope = user.scope();
    let page = slivers_store::Page { limit: 100_000, offset: 0 };
    let mut out = serde_json::json!({
        "exported_at": ex.now().to_string(),
        "account": { "id": user.id.0, "email": user.email, "role": user.role,
                     "email_verified_at": ex.store.email_verified_at(user.id).await?.map(|t| t.to_string()) },
        "email_preferences": email_preferences(ex, user).await?,
        "api_tokens": ex.store.list_tokens(user.id).await?,
        "emails_sent": ex.store.list_outbox(&slivers_store::OutboxFilter { user: Some(user.id), ..Default::default() }, &Scope::All, page).await?
            .into_iter().map(|o| serde_json::json!({ "at": o.created_at.to_string(), "topic": o.topic, "status": o.status })).collect::<Vec<_>>(),
    });
    if let Some(w) = user.worker_id {
        out["worker"] = serde_json::to_value(ex.store.get_worker(w, &scope).await?).map_err(|e| ExchangeError::Internal(e.to_string()))?;
    }
    let bookings = ex.store.list_bookings(&slivers_store::BookingFilter::default(), &scope, page).await?;
    out["bookings"] = serde_json::to_value(bookings).map_err(|e| ExchangeError::Internal(e.to_string()))?;
    let timesheets = ex.store.list_timesheets(&slivers_store::TimesheetFilter::default(), &scope, page).await?;
    out["timesheets"] = serde_json::to_value(timesheets).map_err(|e| ExchangeError::Internal(e.to_string()))?;
    let ratings = ex.store.list_ratings(&slivers_store::RatingFilter::default(), &scope, page).await?;
    out["ratings"] = serde_json::to_value(ratings).map_err(|e| ExchangeError::Internal(e.to_string()))?;
    let documents = ex.store.list_documents(&slivers_store::DocumentFilter::default(), &scope, page).await?;
    out["documents"] = serde_json::to_value(documents).map_err(|e| ExchangeError::Internal(e.to_string()))?;
    Ok(out)
}

/// Leave: the export first, then the erasure. The password confirms it is
/// the owner. Bookings, timesheets, invoices and pay statements stay as
/// records the law requires; the worker's profile is emptied and renamed.
pub async fn delete_account(ex: &Exchange, user: &UserRecord, password: &str) -> Result<serde_json::Value> {
    if user.role == Role::Operator {
        return Err(ExchangeError::Forbidden("operator accounts are removed by another operator"));
    }
    if credentials::authenticate(ex, &user.email, password).await.is_err() {
        return Err(Invalid::one("password", "is not this account's password").into());
    }
    let data = export(ex, user).await?;
    let scrubbed = match user.worker_id {
        Some(w) => Some(ex.store.get_worker(w, &Scope::All).await?.erased()),
        None => None,
    };
    ex.store.delete_account(user.id, scrubbed.as_ref(), &user.actor(), ex.now()).await?;
    ex.refresh().await;
    Ok(data)
}
