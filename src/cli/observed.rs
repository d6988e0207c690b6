//! `clearance run … --observed FILE.csv`: print the fit of the run to observed cumulative people
//! processed and, with `--out`, write `observed-fit.csv` and the overlay chart
//! (`observed-chart.png`, `observed-chart.svg`).

use super::RunArgs;
use crate::experiment::RunResult;
use crate::observed::{fit_csv, fit_table, Fit};
use crate::output::observed_chart::fit_chart;
pub use crate::output::observed_chart::{
    observed_points, processed_bands, CHART_PNG, CHART_SVG, FIT_CSV,
};
use crate::output::{self, OutputError};
use crate::scenario::Scenario;
use anyhow::{Context, Result};
use std::io::Write;

/// Print the fit (stdout; stderr under `--json`, so stdout stays one JSON document) and write
/// the fit files into `--out`.
pub fn report_fit(args: &RunArgs, scn: &Scenario, run: &RunResult, fit: &Fit) -> Result<()> {
    let table = fit_table(fit);
    if args.json {
        err!("{table}");
    } else {
        out!("{table}");
        super::to_stdout(|o| o.flush())?;
    }
    if let Some(dir) = &args.out {
        let bytes = fit_csv(fit).map_err(|e| OutputError::Serialize {
            what: FIT_CSV.into(),
            source: Box::new(e),
        })?;
        output::atomic_write(&dir.join(FIT_CSV), &bytes)?;
        fit_chart(
            Some(dir),
            &scn.name,
            &run.summary.scenario.overrides,
            scn.start_date,
            run.clearance_days.len(),
            &run.daily,
            fit,
        )
        .context("could not draw the observed chart")?;
        if !args.json {
            status!("wrote {FIT_CSV}, {CHART_PNG} and {CHART_SVG}");
        }
    }
    Ok(())
}
