//! A site's labour policy (`core::labour::LabourRules`): stored on the site
//! row and copied onto every shift read there, so the rule checker needs no
//! lookup. A worker's own labour rules travel with their limits.

use jiff::Timestamp;
use slivers_core::business::Site;
use slivers_core::ids::SiteId;
use slivers_core::labour::LabourRules;

use super::events::{append, Draft};
use super::SqlStore;
use crate::model::{Actor, Scope};
use crate::{Result, StoreError};

impl SqlStore {
    pub(crate) async fn set_site_labour_impl(&self, id: SiteId, rules: &LabourRules, actor: &Actor, now: Timestamp) -> Result<Site> {
        if matches!(actor.scope, Scope::Worker(_)) {
            return Err(StoreError::NotFound("site"));
        }
        // Scoped read first: another business's site is not found, not forbidden.
        let site = self.get_site_impl(id, &actor.scope).await?;
        rules.validate()?;
        let text = serde_json::to_string(rules).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE sites SET labour_json = $1 WHERE id = $2").bind(text).bind(id.0).execute(&mut *tx).await?;
        // A business setting: the feed reloads the business's shifts, which carry the policy.
        let mut d = Draft::new("business.settings_changed", now, actor);
        d.business = Some(site.business_id);
        d.data = serde_json::json!({ "site_id": id.0, "labour": rules });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        self.get_site_impl(id, &actor.scope).await
    }
}
