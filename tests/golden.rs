//! Golden results: a fixed scenario (tests/scenarios/golden.toml, every stage active) and seed
//! must reproduce the committed summary, daily bands and per-replication rows exactly. This pins
//! the model's results across optimisation work; the event count and timings are left out
//! because an optimisation may legitimately process fewer events for the same result, and the
//! version of the build (`clearance_version`) because a release changes it, not the results. A second
//! case, the same scenario with everyone reached and no attrition, pins the milestones t50, t90
//! and t99, which the first case never reaches in full.
//!
//! To re-bless after an intended change of the model: `CLEARANCE_BLESS=1 cargo test --release
//! --test golden`, and say why in the commit. CLEARANCE_BLESS unset, empty or 0 checks; any
//! other value than 1 is an error.

use clearance::experiment::{self, RunOptions};
use clearance::output;
use clearance::scenario::{load_file_with, parse_set, Scenario};
use std::path::Path;

const BLESS: &str = "CLEARANCE_BLESS=1 cargo test --release --test golden";

/// Whether this run rewrites the golden files.
fn blessing() -> bool {
    match std::env::var("CLEARANCE_BLESS").as_deref() {
        Err(_) | Ok("") | Ok("0") => false,
        Ok("1") => true,
        Ok(v) => panic!("CLEARANCE_BLESS={v}: set it to 1 to re-bless, or to 0 or nothing not to"),
    }
}

/// Where two JSON documents first differ, as a key path (`t90_days.ci95_high`).
fn json_difference(path: &str, a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
    use serde_json::Value::{Array, Object};
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Object(x), Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(p) = json_difference(&join(k), va, vb) {
                            return Some(p);
                        }
                    }
                    None => return Some(format!("{} (missing)", join(k))),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{} (new)", join(k)))
        }
        (Array(x), Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(p) = json_difference(&format!("{path}[{i}]"), va, vb) {
                    return Some(p);
                }
            }
            (x.len() != y.len()).then(|| format!("{path} ({} vs {} entries)", x.len(), y.len()))
        }
        _ => (a != b).then(|| path.to_string()),
    }
}

/// For a CSV file, the column and row of the first differing cell.
fn csv_difference(expected: &str, actual: &str, line: usize) -> Option<String> {
    let header: Vec<&str> = expected.lines().next()?.split(',').collect();
    let (e, a) = (expected.lines().nth(line)?, actual.lines().nth(line)?);
    let (e, a): (Vec<&str>, Vec<&str>) = (e.split(',').collect(), a.split(',').collect());
    let col = e.iter().zip(&a).position(|(x, y)| x != y)?;
    Some(format!(
        "column {}, row starting {}",
        header.get(col).unwrap_or(&"?"),
        e.iter().take(3).copied().collect::<Vec<_>>().join(",")
    ))
}

fn check(name: &str, actual: &str) {
    let path = Path::new("tests/golden").join(name);
    if blessing() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; to write it: {BLESS}", path.display()));
    if expected == actual {
        return;
    }
    let (le, la) = (expected.lines().count(), actual.lines().count());
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(le.min(la));
    let what = if name.ends_with(".json") {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
        match (parse(&expected), parse(actual)) {
            (Some(e), Some(a)) => json_difference("", &e, &a).map(|p| format!("field {p}")),
            _ => None,
        }
    } else {
        csv_difference(&expected, actual, line)
    };
    panic!(
        "{} differs from the golden file at line {}{} ({le} lines expected, {la} found):\n \
         expected: {}\n actual:   {}\n\
         If the model's results were meant to change, re-bless with `{BLESS}` and say why in \
         the commit.",
        path.display(),
        line + 1,
        what.map(|w| format!(", {w}")).unwrap_or_default(),
        expected.lines().nth(line).unwrap_or("(end of file)"),
        actual.lines().nth(line).unwrap_or("(end of file)")
    );
}

fn golden(sets: &[&str]) -> Scenario {
    let sets: Vec<_> = sets.iter().map(|s| parse_set(s).unwrap()).collect();
    load_file_with(Path::new("tests/scenarios/golden.toml"), &sets)
        .unwrap()
        .scenario
}

/// The summary without its performance figures and the version of the build that made it: both
/// change without the results changing (the version pinned here would fail every release).
fn summary_text(run: &experiment::RunResult) -> String {
    let mut v = serde_json::to_value(&run.summary).unwrap();
    assert_eq!(v["clearance_version"], env!("CARGO_PKG_VERSION"));
    v.as_object_mut().unwrap().remove("performance");
    v.as_object_mut().unwrap().remove("clearance_version");
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

/// `replications.csv` without its `events` column.
fn replications_text(scn: &Scenario, run: &experiment::RunResult) -> String {
    let reps = output::csv::replications_csv(scn, &run.replications).unwrap();
    let reps = String::from_utf8(reps).unwrap();
    let header: Vec<&str> = reps.lines().next().unwrap().split(',').collect();
    let ev = header.iter().position(|h| *h == "events").unwrap();
    reps.lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(ev);
            cells.join(",") + "\n"
        })
        .collect()
}

#[test]
fn golden_scenario_reproduces_committed_results() {
    let scn = golden(&[]);
    let run = experiment::run(&scn, &RunOptions::default()).unwrap();
    check("summary.json", &summary_text(&run));
    let daily = output::csv::daily_csv(&run.daily).unwrap();
    check("daily.csv", &String::from_utf8(daily).unwrap());
    check("replications.csv", &replications_text(&scn, &run));
}

#[test]
fn golden_milestones_reproduce_committed_results() {
    let scn = golden(&["registration.never=0", "attrition.hazard_per_day=0"]);
    let run = experiment::run(&scn, &RunOptions::default()).unwrap();
    // The case exists to pin every milestone: each replication reaches t99.
    let t = &run.summary.t_not_reached;
    assert_eq!((t.t50, t.t90, t.t99), (0, 0, 0), "{t:?}");
    check("milestones-summary.json", &summary_text(&run));
    check(
        "milestones-replications.csv",
        &replications_text(&scn, &run),
    );
}

#[test]
fn a_difference_is_named_by_its_field() {
    let a: serde_json::Value =
        serde_json::from_str(r#"{"t50_days": {"mean": 1.0}, "t90_days": {"ci95_high": 2.0}}"#)
            .unwrap();
    let mut b = a.clone();
    b["t90_days"]["ci95_high"] = 3.0.into();
    assert_eq!(
        json_difference("", &a, &b).as_deref(),
        Some("t90_days.ci95_high")
    );
    assert_eq!(json_difference("", &a, &a), None);
    let (e, x) = (
        "day,series,p50\n0,remaining,5\n",
        "day,series,p50\n0,remaining,6\n",
    );
    assert_eq!(
        csv_difference(e, x, 1).as_deref(),
        Some("column p50, row starting 0,remaining,5")
    );
}

/// The golden per-replication rows and daily bands, as committed, with the results version
/// they are of: re-blessing them for a change of results without raising
/// `clearance::RESULTS_VERSION` fails here, so that stores written before the change are not
/// merged with or extended by replications of the build after it.
const GOLDEN_RESULTS: (u32, u64) = (1, 0x30fa_86b5_c8a5_f363);

#[test]
fn the_results_version_is_raised_with_the_golden_results() {
    let mut digest = clearance::hash::FNV1A_EMPTY;
    for f in [
        "replications.csv",
        "daily.csv",
        "milestones-replications.csv",
    ] {
        let bytes = std::fs::read(Path::new("tests/golden").join(f)).unwrap();
        digest = clearance::hash::fnv1a_extend(digest, &bytes);
    }
    assert_eq!(
        (clearance::RESULTS_VERSION, digest),
        GOLDEN_RESULTS,
        "the golden results or clearance::RESULTS_VERSION changed: when the golden files were \
         re-blessed for a change of results, raise RESULTS_VERSION in src/lib.rs (not for a \
         new column or a change of wording); then set GOLDEN_RESULTS in tests/golden.rs to \
         (RESULTS_VERSION, {digest:#x})"
    );
}
