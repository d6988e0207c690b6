//! A planner writing a scenario from scratch: what `validate`, `explain`, `run` and `target`
//! say about an inflow counted in groups, an inflow that outpaces capacity, and a goal sought
//! over a duration key.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

/// `text` written as `name` in `dir`.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// What a successful `clearance ARGS` printed on stdout.
fn stdout_of(args: &[&str]) -> String {
    let out = clearance()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

/// A small backlog of groups of 2 walking to one port that takes 20 people a day, and an
/// inflow of `rate` groups a day for 20 days.
fn inflow_scenario(rate: &str) -> String {
    format!(
        r#"
[scenario]
name = "inflow"
start_date = "2024-03-04"
horizon = "30d"
replications = 2
[backlog]
people = 10
group_size = 2
[[origin]]
name = "Camp"
[[route]]
from = "Camp"
to = "Gate"
departures = "continuous"
travel = "1h"
[[port]]
name = "Gate"
quota_per_day = 20
[inflow]
rate_per_day = {rate}
until = "20d"
"#
    )
}

/// 15 groups of 2 a day (30 people) against 20 people a day at the port: `explain`, its JSON,
/// the run's table, summary.json and the report warn that the queue grows, the run with the
/// arrivals it left unprocessed; 5 groups a day (10 people) draw no warning.
#[test]
fn an_inflow_that_outpaces_capacity_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let over = write(dir.path(), "over.toml", &inflow_scenario("15"));
    let over = over.to_str().unwrap();
    let explain = stdout_of(&["explain", over]);
    assert!(
        explain.contains(
            "warning: the inflow outpaces capacity: about 30 people a day arrive (15 groups a \
             day × the mean group size 2.00) on days 0–19, more than the 20 people a day the \
             ports can pass"
        ),
        "{explain}"
    );
    assert!(explain.contains("the queue grows while the inflow lasts"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", over, "--json"])).unwrap();
    let o = &json["inflow_overload"];
    assert_eq!(o["stage"], "ports");
    assert_eq!(o["people_per_day"], 30.0);
    assert_eq!(o["capacity_per_day"], 20.0);
    assert_eq!(o["to_day"], 19);

    let out = dir.path().join("out");
    let table = stdout_of(&[
        "run",
        over,
        "--quiet",
        "--report",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    let line = table
        .lines()
        .find(|l| l.contains("the inflow outpaces capacity"))
        .unwrap_or_else(|| panic!("no warning in\n{table}"));
    assert!(line.starts_with("  warning: "), "{line}");
    assert!(
        line.contains("inflow arrivals were not processed by the end of a run"),
        "{line}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let warnings = summary["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .starts_with("the inflow outpaces capacity")),
        "{warnings:?}"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("Warning: the inflow outpaces capacity"),
        "no warning in the report"
    );

    let under = write(dir.path(), "under.toml", &inflow_scenario("5"));
    let under = under.to_str().unwrap();
    assert!(!stdout_of(&["explain", under]).contains("outpaces"));
    assert!(!stdout_of(&["run", under, "--quiet"]).contains("outpaces"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", under, "--json"])).unwrap();
    assert!(json["inflow_overload"].is_null());
}

/// `rate_per_day` counts groups: `validate` and the run's table say how many people a day that
/// is at the mean group size, as a note (`--deny-warnings` still passes); with groups of one
/// there is nothing to say.
#[test]
fn an_inflow_in_groups_is_restated_in_people() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "s.toml", &inflow_scenario("5"));
    let p = p.to_str().unwrap();
    let note = "note: inflow.rate_per_day counts groups: 5 groups a day ≈ 10 people a day at \
                the mean group size 2.00";
    let v = stdout_of(&["validate", p, "--deny-warnings"]);
    assert!(v.contains(note), "{v}");
    let run = stdout_of(&["run", p, "--quiet"]);
    assert!(run.contains(note), "{run}");
    let one = write(
        dir.path(),
        "one.toml",
        &inflow_scenario("5").replace("group_size = 2\n", ""),
    );
    assert!(!stdout_of(&["validate", one.to_str().unwrap()]).contains("counts groups"));
}
