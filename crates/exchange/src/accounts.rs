//! Opening an account: a login together with the worker profile or the
//! business (and its first site) it acts for.

use slivers_core::business::Site;
use slivers_core::geo::GeoPoint;
use slivers_core::worker::Worker;
use slivers_core::Invalid;
use slivers_store::{Actor, NewBusiness, NewSite, NewUser, Role, StoreError, UserRecord};

use crate::{credentials, Exchange, ExchangeError, Result};

/// What the new account acts for.
pub enum NewProfile {
    Worker(Worker),
    Business { business: NewBusiness, first_site: String, location: GeoPoint },
}

const TAKEN: &str = "an account with this email already exists; sign in instead";

/// Sign up: the profile (or business and first site), then the login. A
/// taken email is refused by name before anything is written; the worker
/// declares their skills only (the exchange writes the rest of the evidence).
pub async fn sign_up(ex: &Exchange, email: &str, password: &str, profile: NewProfile) -> Result<UserRecord> {
    if let Err(why) = credentials::check_password_rules(password) {
        return Err(Invalid::one("password", format!("the password {why}")).into());
    }
    if ex.store.user_by_email(email).await?.is_some() {
        return Err(Invalid::one("email", TAKEN).into());
    }
    let password_hash = credentials::hash_password(password).await?;
    let (system, now) = (Actor::system(), ex.now());
    let (role, worker_id, business_id) = match profile {
        NewProfile::Worker(worker) => {
            slivers_core::skills::declared_only(&worker.skills)?;
            worker.validate()?;
            (Role::Worker, Some(ex.store.create_worker(&worker, &system, now).await?), None)
        }
        NewProfile::Business { business, first_site, location } => {
            let b = ex.store.create_business(&business, &system, now).await?;
            let site = NewSite { business_id: b, name: first_site, zone: business.zone.clone(), location };
            let _: Site = ex.store.create_site(&site, &system, now).await?;
            (Role::Business, None, Some(b))
        }
    };
    let user = NewUser { email: email.to_string(), password_hash, role, worker_id, business_id, now };
    let id = match ex.store.create_user(user).await {
        Ok(id) => id,
        // Two sign-ups raced for one email: the other won.
        Err(StoreError::Conflict(_)) => return Err(Invalid::one("email", TAKEN).into()),
        Err(e) => return Err(ExchangeError::from(e)),
    };
    ex.refresh().await;
    Ok(UserRecord { id, email: email.to_lowercase(), password_hash: String::new(), role, worker_id, business_id })
}
