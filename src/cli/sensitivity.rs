//! `clearance sensitivity SCENARIO --vary PATH=low,high …`: one-at-a-time sensitivity of P50
//! and P90 clearance; prints the factors by swing, and with `--out DIR` writes
//! `sensitivity.csv` and the tornado chart `tornado.png`/`.svg` (whose whiskers are the 95%
//! intervals of each setting's change from the baseline); `--kpi NAME` studies another KPI
//! (`t90_days`, `port_wait_days`, …) in place of clearance.

use super::{num, provenance, to_json, ExpOpts};
use crate::experiment::sensitivity::{
    self, SensFactor, SensRow, Sensitivity, SensitivityError, FEWER_PROCESSED_SHARE,
};
use crate::experiment::ExperimentError;
use crate::format::{counted, diff_decimals, fmt_int, interval_end, signed};
use crate::output::columns::{Col, Table};
use crate::output::experiment_charts::{self, TornadoBar, TornadoNotes, TornadoPanel};
use crate::scenario;
use crate::stats::bootstrap::MIN_PAIRS;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Widest low or high value the table shows in its column \[characters\]; longer ones are
/// given below it.
const VALUE_WIDTH: usize = 10;

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A factor: PATH=low,high (repeatable).
    #[arg(long, required = true, value_name = "PATH=low,high", value_parser = scenario::parse_vary)]
    pub vary: Vec<(String, Vec<toml::Value>)>,
    #[command(flatten)]
    pub common: ExpOpts,
    /// Write sensitivity.csv, tornado.png/.svg, provenance.json and scenario.toml into this
    /// directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace files in --out that clearance did not write (a scenario.toml of your own);
    /// without it, such a file stops the command before it starts.
    #[arg(long)]
    pub force: bool,
    /// The KPI to study, as `target` goals and summary.json name them: clearance_days (the
    /// default), t50_days, t90_days, t99_days, screening_wait_days, transport_wait_days,
    /// port_wait_days, wait_days:PORT, …
    #[arg(long, value_name = "KPI", default_value = "clearance_days")]
    pub kpi: String,
}

/// A refused factor in the command line's words: the `--vary` to change and how.
fn vary_message(e: &SensitivityError) -> String {
    match e {
        SensitivityError::NotTwoValues { path, found } => {
            format!("--vary {path}=…: give exactly two values, low,high (found {found})")
        }
        SensitivityError::SameValues { path, value } => format!(
            "--vary {path}={value},{value}: the low and high values are the same: give two \
             different values"
        ),
        SensitivityError::LowAboveHigh { path, low, high } => format!(
            "--vary {path}={low},{high}: the low value ({low}) is above the high value ({high}): \
             give the low value first, --vary '{path}={high},{low}'"
        ),
        SensitivityError::VariedTwice { path } => format!(
            "{path} is varied twice: give it once, with its low and high values (--vary \
             '{path}=low,high')"
        ),
        SensitivityError::SameSetting { first, second } => format!(
            "--vary {first} and --vary {second} are the same setting: vary it once, with its low \
             and high values"
        ),
        SensitivityError::Overlap { first, second } => format!(
            "--vary {first} and --vary {second} overlap (one holds the other): vary one of them, \
             since the one would set a part of the other"
        ),
    }
}

pub fn cmd(args: &SensitivityArgs) -> Result<ExitCode> {
    args.common
        .need_two_replications("a sensitivity analysis needs 2 at least, for its intervals")?;
    // Every other problem of the factors (the same values, low above high, a setting varied
    // twice) is refused by `settings`, before the scenario is loaded or, for a setting under
    // two names, once it is.
    let factors = args
        .vary
        .iter()
        .map(|(p, v)| SensFactor::from_values(p, v))
        .collect::<Result<Vec<_>, _>>();
    let factors = match factors {
        Ok(f) => f,
        Err(e) => usage!("{}", vary_message(&e)),
    };
    // Loaded first, so that the files read are known as inputs before the outputs are checked
    // against them (a scenario kept as DIR/tornado.png had been found out only after
    // simulating, and sensitivity.csv written over it).
    // The scenario read once (a pipe or FIFO gives its text once) and loaded from that text
    // at every setting.
    let src = match crate::scenario::Source::read(&args.scenario) {
        Ok(src) => src,
        Err(e) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    let scns = match sensitivity::settings(&src, &args.common.set, &factors) {
        Ok(s) => s,
        Err(ExperimentError::Scenario(e)) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
        Err(ExperimentError::Sensitivity(e)) => usage!("{}", vary_message(&e)),
        Err(e) => return Err(e.into()),
    };
    // A --set of a setting a factor varies (as `sweep` judges it): the factor's low and high
    // values replace it, so only the baseline runs with it, though the heading, the chart and
    // provenance.json would name it as set for the whole analysis. Every such factor named.
    // The scenario with the --set overrides (without any factor): the check's table, and the
    // scenario provenance.json records.
    let base = src.load_with(&args.common.set)?;
    let replaced: Vec<String> = args
        .vary
        .iter()
        .filter_map(|(path, _)| {
            super::sweep::set_replaced(&base.table, path, &args.common.set).map(|o| {
                format!(
                    "error: --vary {path}: {path} is also given by --set {o}, which its low and \
                     high values replace (only the baseline runs with it): drop the --set, or \
                     make its value the factor's low or high one"
                )
            })
        })
        .collect();
    if !replaced.is_empty() {
        errln!("{}", replaced.join("\n"));
        return Ok(ExitCode::from(2));
    }
    if let Err(e) = crate::experiment::kpi::check_kpi(&scns[0], &args.kpi) {
        usage!("{e}");
    }
    if let Some(dir) = &args.out {
        super::prepare_out(dir, "the output directory is not usable")?;
        let names = [
            "sensitivity.csv",
            "tornado.png",
            "tornado.svg",
            provenance::FILE,
            provenance::SCENARIO,
        ]
        .map(String::from);
        super::refuse_replacing_inputs(dir, &names)?;
        super::guard::refuse_foreign_outputs(dir, &names, args.force)?;
    }
    super::print_warnings(scns.iter().flat_map(|s| &s.warnings));
    args.common.check_memory(&scns.iter().collect::<Vec<_>>())?;
    // The scenario's own count runs without --replications: 1 is raised to 2 (`run_kpi`), and
    // said, as `compare` says it.
    if args.common.replications.is_none() && scns[0].replications < 2 {
        errln!(
            "note: {} asks for 1 replication; a sensitivity analysis needs 2 at least for its \
             intervals: 2 are run per setting (give --replications N for more)",
            args.scenario.display()
        );
    }
    let s = match sensitivity::run_kpi(
        &src,
        &args.common.set,
        &factors,
        &args.common.run_options(),
        &args.kpi,
    ) {
        Ok(s) => s,
        Err(ExperimentError::Scenario(e)) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
        Err(ExperimentError::Sensitivity(e)) => usage!("{}", vary_message(&e)),
        Err(e) => return Err(e.into()),
    };
    if args.common.json {
        out!("{}", to_json(&s)?);
        // The table's warning, on stderr where scripts look for it (stdout is the JSON's).
        super::print_warnings(&censored_warning(&s));
        super::print_warnings(&sensitivity::horizon_warning(&s));
    } else {
        outln!(
            "{} · {} replications per setting · seed {} (same seeds at every setting){}",
            s.scenario,
            s.replications,
            s.seed,
            provenance::with_set(&args.common.set)
        );
        // "≥": the quantile is the horizon of replications that had not cleared.
        let q = |v: f64, censored: bool| {
            if censored {
                // A lower bound, rounded down.
                format!("≥{}", num(Some(crate::format::round_down(v, 1)), 1))
            } else {
                num(Some(v), 1)
            }
        };
        outln!(
            "baseline {}: P50 {}  P90 {}  mean {} · mean processed {} of {}\n",
            what_of(&s),
            q(s.baseline.p50, s.baseline.p50_censored),
            q(s.baseline.p90, s.baseline.p90_censored),
            // A mean over censored replications is a lower bound too.
            q(s.baseline.mean, s.baseline.censored > 0),
            fmt_int(s.baseline.processed),
            fmt_int(s.baseline.people)
        );
        // A value too long for its column (a distribution, a list of days) is shown as a
        // marker, [1], [2], …, and given in full below the table.
        let mut long_values: Vec<String> = Vec::new();
        let mut cell = |v: &str| {
            if v.chars().count() <= VALUE_WIDTH {
                return v.to_string();
            }
            long_values.push(v.to_string());
            format!("[{}]", long_values.len())
        };
        let cells: Vec<(String, String)> = s
            .factors
            .iter()
            .map(|r| (cell(&r.low), cell(&r.high)))
            .collect();
        // A factor whose KPI falls only because fewer people are processed is marked ‡.
        let name = |r: &SensRow| match r.fewer_processed {
            true => format!("{} {FEWER_MARK}", r.factor),
            false => r.factor.clone(),
        };
        let fw = s
            .factors
            .iter()
            .map(|r| name(r).chars().count())
            .max()
            .unwrap_or(0)
            .max(40);
        let mut t = Table::new(
            "  ",
            &[
                Col::left(fw),
                Col::right(9),
                Col::right(9),
                Col::right(8),
                Col::right(8),
                Col::right(8),
                Col::right(8),
                Col::right(8),
                Col::right(24),
                Col::right(20),
            ],
        );
        t.row([
            "factor (low → high)",
            "low",
            "high",
            "P50 low",
            "P50 high",
            "P90 low",
            "P90 high",
            "P90 high − low",
            "95% CI of P90 high − low",
            "processed high − low",
        ]);
        for (r, (low, high)) in s.factors.iter().zip(&cells) {
            t.row([
                name(r),
                low.clone(),
                high.clone(),
                q(r.at_low.p50, r.at_low.p50_censored),
                q(r.at_high.p50, r.at_high.p50_censored),
                q(r.at_low.p90, r.at_low.p90_censored),
                q(r.at_high.p90, r.at_high.p90_censored),
                p90_change(r),
                diff_interval(r.diff_p90_ci95_low, r.diff_p90_ci95_high),
                processed_change(r),
            ]);
        }
        for line in t.lines() {
            outln!("{line}");
        }
        if !long_values.is_empty() {
            outln!();
        }
        for (i, v) in long_values.iter().enumerate() {
            outln!("  [{}] {v}", i + 1);
        }
        if !s.factors.is_empty() {
            outln!("{}", interval_note(&s));
            outln!("{}", processed_note(&s));
        }
        if let Some(w) = censored_warning(&s) {
            outln!("\n  ! {w}");
        }
        // A KPI other than clearance counts only what finished by the horizon.
        if let Some(w) = sensitivity::horizon_warning(&s) {
            let mut c = w.chars();
            let first: String = c
                .next()
                .map(|f| f.to_uppercase().collect())
                .unwrap_or_default();
            outln!("\n  ! {first}{}", c.as_str());
        }
    }
    if let Some(dir) = &args.out {
        crate::output::atomic_write(
            &dir.join("sensitivity.csv"),
            &sensitivity::sensitivity_csv(&s)?,
        )?;
        let (panels, notes) = tornado_data(&s);
        match experiment_charts::tornado(
            &dir.join("tornado"),
            &format!(
                "Sensitivity of {}",
                crate::experiment::kpi::kpi_words(&s.kpi)
            ),
            // What was run, the --set values as many as fit on the line (as a run chart's).
            &crate::output::charts::subtitle_with_set(
                &s.scenario,
                &provenance::overrides(&args.common.set),
                &format!(
                    " · {} replications per setting · seed {}",
                    s.replications, s.seed
                ),
            ),
            &what_of(&s),
            &panels,
            &notes,
        ) {
            Ok(files) if !args.common.json => {
                for f in files {
                    status!("wrote {}", f.display());
                }
            }
            Ok(_) => {}
            // With its causes (an output error names the file; the cause says why).
            Err(e) => errln!("warning: no tornado chart: {:#}", anyhow::Error::new(e)),
        }
        // How it was made: the scenario, seed, replications, --set and the factors.
        let factors = factors_given(&factors);
        let (p, text) = provenance::Provenance::of(
            "sensitivity",
            &args.scenario.display().to_string(),
            &base,
            provenance::overrides(&args.common.set),
            (s.seed, s.replications as u32),
            factors,
        )?;
        p.write(dir, &text)?;
        if !args.common.json {
            status!("wrote {}", dir.join("sensitivity.csv").display());
            status!(
                "wrote {} and {}",
                dir.join(provenance::FILE).display(),
                dir.join(provenance::SCENARIO).display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The table's warning of replications that did not measure the KPI (stopped by the horizon, or a
/// milestone not reached), when there are any: under `--json` it goes to stderr as `warning: …`.
fn censored_warning(s: &Sensitivity) -> Option<String> {
    let censored: u64 = std::iter::once(&s.baseline)
        .chain(s.factors.iter().flat_map(|r| [&r.at_low, &r.at_high]))
        .map(|c| c.censored)
        .sum();
    if censored == 0 {
        None
    } else if s.kpi != "clearance_days" {
        Some(format!(
            "{} not measure {} (a milestone not reached): each counts \
             as not known, at the end of its run for a milestone, so a value marked ≥ is a lower \
             bound, and a swing involving it a lower bound (≥) or not known (?).",
            counted(censored, "replication did", "replications did"),
            s.kpi
        ))
    } else {
        Some(format!(
            "{} reached the horizon before clearing. A value marked ≥ lies \
             above every replication of its setting that cleared, so those stopped at the \
             horizon pull it up: a lower bound on clearance. A swing involving it is a lower \
             bound (≥) when it lies above the other setting's value, and not known (?) when \
             both are marked or it lies below: a longer horizon tells.",
            counted(censored, "replication", "replications")
        ))
    }
}

/// The mark of a factor whose KPI is lower at the setting at which fewer people are processed
/// ([`SensRow::fewer_processed`]); a footnote under the table explains it.
const FEWER_MARK: &str = "‡";

/// Mean people processed at the high setting less at the low one, with its share of the people:
/// "-9,402 (-37.6%)"; "0" when none moved.
fn processed_change(r: &SensRow) -> String {
    let people = r.at_low.people.max(r.at_high.people);
    let d = r.diff_processed;
    if d.round() == 0.0 || people <= 0.0 {
        return "0".into();
    }
    format!("{} ({}%)", signed(d, 0), signed(100.0 * d / people, 1))
}

/// What the processed column is and, when a row is marked [`FEWER_MARK`], why: the KPI falls
/// there because fewer people are processed (they drop out or are never reached), not because
/// they are processed faster, as `run` warns when more than a quarter drop out.
fn processed_note(s: &Sensitivity) -> String {
    let mut note = "  processed high − low: mean people processed per run at the high setting \
                    less the low\n  one, and its share of all the people (backlog and phases)."
        .to_string();
    let marked: Vec<&str> = s
        .factors
        .iter()
        .filter(|r| r.fewer_processed)
        .map(|r| r.factor.as_str())
        .collect();
    if marked.is_empty() {
        return note;
    }
    let what = if s.kpi == "clearance_days" {
        "the date moves earlier"
    } else {
        "the figure falls"
    };
    // The factors marked, broken as the notes are: with many, they had been one long line.
    note += &wrapped_note(&format!("{FEWER_MARK} {}:", unbroken(&marked)));
    note += &format!(
        "\n    at the setting with the lower {}, more people go unprocessed (by more than {}%\n    \
         of all the people: they drop out, are never reached or still wait): {what}\n    because \
         fewer people are processed, not because they are processed faster.",
        crate::experiment::kpi::kpi_words(&s.kpi),
        FEWER_PROCESSED_SHARE * 100.0,
    );
    note
}

/// The KPI studied in words with its unit: "clearance [days]", "t90 (90% processed) [days]".
fn what_of(s: &Sensitivity) -> String {
    let unit = crate::experiment::kpi::kpi_unit(&s.kpi).unwrap_or("days");
    format!("{} [{unit}]", crate::experiment::kpi::kpi_words(&s.kpi))
}

/// The factors as given (path, low and high), for `provenance.json`.
fn factors_given(factors: &[SensFactor]) -> Vec<provenance::FactorProvenance> {
    factors
        .iter()
        .map(|f| provenance::FactorProvenance {
            path: f.path.clone(),
            values: provenance::values(&[f.low.clone(), f.high.clone()]),
            origin: "--vary".into(),
        })
        .collect()
}

/// The tornado chart's panels (P50 and P90), each bar end with its whisker: the baseline plus
/// the 95% interval of that setting's change from it, when there is one; and the notes that say
/// what the whiskers are and why an end has none.
fn tornado_data(s: &Sensitivity) -> ([TornadoPanel; 2], TornadoNotes) {
    type Pick<'a> = &'a dyn Fn(&sensitivity::Clearance) -> (f64, bool);
    type Ci = Option<(f64, f64)>;
    type PickCi<'a> = &'a dyn Fn(&SensRow) -> (Ci, Ci);
    let panel = |title: &str, f: Pick, ci: PickCi| {
        let baseline = f(&s.baseline).0;
        let on_axis = |c: Ci| c.map(|(l, h)| (baseline + l, baseline + h));
        TornadoPanel {
            title: title.into(),
            baseline,
            bars: s
                .factors
                .iter()
                .map(|r| {
                    let ((low, low_bound), (high, high_bound)) = (f(&r.at_low), f(&r.at_high));
                    let (low_ci, high_ci) = ci(r);
                    TornadoBar {
                        // Marked as in the table when fewer people processed move it.
                        label: format!(
                            "{} ({} / {}){}",
                            r.factor,
                            r.low,
                            r.high,
                            if r.fewer_processed { " ‡" } else { "" }
                        ),
                        low,
                        high,
                        low_bound,
                        high_bound,
                        low_ci: on_axis(low_ci),
                        high_ci: on_axis(high_ci),
                    }
                })
                .collect(),
        }
    };
    let words = crate::experiment::kpi::kpi_words(&s.kpi);
    let panels = [
        panel(
            &format!("P50 {words}"),
            &|c| (c.p50, c.p50_censored),
            &|r| {
                (
                    r.low_vs_base_p50_ci95_low.zip(r.low_vs_base_p50_ci95_high),
                    r.high_vs_base_p50_ci95_low
                        .zip(r.high_vs_base_p50_ci95_high),
                )
            },
        ),
        panel(
            &format!("P90 {words}"),
            &|c| (c.p90, c.p90_censored),
            &|r| {
                (
                    r.low_vs_base_p90_ci95_low.zip(r.low_vs_base_p90_ci95_high),
                    r.high_vs_base_p90_ci95_low
                        .zip(r.high_vs_base_p90_ci95_high),
                )
            },
        ),
    ];
    let whiskers = format!(
        "whiskers: 95% interval of the change from the baseline (paired Bayesian bootstrap, {} \
         weightings of the {} replications); one across the baseline: not told apart from no \
         change",
        fmt_int(s.bootstrap_resamples as f64),
        fmt_int(s.replications as f64)
    );
    let caveat = Some(WHISKER_CAVEAT.to_string());
    let ends = || {
        panels
            .iter()
            .flat_map(|p| &p.bars)
            .flat_map(|b| [b.low_ci, b.high_ci])
    };
    let some_missing = ends().any(|c| c.is_none());
    let not_cleared = std::iter::once(&s.baseline)
        .chain(s.factors.iter().flat_map(|r| [&r.at_low, &r.at_high]))
        .any(|c| c.censored > 0);
    let missing = if s.factors.is_empty() {
        None
    } else if (s.replications as usize) < MIN_PAIRS {
        Some(format!(
            "no whiskers: no 95% interval from fewer than {MIN_PAIRS} replications \
             (--replications {MIN_PAIRS} or more gives them)"
        ))
    } else if not_cleared && some_missing {
        Some(
            "no whisker where more than about 1 weighting in 40 reaches a run not cleared by the \
             horizon (its clearance is not known); where fewer do, it is widened to hold it"
                .into(),
        )
    } else if not_cleared {
        Some(
            "runs not cleared by the horizon: the whiskers they enter are widened to hold \
             whatever their clearance is"
                .into(),
        )
    } else if some_missing {
        Some("no whisker where there is no interval (empty in sensitivity.csv)".into())
    } else {
        None
    };
    // The bars marked ‡, as the table's footnote explains them.
    let fewer = s.factors.iter().any(|r| r.fewer_processed).then(|| {
        format!(
            "{FEWER_MARK} the bar end with the lower figure has more people unprocessed (by over \
             {}% of all: drop-outs, people never reached): fewer processed, not faster \
             processing",
            FEWER_PROCESSED_SHARE * 100.0
        )
    });
    // (drawn as the last note, after why whiskers are missing when they are)
    let missing = match (missing, fewer) {
        (Some(m), Some(f)) => Some(format!("{m}. {f}")),
        (m, f) => m.or(f),
    };
    (
        panels,
        TornadoNotes {
            whiskers,
            caveat,
            missing,
        },
    )
}

/// What the hand check of the whiskers' coverage found (`tests/statistical/
/// sensitivity_coverage.py`, docs/experiments.md), said under the chart where they fall short of
/// 95%.
const WHISKER_CAVEAT: &str = "checked by hand: whiskers held the true change in 89–99% of runs \
     of 50 replications, 74–99% of runs of 20 (lowest where the P90 or P50 falls between \
     clusters of runs; docs/experiments.md)";

/// A difference's 95% interval for the table, "[+17.6 … +18.4]", with the decimals to show
/// whether it holds 0; "[0 … 0]" when P90 moved in no resample, "–" when there is none.
/// P90 at the high setting less P90 at the low one \[days\], signed as its interval beside it
/// is (the column had shown the swing, its size, "0.1" beside "[-1.8 … 0.0]"): "≥+3.0" or
/// "≤-3.0" when a censored P90 makes it a bound (the swing, `swing_p90`, is the least its size
/// can be), "?" when nothing is known of it.
fn p90_change(r: &SensRow) -> String {
    if r.swing_p90_censored && r.swing_p90 == 0.0 {
        return "?".to_string();
    }
    let d = r.at_high.p90 - r.at_low.p90;
    // With the decimals of its interval, as `compare` prints B − A: "0.0" beside
    // "[+0.02 … +0.06]" had read as no change beside an interval that excludes it.
    let dd = diff_decimals(r.diff_p90_ci95_low, r.diff_p90_ci95_high, 1);
    let text = signed(d, dd);
    match (r.swing_p90_censored, d > 0.0) {
        (false, _) => text,
        // Bounds rounded away from what they bound: "≥" down, "≤" up.
        (true, true) => format!(
            "≥{}",
            signed(crate::format::round_down(r.swing_p90, dd), dd)
        ),
        (true, false) => format!("≤{}", signed(crate::format::round_up(-r.swing_p90, dd), dd)),
    }
}

fn diff_interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(l), Some(h)) if l == 0.0 && h == 0.0 => "[0 … 0]".into(),
        (Some(l), Some(h)) => {
            let d = diff_decimals(low, high, 1);
            format!("[{} … {}]", interval_end(l, d), interval_end(h, d))
        }
        _ => "–".into(),
    }
}

/// Half the width of the band around no change \[days\] within which a whole 95% interval of
/// P90 high − low says the factor has no effect to speak of: a tenth of a day (2.4 hours), the
/// precision the table gives P90 and clearance days in. Wider intervals that hold 0 are told to
/// need more replications; those within it are not (docs/experiments.md).
pub const NEGLIGIBLE_DAYS: f64 = 0.1;

/// Characters of a note's line after its indent of two, as the notes under the table are
/// broken by hand (their longest line is 88 characters with the indent).
const NOTE_CHARS: usize = 86;

/// `text` broken at spaces into lines of at most [`NOTE_CHARS`] characters, each on a new line
/// under the table's indent: a list of factors that had been one line of any length.
fn wrapped_note(text: &str) -> String {
    crate::output::wrap_words(text, NOTE_CHARS)
        .into_iter()
        .map(|l| format!("\n  {}", l.replace(KEEP, " ")))
        .collect()
}

/// Stands for a space inside a factor's name while its note is wrapped, so that no name is
/// broken across lines (`port[El Paso]`): a character of the private use area, one wide.
const KEEP: char = '\u{E000}';

/// The factors' names joined by ", ", each kept whole by [`wrapped_note`].
fn unbroken(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| n.replace(' ', &KEEP.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the interval column is, which factors' intervals hold 0 (these replications cannot
/// tell that they move P90 at all) or are 0 (P90 moved in no resample), why a factor has none,
/// and, with replications that did not clear, that the intervals they enter are widened.
fn interval_note(s: &Sensitivity) -> String {
    let mut note = format!(
        "\n  95% CI: of P90 at the high setting less P90 at the low one, from a paired bootstrap of\n  \
         the replications ({} resamples; replication i has the same seed at every setting).",
        fmt_int(s.bootstrap_resamples as f64)
    );
    let interval = |r: &&SensRow| r.diff_p90_ci95_low.zip(r.diff_p90_ci95_high);
    let names = |keep: &dyn Fn((f64, f64)) -> bool| -> Vec<&str> {
        s.factors
            .iter()
            .filter(|r| interval(r).is_some_and(keep))
            .map(|r| r.factor.as_str())
            .collect()
    };
    let none = names(&|(l, h)| l == 0.0 && h == 0.0);
    let holds_zero = |(l, h): (f64, f64)| l <= 0.0 && h >= 0.0 && (l, h) != (0.0, 0.0);
    // An interval that holds 0 but lies within a tenth of a day either way already says the
    // factor does not matter at these settings: more replications would only narrow it around
    // nothing (advised for [-0.003 … +0.03], it had sent a planner to run them).
    let negligible = |(l, h): (f64, f64)| l >= -NEGLIGIBLE_DAYS && h <= NEGLIGIBLE_DAYS;
    let wide = names(&|i| holds_zero(i) && !negligible(i));
    let small = names(&|i| holds_zero(i) && negligible(i));
    if !wide.is_empty() {
        note += &wrapped_note(&format!(
            "Holds 0: {}: at {} replications, not told apart from no change of P90; more \
             replications (--replications) narrow the interval.",
            unbroken(&wide),
            fmt_int(s.replications as f64)
        ));
    }
    if !small.is_empty() {
        note += &wrapped_note(&format!(
            "Within ±{NEGLIGIBLE_DAYS} day: {}: the whole interval lies within a tenth of a day \
             (the table's precision) either side of 0, so the factor moves P90 by less than \
             that: no effect to speak of at these settings.",
            unbroken(&small),
        ));
    }
    if !none.is_empty() {
        note += &wrapped_note(&format!(
            "[0 … 0]: {}: P90 the same at both settings in every resample.",
            unbroken(&none)
        ));
    }
    let few = (s.replications as usize) < MIN_PAIRS;
    if s.factors.iter().any(|r| interval(&r).is_none()) {
        note += &if few {
            format!("\n  –: no interval from fewer than {MIN_PAIRS} replications.")
        } else {
            "\n  –: no interval where more than about 1 resample in 40 reaches, at its P90, a\n  \
             replication that did not clear within the horizon (its clearance is not known)."
                .to_string()
        };
    }
    // Said whenever such replications are there, not only beside a missing interval: an
    // interval they widened is shown like any other, and more replications do not narrow it
    // the way a longer horizon does.
    let not_cleared = std::iter::once(&s.baseline)
        .chain(s.factors.iter().flat_map(|r| [&r.at_low, &r.at_high]))
        .any(|c| c.censored > 0);
    if !few && not_cleared && s.factors.iter().any(|r| interval(&r).is_some()) {
        note +=
            "\n  An interval with resamples that reach a replication that did not clear (up to\n  \
                 about 1 in 40) is widened to hold whatever its clearance: wider than the\n  \
                 replications alone would give; a longer horizon narrows it.";
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sensitivity::Clearance;

    fn clearance(p50: f64, p90: f64, censored: u64) -> Clearance {
        Clearance {
            mean: p50,
            p50,
            p90,
            censored,
            p50_censored: false,
            p90_censored: false,
            processed: 20_000.0,
            people: 25_000.0,
            horizon_censored: censored,
        }
    }

    /// A report with one factor whose intervals against the baseline are given (P50 ±1 day,
    /// P90 ±2 days about each change), or none.
    fn report(replications: u64, intervals: bool, censored: u64) -> Sensitivity {
        let iv = |x: f64| intervals.then_some(x);
        Sensitivity {
            clearance_version: String::new(),
            scenario: "s".into(),
            scenario_info: crate::experiment::ScenarioProvenance {
                name: "s".into(),
                file: String::new(),
                fingerprint: None,
                modified_in_code: false,
            },
            replications,
            seed: 1,
            overrides: Vec::new(),
            bootstrap_resamples: 2000,
            kpi: "clearance_days".into(),
            baseline: clearance(100.0, 110.0, 0),
            factors: vec![SensRow {
                factor: "f".into(),
                low: "1".into(),
                high: "2".into(),
                at_low: clearance(95.0, 104.0, censored),
                at_high: clearance(103.0, 115.0, 0),
                swing_p50: 8.0,
                swing_p90: 11.0,
                diff_p50: 8.0,
                diff_p90: 11.0,
                swing_p50_censored: false,
                swing_p90_censored: false,
                diff_processed: 0.0,
                fewer_processed: false,
                diff_p50_ci95_low: iv(7.0),
                diff_p50_ci95_high: iv(9.0),
                diff_p90_ci95_low: iv(9.0),
                diff_p90_ci95_high: iv(13.0),
                low_vs_base_p50_ci95_low: iv(-6.0),
                low_vs_base_p50_ci95_high: iv(-4.0),
                high_vs_base_p50_ci95_low: iv(2.0),
                high_vs_base_p50_ci95_high: iv(4.0),
                low_vs_base_p90_ci95_low: iv(-8.0),
                low_vs_base_p90_ci95_high: iv(-4.0),
                high_vs_base_p90_ci95_low: iv(3.0),
                high_vs_base_p90_ci95_high: iv(7.0),
            }],
        }
    }

    /// The table's P90 change is signed as its interval is ("0.1" had stood beside
    /// "[-1.8 … 0.0]"); a bound keeps its direction, and an unknown one is "?".
    #[test]
    fn the_p90_change_has_the_sign_of_its_interval() {
        let mut r = report(40, true, 0).factors.remove(0);
        assert_eq!(p90_change(&r), "+11.0");
        r.at_high.p90 = 93.0;
        assert_eq!(p90_change(&r), "-11.0");
        r.at_high.p90 = 104.0;
        assert_eq!(p90_change(&r), "0.0");
        // The low setting's P90 is censored above the high one's: the change is at most -11.
        r.at_high.p90 = 93.0;
        r.swing_p90_censored = true;
        assert_eq!(p90_change(&r), "≤-11.0");
        r.at_high.p90 = 115.0;
        assert_eq!(p90_change(&r), "≥+11.0");
        // Bounds round away from what they bound: at least 11.06 is "≥+11.0", at most
        // -11.06 "≤-11.0" (not "≥+11.1", "≤-11.1", which overstate them).
        r.swing_p90 = 11.06;
        assert_eq!(p90_change(&r), "≥+11.0");
        r.at_high.p90 = 93.0;
        assert_eq!(p90_change(&r), "≤-11.0");
        r.swing_p90 = 0.0;
        assert_eq!(p90_change(&r), "?");
    }

    /// A change whose point rounds to 0.0 but whose interval excludes 0 gets the decimals of
    /// its interval (`t50_days` had printed "0.0 [+0.02 … +0.06]"), and the "Holds 0" list
    /// follows the interval, not the rounded point.
    #[test]
    fn a_small_change_outside_0_keeps_its_decimals_and_is_not_said_to_hold_0() {
        let mut s = report(50, true, 0);
        let r = &mut s.factors[0];
        r.at_low.p90 = 40.50;
        r.at_high.p90 = 40.54;
        r.diff_p90_ci95_low = Some(0.02);
        r.diff_p90_ci95_high = Some(0.06);
        assert_eq!(p90_change(r), "+0.04");
        assert_eq!(diff_interval(Some(0.02), Some(0.06)), "[+0.02 … +0.06]");
        assert!(
            !interval_note(&s).contains("Holds 0"),
            "{}",
            interval_note(&s)
        );
        // A point that rounds away from 0 with an interval that holds it is listed.
        let r = &mut s.factors[0];
        r.at_high.p90 = 40.8;
        r.diff_p90_ci95_low = Some(-0.5);
        r.diff_p90_ci95_high = Some(0.9);
        assert_eq!(p90_change(r), "+0.3");
        assert!(
            interval_note(&s).contains("Holds 0: f:"),
            "{}",
            interval_note(&s)
        );
    }

    /// With many factors, the lists of those whose interval holds 0, is [0 … 0] or is marked ‡
    /// are broken into lines no longer than the notes' own (each had been one line of any
    /// length), every factor named once and in order.
    #[test]
    fn long_lists_of_factors_in_the_notes_are_wrapped() {
        let mut s = report(50, true, 0);
        let one = s.factors[0].clone();
        s.factors = (0..40)
            .map(|i| {
                let mut r = one.clone();
                r.factor = format!("port[Port {i:02}].quota_per_day");
                let zero = i % 2 == 0;
                r.diff_p90_ci95_low = Some(if zero { 0.0 } else { -1.0 });
                r.diff_p90_ci95_high = Some(if zero { 0.0 } else { 2.0 });
                r.fewer_processed = true;
                r
            })
            .collect();
        // (the explanation under the ‡ list is broken by hand, as before)
        let marked = processed_note(&s);
        let marked = marked
            .split("\n    at the setting")
            .next()
            .unwrap()
            .to_string();
        for note in [interval_note(&s), marked] {
            let longest = note.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(longest <= 88, "a line of {longest} characters:\n{note}");
            // No name is broken at its space.
            assert!(!note.contains("[Port\n"), "{note}");
            for i in 0..40 {
                assert!(
                    note.contains(&format!("port[Port {i:02}]")) || i % 2 == 0,
                    "{note}"
                );
            }
        }
        let note = processed_note(&s);
        let flat = note.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("port[Port 38].quota_per_day, port[Port 39]"),
            "{note}"
        );
        let note = interval_note(&s);
        assert!(
            note.contains("\n  Holds 0: port[Port 01].quota_per_day,"),
            "{note}"
        );
        let flat = note.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("port[Port 39].quota_per_day: at 50 replications, not told apart"),
            "{note}"
        );
        assert!(
            flat.contains("[0 … 0]: port[Port 00].quota_per_day,"),
            "{note}"
        );
    }

    /// A factor that moves the KPI down only at the setting where more people go unprocessed
    /// (drop-outs, people never reached) by more than 1% of them is marked ‡, with the people
    /// processed and a footnote that says the date moves because fewer are processed; a factor
    /// that processes as many, or moves the KPI up, is not.
    #[test]
    fn a_factor_that_clears_sooner_by_losing_people_is_marked() {
        use crate::experiment::sensitivity::fewer_processed;
        let mut lo = clearance(146.5, 147.4, 0);
        let mut hi = clearance(136.4, 145.9, 0);
        lo.processed = 22_300.0;
        hi.processed = 12_900.0;
        assert!(fewer_processed(&lo, &hi));
        // Whichever end loses the people and clears sooner.
        assert!(fewer_processed(&hi, &lo));
        let (mut a, mut b) = (lo.clone(), hi.clone());
        a.processed = 22_300.0;
        b.processed = 22_300.0 - 0.01 * 25_000.0; // exactly 1%: not more than it
        assert!(!fewer_processed(&a, &b));
        b.processed -= 1.0;
        assert!(fewer_processed(&a, &b));
        // Fewer processed but later clearance (a quota cut leaving people waiting): not marked.
        b.p50 = 150.0;
        b.p90 = 151.0;
        assert!(!fewer_processed(&a, &b));

        let mut s = report(50, true, 0);
        assert!(!processed_note(&s).contains(FEWER_MARK));
        let r = &mut s.factors[0];
        r.at_high.processed = 12_500.0;
        r.diff_processed = -7_500.0;
        r.fewer_processed = true;
        assert_eq!(processed_change(r), "-7,500 (-30.0%)");
        let note = processed_note(&s);
        assert!(note.contains("‡ f:"), "{note}");
        assert!(
            note.contains(
                "the date moves earlier\n    because fewer people are processed, not \
                           because they are processed faster"
            ),
            "{note}"
        );
        assert!(note.lines().all(|l| l.chars().count() <= 100), "{note}");
        let (_, notes) = tornado_data(&s);
        assert!(notes
            .missing
            .unwrap()
            .contains("‡ the bar end with the lower figure"));
    }

    /// Each bar end's whisker is the baseline plus the interval of that setting's change from
    /// it, P50's in the P50 panel and P90's in the P90 one; the notes say what they are, with
    /// the resamples and replications, and nothing of missing ones when none is.
    #[test]
    fn the_tornado_gets_each_ends_interval_about_the_baseline() {
        let ([p50, p90], notes) = tornado_data(&report(40, true, 0));
        assert_eq!(p50.title, "P50 clearance");
        assert_eq!(p50.bars[0].low_ci, Some((94.0, 96.0)));
        assert_eq!(p50.bars[0].high_ci, Some((102.0, 104.0)));
        assert_eq!(p90.bars[0].low_ci, Some((102.0, 106.0)));
        assert_eq!(p90.bars[0].high_ci, Some((113.0, 117.0)));
        assert!(
            notes
                .whiskers
                .contains("95% interval of the change from the baseline"),
            "{notes:?}"
        );
        assert!(
            notes
                .whiskers
                .contains("paired Bayesian bootstrap, 2,000 weightings of the 40 replications"),
            "{notes:?}"
        );
        assert_eq!(notes.missing, None);
        // The coverage the hand check found short of 95% is said under the chart.
        let caveat = notes.caveat.unwrap();
        assert!(caveat.contains("74–99% of runs of 20"), "{caveat}");
    }

    /// The table's note says that replications stopped at the horizon widen the intervals
    /// whenever there are such replications and intervals, not only beside a missing one (an
    /// interval they widened had been shown with nothing said); and it says nothing of it
    /// without them.
    #[test]
    fn the_table_says_when_intervals_are_widened() {
        let widened = "is widened to hold whatever its clearance";
        assert!(interval_note(&report(40, true, 3)).contains(widened));
        assert!(!interval_note(&report(40, true, 0)).contains(widened));
        let note = interval_note(&report(40, false, 3));
        assert!(note.contains("–: no interval where more than about 1 resample in 40"));
        assert!(!note.contains(widened), "{note}");
        assert!(!interval_note(&report(10, false, 3)).contains(widened));
    }

    /// No interval: no whisker, and the note says why: too few replications, or runs not
    /// cleared by the horizon (which also widen the whiskers they do not remove).
    #[test]
    fn the_tornado_says_why_an_end_has_no_whisker() {
        let ([p50, p90], notes) = tornado_data(&report(10, false, 0));
        assert!(p50
            .bars
            .iter()
            .chain(&p90.bars)
            .all(|b| b.low_ci.is_none() && b.high_ci.is_none()));
        let why = notes.missing.unwrap();
        assert!(why.contains("fewer than 20 replications"), "{why}");
        let (_, notes) = tornado_data(&report(40, false, 3));
        let why = notes.missing.unwrap();
        assert!(
            why.contains("no whisker where more than about 1 weighting in 40"),
            "{why}"
        );
        let (_, notes) = tornado_data(&report(40, true, 3));
        let why = notes.missing.unwrap();
        assert!(why.contains("widened"), "{why}");
        assert!(!why.contains("no whisker"), "{why}");
    }

    /// An interval that holds 0 within a tenth of a day either side ([-0.003 … +0.03]) says the
    /// factor has no effect to speak of, and is not told to need more replications; a wider one
    /// that holds 0 still is; one at the band's edge counts as within it.
    #[test]
    fn an_interval_within_a_tenth_of_a_day_is_no_effect_not_a_call_for_replications() {
        let mut s = report(20, true, 0);
        let one = s.factors[0].clone();
        s.factors = [
            ("port[Harbor].quota_per_day", -0.003, 0.03),
            ("screening.servers", -0.1, 0.1),
            ("health.positive", -0.4, 1.2),
            ("registration.never", -0.11, 0.02),
        ]
        .iter()
        .map(|(name, l, h)| {
            let mut r = one.clone();
            r.factor = name.to_string();
            r.diff_p90_ci95_low = Some(*l);
            r.diff_p90_ci95_high = Some(*h);
            r
        })
        .collect();
        let note = interval_note(&s);
        let flat = note.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                "Within ±0.1 day: port[Harbor].quota_per_day, screening.servers: the whole \
                 interval lies within a tenth of a day (the table's precision) either side of 0, \
                 so the factor moves P90 by less than that: no effect to speak of at these \
                 settings."
            ),
            "{note}"
        );
        assert!(
            flat.contains(
                "Holds 0: health.positive, registration.never: at 20 replications, not told \
                 apart from no change of P90; more replications (--replications) narrow the \
                 interval."
            ),
            "{note}"
        );
        let longest = note.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(longest <= 88, "a line of {longest} characters:\n{note}");
    }
}
