//! Compare the announced plan with the two-port variant, replication by replication, and read
//! the per-replication results as a researcher would (the rows behind replications.csv).

use clearance::experiment::{self, RunOptions};
use clearance::scenario::load_file;
use clearance::stats::Stat;
use std::path::Path;

fn main() {
    let opts = RunOptions {
        replications: Some(40),
        ..Default::default()
    };
    let base = load_file(Path::new("scenarios/baseline.toml")).unwrap();
    let two = load_file(Path::new("scenarios/two-ports.toml")).unwrap();
    let a = experiment::run(&base, &opts).unwrap();
    let b = experiment::run(&two, &opts).unwrap();
    // The records of a run live in a temporary file; `to_vec` reads them back in index order.
    let (ra, rb) = (
        a.replications.to_vec().unwrap(),
        b.replications.to_vec().unwrap(),
    );
    let diffs: Vec<f64> = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| y.clearance_days - x.clearance_days)
        .collect();
    let d = Stat::of(&diffs).unwrap();
    println!(
        "two ports instead of three: clearance changes by {:+.1} days (95% CI {:+.1} to {:+.1})",
        d.mean,
        d.ci95_low.unwrap(),
        d.ci95_high.unwrap()
    );
    assert_eq!(diffs.len(), 40);
    // Same seeds: replication i of both runs draws from the same (seed, i) streams.
    assert!(ra.iter().zip(&rb).all(|(x, y)| x.seed == y.seed));
    assert!(b.summary.ports.len() < a.summary.ports.len());
}
