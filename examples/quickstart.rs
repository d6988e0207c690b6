//! Load the bundled baseline scenario, run 50 replications and read the answers a planner asks
//! for: median clearance date, the spread of the runs, the 95% confidence interval of the median
//! date, and each port's share of the work.

use clearance::experiment::{self, RunOptions};
use clearance::scenario::load_file;
use std::path::Path;

fn main() {
    let scn = load_file(Path::new("scenarios/baseline.toml")).expect("baseline is valid");
    let opts = RunOptions {
        replications: Some(50),
        ..Default::default()
    };
    let run = experiment::run(&scn, &opts).expect("run");
    let s = &run.summary;
    let c = s.clearance_days.as_ref().expect("clearance statistics");
    println!(
        "{}: median clearance after {:.1} days ({}), the middle 90% of runs between {:.1} and {:.1} days",
        s.scenario.name,
        c.p50,
        scn.date_of(c.p50),
        c.p5,
        c.p95
    );
    // The median date's own uncertainty, from the replications run: its 95% confidence
    // interval (an end is None when too few replications bound it; give more of them).
    let ci = &s
        .clearance_quantile_ci95
        .as_ref()
        .expect("an interval of the median")
        .p50;
    let (low, high) = (
        ci.low_date
            .as_deref()
            .expect("50 replications bound the median"),
        ci.high_date
            .as_deref()
            .expect("50 replications bound the median"),
    );
    println!(
        "  median clearance date {}, 95% confidence interval {low} to {high}{}",
        scn.date_of(c.p50),
        if ci.high_censored { " or later" } else { "" }
    );
    for p in &s.ports {
        let processed = p.processed.as_ref().unwrap();
        println!("  {:<14} {:>8.0} people", p.name, processed.mean);
    }
    assert_eq!(s.replications, 50);
    assert!(c.p5 <= c.p50 && c.p50 <= c.p95);
    let (low_days, high_days) = (ci.low_days.unwrap(), ci.high_days.unwrap());
    assert!(
        low_days <= c.p50 && c.p50 <= high_days,
        "the interval holds the median"
    );
    assert_eq!(
        low,
        scn.date_of(low_days).to_string(),
        "dates are those of the days"
    );
    assert!(low <= high);
    let by_ports: f64 = s
        .ports
        .iter()
        .map(|p| p.processed.as_ref().unwrap().mean)
        .sum();
    let processed = s.people.processed.as_ref().unwrap().mean;
    assert!(
        by_ports >= processed - 1e-6,
        "ports processed everyone who was processed"
    );
}
