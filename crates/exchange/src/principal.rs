//! Who is acting: the scope their reads and writes are confined to, and the
//! actor their writes are recorded under.

use slivers_core::ids::{BusinessId, WorkerId};
use slivers_store::{Actor, Scope, UserRecord};

use crate::{ExchangeError, Result};

#[derive(Debug, Clone)]
pub struct Principal {
    pub scope: Scope,
    pub actor: Actor,
}

impl Principal {
    /// A signed-in user.
    pub fn user(user: &UserRecord) -> Self {
        Principal { scope: user.scope(), actor: user.actor() }
    }

    /// The exchange itself: background work (offer waves) and the CLI.
    pub fn system() -> Self {
        Principal { scope: Scope::All, actor: Actor::system() }
    }

    pub fn is_operator(&self) -> bool {
        self.scope == Scope::All
    }

    pub fn worker(&self) -> Option<WorkerId> {
        match self.scope {
            Scope::Worker(w) => Some(w),
            _ => None,
        }
    }

    pub fn business(&self) -> Option<BusinessId> {
        self.scope.business()
    }

    /// Operators only.
    pub fn require_operator(&self, why: &'static str) -> Result<()> {
        if self.is_operator() { Ok(()) } else { Err(ExchangeError::Forbidden(why)) }
    }

    /// The worker `id` themself only. Operators see every worker, so for them
    /// the worker exists and the answer is 403 (`why`); a business or another
    /// worker must not learn that it does, so for them it is not found.
    pub fn require_self(&self, id: WorkerId, why: &'static str) -> Result<()> {
        match self.worker() {
            Some(w) if w == id => Ok(()),
            _ if self.is_operator() => Err(ExchangeError::Forbidden(why)),
            _ => Err(ExchangeError::NotFound("worker")),
        }
    }

    /// Businesses and operators only; a worker is refused before any lookup,
    /// so the answer reveals nothing about which ids exist.
    pub fn require_not_worker(&self, why: &'static str) -> Result<()> {
        if self.worker().is_some() { Err(ExchangeError::Forbidden(why)) } else { Ok(()) }
    }

    /// The worker themselves or an operator; to anyone else the worker's
    /// private resources do not exist.
    pub fn require_self_or_operator(&self, id: WorkerId) -> Result<()> {
        match self.scope {
            Scope::All => Ok(()),
            Scope::Worker(me) if me == id => Ok(()),
            _ => Err(ExchangeError::NotFound("worker")),
        }
    }
}
