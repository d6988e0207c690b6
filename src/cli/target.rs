//! `clearance target SCENARIO --vary PATH --goal 'p90(clearance_days) <= 120'`: the smallest
//! value of an integer parameter on `--min..=--max` by `--step` meeting the goal (bisection,
//! common random numbers), with the KPI and its CI there and at the next lower step.

use super::{num, to_json, ExpOpts};
use crate::experiment::target::{search, Evaluation, ExperimentError, Goal, Search};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The key path to search over (an integer), e.g. 'port[San Ysidro].quota_per_day'.
    #[arg(long)]
    pub vary: String,
    /// MEASURE(KPI) OP NUMBER, e.g. 'p90(clearance_days) <= 120' (MEASURE: mean, median, pNN,
    /// min, max; OP: <=, <, >=, >).
    #[arg(long)]
    pub goal: Goal,
    /// Smallest value searched.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    pub min: i64,
    /// Largest value searched.
    #[arg(long, default_value_t = 1000, allow_negative_numbers = true)]
    pub max: i64,
    /// Grid step.
    #[arg(long, default_value_t = 10)]
    pub step: i64,
    #[command(flatten)]
    pub common: ExpOpts,
}

fn line(e: &Evaluation, goal: &Goal) -> String {
    // A milestone never reached counts as +∞ (the goal's rule), so the measure or a bound of its
    // interval may be infinite (a mean's interval over infinite values is NaN: "not reached" too).
    let unreached = |x: f64| !x.is_finite() && e.not_reached > 0;
    let v = |x: f64, d: usize| {
        if unreached(x) {
            "∞ (not reached)".to_string()
        } else {
            num(Some(x), d)
        }
    };
    let ci = match (e.ci95_low, e.ci95_high) {
        (Some(l), _) if unreached(l) => String::new(),
        (Some(l), Some(h)) if unreached(h) => format!(" (95% CI {} – ∞)", num(Some(l), 1)),
        (Some(l), Some(h)) => format!(" (95% CI {} – {})", num(Some(l), 1), num(Some(h), 1)),
        _ => String::new(),
    };
    let nr = if e.not_reached > 0 {
        format!(
            ", not reached in {} of {} replications",
            e.not_reached, e.replications
        )
    } else {
        String::new()
    };
    format!(
        "{} = {}{ci}: {} the goal{nr}",
        goal.text.split(['<', '>']).next().unwrap_or("").trim(),
        v(e.kpi, 2),
        if e.met { "meets" } else { "does not meet" }
    )
}

pub fn cmd(args: &TargetArgs) -> Result<ExitCode> {
    let s = Search {
        vary: args.vary.clone(),
        goal: args.goal.clone(),
        min: args.min,
        max: args.max,
        step: args.step,
    };
    let r = match search(
        &args.scenario,
        &args.common.set,
        &s,
        &args.common.run_options(),
    ) {
        Ok(r) => r,
        Err(ExperimentError::Scenario(e)) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
        Err(ExperimentError::Usage(e)) => usage!("{e}"),
        Err(e) => return Err(e.into()),
    };
    if args.common.json {
        out!("{}", to_json(&r)?);
    } else {
        outln!("{}", r.message);
        if let Some(f) = &r.found {
            outln!("  at {} = {}: {}", r.vary, f.value, line(f, &args.goal));
        }
        if let Some(n) = &r.neighbour {
            let which = if r.direction.as_deref() == Some("decreasing") {
                "next higher step"
            } else {
                "next lower step"
            };
            outln!(
                "  {which} {} = {}: {}",
                r.vary,
                n.value,
                line(n, &args.goal)
            );
        }
        outln!("  evaluated (same seeds at every value):");
        for e in &r.evaluations {
            outln!("    {:>8}  {}", e.value, line(e, &args.goal));
        }
    }
    Ok(if r.found.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
