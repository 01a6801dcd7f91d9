//! Is the schema ready for Citus (distributed PostgreSQL)? Citus is not
//! installable here, so this reads the PostgreSQL migrations, builds the final
//! schema and checks Citus's documented rules for keys and foreign keys
//! against the declared distribution map (`citus/map.rs`, explained in
//! docs/SCALE.md). It fails, naming table and constraint, on any violation
//! that is not a named exception, and on an exception that no longer occurs.
//!
//! The scanner's honesty is itself tested: the same migrations applied to a
//! real PostgreSQL (when `SLIVERS_TEST_DATABASE_URL` is set) must yield
//! exactly the tables, columns and keys the scanner found.

mod citus;

use std::collections::BTreeSet;

use citus::map::{Why, EXCEPTIONS, MAP};
use citus::rules::{check, Rule, Violation};
use citus::scan::{Kind, Schema};

fn final_schema() -> Schema {
    citus::schema_of(&citus::migrations()).unwrap_or_else(|e| panic!("the scanner could not read the migrations: {e}"))
}

/// Violations that are not named exceptions, and exceptions that no longer occur.
fn unexpected_and_stale(found: &[Violation]) -> (Vec<&Violation>, Vec<String>) {
    let known = |v: &Violation| EXCEPTIONS.iter().any(|x| x.table == v.table && x.constraint == v.constraint && x.rule == v.rule);
    let unexpected = found.iter().filter(|v| !known(v)).collect();
    let stale = EXCEPTIONS
        .iter()
        .filter(|x| !found.iter().any(|v| x.table == v.table && x.constraint == v.constraint && x.rule == v.rule))
        .map(|x| format!("{}.{}: {:?} ({:?})", x.table, x.constraint, x.rule, x.why))
        .collect();
    (unexpected, stale)
}

#[test]
fn the_final_schema_keeps_citus_rules_apart_from_the_named_exceptions() {
    let schema = final_schema();
    // Guard against scanning nothing and passing vacuously.
    assert!(schema.tables.len() >= 30 && schema.tables.contains_key("bookings"), "scanned only {:?}", schema.tables.keys());
    let found = check(&schema, MAP);
    let (unexpected, stale) = unexpected_and_stale(&found);
    let mut msg = String::new();
    if !unexpected.is_empty() {
        msg += "these constraints break Citus's rules under the map in tests/citus/map.rs \
                (fix the migration, or place the table differently, or, with a reason and a plan, add a named exception):\n";
        for v in &unexpected {
            msg += &format!("  {v}\n");
        }
    }
    if !stale.is_empty() {
        msg += "these named exceptions no longer occur: remove them from EXCEPTIONS:\n";
        for s in &stale {
            msg += &format!("  {s}\n");
        }
    }
    assert!(msg.is_empty(), "{msg}");
    // The no-overlap exclusion, the constraint the issue names, is legal as is.
    assert!(!found.iter().any(|v| v.constraint == "bookings_no_overlap"), "bookings_no_overlap must stay legal");
}

/// The keys the plan drops at cut-over stay safe only while their parents
/// are never deleted: a dropped key cannot be left dangling by an insert that
/// read the parent, only by a delete. Hold the store's SQL to that.
#[test]
fn parents_of_keys_dropped_at_cut_over_are_never_deleted() {
    let schema = final_schema();
    let mut sql = String::new();
    let mut stack = vec![citus::crate_dir().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                sql += &std::fs::read_to_string(&path).expect("read source").to_ascii_lowercase();
            }
        }
    }
    let mut bad = Vec::new();
    for x in EXCEPTIONS.iter().filter(|x| matches!(x.why, Why::AcrossGroups | Why::LocalToDistributed)) {
        let key = schema.tables[x.table].constraints.iter().find(|c| c.name == x.constraint).expect("the excepted key exists");
        let parent = &key.parent.as_ref().expect("a foreign key").0;
        for verb in ["delete from", "truncate"] {
            let needle = format!("{verb} {parent}");
            let hit = sql.match_indices(&needle).any(|(i, _)| {
                !sql[i + needle.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            });
            if hit {
                bad.push(format!("{}.{} points at {parent}, which the store deletes from: {}", x.table, x.constraint, x.why.plan()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_deliberately_broken_migration_is_refused_by_name() {
    let mut migrations = citus::migrations();
    migrations.push((
        "9999_broken.sql".to_string(),
        "
        -- A booking reference unique across the exchange: not per worker.
        ALTER TABLE bookings ADD COLUMN reference TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX bookings_reference ON bookings (reference);
        ALTER TABLE bookings ADD CONSTRAINT bookings_shift_reference_key UNIQUE (shift_id, reference);
        -- No overlap per shift instead of per worker.
        ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
        ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
            EXCLUDE USING gist (shift_id WITH =, worker_id WITH <>, int8range(start_at, end_at) WITH &&);
        -- A reference table pointing at a distributed one.
        ALTER TABLE skills ADD COLUMN champion_id BIGINT REFERENCES workers(id);
        -- A business's row pointing into the worker group.
        ALTER TABLE webhook_endpoints ADD COLUMN owner_worker BIGINT NOT NULL REFERENCES workers(id);
        -- A local table pointing at a distributed one, and a table nobody placed.
        CREATE TABLE audit_notes (id BIGSERIAL PRIMARY KEY, booking_worker BIGINT REFERENCES workers(id));
        "
        .to_string(),
    ));
    let broken = citus::schema_of(&migrations).expect("the broken migration still parses");
    let found = check(&broken, MAP);
    let (unexpected, _) = unexpected_and_stale(&found);
    let got: BTreeSet<(&str, &str, Rule)> = unexpected.iter().map(|v| (v.table.as_str(), v.constraint.as_str(), v.rule)).collect();
    let want: BTreeSet<(&str, &str, Rule)> = [
        ("bookings", "bookings_reference", Rule::KeyWithoutDistributionColumn),
        ("bookings", "bookings_shift_reference_key", Rule::KeyWithoutDistributionColumn),
        ("bookings", "bookings_no_overlap", Rule::ExcludeWithoutEquality),
        ("skills", "skills_champion_id_fkey", Rule::ReferenceToDistributed),
        ("webhook_endpoints", "webhook_endpoints_owner_worker_fkey", Rule::NotColocated),
        ("audit_notes", "table", Rule::Unlisted),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want, "every break named, nothing else:\n{}", unexpected.iter().map(|v| format!("  {v}\n")).collect::<String>());
    // The message names table, constraint and the rule in words.
    let excl = unexpected.iter().find(|v| v.constraint == "bookings_no_overlap").expect("reported");
    assert!(excl.to_string().contains("bookings.bookings_no_overlap") && excl.to_string().contains("WITH ="), "{excl}");

    // Once placed, the new local table's key into the worker group is refused too.
    let mut map: Vec<citus::rules::Entry> = MAP.iter().map(|e| citus::rules::Entry { table: e.table, placement: e.placement, why: e.why }).collect();
    map.push(citus::rules::Entry { table: "audit_notes", placement: citus::rules::Placement::Local, why: "test" });
    let found = check(&broken, &map);
    assert!(
        found.iter().any(|v| v.constraint == "audit_notes_booking_worker_fkey" && v.rule == Rule::LocalAndDistributed),
        "{found:#?}"
    );
}

#[test]
fn the_scanner_refuses_what_it_does_not_understand() {
    let base = citus::migrations();
    for sql in [
        "ALTER TABLE bookings RENAME TO b;",
        "CREATE VIEW v AS SELECT 1;",
        "ALTER TABLE bookings ADD CONSTRAINT c UNIQUE (no_such_column);",
        "ALTER TABLE bookings DROP CONSTRAINT no_such_constraint;",
        "CREATE TABLE t (id BIGINT REFERENCES no_such_table(id));",
        "GRANT SELECT ON bookings TO someone;",
    ] {
        let mut m = base.clone();
        m.push(("9999_odd.sql".to_string(), sql.to_string()));
        assert!(citus::schema_of(&m).is_err(), "the scanner accepted {sql:?}");
    }
    // What it reads, it reads exactly: inline and table keys, defaults, checks, actions.
    let mut s = Schema::default();
    s.apply(
        "t.sql",
        "CREATE TABLE a (id BIGSERIAL PRIMARY KEY, code TEXT NOT NULL UNIQUE DEFAULT 'x' CHECK (code <> ''));
         CREATE TABLE b (a_id BIGINT NOT NULL, n BIGINT, CONSTRAINT b_key PRIMARY KEY (a_id, n),
             FOREIGN KEY (a_id) REFERENCES a ON DELETE CASCADE, EXCLUDE USING gist (a_id WITH =, int8range(n, n) WITH &&));",
    )
    .expect("parses");
    let b = &s.tables["b"];
    assert!(b.columns.iter().all(|c| c.not_null), "primary-key columns are NOT NULL: {:?}", b.columns);
    let kinds: Vec<(Kind, &str, Vec<String>)> = b.constraints.iter().map(|c| (c.kind, c.name.as_str(), c.columns.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            (Kind::PrimaryKey, "b_key", vec!["a_id".into(), "n".into()]),
            (Kind::ForeignKey, "b_a_id_fkey", vec!["a_id".into()]),
            (Kind::Exclude, "b_a_id_expr_excl", vec!["a_id".into(), "<expr>".into()]),
        ]
    );
    assert_eq!(b.constraints[1].parent, Some(("a".to_string(), vec!["id".to_string()])));
    assert_eq!(b.constraints[1].on_delete.as_deref(), Some("cascade"));
    assert_eq!(b.constraints[2].ops, vec!["=", "&&"]);
    assert_eq!(s.tables["a"].constraints.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["a_pkey", "a_code_key"]);
}

#[test]
fn scale_md_places_every_table_as_the_map_does() {
    let doc = citus::workspace_file("docs/SCALE.md");
    let missing: Vec<String> = MAP
        .iter()
        .map(|e| format!("| `{}` | {} |", e.table, e.placement.describe()))
        .filter(|row| !doc.lines().any(|l| l.starts_with(row.as_str())))
        .collect();
    assert!(missing.is_empty(), "docs/SCALE.md's table map lacks these rows (or places them otherwise):\n  {}", missing.join("\n  "));
    // Every named exception is in the document too, so the plan there is the whole list.
    let unnamed: Vec<String> = EXCEPTIONS
        .iter()
        .map(|x| match x.constraint.strip_prefix("column ") {
            Some(col) => format!("`{}.{col}`", x.table),
            None => format!("`{}`", x.constraint),
        })
        .filter(|name| !doc.contains(name.as_str()))
        .collect();
    assert!(unnamed.is_empty(), "docs/SCALE.md does not name these exceptions:\n  {}", unnamed.join("\n  "));
}

/// One line per table column and key, written the same way from the scanner
/// and from PostgreSQL's catalogue, so the two can be compared as sets.
fn describe(schema: &Schema) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (t, table) in &schema.tables {
        for c in &table.columns {
            out.insert(format!("column {t}.{} {} {}", c.name, c.ty, if c.not_null { "not null" } else { "null" }));
        }
        for k in &table.constraints {
            let cols = k.columns.join(", ");
            out.insert(match k.kind {
                Kind::PrimaryKey => format!("primary key {t}.{} ({cols})", k.name),
                Kind::Unique => format!("unique {t}.{} ({cols})", k.name),
                Kind::UniqueIndex => format!("unique index {t}.{} ({cols})", k.name),
                Kind::Exclude => {
                    let elems: Vec<String> = k.columns.iter().zip(&k.ops).map(|(c, o)| format!("{c} {o}")).collect();
                    format!("exclude {t}.{} ({})", k.name, elems.join(", "))
                }
                Kind::ForeignKey => {
                    let (p, pc) = k.parent.clone().unwrap_or_default();
                    let act = |a: &Option<String>| a.clone().unwrap_or_else(|| "no action".into());
                    format!("foreign key {t}.{} ({cols}) -> {p}({}) on delete {} on update {}", k.name, pc.join(", "), act(&k.on_delete), act(&k.on_update))
                }
            });
        }
    }
    out
}

const CATALOGUE: &[&str] = &[
    "SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END AS line
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
    "SELECT CASE k.contype WHEN 'p' THEN 'primary key ' ELSE 'unique ' END || c.relname || '.' || k.conname || ' ('
            || (SELECT string_agg(a.attname, ', ' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY AS u(num, ord)
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num) || ')' AS line
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u')",
    "SELECT 'foreign key ' || c.relname || '.' || k.conname || ' ('
            || (SELECT string_agg(a.attname, ', ' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY AS u(num, ord)
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num) || ') -> ' || f.relname || '('
            || (SELECT string_agg(a.attname, ', ' ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY AS u(num, ord)
                JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num) || ')'
            || ' on delete ' || act.del || ' on update ' || act.upd AS line
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_class f ON f.oid = k.confrelid,
     LATERAL (SELECT (SELECT x FROM (VALUES ('a', 'no action'), ('r', 'restrict'), ('c', 'cascade'), ('n', 'set null'), ('d', 'set default')) v(k, x) WHERE v.k = k.confdeltype::text) AS del,
                     (SELECT x FROM (VALUES ('a', 'no action'), ('r', 'restrict'), ('c', 'cascade'), ('n', 'set null'), ('d', 'set default')) v(k, x) WHERE v.k = k.confupdtype::text) AS upd) act
     WHERE n.nspname = current_schema() AND k.contype = 'f'",
    "SELECT 'exclude ' || c.relname || '.' || k.conname || ' ('
            || (SELECT string_agg(COALESCE(a.attname, '<expr>') || ' ' || op.oprname, ', ' ORDER BY u.ord)
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(num, ord)
                JOIN unnest(k.conexclop) WITH ORDINALITY AS e(oid, ord) ON e.ord = u.ord
                JOIN pg_operator op ON op.oid = e.oid
                LEFT JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num AND u.num <> 0) || ')' AS line
     FROM pg_constraint k JOIN pg_index i ON i.indexrelid = k.conindid
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND k.contype = 'x'",
    // A unique index that backs no constraint: Citus counts it as one.
    "SELECT 'unique index ' || c.relname || '.' || ic.relname || ' ('
            || (SELECT string_agg(COALESCE(a.attname, '<expr>'), ', ' ORDER BY u.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(num, ord)
                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num AND u.num <> 0) || ')' AS line
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))",
];

/// The scanner against PostgreSQL itself: the migrations applied by the
/// store's own runner to a fresh schema, then read back from the catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scanner_reads_what_postgresql_builds() {
    use sqlx::{Connection, Row};
    let Some((_store, url)) = slivers_store::testing::scratch(slivers_store::testing::TestDb::Postgres).await else {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        return eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
    };
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to the scratch schema");
    let mut db = BTreeSet::new();
    for sql in CATALOGUE {
        for row in sqlx::query(*sql).fetch_all(&mut conn).await.unwrap_or_else(|e| panic!("{e}: {sql}")) {
            db.insert(row.try_get::<String, _>("line").expect("line"));
        }
    }
    let scanned = describe(&final_schema());
    let only_db: Vec<&String> = db.difference(&scanned).collect();
    let only_scan: Vec<&String> = scanned.difference(&db).collect();
    assert!(
        only_db.is_empty() && only_scan.is_empty(),
        "the scanner and PostgreSQL disagree\n  only in PostgreSQL:\n    {}\n  only in the scanner:\n    {}",
        only_db.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n    "),
        only_scan.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n    "),
    );
    assert!(db.iter().any(|l| l.starts_with("exclude bookings.bookings_no_overlap (worker_id =")), "the comparison saw the exclusion");
    conn.close().await.ok();
}
