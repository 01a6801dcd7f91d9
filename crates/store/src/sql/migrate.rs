//! A small migration runner: each backend has its own ordered SQL files,
//! applied once each and recorded in `schema_migrations`.

use sqlx::Executor;

use super::{Backend, SqlStore};
use crate::Result;

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, "offer_waves", include_str!("../../migrations/sqlite/0002_offer_waves.sql")),
    (3, "sessions", include_str!("../../migrations/sqlite/0003_sessions.sql")),
    (4, "after_the_work", include_str!("../../migrations/sqlite/0004_after_the_work.sql")),
    (5, "contact", include_str!("../../migrations/sqlite/0005_contact.sql")),
    (6, "inquiries", include_str!("../../migrations/sqlite/0006_inquiries.sql")),
    (7, "remote_rule", include_str!("../../migrations/sqlite/0007_remote_rule.sql")),
    (8, "assessments", include_str!("../../migrations/sqlite/0008_assessments.sql")),
    (9, "credentials", include_str!("../../migrations/sqlite/0009_credentials.sql")),
    (10, "labour_rules", include_str!("../../migrations/sqlite/0010_labour_rules.sql")),
    (11, "security", include_str!("../../migrations/sqlite/0011_security.sql")),
    (12, "user_lookups", include_str!("../../migrations/sqlite/0012_user_lookups.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/postgres/0001_init.sql")),
    (2, "offer_waves", include_str!("../../migrations/postgres/0002_offer_waves.sql")),
    (3, "sessions", include_str!("../../migrations/postgres/0003_sessions.sql")),
    (4, "after_the_work", include_str!("../../migrations/postgres/0004_after_the_work.sql")),
    (5, "contact", include_str!("../../migrations/postgres/0005_contact.sql")),
    (6, "inquiries", include_str!("../../migrations/postgres/0006_inquiries.sql")),
    (7, "remote_rule", include_str!("../../migrations/postgres/0007_remote_rule.sql")),
    (8, "assessments", include_str!("../../migrations/postgres/0008_assessments.sql")),
    (9, "credentials", include_str!("../../migrations/postgres/0009_credentials.sql")),
    (10, "labour_rules", include_str!("../../migrations/postgres/0010_labour_rules.sql")),
    (11, "security", include_str!("../../migrations/postgres/0011_security.sql")),
    (12, "user_lookups", include_str!("../../migrations/postgres/0012_user_lookups.sql")),
];

/// Key for the PostgreSQL advisory lock that keeps two servers starting at
/// once from applying the same migration twice.
const MIGRATION_LOCK: i64 = 0x5_11_7e_25;

pub(super) async fn run(store: &SqlStore) -> Result<()> {
    let migrations = match store.backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let mut tx = store.write().await?;
    if store.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK).execute(&mut *tx).await?;
    }
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(&mut *tx).await?;
    for (version, name, sql) in migrations {
        if applied.contains(version) {
            continue;
        }
        tracing::info!(version, name, "applying migration");
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
            .bind(*version)
            .bind(*name)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
