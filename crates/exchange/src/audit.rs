//! The audit log of operator actions: every event whose actor is an
//! operator's login, newest first. It is a view of the event log, which is
//! append-only (no route writes to it except through the change it records,
//! and the database's triggers refuse UPDATE and DELETE, migration 0011), so
//! operators read it and cannot edit it.

use slivers_store::{Event, EventFilter, Page, Scope};

use crate::{Exchange, Principal, Result};

/// Operator actions, newest first, a page at a time.
pub async fn operator_actions(ex: &Exchange, who: &Principal, page: Page) -> Result<Vec<Event>> {
    who.require_operator("only operators read the audit log")?;
    let filter = EventFilter { by_operators: true, newest_first: true, ..Default::default() };
    Ok(ex.store.events(&filter, &Scope::All, page).await?)
}
