//! Golden results: a fixed scenario (tests/scenarios/golden.toml, every stage active) and seed
//! must reproduce the committed summary, daily bands and per-replication rows exactly. This pins
//! the model's results across optimisation work; the event count and timings are left out
//! because an optimisation may legitimately process fewer events for the same result.
//!
//! To re-bless after an intended change of the model: `CLEARANCE_BLESS=1 cargo test --release
//! --test golden`, and say why in the commit.

use clearance::experiment::{self, RunOptions};
use clearance::output;
use clearance::scenario::load_file;
use std::path::Path;

fn check(name: &str, actual: &str) {
    let path = Path::new("tests/golden").join(name);
    if std::env::var_os("CLEARANCE_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("golden file present");
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n expected: {}\n actual:   {}",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn golden_scenario_reproduces_committed_results() {
    let scn = load_file(Path::new("tests/scenarios/golden.toml")).unwrap();
    let run = experiment::run(&scn, &RunOptions::default()).unwrap();
    let mut v = serde_json::to_value(&run.summary).unwrap();
    v.as_object_mut().unwrap().remove("performance");
    check(
        "summary.json",
        &(serde_json::to_string_pretty(&v).unwrap() + "\n"),
    );
    let daily = output::csv::daily_csv(&run.daily).unwrap();
    check("daily.csv", &String::from_utf8(daily).unwrap());
    let reps = output::csv::replications_csv(&scn, &run.replications).unwrap();
    let reps = String::from_utf8(reps).unwrap();
    // Drop the `events` column.
    let header: Vec<&str> = reps.lines().next().unwrap().split(',').collect();
    let ev = header.iter().position(|h| *h == "events").unwrap();
    let stripped: String = reps
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(ev);
            cells.join(",") + "\n"
        })
        .collect();
    check("replications.csv", &stripped);
}
