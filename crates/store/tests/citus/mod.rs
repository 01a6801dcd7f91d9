//! The Citus readiness check, shared by `tests/citus_rules.rs`: a scanner for
//! our PostgreSQL migrations (`scan`), Citus's rules (`rules`) and the
//! declared distribution map with its named exceptions (`map`).

pub mod map;
pub mod rules;
pub mod scan;

use std::path::{Path, PathBuf};

/// The crate's directory, so the test reads the files the build includes.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The PostgreSQL migrations in the order the runner applies them (by file
/// name, which starts with the version), with the runner's own bookkeeping
/// table first, read from `sql/migrate.rs` itself so the two cannot differ.
pub fn migrations() -> Vec<(String, String)> {
    let dir = crate_dir().join("migrations/postgres");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let runner = std::fs::read_to_string(crate_dir().join("src/sql/migrate.rs")).expect("read migrate.rs");
    let start = runner.find("CREATE TABLE IF NOT EXISTS schema_migrations").expect("migrate.rs creates schema_migrations");
    let end = start + runner[start..].find('"').expect("end of the statement's string");
    let mut out = vec![("migrate.rs".to_string(), runner[start..end].to_string())];
    for f in files {
        let name = f.file_name().and_then(|n| n.to_str()).expect("file name").to_string();
        // A file the runner does not include never reaches a database.
        assert!(runner.contains(&format!("migrations/postgres/{name}")), "{name} is not registered in src/sql/migrate.rs");
        out.push((name, std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("read {}: {e}", f.display()))));
    }
    out
}

/// The schema after `migrations`, applied in order.
pub fn schema_of(migrations: &[(String, String)]) -> Result<scan::Schema, String> {
    let mut s = scan::Schema::default();
    for (name, sql) in migrations {
        s.apply(name, sql)?;
    }
    Ok(s)
}

/// Read a repository file relative to the workspace root.
pub fn workspace_file(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
