//! Load the bundled baseline scenario, run 50 replications and read the answers a planner asks
//! for: median clearance date, its uncertainty, and each port's share of the work.

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
    for p in &s.ports {
        let processed = p.processed.as_ref().unwrap();
        println!("  {:<14} {:>8.0} people", p.name, processed.mean);
    }
    assert_eq!(s.replications, 50);
    assert!(c.p5 <= c.p50 && c.p50 <= c.p95);
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
