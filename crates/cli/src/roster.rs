//! `slivers roster …`: the optimizer on benchmark instances and on the exchange.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

#[derive(Subcommand)]
pub enum RosterCommand {
    /// Solve a Curtois–Qu benchmark instance; print objective, bound, gap and the validator's verdict.
    Nrp {
        file: PathBuf,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print one JSON line instead of text.
        #[arg(long)]
        json: bool,
        /// Check a CP-SAT JSON result line (from bench/roster/cpsat_nrp.py) with the same validator instead of solving.
        #[arg(long)]
        check: Option<PathBuf>,
    },
}

#[derive(Serialize)]
struct Line {
    instance: String,
    seconds: f64,
    objective: u64,
    bound: f64,
    gap: f64,
    optimal: bool,
    feasible: bool,
    violations: usize,
}

pub fn run(command: RosterCommand) -> Result<()> {
    match command {
        RosterCommand::Nrp { file, seconds, seed, json, check } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let problem = slivers_roster::nrp::parse(&text)?;
            let name = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            if let Some(path) = check {
                return check_external(&problem, &name, &path);
            }
            let opts = slivers_roster::Options::seconds(seconds, seed);
            let out = slivers_roster::solve(&problem, opts, |p| {
                if !json {
                    eprintln!(
                        "{:>7.2}s  {:<4} objective {:>8}  bound {:>10.1}",
                        p.seconds,
                        p.phase,
                        p.objective.map_or("-".to_string(), |o| o.to_string()),
                        p.bound
                    );
                }
            })?;
            let line = Line {
                instance: name,
                seconds,
                objective: out.objective,
                bound: out.bound,
                gap: out.gap,
                optimal: out.optimal,
                feasible: out.report.feasible,
                violations: out.report.violations.len(),
            };
            if json {
                println!("{}", serde_json::to_string(&line)?);
            } else {
                println!(
                    "{}: objective {} (validator: {}, {} violations; parts {:?}), bound {:.1}, gap {:.2}%{}",
                    line.instance,
                    line.objective,
                    if line.feasible { "feasible" } else { "INFEASIBLE" },
                    line.violations,
                    out.report.objective,
                    line.bound,
                    100.0 * line.gap,
                    if line.optimal { ", optimal" } else { "" }
                );
                for v in out.report.violations.iter().take(10) {
                    println!("  violation: {v}");
                }
            }
            anyhow::ensure!(out.report.feasible, "the validator found the roster infeasible");
            anyhow::ensure!(out.report.objective.total == out.objective, "the validator's objective differs from the solver's");
        }
    }
    Ok(())
}

/// Validate another solver's assignment with our validator, so both columns of
/// the comparison table are judged by the same rules.
fn check_external(problem: &slivers_roster::Problem, name: &str, path: &PathBuf) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(text.trim()).context("parsing the CP-SAT JSON line")?;
    let assign: Vec<Vec<Option<usize>>> = serde_json::from_value(v["assignment"].clone()).context("assignment")?;
    let report = slivers_roster::validate(problem, &slivers_roster::Solution { assign });
    println!(
        "{name}: external objective {} — our validator: {} with {} violations, objective {}",
        v["objective"],
        if report.feasible { "feasible" } else { "INFEASIBLE" },
        report.violations.len(),
        report.objective.total
    );
    Ok(())
}
