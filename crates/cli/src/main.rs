//! `slivers`: serve the exchange, fill it with a demo market, migrate, manage users.

mod bench_book;
mod demo;
mod history;
mod matching;
mod roster;
mod scratch;
mod simulate;

use std::net::SocketAddr;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_exchange::{credentials, Exchange};
use slivers_store::{NewUser, Role};

#[derive(Parser)]
#[command(name = "slivers", version, about = "An on-demand workforce exchange")]
struct Cli {
    /// Log lines as plain text, or as one JSON object per line for log collectors.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Logs go to stderr. Colour codes only when stderr is a terminal: piped into
/// a file or a collector they are noise in every line.
fn init_logs(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs.json().with_ansi(false).init(),
    }
}

#[derive(clap::Args, Clone)]
struct Db {
    /// Database URL: sqlite://FILE (the default, no set-up) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://slivers.db")]
    db: String,
}

/// Where the outbox's email goes, and the address its links point to.
#[derive(clap::Args)]
struct MailArgs {
    /// SMTP relay as host:port (plain, unauthenticated: a local MTA or a
    /// relay on a private network). Without it, emails wait in the outbox.
    #[arg(long, env = "SLIVERS_SMTP")]
    smtp: Option<String>,
    #[arg(long, env = "SLIVERS_MAIL_FROM", default_value = "Slivers <noreply@slivers.localhost>")]
    mail_from: String,
    /// The portal's public address for links in emails (default: http://ADDR).
    #[arg(long, env = "SLIVERS_PUBLIC_URL")]
    public_url: Option<String>,
}

impl MailArgs {
    fn settings(&self, addr: SocketAddr) -> Result<slivers_exchange::notify::NotifierSettings> {
        let smtp = match &self.smtp {
            Some(hp) => {
                let (host, port) = hp.rsplit_once(':').context("--smtp must be host:port")?;
                let port = port.parse().with_context(|| format!("--smtp port `{port}` is not a port number"))?;
                Some(slivers_exchange::notify::SmtpSettings { host: host.to_string(), port, from: self.mail_from.clone() })
            }
            None => {
                tracing::warn!("no --smtp relay: emails wait in the outbox until one is configured");
                None
            }
        };
        Ok(slivers_exchange::notify::NotifierSettings { smtp, public_url: self.public_url.clone().unwrap_or_else(|| format!("http://{addr}")) })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (and docs at /api/docs).
    Serve {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load the demo market first if the database is empty, and print demo tokens.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        spec: demo::SpecArgs,
        #[command(flatten)]
        mail: MailArgs,
        /// The open market page publishes a cell only when it draws on at least
        /// this many distinct businesses and this many distinct workers.
        #[arg(long, env = "SLIVERS_MARKET_K", default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=1000))]
        market_k: u16,
    },
    /// Fill the database with a deterministic synthetic market.
    Demo {
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        spec: demo::SpecArgs,
        /// Print API tokens for one operator, one business member and one worker as JSON.
        #[arg(long)]
        json: bool,
        /// Only mint fresh tokens for the demo accounts of a market already
        /// loaded (signing in from the command line, outside any client
        /// address's sign-in limit); loads nothing.
        #[arg(long)]
        tokens: bool,
    },
    /// Create or upgrade the database schema.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Matching from the terminal: candidates, explain, shifts for a worker, offer waves.
    Match {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        command: matching::MatchCommand,
    },
    /// The roster optimizer: benchmark instances (and the exchange's shifts through the API).
    Roster {
        #[command(subcommand)]
        command: roster::RosterCommand,
    },
    /// Run a benchmark and print its numbers against a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// A month of the exchange under a simulated clock: outcomes against an LP
    /// upper bound and a greedy first-come baseline, an HTML report.
    Simulate(simulate::SimArgs),
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// The matching index against PostgreSQL on the same synthetic market.
    Match {
        #[arg(long, default_value_t = 1_000_000)]
        workers: usize,
        #[arg(long, default_value_t = 10_000)]
        queries: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// PostgreSQL for the baseline (a scratch database; tables are created and dropped).
        #[arg(long, env = "SLIVERS_BENCH_DATABASE_URL")]
        postgres: Option<String>,
    },
    /// Bookings over HTTP on the demo market: clients book valid and invalid
    /// (shift, worker) pairs against a child `slivers serve`; a /healthz
    /// baseline from the same run; the rule checker re-checks the final database.
    Book(bench_book::BookArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from SLIVERS_PASSWORD.
    Create {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        email: String,
        /// worker, business or operator
        #[arg(long)]
        role: String,
        #[arg(long)]
        business_id: Option<i64>,
        #[arg(long)]
        worker_id: Option<i64>,
        #[arg(long, env = "SLIVERS_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    match cli.command {
        Command::Serve { db, addr, demo, spec, mail, market_k } => {
            let store = slivers_store::connect(&db.db).await.with_context(|| format!("opening {}", db.db))?;
            if demo {
                let tokens = demo::ensure_loaded(&store, &spec.spec()?).await?;
                eprintln!("{}", demo::describe(&tokens, &format!("http://{addr}")));
            }
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
            let started = std::time::Instant::now();
            let exchange = Exchange::build(store).await.context("building the matching index")?;
            let workers = exchange.feed().index.read().map(|i| i.len()).unwrap_or(0);
            tracing::info!(workers, seconds = started.elapsed().as_secs_f32(), "matching index built");
            // Other servers' writes reach this index within one poll.
            exchange.tail(std::time::Duration::from_millis(200));
            slivers_exchange::waves::run(exchange.clone(), std::time::Duration::from_secs(5));
            slivers_exchange::billing::run_background(exchange.clone(), std::time::Duration::from_secs(60));
            // Breached response targets raise the inquiry's priority within a minute.
            slivers_exchange::inquiries::run_background(exchange.clone(), std::time::Duration::from_secs(60));
            let market = slivers_exchange::market::MarketSettings { k: usize::from(market_k), ..Default::default() };
            slivers_exchange::market::configure(&exchange, market)?;
            let notifier = slivers_exchange::notify::Notifier::new(exchange.clone(), mail.settings(addr)?)?;
            std::sync::Arc::new(notifier).run(std::time::Duration::from_secs(2));
            tracing::info!(%addr, db = %db.db, "serving; API docs at /api/docs");
            slivers_server::serve(listener, slivers_server::AppState::from_exchange(exchange)).await?;
        }
        Command::Demo { db, spec, json, tokens } => {
            let store = slivers_store::connect(&db.db).await.with_context(|| format!("opening {}", db.db))?;
            let spec = spec.spec()?;
            let loaded = demo::has_market(&*store).await?;
            if loaded && !tokens {
                bail!("{} already holds a market; demo needs an empty database (or --tokens for fresh tokens)", db.db);
            }
            if !loaded && tokens {
                bail!("{} holds no demo market to mint tokens for", db.db);
            }
            let tokens = demo::ensure_loaded(&store, &spec).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                println!("{}", demo::describe(&tokens, "http://127.0.0.1:8080"));
            }
        }
        Command::Migrate { db } => {
            slivers_store::connect(&db.db).await.with_context(|| format!("opening {}", db.db))?;
            println!("{} is up to date", db.db);
        }
        Command::Match { db, command } => {
            let store = slivers_store::connect(&db.db).await.with_context(|| format!("opening {}", db.db))?;
            matching::run(store, command).await?;
        }
        Command::Roster { command } => roster::run(command)?,
        Command::Bench { command: BenchCommand::Match { workers, queries, seed, postgres } } => {
            slivers_bench::matching::run(&slivers_bench::matching::MatchBench { workers, queries, seed, postgres }).await?;
        }
        Command::Bench { command: BenchCommand::Book(args) } => bench_book::run(args).await?,
        Command::Simulate(args) => simulate::run(args).await?,
        Command::User { command: UserCommand::Create { db, email, role, business_id, worker_id, password } } => {
            let role = Role::parse(&role).with_context(|| format!("unknown role `{role}`: worker, business or operator"))?;
            match role {
                Role::Business if business_id.is_none() => bail!("--business-id is required for a business member"),
                Role::Worker if worker_id.is_none() => bail!("--worker-id is required for a worker"),
                _ => {}
            }
            let store = slivers_store::connect(&db.db).await.with_context(|| format!("opening {}", db.db))?;
            let ex = Exchange::new(store);
            let user = NewUser {
                email,
                password_hash: String::new(),
                role,
                worker_id: worker_id.map(WorkerId),
                business_id: business_id.map(BusinessId),
                now: ex.now(),
            };
            let id = credentials::create_user(&ex, user, &password).await?;
            println!("{}", id.0);
        }
    }
    Ok(())
}
