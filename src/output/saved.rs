//! Reading a saved run back (`--out DIR`: scenario.toml, summary.json, daily.csv,
//! replications.csv) so that `clearance chart DIR` and `clearance report DIR` redraw without
//! re-simulating.

use super::OutputError;
use crate::experiment::{Band, DailyBands, Summary};
use std::path::{Path, PathBuf};

/// What a saved run holds.
#[derive(Debug, Clone)]
pub struct SavedRun {
    /// The scenario text as it was run.
    pub scenario_text: String,
    /// The path of the saved `scenario.toml` (in the run's directory).
    pub scenario_file: PathBuf,
    /// The run's summary, read from `summary.json`.
    pub summary: Summary,
    /// The daily bands over replications, read from `daily.csv`.
    pub daily: DailyBands,
    /// Each replication's clearance time \[days\], in the order of replications.csv: the one
    /// per-replication value the charts and the report read (8 bytes a replication in memory).
    pub clearance_days: Vec<f64>,
}

/// The files of a saved run that [`load`] reads.
pub const FILES: [&str; 4] = [
    "scenario.toml",
    "summary.json",
    "daily.csv",
    "replications.csv",
];

/// The columns of `daily.csv` (MODEL.md §3).
const DAILY_HEADER: [&str; 9] = [
    "day", "date", "series", "mean", "p5", "p25", "p50", "p75", "p95",
];

fn bad(path: &Path, msg: impl Into<String>) -> OutputError {
    OutputError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, msg.into()),
    }
}

fn read(path: &Path) -> Result<String, OutputError> {
    use crate::fsio::ReadError;
    match crate::fsio::read_text_capped(path, crate::fsio::TEXT_CAP) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(bad(path, "not a UTF-8 text file")),
        Err(ReadError::Io { source, .. }) => Err(OutputError::Read {
            path: path.to_path_buf(),
            source,
        }),
        Err(ReadError::TooLarge { cap, .. }) => Err(bad(path, crate::fsio::too_large(cap))),
    }
}

/// A CSV reader of the file at `path`, its lines capped ([`crate::fsio::LineCapped`]).
fn csv_reader(
    path: &Path,
) -> Result<csv::Reader<crate::fsio::LineCapped<std::fs::File>>, OutputError> {
    let f = crate::fsio::LineCapped::open(path).map_err(|source| OutputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::Reader::from_reader(f))
}

fn num(path: &Path, line: usize, col: &str, v: &str) -> Result<f64, OutputError> {
    v.parse::<f64>().map_err(|_| {
        bad(
            path,
            format!("line {line}: column {col}: {v:?} is not a number"),
        )
    })
}

/// Load a saved run from `dir`.
pub fn load(dir: &Path) -> Result<SavedRun, OutputError> {
    let scenario_file = dir.join("scenario.toml");
    let scenario_text = read(&scenario_file)?;
    let sp = dir.join("summary.json");
    let summary: Summary = serde_json::from_str(&read(&sp)?)
        .map_err(|e| bad(&sp, format!("not a clearance summary: {e}")))?;
    let start = chrono::NaiveDate::parse_from_str(&summary.scenario.start_date, "%Y-%m-%d")
        .map_err(|e| bad(&sp, format!("scenario.start_date: {e}")))?;
    let horizon = summary.scenario.horizon_days;
    if !(horizon > 0.0 && horizon <= crate::scenario::validate::MAX_HORIZON_DAYS) {
        return Err(bad(
            &sp,
            format!("scenario.horizon_days: {horizon} is not a horizon"),
        ));
    }
    // The times the charts and the report turn into dates: within reach of the horizon (a
    // confidence interval may pass it a little), so that no date is out of the calendar.
    for (name, stat) in [
        ("clearance_days", &summary.clearance_days),
        ("t50_days", &summary.t50_days),
        ("t90_days", &summary.t90_days),
        ("t99_days", &summary.t99_days),
    ] {
        let v = serde_json::to_value(stat).unwrap_or_default();
        let far = v
            .as_object()
            .into_iter()
            .flat_map(|o| o.iter())
            // `n` counts replications, not days.
            .filter(|(field, _)| field.as_str() != "n")
            .find(|(_, x)| x.as_f64().is_some_and(|x| x.abs() > 10.0 * (horizon + 1.0)));
        if let Some((field, x)) = far {
            return Err(bad(
                &sp,
                format!(
                    "{name}.{field}: {x} days is far outside this run (horizon {horizon} days)"
                ),
            ));
        }
    }

    // daily.csv: series in order of first appearance, days in order.
    let dp = dir.join("daily.csv");
    let mut rdr = csv_reader(&dp)?;
    let header = rdr.headers().map_err(|e| bad(&dp, e.to_string()))?;
    if header.iter().ne(DAILY_HEADER) {
        return Err(bad(
            &dp,
            format!(
                "line 1: not a clearance daily.csv: the header is {:?}, expected {:?}",
                header.iter().collect::<Vec<_>>().join(","),
                DAILY_HEADER.join(",")
            ),
        ));
    }
    // A day of this run: 0 up to the last day the horizon reaches.
    let last_day = horizon.ceil();
    let mut series: Vec<String> = Vec::new();
    let mut rows: Vec<(usize, usize, Band)> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(&dp, e.to_string()))?;
        if rec.len() != 9 {
            return Err(bad(&dp, format!("line {line}: expected 9 columns")));
        }
        let day = num(&dp, line, "day", &rec[0])?;
        if !(day >= 0.0 && day <= last_day && day.fract() == 0.0) {
            return Err(bad(
                &dp,
                format!(
                    "line {line}: column day: {} is not a day of this run (0 to {last_day})",
                    &rec[0]
                ),
            ));
        }
        let day = day as usize;
        let date = (start + chrono::Duration::days(day as i64)).to_string();
        if rec[1] != *date {
            return Err(bad(
                &dp,
                format!(
                    "line {line}: column date: {:?} is not day {day}'s date ({date})",
                    &rec[1]
                ),
            ));
        }
        let name = rec[2].to_string();
        let s = match series.iter().position(|x| *x == name) {
            Some(s) => s,
            None => {
                series.push(name);
                series.len() - 1
            }
        };
        let f = |c: usize, n: &str| num(&dp, line, n, &rec[c]);
        let band = Band {
            mean: f(3, "mean")?,
            p5: f(4, "p5")?,
            p25: f(5, "p25")?,
            p50: f(6, "p50")?,
            p75: f(7, "p75")?,
            p95: f(8, "p95")?,
        };
        // People counts: finite, not negative, quantiles in order.
        let values = [band.mean, band.p5, band.p25, band.p50, band.p75, band.p95];
        if let Some(k) = values
            .iter()
            .position(|v| !(v.is_finite() && *v >= 0.0 && *v < 1e13))
        {
            return Err(bad(
                &dp,
                format!(
                    "line {line}: column {}: {:?} is not a number of people",
                    DAILY_HEADER[3 + k],
                    &rec[3 + k]
                ),
            ));
        }
        let q = &values[1..];
        if q.windows(2).any(|w| w[0] > w[1]) {
            return Err(bad(
                &dp,
                format!("line {line}: the quantiles p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95 are out of order"),
            ));
        }
        rows.push((day, s, band));
    }
    let days = rows.iter().map(|r| r.0 + 1).max().unwrap_or(0);
    let zero = Band {
        mean: 0.0,
        p5: 0.0,
        p25: 0.0,
        p50: 0.0,
        p75: 0.0,
        p95: 0.0,
    };
    // Every series has one row a day: a file cut short or edited by hand is refused rather
    // than drawn with zeros.
    let mut bands = vec![zero; days * series.len()];
    let mut seen = vec![false; days * series.len()];
    for (day, s, b) in rows {
        let i = day * series.len() + s;
        if std::mem::replace(&mut seen[i], true) {
            return Err(bad(
                &dp,
                format!("day {day} of series {} is given twice", series[s]),
            ));
        }
        bands[i] = b;
    }
    // (A run with nobody in it may end before its first day: no rows then.)
    if series.is_empty() && summary.replications > 0 && summary.people.total > 0 {
        return Err(bad(&dp, "no rows: the file is incomplete"));
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        return Err(bad(
            &dp,
            format!(
                "day {} of series {} is missing ({} of {} rows): the file is incomplete",
                i / series.len(),
                series[i % series.len()],
                seen.iter().filter(|s| **s).count(),
                seen.len()
            ),
        ));
    }
    let daily = DailyBands {
        start_date: start,
        series,
        days,
        bands,
    };

    // replications.csv: the scalars the charts and report read.
    let rp = dir.join("replications.csv");
    let mut rdr = csv_reader(&rp)?;
    let headers = rdr.headers().map_err(|e| bad(&rp, e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (ci, cc) = match (col("replication"), col("clearance_days")) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(bad(&rp, "missing replication or clearance_days column")),
    };
    let ce = col("end_days");
    let mut last_end: Option<f64> = None;
    let mut clearance_days = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut line = 1;
    while rdr
        .read_record(&mut rec)
        .map_err(|e| bad(&rp, e.to_string()))?
    {
        line += 1;
        num(&rp, line, "replication", &rec[ci])?;
        // A clearance or end time lies between the start and the horizon (a censored
        // replication's).
        let time = |col: usize, name: &str| {
            let v = num(&rp, line, name, &rec[col])?;
            if v >= 0.0 && v <= horizon + 1e-9 {
                Ok(v)
            } else {
                Err(bad(
                    &rp,
                    format!(
                        "line {line}: column {name}: {} is not a time of this run (0 to the \
                         horizon, {horizon} days)",
                        &rec[col]
                    ),
                ))
            }
        };
        clearance_days.push(time(cc, "clearance_days")?);
        if let Some(ce) = ce {
            let e = time(ce, "end_days")?;
            last_end = Some(last_end.map_or(e, |l: f64| l.max(e)));
        }
    }
    // The daily bands run to the day containing the last replication's end (`day_of`, as the
    // model dates its events), which is recorded unless the end is a midnight (or within
    // `day_of`'s round-off short of one) at the horizon or the inflow's end (see the model's
    // `finish`; an end at midnight is taken either way): a daily.csv cut at a day's last row
    // is refused too.
    if let (Some(e), false) = (last_end, daily.series.is_empty()) {
        let whole = crate::scenario::day_of(e).max(0) as usize;
        let at_midnight = e <= whole as f64;
        if !(daily.days == whole + 1 || (at_midnight && daily.days == whole)) {
            return Err(bad(
                &dp,
                format!(
                    "has {} days, but the last replication ended on day {whole} \
                     (replications.csv): the file is incomplete or from another run",
                    daily.days
                ),
            ));
        }
    }
    if clearance_days.len() as u64 != summary.replications {
        return Err(bad(
            &rp,
            format!(
                "{} replications, but summary.json summarises {}: the file is incomplete or \
                 from another run",
                clearance_days.len(),
                summary.replications
            ),
        ));
    }
    Ok(SavedRun {
        scenario_text,
        scenario_file,
        summary,
        daily,
        clearance_days,
    })
}

/// Read back the fit to observed data a run with `--observed` saved as `observed-fit.csv` in
/// `dir`, for the scenario `scn` it was run with (scopes name its ports; days are its days).
/// Its RMSE and count inside the 90% band are taken again from the rows, as the fit takes them.
pub fn load_fit(
    dir: &Path,
    scn: &crate::scenario::Scenario,
) -> Result<crate::observed::Fit, OutputError> {
    use crate::observed::{Fit, FitRow, Observation, Scope, FIT_HEADER};
    let path = dir.join(crate::output::observed_chart::FIT_CSV);
    let mut rdr = csv_reader(&path)?;
    let header = rdr.headers().map_err(|e| bad(&path, e.to_string()))?;
    // (a file of an older build has no `bound` column: every count exact)
    let columns = header.len();
    if header.iter().ne(FIT_HEADER) && header.iter().ne(FIT_HEADER[..12].iter().copied()) {
        return Err(bad(
            &path,
            format!(
                "line 1: not a clearance observed-fit.csv: the header is {:?}, expected {:?}",
                header.iter().collect::<Vec<_>>().join(","),
                FIT_HEADER.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(&path, e.to_string()))?;
        if rec.len() != columns {
            return Err(bad(
                &path,
                format!("line {line}: expected {columns} columns"),
            ));
        }
        let bound = match rec.get(12).map(crate::observed::Bound::parse) {
            None => crate::observed::Bound::Exact,
            Some(Some(b)) => b,
            Some(None) => {
                return Err(bad(
                    &path,
                    format!(
                        "line {line}: column bound: {:?} is neither lower, upper nor empty",
                        &rec[12]
                    ),
                ))
            }
        };
        let date = chrono::NaiveDate::parse_from_str(&rec[0], "%Y-%m-%d").map_err(|e| {
            bad(
                &path,
                format!("line {line}: column date: {:?}: {e}", &rec[0]),
            )
        })?;
        let day = (date - scn.start_date).num_days();
        if rec[1] != *day.to_string() || day < 0 {
            return Err(bad(
                &path,
                format!(
                    "line {line}: column day: {:?} is not the day of {date} in this run (start \
                     {}): the file is from another run",
                    &rec[1], scn.start_date
                ),
            ));
        }
        let scope = if &rec[2] == "all" {
            Scope::All
        } else {
            match scn.ports.iter().position(|p| p.name == rec[2]) {
                Some(p) => Scope::Port(p),
                None => {
                    return Err(bad(
                        &path,
                        format!(
                            "line {line}: column scope: {:?} is neither \"all\" nor a port of \
                             this run: the file is from another run",
                            &rec[2]
                        ),
                    ))
                }
            }
        };
        // Quantiles are NaN for a run without replications, as the fit writes them.
        let f = |c: usize| num(&path, line, FIT_HEADER[c], &rec[c]);
        let inside90 = match &rec[11] {
            "true" => true,
            "false" => false,
            v => {
                return Err(bad(
                    &path,
                    format!("line {line}: column inside_90: {v:?} is neither true nor false"),
                ))
            }
        };
        rows.push(FitRow {
            obs: Observation {
                line: line as u64,
                date,
                day: day as usize,
                people: f(4)?,
                scope,
                scope_name: rec[2].to_string(),
                counter: (!rec[3].is_empty()).then(|| rec[3].to_string()),
                bound,
            },
            p5: f(5)?,
            p25: f(6)?,
            p50: f(7)?,
            p75: f(8)?,
            p95: f(9)?,
            error: f(10)?,
            inside90,
        });
    }
    let inside90 = rows.iter().filter(|r| r.inside90).count();
    let mut fit = Fit {
        rows,
        rmse: f64::NAN,
        inside90,
    };
    fit.rmse = fit.rmse_until(None);
    Ok(fit)
}
