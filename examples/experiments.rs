//! The experiments as a researcher calls them from code, each checked against what it must
//! find: a paired comparison with common random numbers, a one-factor sweep, goal seeking (the
//! fewest screening servers that clear by a date) and a sensitivity (tornado) table, and the
//! typed error of factors that cannot be varied as given.
//!
//! `cargo run --release --example experiments` (run from the repository's top level).

use clearance::experiment::compare::{compare, CompareOptions};
use clearance::experiment::sensitivity::{self, SensFactor};
use clearance::experiment::sweep::{self, Factor};
use clearance::experiment::target::{self, Search};
use clearance::experiment::{ExperimentError, RunOptions};
use clearance::scenario::{load_file, load_file_with, parse_set};
use std::path::Path;

/// `v` with one decimal and its sign, never "-0.0" (a negative change rounding to zero reads
/// "+0.0").
fn signed(v: f64) -> String {
    let s = format!("{v:+.1}");
    match s.strip_prefix('-') {
        Some(digits) if digits.chars().all(|c| c == '0' || c == '.') => format!("+{digits}"),
        _ => s,
    }
}

fn main() {
    let path = Path::new("scenarios/baseline.toml");
    let opts = RunOptions {
        replications: Some(30),
        ..Default::default()
    };

    // 1. Paired comparison: the announced plan against El Paso at 400 a day, on the same random
    //    numbers (common random numbers), so that the difference is measured sharply.
    let a = load_file(path).unwrap();
    let b = load_file_with(
        path,
        &[parse_set("port[El Paso].quota_per_day=400").unwrap()],
    )
    .unwrap()
    .scenario;
    let c = compare(
        &a,
        &b,
        &CompareOptions {
            replications: 30,
            independent: false,
            measure_variance_reduction: false,
        },
        &opts,
    )
    .unwrap();
    let t50 = c.kpis.iter().find(|k| k.kpi == "t50_days").unwrap();
    let d = t50.diff.as_ref().unwrap();
    println!(
        "El Paso at 400/day: half the people processed {:.1} days sooner (95% CI {:.1} to {:.1})",
        -d.mean,
        -d.ci95_high.unwrap(),
        -d.ci95_low.unwrap()
    );
    // A higher quota cannot make the 50% milestone later.
    assert!(d.ci95_high.unwrap() <= 0.0);
    // The KPIs' `diff` is the mean of the paired differences; the difference of the median
    // clearances, with its paired-bootstrap 95% interval (drawn from a stream seeded by the
    // comparison's seed), is `clearance_p50_diff`. Here it is about 0: registration sets the
    // clearance day (`clearance explain`), so a faster port moves t50, not clearance.
    let m = c.clearance_p50_diff;
    let (med, lo, hi) = (
        m.diff_days.unwrap(),
        m.ci95_low.unwrap(),
        m.ci95_high.unwrap(),
    );
    println!(
        "  median clearance B − median A: {} days (95% CI {} to {})",
        signed(med),
        signed(lo),
        signed(hi)
    );
    let clear = c.kpis.iter().find(|k| k.kpi == "clearance_days").unwrap();
    let p50 = |s: &Option<clearance::experiment::kpi::KpiStat>| s.as_ref().unwrap().stat.p50;
    assert_eq!(
        med,
        p50(&clear.b) - p50(&clear.a),
        "the medians' difference"
    );
    assert!(lo <= med && med <= hi);

    // 2. Sweep over screening servers: every point runs with the same seeds.
    let factors = [Factor {
        path: "screening.servers".into(),
        values: [10, 20, 40].map(clearance::toml::Value::Integer).to_vec(),
        origin: "example".into(),
    }];
    let points = sweep::load_points(path, &[], &factors).unwrap();
    let scns: Vec<_> = points.iter().map(|l| &l.scenario).collect();
    let results = sweep::run_points(&scns, 0..30, &opts).unwrap();
    let rows = sweep::rows(&factors, &scns, &results).unwrap();
    let p50: Vec<f64> = rows
        .iter()
        .map(|r| r.kpi("clearance_days").unwrap().stat.p50)
        .collect();
    for (r, p) in rows.iter().zip(&p50) {
        println!(
            "screening servers {}: median clearance {p:.1} days",
            r.values[0]
        );
    }
    // More screening servers never clear later.
    assert!(p50.windows(2).all(|w| w[1] <= w[0] + 1.0), "{p50:?}");

    // 3. Goal seeking: the fewest screening servers for P90 clearance by 2021-08-31.
    let search = Search {
        vary: "screening.servers".into(),
        goal: "p90(clearance_days) <= 2021-08-31".parse().unwrap(),
        min: 4,
        max: 40,
        step: 2,
        unit: None,
    };
    let t = target::search(path, &[], &search, &opts).unwrap();
    println!("{}", t.message);
    let found = t.found.as_ref().expect("some server count meets the goal");
    assert!(found.met && (4..=40).contains(&found.value));
    // The value below it (if searched) misses the goal: the answer is the smallest.
    if let Some(n) = &t.neighbour {
        assert!(!n.met && n.value < found.value);
    }

    // 4. Sensitivity: clearance with each factor at a low and a high value.
    let factors = [
        SensFactor {
            path: "screening.servers".into(),
            low: clearance::toml::Value::Integer(20),
            high: clearance::toml::Value::Integer(60),
        },
        SensFactor {
            path: "health.positive".into(),
            low: clearance::toml::Value::Float(0.0),
            high: clearance::toml::Value::Float(0.1),
        },
    ];
    let s = sensitivity::run(path, &[], &factors, &opts).unwrap();
    for r in &s.factors {
        // The change of P90 from low to high, with its 95% interval (a paired bootstrap of the
        // replications, which share their seeds across settings).
        let (lo, hi) = (r.diff_p90_ci95_low.unwrap(), r.diff_p90_ci95_high.unwrap());
        println!(
            "{} ({} / {}): P90 clearance {:.1} / {:.1} days, change {} [{}, {}]",
            r.factor,
            r.low,
            r.high,
            r.at_low.p90,
            r.at_high.p90,
            signed(r.at_high.p90 - r.at_low.p90),
            signed(lo),
            signed(hi)
        );
        assert!(lo <= hi);
    }
    // More positives (10% against none) hold more people in isolation at the end: the P90
    // moves later, and its interval says so.
    let positive = s
        .factors
        .iter()
        .find(|r| r.factor == "health.positive")
        .unwrap();
    assert!(positive.diff_p90_ci95_low.unwrap() > 0.0);
    // Rows come largest swing first.
    assert!(s
        .factors
        .windows(2)
        .all(|w| w[0].swing_p90 >= w[1].swing_p90));
    assert_eq!(s.factors.len(), 2);

    // Factors that cannot be varied as given are refused before anything runs, with a typed
    // error (goal seeking's problems are `ExperimentError`s too): here the high value first.
    let backwards = [SensFactor {
        path: "screening.servers".into(),
        low: clearance::toml::Value::Integer(60),
        high: clearance::toml::Value::Integer(20),
    }];
    match sensitivity::run(path, &[], &backwards, &opts) {
        Err(ExperimentError::Sensitivity(e)) => {
            println!("refused: {e}");
            assert!(matches!(
                e,
                sensitivity::SensitivityError::LowAboveHigh { .. }
            ));
        }
        other => panic!("the factor was not refused: {other:?}"),
    }
}
