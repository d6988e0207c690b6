//! `clearance compare A.toml B.toml`: paired differences B − A of every KPI with common random
//! numbers (or `--independent` streams), the probability that B clears sooner, and, with
//! `--variance-reduction`, the variance reduction CRN obtained (B run both ways).

use super::{load_with, num, to_json, ExpOpts};
use crate::experiment::compare::{compare, CompareOptions, Comparison, DiffBound};
use crate::format::{bound_end, counted, diff_decimals, interval_end, round_down, signed};
use crate::output::columns::{Col, Table};
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario A (the reference).
    pub a: PathBuf,
    /// Scenario B (the alternative); differences are B − A.
    pub b: PathBuf,
    #[command(flatten)]
    pub common: ExpOpts,
    /// Use a different seed for B (independent streams) instead of common random numbers.
    #[arg(long)]
    pub independent: bool,
    /// Also run B the other way (CRN and independent) and report Var(diff, independent) /
    /// Var(diff, CRN) for every KPI.
    #[arg(long)]
    pub variance_reduction: bool,
    /// Also write comparison.json into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace files in --out that clearance did not write (a comparison.json of your own);
    /// without it, such a file stops the command before it starts.
    #[arg(long)]
    pub force: bool,
}

pub fn cmd(args: &CompareArgs) -> Result<ExitCode> {
    // Both loaded before either is refused, so that the problems of both are reported.
    let (a, b) = match (
        load_with(&args.a, &args.common.set),
        load_with(&args.b, &args.common.set),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(c), _) | (_, Err(c)) => return Ok(c),
    };
    // What differs between the two as run, from their effective tables (after `extends` and
    // `--set`), for the table's heading and comparison.json.
    let differs = crate::experiment::compare::differing_settings(&a.table, &b.table);
    let (a, b) = (a.scenario, b.scenario);
    // An unusable --out is refused before simulating.
    if let Some(dir) = &args.out {
        super::prepare_out(dir, "the output directory is not usable")?;
        let names = ["comparison.json".to_string()];
        super::refuse_replacing_inputs(dir, &names)?;
        super::guard::refuse_foreign_outputs(dir, &names, args.force)?;
    }
    super::print_warnings(a.warnings.iter().chain(&b.warnings));
    if a.start_date != b.start_date {
        errln!(
            "note: A starts on {} and B on {}: each one's days count from its own start, so the \
             differences of times are differences of durations, not of dates; P(B clears \
             sooner) and the median |B − A| of clearance compare the clearance dates",
            a.start_date,
            b.start_date
        );
    }
    if a.horizon != b.horizon {
        let days = |h: f64| {
            if h == 1.0 {
                "1 day".into()
            } else {
                format!("{h} days")
            }
        };
        errln!(
            "note: A's horizon is {} and B's {}: a run not cleared by the shorter one may still \
             clear before the longer",
            days(a.horizon),
            days(b.horizon)
        );
    }
    args.common.check_memory(&[&a, &b])?;
    if args.common.replications.is_none() && a.replications < 2 {
        errln!(
            "note: {} asks for 1 replication; a comparison needs 2 at least for its \
             confidence intervals: 2 are run (give --replications N for more)",
            args.a.display()
        );
    }
    args.common
        .need_two_replications("a comparison needs 2 at least, for its confidence intervals")?;
    let copts = CompareOptions {
        replications: args.common.replications.unwrap_or(a.replications.max(2)),
        independent: args.independent,
        measure_variance_reduction: args.variance_reduction,
    };
    let mut c = compare(&a, &b, &copts, &args.common.run_options())?;
    // The table and comparison.json say which values were set on both.
    c.overrides = args.common.set.iter().map(ToString::to_string).collect();
    c.differs = Some(differs);
    let json = to_json(&c)?;
    if args.common.json {
        out!("{json}");
        // The table's warnings (its `!` lines of KPIs cut off by the horizon), on stderr where
        // scripts look for them; the scenarios' were printed above.
        super::print_warnings(&c.warnings);
    } else {
        super::to_stdout(|o| print_comparison(o, &c))?;
    }
    if let Some(dir) = &args.out {
        crate::output::atomic_write(&dir.join("comparison.json"), json.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a KPI is a utilization (a fraction in the comparison, printed in per cent).
fn is_utilization(kpi: &str) -> bool {
    kpi.contains("utilization")
}

/// Decimals for a KPI's means in the table (a utilization's in per cent).
fn decimals(kpi: &str) -> usize {
    if is_utilization(kpi) {
        1
    } else if kpi.starts_with("processed") || kpi == "dropped" || kpi == "unreached" {
        0
    } else {
        2
    }
}

/// A mean for the table: whole numbers (people) with thousands separators.
fn people(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if decimals == 0 && x.is_finite() => crate::format::fmt_int(x),
        _ => num(v, decimals),
    }
}

/// Why the `undecided` pairs cannot tell which run clears sooner.
fn undecided_reason(c: &Comparison) -> &'static str {
    if c.censored_both == c.undecided {
        "neither run cleared within the horizon"
    } else if c.censored_both == 0 {
        "one run's horizon ends before the other's clearance"
    } else {
        "neither run cleared within the horizon, or one run's horizon ends before the other's \
         clearance"
    }
}

/// Settings of B that differ from A's the heading lists; more are counted.
const DIFFERS_SHOWN: usize = 5;

/// What differs between A and B as run, under the A:/B: lines: each setting as `--set` names
/// it with A's value and B's (`port[El Paso].quota_per_day: 300 → 600`, `—` where one does not
/// set it), the first [`DIFFERS_SHOWN`] and a count of the others (comparison.json has them
/// all: `--json`, comparison.json); or that A and B are the same model (a file compared with itself), or differ only in
/// their names (which the lines above give, as the seeds and replications line does those).
fn print_differs(
    w: &mut impl Write,
    c: &Comparison,
    d: &[crate::experiment::compare::SettingDiff],
) -> std::io::Result<()> {
    if d.is_empty() {
        if c.scenario_a.fingerprint == c.scenario_b.fingerprint {
            writeln!(w, "A and B are the same model")?;
        } else if c.a != c.b {
            writeln!(w, "A and B differ only in their names")?;
        }
        return Ok(());
    }
    let value = |v: &Option<serde_json::Value>| match v {
        None => "—".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    writeln!(
        w,
        "B differs from A in {}:",
        counted(d.len() as u64, "setting", "settings")
    )?;
    // A count of one more line would be as long as the line itself.
    let shown = if d.len() <= DIFFERS_SHOWN + 1 {
        d.len()
    } else {
        DIFFERS_SHOWN
    };
    for s in &d[..shown] {
        writeln!(w, "  {}: {} → {}", s.key, value(&s.a), value(&s.b))?;
    }
    if d.len() > shown {
        // (2 or more: one would have been shown)
        writeln!(
            w,
            "  … and {} more settings differ (--json lists them all)",
            d.len() - shown
        )?;
    }
    Ok(())
}

/// The comparison as a text table.
pub fn print_comparison(w: &mut impl Write, c: &Comparison) -> std::io::Result<()> {
    // Two scenarios of one name (a variant that `extends` the other and names nothing of its
    // own) are told apart by their files, and the name they share is said once.
    let same_name = c.a == c.b && !c.file_a.is_empty() && !c.file_b.is_empty();
    for (label, name, file) in [("A", &c.a, &c.file_a), ("B", &c.b, &c.file_b)] {
        if same_name {
            writeln!(w, "{label}: {file}")?;
        } else if file.is_empty() {
            writeln!(w, "{label}: {name}")?;
        } else {
            writeln!(w, "{label}: {name} ({file})")?;
        }
    }
    if same_name {
        writeln!(w, "both named \"{}\"", c.a)?;
    }
    if !c.overrides.is_empty() {
        writeln!(w, "both with --set {}", c.overrides.join(", "))?;
    }
    if let Some(d) = &c.differs {
        print_differs(w, c, d)?;
    }
    writeln!(
        w,
        "{} paired replications, {} (seed A {}, seed B {})\n",
        c.replications,
        if c.streams == "crn" {
            "common random numbers"
        } else {
            "independent streams"
        },
        c.seed_a,
        c.seed_b
    )?;
    let mut t = Table::new(
        "  ",
        &[
            Col::left(28),
            Col::right(11),
            Col::right(11),
            Col::right(11),
            Col::left(0).gap(3),
        ],
    );
    t.row([
        "KPI (per replication)",
        "A mean",
        "B mean",
        "B − A",
        "95% CI of B − A",
    ]);
    // KPIs some replications did not measure (a milestone not reached, a port with nobody
    // waiting): their means are over fewer replications, B − A over those where both did.
    let mut partial: Vec<String> = Vec::new();
    for k in &c.kpis {
        let d = decimals(&k.kpi);
        // A utilization, a fraction in comparison.json, reads in per cent here and its B − A
        // in percentage points: 0.181 is "18.1%", a difference of −0.0008 "-0.08 pp".
        let util = is_utilization(&k.kpi);
        let scale = if util { 100.0 } else { 1.0 };
        let scaled = |x: Option<f64>| x.map(|x| x * scale);
        let pp = if util { " pp" } else { "" };
        let n = |s: Option<u64>| s.unwrap_or(0);
        let (na, nb) = (
            n(k.a.as_ref().map(|s| s.stat.n)),
            n(k.b.as_ref().map(|s| s.stat.n)),
        );
        // (a clearance difference left out for censored runs is not a partial measurement)
        let nd = match &k.diff {
            None if k.censored => na.min(nb),
            d => n(d.as_ref().map(|s| s.n)),
        };
        let reps = c.replications;
        // A port of one scenario only: said once below the table, not as a partial measure.
        let mark = if k.only_in.is_some() {
            ""
        } else if (na, nb, nd) != (reps, reps, reps) && (na, nb) != (0, 0) {
            partial.push(format!(
                "  * {}: measured in {na} of A's {reps} replications and {nb} of B's; B − A over \
                 the {nd} where both did{}",
                k.kpi,
                if nd < 2 {
                    " (too few for a confidence interval: not a measured difference)"
                } else {
                    ""
                }
            ));
            "*"
        } else {
            ""
        };
        // Clearance of a run that reached its horizon is the horizon: a mean over such runs is
        // a lower bound, and where both runs of a pair did, B − A is a difference of horizons.
        let clearance = k.kpi == "clearance_days";
        // Also when A is censored in some pairs and B in others: their differences are bounds
        // in opposite directions, and their mean is neither.
        let unknown_diff =
            clearance && (c.censored_both > 0 || (c.censored_a > 0 && c.censored_b > 0));
        let dd = k.diff.as_ref().map_or(d, |s| {
            let dd = diff_decimals(scaled(s.ci95_low), scaled(s.ci95_high), d);
            mean_apart(
                s.mean * scale,
                scaled(s.ci95_low),
                scaled(s.ci95_high),
                dd,
                d + 3,
            )
        });
        // Only one side's runs censored: B − A is a bound (`diff_bound`), marked as the run
        // table marks a censored mean, `≥` (only B's censored: the true B − A is at least it)
        // or `≤` (only A's); of its interval only the end on the bound's side bounds anything
        // (the true B − A is beyond the figure, which is beyond that end with 97.5%
        // confidence), so only that end is shown, marked alike.
        let bound = k.diff_bound.filter(|_| clearance && !unknown_diff);
        let ci = match &k.diff {
            Some(_) if unknown_diff => "–".into(),
            Some(s) => match (scaled(s.ci95_low), scaled(s.ci95_high), bound) {
                (Some(l), Some(_), Some(DiffBound::AtLeast)) => {
                    format!("≥{}{pp}", bound_end(l, dd, true))
                }
                (Some(_), Some(h), Some(DiffBound::AtMost)) => {
                    format!("≤{}{pp}", bound_end(h, dd, false))
                }
                (Some(l), Some(h), None) => {
                    format!("[{} … {}]{pp}", interval_end(l, dd), interval_end(h, dd))
                }
                _ => "–".into(),
            },
            None => "–".into(),
        };
        let mean = |v: Option<f64>| match scaled(v) {
            Some(x) if util && x.is_finite() => format!("{}%", num(Some(x), d)),
            v => people(v, d),
        };
        // A censored clearance mean is a lower bound: rounded down, never past it.
        let at_least = |censored: u64, v: Option<f64>| match scaled(v) {
            Some(x) if clearance && censored > 0 && x.is_finite() => {
                format!("≥{}", people(Some(round_down(x, d)), d))
            }
            _ => mean(v),
        };
        t.row([
            match &k.only_in {
                Some(side) => format!("{} ({side} only)", k.kpi),
                None => format!("{}{mark}", k.kpi),
            },
            at_least(c.censored_a, k.a.as_ref().map(|s| s.stat.mean)),
            at_least(c.censored_b, k.b.as_ref().map(|s| s.stat.mean)),
            k.diff
                .as_ref()
                .filter(|_| !unknown_diff)
                .map(|s| {
                    let m = s.mean * scale;
                    match bound {
                        // A bound rounded toward its side, as its interval's end is.
                        Some(DiffBound::AtLeast) => format!("≥{}{pp}", bound_end(m, dd, true)),
                        Some(DiffBound::AtMost) => format!("≤{}{pp}", bound_end(m, dd, false)),
                        None => format!("{}{pp}", signed(m, dd)),
                    }
                })
                .unwrap_or("–".into()),
            ci,
        ]);
    }
    t.write(w)?;
    // Many intervals at once: some exclude the true difference by chance alone.
    let intervals = c.kpis.iter().filter(|k| k.diff.is_some()).count();
    if intervals > 1 {
        writeln!(
            w,
            "  ({intervals} separate 95% CIs: about one in 20 may exclude the true difference by \
             chance)"
        )?;
    }
    if c.kpis.iter().any(|k| is_utilization(&k.kpi)) {
        writeln!(
            w,
            "  (utilizations in per cent; their B − A in percentage points, pp)"
        )?;
    }
    for line in &partial {
        writeln!(w, "{line}")?;
    }
    // Ports of one scenario only, each named once.
    let mut only: Vec<(&str, &str)> = Vec::new();
    for k in &c.kpis {
        if let (Some(side), Some((_, port))) = (&k.only_in, k.kpi.split_once(':')) {
            if !only.iter().any(|(_, p)| *p == port) {
                only.push((side, port));
            }
        }
    }
    for (side, port) in only {
        let other = if side == "A" { "B" } else { "A" };
        writeln!(
            w,
            "  ({side} only) {port} is a port of {side} alone: {other} processes nobody there \
             (0 people) and measures no wait or utilization there"
        )?;
    }
    for (name, n) in [("A", c.censored_a), ("B", c.censored_b)] {
        if n > 0 {
            writeln!(
                w,
                "  ! {name}: {n} of {} replications reached the horizon before clearing; their \
                 clearance figures are the horizon, so the clearance mean is a lower bound (≥) and \
                 differences involving them are bounds{}",
                c.replications,
                // Only this side's runs censored: B − A of clearance is printed as the bound.
                match (name, c.censored_a > 0, c.censored_b > 0) {
                    ("A", true, false) => " (B − A of clearance at most the figure: ≤)",
                    ("B", false, true) => " (B − A of clearance at least the figure: ≥)",
                    _ => "",
                }
            )?;
        }
    }
    // The other KPIs of censored runs count only what finished by the horizon.
    for warning in &c.warnings {
        writeln!(w, "  ! {warning}")?;
    }
    if c.censored_both > 0 {
        writeln!(
            w,
            "  ! clearance_days: in {} of {} pairs neither run cleared within the horizon, so B − A \
             cannot be told (give both a horizon past their clearance)",
            c.censored_both, c.replications
        )?;
    } else if c.censored_a > 0 && c.censored_b > 0 {
        writeln!(
            w,
            "  ! clearance_days: A and B each reached the horizon in some pairs, so their \
             differences bound B − A from both sides and their mean is not shown (give both a \
             horizon past their clearance)"
        )?;
    }
    let p = &c.b_clears_sooner;
    // Different start dates: "sooner" is by date, and the table says so.
    let by_date = match (
        c.start_date_a.parse::<chrono::NaiveDate>(),
        c.start_date_b.parse::<chrono::NaiveDate>(),
    ) {
        (Ok(a), Ok(b)) if a != b => {
            let n = (b - a).num_days();
            format!(
                "\n  by date: B starts {} {} than A ({b} and {a}), and its clearance is moved by as \
                 much",
                if n.abs() == 1 { "1 day".to_string() } else { format!("{} days", n.abs()) },
                if n > 0 { "later" } else { "earlier" }
            )
        }
        _ => String::new(),
    };
    // The answer a planner asks for first, in dates: each median clearance and how far B's is
    // from A's (the interval is on the "median clearance of B − median of A" line below).
    if let Some(line) = median_dates_line(c) {
        writeln!(w, "\n{line}")?;
    }
    if p.n == 0 {
        writeln!(
            w,
            "\nP(B clears sooner than A): cannot be told: in each of the {} pairs {} (give both \
             a horizon past their clearance)",
            c.undecided,
            undecided_reason(c)
        )?;
    } else if p.ties == p.n {
        // Every pair tied: B is not sooner in any, but not later either; a P of 0.000 had read
        // as "B is never sooner", the opposite of "they clear together". With pairs that cannot
        // be told, the tie is of those that can, and the others are counted (it had read
        // "every replication tied … in all 11 pairs" of 50, the 39 that cannot be told unsaid).
        let (every, such) = if c.undecided == 0 {
            ("every replication", "")
        } else {
            ("every pair where it can be told", " such")
        };
        writeln!(
            w,
            "\nP(B clears sooner than A): n/a: {every} tied (A and B clear at the same time in \
             {}){by_date}",
            if p.n == 1 {
                format!("the 1{such} pair")
            } else {
                format!("all {}{such} pairs", p.n)
            }
        )?;
        if c.undecided > 0 {
            writeln!(
                w,
                "  in {} more {} it cannot be told: {}",
                c.undecided,
                if c.undecided == 1 { "pair" } else { "pairs" },
                undecided_reason(c)
            )?;
        }
    } else {
        writeln!(
            w,
            "\nP(B clears sooner than A) = {:.3}  (95% CI {:.3} – {:.3}; {} of {}{}){by_date}",
            // (some pair is not tied here, so each is given)
            p.p.unwrap_or(f64::NAN),
            p.ci95_low.unwrap_or(f64::NAN),
            p.ci95_high.unwrap_or(f64::NAN),
            p.count,
            counted(p.n, "replication", "replications"),
            match p.ties {
                0 => String::new(),
                t => format!("; {t} of {} tied, counted as not sooner", p.n),
            }
        )?;
        if c.undecided > 0 {
            writeln!(
                w,
                "  over the pairs where it can be told: in {} more, {}",
                c.undecided,
                undecided_reason(c)
            )?;
        }
    }
    if let Some(m) = c.median_abs_clearance_diff_days {
        let text = if !c.median_abs_clearance_diff_censored {
            duration_text(m)
        } else if c.censored_both == c.replications {
            "cannot be told: in every pair neither run cleared within the horizon".into()
        } else if c.undecided == c.censored_both {
            if m > 0.0 {
                // Each pair's |B − A| with runs not cleared counted at the horizon is no more
                // than the true one (a pair of two such runs counts as 0), so their median is
                // no more.
                format!(
                    "≥ {} (a lower bound: runs not cleared count at the horizon)",
                    duration_floor_text(m)
                )
            } else if p.ties > c.replications / 2 {
                // More than half the pairs clear together: the median is 0 whatever the pairs
                // where neither run cleared hold.
                duration_text(m)
            } else {
                // A lower bound of 0 says nothing: the pairs that count as 0 (those clearing
                // together, and those where neither run cleared) make up half of them or more.
                format!(
                    "cannot be told: it is 0 with the {} of {} pairs where neither run cleared \
                     within the horizon counted as 0, and their true difference is unknown",
                    c.censored_both, c.replications
                )
            }
        } else {
            format!(
                "{} (replications not cleared count at the horizon: not a measurement)",
                duration_text(m)
            )
        };
        writeln!(w, "  by how much: median |B − A| of clearance = {text}")?;
    }
    if c.streams == "crn" && p.n > 0 && p.ties < p.n {
        // Paired on the same seeds, P is of B clearing first in the same circumstances: it
        // depends on how the two runs' random numbers line up, and is not P(B < A) of
        // independent outcomes (`--independent` measures that).
        writeln!(
            w,
            "  (pairs on the same seeds: the share in which B clears first in the same \
             circumstances, not P(B < A) of independent runs; --independent gives that)"
        )?;
    }
    // The difference of the two medians (the summaries' median dates), beside the mean of the
    // paired differences the KPI table gives.
    let d = &c.clearance_p50_diff;
    // Signed as the table's B − A is: a difference that rounds to zero as "0.00", with no sign
    // (neither "-0.00" nor "+0.00"); an end of its interval that is not zero never as a zero.
    match (d.diff_days, d.ci95_low, d.ci95_high) {
        (Some(x), Some(l), Some(h)) => {
            let dec = crate::output::table::interval_decimals(l, h, 2);
            writeln!(
                w,
                "  median clearance of B − median of A = {} days (95% CI {} … {}, paired bootstrap)",
                signed(x, dec),
                interval_end(l, dec),
                interval_end(h, dec)
            )?;
        }
        (Some(x), ..) => writeln!(
            w,
            "  median clearance of B − median of A = {} days (no interval: {})",
            signed(x, 2),
            if c.replications < crate::stats::bootstrap::MIN_PAIRS as u64 {
                format!(
                    "it needs {} pairs or more",
                    crate::stats::bootstrap::MIN_PAIRS
                )
            } else {
                "runs not cleared by the horizon make an end unknown".to_string()
            }
        )?,
        (None, ..) => writeln!(
            w,
            "  median clearance of B − median of A: not known (a median falls on runs not cleared by the horizon)"
        )?,
    }
    if c.variance_reduction.is_empty() {
        writeln!(
            w,
            "(variance reduction of CRN not measured: add --variance-reduction to run B both ways)"
        )?;
    } else {
        writeln!(
            w,
            "\nVariance reduction of common random numbers, Var(B − A) independent / CRN:"
        )?;
        for v in &c.variance_reduction {
            writeln!(
                w,
                "  {:<28} {:>10}   (CRN {}, independent {})",
                v.kpi,
                if v.ratio.is_finite() {
                    format!("{}×", three_figures(v.ratio))
                } else if v.ratio.is_nan() {
                    "–".into() // neither way varies
                } else {
                    "∞".into()
                },
                variance_text(v.var_crn),
                variance_text(v.var_independent)
            )?;
        }
        // Each ratio is of two sample variances of n differences: for normal differences its
        // 95% range is about exp(±2·1.96/√n) around it (docs/experiments.md), ×1.5 at n = 100.
        writeln!(
            w,
            "  (each ratio, from {} pairs, is uncertain by a factor of about {:.1} either way)",
            c.replications,
            (2.0 * 1.96 / (c.replications as f64).sqrt()).exp()
        )?;
    }
    Ok(())
}

/// `→ median clearance: A 2021-07-15 (day 146.4), B 2021-07-10 (day 141.2): B 5.20 days
/// sooner`: each median clearance as a date and a day, and B's difference in words, by date
/// (B's start date may differ from A's). `None` when either median is not known (it falls on
/// runs not cleared by the horizon), which the difference's own line says.
fn median_dates_line(c: &Comparison) -> Option<String> {
    let diff = c.clearance_p50_diff.diff_days?;
    let kpi = c.kpis.iter().find(|k| k.kpi == "clearance_days")?;
    let (a, b) = (kpi.a.as_ref()?.stat.p50, kpi.b.as_ref()?.stat.p50);
    let start_a = c.start_date_a.parse::<chrono::NaiveDate>().ok()?;
    let start_b = c.start_date_b.parse::<chrono::NaiveDate>().ok()?;
    let day = |start: chrono::NaiveDate, t: f64| -> Option<String> {
        Some(format!(
            "{} (day {})",
            crate::scenario::date_at(start, t)?,
            crate::scenario::day_fixed(t, 1)
        ))
    };
    // By date: B's days moved by the days between the start dates.
    let by_date = diff + (start_b - start_a).num_days() as f64;
    let apart = format!("{:.2}", by_date.abs());
    let words = if apart == "0.00" {
        "B the same to a hundredth of a day".to_string()
    } else {
        format!(
            "B {apart} days {}",
            if by_date < 0.0 { "sooner" } else { "later" }
        )
    };
    Some(format!(
        "→ median clearance: A {}, B {}: {words}",
        day(start_a, a)?,
        day(start_b, b)?
    ))
}

/// A variance reduction ratio to three significant figures ("198,000", "10.0", "1.23"): with
/// n pairs it is uncertain by a factor of about 1.5 either way at n = 100 (docs/experiments.md),
/// so more figures would claim a precision it does not have ("197715.9×" had).
fn three_figures(x: f64) -> String {
    if x <= 0.0 || !x.is_finite() {
        return crate::format::fixed(x, 1);
    }
    let figures = |x: f64| 2 - x.log10().floor() as i32;
    let step = 10f64.powi(-figures(x));
    // (rounded first, so that 9.996 reads "10.0", not "10.00")
    let r = (x / step).round() * step;
    match figures(r) {
        d if d > 0 => crate::format::fixed(r, d as usize),
        _ => crate::format::fmt_int(r),
    }
}

/// A variance with its digits: 0 as "0", a small one in scientific notation (0.0000 beside a
/// ratio of ∞ looked like 0 / 0).
fn variance_text(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        format!("{v:.4}")
    }
}

/// A difference in days for people: "3.2 days", "0.012 days (17 min)", "0 days"; under half a
/// minute "0.0002 days (under 1 min)" (it had read "1 min", three times the 17 seconds).
fn duration_text(d: f64) -> String {
    if d == 0.0 {
        "0 days (identical)".into()
    } else if d >= 1.0 {
        format!("{d:.1} days")
    } else if d * 24.0 >= 1.0 {
        format!("{d:.3} days ({:.1} h)", d * 24.0)
    } else if d * 1440.0 < 0.5 {
        format!("{d:.4} days (under 1 min)")
    } else {
        format!("{d:.4} days ({:.0} min)", d * 1440.0)
    }
}

/// [`duration_text`] of a lower bound `d` > 0 \[days\]: each figure rounded down, so that it
/// never claims more than the bound (to nearest, 0.02 days read "0.020 days (0.5 h)" for
/// 0.0199 days, and a bound of 20 seconds read "1 min").
fn duration_floor_text(d: f64) -> String {
    use crate::format::round_down;
    if d >= 1.0 {
        format!("{:.1} days", round_down(d, 1))
    } else if d * 24.0 >= 1.0 {
        format!(
            "{:.3} days ({:.1} h)",
            round_down(d, 3),
            round_down(d * 24.0, 1)
        )
    } else {
        let min = round_down(d * 1440.0, 0);
        let min = if min >= 1.0 {
            format!("{min:.0} min")
        } else {
            "under 1 min".into()
        };
        format!("{:.4} days ({min})", round_down(d, 4))
    }
}

/// Decimals `dd`, or more (up to `max`) while the mean B − A prints alike an interval end it
/// lies inside of: `+0.7 [+0.6 … +0.7]` for 0.682 in [0.643, 0.721] read as a mean on the
/// interval's edge.
fn mean_apart(mean: f64, low: Option<f64>, high: Option<f64>, dd: usize, max: usize) -> usize {
    let (Some(l), Some(h)) = (low, high) else {
        return dd;
    };
    let alike = |a: f64, b: f64, d: usize| a != b && signed(a, d) == signed(b, d);
    let mut dd = dd;
    while dd < max && l < mean && mean < h && (alike(mean, l, dd) || alike(mean, h, dd)) {
        dd += 1;
    }
    dd
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lower bound on a duration is printed rounded down in each of its units, never past
    /// the bound; `duration_text` rounds to nearest.
    #[test]
    fn a_duration_bound_is_rounded_down() {
        assert_eq!(duration_floor_text(1.26), "1.2 days");
        assert_eq!(duration_text(1.26), "1.3 days");
        assert_eq!(duration_floor_text(0.0999), "0.099 days (2.3 h)");
        assert_eq!(duration_text(0.0999), "0.100 days (2.4 h)");
        assert_eq!(duration_floor_text(0.0104), "0.0104 days (14 min)");
        assert_eq!(duration_floor_text(0.0002), "0.0002 days (under 1 min)");
        assert_eq!(duration_text(0.0002), "0.0002 days (under 1 min)");
        assert_eq!(duration_text(0.0005), "0.0005 days (1 min)");
        // A step held a hair below itself is that step.
        assert_eq!(duration_floor_text(1.2), "1.2 days");
    }

    /// A mean inside its interval does not print as one of its ends.
    #[test]
    fn the_mean_prints_apart_from_its_intervals_ends() {
        let (m, l, h) = (0.682, 0.643, 0.721);
        let d = mean_apart(m, Some(l), Some(h), diff_decimals(Some(l), Some(h), 1), 4);
        assert_eq!(d, 2);
        assert_eq!(
            format!("{} [{} … {}]", signed(m, d), signed(l, d), signed(h, d)),
            "+0.68 [+0.64 … +0.72]"
        );
        // Apart already, or no interval: as they were; at most `max`.
        assert_eq!(mean_apart(0.5, Some(0.2), Some(0.9), 1, 4), 1);
        assert_eq!(mean_apart(0.5, None, None, 1, 4), 1);
        assert_eq!(mean_apart(1.0, Some(1.0 - 1e-9), Some(2.0), 1, 4), 4);
    }

    /// A variance reduction ratio keeps three significant figures, whatever its size.
    #[test]
    fn a_ratio_reads_to_three_figures() {
        assert_eq!(three_figures(197_715.9), "198,000");
        assert_eq!(three_figures(10.04), "10.0");
        assert_eq!(three_figures(9.996), "10.0");
        assert_eq!(three_figures(1.234), "1.23");
        assert_eq!(three_figures(0.5), "0.500");
        assert_eq!(three_figures(670.4), "670");
        assert_eq!(three_figures(999.6), "1,000");
    }

    #[test]
    fn a_difference_whose_interval_excludes_zero_does_not_print_as_zero() {
        // +0.42 people in [+0.17, +0.66] had printed "+0 [+0 … +1]".
        let d = diff_decimals(Some(0.169), Some(0.664), 0);
        assert_eq!(d, 1);
        assert_eq!(
            format!(
                "{} [{} … {}]",
                signed(0.417, d),
                signed(0.169, d),
                signed(0.664, d)
            ),
            "+0.4 [+0.2 … +0.7]"
        );
        assert_eq!(diff_decimals(Some(-0.664), Some(-0.004), 2), 3);
        // An interval across 0, or ends that print apart from 0, keep their decimals.
        assert_eq!(diff_decimals(Some(-0.2), Some(0.6), 0), 0);
        assert_eq!(diff_decimals(Some(1.4), Some(3.0), 0), 0);
        assert_eq!(diff_decimals(None, None, 2), 2);
        // Different ends that print alike: +1 [+1 … +1] for [0.58, 1.18].
        assert_eq!(diff_decimals(Some(0.58), Some(1.18), 0), 1);
        // Three more at most.
        assert_eq!(diff_decimals(Some(1e-9), Some(1.0), 1), 4);
    }
}
