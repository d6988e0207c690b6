//! The numbers of docs/case-study-2021.md after calibration: the projection for Aug 10 and Aug 24,
//! 2021 from the calibrated scenarios/mpp-2021-record.toml (calibrated on the counts up to June 1;
//! phase 2's date and size from the record's June 23 rows), the chart of simulated against
//! observed (docs/case-study-2021-fit.png/.svg), the gap between the announced plan and the
//! realised pace decomposed by switching one factor at a time back to the announced plan, and the
//! counterfactual: the announced plan with the calibrated reach and registration.
//!
//! `cargo run --release --example explain_gap_2021` (under a minute). Common random numbers: every
//! variant runs replications 0..N of the same seed, so differences are paired.
//!
//! The chart is drawn into the directory of this program's binary (under the target directory)
//! and checked byte for byte against the committed docs/case-study-2021-fit.png and .svg: a
//! change to this program or to the library that moves the chart fails here, naming the file.
//! `cargo run --release --example explain_gap_2021 -- --update-docs` writes the committed files
//! instead, when the change is meant.

use clearance::calibrate::{apply, replicate, Params};
use clearance::experiment::{self, RunOptions};
use clearance::model::ReplicationResult;
use clearance::observed::{read_observed, simulated_value, Scope};
use clearance::output::observed_chart::{
    observed_points, processed_bands, write_observed_chart, ObservedChart,
};
use clearance::scenario::{load_file, Scenario, ALL_DAYS};
use clearance::stats::quantile_sorted;
use std::path::{Path, PathBuf};

const RECORD: &str = "scenarios/mpp-2021-record.toml";
const BASELINE: &str = "scenarios/baseline.toml";
const OBSERVED: &str = "docs/data/mpp2021-observed.csv";
const SEED: u64 = 20210219;
const N: u32 = 100;
const MAR_31: usize = 40;
const JUNE_1: usize = 102;
const AUG_10: usize = 172;
const LAST_DAY: usize = 185; // Aug 23, the last day before the Aug 24 stop
const CHART_PNG: &str = "docs/case-study-2021-fit.png";
const CHART_SVG: &str = "docs/case-study-2021-fit.svg";
/// The argument (after `--`) that writes the committed chart instead of checking it.
const UPDATE_DOCS: &str = "--update-docs";

/// `v` signed, with `decimals` places, and never "-0": a difference that rounds to zero reads
/// "+0" (a negative one rounded to 0 had printed "-0").
fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{v:+.decimals$}");
    match s.strip_prefix('-') {
        Some(digits) if digits.chars().all(|c| c == '0' || c == '.') => format!("+{digits}"),
        _ => s,
    }
}

/// Where the chart is drawn: `docs/` with `--update-docs`, else beside this program's binary
/// (the target directory), or the system's temporary directory when that is not known.
fn output_dir(update: bool) -> PathBuf {
    if update {
        return PathBuf::from("docs");
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

/// Whether `produced` holds the same bytes as the committed `committed`; a message naming both
/// and `--update-docs` when not.
fn check_same(produced: &Path, committed: &str) -> Result<(), String> {
    let (new, old) = (std::fs::read(produced), std::fs::read(committed));
    match (new, old) {
        (Ok(new), Ok(old)) if new == old => Ok(()),
        (Ok(_), Ok(_)) => Err(format!(
            "{} (just drawn) differs from the committed {committed}: if the change is meant, \
             rewrite it with `cargo run --release --example explain_gap_2021 -- {UPDATE_DOCS}` \
             and commit it; if not, undo the change that moved it",
            produced.display()
        )),
        (Err(e), _) => Err(format!("could not read {}: {e}", produced.display())),
        (_, Err(e)) => Err(format!(
            "could not read the committed {committed}: {e} (run from the crate's root; \
             `-- {UPDATE_DOCS}` writes it)"
        )),
    }
}

fn q(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (
        quantile_sorted(&v, 0.05),
        quantile_sorted(&v, 0.5),
        quantile_sorted(&v, 0.95),
    )
}

fn processed(scn: &Scenario, reps: &[ReplicationResult], day: usize) -> Vec<f64> {
    reps.iter()
        .map(|r| simulated_value(scn, r, &Scope::All, day))
        .collect()
}

/// Backlog only (no phase 2), no court stop: when is the 25,000 backlog resolved?
fn unstopped_backlog(scn: &Scenario) -> Scenario {
    let mut s = scn.clone();
    s.phases.clear();
    s.horizon = 730.0;
    s
}

struct Measure {
    mar31: f64,
    june1: f64,
    stop: f64,
    clearance: f64,
    censored: usize,
}

fn measure(scn: &Scenario) -> Measure {
    let reps = replicate(scn, N, SEED).expect("run");
    let (_, mar31, _) = q(processed(scn, &reps, MAR_31));
    let (_, june1, _) = q(processed(scn, &reps, JUNE_1));
    let (_, stop, _) = q(processed(scn, &reps, LAST_DAY));
    let ub = unstopped_backlog(scn);
    let reps2 = replicate(&ub, N, SEED).expect("run");
    let (_, clearance, _) = q(reps2.iter().map(|r| r.clearance_days).collect());
    Measure {
        mar31,
        june1,
        stop,
        clearance,
        censored: reps2.iter().filter(|r| r.censored).count(),
    }
}

// ---- one factor at a time back to the announced plan ----

/// Reach and registration "as announced": nothing was announced for them, so baseline.toml's
/// ASSUMPTIONS (its `never` and delay) stand in for a plan.
fn announced_reach(record: &Scenario, baseline: &Scenario) -> Scenario {
    let mut s = record.clone();
    s.registration = baseline.registration.clone();
    // keep ~750 reached in the camp: 0.03 / (1 - 0.10)
    let camp = 0.03 / (1.0 - s.registration.never);
    for o in &mut s.origins {
        if o.name == "Matamoros camp" {
            o.share = camp;
        } else if o.name == "Matamoros" {
            o.share = 0.2112 - camp;
        }
    }
    s
}

fn no_ramp(record: &Scenario) -> Scenario {
    let mut s = record.clone();
    for p in &mut s.ports {
        p.ramp = None;
        if p.name == "Brownsville" {
            p.opens = 3.0; // planned Feb 22 (record §2 Brownsville)
        }
    }
    // drop El Paso's 25 -> 50 -> 100 steps (port disruptions), keep the camp-first route rule
    s.disruptions.retain(|d| d.ports.is_empty());
    s
}

fn announced_rates(record: &Scenario) -> Scenario {
    let mut s = record.clone();
    for p in &mut s.ports {
        match p.name.as_str() {
            "San Ysidro" | "El Paso" => p.quota_per_day = Some(300),
            "Brownsville" => p.quota_per_day = Some(100),
            _ => {
                // the three later ports at their base rate (`REPORTED`, multiplier 1)
                if let Some((_, q, _)) = clearance::calibrate::REPORTED
                    .iter()
                    .find(|r| r.0 == p.name)
                {
                    p.quota_per_day = Some(*q);
                }
            }
        }
        // enough servers and seats for the higher quotas
        p.servers = p.servers.map(|n| n.max(16));
    }
    for r in &mut s.routes {
        r.seats = r.seats.map(|n| n.max(110));
    }
    s
}

fn every_day(record: &Scenario) -> Scenario {
    let mut s = record.clone();
    for p in &mut s.ports {
        p.schedule.days = ALL_DAYS;
    }
    for r in &mut s.routes {
        r.days = ALL_DAYS;
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let update = match std::env::args().nth(1).as_deref() {
        None => false,
        Some(UPDATE_DOCS) => true,
        Some(other) => {
            eprintln!(
                "explain_gap_2021: unknown argument {other:?}: the only one is {UPDATE_DOCS}"
            );
            std::process::exit(2);
        }
    };
    let record = load_file(Path::new(RECORD))?;
    let baseline = load_file(Path::new(BASELINE))?;

    // ---- projection (the calibrated scenario as written, 200 replications) ----
    let opts = RunOptions::default();
    let obs = read_observed(Path::new(OBSERVED), &record)?;
    let (run, fit) = clearance::observed::run_with_fit(&record, &opts, &obs)?;
    let reps = replicate(&record, record.replications, record.seed)?;
    let (a5, a50, a95) = q(processed(&record, &reps, AUG_10));
    let (b5, b50, b95) = q(processed(&record, &reps, LAST_DAY));
    let (j5, j50, j95) = q(processed(&record, &reps, JUNE_1));
    println!(
        "projection from the calibrated scenario ({} replications):",
        record.replications
    );
    // Whole people as the fit table rounds them (half away from zero: a median of 11,056.5 is
    // 11,057 there, and `{:.0}` alone had printed 11056 for it).
    let [j5, j50, j95, a5, a50, a95, b5, b50, b95] =
        [j5, j50, j95, a5, a50, a95, b5, b50, b95].map(f64::round);
    println!("  by Jun 1 (end of day):  median {j50:.0}, 90% band {j5:.0}–{j95:.0}");
    println!("  by Aug 10 (end of day): median {a50:.0}, 90% band {a5:.0}–{a95:.0}");
    println!("  by Aug 24 (the stop; end of Aug 23): median {b50:.0}, 90% band {b5:.0}–{b95:.0}");
    let ph2: Vec<f64> = reps
        .iter()
        .map(|r| {
            simulated_value(&record, r, &Scope::All, LAST_DAY)
                - simulated_value(&record, r, &Scope::All, 123)
        })
        .collect();
    let (_, p50, _) = q(ph2);
    println!("  of which processed from Jun 23 to Aug 23: median {p50:.0}");
    println!(
        "  fit: RMSE {:.0}, {} of {} inside the 90% band",
        fit.rmse,
        fit.inside90,
        fit.rows.len()
    );
    // The figures docs/case-study-2021.md quotes from this projection.
    let shown = |v: f64| format!("{v:.0}");
    assert_eq!(
        [a50, b50, b5, b95].map(shown),
        ["16914", "17133", "16891", "17328"],
        "the Aug 10 and Aug 24 projections the case study quotes"
    );
    assert_eq!(
        (shown(fit.rmse), fit.inside90, fit.rows.len()),
        ("241".to_string(), 5, 12),
        "the fit the case study quotes"
    );
    assert_eq!(run.summary.replications, record.replications as u64);

    // the near-optimal ridge of the calibration (within 10% of the best RMSE: the first three;
    // the fourth is the next best, just outside)
    println!("\nprojection under near-optimal alternatives (40 replications each):");
    for p in [
        Params {
            never: 0.45,
            tail_mean: 120.0,
            capacity: 0.8,
        },
        Params {
            never: 0.50,
            tail_mean: 60.0,
            capacity: 0.8,
        },
        Params {
            never: 0.55,
            tail_mean: 15.0,
            capacity: 0.8,
        },
        Params {
            never: 0.40,
            tail_mean: 240.0,
            capacity: 0.8,
        },
    ] {
        let s = apply(&record, &p);
        let r = replicate(&s, 40, SEED)?;
        let (_, j, _) = q(processed(&s, &r, JUNE_1));
        let (a5, a, a95) = q(processed(&s, &r, AUG_10));
        let (b5, b, b95) = q(processed(&s, &r, LAST_DAY));
        println!(
            "  never {:.2}, tail {:>3.0} d, capacity {:.1}: Jun 1 {j:.0}; Aug 10 {a:.0} ({a5:.0}–{a95:.0}); Aug 24 {b:.0} ({b5:.0}–{b95:.0})",
            p.never, p.tail_mean, p.capacity
        );
    }

    // ---- chart for the case study ----
    let points = observed_points(&fit);
    let last_observed = fit.rows.iter().map(|r| r.obs.day).max().unwrap_or(0);
    let bands = processed_bands(&run.daily, last_observed);
    let subtitle = format!(
        "{} · calibrated to Jun 1 · {} replications · start {} · {} observed dates",
        record.name,
        run.clearance_days.len(),
        record.start_date.format("%Y-%m-%d"),
        points.len()
    );
    let dir = output_dir(update);
    let (png, svg) = (
        dir.join("case-study-2021-fit.png"),
        dir.join("case-study-2021-fit.svg"),
    );
    write_observed_chart(
        &png,
        &svg,
        &ObservedChart {
            title: "MPP wind-down 2021: simulated vs observed",
            subtitle: &subtitle,
            start_date: record.start_date,
            bands: &bands,
            observed: &points,
            marker: Some((JUNE_1, "calibrated up to Jun 1")),
        },
    )?;
    if update {
        println!("\nwrote {CHART_PNG} and {CHART_SVG}");
    } else {
        // The drawing is deterministic (the bundled font, no timestamps): PNG and SVG alike are
        // compared byte for byte with the committed files.
        for (produced, committed) in [(&svg, CHART_SVG), (&png, CHART_PNG)] {
            if let Err(e) = check_same(produced, committed) {
                panic!("{e}");
            }
        }
        println!(
            "\ndrew {} and .svg: the same as the committed {CHART_PNG} and .svg",
            png.display()
        );
    }

    // ---- the gap, one factor at a time ----
    println!("\nthe gap, one factor at a time back to the announced plan ({N} replications, CRN):");
    println!(
        "  every figure is a median over the replications: people processed (cumulative, end of \
         day)\n  by Mar 31, Jun 1 and Aug 24, and the day the 25,000 backlog is cleared when no \
         phase 2\n  is added and nothing stops (cens.: replications not cleared by day 730); \
         Δ: that median's change"
    );
    println!(
        "  {:<44} {:>10} {:>10} {:>10} {:>22}",
        "variant", "P50 Mar 31", "P50 Jun 1", "P50 Aug 24", "P50 cleared [day]"
    );
    let real = measure(&record);
    let row = |name: &str, m: &Measure, real: &Measure| {
        println!(
            "  {:<44} {:>10.0} {:>10.0} {:>10.0} {:>14.0} ({} cens.)  Δ Mar 31 {:>6}  Δ Jun 1 {:>6}  Δ Aug 24 {:>6}  Δ clear {:>5} d",
            name,
            m.mar31,
            m.june1,
            m.stop,
            m.clearance,
            m.censored,
            signed(m.mar31 - real.mar31, 0),
            signed(m.june1 - real.june1, 0),
            signed(m.stop - real.stop, 0),
            signed(m.clearance - real.clearance, 0)
        );
    };
    row("as it ran (calibrated)", &real, &real);
    let reach = announced_reach(&record, &baseline);
    row(
        "1 reach & registration as in baseline.toml",
        &measure(&reach),
        &real,
    );
    row(
        "2 no ramp-up, Brownsville on Feb 22",
        &measure(&no_ramp(&record)),
        &real,
    );
    row(
        "3 announced port rates (300/300/100)",
        &measure(&announced_rates(&record)),
        &real,
    );
    row(
        "4 every port 7 days a week",
        &measure(&every_day(&record)),
        &real,
    );
    let ports_all = every_day(&announced_rates(&no_ramp(&record)));
    row(
        "2+3+4 ports as announced, reach as realised",
        &measure(&ports_all),
        &real,
    );
    let all = every_day(&announced_rates(&no_ramp(&reach)));
    let all_m = measure(&all);
    row("1+2+3+4 everything as announced", &all_m, &real);
    let mut announced = baseline.clone();
    announced.horizon = 186.0;
    row(
        "announced plan (baseline.toml, 3 ports)",
        &measure(&announced),
        &real,
    );

    println!("\nthe other way round: from everything as announced, one factor back to as it ran");
    println!("  (Δ against the everything-as-announced row)");
    row(
        "1 reach & registration as realised",
        &measure(&every_day(&announced_rates(&no_ramp(&record)))),
        &all_m,
    );
    row(
        "2 realised ramp-up and opening dates",
        &measure(&every_day(&announced_rates(&reach))),
        &all_m,
    );
    let mut rates_real = every_day(&no_ramp(&reach));
    for p in &mut rates_real.ports {
        p.servers = p.servers.map(|n| n.max(16));
    }
    row(
        "3 realised port rates (0.8 × base rates)",
        &measure(&rates_real),
        &all_m,
    );
    row(
        "4 realised weekdays (El Paso Mon-Fri)",
        &measure(&announced_rates(&no_ramp(&reach))),
        &all_m,
    );

    // ---- counterfactual: the announced plan with the calibrated reach and registration ----
    println!("\ncounterfactual: the announced plan with the calibrated reach and registration:");
    let mut cf = baseline.clone();
    cf.registration = record.registration.clone();
    let mut cf_strict = cf.clone();
    for p in &mut cf_strict.ports {
        p.ramp = None;
        if p.name != "Brownsville" {
            p.opens = 0.0;
        }
    }
    for (name, s) in [
        ("announced plan (ramps 25 -> 300 over 30 d)", &cf),
        ("two ports at 300/day from Feb 19, no ramp", &cf_strict),
    ] {
        let r = experiment::run(
            s,
            &RunOptions {
                replications: Some(N),
                seed: Some(SEED),
                ..Default::default()
            },
        )?;
        let reps = replicate(s, N, SEED)?;
        let (_, j, _) = q(processed(s, &reps, JUNE_1));
        let c = r
            .summary
            .clearance_days
            .as_ref()
            .map(|c| (c.p5, c.p50, c.p95))
            .unwrap_or_default();
        println!(
            "  {name}: processed by Jun 1, median {j:.0}; backlog cleared median {:.0} d = {} (90% of replications: {:.0}–{:.0} d), {} censored",
            c.1,
            s.date_of(c.1),
            c.0,
            c.2,
            r.summary.censored
        );
        let stat = |x: &Option<clearance::stats::Stat>| x.as_ref().map(|s| s.p50);
        println!(
            "    processed median {:.0} of {}; mean wait per replication, median over replications: screening {:.1} d, transport {:.1} d",
            stat(&r.summary.people.processed).unwrap_or(f64::NAN),
            r.summary.people.total,
            stat(&r.summary.stages.screening.wait_days).unwrap_or(f64::NAN),
            stat(&r.summary.stages.transport.wait_days).unwrap_or(f64::NAN),
        );
    }
    // No figure prints as "-0": a difference that rounds to zero reads "+0".
    assert_eq!(
        [signed(-0.3, 0), signed(-0.04, 1), signed(-0.6, 0)],
        ["+0", "+0.0", "-1"]
    );
    Ok(())
}
