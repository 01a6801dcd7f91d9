//! `slivers match …`: the matching features from the terminal, over the same
//! index and rule checker the server uses.

use anyhow::{Context, Result};
use clap::Subcommand;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::rules::Mode;
use slivers_exchange::{matching, waves, Exchange, Principal};
use slivers_store::Store;

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

async fn exchange(store: std::sync::Arc<dyn Store>) -> Result<Exchange> {
    let bar = indicatif::ProgressBar::new_spinner().with_message("building the matching index");
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    let ex = Exchange::build(store).await.context("building the matching index")?;
    bar.finish_and_clear();
    Ok(ex)
}

/// The terminal acts as the exchange itself, with every number in view.
pub async fn run(store: std::sync::Arc<dyn Store>, command: MatchCommand) -> Result<()> {
    let system = Principal::system();
    match command {
        MatchCommand::Candidates { shift, mode: m, limit } => {
            let ex = exchange(store).await?;
            let found = matching::candidates(&ex, &system, ShiftId(shift), mode(&m)?, Some(limit)).await?;
            println!("{:>8}  {:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}", "worker", "name", "total", "skill", "repute", "reliab", "dist", "cost", "fair");
            for c in found {
                let Some(s) = c.score else { continue };
                println!(
                    "{:>8}  {:<28} {:>6.3} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2}",
                    c.worker_id.0, c.name, s.total, s.skill_fit, s.reputation, s.reliability, s.distance, s.cost, s.fairness
                );
            }
        }
        MatchCommand::Explain { shift, worker, mode: m } => {
            let ex = exchange(store).await?;
            let v = matching::explain(&ex, &system, ShiftId(shift), WorkerId(worker), mode(&m)?).await?;
            println!("{}", if v.allowed { "ALLOWED" } else { "REFUSED" });
            for c in &v.checks {
                println!("  {:<15} {}  {}", c.rule.as_str(), if c.pass { "pass" } else { "FAIL" }, c.message);
            }
        }
        MatchCommand::ShiftsFor { worker, limit } => {
            let ex = exchange(store).await?;
            for m in matching::shifts_for(&ex, &system, WorkerId(worker), Some(limit)).await? {
                println!("shift {:>8}  score {:.3}", m.fit.shift_id.0, m.fit.score.total);
            }
        }
        MatchCommand::WaveStart { shift } => {
            let ex = exchange(store).await?;
            let wave = waves::start(&ex, &system, ShiftId(shift), waves::WaveOverrides::default()).await?;
            println!("wave {} on shift {}: {} offers sent; next wave at {}", wave.id, shift, wave.offers_sent, wave.next_wave_at);
        }
        MatchCommand::WaveStop { shift } => {
            let ex = Exchange::new(store);
            let wave = waves::stop(&ex, &system, ShiftId(shift)).await?;
            println!("wave {} stopped after {} waves and {} offers", wave.id, wave.waves_sent, wave.offers_sent);
        }
    }
    Ok(())
}
