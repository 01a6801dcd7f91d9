//! `slivers bench book`: bookings over HTTP on the demo market.
//!
//! Loads the demo market into a fresh database, starts the real server as a
//! child `slivers serve` on a free loopback port (a separate process, so the
//! generator and the server share nothing but the two cores and the socket,
//! as a client and a server would), measures the same clients against
//! `GET /healthz` as the run's no-work baseline, then lets them book for a
//! fixed time: pairs the matching index says are valid, and deliberate
//! invalid requests whose refusals the report checks. Afterwards the server
//! is stopped and every booking the run made is decided again by the rule
//! checker over the final database (`slivers_exchange::recheck`).

// Rates, percentiles and seconds are measurements, and floats are their type.
#![allow(clippy::float_arithmetic)]

mod load;
mod plan;
mod report;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use slivers_core::ids::WorkerId;
use slivers_store::{BookingFilter, Page, Scope};

pub use report::Report;

#[derive(clap::Args)]
pub struct BookArgs {
    /// An empty PostgreSQL database to load the market into (postgres://…);
    /// without it, a new SQLite file in the temporary directory, removed afterwards.
    #[arg(long)]
    db: Option<String>,
    /// Concurrent clients, each with one request in flight.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=4096))]
    clients: u32,
    /// How long the clients book.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// How long the same clients hit /healthz first, for the baseline.
    #[arg(long, default_value_t = 5.0)]
    baseline_seconds: f64,
    /// Share of requests built to be refused (unavailable, overlap, past shift, another business's shift).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=100))]
    invalid_percent: u8,
    /// Keep the SQLite file and print its URL.
    #[arg(long)]
    keep_db: bool,
    /// The market (`--seed` also seeds the clients' choices).
    #[command(flatten)]
    spec: crate::demo::SpecArgs,
}

/// Run the benchmark, print the report and its JSON line; an error when the
/// re-check finds a broken limit or an answer shows a defect.
pub async fn run(args: BookArgs) -> Result<()> {
    let scratch = crate::scratch::Scratch::new(args.db.as_deref(), "bench_book", args.keep_db, false)?;
    let result = bench(&args, &scratch.url).await;
    drop(scratch);
    let report = result?;
    println!("{}", report.text());
    println!("{}", report.json());
    let defects = report.defects();
    if !defects.is_empty() {
        bail!("{}", defects.join("; "));
    }
    Ok(())
}

async fn bench(args: &BookArgs, url: &str) -> Result<Report> {
    let spec = args.spec.spec()?;
    let seed = spec.seed;
    let clients = args.clients as usize;
    let store = slivers_store::connect(url).await.with_context(|| format!("opening {url}"))?;
    if crate::demo::has_market(&*store).await? {
        bail!("{url} already holds a market; the bench needs an empty database (e.g. psql -c 'CREATE DATABASE bench')");
    }
    eprintln!("loading the demo market ({} workers, {} businesses, {} shifts)…", spec.workers, spec.businesses, spec.shifts);
    crate::demo::ensure_loaded(&store, &spec).await?;
    let mut rng = fastrand::Rng::with_seed(seed);
    eprintln!("planning requests from the matching index…");
    let plan = plan::Plan::build(&*store, &mut rng).await?;
    if plan.valid.is_empty() {
        bail!("the market has no bookable (shift, worker) pair");
    }
    // Bookings made before the run (the demo's own) are not the run's.
    let before = store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await?.iter().map(|b| b.id.0).max().unwrap_or(0);
    drop(store);

    let load_before = report::loadavg();
    let addr = free_addr()?;
    let origin = format!("http://{addr}");
    let mut server = Server::start(url, &addr)?;
    let client = load::http_client(clients)?;
    let ready = Instant::now();
    server.wait_ready(&client, &origin).await?;
    eprintln!("server pid {} ready on {addr} in {:.1?}; baseline for {} s…", server.0.id(), ready.elapsed(), args.baseline_seconds);
    let baseline = load::baseline(&client, &origin, clients, args.baseline_seconds).await;
    eprintln!("booking for {} s with {clients} clients…", args.seconds);
    let plan = Arc::new(plan);
    let run = Arc::new(load::Load { client, origin, plan: plan.clone(), invalid_percent: args.invalid_percent });
    let cpu_before = (report::cpu_seconds(server.0.id()), report::cpu_seconds(std::process::id()));
    let tally = run.clone().run(clients, args.seconds, seed).await;
    let cpu_after = (report::cpu_seconds(server.0.id()), report::cpu_seconds(std::process::id()));
    let cpu = (cpu_after.0.zip(cpu_before.0).map(|(a, b)| a - b), cpu_after.1.zip(cpu_before.1).map(|(a, b)| a - b));
    let server_mean_ms = load::server_mean_ms(&run.client, &run.origin).await;
    // Every answered request is committed or rolled back: stopping the
    // server now loses nothing the clients were told.
    server.stop();
    let load_after = report::loadavg();

    eprintln!("re-checking every booking the run made…");
    let store = slivers_store::connect(url).await.with_context(|| format!("reopening {url}"))?;
    let made: Vec<_> = store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await?.into_iter().filter(|b| b.id.0 > before).collect();
    let mut workers: Vec<WorkerId> = made.iter().map(|b| b.worker_id).collect();
    workers.sort();
    workers.dedup();
    let checked = slivers_exchange::recheck::recheck(&*store, &workers, |b| b.id.0 > before).await?;
    let holding = made.iter().filter(|b| b.status.holds_time()).count() as u64;

    Ok(Report {
        db: if url.starts_with("postgres") { "postgres" } else { "sqlite" },
        clients,
        seconds: args.seconds,
        invalid_percent: args.invalid_percent,
        seed,
        market: plan.describe(),
        valid_pairs: plan.valid.len(),
        market_sizes: (spec.workers, spec.businesses, spec.shifts),
        baseline,
        tally,
        rows_made: made.len() as u64,
        holding,
        recheck: checked,
        load_before,
        load_after,
        server_mean_ms,
        cpu,
    })
}

fn free_addr() -> Result<String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).context("finding a free port")?.port();
    Ok(format!("127.0.0.1:{port}"))
}

/// `slivers serve` as a child process; dropping it kills the process.
struct Server(Child);

impl Server {
    fn start(url: &str, addr: &str) -> Result<Server> {
        let exe = std::env::current_exe().context("locating the slivers binary")?;
        let child = Command::new(exe)
            .args(["serve", "--db", url, "--addr", addr])
            // Only errors: a warning per request would measure the logger.
            // SLIVERS_BENCH_SERVER_LOG overrides it for profiling, e.g.
            // `sqlx::query=debug` logs every statement with its time.
            .env("RUST_LOG", std::env::var("SLIVERS_BENCH_SERVER_LOG").unwrap_or_else(|_| "error".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting slivers serve")?;
        Ok(Server(child))
    }

    /// Until `/healthz` answers 200 (the index is built first).
    async fn wait_ready(&mut self, client: &reqwest::Client, origin: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if client.get(format!("{origin}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            if let Some(status) = self.0.try_wait()? {
                bail!("slivers serve exited before it was ready: {status}");
            }
            if Instant::now() > deadline {
                bail!("slivers serve did not become ready in 300 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
