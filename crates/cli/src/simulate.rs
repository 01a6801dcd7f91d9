//! `slivers simulate`: a month of the exchange under a simulated clock
//! (`slivers_sim`), with a progress bar, a one-line summary, the HTML report
//! and, with `--sweep`, a table comparing offer-wave settings or ranking weights.

use anyhow::{bail, Context, Result};
use slivers_match::Weights;
use slivers_sim::plan::{Mix, Spec, UrgentPlaybook};
use slivers_sim::simulate::{simulate, References, Simulation};

use crate::scratch::Scratch;

#[derive(clap::Args, Clone)]
pub struct SimArgs {
    /// An empty PostgreSQL database (postgres://…); without it, a new SQLite
    /// file in the temporary directory, removed afterwards.
    #[arg(long)]
    db: Option<String>,
    /// Keep the SQLite file and print its URL.
    #[arg(long)]
    keep_db: bool,
    /// Seeds the market, its demand and every person's behaviour.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=200_000))]
    workers: u32,
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=20_000))]
    businesses: u32,
    /// Shifts starting within the month (about).
    #[arg(long, default_value_t = 9000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    shifts: u32,
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=31))]
    days: u32,
    /// Share of shifts posted one to six hours before they start.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=100))]
    urgent_percent: u32,
    /// Shares of businesses booking instantly, sending offer waves and rostering weekly: `instant,waves,roster`.
    #[arg(long, default_value = "40,40,20")]
    mix: String,
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    wave_size: u32,
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1440))]
    wave_interval: u32,
    /// Whom each wave asks first (default: the overall match score).
    #[arg(long, value_enum)]
    wave_order: Option<Order>,
    /// Every business books those who take instant bookings first on an
    /// urgent place (starting within 12 hours), whatever its usual channel.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    urgent_instant_first: bool,
    /// Offers per wave for an urgent place (0: the usual `--wave-size`).
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(0..=100))]
    urgent_wave_size: u32,
    /// The fairness weight each weekly roster is proposed with (0: cost only).
    #[arg(long, default_value_t = 0.0)]
    roster_fairness: f64,
    /// Branch-and-bound nodes per MIP solve of each weekly roster (a fixed
    /// effort, not seconds, so a seed gives the same month on any machine).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    roster_nodes: u64,
    /// Neighbourhoods each weekly roster searches after its first answer.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    roster_rounds: u32,
    /// Share of confirmed bookings the worker later cancels, in percent.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=100))]
    cancel_percent: u32,
    /// Share of bookings whose worker does not come, in percent (a tenth of workers are four times as likely).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=25))]
    no_show_percent: u32,
    /// Where the HTML report goes.
    #[arg(long, default_value = "simulation.html")]
    report: std::path::PathBuf,
    /// Skip the LP bound and the greedy baseline.
    #[arg(long)]
    no_reference: bool,
    /// Print the result as JSON too.
    #[arg(long)]
    json: bool,
    /// Compare policies: `waves` runs every size × interval of `--wave-sizes`
    /// and `--wave-intervals`; `weights` runs the named ranking presets.
    #[arg(long, value_enum)]
    sweep: Option<Sweep>,
    #[arg(long, default_value = "3,5,10")]
    wave_sizes: String,
    #[arg(long, default_value = "5,10,30")]
    wave_intervals: String,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Best,
    Reliability,
    Distance,
    Fairness,
}

impl From<Order> for slivers_store::WaveOrder {
    fn from(o: Order) -> Self {
        match o {
            Order::Best => slivers_store::WaveOrder::Best,
            Order::Reliability => slivers_store::WaveOrder::Reliability,
            Order::Distance => slivers_store::WaveOrder::Distance,
            Order::Fairness => slivers_store::WaveOrder::Fairness,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    Waves,
    Weights,
    /// What businesses do with urgent places (`urgent_presets`).
    Urgent,
}

impl SimArgs {
    fn spec(&self) -> Result<Spec> {
        let mix: Vec<u32> = numbers(&self.mix, "--mix")?;
        let [instant, waves, roster] = mix[..] else { bail!("--mix takes three shares: instant,waves,roster") };
        if !(0.0..=1000.0).contains(&self.roster_fairness) {
            bail!("--roster-fairness must be between 0 and 1000");
        }
        if instant + waves + roster == 0 {
            bail!("--mix: at least one share must be above 0");
        }
        #[allow(clippy::float_arithmetic, reason = "percent flags to the behaviour model's rates")]
        let behaviour = slivers_sim::behaviour::Behaviour {
            seed: self.seed,
            cancel_rate: f64::from(self.cancel_percent) / 100.0,
            no_show_rate: f64::from(self.no_show_percent) / 100.0,
        };
        Ok(Spec {
            seed: self.seed,
            workers: self.workers as usize,
            businesses: self.businesses as usize,
            shifts: self.shifts as usize,
            days: self.days,
            urgent_percent: self.urgent_percent,
            mix: Mix { instant, waves, roster },
            wave_size: self.wave_size,
            wave_interval_minutes: self.wave_interval,
            wave_order: self.wave_order.map(Into::into),
            urgent: UrgentPlaybook { instant_first: self.urgent_instant_first, wave_size: (self.urgent_wave_size > 0).then_some(self.urgent_wave_size) },
            roster_fairness: self.roster_fairness,
            roster_effort: slivers_roster::Effort { nodes: self.roster_nodes, rounds: self.roster_rounds },
            behaviour,
            ..Spec::default()
        })
    }
}

fn numbers(s: &str, flag: &str) -> Result<Vec<u32>> {
    s.split(',').map(|x| x.trim().parse::<u32>().with_context(|| format!("{flag}: `{x}` is not a whole number"))).collect()
}

/// The ranking presets `--sweep weights` compares.
fn weight_presets() -> Vec<(&'static str, Weights)> {
    let d = Weights::default();
    vec![
        ("default", d),
        ("no fairness", Weights { fairness: 0.0, ..d }),
        ("fairness first", Weights { fairness: 0.5, ..d }),
        ("reliability first", Weights { reliability: 0.5, ..d }),
        ("nearest first", Weights { distance: 0.5, ..d }),
    ]
}

/// The urgent playbooks `--sweep urgent` compares.
fn urgent_presets() -> Vec<(&'static str, UrgentPlaybook)> {
    vec![
        ("as usual", UrgentPlaybook::AS_USUAL),
        ("instant first", UrgentPlaybook { instant_first: true, wave_size: None }),
        ("waves of 25", UrgentPlaybook { instant_first: false, wave_size: Some(25) }),
        ("instant first, waves of 25", UrgentPlaybook { instant_first: true, wave_size: Some(25) }),
        ("instant first, waves of 100", UrgentPlaybook { instant_first: true, wave_size: Some(100) }),
    ]
}

pub async fn run(args: SimArgs) -> Result<()> {
    let spec = args.spec()?;
    match args.sweep {
        None => single(&args, &spec).await,
        Some(sweep) => {
            let mut runs: Vec<(String, Spec)> = Vec::new();
            match sweep {
                Sweep::Waves => {
                    for size in numbers(&args.wave_sizes, "--wave-sizes")? {
                        for interval in numbers(&args.wave_intervals, "--wave-intervals")? {
                            if !(1..=100).contains(&size) || !(1..=1440).contains(&interval) {
                                bail!("wave sizes must be 1 to 100 and intervals 1 to 1440 minutes");
                            }
                            runs.push((format!("waves of {size} every {interval} min"), Spec { wave_size: size, wave_interval_minutes: interval, ..spec.clone() }));
                        }
                    }
                }
                Sweep::Weights => {
                    for (name, weights) in weight_presets() {
                        runs.push((format!("ranking: {name}"), Spec { weights, ..spec.clone() }));
                    }
                }
                Sweep::Urgent => {
                    for (name, urgent) in urgent_presets() {
                        runs.push((format!("urgent: {name}"), Spec { urgent, ..spec.clone() }));
                    }
                }
            }
            sweep_table(&args, runs).await
        }
    }
}

async fn one(args: &SimArgs, spec: &Spec, refs: References, label: &str) -> Result<Simulation> {
    let scratch = Scratch::new(args.db.as_deref(), "simulate", args.keep_db, true)?;
    let store = slivers_store::connect(&scratch.url).await.with_context(|| format!("opening {}", scratch.url))?;
    if crate::demo::has_market(&*store).await? {
        bail!("{} already holds a market; the simulator needs an empty database", scratch.url);
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{prefix} {bar:40} day {msg} {elapsed} (eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_prefix(label.to_string());
    let mut tick = |done: u64, total: u64| {
        bar.set_length(total);
        if done / 60 != bar.position() / 60 {
            bar.set_message(format!("{}/{}", done / (24 * 60), total / (24 * 60)));
        }
        bar.set_position(done);
    };
    let sim = simulate(store, spec, refs, &mut tick).await?;
    bar.finish();
    Ok(sim)
}

async fn single(args: &SimArgs, spec: &Spec) -> Result<()> {
    let refs = References { bound: !args.no_reference, greedy: !args.no_reference };
    let sim = one(args, spec, refs, "simulating").await?;
    let page = slivers_sim::report::html(&sim);
    std::fs::write(&args.report, page).with_context(|| format!("writing {}", args.report.display()))?;
    for line in slivers_sim::report::console(&sim) {
        println!("{line}");
    }
    println!("report: {}", args.report.display());
    if args.json {
        println!("{}", serde_json::json!({ "metrics": sim.metrics, "greedy": sim.greedy, "bound": sim.bound, "bound_willing": sim.bound_willing, "violations": sim.violations, "counters": sim.run.counters, "seconds": sim.seconds, "digest": slivers_sim::report::digest(&sim.metrics) }));
    }
    if !sim.violations.broken.is_empty() {
        bail!("{} broken limits: {}", sim.violations.broken.len(), sim.violations.broken.join("; "));
    }
    Ok(())
}

async fn sweep_table(args: &SimArgs, runs: Vec<(String, Spec)>) -> Result<()> {
    let mut rows = Vec::new();
    for (i, (label, spec)) in runs.iter().enumerate() {
        // The references do not depend on the policy: once is enough.
        let refs = References { bound: i == 0 && !args.no_reference, greedy: i == 0 && !args.no_reference };
        let sim = one(args, spec, refs, label).await?;
        if i == 0 {
            for line in slivers_sim::report::console(&sim).into_iter().skip(1) {
                println!("{line}");
            }
        }
        if !sim.violations.broken.is_empty() {
            bail!("{label}: {} broken limits", sim.violations.broken.len());
        }
        rows.push((label.clone(), sim.metrics));
    }
    println!("{}", slivers_sim::goals::table(&rows));
    Ok(())
}
