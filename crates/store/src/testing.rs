//! Scratch databases for tests: a fresh SQLite file, or a fresh schema in the
//! PostgreSQL database named by `SLIVERS_TEST_DATABASE_URL`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::{connect, Store};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{n}", std::process::id(), t % 1_000_000_000)
}

/// The PostgreSQL URL for tests, if one is configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("SLIVERS_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())
}

/// A URL for a brand-new, empty SQLite database file.
pub fn sqlite_url() -> String {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name("slivers_test")));
    format!("sqlite://{}", path.display())
}

/// A URL for a brand-new, empty schema in the test PostgreSQL database.
pub async fn postgres_scratch_url(base: &str) -> Result<String, sqlx::Error> {
    use sqlx::Connection;
    let schema = unique_name("t");
    let mut conn = sqlx::PgConnection::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&mut conn).await?;
    conn.close().await?;
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}options=-c%20search_path%3D{schema},public"))
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDb {
    Sqlite,
    Postgres,
}

/// A fresh store on `db`, or `None` when PostgreSQL is asked for but not configured.
pub async fn scratch(db: TestDb) -> Option<(Arc<dyn Store>, String)> {
    let url = match db {
        TestDb::Sqlite => sqlite_url(),
        TestDb::Postgres => {
            let base = postgres_url()?;
            postgres_scratch_url(&base).await.expect("create scratch schema")
        }
    };
    let store = connect(&url).await.expect("connect to scratch database");
    Some((store, url))
}
