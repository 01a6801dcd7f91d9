//! Citus's documented rules for keys and foreign keys, checked against the
//! scanned schema and a declared placement for every table.
//!
//! Sources (docs.citusdata.com, "Creating and Modifying Distributed Objects
//! (DDL)", section "Adding/Removing Constraints", and the errors Citus raises):
//! - primary keys and uniqueness constraints (a unique index is one) on a
//!   distributed table must include the distribution column;
//! - an exclusion constraint must include it with the equality operator
//!   ("Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY
//!   constraints that do not include the partition column (with an equality
//!   operator if EXCLUDE)");
//! - foreign keys may run local ↔ local, reference ↔ reference, reference ↔
//!   local, distributed → reference, and between co-located distributed tables
//!   when the key includes the distribution column on both sides, "in the same
//!   ordinal"; never reference → distributed, nor between local and
//!   distributed tables;
//! - with the distribution column in a foreign key, `ON DELETE SET NULL/SET
//!   DEFAULT` and `ON UPDATE` actions other than `NO ACTION`/`RESTRICT` are
//!   refused; reference → local keys may not `CASCADE`;
//! - a row's distribution column may not be NULL ("cannot perform an INSERT
//!   with NULL in the partition column"), so we ask for `NOT NULL`;
//! - co-located tables share the distribution column's type.
//!
//! Stricter than Citus in one place, on purpose: Citus co-locates any two
//! tables distributed by columns of one type, so it would accept a key from
//! `bookings.worker_id` onto `shifts.business_id`. Our groups say what the
//! column means, and a key across groups is refused.

use std::collections::BTreeMap;

use super::scan::{Kind, Schema};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Hash-distributed by `column`, co-located with the rest of `group`.
    Distributed { column: &'static str, group: &'static str },
    /// One shard copied to every node (`create_reference_table`).
    Reference,
    /// Kept on the coordinator alone (a Citus local table), with a reason.
    Local,
}

impl Placement {
    /// How docs/SCALE.md writes it; the test holds the document to it.
    pub fn describe(&self) -> String {
        match self {
            Placement::Distributed { column, group } => format!("distributed by `{column}` ({group})"),
            Placement::Reference => "reference".to_string(),
            Placement::Local => "local".to_string(),
        }
    }
}

/// One table's declared placement.
pub struct Entry {
    pub table: &'static str,
    pub placement: Placement,
    /// Why this placement: what reads and writes the table, and how big it grows.
    pub why: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    Unlisted,
    ListedTwice,
    NotInSchema,
    NoDistributionColumn,
    NullableDistributionColumn,
    GroupTypeMismatch,
    KeyWithoutDistributionColumn,
    ExcludeWithoutEquality,
    ReferenceToDistributed,
    LocalAndDistributed,
    NotColocated,
    ForeignKeyWithoutDistributionColumn,
    UnsupportedAction,
}

impl Rule {
    pub fn text(self) -> &'static str {
        match self {
            Rule::Unlisted => "every table needs a declared placement (distributed, reference or local)",
            Rule::ListedTwice => "a table is placed once",
            Rule::NotInSchema => "the map names a table the migrations do not create",
            Rule::NoDistributionColumn => "a distributed table must have its distribution column",
            Rule::NullableDistributionColumn => "Citus refuses a NULL distribution column: it must be NOT NULL",
            Rule::GroupTypeMismatch => "co-located tables are distributed by columns of one type",
            Rule::KeyWithoutDistributionColumn => "PRIMARY KEY / UNIQUE / unique index on a distributed table must include the distribution column",
            Rule::ExcludeWithoutEquality => "EXCLUDE on a distributed table must include the distribution column WITH =",
            Rule::ReferenceToDistributed => "foreign keys from reference tables to distributed tables are not supported",
            Rule::LocalAndDistributed => "foreign keys between local and distributed tables are not supported",
            Rule::NotColocated => "a foreign key between distributed tables needs them co-located (same group)",
            Rule::ForeignKeyWithoutDistributionColumn => {
                "a foreign key between co-located tables must include the distribution column on both sides, in the same position"
            }
            Rule::UnsupportedAction => "referential action Citus refuses here (SET NULL/SET DEFAULT on delete, any ON UPDATE action, CASCADE reference → local)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub table: String,
    /// The constraint's name, or `column x` / `table` for rules about those.
    pub constraint: String,
    pub rule: Rule,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}: {:?}: {} ({})", self.table, self.constraint, self.rule, self.rule.text(), self.detail)
    }
}

/// Every violation of the rules by `schema` placed as `map` says, sorted.
pub fn check(schema: &Schema, map: &[Entry]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |table: &str, constraint: &str, rule: Rule, detail: String| {
        out.push(Violation { table: table.to_string(), constraint: constraint.to_string(), rule, detail });
    };
    let mut placed: BTreeMap<&str, Placement> = BTreeMap::new();
    for e in map {
        if placed.insert(e.table, e.placement).is_some() {
            v(e.table, "table", Rule::ListedTwice, "listed more than once".into());
        }
        if !schema.tables.contains_key(e.table) {
            v(e.table, "table", Rule::NotInSchema, e.placement.describe());
        }
    }
    // The first table seen in each group fixes the group's column type.
    let mut group_type: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (name, t) in &schema.tables {
        let Some(&placement) = placed.get(name.as_str()) else {
            v(name, "table", Rule::Unlisted, "add it to the map in tests/citus/map.rs".into());
            continue;
        };
        if let Placement::Distributed { column, group } = placement {
            match t.column(column) {
                None => v(name, &format!("column {column}"), Rule::NoDistributionColumn, format!("{name} has no column {column}")),
                Some(c) => {
                    if !c.not_null {
                        v(name, &format!("column {column}"), Rule::NullableDistributionColumn, format!("{name}.{column} may be NULL"));
                    }
                    let (first, ty) = group_type.entry(group).or_insert_with(|| (name.clone(), c.ty.clone()));
                    if *ty != c.ty {
                        v(name, &format!("column {column}"), Rule::GroupTypeMismatch, format!("{} here, {ty} in {first}", c.ty));
                    }
                }
            }
            for k in &t.constraints {
                let cols = k.columns.join(", ");
                match k.kind {
                    Kind::PrimaryKey | Kind::Unique | Kind::UniqueIndex if !k.columns.iter().any(|c| c == column) => {
                        v(name, &k.name, Rule::KeyWithoutDistributionColumn, format!("({cols}) lacks {column}"));
                    }
                    Kind::Exclude if !k.columns.iter().zip(&k.ops).any(|(c, op)| c == column && op == "=") => {
                        v(name, &k.name, Rule::ExcludeWithoutEquality, format!("({cols}) WITH ({}) lacks {column} WITH =", k.ops.join(", ")));
                    }
                    _ => {}
                }
            }
        }
        for k in t.constraints.iter().filter(|k| k.kind == Kind::ForeignKey) {
            let Some((parent, pcols)) = &k.parent else { continue };
            // An unlisted parent is reported as unlisted; judge the key once it is placed.
            let Some(&pp) = placed.get(parent.as_str()) else { continue };
            let detail = format!("({}) → {parent}({}); {} → {}", k.columns.join(", "), pcols.join(", "), placement.describe(), pp.describe());
            let cascade = |a: &Option<String>| a.as_deref() == Some("cascade");
            match (placement, pp) {
                (Placement::Distributed { column: cc, group: cg }, Placement::Distributed { column: pc, group: pg }) => {
                    if cg != pg {
                        v(name, &k.name, Rule::NotColocated, detail);
                        continue;
                    }
                    let ci = k.columns.iter().position(|c| c == cc);
                    if ci.is_none() || ci != pcols.iter().position(|c| c == pc) {
                        v(name, &k.name, Rule::ForeignKeyWithoutDistributionColumn, detail);
                        continue;
                    }
                    let bad_delete = matches!(k.on_delete.as_deref(), Some("set null" | "set default"));
                    let bad_update = !matches!(k.on_update.as_deref(), None | Some("no action" | "restrict"));
                    if bad_delete || bad_update {
                        v(name, &k.name, Rule::UnsupportedAction, format!("ON DELETE {:?} ON UPDATE {:?}", k.on_delete, k.on_update));
                    }
                }
                (Placement::Reference, Placement::Distributed { .. }) => v(name, &k.name, Rule::ReferenceToDistributed, detail),
                (Placement::Local, Placement::Distributed { .. }) | (Placement::Distributed { .. }, Placement::Local) => {
                    v(name, &k.name, Rule::LocalAndDistributed, detail)
                }
                (Placement::Reference, Placement::Local) if cascade(&k.on_delete) || cascade(&k.on_update) => {
                    v(name, &k.name, Rule::UnsupportedAction, detail)
                }
                // distributed → reference, reference ↔ reference, local → reference, local ↔ local.
                _ => {}
            }
        }
    }
    out.sort();
    out
}
