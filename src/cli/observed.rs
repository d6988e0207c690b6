//! `clearance run … --observed FILE.csv`: print the fit of the run to observed cumulative people
//! processed and, with `--out`, write `observed-fit.csv` and the overlay chart
//! (`observed-chart.png`, `observed-chart.svg`).

use super::RunArgs;
use crate::experiment::{DailyBands, RunResult};
use crate::observed::{fit_csv, fit_table, Fit, Scope};
use crate::output::observed_chart::{
    write_observed_chart, BandPoint, ObservedChart, ObservedPoint,
};
use crate::output::{self, OutputError};
use crate::scenario::Scenario;
use anyhow::{Context, Result};
use std::io::Write;

/// Daily bands of cumulative people processed (series `processed`) for the chart, through day
/// `through` at least: after every replication has ended their last day is carried forward,
/// as the fit table carries it (the line had stopped short of observations made after the last
/// replication ended).
pub fn processed_bands(daily: &DailyBands, through: usize) -> Vec<BandPoint> {
    let Some(s) = daily.series_index("processed") else {
        return Vec::new();
    };
    if daily.days == 0 {
        return Vec::new();
    }
    (0..daily.days.max(through + 1))
        .map(|d| {
            let b = daily.get(d.min(daily.days - 1), s);
            BandPoint {
                day: d,
                p5: b.p5,
                p25: b.p25,
                p50: b.p50,
                p75: b.p75,
                p95: b.p95,
            }
        })
        .collect()
}

/// The observed totals (scope "all") as chart points.
pub fn observed_points(fit: &Fit) -> Vec<ObservedPoint> {
    fit.rows
        .iter()
        .filter(|r| r.obs.scope == Scope::All)
        .map(|r| ObservedPoint {
            day: r.obs.day,
            people: r.obs.people,
            fitted: true,
        })
        .collect()
}

/// The files the fit writes into `--out`: the fit table and the chart.
pub const FIT_CSV: &str = "observed-fit.csv";
pub const CHART_PNG: &str = "observed-chart.png";
pub const CHART_SVG: &str = "observed-chart.svg";

/// Print the fit (stdout; stderr under `--json`, so stdout stays one JSON document) and write
/// the fit files into `--out`.
pub fn report_fit(args: &RunArgs, scn: &Scenario, run: &RunResult, fit: &Fit) -> Result<()> {
    let table = fit_table(fit);
    if args.json {
        err!("{table}");
    } else {
        out!("{table}");
        super::Out.flush()?;
    }
    if let Some(dir) = &args.out {
        let bytes = fit_csv(fit).map_err(|e| OutputError::Serialize {
            what: FIT_CSV.into(),
            source: Box::new(e),
        })?;
        output::atomic_write(&dir.join(FIT_CSV), &bytes)?;
        let points = observed_points(fit);
        let last_observed = fit.rows.iter().map(|r| r.obs.day).max().unwrap_or(0);
        let bands = processed_bands(&run.daily, last_observed);
        let n = run.clearance_days.len();
        // The chart shows the counts of all ports; one port's counts are in the fit table only.
        let one_port = fit.rows.len() - points.len();
        let subtitle = format!(
            "{} · {} replication{} · start {} · {} observed date{}{}",
            scn.name,
            n,
            if n == 1 { "" } else { "s" },
            scn.start_date.format("%Y-%m-%d"),
            points.len(),
            if points.len() == 1 { "" } else { "s" },
            match one_port {
                0 => String::new(),
                k => format!(
                    " (and {k} count{} of one port, in the fit table only)",
                    if k == 1 { "" } else { "s" }
                ),
            }
        );
        write_observed_chart(
            &dir.join(CHART_PNG),
            &dir.join(CHART_SVG),
            &ObservedChart {
                title: "Simulated vs observed: people processed, cumulative",
                subtitle: &subtitle,
                start_date: scn.start_date,
                bands: &bands,
                observed: &points,
                marker: None,
            },
        )
        .context("could not draw the observed chart")?;
        if !args.json {
            outln!("wrote {FIT_CSV}, {CHART_PNG} and {CHART_SVG}");
        }
    }
    Ok(())
}
