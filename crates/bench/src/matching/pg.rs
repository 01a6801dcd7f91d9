//! The PostgreSQL baseline: the same workers, expanded availability,
//! blackouts and bookings as the index holds, loaded with COPY into a scratch
//! schema, given the best indexes we know for the question, and asked the same
//! queries, one SQL statement per shift, on one connection.

#![allow(clippy::float_arithmetic)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::Context;
use slivers_core::ids::WorkerId;
use slivers_core::rules::Mode;
use slivers_core::worker::Reach;
use slivers_match::{Index, Query};
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};

use super::sys;

/// Queries PostgreSQL may take, in total, before the run stops early (at least `MIN_QUERIES` are run).
pub const BUDGET: Duration = Duration::from_secs(15 * 60);
pub const MIN_QUERIES: usize = 1000;
const WARMUP: usize = 200;
/// Half a week: the fairness window around the shift start, in seconds.
const HALF_WEEK: i64 = 84 * 3600;

pub struct Loaded {
    pub conn: PgConnection,
    pub schema: String,
    pub version: String,
    pub load_secs: f64,
    pub index_secs: f64,
    pub rows: Vec<(&'static str, u64)>,
    pub gist_skill: bool,
    pub bytes: i64,
}

async fn exec(conn: &mut PgConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *conn).await.with_context(|| sql.chars().take(200).collect::<String>())?;
    Ok(())
}

/// Stream rows to `COPY … FROM STDIN` in 4 MiB chunks.
async fn copy(conn: &mut PgConnection, stmt: &str, n: usize, mut row: impl FnMut(usize, &mut String)) -> anyhow::Result<u64> {
    let mut c = conn.copy_in_raw(stmt).await.with_context(|| stmt.to_string())?;
    let mut buf = String::with_capacity(5 << 20);
    for i in 0..n {
        row(i, &mut buf);
        if buf.len() >= 4 << 20 {
            c.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        c.send(buf.as_bytes()).await?;
    }
    Ok(c.finish().await?)
}

fn secs(iv: &slivers_core::Interval) -> (i64, i64) {
    (iv.start.as_second(), iv.end.as_second())
}

pub async fn load(url: &str, index: &Index, n: usize) -> anyhow::Result<Loaded> {
    let mut conn = PgConnection::connect(url).await.with_context(|| format!("connecting to {url}"))?;
    let version: String = sqlx::query_scalar("SHOW server_version").fetch_one(&mut conn).await?;
    let schema = format!("bench_match_{}", std::process::id());
    exec(&mut conn, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).await?;
    exec(&mut conn, &format!("SET search_path TO {schema}, public")).await?;
    // Session settings only (the server's configuration is left alone): no JIT (it
    // costs tens of milliseconds per query here), no parallel workers (one thread,
    // like the index), memory for sorts and index builds, and costs for a data set
    // that sits in the page cache.
    exec(
        &mut conn,
        "SET jit = off; SET max_parallel_workers_per_gather = 0; SET max_parallel_maintenance_workers = 0; \
         SET work_mem = '64MB'; SET maintenance_work_mem = '1GB'; SET random_page_cost = 1.1; \
         SET effective_cache_size = '16GB'; SET synchronous_commit = off",
    )
    .await?;
    // btree_gist lets one GiST index hold (skill, reach box), like the index's per-skill R-trees.
    let gist_skill = sqlx::raw_sql("CREATE EXTENSION IF NOT EXISTS btree_gist").execute(&mut conn).await.is_ok();

    exec(
        &mut conn,
        "CREATE UNLOGGED TABLE workers (
            id bigint NOT NULL, zone text NOT NULL, lat float8, lon float8, radius_km int, remote_only bool NOT NULL,
            min_rate numeric NOT NULL, currency text NOT NULL, day_cap int NOT NULL, week_cap int NOT NULL,
            rest_min int NOT NULL, notice_min int NOT NULL, instant_book bool NOT NULL, wanted_min int NOT NULL,
            rating real, completed int NOT NULL, no_shows int NOT NULL, cancelled int NOT NULL,
            n_bookings int NOT NULL, n_blackouts int NOT NULL,
            skill_codes text[] NOT NULL, skill_levels int[] NOT NULL, skill_tags text[] NOT NULL);
         CREATE UNLOGGED TABLE worker_skills (worker_id bigint NOT NULL, skill text NOT NULL, level smallint NOT NULL,
            currency text NOT NULL, min_rate numeric NOT NULL, reach box);
         CREATE UNLOGGED TABLE availability (worker_id bigint NOT NULL, start_at bigint NOT NULL, end_at bigint NOT NULL);
         CREATE UNLOGGED TABLE blackouts (worker_id bigint NOT NULL, start_at bigint NOT NULL, end_at bigint NOT NULL);
         CREATE UNLOGGED TABLE bookings (worker_id bigint NOT NULL, start_at bigint NOT NULL, end_at bigint NOT NULL);",
    )
    .await?;

    let entries: Vec<_> = (1..=n as i64).filter_map(|i| index.entry(WorkerId(i))).collect();
    let t0 = Instant::now();
    let mut rows = Vec::new();
    let got = copy(&mut conn, "COPY workers FROM STDIN", entries.len(), |i, b| {
        let e = entries[i];
        let w = &e.worker;
        let (lat, lon, radius, remote) = match w.reach {
            Reach::RemoteOnly => (None, None, None, true),
            Reach::Travel { home, radius_km } => (Some(home.lat), Some(home.lon), Some(radius_km), false),
        };
        let opt = |v: Option<String>| v.unwrap_or_else(|| "\\N".into());
        let codes: Vec<&str> = w.skills.iter().map(|c| c.skill.as_str()).collect();
        let levels: Vec<String> = e.levels.iter().map(|(_, l)| l.to_string()).collect();
        let mut tags = Vec::new();
        for (c, (_, l)) in w.skills.iter().zip(&e.levels) {
            for k in 1..=*l {
                tags.push(format!("{}:{k}", c.skill.as_str()));
            }
        }
        let _ = writeln!(
            b,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{{{}}}\t{{{}}}\t{{{}}}",
            w.id.0,
            w.zone.name(),
            opt(lat.map(|x| x.to_string())),
            opt(lon.map(|x| x.to_string())),
            opt(radius.map(|x| x.to_string())),
            if remote { "t" } else { "f" },
            w.min_rate.amount,
            w.min_rate.currency,
            w.limits.max_minutes_per_day,
            w.limits.max_minutes_per_week,
            w.limits.min_rest_minutes,
            w.limits.min_notice_minutes,
            if w.instant_book { "t" } else { "f" },
            w.wanted_minutes_per_week,
            opt(e.rating.map(|r| r.to_string())),
            e.track.completed,
            e.track.no_shows,
            e.track.cancelled_by_worker,
            e.booked.len(),
            e.blackouts.len(),
            codes.join(","),
            levels.join(","),
            tags.join(","),
        );
    })
    .await?;
    rows.push(("workers", got));
    let got = copy(&mut conn, "COPY worker_skills FROM STDIN", entries.len(), |i, b| {
        let e = entries[i];
        let w = &e.worker;
        let reach = e.reach_box().map_or_else(|| "\\N".to_string(), |(lo, hi)| format!("({},{}),({},{})", lo[0], lo[1], hi[0], hi[1]));
        for (c, (_, l)) in w.skills.iter().zip(&e.levels) {
            let _ = writeln!(b, "{}\t{}\t{}\t{}\t{}\t{}", w.id.0, c.skill.as_str(), l, w.min_rate.currency, w.min_rate.amount, reach);
        }
    })
    .await?;
    rows.push(("worker_skills", got));
    for (table, pick) in [
        ("availability", (|e: &slivers_match::WorkerEntry| &e.available) as fn(&slivers_match::WorkerEntry) -> &Vec<slivers_core::Interval>),
        ("blackouts", |e| &e.blackouts),
        ("bookings", |e| &e.booked),
    ] {
        let got = copy(&mut conn, &format!("COPY {table} FROM STDIN"), entries.len(), |i, b| {
            let e = entries[i];
            for iv in pick(e) {
                let (s, t) = secs(iv);
                let _ = writeln!(b, "{}\t{s}\t{t}", e.worker.id.0);
            }
        })
        .await?;
        rows.push((table, got));
    }
    let load_secs = t0.elapsed().as_secs_f64();

    let t0 = Instant::now();
    exec(&mut conn, "ALTER TABLE workers ADD PRIMARY KEY (id)").await?;
    if gist_skill {
        exec(&mut conn, "CREATE INDEX worker_skills_site ON worker_skills USING gist (skill, reach)").await?;
    } else {
        exec(&mut conn, "CREATE INDEX worker_skills_site ON worker_skills USING gist (reach)").await?;
    }
    exec(&mut conn, "CREATE INDEX worker_skills_remote ON worker_skills (skill, currency, level, min_rate) INCLUDE (worker_id)").await?;
    exec(&mut conn, "CREATE INDEX availability_worker ON availability (worker_id, end_at) INCLUDE (start_at)").await?;
    exec(&mut conn, "CREATE INDEX blackouts_worker ON blackouts (worker_id, start_at) INCLUDE (end_at)").await?;
    exec(&mut conn, "CREATE INDEX bookings_worker ON bookings (worker_id, start_at) INCLUDE (end_at)").await?;
    for t in ["workers", "worker_skills", "availability", "blackouts", "bookings"] {
        // VACUUM sets the visibility map so index-only scans skip the heap.
        exec(&mut conn, &format!("VACUUM (ANALYZE) {t}")).await?;
    }
    let index_secs = t0.elapsed().as_secs_f64();
    let bytes: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relkind = 'r'"
    )))
    .fetch_one(&mut conn)
    .await?;
    Ok(Loaded { conn, schema, version, load_secs, index_secs, rows, gist_skill, bytes })
}

/// The SQL for one kind of shift. Parameters:
/// $1 driving skill (the rarest required, as the index chooses), $2 its level, $3 currency,
/// $4 pay (text, cast to numeric), $5 required `skill:level` tags, $6 required skills,
/// $7 their levels, $8 start, $9 end, $10 now (epoch seconds), $11 limit, and for site
/// work $12 longitude, $13 latitude.
///
/// Shape: the inner query finds candidates through an index (GiST on (skill, reach box)
/// for site work, btree on (skill, currency, level, min_rate) for remote work), applies
/// the cheap row-local rules and sorts by score; `OFFSET 0` keeps the outer filters
/// out of it, so the per-worker rules that need other tables (bookings, rest, blackouts,
/// caps) run lazily in score order until `limit` rows pass — the index's own strategy.
pub fn sql(site: bool, instant: bool) -> String {
    let distance_m = "trunc(6371008.8::float8 * 2 * asin(least(1::float8, sqrt(power(sin((radians($13::float8) - radians(w.lat)) / 2), 2) \
         + cos(radians(w.lat)) * cos(radians($13::float8)) * power(sin(radians($12::float8 - w.lon) / 2), 2)))))::bigint";
    let (from, reach, distance_part) = if site {
        (
            format!(
                "worker_skills d JOIN workers w ON w.id = d.worker_id CROSS JOIN LATERAL (SELECT {distance_m} AS m) g"
            ),
            "AND d.reach @> box(point($12::float8, $13::float8), point($12::float8, $13::float8)) \
             AND NOT w.remote_only AND g.m <= w.radius_km::bigint * 1000"
                .to_string(),
            "least(1::real, greatest(0::real, 1::real - g.m::real / (w.radius_km::real * 1000::real)))".to_string(),
        )
    } else {
        (
            "worker_skills d JOIN workers w ON w.id = d.worker_id".to_string(),
            "AND d.currency = $3::text AND d.min_rate <= $4::numeric".to_string(),
            "1::real".to_string(),
        )
    };
    let instant_sql = if instant {
        "AND w.instant_book AND coalesce((SELECT a.start_at FROM availability a WHERE a.worker_id = w.id AND a.end_at >= $9::bigint \
         ORDER BY a.end_at LIMIT 1) <= $8::bigint, false)"
    } else {
        ""
    };
    let fairness = format!(
        "CASE WHEN w.wanted_min = 0 THEN 0.5::real ELSE least(1::real, greatest(0::real, 1::real - \
           (CASE WHEN w.n_bookings = 0 THEN 0 ELSE (SELECT coalesce(sum(least(k.end_at, $8::bigint + {HALF_WEEK}) - greatest(k.start_at, $8::bigint - {HALF_WEEK})), 0) / 60 \
              FROM bookings k WHERE k.worker_id = w.id AND k.start_at < $8::bigint + {HALF_WEEK} AND k.end_at > $8::bigint - {HALF_WEEK}) END)::real \
           / w.wanted_min::real)) END"
    );
    let skill_fit = "((SELECT sum(least(1::real, greatest(0::real, 0.6::real + 0.1::real * \
           (coalesce(w.skill_levels[array_position(w.skill_codes, r.s)], 0) - r.l)::real))) \
         FROM unnest($6::text[], $7::int[]) AS r(s, l)) / cardinality($6::text[])::real)";
    let score = format!(
        "0.30::real * {skill_fit} \
         + 0.15::real * (CASE WHEN w.rating IS NULL THEN 0.6::real ELSE least(1::real, greatest(0::real, w.rating / 5::real)) END) \
         + 0.20::real * ((w.completed::real + 1::real) / (w.completed::real + 2::real * w.no_shows::real + w.cancelled::real + 2::real)) \
         + 0.10::real * {distance_part} \
         + 0.05::real * least(1::real, greatest(0::real, 1::real - (w.min_rate / $4::numeric)::real)) \
         + 0.20::real * ({fairness})"
    );
    let caps = |unit: &str, step: &str, cap: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM generate_series(date_trunc('{unit}', to_timestamp($8::bigint) AT TIME ZONE c.zone), \
                 date_trunc('{unit}', to_timestamp($9::bigint - 60) AT TIME ZONE c.zone), interval '{step}') AS p(t) \
               CROSS JOIN LATERAL (SELECT extract(epoch FROM p.t AT TIME ZONE c.zone)::bigint AS ps, \
                 extract(epoch FROM (p.t + interval '{step}') AT TIME ZONE c.zone)::bigint AS pe) AS q \
               WHERE (greatest(0, least($9::bigint, q.pe) - greatest($8::bigint, q.ps)) \
                 + CASE WHEN c.n_bookings = 0 THEN 0 ELSE coalesce((SELECT sum(least(k.end_at, q.pe) - greatest(k.start_at, q.ps)) \
                     FROM bookings k WHERE k.worker_id = c.id AND k.start_at < q.pe AND k.end_at > q.ps), 0) END) / 60 > c.{cap})"
        )
    };
    format!(
        "SELECT c.id, c.score FROM (
           SELECT w.id, w.zone, w.day_cap, w.week_cap, w.rest_min, w.n_bookings, w.n_blackouts, {score} AS score
           FROM {from}
           WHERE d.skill = $1::text AND d.level >= $2::int {reach}
             AND w.currency = $3::text AND w.min_rate <= $4::numeric
             AND w.skill_tags @> $5::text[]
             AND $8::bigint > $10::bigint AND $8::bigint - $10::bigint >= w.notice_min::bigint * 60
             {instant_sql}
           ORDER BY score DESC, w.id
           OFFSET 0) c
         WHERE (c.n_bookings = 0 OR NOT EXISTS (SELECT 1 FROM bookings k WHERE k.worker_id = c.id
                 AND k.start_at < $9::bigint + c.rest_min::bigint * 60 AND k.end_at > $8::bigint - c.rest_min::bigint * 60))
           AND (c.n_blackouts = 0 OR NOT EXISTS (SELECT 1 FROM blackouts b WHERE b.worker_id = c.id AND b.start_at < $9::bigint AND b.end_at > $8::bigint))
           AND {day} AND {week}
         LIMIT $11::bigint",
        day = caps("day", "1 day", "day_cap"),
        week = caps("week", "1 week", "week_cap"),
    )
}

pub struct Statements {
    sql: [&'static str; 4],
}

impl Statements {
    pub fn new() -> Statements {
        // Leaked once so they are `&'static str`: sqlx caches one prepared statement per text.
        let mk = |site, instant| -> &'static str { sql(site, instant).leak() };
        Statements { sql: [mk(true, false), mk(true, true), mk(false, false), mk(false, true)] }
    }
    fn get(&self, q: &Query) -> &'static str {
        match (q.shift.location.is_some(), q.mode == Mode::Instant) {
            (true, false) => self.sql[0],
            (true, true) => self.sql[1],
            (false, false) => self.sql[2],
            (false, true) => self.sql[3],
        }
    }
}

/// Run one query; the driving skill is the rarest required one, as in the index.
pub async fn ask(conn: &mut PgConnection, st: &Statements, q: &Query, claimants: &HashMap<String, usize>) -> anyhow::Result<Vec<(i64, f32)>> {
    let s = &q.shift;
    let drive = s
        .skills
        .iter()
        .min_by_key(|r| claimants.get(r.skill.as_str()).copied().unwrap_or(0))
        .context("a query without skills")?;
    let tags: Vec<String> = s.skills.iter().map(|r| format!("{}:{}", r.skill.as_str(), r.level.get())).collect();
    let skills: Vec<String> = s.skills.iter().map(|r| r.skill.as_str().to_string()).collect();
    let levels: Vec<i32> = s.skills.iter().map(|r| i32::from(r.level.get())).collect();
    let mut query = sqlx::query(st.get(q))
        .bind(drive.skill.as_str().to_string())
        .bind(i32::from(drive.level.get()))
        .bind(s.pay_rate.currency.as_str().to_string())
        .bind(s.pay_rate.amount.to_string())
        .bind(tags)
        .bind(skills)
        .bind(levels)
        .bind(s.window.start.as_second())
        .bind(s.window.end.as_second())
        .bind(q.now.as_second())
        .bind(q.limit as i64);
    if let Some(p) = s.location {
        query = query.bind(p.lon).bind(p.lat);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<f32, _>(1)?))).collect()
}

pub struct PgRun {
    pub times: Vec<Duration>,
    pub results: Vec<Vec<(i64, f32)>>,
    pub stopped_early: bool,
    pub plan_cache_mode: String,
}

pub async fn run(conn: &mut PgConnection, queries: &[&Query], claimants: &HashMap<String, usize>) -> anyhow::Result<PgRun> {
    let st = Statements::new();
    for q in queries.iter().take(WARMUP) {
        ask(conn, &st, q, claimants).await?;
    }
    if let Ok(mode) = std::env::var("SLIVERS_BENCH_PLAN_CACHE_MODE") {
        exec(conn, &format!("SET plan_cache_mode = {mode}")).await?;
    }
    let plan_cache_mode: String = sqlx::query_scalar("SHOW plan_cache_mode").fetch_one(&mut *conn).await?;
    let mut times = Vec::with_capacity(queries.len());
    let mut results = Vec::with_capacity(queries.len());
    let started = Instant::now();
    let mut stopped_early = false;
    for (i, q) in queries.iter().enumerate() {
        if i >= MIN_QUERIES && started.elapsed() > BUDGET {
            stopped_early = true;
            break;
        }
        let t = Instant::now();
        let r = ask(conn, &st, q, claimants).await?;
        times.push(t.elapsed());
        results.push(r);
        if (i + 1) % 1000 == 0 {
            eprintln!("  postgres: {} queries, {} elapsed", i + 1, sys::fmt(started.elapsed()));
        }
    }
    let plans: (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(generic_plans), 0)::bigint, coalesce(sum(custom_plans), 0)::bigint FROM pg_prepared_statements",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(PgRun { times, results, stopped_early, plan_cache_mode: format!("{plan_cache_mode} (generic plans used {}, custom plans {})", plans.0, plans.1) })
}

/// EXPLAIN ANALYZE of one query, for the record.
pub async fn explain(conn: &mut PgConnection, q: &Query, claimants: &HashMap<String, usize>) -> anyhow::Result<Vec<String>> {
    let st = Statements::new();
    let text: &'static str = format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {}", st.get(q)).leak();
    let s = &q.shift;
    let drive = s.skills.iter().min_by_key(|r| claimants.get(r.skill.as_str()).copied().unwrap_or(0)).context("no skills")?;
    let mut query = sqlx::query(text)
        .bind(drive.skill.as_str().to_string())
        .bind(i32::from(drive.level.get()))
        .bind(s.pay_rate.currency.as_str().to_string())
        .bind(s.pay_rate.amount.to_string())
        .bind(s.skills.iter().map(|r| format!("{}:{}", r.skill.as_str(), r.level.get())).collect::<Vec<_>>())
        .bind(s.skills.iter().map(|r| r.skill.as_str().to_string()).collect::<Vec<_>>())
        .bind(s.skills.iter().map(|r| i32::from(r.level.get())).collect::<Vec<_>>())
        .bind(s.window.start.as_second())
        .bind(s.window.end.as_second())
        .bind(q.now.as_second())
        .bind(q.limit as i64);
    if let Some(p) = s.location {
        query = query.bind(p.lon).bind(p.lat);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).collect())
}

pub async fn drop_schema(conn: &mut PgConnection, schema: &str) -> anyhow::Result<()> {
    exec(conn, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await
}
