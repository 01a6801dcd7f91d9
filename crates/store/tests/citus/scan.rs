//! A small SQL scanner for our PostgreSQL migrations: it replays them in order
//! into the final schema's tables, columns and key constraints (primary key,
//! unique, unique index, exclusion, foreign key), which is all the Citus rules
//! look at.
//!
//! It is deliberately strict: a statement or an `ALTER TABLE` action it does
//! not understand is an error, never skipped, so a migration cannot slip a
//! constraint past the checker. Statements that cannot create a key
//! (functions, triggers, extensions, plain indexes, data changes) are ignored
//! by name. Constraint names follow PostgreSQL's defaults (`t_pkey`,
//! `t_a_b_key`, `t_a_fkey`), so they match `pg_constraint`; the database
//! cross-check in `citus_rules.rs` proves the whole result against a real
//! PostgreSQL.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword, lower-cased unless it was double-quoted.
    Word(String),
    /// Punctuation or an operator: `(`, `)`, `,`, `;`, `=`, `&&`, ...
    Sym(String),
    /// A string literal (single- or dollar-quoted) or a number: never a name.
    Lit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    PrimaryKey,
    Unique,
    /// `CREATE UNIQUE INDEX`: no constraint row, but Citus treats it as one.
    UniqueIndex,
    Exclude,
    ForeignKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub name: String,
    pub kind: Kind,
    /// Key columns in order; `<expr>` stands for an expression element.
    pub columns: Vec<String>,
    /// Exclusion operators, one per element (`=`, `&&`).
    pub ops: Vec<String>,
    /// Foreign keys: the referenced table and columns.
    pub parent: Option<(String, Vec<String>)>,
    /// Foreign keys: `ON DELETE` and `ON UPDATE` actions, when given.
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// PostgreSQL's name for the type (`bigserial` is `bigint`).
    pub ty: String,
    pub not_null: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The schema after every migration, tables by name.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

/// Split SQL into tokens; comments, strings and dollar-quoted bodies are
/// consumed whole so nothing inside them is read as SQL.
pub fn tokens(sql: &str) -> Result<Vec<Tok>, String> {
    let s: Vec<char> = sql.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    let find = |from: usize, pat: &[char]| (from..s.len()).find(|&k| s[k..].starts_with(pat));
    while i < s.len() {
        let c = s[i];
        if c.is_whitespace() {
            i += 1;
        } else if s[i..].starts_with(&['-', '-']) {
            i = find(i, &['\n']).unwrap_or(s.len());
        } else if s[i..].starts_with(&['/', '*']) {
            i = find(i + 2, &['*', '/']).ok_or("unterminated /* comment")? + 2;
        } else if c == '\'' {
            // '' inside a literal is an escaped quote: keep scanning past it.
            let mut k = i + 1;
            loop {
                k += s[k..].iter().position(|&x| x == '\'').ok_or("unterminated string")?;
                if s.get(k + 1) == Some(&'\'') { k += 2 } else { break }
            }
            out.push(Tok::Lit);
            i = k + 1;
        } else if c == '"' {
            let end = find(i + 1, &['"']).ok_or("unterminated quoted name")?;
            out.push(Tok::Word(s[i + 1..end].iter().collect()));
            i = end + 1;
        } else if c == '$' {
            // $tag$ ... $tag$: a function body, opaque to us.
            let close = find(i + 1, &['$']).ok_or("stray $")?;
            let tag: Vec<char> = s[i..=close].to_vec();
            let end = find(close + 1, &tag).ok_or("unterminated dollar quote")?;
            out.push(Tok::Lit);
            i = end + tag.len();
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = (i..s.len()).find(|&k| !(s[k].is_ascii_alphanumeric() || s[k] == '_' || s[k] == '$')).unwrap_or(s.len());
            out.push(Tok::Word(s[i..end].iter().collect::<String>().to_ascii_lowercase()));
            i = end;
        } else if c.is_ascii_digit() {
            i = (i..s.len()).find(|&k| !(s[k].is_ascii_digit() || s[k] == '.')).unwrap_or(s.len());
            out.push(Tok::Lit);
        } else if "(),;.[]".contains(c) {
            out.push(Tok::Sym(c.to_string()));
            i += 1;
        } else if "+-*/<>=~!@#%^&|:".contains(c) {
            let end = (i..s.len()).find(|&k| !"+-*/<>=~!@#%^&|:".contains(s[k])).unwrap_or(s.len());
            out.push(Tok::Sym(s[i..end].iter().collect()));
            i = end;
        } else {
            return Err(format!("unexpected character {c:?}"));
        }
    }
    Ok(out)
}

/// A cursor over one statement's tokens.
struct P<'a> {
    t: &'a [Tok],
    i: usize,
}

fn is_word(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x == w)
}

fn is_sym(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Sym(x)) if x == w)
}

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn at(&self, w: &str) -> bool {
        is_word(self.peek(), w)
    }
    fn eat(&mut self, w: &str) -> bool {
        let hit = self.at(w) || is_sym(self.peek(), w);
        self.i += usize::from(hit);
        hit
    }
    fn eat_all(&mut self, ws: &[&str]) -> bool {
        let save = self.i;
        let hit = ws.iter().all(|w| self.eat(w));
        if !hit {
            self.i = save;
        }
        hit
    }
    fn expect(&mut self, w: &str) -> Result<(), String> {
        if self.eat(w) { Ok(()) } else { Err(format!("expected `{w}`, found {:?}", self.peek())) }
    }
    fn done(&self) -> bool {
        self.i >= self.t.len()
    }
    fn name(&mut self) -> Result<String, String> {
        match self.t.get(self.i) {
            Some(Tok::Word(w)) => {
                self.i += 1;
                // schema.table: the table is what matters (one schema).
                if is_sym(self.peek(), ".") {
                    self.i += 1;
                    return self.name();
                }
                Ok(w.clone())
            }
            t => Err(format!("expected a name, found {t:?}")),
        }
    }
    /// Consume a parenthesised group whole, nested parentheses included.
    fn skip_group(&mut self) -> Result<(), String> {
        self.expect("(")?;
        let mut depth = 1;
        while depth > 0 {
            match self.t.get(self.i) {
                Some(Tok::Sym(s)) if s == "(" => depth += 1,
                Some(Tok::Sym(s)) if s == ")" => depth -= 1,
                None => return Err("unbalanced parentheses".into()),
                _ => {}
            }
            self.i += 1;
        }
        Ok(())
    }
    /// Skip tokens up to (not including) a top-level `,` or `)` or a token
    /// `stop` accepts; parenthesised groups are skipped whole.
    fn skip_until(&mut self, stop: impl Fn(&Tok) -> bool) -> Result<(), String> {
        while let Some(t) = self.peek() {
            if is_sym(Some(t), ",") || is_sym(Some(t), ")") || stop(t) {
                break;
            }
            if is_sym(Some(t), "(") { self.skip_group()? } else { self.i += 1 }
        }
        Ok(())
    }
    fn names(&mut self) -> Result<Vec<String>, String> {
        self.expect("(")?;
        let mut out = vec![self.name()?];
        while self.eat(",") {
            out.push(self.name()?);
        }
        self.expect(")")?;
        Ok(out)
    }
    /// Index or exclusion elements: a bare column, or `<expr>` for anything
    /// else; each with its `WITH op` when `with_ops`.
    fn elements(&mut self, with_ops: bool) -> Result<(Vec<String>, Vec<String>), String> {
        self.expect("(")?;
        let (mut cols, mut ops) = (Vec::new(), Vec::new());
        loop {
            let start = self.i;
            self.skip_until(|t| is_word(Some(t), "with"))?;
            let elem = &self.t[start..self.i];
            cols.push(match elem {
                [Tok::Word(w)] => w.clone(),
                [Tok::Word(w), Tok::Word(o)] if o == "asc" || o == "desc" => w.clone(),
                _ => "<expr>".to_string(),
            });
            if with_ops {
                self.expect("with")?;
                match self.t.get(self.i) {
                    Some(Tok::Sym(op)) => ops.push(op.clone()),
                    t => return Err(format!("expected an operator after WITH, found {t:?}")),
                }
                self.i += 1;
            }
            if !self.eat(",") {
                break;
            }
        }
        self.expect(")")?;
        Ok((cols, ops))
    }
    /// `REFERENCES t [(cols)] [ON DELETE a] [ON UPDATE a] [MATCH ...] [DEFERRABLE ...]`.
    fn references(&mut self, c: &mut Constraint) -> Result<(), String> {
        let table = self.name()?;
        let cols = if is_sym(self.peek(), "(") { self.names()? } else { Vec::new() };
        c.parent = Some((table, cols));
        loop {
            if self.eat_all(&["on", "delete"]) {
                c.on_delete = Some(self.action()?);
            } else if self.eat_all(&["on", "update"]) {
                c.on_update = Some(self.action()?);
            } else if self.eat("match") || self.eat("deferrable") || self.eat_all(&["not", "deferrable"]) || self.eat("initially") {
                // MATCH FULL / DEFERRABLE INITIALLY DEFERRED change no key.
                if matches!(self.peek(), Some(Tok::Word(w)) if ["full", "simple", "partial", "deferred", "immediate"].contains(&w.as_str())) {
                    self.i += 1;
                }
            } else {
                return Ok(());
            }
        }
    }
    fn action(&mut self) -> Result<String, String> {
        for a in [&["no", "action"][..], &["restrict"], &["cascade"], &["set", "null"], &["set", "default"]] {
            if self.eat_all(a) {
                return Ok(a.join(" "));
            }
        }
        Err(format!("unknown referential action at {:?}", self.peek()))
    }
}

fn constraint(name: Option<String>, kind: Kind, columns: Vec<String>) -> Constraint {
    Constraint { name: name.unwrap_or_default(), kind, columns, ops: Vec::new(), parent: None, on_delete: None, on_update: None }
}

/// PostgreSQL's default name: `table_col1_col2_suffix` (`table_pkey` for a key).
fn default_name(table: &str, c: &Constraint) -> Result<String, String> {
    let suffix = match c.kind {
        Kind::PrimaryKey => return Ok(format!("{table}_pkey")),
        Kind::Unique | Kind::UniqueIndex => "key",
        Kind::Exclude => "excl",
        Kind::ForeignKey => "fkey",
    };
    let cols: Vec<&str> = c.columns.iter().map(|s| if s == "<expr>" { "expr" } else { s.as_str() }).collect();
    let name = format!("{table}_{}_{suffix}", cols.join("_"));
    // PostgreSQL truncates past 63 bytes; rather than mimic that, ask for a name.
    if name.len() > 63 { Err(format!("{name}: over 63 bytes; name this constraint")) } else { Ok(name) }
}

/// A table constraint after an optional `CONSTRAINT name`; `None` for CHECK.
fn table_constraint(p: &mut P, name: Option<String>) -> Result<Option<Constraint>, String> {
    if p.eat_all(&["primary", "key"]) {
        return Ok(Some(constraint(name, Kind::PrimaryKey, p.names()?)));
    }
    if p.eat("unique") {
        return Ok(Some(constraint(name, Kind::Unique, p.names()?)));
    }
    if p.eat_all(&["foreign", "key"]) {
        let mut c = constraint(name, Kind::ForeignKey, p.names()?);
        p.expect("references")?;
        p.references(&mut c)?;
        return Ok(Some(c));
    }
    if p.eat("exclude") {
        if p.eat("using") {
            p.name()?;
        }
        let (cols, ops) = p.elements(true)?;
        let mut c = constraint(name, Kind::Exclude, cols);
        c.ops = ops;
        if p.eat("where") {
            p.skip_group()?;
        }
        return Ok(Some(c));
    }
    if p.eat("check") {
        p.skip_group()?;
        return Ok(None);
    }
    Err(format!("unknown table constraint at {:?}", p.peek()))
}

/// A column definition; its inline keys go to `out`.
fn column(p: &mut P, out: &mut Vec<Constraint>) -> Result<Column, String> {
    const STARTS: [&str; 9] = ["constraint", "not", "null", "default", "primary", "unique", "references", "check", "generated"];
    let name = p.name()?;
    let start = p.i;
    p.skip_until(|t| STARTS.iter().any(|k| is_word(Some(t), k)))?;
    let words: Vec<&str> = p.t[start..p.i].iter().filter_map(|t| if let Tok::Word(w) = t { Some(w.as_str()) } else { None }).collect();
    let ty = match words.join(" ").as_str() {
        "bigserial" => "bigint".to_string(),
        "serial" => "integer".to_string(),
        t => t.to_string(),
    };
    let mut col = Column { name: name.clone(), ty, not_null: false };
    let mut cname = None;
    while !p.done() && !is_sym(p.peek(), ",") && !is_sym(p.peek(), ")") {
        if p.eat("constraint") {
            cname = Some(p.name()?);
            continue;
        }
        if p.eat_all(&["not", "null"]) {
            col.not_null = true;
        } else if p.eat("null") {
        } else if p.eat("default") {
            p.skip_until(|t| STARTS.iter().any(|k| is_word(Some(t), k)))?;
        } else if p.eat_all(&["primary", "key"]) {
            col.not_null = true;
            out.push(constraint(cname.take(), Kind::PrimaryKey, vec![name.clone()]));
        } else if p.eat("unique") {
            out.push(constraint(cname.take(), Kind::Unique, vec![name.clone()]));
        } else if p.eat("references") {
            let mut c = constraint(cname.take(), Kind::ForeignKey, vec![name.clone()]);
            p.references(&mut c)?;
            out.push(c);
        } else if p.eat("check") {
            p.skip_group()?;
        } else {
            return Err(format!("column {name}: not understood at {:?}", p.peek()));
        }
        cname = None;
    }
    Ok(col)
}

impl Schema {
    /// Apply one migration's SQL; `file` names it in errors.
    pub fn apply(&mut self, file: &str, sql: &str) -> Result<(), String> {
        let toks = tokens(sql).map_err(|e| format!("{file}: {e}"))?;
        for stmt in toks.split(|t| is_sym(Some(t), ";")).filter(|s| !s.is_empty()) {
            let mut p = P { t: stmt, i: 0 };
            self.statement(&mut p).map_err(|e| format!("{file}: {e} (statement starting {:?})", &stmt[..stmt.len().min(6)]))?;
            if !p.done() {
                return Err(format!("{file}: unread tokens from {:?} in statement starting {:?}", p.peek(), &stmt[..stmt.len().min(6)]));
            }
        }
        Ok(())
    }

    fn table(&mut self, name: &str) -> Result<&mut Table, String> {
        self.tables.get_mut(name).ok_or_else(|| format!("no table {name}"))
    }

    fn statement(&mut self, p: &mut P) -> Result<(), String> {
        if p.eat_all(&["create", "table"]) {
            let if_not = p.eat_all(&["if", "not", "exists"]);
            let name = p.name()?;
            if self.tables.contains_key(&name) {
                return if if_not { p.i = p.t.len(); Ok(()) } else { Err(format!("table {name} exists")) };
            }
            self.tables.insert(name.clone(), Table::default());
            p.expect("(")?;
            loop {
                self.element(p, &name)?;
                if !p.eat(",") {
                    break;
                }
            }
            return p.expect(")");
        }
        if p.eat("create") {
            let unique = p.eat("unique");
            if p.eat("index") {
                p.eat_all(&["if", "not", "exists"]);
                let index = p.name()?;
                p.expect("on")?;
                let table = p.name()?;
                if p.eat("using") {
                    p.name()?;
                }
                let (cols, _) = p.elements(false)?;
                if p.eat("where") {
                    p.skip_until(|_| false)?;
                }
                if unique {
                    self.add(&table, constraint(Some(index), Kind::UniqueIndex, cols))?;
                }
                return Ok(());
            }
            // These make no table key; their bodies are opaque on purpose.
            if !unique && ["extension", "function", "trigger", "or", "sequence", "type"].iter().any(|k| p.at(k)) {
                p.i = p.t.len();
                return Ok(());
            }
            return Err("CREATE of a kind this scanner does not know".into());
        }
        if p.eat_all(&["alter", "table"]) {
            p.eat_all(&["if", "exists"]);
            p.eat("only");
            let table = p.name()?;
            loop {
                self.alter(p, &table)?;
                if !p.eat(",") {
                    return Ok(());
                }
            }
        }
        if p.eat_all(&["drop", "table"]) {
            let if_exists = p.eat_all(&["if", "exists"]);
            let name = p.name()?;
            if self.tables.remove(&name).is_none() && !if_exists {
                return Err(format!("drop of unknown table {name}"));
            }
            p.eat("cascade");
            return Ok(());
        }
        if p.eat_all(&["drop", "index"]) {
            // A plain (non-unique) index is not tracked, so an unknown name is fine.
            p.eat_all(&["if", "exists"]);
            let name = p.name()?;
            for t in self.tables.values_mut() {
                t.constraints.retain(|c| !(c.kind == Kind::UniqueIndex && c.name == name));
            }
            p.eat("cascade");
            return Ok(());
        }
        // Data changes cannot add a key.
        if ["insert", "update", "delete", "select"].iter().any(|k| p.at(k)) {
            p.i = p.t.len();
            return Ok(());
        }
        Err("statement this scanner does not know".into())
    }

    /// One element of CREATE TABLE's list: a column or a table constraint.
    fn element(&mut self, p: &mut P, table: &str) -> Result<(), String> {
        let name = if p.eat("constraint") { Some(p.name()?) } else { None };
        let is_constraint = name.is_some() || ["primary", "unique", "foreign", "exclude", "check"].iter().any(|k| p.at(k));
        if is_constraint {
            if let Some(c) = table_constraint(p, name)? {
                self.add(table, c)?;
            }
            return Ok(());
        }
        let mut keys = Vec::new();
        let col = column(p, &mut keys)?;
        self.table(table)?.columns.push(col);
        keys.into_iter().try_for_each(|c| self.add(table, c))
    }

    fn alter(&mut self, p: &mut P, table: &str) -> Result<(), String> {
        if p.eat("add") {
            if p.eat("column") || !["constraint", "primary", "unique", "foreign", "exclude", "check"].iter().any(|k| p.at(k)) {
                p.eat_all(&["if", "not", "exists"]);
                let mut keys = Vec::new();
                let col = column(p, &mut keys)?;
                if self.table(table)?.column(&col.name).is_some() {
                    return Err(format!("{table}.{} exists", col.name));
                }
                self.table(table)?.columns.push(col);
                return keys.into_iter().try_for_each(|c| self.add(table, c));
            }
            let name = if p.eat("constraint") { Some(p.name()?) } else { None };
            if let Some(c) = table_constraint(p, name)? {
                self.add(table, c)?;
            }
            p.eat_all(&["not", "valid"]);
            return Ok(());
        }
        if p.eat_all(&["drop", "constraint"]) {
            let if_exists = p.eat_all(&["if", "exists"]);
            let name = p.name()?;
            let t = self.table(table)?;
            let before = t.constraints.len();
            t.constraints.retain(|c| c.name != name || c.kind == Kind::UniqueIndex);
            if t.constraints.len() == before && !if_exists {
                return Err(format!("{table}: no constraint {name} to drop"));
            }
            p.eat("cascade");
            return Ok(());
        }
        if p.eat("drop") {
            p.eat("column");
            p.eat_all(&["if", "exists"]);
            let col = p.name()?;
            let t = self.table(table)?;
            t.columns.retain(|c| c.name != col);
            // PostgreSQL drops every key that used the column with it.
            t.constraints.retain(|c| !c.columns.contains(&col));
            p.eat("cascade");
            return Ok(());
        }
        if p.eat("alter") {
            p.eat("column");
            let col = p.name()?;
            let not_null = if p.eat_all(&["set", "not", "null"]) {
                Some(true)
            } else if p.eat_all(&["drop", "not", "null"]) {
                Some(false)
            } else if p.eat_all(&["set", "default"]) || p.eat_all(&["drop", "default"]) {
                p.skip_until(|_| false)?;
                None
            } else {
                return Err(format!("ALTER COLUMN {col}: action not understood"));
            };
            let t = self.table(table)?;
            let c = t.columns.iter_mut().find(|c| c.name == col).ok_or(format!("{table}: no column {col}"))?;
            if let Some(n) = not_null {
                c.not_null = n;
            }
            return Ok(());
        }
        Err(format!("ALTER TABLE {table}: action not understood at {:?}", p.peek()))
    }

    /// Add a key: name it, resolve `REFERENCES t` without columns to t's
    /// primary key, and make primary-key columns NOT NULL as PostgreSQL does.
    fn add(&mut self, table: &str, mut c: Constraint) -> Result<(), String> {
        if c.name.is_empty() {
            c.name = default_name(table, &c)?;
        }
        if let Some((parent, cols)) = &mut c.parent {
            if cols.is_empty() {
                let pk = self.table(parent)?.constraints.iter().find(|k| k.kind == Kind::PrimaryKey).ok_or(format!("{parent} has no primary key"))?;
                *cols = pk.columns.clone();
            }
            if !self.tables.contains_key(parent.as_str()) {
                return Err(format!("{}: references unknown table {parent}", c.name));
            }
        }
        let t = self.table(table)?;
        for col in c.columns.iter().filter(|s| *s != "<expr>") {
            if t.column(col).is_none() {
                return Err(format!("{}: no column {table}.{col}", c.name));
            }
        }
        if t.constraints.iter().any(|k| k.name == c.name) {
            return Err(format!("{table}: constraint {} twice", c.name));
        }
        if c.kind == Kind::PrimaryKey {
            for col in t.columns.iter_mut().filter(|x| c.columns.contains(&x.name)) {
                col.not_null = true;
            }
        }
        t.constraints.push(c);
        Ok(())
    }
}
