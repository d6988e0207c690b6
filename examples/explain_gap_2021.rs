//! The numbers of docs/case-study-2021.md after calibration: the projection for Aug 10 and Aug 24,
//! 2021 from the calibrated scenarios/mpp-2021-record.toml (data up to June 1 only), the chart of
//! simulated against observed (docs/case-study-2021-fit.png/.svg), the gap between the announced
//! plan and the realised pace decomposed by switching one factor at a time back to the announced
//! plan, and the counterfactual: the announced plan with the calibrated reach and registration.
//!
//! `cargo run --release --example explain_gap_2021` (under a minute). Common random numbers: every
//! variant runs replications 0..N of the same seed, so differences are paired.

use clearance::calibrate::{apply, replicate, Params};
use clearance::experiment::{self, RunOptions};
use clearance::model::ReplicationResult;
use clearance::observed::{read_observed, simulated_value, Scope};
use clearance::output::observed_chart::{write_observed_chart, ObservedChart};
use clearance::scenario::{load_file, Scenario, ALL_DAYS};
use clearance::stats::quantile_sorted;
use std::path::Path;

const RECORD: &str = "scenarios/mpp-2021-record.toml";
const BASELINE: &str = "scenarios/baseline.toml";
const OBSERVED: &str = "docs/data/mpp2021-observed.csv";
const SEED: u64 = 20210219;
const N: u32 = 100;
const MAR_31: usize = 40;
const JUNE_1: usize = 102;
const AUG_10: usize = 172;
const LAST_DAY: usize = 185; // Aug 23, the last day before the Aug 24 stop

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
                // the three later ports at their reported rate (multiplier 1)
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
        ["15438", "15492", "15267", "15681"],
        "the Aug 10 and Aug 24 projections the case study quotes"
    );
    assert_eq!(
        (shown(fit.rmse), fit.inside90, fit.rows.len()),
        ("258".to_string(), 1, 12),
        "the fit the case study quotes"
    );
    assert_eq!(run.summary.replications, record.replications as u64);

    // near-optimal alternatives of the calibration (the never/tail ridge)
    println!("\nprojection under near-optimal alternatives (40 replications each):");
    for p in [
        Params {
            never: 0.55,
            tail_mean: 15.0,
            capacity: 0.8,
        },
        Params {
            never: 0.50,
            tail_mean: 60.0,
            capacity: 0.8,
        },
        Params {
            never: 0.45,
            tail_mean: 120.0,
            capacity: 0.8,
        },
        Params {
            never: 0.45,
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
    let points = clearance::cli::observed::observed_points(&fit);
    let last_observed = fit.rows.iter().map(|r| r.obs.day).max().unwrap_or(0);
    let bands = clearance::cli::observed::processed_bands(&run.daily, last_observed);
    let subtitle = format!(
        "{} · calibrated to Jun 1 · {} replications · start {} · {} observed dates",
        record.name,
        run.clearance_days.len(),
        record.start_date.format("%Y-%m-%d"),
        points.len()
    );
    write_observed_chart(
        Path::new("docs/case-study-2021-fit.png"),
        Path::new("docs/case-study-2021-fit.svg"),
        &ObservedChart {
            title: "MPP wind-down 2021: simulated vs observed",
            subtitle: &subtitle,
            start_date: record.start_date,
            bands: &bands,
            observed: &points,
            marker: Some((JUNE_1, "calibrated up to Jun 1")),
        },
    )?;
    println!("\nwrote docs/case-study-2021-fit.png and .svg");

    // ---- the gap, one factor at a time ----
    println!("\nthe gap, one factor at a time back to the announced plan ({N} replications, CRN):");
    println!(
        "  {:<44} {:>10} {:>10} {:>10} {:>22}",
        "variant", "by Mar 31", "by Jun 1", "by Aug 24", "backlog cleared [days]"
    );
    let real = measure(&record);
    let row = |name: &str, m: &Measure, real: &Measure| {
        println!(
            "  {:<44} {:>10.0} {:>10.0} {:>10.0} {:>14.0} ({} cens.)  Δ Mar 31 {:>+6.0}  Δ Jun 1 {:>+6.0}  Δ Aug 24 {:>+6.0}  Δ clear {:>+5.0}",
            name,
            m.mar31,
            m.june1,
            m.stop,
            m.clearance,
            m.censored,
            m.mar31 - real.mar31,
            m.june1 - real.june1,
            m.stop - real.stop,
            m.clearance - real.clearance
        );
    };
    row("as it ran (calibrated)", &real, &real);
    let reach = announced_reach(&record, &baseline);
    row(
        "1 reach & registration as announced",
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
        "3 realised port rates (×0.8 of reported)",
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
            "  {name}: by Jun 1 {j:.0}; backlog cleared median {:.0} d = {} (90%: {:.0}–{:.0} d), {} censored",
            c.1,
            s.date_of(c.1),
            c.0,
            c.2,
            r.summary.censored
        );
        let stat = |x: &Option<clearance::stats::Stat>| x.as_ref().map(|s| s.p50);
        println!(
            "    processed median {:.0} of {}; screening wait {:.1} d, transport wait {:.1} d",
            stat(&r.summary.people.processed).unwrap_or(f64::NAN),
            r.summary.people.total,
            stat(&r.summary.stages.screening.wait_days).unwrap_or(f64::NAN),
            stat(&r.summary.stages.transport.wait_days).unwrap_or(f64::NAN),
        );
    }
    Ok(())
}
