//! Calibrate the 2021 case study (docs/case-study-2021.md) against the public record up to
//! 2021-06-01 ONLY: grid search over the share never reached, the registration-delay tail mean and
//! a common port-rate multiplier, scoring each candidate by the RMSE of the simulated median of
//! cumulative people processed against docs/data/mpp2021-observed.csv (or the file given as
//! the first argument), with common random numbers (same seed, same replication indices). A
//! count marked as a bound (`bound = lower`: the record's "more than 200" and "more than
//! 11,000") is scored as one: no error when the median is on its side.
//!
//! It warns when the chosen value of an unknown is at its grid's edge (the optimum may lie
//! beyond it) and when an unknown's profile is flat (every value within `RIDGE_TOLERANCE` of the
//! best: the data do not choose it), and lists the near-optimal ridge: every candidate within
//! that tolerance of the best.
//!
//! `cargo run --release --example calibrate_2021 [-- OBSERVED.csv]`
//! Prints the best candidates, the RMSE profile of each unknown around the optimum (sensitivity)
//! and the TOML lines for the chosen registration delay, and writes every candidate's score as
//! calibration-2021.csv into the directory of this program's binary (under the target
//! directory). With the bundled observations it then checks that file byte for byte against the
//! committed docs/calibration-2021.csv, which the case study cites: a change that moves a score
//! fails here. `cargo run --release --example calibrate_2021 -- --update-docs` writes the
//! committed file instead, when the change is meant.

use clearance::calibrate::{grid, registration_delay_toml, score, Params, Scored};
use clearance::observed::read_observed;
use clearance::scenario::load_file;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SCENARIO: &str = "scenarios/mpp-2021-record.toml";
const DEFAULT_OBSERVED: &str = "docs/data/mpp2021-observed.csv";
const REPLICATIONS: u32 = 40;
const SEED: u64 = 20210219;
const NEVER: [f64; 7] = [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60];
const TAIL_MEAN: [f64; 5] = [15.0, 30.0, 60.0, 120.0, 240.0];
const CAPACITY: [f64; 7] = [0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4];
const SCORES_CSV: &str = "docs/calibration-2021.csv";
/// Candidates whose RMSE is within this fraction of the best are "near-optimal" (10%: about
/// 25 people at the optimum, far inside the 7–12% by which the record's counters disagree on
/// nearby dates, docs/case-study-2021.md), and a profile all of whose values are is "flat".
const RIDGE_TOLERANCE: f64 = 0.10;
/// The argument (after `--`) that writes the committed scores instead of checking them.
const UPDATE_DOCS: &str = "--update-docs";

/// Where the scores are written: `docs/` with `--update-docs`, else beside this program's
/// binary (the target directory), or the system's temporary directory when that is not known.
fn output_dir(update: bool) -> PathBuf {
    if update {
        return PathBuf::from("docs");
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let update = args.iter().any(|a| a == UPDATE_DOCS);
    let mut files = args.iter().filter(|a| *a != UPDATE_DOCS);
    let observed = files
        .next()
        .cloned()
        .unwrap_or_else(|| DEFAULT_OBSERVED.to_string());
    if let Some(extra) = files.next() {
        eprintln!(
            "calibrate_2021: unexpected argument {extra:?}: give one observed-data file at \
             most, and {UPDATE_DOCS}"
        );
        std::process::exit(2);
    }
    if update && observed != DEFAULT_OBSERVED {
        eprintln!(
            "calibrate_2021: {UPDATE_DOCS} writes {SCORES_CSV}, the scores against \
             {DEFAULT_OBSERVED}: leave out {observed} to update it"
        );
        std::process::exit(2);
    }
    let until = clearance::chrono::NaiveDate::from_ymd_opt(2021, 6, 1).ok_or("bad cut-off")?;
    let reported = load_file(Path::new(SCENARIO))?;
    let obs = read_observed(Path::new(&observed), &reported)?;
    let n_used = obs.iter().filter(|o| o.date <= until).count();
    println!(
        "calibrating {SCENARIO} against {observed}: {n_used} observations up to {until}, \
         {REPLICATIONS} replications per candidate, seed {SEED} (common random numbers)"
    );
    let candidates = grid(&NEVER, &TAIL_MEAN, &CAPACITY);
    let started = Instant::now();
    let mut scored: Vec<Scored> = Vec::with_capacity(candidates.len());
    for p in &candidates {
        scored.push(score(&reported, &obs, until, p, REPLICATIONS, SEED)?);
    }
    println!(
        "{} candidates in {:.0} s",
        scored.len(),
        started.elapsed().as_secs_f64()
    );

    let mut csv = String::from("never,tail_mean_days,capacity,rmse,inside_90,observations\n");
    for s in &scored {
        csv.push_str(&format!(
            "{},{},{},{:.1},{},{}\n",
            s.params.never,
            s.params.tail_mean,
            s.params.capacity,
            s.rmse,
            s.inside90,
            s.fit.rows.len()
        ));
    }
    let written = output_dir(update).join("calibration-2021.csv");
    std::fs::create_dir_all(output_dir(update))?;
    std::fs::write(&written, &csv)?;

    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by(|&a, &b| scored[a].rmse.total_cmp(&scored[b].rmse));
    println!("\nbest candidates (RMSE of the median, people):");
    println!("  never  tail mean  capacity   RMSE  inside 90%");
    for &i in order.iter().take(10) {
        let s = &scored[i];
        println!(
            "  {:>5.2}  {:>7.0} d  {:>8.2}  {:>5.0}  {:>3} of {}",
            s.params.never,
            s.params.tail_mean,
            s.params.capacity,
            s.rmse,
            s.inside90,
            s.fit.rows.len()
        );
    }
    let best = scored[order[0]].clone();
    let b = best.params;

    println!("\nsensitivity: RMSE when one unknown moves and the others stay at the optimum");
    let profile = |name: &str,
                   values: &[f64],
                   pick: &dyn Fn(&Params) -> f64,
                   same: &dyn Fn(&Params) -> bool| {
        let mut line = format!("  {name:<10}");
        for v in values {
            let s = scored
                .iter()
                .find(|s| same(&s.params) && (pick(&s.params) - v).abs() < 1e-9);
            if let Some(s) = s {
                let mark = if (pick(&b) - v).abs() < 1e-9 {
                    "*"
                } else {
                    " "
                };
                line.push_str(&format!("  {v}:{:.0}{mark}", s.rmse));
            }
        }
        println!("{line}");
    };
    profile("never", &NEVER, &|p| p.never, &|p| {
        p.tail_mean == b.tail_mean && p.capacity == b.capacity
    });
    profile("tail mean", &TAIL_MEAN, &|p| p.tail_mean, &|p| {
        p.never == b.never && p.capacity == b.capacity
    });
    profile("capacity", &CAPACITY, &|p| p.capacity, &|p| {
        p.never == b.never && p.tail_mean == b.tail_mean
    });

    // What the grid cannot say: an optimum at its edge may lie beyond it, and a flat profile
    // means the data do not choose the value.
    let within = |r: f64| r <= best.rmse * (1.0 + RIDGE_TOLERANCE);
    let mut warnings = Vec::new();
    for (name, values, chosen, same) in [
        (
            "never",
            &NEVER[..],
            b.never,
            &(|p: &Params| p.tail_mean == b.tail_mean && p.capacity == b.capacity)
                as &dyn Fn(&Params) -> bool,
        ),
        ("tail mean", &TAIL_MEAN[..], b.tail_mean, &|p: &Params| {
            p.never == b.never && p.capacity == b.capacity
        }),
        ("capacity", &CAPACITY[..], b.capacity, &|p: &Params| {
            p.never == b.never && p.tail_mean == b.tail_mean
        }),
    ] {
        if chosen == values[0] || chosen == values[values.len() - 1] {
            warnings.push(format!(
                "warning: the chosen {name} ({chosen}) is at the edge of its grid ({} to {}): \
                 the optimum may lie beyond it; widen the grid",
                values[0],
                values[values.len() - 1]
            ));
        }
        let profile: Vec<f64> = scored
            .iter()
            .filter(|s| same(&s.params))
            .map(|s| s.rmse)
            .collect();
        if profile.len() > 1 && profile.iter().all(|&r| within(r)) {
            warnings.push(format!(
                "warning: the {name} profile is flat: every value scores within {:.0}% of the \
                 best RMSE, so the data do not choose it",
                RIDGE_TOLERANCE * 100.0
            ));
        }
    }
    if !warnings.is_empty() {
        println!();
    }
    for w in &warnings {
        println!("{w}");
    }
    let ridge: Vec<&Scored> = order
        .iter()
        .map(|&i| &scored[i])
        .filter(|s| within(s.rmse))
        .collect();
    println!(
        "\nnear-optimal ridge: {} candidate{} within {:.0}% of the best RMSE ({:.0} people):",
        ridge.len(),
        if ridge.len() == 1 { "" } else { "s" },
        RIDGE_TOLERANCE * 100.0,
        best.rmse * (1.0 + RIDGE_TOLERANCE)
    );
    for s in &ridge {
        println!(
            "  never {:.2}, tail mean {:>3.0} d, capacity {:.2}: RMSE {:.1}",
            s.params.never, s.params.tail_mean, s.params.capacity, s.rmse
        );
    }

    println!(
        "\nchosen: never = {}, registration tail mean = {} d, capacity multiplier = {} \
         (RMSE {:.0}, {} of {} observations inside the 90% band)",
        b.never,
        b.tail_mean,
        b.capacity,
        best.rmse,
        best.inside90,
        best.fit.rows.len()
    );
    println!("\n[registration.delay] for the chosen tail mean:\ndist = \"empirical\"");
    println!("{}", registration_delay_toml(b.tail_mean));
    println!("\nfit of the chosen candidate:");
    print!("{}", clearance::observed::fit_table(&best.fit));
    println!("\nwrote {}", written.display());

    // What docs/case-study-2021.md and scenarios/mpp-2021-record.toml take from this run, with
    // the bundled observations (another file may choose otherwise).
    if observed == DEFAULT_OBSERVED {
        assert_eq!(
            (b.never, b.tail_mean, b.capacity),
            (0.45, 120.0, 0.8),
            "the chosen candidate is the one the case study and the scenario use"
        );
        assert!(
            (best.rmse - 240.6).abs() < 0.1,
            "RMSE {} (the case study quotes 240.6)",
            best.rmse
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            ridge
                .iter()
                .map(|s| (s.params.never, s.params.tail_mean, s.params.capacity))
                .collect::<Vec<_>>(),
            [(0.45, 120.0, 0.8), (0.50, 60.0, 0.8), (0.55, 15.0, 0.8)],
            "the ridge the case study names"
        );
        assert_eq!(scored.len(), NEVER.len() * TAIL_MEAN.len() * CAPACITY.len());
        let scenario = std::fs::read_to_string(SCENARIO)?;
        assert!(
            scenario.contains("\nnever = 0.45\n"),
            "the scenario's never is the chosen"
        );
    }
    // The scores the case study cites are these, to the byte (unless just written there).
    if observed == DEFAULT_OBSERVED && !update {
        let committed = std::fs::read_to_string(SCORES_CSV)
            .map_err(|e| format!("could not read the committed {SCORES_CSV}: {e}"))?;
        assert!(
            committed == csv,
            "{} (just computed) differs from the committed {SCORES_CSV}: if the change is \
             meant, rewrite it with `cargo run --release --example calibrate_2021 -- \
             {UPDATE_DOCS}` and commit it; if not, undo the change that moved it",
            written.display()
        );
        println!("the same as the committed {SCORES_CSV}");
    }
    Ok(())
}
