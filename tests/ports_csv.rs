//! `ports.csv`, the tidy per-port statistics a run writes beside `summary.json` (`run --out`,
//! `run --extend`, `merge`): one row per port and metric, each cell the field of the STAT that
//! `summary.json`'s `ports[]` holds, an empty cell for a `null`; the same bytes for any thread
//! count.

use assert_cmd::Command;
use std::path::Path;

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

/// Three ports: `Servers` has servers (a utilization), `Quota` a quota alone (unlimited
/// capacity: utilization null), `Closed` opens after the horizon (nobody reaches it: its wait
/// is null, and no server time is offered).
const SCENARIO: &str = r#"
[scenario]
name = "three ports"
start_date = "2021-02-19"
horizon = "60d"
replications = 4

[backlog]
people = 600

[[origin]]
name = "O"

[dispatch]
choose_port = "shortest_queue"

[[route]]
from = "O"
to = "Servers"

[[route]]
from = "O"
to = "Quota"

[[route]]
from = "O"
to = "Closed"

[[port]]
name = "Servers"
quota_per_day = 40
servers = 2
service = { dist = "exponential", mean = "30min" }

[[port]]
name = "Quota"
quota_per_day = 30

[[port]]
name = "Closed"
quota_per_day = 30
opens = "100d"
"#;

const STAT_FIELDS: [&str; 11] = [
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "min",
    "p5",
    "p50",
    "p90",
    "p95",
    "max",
    "n",
];

/// `clearance run SCENARIO --out DIR` with `extra` arguments (without charts: a shard draws
/// none anyway); its output on failure.
fn run_into(scn: &Path, dir: &Path, extra: &[&str]) {
    let shard = extra.contains(&"--shard");
    let out = clearance()
        .arg("run")
        .arg(scn)
        .arg("--quiet")
        .args((!shard).then_some("--no-charts"))
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of `dir`'s ports.csv (header first), read with a CSV reader.
fn ports_rows(dir: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(dir.join("ports.csv"))
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Every cell of `dir`'s ports.csv is the field of summary.json's `ports[]` it names: the
/// ports in the summary's order, three metrics each with their units, a number equal to the
/// JSON's (read back as the same f64; `n` as the same integer) and an empty cell for a `null`
/// (or absent) field. Returns the rows.
fn assert_ports_csv_is_the_summary(dir: &Path) -> Vec<Vec<String>> {
    let rows = ports_rows(dir);
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.join("summary.json"))).unwrap();
    let ports = summary["ports"].as_array().unwrap();
    let mut header = vec!["port", "metric", "unit"];
    header.extend(STAT_FIELDS);
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), 1 + 3 * ports.len());
    let mut at = 1;
    for p in ports {
        for (metric, unit) in [
            ("processed", "people"),
            ("wait_days", "days"),
            ("utilization", "fraction"),
        ] {
            let row = &rows[at];
            at += 1;
            assert_eq!(row.len(), 14, "{row:?}");
            assert_eq!(row[..3], [p["name"].as_str().unwrap(), metric, unit]);
            let stat = &p[metric];
            for (cell, field) in row[3..].iter().zip(STAT_FIELDS) {
                let json = &stat[field];
                let what = format!("{} {metric} {field}: {cell:?} vs {json}", p["name"]);
                if json.is_null() {
                    assert_eq!(cell, "", "{what}");
                } else if field == "n" {
                    assert_eq!(cell, &json.as_u64().unwrap().to_string(), "{what}");
                } else {
                    let x: f64 = cell.parse().unwrap_or_else(|_| panic!("{what}"));
                    assert_eq!(x, json.as_f64().unwrap(), "{what}");
                }
            }
        }
    }
    rows
}

/// The row of `port`'s `metric`.
fn row<'a>(rows: &'a [Vec<String>], port: &str, metric: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == port && r[1] == metric)
        .unwrap_or_else(|| panic!("no row {port} {metric} in {rows:?}"))
}

/// A run's ports.csv holds summary.json's `ports[]` cell for cell; a `null` STAT (the
/// utilization of a port with a quota alone, the wait at a port nobody reached) is a row of
/// empty cells, and one replication leaves `sd` and the interval empty, as the JSON has them
/// `null`. The same bytes for `--threads 1` and `--threads 2`.
#[test]
fn ports_csv_is_summary_json_s_ports_cell_for_cell() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("three.toml");
    std::fs::write(&scn, SCENARIO).unwrap();
    let (one, two) = (d.path().join("t1"), d.path().join("t2"));
    run_into(&scn, &one, &["--threads", "1"]);
    run_into(&scn, &two, &["--threads", "2"]);
    let rows = assert_ports_csv_is_the_summary(&one);
    assert_eq!(
        rows.iter()
            .skip(1)
            .map(|r| r[0].as_str())
            .collect::<Vec<_>>(),
        [
            "Servers", "Servers", "Servers", "Quota", "Quota", "Quota", "Closed", "Closed",
            "Closed"
        ]
    );
    // What the scenario sets: measured figures where they exist, empty rows where not.
    let full = |r: &[String]| r[3..].iter().all(|c| !c.is_empty());
    let empty = |r: &[String]| r[3..].iter().all(String::is_empty);
    assert!(full(row(&rows, "Servers", "utilization")), "{rows:?}");
    assert!(full(row(&rows, "Servers", "wait_days")), "{rows:?}");
    assert!(empty(row(&rows, "Quota", "utilization")), "{rows:?}");
    assert!(empty(row(&rows, "Closed", "wait_days")), "{rows:?}");
    assert_eq!(row(&rows, "Closed", "processed")[3], "0", "{rows:?}");
    assert_eq!(row(&rows, "Servers", "processed")[13], "4", "{rows:?}");
    assert_eq!(
        read(&one.join("ports.csv")),
        read(&two.join("ports.csv")),
        "ports.csv differs between --threads 1 and --threads 2"
    );

    // One replication: no sd and no interval, as in the JSON.
    let single = d.path().join("single");
    run_into(&scn, &single, &["--replications", "1"]);
    let rows = assert_ports_csv_is_the_summary(&single);
    let r = row(&rows, "Servers", "processed");
    assert!(r[4..7].iter().all(String::is_empty), "{r:?}");
    assert!(!r[3].is_empty() && r[13] == "1", "{r:?}");
}

/// `run --extend` and `merge` write ports.csv too, the same bytes as the run made at once
/// (their summary.json differs from it only in `performance`).
#[test]
fn extend_and_merge_write_ports_csv_as_the_whole_run_does() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("three.toml");
    std::fs::write(&scn, SCENARIO).unwrap();
    let whole = d.path().join("whole");
    run_into(&scn, &whole, &["--replications", "6"]);
    let expected = read(&whole.join("ports.csv"));
    assert_ports_csv_is_the_summary(&whole);

    // Extended from 3 to 6 replications.
    let ext = d.path().join("ext");
    run_into(&scn, &ext, &["--replications", "3"]);
    let three = read(&ext.join("ports.csv"));
    clearance()
        .args(["run", "--extend"])
        .arg(&ext)
        .args(["--replications", "6", "--quiet", "--no-charts"])
        .assert()
        .success();
    let extended = read(&ext.join("ports.csv"));
    assert_ne!(
        extended, three,
        "--extend left the ports.csv of 3 replications"
    );
    assert_eq!(extended, expected);
    assert_ports_csv_is_the_summary(&ext);

    // Merged from two shards, whose directories hold the store alone.
    let shards: Vec<_> = (1..=2).map(|i| d.path().join(format!("s{i}"))).collect();
    for (i, s) in shards.iter().enumerate() {
        let shard = format!("{}/2", i + 1);
        run_into(&scn, s, &["--replications", "6", "--shard", &shard]);
        assert!(!s.join("ports.csv").exists());
    }
    let merged = d.path().join("merged");
    clearance()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(read(&merged.join("ports.csv")), expected);
    assert_ports_csv_is_the_summary(&merged);
}

/// The README gives ports.csv's header as the file has it.
#[test]
fn the_readme_gives_the_header_of_ports_csv() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let header = clearance::output::csv::ports_header().join(",");
    assert!(
        readme.contains(&format!("`ports.csv`: tidy long data, header `{header}`")),
        "the README does not give `ports.csv`'s header {header}"
    );
}
