//! `slivers match …`: the matching features from the terminal, over the same
//! index and rule checker the server uses.

use anyhow::{Context, Result};
use clap::Subcommand;
use jiff::Timestamp;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::rules::Mode;
use slivers_match::{Query, Weights};
use slivers_server::AppState;
use slivers_store::{Actor, Scope, Store, WaveStatus};

#[derive(Subcommand)]
pub enum MatchCommand {
    /// Workers who pass every rule for a shift, best first, with score parts.
    Candidates {
        #[arg(long)]
        shift: i64,
        /// instant or offer
        #[arg(long, default_value = "offer")]
        mode: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Every rule for one worker on one shift, with its numbers.
    Explain {
        #[arg(long)]
        shift: i64,
        #[arg(long)]
        worker: i64,
        #[arg(long, default_value = "offer")]
        mode: String,
    },
    /// Open shifts that fit a worker, best first.
    ShiftsFor {
        #[arg(long)]
        worker: i64,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Start offer waves on a shift with the business's settings; the first wave goes out now.
    WaveStart {
        #[arg(long)]
        shift: i64,
    },
    /// Stop offer waves on a shift; outstanding offers are withdrawn.
    WaveStop {
        #[arg(long)]
        shift: i64,
    },
}

fn mode(s: &str) -> Result<Mode> {
    match s {
        "instant" => Ok(Mode::Instant),
        "offer" => Ok(Mode::Offer),
        other => anyhow::bail!("unknown mode `{other}`: instant or offer"),
    }
}

async fn state(store: std::sync::Arc<dyn Store>) -> Result<AppState> {
    let bar = indicatif::ProgressBar::new_spinner().with_message("building the matching index");
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    let state = AppState::build(store).await.context("building the matching index")?;
    bar.finish_and_clear();
    Ok(state)
}

pub async fn run(store: std::sync::Arc<dyn Store>, command: MatchCommand) -> Result<()> {
    let now = Timestamp::now();
    match command {
        MatchCommand::Candidates { shift, mode: m, limit } => {
            let state = state(store.clone()).await?;
            let shift = store.get_shift(ShiftId(shift), &Scope::All).await?;
            let q = Query { shift, mode: mode(&m)?, now, limit, weights: Weights::default() };
            let found = state.feed.index.read().map_err(|_| anyhow::anyhow!("index lock poisoned"))?.search(&q);
            println!("{:>8}  {:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}", "worker", "name", "total", "skill", "repute", "reliab", "dist", "cost", "fair");
            for c in found {
                let s = c.score;
                println!(
                    "{:>8}  {:<28} {:>6.3} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2}",
                    c.worker_id.0, c.name, s.total, s.skill_fit, s.reputation, s.reliability, s.distance, s.cost, s.fairness
                );
            }
        }
        MatchCommand::Explain { shift, worker, mode: m } => {
            let state = state(store.clone()).await?;
            let shift = store.get_shift(ShiftId(shift), &Scope::All).await?;
            let index = state.feed.index.read().map_err(|_| anyhow::anyhow!("index lock poisoned"))?;
            let v = index.explain(WorkerId(worker), &shift, now, mode(&m)?).context("no such worker")?;
            println!("{}", if v.allowed { "ALLOWED" } else { "REFUSED" });
            for c in &v.checks {
                println!("  {:<15} {}  {}", c.rule.as_str(), if c.pass { "pass" } else { "FAIL" }, c.message);
            }
        }
        MatchCommand::ShiftsFor { worker, limit } => {
            let state = state(store.clone()).await?;
            let index = state.feed.index.read().map_err(|_| anyhow::anyhow!("index lock poisoned"))?;
            for m in index.shifts_for(WorkerId(worker), now, limit, &Weights::default()) {
                println!("shift {:>8}  score {:.3}", m.shift_id.0, m.score.total);
            }
        }
        MatchCommand::WaveStart { shift } => {
            let state = state(store.clone()).await?;
            let s = store.get_shift(ShiftId(shift), &Scope::All).await?;
            let settings = store.get_business(s.business_id, &Scope::All).await?.waves;
            let wave = store.start_wave(s.id, settings, &Actor::system(), now).await?;
            slivers_server::waves::advance(&state, &wave).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let wave = store.get_wave(s.id, &Scope::All).await?.context("wave vanished")?;
            println!("wave {} on shift {}: {} offers sent; next wave at {}", wave.id, shift, wave.offers_sent, wave.next_wave_at);
        }
        MatchCommand::WaveStop { shift } => {
            let wave = store.get_wave(ShiftId(shift), &Scope::All).await?.context("no offer waves on this shift")?;
            let wave = store.end_wave(wave.id, WaveStatus::Stopped, &Actor::system(), now).await?;
            println!("wave {} stopped after {} waves and {} offers", wave.id, wave.waves_sent, wave.offers_sent);
        }
    }
    Ok(())
}
