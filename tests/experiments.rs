//! The experiment layer as a user meets it: `--set` overrides and `extends` inheritance, paired
//! comparison with common random numbers (and the variance reduction it buys), sweeps, precision
//! targets (thread-count independent, extendable), goal seeking, sensitivity, and shards merged
//! into exactly the single-machine result.

use assert_cmd::Command;
use clearance::experiment::compare::{compare, CompareOptions};
use clearance::experiment::precision::{run_to_precision, Precision};
use clearance::experiment::RunOptions;
use clearance::scenario::{self, parse_set};
use std::path::Path;

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = clearance()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(args)).unwrap()
}

/// Copy a store's run.json without the digests of its files, as stores written before they were
/// recorded have it.
fn copy_meta_without_digests(from: &Path, to: &Path) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from.join("run.json")).unwrap()).unwrap();
    let o = v.as_object_mut().unwrap();
    assert!(o.remove("lines_digest").is_some() && o.remove("daily_digest").is_some());
    std::fs::write(to.join("run.json"), v.to_string()).unwrap();
}

fn without_performance(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("performance");
    v
}

// ---------------------------------------------------------------------------------------------
// 1. Overrides and inheritance

#[test]
fn set_overrides_values_and_names_bad_paths() {
    let v = json(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "scenario.replications=6",
        "--set",
        "port[San Ysidro].quota_per_day=400",
        "--set",
        "route[Tijuana->San Ysidro].seats=60",
        "--json",
        "--quiet",
    ]);
    assert_eq!(v["replications"], 6);

    let out = clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "port[San Ysidro].quota_per_dya=400",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("port[San Ysidro].quota_per_dya"), "{err}");
    assert!(err.contains("did you mean \"quota_per_day\""), "{err}");

    for (set, needle) in [
        ("port[San Ysidor].servers=3", "did you mean \"San Ysidro\""),
        ("scenaro.seed=3", "did you mean \"scenario\""),
        ("port[El Paso].quota_per_day=-5", "negative"),
    ] {
        let out = clearance()
            .args(["validate", "scenarios/baseline.toml", "--set", set])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert!(err.contains(needle), "{set}: {err}");
        assert!(err.contains("--set"), "{set}: {err}");
    }
}

/// A name changed with `--set` is `--set`'s: its errors say so, and the element's other keys
/// (the port's missing servers and quota) stay the file's. The name's errors had been placed
/// on the file's `name = "P"` line, whose fix ("write name = \"P\"") it already was, and the
/// file's port warned of as `--set`'s, since the path `port[P].name` no longer named the
/// element the override had renamed.
#[test]
fn a_name_set_on_the_command_line_is_reported_as_set_there() {
    let d = tempfile::tempdir().unwrap();
    let min = d.path().join("min.toml");
    std::fs::write(
        &min,
        "[scenario]\nname = \"min\"\n[backlog]\npeople = 10\n[[origin]]\nname = \"O\"\n\
         [[port]]\nname = \"Q\"\nservers = 1\n[[port]]\nname = \"P\"\n\
         [[route]]\nfrom = \"O\"\nto = \"P\"\n[[route]]\nfrom = \"O\"\nto = \"Q\"\n",
    )
    .unwrap();
    let m = min.display();
    let cases = [
        (
            "port[P].name=\"“P”\"",
            vec![
                "error: --set: port[“P”].name: the text \"“P”\" begins and ends with curly"
                    .to_string(),
                format!("warning: {m}:10:1: port[P]: port P has neither servers nor quota_per_day"),
            ],
        ),
        (
            "port[P].name=\"a:b\"",
            vec![
                "error: --set: port[a:b].name: port name \"a:b\" contains ':'".to_string(),
                format!("error: {m}:14:1: route[1].to: unknown port \"P\""),
            ],
        ),
        // The element by its position.
        (
            "port[2].name=\"a:b\"",
            vec!["error: --set: port[a:b].name: port name \"a:b\" contains ':'".to_string()],
        ),
    ];
    for (set, wanted) in cases {
        let out = clearance()
            .arg("validate")
            .arg(&min)
            .args(["--set", set])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{set}: {err}");
        for w in &wanted {
            assert!(err.contains(w.as_str()), "{set}: {w}\n{err}");
        }
        assert!(!err.contains(&format!("{m}:11:")), "{set}: {err}");
        assert!(!err.contains("--set: port[P]:"), "{set}: {err}");
    }
}

#[test]
fn set_changes_the_simulated_scenario() {
    let base = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
    let ov = vec![parse_set("port[El Paso].quota_per_day=450").unwrap()];
    let l = scenario::load_file_with(Path::new("scenarios/baseline.toml"), &ov).unwrap();
    let i = base.ports.iter().position(|p| p.name == "El Paso").unwrap();
    assert_ne!(
        format!("{:?}", base.ports[i]),
        format!("{:?}", l.scenario.ports[i])
    );
    assert_eq!(l.table["port"][1]["quota_per_day"].as_integer(), Some(450));
}

#[test]
fn extends_merges_over_the_base_and_detects_cycles() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    std::fs::write(d.path().join("base.toml"), &base).unwrap();
    std::fs::create_dir(d.path().join("v")).unwrap();
    let variant = d.path().join("v/variant.toml");
    std::fs::write(
        &variant,
        "extends = \"../base.toml\"\n[scenario]\nname = \"variant\"\nreplications = 7\n\
         [[port]]\nname = \"San Ysidro\"\nquota_per_day = 500\n\
         [[port]]\nname = \"Nogales\"\nquota_per_day = 50\nservers = 2\n\
         [[route]]\nfrom = \"Tijuana\"\nto = \"Nogales\"\ndepartures = \"continuous\"\n",
    )
    .unwrap();
    let s = scenario::load_file(&variant).unwrap();
    let f = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
    assert_eq!(s.name, "variant");
    assert_eq!(s.replications, 7);
    assert_eq!(s.seed, f.seed, "unset keys come from the base");
    assert_eq!(s.ports.len(), 4, "a new name is appended");
    assert_eq!(s.ports[0].name, "San Ysidro");
    assert_eq!(s.routes.len(), 4);
    // merged element keeps its other keys
    assert_eq!(
        format!("{:?}", s.ports[0].service),
        format!("{:?}", f.ports[0].service)
    );

    // an error in a key that only the base has is located in the base file
    std::fs::write(
        d.path().join("bad-base.toml"),
        base.replace("positive = 0.03", "positive = 3.0"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("uses-bad.toml"),
        "extends = \"bad-base.toml\"\n[scenario]\nname = \"x\"\n",
    )
    .unwrap();
    let e = scenario::load_file(&d.path().join("uses-bad.toml")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("bad-base.toml:"), "{msg}");
    assert!(msg.contains("health.positive"), "{msg}");

    // cycles name the files
    std::fs::write(d.path().join("a.toml"), "extends = \"b.toml\"\n").unwrap();
    std::fs::write(d.path().join("b.toml"), "extends = \"a.toml\"\n").unwrap();
    let e = scenario::load_file(&d.path().join("a.toml")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("extends cycle"), "{msg}");
    assert!(msg.contains("a.toml") && msg.contains("b.toml"), "{msg}");

    // a missing base names the file that says extends
    std::fs::write(d.path().join("c.toml"), "extends = \"nope.toml\"\n").unwrap();
    let msg = scenario::load_file(&d.path().join("c.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("c.toml:1") && msg.contains("nope.toml"),
        "{msg}"
    );
}

/// `file:line:col: key` of every diagnostic, with the directory left off the file.
fn located(e: &scenario::ScenarioError) -> Vec<String> {
    e.diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&d.file)
                .file_name()
                .map_or(d.file.clone(), |f| f.to_string_lossy().into_owned());
            format!(
                "{file}:{}:{}: {}",
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.key.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn extends_errors_in_unnamed_elements_are_located_where_the_key_is_written() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    std::fs::write(d.path().join("base.toml"), &base).unwrap();
    let load = |name: &str, text: &str| {
        let p = d.path().join(name);
        std::fs::write(&p, text).unwrap();
        scenario::load_file(&p).unwrap_err()
    };

    // merged into the base's second route (named by FROM->TO): the key is the variant's line 8,
    // not the base's `seats = 55` (line 97)
    let e = load(
        "merge.toml",
        "extends = \"base.toml\"\n[scenario]\nname = \"merge\"\n\n\
         [[route]]\nfrom = \"Tijuana\"\nto = \"San Ysidro\"\nseats = -4\n",
    );
    assert_eq!(located(&e), ["merge.toml:8:1: route[2].seats"], "{e}");

    // appended after the base's three routes: each key at its own line, not at `[[route]]`
    let e = load(
        "append.toml",
        "extends = \"base.toml\"\n  [[route]]\n  from = \"Tijuana\"\n  to = \"Brownsville\"\n  \
         seats = -4\n  travel = \"banana\"\n",
    );
    assert_eq!(
        located(&e),
        [
            "append.toml:5:3: route[4].seats",
            "append.toml:6:3: route[4].travel"
        ],
        "{e}"
    );

    // a base error is not blamed on the variant's element at the same position in its file
    std::fs::write(
        d.path().join("bad-days.toml"),
        base.replacen(
            "days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]   # as the port",
            "days = [\"Mun\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]   # as the port",
            1,
        ),
    )
    .unwrap();
    let e = load(
        "innocent.toml",
        "extends = \"bad-days.toml\"\n[[route]]\nfrom = \"Tijuana\"\nto = \"Brownsville\"\n\
         departures = [\"07:00\"]\ndays = [\"Mon\"]\n",
    );
    assert_eq!(located(&e), ["bad-days.toml:89:9: route[1].days[1]"], "{e}");

    // through two levels, for disruptions and phases too (they have no names)
    std::fs::copy("scenarios/mpp-2021-record.toml", d.path().join("rec.toml")).unwrap();
    std::fs::write(
        d.path().join("mid.toml"),
        "extends = \"rec.toml\"\n[[route]]\nfrom = \"Tijuana\"\nto = \"Brownsville\"\n\
         departures = [\"07:00\"]\nseats = 30\n\n\
         [[disruption]]\nports = [\"El Paso\"]\nfrom = \"30d\"\nuntil = \"40d\"\ncapacity = -0.5\n",
    )
    .unwrap();
    let e = load(
        "top.toml",
        "extends = \"mid.toml\"\n[[disruption]]\nports = [\"San Ysidro\"]\nfrom = \"3d\"\n\
         until = \"4d\"\ncapacity = -1\n\n\
         [[route]]\nfrom = \"Tijuana\"\nto = \"Brownsville\"\nseats = -2\n\
         [[phase]]\nopens = \"9d\"\npeople = -5\n",
    );
    assert_eq!(
        located(&e),
        [
            "top.toml:6:1: disruption[5].capacity",
            "top.toml:11:1: route[8].seats",
            "top.toml:14:1: phase[2].people",
            "mid.toml:12:1: disruption[4].capacity",
        ],
        "{e}"
    );

    // --set naming a route by FROM->TO is located at --set
    let e = scenario::load_file_with(
        &d.path().join("base.toml"),
        &[parse_set("route[Tijuana->San Ysidro].seats=-4").unwrap()],
    )
    .unwrap_err();
    assert_eq!(located(&e), ["--set:0:0: route[2].seats"], "{e}");

    // warnings too: the base's key in the base, the variant's in the variant, --set's at --set
    let lines: Vec<&str> = base.lines().collect();
    assert_eq!(
        lines[96], "seats = 55",
        "line 97 is the second route's seats"
    );
    let small_bus: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 96 { "seats = 3" } else { l })
        .collect();
    std::fs::write(d.path().join("small-bus.toml"), small_bus.join("\n")).unwrap();
    let p = d.path().join("uses-small-bus.toml");
    std::fs::write(
        &p,
        "extends = \"small-bus.toml\"\n[[route]]\nfrom = \"Tijuana\"\nto = \"Brownsville\"\n\
         departures = \"continuous\"\ndays = [\"Mon\"]\n",
    )
    .unwrap();
    let w = scenario::load_file(&p).unwrap().warnings;
    let at = |w: &[String], place: &str| w.iter().any(|w| w.contains(place));
    assert!(at(&w, "/small-bus.toml:97:1: route[2].seats: "), "{w:#?}");
    assert!(
        at(&w, "/uses-small-bus.toml:6:1: route[4].days: "),
        "{w:#?}"
    );
    let w = scenario::load_file_with(
        &d.path().join("base.toml"),
        &[parse_set("route[Tijuana->San Ysidro].seats=3").unwrap()],
    )
    .unwrap()
    .scenario
    .warnings;
    assert!(at(&w, "--set: route[2].seats: "), "{w:#?}");
}

// ---------------------------------------------------------------------------------------------
// 2. Paired comparison

#[test]
fn crn_reduces_the_variance_of_paired_differences_at_least_threefold() {
    // Two ports (El Paso takes Matamoros too), so El Paso's quota binds: 300 vs 330 a day.
    let p = Path::new("scenarios/two-ports.toml");
    let a = scenario::load_file(p).unwrap();
    let b = scenario::load_file_with(p, &[parse_set("port[El Paso].quota_per_day=330").unwrap()])
        .unwrap()
        .scenario;
    let c = compare(
        &a,
        &b,
        &CompareOptions {
            replications: 40,
            independent: false,
            measure_variance_reduction: true,
        },
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(c.streams, "crn");
    assert_eq!(c.seed_a, c.seed_b);
    for k in ["clearance_days", "t50_days", "processed:El Paso"] {
        let v = c.variance_reduction.iter().find(|v| v.kpi == k).unwrap();
        assert!(
            v.ratio >= 3.0,
            "{k}: Var(diff) independent {} vs CRN {} (ratio {})",
            v.var_independent,
            v.var_crn,
            v.ratio
        );
    }
    // a higher quota brings the 50% milestone earlier
    let t50 = c.kpis.iter().find(|k| k.kpi == "t50_days").unwrap();
    assert!(t50.diff.as_ref().unwrap().ci95_high.unwrap() < 0.0);
    let p = &c.b_clears_sooner;
    let (low, mid, high) = (p.ci95_low.unwrap(), p.p.unwrap(), p.ci95_high.unwrap());
    assert!(low <= mid && mid <= high && p.n == 40);
    // By how much: the median of the paired |B − A| of clearance, from two plain runs.
    let opts = RunOptions {
        replications: Some(40),
        ..Default::default()
    };
    let (ra, rb) = (
        clearance::experiment::run(&a, &opts).unwrap(),
        clearance::experiment::run(&b, &opts).unwrap(),
    );
    let mut d: Vec<f64> = ra
        .clearance_days
        .iter()
        .zip(&rb.clearance_days)
        .map(|(x, y)| (y - x).abs())
        .collect();
    d.sort_by(f64::total_cmp);
    let median = (d[19] + d[20]) / 2.0;
    assert!(median > 0.0);
    assert_eq!(c.median_abs_clearance_diff_days, Some(median));
}

#[test]
fn compare_cli_reports_differences_and_independent_streams_differ() {
    let text = stdout(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/two-ports.toml",
        "--replications",
        "4",
        "--quiet",
    ]);
    for needle in [
        "B − A",
        "clearance_days",
        "P(B clears sooner than A)",
        "common random numbers",
    ] {
        assert!(text.contains(needle), "missing {needle:?}:\n{text}");
    }
    let v = json(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/baseline.toml",
        "--replications",
        "4",
        "--independent",
        "--json",
        "--quiet",
    ]);
    assert_eq!(v["streams"], "independent");
    assert_ne!(v["seed_a"], v["seed_b"]);
    // B's seed is one `run --seed` takes, and gives B's figures (it had been above the range).
    let seed_b = v["seed_b"].as_u64().unwrap();
    assert!(seed_b <= i64::MAX as u64, "{seed_b}");
    let run = json(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "4",
        "--seed",
        &seed_b.to_string(),
        "--json",
        "--quiet",
    ]);
    assert_eq!(v["kpis"][0]["kpi"], "clearance_days");
    assert_eq!(v["kpis"][0]["b"]["mean"], run["clearance_days"]["mean"]);
    // the same scenario against itself with CRN differs by exactly zero
    let v = json(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "--json",
        "--quiet",
    ]);
    assert_eq!(v["kpis"][0]["kpi"], "clearance_days");
    assert_eq!(v["kpis"][0]["diff"]["mean"], 0.0);
    assert_eq!(v["b_clears_sooner"]["ties"], 3);
}

/// compare gives the difference of the two medians of clearance (the summaries' median dates)
/// with its paired-bootstrap interval, in the table and the JSON: B's P50 − A's P50 as `run`
/// gives each, not the mean of the paired differences.
#[test]
fn compare_gives_the_difference_of_the_median_clearances() {
    let args = |json: bool| {
        let mut a = vec![
            "compare",
            "scenarios/baseline.toml",
            "scenarios/two-ports.toml",
            "--replications",
            "30",
            "--quiet",
        ];
        if json {
            a.push("--json");
        }
        a
    };
    let v = json(&args(true));
    let run = |file: &str| json(&["run", file, "--replications", "30", "--json", "--quiet"]);
    let p50 = |file: &str| run(file)["clearance_days"]["p50"].as_f64().unwrap();
    let want = p50("scenarios/two-ports.toml") - p50("scenarios/baseline.toml");
    let d = &v["clearance_p50_diff"];
    assert_eq!(d["q"], 0.5);
    let got = d["diff_days"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-9, "{got} against {want}");
    // Not the mean of the paired differences.
    assert_ne!(got, v["kpis"][0]["diff"]["mean"].as_f64().unwrap());
    let (lo, hi) = (
        d["ci95_low"].as_f64().unwrap(),
        d["ci95_high"].as_f64().unwrap(),
    );
    assert!(lo <= got && got <= hi, "{d}");
    let text = stdout(&args(false));
    assert!(
        text.contains(&format!(
            "median clearance of B − median of A = {:+.2} days (95% CI",
            got
        )),
        "{text}"
    );
    // Above them, the answer in dates: each median clearance as `run` gives it, and how much
    // sooner or later B's is, in words.
    let median = |file: &str| {
        let s = run(file);
        format!(
            "{} (day {:.1})",
            s["clearance_dates"]["p50"].as_str().unwrap(),
            s["clearance_days"]["p50"].as_f64().unwrap()
        )
    };
    let line = format!(
        "\n→ median clearance: A {}, B {}: B {:.2} days {}\n",
        median("scenarios/baseline.toml"),
        median("scenarios/two-ports.toml"),
        got.abs(),
        if got < 0.0 { "sooner" } else { "later" }
    );
    assert!(text.contains(&line), "{line}\n{text}");
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}: {text}"));
    assert!(
        at("→ median clearance: ") < at("P(B clears sooner than A)"),
        "{text}"
    );
    // A scenario against itself: the medians are the same, and no "-0.00" is printed; below
    // 20 pairs, no interval, and the line says why.
    let same = |n: &str| {
        stdout(&[
            "compare",
            "scenarios/baseline.toml",
            "scenarios/baseline.toml",
            "--replications",
            n,
            "--quiet",
        ])
    };
    let text = same("20");
    assert!(
        text.contains("median clearance of B − median of A = 0.00 days (95% CI 0.00 … 0.00"),
        "{text}"
    );
    assert!(
        text.contains(": B the same to a hundredth of a day\n"),
        "{text}"
    );
    assert!(!text.contains("-0.00"), "{text}");
    let text = same("10");
    assert!(
        text.contains(
            "median clearance of B − median of A = 0.00 days (no interval: it needs 20 pairs"
        ),
        "{text}"
    );
}

/// Identical scenarios tie in every pair: P(B clears sooner) is not a measured 0 (it had read
/// `= 0.000` beside "10 ties"), and the JSON keeps its fields; two scenarios of one name (a
/// variant that extends the other and names nothing of its own) are told apart by their files.
#[test]
fn compare_says_when_every_pair_tied_and_tells_same_named_scenarios_apart() {
    let args = [
        "compare",
        "scenarios/baseline.toml",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "--quiet",
    ];
    let text = stdout(&args);
    assert!(
        text.contains(
            "P(B clears sooner than A): n/a: every replication tied (A and B clear at the same \
             time in all 3 pairs)"
        ),
        "{text}"
    );
    assert!(!text.contains("= 0.000"), "{text}");
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let v = json(&with_json);
    let p = &v["b_clears_sooner"];
    for field in ["p", "ci95_low", "ci95_high", "count", "n", "ties"] {
        assert!(p.get(field).is_some(), "{field}: {p}");
    }
    assert_eq!((p["ties"].as_u64(), p["n"].as_u64()), (Some(3), Some(3)));
    // No proportion to give, as the table's n/a: null, not 0 ("B is never sooner").
    for field in ["p", "ci95_low", "ci95_high"] {
        assert!(p[field].is_null(), "{field}: {p}");
    }

    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    let variant = dir.path().join("variant.toml");
    std::fs::write(
        &variant,
        format!(
            "extends = {:?}\n[health]\nisolation = \"5d\"\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let v = variant.display().to_string();
    let text = stdout(&[
        "compare",
        "scenarios/baseline.toml",
        &v,
        "--replications",
        "2",
        "--quiet",
    ]);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("A: scenarios/baseline.toml"), "{text}");
    assert_eq!(lines.next(), Some(format!("B: {v}").as_str()), "{text}");
    assert_eq!(
        lines.next(),
        Some("both named \"MPP wind-down, phase 1 as announced (Feb 2021)\""),
        "{text}"
    );
    // Some pairs tie, others not: the ties are counted beside the share.
    assert!(text.contains("P(B clears sooner than A) = "), "{text}");
}

/// compare names the settings in which B differs from A as run (after `extends` and `--set`),
/// key path by key path as `--set` takes them, the first five and a count of the others, and
/// `--json` lists them all (`differs`, a setting one side lacks as null); a file compared with
/// itself, or two whose only difference a `--set` on both undoes, is the same model.
#[test]
fn compare_names_the_settings_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize("tests/scenarios/tiny.toml").unwrap();
    let one = dir.path().join("one.toml");
    std::fs::write(
        &one,
        format!(
            "extends = {:?}\n[registration]\ndelay = {{ dist = \"exponential\", mean = \"3d\" }}\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let one = one.display().to_string();
    let args = |b: &str, more: &[&str]| -> Vec<String> {
        [
            "compare",
            "tests/scenarios/tiny.toml",
            b,
            "--replications",
            "2",
            "--quiet",
        ]
        .iter()
        .chain(more)
        .map(|s| s.to_string())
        .collect()
    };
    let run = |a: Vec<String>| stdout(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let text = run(args(&one, &[]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[2..5],
        [
            "both named \"tiny\"",
            "B differs from A in 1 setting:",
            "  registration.delay.mean: 5d → 3d",
        ],
        "{text}"
    );
    // The same --set on both: the one difference is gone.
    let text = run(args(&one, &["--set", "registration.delay.mean=4d"]));
    assert!(text.contains("\nA and B are the same model\n"), "{text}");
    assert!(!text.contains("differs from A"), "{text}");
    let text = run(args("tests/scenarios/tiny.toml", &[]));
    assert!(text.contains("\nA and B are the same model\n"), "{text}");
    let mut a = args("tests/scenarios/tiny.toml", &["--json"]);
    let v = json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(v["differs"], serde_json::json!([]), "{v}");

    // Many settings: five named, the others counted; the JSON has them all. The seed and
    // replications, which compare sets for both, and the name are not among them.
    let many = dir.path().join("many.toml");
    std::fs::write(
        &many,
        format!(
            "extends = {:?}\n[scenario]\nname = \"many\"\nseed = 9\nreplications = 3\n\
             horizon = \"70d\"\n[backlog]\npeople = 1500\n[screening]\nservers = 12\n\
             [health]\nisolation = \"7d\"\nturnaround = \"2d\"\n\
             [[port]]\nname = \"P\"\nquota_per_day = 120\nholding = 50\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let many = many.display().to_string();
    let text = run(args(&many, &[]));
    let at = text.find("B differs from A in 7 settings:\n").expect(&text);
    let listed: Vec<&str> = text[at..].lines().skip(1).take(6).collect();
    assert_eq!(
        listed,
        [
            "  backlog.people: 2000 → 1500",
            "  health.isolation: 10d → 7d",
            "  health.turnaround: 1d → 2d",
            "  port[P].holding: — → 50",
            "  port[P].quota_per_day: 100 → 120",
            "  … and 2 more settings differ (--json lists them all)",
        ],
        "{text}"
    );
    a = args(&many, &["--json"]);
    let v = json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let keys: Vec<&str> = v["differs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "backlog.people",
            "health.isolation",
            "health.turnaround",
            "port[P].holding",
            "port[P].quota_per_day",
            "scenario.horizon",
            "screening.servers",
        ],
        "{v}"
    );
    assert_eq!(
        v["differs"][3],
        serde_json::json!({"key": "port[P].holding", "a": null, "b": 50}),
        "{v}"
    );
    // It reads back.
    let c: clearance::experiment::compare::Comparison = serde_json::from_value(v).unwrap();
    assert_eq!(c.differs.map(|d| d.len()), Some(7));
}

/// sweep heads its table with what it ran, as sensitivity does: the scenario, the replications
/// and seed of every point, the --set values; its chart's subtitle gives the seed too.
#[test]
fn sweep_names_its_scenario_seed_and_replications() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sw");
    let o = out.display().to_string();
    let text = stdout(&[
        "sweep",
        "tests/scenarios/tiny.toml",
        "--vary",
        "screening.servers=5,10",
        "--replications",
        "2",
        "--seed",
        "3",
        "--quiet",
        "--out",
        &o,
    ]);
    assert_eq!(
        text.lines().next(),
        Some("tiny · 2 replications per point · seed 3 (same seeds at every point)"),
        "{text}"
    );
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(
        svg.contains("tiny · 2 replications per point · seed 3"),
        "{svg}"
    );
    let text = stdout(&[
        "sweep",
        "tests/scenarios/tiny.toml",
        "--vary",
        "screening.servers=5,10",
        "--replications",
        "1",
        "--set",
        "backlog.people=500",
        "--quiet",
    ]);
    assert_eq!(
        text.lines().next(),
        Some(
            "tiny · 1 replication per point · seed 1 (same seeds at every point) · with --set \
             backlog.people=500"
        ),
        "{text}"
    );
}

/// A KPI some replications did not measure is marked in the table, with how many measured it in
/// A and in B and over how many B − A is taken: t90 is reached only where fewer than 10% are
/// never reached, so in a few replications of A and more of B.
#[test]
fn compare_marks_kpis_measured_in_only_some_replications() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.toml");
    let text = std::fs::read_to_string("scenarios/fast-ramp.toml").unwrap();
    assert!(text.contains("\nnever = 0.10\n"));
    std::fs::write(&b, text.replace("\nnever = 0.10\n", "\nnever = 0.095\n")).unwrap();
    let b = b.to_str().unwrap();
    let args = [
        "compare",
        "scenarios/fast-ramp.toml",
        b,
        "--replications",
        "100",
        "--quiet",
    ];
    let v = json(&[&args[..], &["--json"]].concat());
    let t90 = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kpi"] == "t90_days")
        .unwrap();
    let (na, nb, nd) = (
        t90["a"]["n"].as_u64().unwrap(),
        t90["b"]["n"].as_u64().unwrap(),
        t90["diff"]["n"].as_u64().unwrap(),
    );
    assert!(na < 100 && nb < 100 && nd <= na.min(nb), "{na} {nb} {nd}");
    let text = stdout(&args);
    assert!(text.contains("  t90_days* "), "{text}");
    assert!(!text.contains("clearance_days*"), "{text}");
    assert!(
        text.contains(&format!(
            "* t90_days: measured in {na} of A's 100 replications and {nb} of B's; B − A over the \
             {nd} where both did"
        )),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Sweeps

/// A sweep's records go to a temporary file per point as they finish, with the rows a sweep
/// keeping them in memory gives, whatever the thread count.
#[test]
fn sweep_points_spill_their_records_with_the_rows_of_records_in_memory() {
    use clearance::experiment::{sweep, Records};
    let base = scenario::load_file(Path::new("scenarios/two-ports.toml")).unwrap();
    let factors = vec![sweep::Factor {
        path: "screening.servers".into(),
        values: vec![toml::Value::Integer(10), toml::Value::Integer(30)],
        origin: "--vary".into(),
    }];
    let points: Vec<scenario::Scenario> = [10, 30]
        .iter()
        .map(|c| {
            let mut s = base.clone();
            s.screening.as_mut().unwrap().servers = Some(*c);
            s
        })
        .collect();
    let refs: Vec<&scenario::Scenario> = points.iter().collect();
    let go = |threads, in_memory| {
        let opts = RunOptions {
            threads: Some(threads),
            in_memory,
            ..Default::default()
        };
        sweep::run_points(&refs, 0..12, &opts).unwrap()
    };
    let spilled = go(2, false);
    let memory = go(1, true);
    assert!(spilled.iter().all(|r| r.is_spilled() && r.count() == 12));
    assert!(memory.iter().all(|r| !r.is_spilled()));
    for (a, b) in spilled.iter().zip(&memory) {
        assert_eq!(a.to_vec().unwrap(), b.to_vec().unwrap());
    }
    let rows = sweep::rows(&factors, &refs, &spilled).unwrap();
    assert_eq!(rows, sweep::rows(&factors, &refs, &memory).unwrap());
    // the two points differ (the factor acts), and each row counts its replications
    assert_ne!(rows[0].kpis, rows[1].kpis);
    assert!(rows.iter().all(|r| r.replications == 12));
}

#[test]
fn sweep_writes_a_tidy_csv_a_table_and_a_chart() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let text = stdout(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day=200,400",
        "--replications",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(text.contains("port[El Paso].quota_per_day"), "{text}");
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with(
        "port[El Paso].quota_per_day,replications,censored,last_cleared_days,\
         clearance_p50_censored,clearance_p90_censored,clearance_days_mean,"
    ));
    assert!(lines[0].contains("clearance_days_p90") && lines[0].contains("t50_days_mean"));
    assert!(lines[1].starts_with("200,3,0,") && lines[2].starts_with("400,3,0,"));
    assert!(lines[1].contains(",false,false,"), "{}", lines[1]);
    for f in ["sweep.png", "sweep.svg"] {
        assert!(std::fs::metadata(out.join(f)).unwrap().len() > 1000);
    }
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(svg.contains("El Paso quota per day [people/day]"));

    // the same grid from a sweep file, two factors: a heatmap
    let sf = d.path().join("sweep.toml");
    std::fs::write(
        &sf,
        format!(
            "[sweep]\nscenario = \"{}\"\nreplications = 2\n\
             \"port[El Paso].quota_per_day\" = [200, 400]\n\"registration.never\" = [0.05, 0.1]\n",
            std::fs::canonicalize("scenarios/baseline.toml")
                .unwrap()
                .display()
        ),
    )
    .unwrap();
    let out2 = d.path().join("out2");
    stdout(&[
        "sweep",
        sf.to_str().unwrap(),
        "--quiet",
        "--out",
        out2.to_str().unwrap(),
    ]);
    let csv2 = std::fs::read_to_string(out2.join("sweep.csv")).unwrap();
    assert_eq!(csv2.lines().count(), 5);
    assert!(csv2.starts_with("port[El Paso].quota_per_day,registration.never,"));
    assert!(out2.join("sweep.png").exists());
    let svg = std::fs::read_to_string(out2.join("sweep.svg")).unwrap();
    assert!(svg.contains("registration never [probability]"));

    // a duration factor: placed at its length in days (uneven steps stay uneven), unit on the
    // axis, not as category names
    let out3 = d.path().join("out3");
    stdout(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].opens=7d,14d,35d",
        "--replications",
        "2",
        "--quiet",
        "--out",
        out3.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(out3.join("sweep.svg")).unwrap();
    assert!(svg.contains("El Paso opens [days]"), "no unit on the axis");
    assert!(
        !svg.contains("\n35d\n"),
        "durations drawn as category names"
    );
    assert!(svg.contains("\n35\n"), "no day ticks");
}

/// `sweep_long.csv` beside `sweep.csv` holds the same numbers long: one row per point, KPI and
/// statistic of the wide file, each value the wide cell's text, with its unit, and for the
/// times since day 0 (clearance and the milestones) the date of day 0 plus the value, day 0
/// being the point's own start date.
#[test]
fn sweep_long_csv_holds_every_cell_of_sweep_csv_one_per_row_with_unit_and_date() {
    use clearance::chrono::{Duration, NaiveDate};
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let text = stdout(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day=200,400",
        "--vary",
        "scenario.start_date=2021-02-19,2021-12-30",
        "--replications",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    // (--quiet: no `wrote …` status lines, which go to stderr without it)
    assert!(!text.contains("wrote "), "{text}");
    assert!(out.join("sweep_long.csv").is_file());
    let read = |f: &str| -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::Reader::from_path(out.join(f)).unwrap();
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    };
    let (wide_header, wide) = read("sweep.csv");
    let (long_header, long) = read("sweep_long.csv");
    let factors = ["port[El Paso].quota_per_day", "scenario.start_date"];
    assert_eq!(
        long_header,
        [
            "point",
            factors[0],
            factors[1],
            "kpi",
            "statistic",
            "value",
            "unit",
            "date",
            "lower_bound",
            "cut_by_horizon"
        ]
    );
    assert_eq!(wide.len(), 4);
    // The wide file's KPI statistics: every column after the per-point ones.
    let first_kpi = wide_header
        .iter()
        .position(|c| c == "clearance_days_mean")
        .unwrap();
    let kpi_columns = &wide_header[first_kpi..];
    assert!(kpi_columns.len() > 100, "{wide_header:?}");
    assert_eq!(long.len(), wide.len() * kpi_columns.len());
    let mut seen = std::collections::HashSet::new();
    let mut dated = 0;
    for row in &long {
        let p: usize = row[0].parse().unwrap();
        let (kpi, statistic, value, unit, date) = (&row[3], &row[4], &row[5], &row[6], &row[7]);
        // No replication stopped at the horizon (two years): no clearance figure is a bound.
        let bounded = kpi == "clearance_days" && !matches!(statistic.as_str(), "sd" | "n");
        assert_eq!(row[8], if bounded { "false" } else { "" }, "{row:?}");
        // Nor did any cut a wait, a utilization or a count short.
        let cut = !matches!(
            kpi.as_str(),
            "clearance_days" | "t50_days" | "t90_days" | "t99_days" | "unreached"
        ) && statistic != "n"
            && !value.is_empty();
        assert_eq!(row[9], if cut { "false" } else { "" }, "{row:?}");
        let column = format!("{kpi}_{statistic}");
        let c = wide_header.iter().position(|h| *h == column).unwrap();
        assert!(c >= first_kpi, "{column}");
        assert!(seen.insert((p, c)), "point {p}, {column} twice");
        // The same point (its factor values) and the same cell, as text and as a number.
        assert_eq!(row[1..3], wide[p][..2], "point {p}");
        assert_eq!(*value, wide[p][c], "point {p}, {column}");
        if !value.is_empty() {
            let (l, w): (f64, f64) = (value.parse().unwrap(), wide[p][c].parse().unwrap());
            assert_eq!(l, w, "point {p}, {column}");
        }
        let want_unit = match (kpi.as_str(), statistic.as_str()) {
            (_, "n") => "replications",
            (k, _) if k.contains("utilization") => "fraction",
            (k, _) if k.ends_with("_days") || k.starts_with("wait_days:") => "days",
            _ => "people",
        };
        assert_eq!(unit, want_unit, "{column}");
        // Dated: the times since day 0 (not their sd, a length of time, nor n).
        let times = ["clearance_days", "t50_days", "t90_days", "t99_days"];
        let is_time = times.contains(&kpi.as_str()) && !matches!(statistic.as_str(), "sd" | "n");
        if is_time && !value.is_empty() {
            let start = NaiveDate::parse_from_str(&row[2], "%Y-%m-%d").unwrap();
            let days: f64 = value.parse().unwrap();
            let want = start + Duration::days(days.floor() as i64);
            assert_eq!(*date, want.format("%Y-%m-%d").to_string(), "{column}");
            dated += 1;
        } else {
            assert_eq!(date, "", "point {p}, {column}");
        }
    }
    assert_eq!(seen.len(), long.len());
    assert!(dated >= 4 * 2 * 9, "{dated}");
    // The median clearance of each point: its own day 0 plus the days (the baseline clears
    // in July 2021 from 19 February, and in May 2022 from 30 December).
    let p50 = |p: usize| {
        let r = long
            .iter()
            .find(|r| r[0] == p.to_string() && r[3] == "clearance_days" && r[4] == "p50")
            .unwrap();
        (r[5].parse::<f64>().unwrap(), r[7].clone())
    };
    for (p, point) in wide.iter().enumerate() {
        let (days, date) = p50(p);
        let start = NaiveDate::parse_from_str(&point[1], "%Y-%m-%d").unwrap();
        assert_eq!(
            date,
            (start + Duration::days(days as i64)).to_string(),
            "point {p}"
        );
        assert!(
            date.starts_with(if p % 2 == 0 { "2021-07" } else { "2022-05" }),
            "point {p}: {date}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Precision targets

/// With replications censored by the horizon the mean clearance is only a lower bound: the
/// precision is not met (every replication reaching the horizon had a half-width of 0, "met"),
/// the run stops at once, and the message says why.
#[test]
fn precision_is_not_met_while_replications_are_censored() {
    let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
    scn.horizon = 100.0;
    let target: Precision = "1%".parse().unwrap();
    let (_, _, o) =
        run_to_precision(&scn, Vec::new(), target, 512, &RunOptions::default(), false).unwrap();
    assert!(!o.met, "{o:?}");
    assert_eq!((o.replications, o.censored), (32, 32), "{o:?}");
    let out = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--precision",
        "1%",
        "--set",
        "scenario.horizon=\"100d\"",
        "-q",
    ]);
    assert!(
        out.contains("NOT met after 32 replications")
            && out.contains("32 of them reached the horizon before clearing"),
        "{out}"
    );
}

#[test]
fn precision_runs_are_identical_for_one_and_two_threads_and_extendable() {
    let scn = scenario::load_file(Path::new("scenarios/two-ports.toml")).unwrap();
    let target: Precision = "3%".parse().unwrap();
    let go = |threads, keep_daily| {
        let opts = RunOptions {
            threads: Some(threads),
            ..Default::default()
        };
        run_to_precision(&scn, Vec::new(), target, 128, &opts, keep_daily).unwrap()
    };
    let (r1, d1, o1) = go(1, false);
    let (r2, d2, o2) = go(2, false);
    assert_eq!(r1, r2);
    assert_eq!(o1, o2);
    // the daily series folded as replications finished (in a different order on 2 threads)
    // equal those folded in index order from replications that kept them
    assert_eq!(d1, d2);
    assert!(r1.is_spilled());
    let (kept, d3, o3) = go(2, true);
    assert!(!kept.is_spilled());
    assert_eq!(o3, o1);
    let kept = kept.into_vec().unwrap();
    // The spilled records are those kept in memory, daily series aside.
    let mut bare = kept.clone();
    bare.iter_mut().for_each(|r| r.daily = Default::default());
    assert_eq!(r1.to_vec().unwrap(), bare);
    assert!(kept.iter().all(|r| r.daily.days() > 0));
    let mut in_order = clearance::experiment::DailyAcc::new(&scn);
    for r in &kept {
        in_order.add(&r.daily);
    }
    assert_eq!(in_order, d1);
    assert_eq!(d3, d1);
    assert_eq!(d1.replications(), o1.replications);
    assert!(o1.met, "{o1:?}");
    assert_eq!(o1.replications % 32, 0);
    assert!(o1.half_width.unwrap() <= o1.allowed.unwrap());

    // run 10, extend to 25 == run 25 at once
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a");
    let b = d.path().join("b");
    let sa = a.to_str().unwrap();
    stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "10",
        "--out",
        sa,
        "-q",
    ]);
    let seconds = |p: &Path, f: &str| -> f64 {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p.join(f)).unwrap()).unwrap();
        let w = if f == "summary.json" {
            &v["performance"]["wall_seconds"]
        } else {
            &v["wall_seconds"]
        };
        w.as_f64().unwrap()
    };
    let first = seconds(&a, "run.json");
    stdout(&["run", "--extend", sa, "--replications", "25", "-q"]);
    // the time of the 10 run first counts in the extended run's, as their events do
    let total = seconds(&a, "run.json");
    assert!(first > 0.0 && total > first, "{first} {total}");
    assert_eq!(seconds(&a, "summary.json"), total);
    stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "25",
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    for f in [
        "replications.csv",
        "daily.csv",
        "replications.jsonl",
        "daily.json",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    // the lines hold no daily series (daily.json holds them, folded)
    let jsonl = std::fs::read_to_string(a.join("replications.jsonl")).unwrap();
    assert!(!jsonl.contains("\"daily\""));
    // extending with a different scenario is refused
    clearance()
        .args([
            "run",
            "scenarios/two-ports.toml",
            "--extend",
            sa,
            "--replications",
            "30",
            "-q",
        ])
        .assert()
        .failure();
    // --set without the scenario would change nothing: refused, not ignored
    clearance()
        .args(["run", "--extend", sa, "--replications", "30", "-q"])
        .args(["--set", "backlog.people=5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--set with --extend changes nothing",
        ));
}

/// A store's daily.json that was damaged is a clear error naming the file; a store written
/// before daily.json existed (each line holding its daily series) still extends to the same
/// result.
#[test]
fn damaged_and_older_stores() {
    use clearance::experiment::store::{self, Line};
    use clearance::model::{simulate, SimOptions};
    let d = tempfile::tempdir().unwrap();
    let fresh = d.path().join("fresh");
    stdout(&[
        "run",
        "scenarios/two-ports.toml",
        "--replications",
        "6",
        "--out",
        fresh.to_str().unwrap(),
        "-q",
    ]);
    // damaged: a count changed, then not JSON at all
    let damaged = d.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    for f in ["run.json", "replications.jsonl", "daily.json"] {
        std::fs::copy(fresh.join(f), damaged.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(damaged.join("daily.json")).unwrap();
    let tampered = text.replacen("\"replications\":6", "\"replications\":7", 1);
    assert_ne!(tampered, text);
    for bad in [tampered.as_str(), "{ not json"] {
        std::fs::write(damaged.join("daily.json"), bad).unwrap();
        let out = clearance()
            .args(["run", "--extend", damaged.to_str().unwrap()])
            .args(["--replications", "8", "-q"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("daily.json"), "{err}");
    }
    // older format: lines with their daily series, no daily.json
    let old = d.path().join("old");
    std::fs::create_dir(&old).unwrap();
    copy_meta_without_digests(&fresh, &old);
    let scn = scenario::load_file(Path::new("scenarios/two-ports.toml")).unwrap();
    let lines: Vec<Line> = (0..6)
        .map(|i| Line {
            point: None,
            result: simulate(&scn, i, &SimOptions::default()),
        })
        .collect();
    let mut f = std::fs::File::create(old.join(store::LINES)).unwrap();
    store::write_lines(&mut f, &lines).unwrap();
    let all = d.path().join("all");
    for (dir, n) in [(&old, "9"), (&fresh, "9")] {
        stdout(&[
            "run",
            "--extend",
            dir.to_str().unwrap(),
            "--replications",
            n,
            "-q",
        ]);
    }
    stdout(&[
        "run",
        "scenarios/two-ports.toml",
        "--replications",
        "9",
        "--out",
        all.to_str().unwrap(),
        "-q",
    ]);
    for f in ["daily.csv", "daily.json", "replications.jsonl"] {
        let want = std::fs::read(all.join(f)).unwrap();
        assert_eq!(std::fs::read(old.join(f)).unwrap(), want, "old {f}");
        assert_eq!(std::fs::read(fresh.join(f)).unwrap(), want, "fresh {f}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Goal seeking

#[test]
fn target_finds_the_smallest_value_meeting_the_goal_on_baseline() {
    let goal = "p90(t50_days) <= 41";
    let v = json(&[
        "target",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day",
        "--goal",
        goal,
        "--min",
        "100",
        "--max",
        "600",
        "--step",
        "20",
        "--replications",
        "8",
        "--json",
        "--quiet",
    ]);
    let found = v["found"]["value"].as_i64().unwrap();
    assert_eq!(v["neighbour"]["value"].as_i64().unwrap(), found - 20);
    assert_eq!(v["found"]["met"], true);
    assert_eq!(v["neighbour"]["met"], false);
    // check both independently with plain runs (same seeds)
    let p90_t50 = |q: i64| {
        let s = json(&[
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "8",
            "--set",
            &format!("port[El Paso].quota_per_day={q}"),
            "--json",
            "--quiet",
        ]);
        let mut t: Vec<f64> = (0..8).map(|_| 0.0).collect();
        // the summary has no P90; recompute from replications.csv-equivalent via the library
        let l = scenario::load_file_with(
            Path::new("scenarios/baseline.toml"),
            &[parse_set(&format!("port[El Paso].quota_per_day={q}")).unwrap()],
        )
        .unwrap();
        let mut scn = l.scenario;
        scn.replications = 8;
        let run = clearance::experiment::run(&scn, &RunOptions::default()).unwrap();
        for (x, r) in t.iter_mut().zip(run.replications.to_vec().unwrap()) {
            *x = r.t50_days.unwrap_or(f64::INFINITY);
        }
        assert_eq!(s["replications"], 8);
        t.sort_by(f64::total_cmp);
        clearance::stats::quantile_sorted(&t, 0.9)
    };
    assert!(p90_t50(found) <= 41.0);
    assert!(p90_t50(found - 20) > 41.0);

    // infeasible in range: said clearly, exit code 3
    let out = clearance()
        .args([
            "target",
            "scenarios/baseline.toml",
            "--vary",
            "port[El Paso].quota_per_day",
            "--goal",
            "p90(t50_days) <= 5",
            "--min",
            "100",
            "--max",
            "200",
            "--step",
            "50",
            "--replications",
            "3",
            "--quiet",
        ])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("no value of port[El Paso].quota_per_day"));
}

#[test]
fn target_takes_a_date_and_says_when_it_is_not_sure() {
    let args = |goal: &str, json: bool| {
        let mut a = vec![
            "target",
            "scenarios/baseline.toml",
            "--vary",
            "port[El Paso].quota_per_day",
            "--goal",
            goal,
            "--min",
            "100",
            "--max",
            "400",
            "--step",
            "100",
            "--replications",
            "8",
            "--quiet",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        if json {
            a.push("--json".into());
        }
        a
    };
    // 2021-07-14 is day 145 of the baseline (start 2021-02-19): "<=" it means before day 146.
    let goal = "p50(clearance_days) <= 2021-07-14";
    let out = clearance().args(args(goal, true)).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["goal"], goal);
    assert_eq!(v["threshold"], 146.0);
    let evals = v["evaluations"].as_array().unwrap();
    let mut any_unsure = false;
    for e in evals {
        let (lo, hi) = (
            e["ci95_low"].as_f64().unwrap(),
            e["ci95_high"].as_f64().unwrap(),
        );
        let unsure = lo <= 146.0 && 146.0 <= hi;
        assert_eq!(e["uncertain"], unsure, "{e}");
        assert_eq!(e["met"], e["kpi"].as_f64().unwrap() < 146.0, "{e}");
        any_unsure |= unsure;
        // The measure and its interval's ends with their calendar dates (day 0 = 2021-02-19).
        let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        for (x, d) in [
            ("kpi", "kpi_date"),
            ("ci95_low", "ci95_low_date"),
            ("ci95_high", "ci95_high_date"),
        ] {
            let day = e[x].as_f64().unwrap().floor() as i64;
            let want = (start + chrono::Duration::days(day)).to_string();
            assert_eq!(e[d].as_str(), Some(want.as_str()), "{d} of {e}");
        }
    }
    assert_eq!(v["threshold_date"], "2021-07-14");
    // A value met the goal or not: `best` only when none did.
    assert_eq!(v["best"].is_null(), !v["found"].is_null(), "{v}");
    // A goal no value meets: `best` is the evaluation nearest it (the least median here), as
    // the table's "best reached" line names it.
    let out = clearance()
        .args(args("p50(clearance_days) <= 2021-03-01", true))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(w["found"].is_null(), "{w}");
    let least = w["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .min_by(|a, b| {
            a["kpi"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["kpi"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(&w["best"], least, "{w}");
    let text = String::from_utf8(
        clearance()
            .args(args("p50(clearance_days) <= 2021-03-01", false))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        text.contains(&format!(
            "best reached: p50(clearance_days) = {:.2} ({}) at port[El Paso].quota_per_day = {}",
            least["kpi"].as_f64().unwrap(),
            least["kpi_date"].as_str().unwrap(),
            least["value"]
        )),
        "{text}"
    );
    // The same goal as a number of days gives the same evaluations.
    let out_days = clearance()
        .args(args("p50(clearance_days) < 146", true))
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&out_days.stdout).unwrap();
    assert_eq!(w["evaluations"], v["evaluations"]);
    // The table says when the threshold lies inside a CI.
    let text =
        String::from_utf8(clearance().args(args(goal, false)).output().unwrap().stdout).unwrap();
    assert_eq!(
        text.contains("(not sure: 2021-07-14 is inside the 95% CI)"),
        any_unsure,
        "{text}"
    );
    // Replications cut off by the horizon have not cleared: a 100-day horizon meets no goal
    // on clearance, however late its date.
    let mut a = args("p90(clearance_days) <= 2021-12-31", true);
    a.extend(["--set".into(), "scenario.horizon=\"100d\"".into()]);
    let out = clearance().args(&a).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for e in v["evaluations"].as_array().unwrap() {
        assert_eq!(
            (e["met"].as_bool(), e["not_reached"].as_u64()),
            (Some(false), Some(8))
        );
        // Not cleared: no date for an infinite measure.
        assert!(e.get("kpi_date").is_none(), "{e}");
    }
    // No finite measure: nothing came nearest.
    assert!(v.get("best").is_none(), "{v}");
    // A date before the start is refused.
    let out = clearance()
        .args(args("p90(clearance_days) <= 2020-01-01", false))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before the scenario's start date"));
}

/// A quantile's interval covers it at least 95% of the time: the P99 of 50 replications has no
/// upper bound (the largest of 50 lies below the true P99 61% of the time), so a goal on it is
/// never sure. The interval had been clamped to the largest value, and the answer given as sure
/// was one step off what 2,000 replications give.
#[test]
fn target_quantile_interval_is_unbounded_when_too_few_replications_bound_it() {
    let args = [
        "target",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day",
        "--goal",
        "p99(t50_days) <= 40.68",
        "--min",
        "280",
        "--max",
        "320",
        "--step",
        "20",
        "--replications",
        "50",
        "--seed",
        "7",
        "-q",
    ];
    let v = json(&[&args[..], &["--json"]].concat());
    for e in v["evaluations"].as_array().unwrap() {
        assert!(e["ci95_low"].as_f64().is_some(), "{e}");
        assert!(e["ci95_high"].is_null(), "{e}");
        let met = e["met"].as_bool().unwrap();
        // Met below the threshold, the interval reaching past it: not sure.
        assert_eq!(e["uncertain"].as_bool().unwrap(), met, "{e}");
    }
    let text = stdout(&args);
    assert!(
        text.contains("– ∞): meets the goal (not sure: 40.68 is inside the 95% CI)"),
        "{text}"
    );
}

#[test]
fn target_searches_a_duration_key_in_its_unit() {
    // The later El Paso opens, the later half the people are through: the latest opening day
    // that keeps the median t50 within 41 days.
    let args = |min: &str| {
        vec![
            "target".to_string(),
            "scenarios/baseline.toml".into(),
            "--vary".into(),
            "port[El Paso].opens".into(),
            "--goal".into(),
            "p50(t50_days) <= 41".into(),
            "--min".into(),
            min.into(),
            "--max".into(),
            "28d".into(),
            "--step".into(),
            "7d".into(),
            "--replications".into(),
            "4".into(),
            "--quiet".into(),
        ]
    };
    let a = args("0d");
    let v = json(
        &[
            a.iter().map(String::as_str).collect::<Vec<_>>(),
            vec!["--json"],
        ]
        .concat(),
    );
    assert_eq!(v["unit"], "d");
    assert_eq!(v["direction"], "decreasing");
    assert_eq!(v["found"]["value"], 7);
    assert_eq!(v["neighbour"]["value"], 14);
    // and with a plain run at "7d" the goal's KPI is the same
    let l = scenario::load_file_with(
        Path::new("scenarios/baseline.toml"),
        &[parse_set("port[El Paso].opens=7d").unwrap()],
    )
    .unwrap();
    let mut scn = l.scenario;
    scn.replications = 4;
    let run = clearance::experiment::run(&scn, &RunOptions::default()).unwrap();
    let mut t: Vec<f64> = run
        .replications
        .to_vec()
        .unwrap()
        .iter()
        .map(|r| r.t50_days.unwrap())
        .collect();
    t.sort_by(f64::total_cmp);
    assert_eq!(
        v["found"]["kpi"].as_f64().unwrap(),
        clearance::stats::quantile_sorted(&t, 0.5)
    );
    // units must agree
    let a = args("0");
    clearance()
        .args(a.iter().map(String::as_str))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("must all have a unit"));
}

/// `target` checks both ends of its range as values of the key before running anything: --min
/// and --max at the ends of 64 bits had overflowed the grid's arithmetic (a panic in a debug
/// build, a grid wrapped round in a release build), and a --min out of range had been refused
/// only after --max's replications had run.
#[test]
fn target_refuses_a_range_out_of_the_keys_values_before_running() {
    let target = |min: &str, max: &str, reps: &str| {
        let o = clearance()
            .args([
                "target",
                "scenarios/baseline.toml",
                "--vary",
                "backlog.people",
            ])
            .args(["--goal", "p90(clearance_days) <= 120", "--step", "1"])
            .args(["--min", min, "--max", max, "--replications", reps, "-q"])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let err = target("-9223372036854775808", "9223372036854775807", "2");
    assert!(
        err.contains("--min/--max: backlog.people: -9223372036854775808 people is negative"),
        "{err}"
    );
    // (100,000 replications at --max would take minutes)
    let err = target("-5", "30000", "100000");
    assert!(
        err.contains("--min/--max: backlog.people: -5 people is negative"),
        "{err}"
    );
}

/// A scenario's own `replications = 1` runs 2 per value, as `compare` raises it, and says so:
/// `target` had run single replications (no interval) and called a goal they missed surely out
/// of reach (exit 3); `sensitivity` raises it too and now says so.
#[test]
fn target_and_sensitivity_run_two_replications_where_the_scenario_asks_for_one() {
    let o = clearance()
        .args(["target", "tests/scenarios/tiny.toml"])
        .args(["--set", "scenario.replications=1"])
        .args(["--vary", "port[P].quota_per_day"])
        .args(["--goal", "mean(clearance_days) <= 41.5"])
        .args([
            "--min", "30", "--max", "300", "--step", "10", "--json", "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let evals = v["evaluations"].as_array().unwrap();
    assert!(!evals.is_empty());
    for e in evals {
        assert_eq!(e["replications"], 2, "{e}");
    }
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "note: tests/scenarios/tiny.toml asks for 1 replication; goal seeking needs 2 at \
             least per value for the goal's confidence interval: 2 are run"
        ),
        "{err}"
    );
    let o = clearance()
        .args(["sensitivity", "tests/scenarios/tiny.toml"])
        .args(["--set", "scenario.replications=1"])
        .args(["--vary", "port[P].quota_per_day=40,100", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["replications"], 2, "{v}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "note: tests/scenarios/tiny.toml asks for 1 replication; a sensitivity analysis \
             needs 2 at least for its intervals: 2 are run per setting"
        ),
        "{err}"
    );
}

/// The smallest or largest of the replications has no interval and moves with their number: a
/// `min(…) <= N` missed with 5 replications (met at quota 70 with 200) is not sure, so no exit 3
/// and `"uncertain": true`; a goal below every possible value (`min(…) < 0`) stays sure.
#[test]
fn target_is_not_sure_of_an_extreme_that_more_replications_may_move() {
    let target = |goal: &str, json: bool| {
        let mut c = clearance();
        c.args(["target", "tests/scenarios/tiny.toml"])
            .args(["--vary", "port[P].quota_per_day", "--goal", goal])
            .args(["--min", "40", "--max", "300", "--step", "10"])
            .args(["--replications", "5", "-q"]);
        if json {
            c.arg("--json");
        }
        c.output().unwrap()
    };
    let o = target("min(clearance_days) <= 33", true);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["found"].is_null(), "{v}");
    assert_eq!(v["uncertain"], true, "{v}");
    let o = target("min(clearance_days) <= 33", false);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(
            "  not sure: the smallest of more replications may reach past the goal's threshold, \
             so more replications (--replications) may find a value meeting it"
        ),
        "{text}"
    );
    assert!(
        text.contains("does not meet the goal (not sure: more replications may reach past 33)"),
        "{text}"
    );
    // A largest that meets an upper bound may miss it with more replications.
    let o = target("max(clearance_days) <= 60", true);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["found"].is_object(), "{v}");
    assert_eq!(v["found"]["uncertain"], true, "{v}");
    assert_eq!(v["uncertain"], true, "{v}");
    // No clearance is below 0: sure, exit 3.
    let o = target("min(clearance_days) < 0", true);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["uncertain"], false, "{v}");
}

/// The search assumes the goal, once met, stays met as the value moves on, and a line under
/// every answer says so. When neither end meets it, values between are tested before "no value
/// meets it": through a shared holding area more quota clears later, and a quota of 46 or 53
/// meets `mean(clearance_days) <= 17` where 30 and 100 do not (target had tested only the
/// ends and exited 3, sure). That is reported as a goal not monotone in the key, exit 4, with
/// no smallest value and the sweep that maps it.
#[test]
fn target_tests_values_between_the_ends_before_saying_none_meets_the_goal() {
    let target = |goal: &str, json: bool| {
        let mut c = clearance();
        c.args(["target", "tests/scenarios/shared-holding.toml"])
            .args(["--vary", "port[P0].quota_per_day", "--goal", goal])
            .args(["--min", "30", "--max", "100", "--step", "1"])
            .args(["--replications", "40", "-q"]);
        if json {
            c.arg("--json");
        }
        c.output().unwrap()
    };
    let o = target("mean(clearance_days) <= 17", true);
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["found"].is_null() && v["direction"].is_null(), "{v}");
    assert_eq!(v["assumes_monotone"], false, "{v}");
    assert_eq!(v["met_inside"], serde_json::json!([46, 53]), "{v}");
    assert_eq!(
        v["interior_tested"],
        serde_json::json!([38, 46, 53, 61, 69, 77, 84, 92]),
        "{v}"
    );
    assert!(v.get("best").is_none(), "{v}");
    let o = target("mean(clearance_days) <= 17", false);
    assert_eq!(o.status.code(), Some(4), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with(
            "mean(clearance_days) <= 17 is met at port[P0].quota_per_day = 46, 53 but not at \
             --min 30 or --max 100: the goal is not monotone in port[P0].quota_per_day over the \
             range, so no smallest or largest value is given\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  not monotone: map the goal over the range with a sweep: clearance sweep \
             tests/scenarios/shared-holding.toml --replications 40 --vary \
             'port[P0].quota_per_day=30,38,46,53,61,69,77,84,92,100'\n"
        ),
        "{text}"
    );
    assert!(!text.contains("best reached"), "{text}");
    // None between meets it either: "no value", exit 3, saying what was tested and assumed.
    let o = target("mean(clearance_days) <= 15", true);
    assert_eq!(o.status.code(), Some(3), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["assumes_monotone"], true, "{v}");
    assert_eq!(v["uncertain"], false, "{v}");
    assert!(v.get("met_inside").is_none(), "{v}");
    assert_eq!(v["interior_tested"].as_array().unwrap().len(), 8, "{v}");
    assert_eq!(v["evaluations"].as_array().unwrap().len(), 10, "{v}");
    let text =
        String::from_utf8_lossy(&target("mean(clearance_days) <= 15", false).stdout).into_owned();
    assert!(
        text.contains(
            "  assumes the goal, once met, stays met as port[P0].quota_per_day moves on: tested \
             at --min, --max and 8 between: 38, 46, 53, 61, 69, 77, 84, 92; `clearance sweep` \
             maps every value\n"
        ),
        "{text}"
    );
    // A value found by bisection states the assumption it rests on.
    let o = clearance()
        .args(["target", "tests/scenarios/tiny.toml"])
        .args(["--vary", "port[P].quota_per_day"])
        .args(["--goal", "mean(clearance_days) <= 45"])
        .args(["--min", "30", "--max", "300", "--step", "10"])
        .args(["--replications", "10", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(
            "  assumes the goal, once met, stays met as port[P].quota_per_day grows (the search \
             bisects); `clearance sweep` maps a goal that does not\n"
        ),
        "{text}"
    );
}

/// A goal met at both ends is met over the whole range as far as the two ends tell; which way
/// the KPI moves, and so which bound the answer may lie beyond, comes from them: opening later
/// worsens the median t50 (10.71 at 0d, 19.71 at 10d), so the largest value meeting the goal
/// may be above --max. It had said "increasing" and "the smallest value meeting it may be
/// lower" whatever the ends showed.
#[test]
fn target_met_at_both_ends_says_which_way_the_kpi_moves() {
    let target = |vary: &str, goal: &str, range: [&str; 3], json: bool| {
        let mut c = clearance();
        c.args(["target", "tests/scenarios/tiny.toml", "--vary", vary])
            .args(["--goal", goal, "--min", range[0], "--max", range[1]])
            .args(["--step", range[2], "--replications", "20", "-q"]);
        if json {
            c.arg("--json");
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    let opens = |json| {
        target(
            "port[P].opens",
            "p50(t50_days) <= 2021-01-25",
            ["0d", "10d", "1d"],
            json,
        )
    };
    let v: serde_json::Value = serde_json::from_str(&opens(true)).unwrap();
    assert_eq!(v["direction"], "decreasing", "{v}");
    assert_eq!(v["found"]["value"], 10, "{v}");
    assert!(v["neighbour"].is_null(), "{v}");
    let text = opens(false);
    assert!(
        text.starts_with(
            "p50(t50_days) <= 2021-01-25 is met at both --min 0d and --max 10d, so over the \
             whole range if it stays met between them; the KPI worsens as port[P].opens grows \
             (10.71 at 0d, 19.71 at 10d): the largest value meeting it may be above --max 10d\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  assumes the goal is met between --min and --max as at them (only the ends were \
             run)"
        ),
        "{text}"
    );
    assert!(!text.contains("may be lower"), "{text}");
    // More quota: the KPI improves, and the smallest value may lie below --min.
    let quota = |json| {
        target(
            "port[P].quota_per_day",
            "mean(clearance_days) <= 60",
            ["50", "100", "10"],
            json,
        )
    };
    let v: serde_json::Value = serde_json::from_str(&quota(true)).unwrap();
    assert_eq!(v["direction"], "increasing", "{v}");
    assert_eq!(v["found"]["value"], 50, "{v}");
    let text = quota(false);
    assert!(
        text.contains(
            "the KPI improves as port[P].quota_per_day grows (44.19 at 50, 42.90 at 100): the \
             smallest value meeting it may be below --min 50\n"
        ),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Sensitivity

/// `sensitivity --kpi` of a KPI other than clearance counts, per setting, the replications the
/// horizon stopped before clearing (JSON `horizon_censored`) and warns as `compare` does that the
/// KPI counts only what finished by then: with a 45-day horizon every run at quota 40 was cut
/// off, and its swing of +240 people processed, CI [+240 … +240], is the cut-off (none with a
/// 120-day horizon); it had said nothing.
#[test]
fn sensitivity_of_another_kpi_warns_when_the_horizon_cut_runs_off() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("s");
    let study = |horizon: &str, json: bool| {
        let mut c = clearance();
        c.args(["sensitivity", "tests/scenarios/tiny.toml"])
            .args(["--set", &format!("scenario.horizon={horizon}")])
            .args([
                "--vary",
                "port[P].quota_per_day=40,100",
                "--kpi",
                "processed",
            ])
            .args(["--replications", "40", "-q"]);
        if json {
            c.arg("--json");
        }
        c.output().unwrap()
    };
    let says = "reached the horizon before clearing (baseline 13 of 40; \
                port[P].quota_per_day low 40: 40 of 40; port[P].quota_per_day high 100: 13 of \
                40): the KPIs other than clearance (waits, utilizations, processed, dropped; per \
                port too) describe only the groups that finished by the horizon, so processed at \
                a setting cut off so, and its change between settings, reflect the cut-off";
    let o = study("45d", true);
    assert!(o.status.success(), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["baseline"]["horizon_censored"], 13, "{v}");
    assert_eq!(v["factors"][0]["at_low"]["horizon_censored"], 40, "{v}");
    assert_eq!(v["factors"][0]["at_high"]["horizon_censored"], 13, "{v}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("warning: replications {says}")),
        "{err}"
    );
    let o = study("45d", false);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("\n  ! Replications {says}")),
        "{text}"
    );
    // sensitivity.csv counts them too, per setting (it had them in the JSON alone).
    let o = {
        let mut c = clearance();
        c.args(["sensitivity", "tests/scenarios/tiny.toml"])
            .args(["--set", "scenario.horizon=45d"])
            .args(["--vary", "port[P].quota_per_day=40,100"])
            .args(["--kpi", "processed", "--replications", "40", "-q"])
            .args(["--out", out.to_str().unwrap()]);
        c.output().unwrap()
    };
    assert!(o.status.success(), "{o:?}");
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let col = |name: &str| &row[head.iter().position(|h| h == name).unwrap()];
    assert_eq!(
        (
            col("base_horizon_censored"),
            col("low_horizon_censored"),
            col("high_horizon_censored")
        ),
        ("13", "40", "13"),
        "{csv}"
    );
    let o = study("120d", false);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("reached the horizon"), "{text}");
}

/// Values too long for their column (a list of days, a distribution) are markers in the table
/// and given in full below it: the columns had spilled over, out of line with the header.
#[test]
fn sensitivity_table_keeps_long_values_out_of_its_columns() {
    let text = stdout(&[
        "sensitivity",
        "tests/scenarios/minimal.toml",
        "--vary",
        "port[San Ysidro].days=[\"Mon\",\"Tue\"],[\"Mon\",\"Tue\",\"Wed\",\"Thu\",\"Fri\"]",
        "--vary",
        "port[San Ysidro].quota_per_day=40,60",
        "--replications",
        "2",
        "--quiet",
    ]);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("factor (low → high)"))
        .take(3)
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    let width = |l: &str| l.chars().count();
    assert!(rows.iter().all(|r| width(r) == width(rows[0])), "{text}");
    assert!(
        rows[1].contains(" [1] ") && rows[1].contains(" [2] "),
        "{text}"
    );
    assert!(text.contains("  [1] [\"Mon\", \"Tue\"]\n"), "{text}");
    assert!(
        text.contains("  [2] [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]\n"),
        "{text}"
    );
}

#[test]
fn sensitivity_writes_csv_and_tornado() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("s");
    let text = stdout(&[
        "sensitivity",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day=150,450",
        "--vary",
        "registration.never=0.05,0.2",
        "--replications",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(text.contains("baseline clearance"), "{text}");
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.starts_with("factor,low,high,base_mean,base_p50,base_p90,"));
    // The change with its sign beside the unsigned swing (a planner read swing_p90 = 3.8
    // beside an interval of the change from -3.9 to -2.2).
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |k: &str| head.iter().position(|h| *h == k).unwrap();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let v = |k: &str| cells[at(k)].parse::<f64>().unwrap();
        for q in ["p50", "p90"] {
            let d = v(&format!("diff_{q}"));
            assert_eq!(
                d,
                v(&format!("high_{q}")) - v(&format!("low_{q}")),
                "{line}"
            );
            assert_eq!(d.abs(), v(&format!("swing_{q}")), "{line}");
        }
    }
    for f in ["tornado.png", "tornado.svg"] {
        assert!(std::fs::metadata(out.join(f)).unwrap().len() > 1000);
    }
}

/// Each factor's change of P90 (and P50) gets a paired bootstrap interval: it holds the
/// measured change, excludes 0 for a factor that moves the date (isolation) and holds 0 for one
/// that does not (El Paso's quota), the table says which; the interval does not depend on the
/// order the factors are given in; and there is none from fewer than 20 replications.
#[test]
fn sensitivity_intervals_of_the_change() {
    fn run<'a>(vary: &[&'a str], reps: &'a str) -> Vec<&'a str> {
        let mut args = vec![
            "sensitivity",
            "scenarios/baseline.toml",
            "--replications",
            reps,
            "-q",
        ];
        args.extend_from_slice(vary);
        args
    }
    let iso = ["--vary", "health.isolation=5d,14d"];
    let quota = ["--vary", "port[El Paso].quota_per_day=200,400"];
    let both = [&iso[..], &quota[..]].concat();
    let s = json(&[&run(&both, "30")[..], &["--json"][..]].concat());
    let row = |s: &serde_json::Value, name: &str| {
        s["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["factor"] == name)
            .unwrap()
            .clone()
    };
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    let r = row(&s, "health.isolation");
    let change = f(&r["at_high"], "p90") - f(&r["at_low"], "p90");
    let (lo, hi) = (f(&r, "diff_p90_ci95_low"), f(&r, "diff_p90_ci95_high"));
    assert!(0.0 < lo && lo <= change && change <= hi, "{r}");
    let change50 = f(&r["at_high"], "p50") - f(&r["at_low"], "p50");
    assert!(f(&r, "diff_p50_ci95_low") <= change50 && change50 <= f(&r, "diff_p50_ci95_high"));
    let q = row(&s, "port[El Paso].quota_per_day");
    assert!(
        f(&q, "diff_p90_ci95_low") <= 0.0 && f(&q, "diff_p90_ci95_high") >= 0.0,
        "{q}"
    );
    // The same interval with the factors the other way round.
    let swapped = json(
        &[
            &run(&[&quota[..], &iso[..]].concat(), "30")[..],
            &["--json"][..],
        ]
        .concat(),
    );
    assert_eq!(row(&swapped, "health.isolation"), r);
    assert_eq!(row(&swapped, "port[El Paso].quota_per_day"), q);
    let text = stdout(&run(&both, "30"));
    assert!(text.contains("95% CI of P90 high − low"), "{text}");
    // Its interval ([-0.02 … +0.02]) lies within a tenth of a day of 0: no effect to speak of,
    // not a call for more replications.
    assert!(
        text.contains("Within ±0.1 day: port[El Paso].quota_per_day: the whole interval"),
        "{text}"
    );
    assert!(!text.contains("Holds 0: port[El Paso]"), "{text}");
    assert!(!text.contains("Holds 0: health"), "{text}");
    // One replication of 40 stops at the horizon at both settings, above both P90s: a few
    // resamples reach it, and the interval is widened for them, not dropped.
    let short = ["--set", "scenario.horizon=\"150d\"", "--json"];
    let s = json(
        &[
            &run(&["--vary", "screening.servers=30,50"], "40")[..],
            &short[..],
        ]
        .concat(),
    );
    let r = &s["factors"][0];
    assert!(r["at_low"]["censored"].as_u64().unwrap() > 0, "{r}");
    assert_eq!(r["at_low"]["p90_censored"], false, "{r}");
    let change = f(&r["at_high"], "p90") - f(&r["at_low"], "p90");
    assert!(f(r, "diff_p90_ci95_low") <= change && change < 0.0, "{r}");
    // Too few replications: no interval, and the table says why.
    let few = json(&[&run(&iso, "19")[..], &["--json"][..]].concat());
    assert!(few["factors"][0]["diff_p90_ci95_low"].is_null(), "{few}");
    let text = stdout(&run(&iso, "19"));
    assert!(
        text.contains("no interval from fewer than 20 replications"),
        "{text}"
    );
}

/// The tornado chart's whiskers are each setting's change from the baseline with its 95%
/// interval: the JSON carries them (holding the measured change for a factor that moves the
/// date), the CSV has their columns, and the SVG draws one whisker per bar end with the
/// legend that says what they are; from 19 replications, none, and the chart says why.
#[test]
fn sensitivity_tornado_whiskers() {
    let d = tempfile::tempdir().unwrap();
    let run = |reps: &str, out: &str| {
        let out = d.path().join(out);
        let s = json(&[
            "sensitivity",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,14d",
            "--replications",
            reps,
            "-q",
            "--json",
            "--out",
            out.to_str().unwrap(),
        ]);
        let svg = std::fs::read_to_string(out.join("tornado.svg")).unwrap();
        let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
        (s, svg, csv)
    };
    // A whisker is three black rectangles (its line and two caps); nothing else is one.
    let whiskers = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#000000\""))
            .count()
            / 3
    };
    let (s, svg, csv) = run("20", "a");
    // The JSON says how many resamples (weightings, for the whiskers) every interval rests on,
    // as the chart's legend does.
    assert_eq!(s["bootstrap_resamples"], 2000);
    assert!(svg.contains("2,000 weightings"));
    let r = &s["factors"][0];
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    for (end, q) in [
        ("low", "p50"),
        ("low", "p90"),
        ("high", "p50"),
        ("high", "p90"),
    ] {
        let change = f(&r[format!("at_{end}")], q) - f(&s["baseline"], q);
        let (lo, hi) = (
            f(r, &format!("{end}_vs_base_{q}_ci95_low")),
            f(r, &format!("{end}_vs_base_{q}_ci95_high")),
        );
        assert!(
            lo <= change && change <= hi,
            "{end} {q}: {change} not in [{lo}, {hi}]"
        );
        // Isolation moves the date both ways: no interval holds 0.
        assert!(lo * hi > 0.0, "{end} {q}: [{lo}, {hi}]");
    }
    assert!(csv.lines().next().unwrap().ends_with(
        "low_vs_base_p50_ci95_low,low_vs_base_p50_ci95_high,high_vs_base_p50_ci95_low,\
         high_vs_base_p50_ci95_high,low_vs_base_p90_ci95_low,low_vs_base_p90_ci95_high,\
         high_vs_base_p90_ci95_low,high_vs_base_p90_ci95_high,diff_p50,diff_p90,\
         base_processed,low_processed,high_processed,diff_processed,fewer_processed,\
         base_horizon_censored,low_horizon_censored,high_horizon_censored"
    ));
    // Two ends in each of two panels, and the legend's sample.
    assert_eq!(whiskers(&svg), 2 * 2 + 1, "{svg}");
    assert!(
        svg.contains("whiskers: 95% interval of the change from the baseline (paired Bayesian bootstrap, 2,000 weightings of the 20 replications)"),
        "{svg}"
    );
    // And how far the hand check found they can be trusted.
    assert!(
        svg.contains("checked by hand: whiskers held the true change"),
        "{svg}"
    );
    assert!(!svg.contains("no whisker"), "{svg}");
    let (s, svg, csv) = run("19", "b");
    assert!(s["factors"][0]["low_vs_base_p90_ci95_low"].is_null(), "{s}");
    // The eight whisker ends are empty; the signed changes after them are not (nor the five
    // columns of people processed and three of runs cut off by the horizon after those).
    let cells: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let n = cells.len() - 8;
    assert!(cells[n - 10..n - 2].iter().all(|c| c.is_empty()), "{csv}");
    assert!(
        cells[n - 2..n].iter().all(|c| c.parse::<f64>().is_ok()),
        "{csv}"
    );
    assert_eq!(whiskers(&svg), 0, "{svg}");
    assert!(!svg.contains("whiskers: 95%"), "{svg}");
    assert!(
        svg.contains("no whiskers: no 95% interval from fewer than 20 replications"),
        "{svg}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Shards

/// Run `scenario` with `replications` as shards 1/n … n/n into `dir`/shard1 … shardn.
fn run_shards(dir: &Path, scenario: &str, replications: u32, n: u32) -> Vec<std::path::PathBuf> {
    (1..=n)
        .map(|i| {
            let s = dir.join(format!("shard{i}"));
            stdout(&[
                "run",
                scenario,
                "--replications",
                &replications.to_string(),
                "--shard",
                &format!("{i}/{n}"),
                "--out",
                s.to_str().unwrap(),
                "-q",
            ]);
            s
        })
        .collect()
}

#[test]
fn four_run_shards_merge_into_the_unsharded_result() {
    let d = tempfile::tempdir().unwrap();
    let dirs: Vec<String> = run_shards(d.path(), "scenarios/baseline.toml", 10, 4)
        .iter()
        .map(|s| s.to_str().unwrap().to_string())
        .collect();
    let merged = d.path().join("merged");
    let full = d.path().join("full");
    // shards given in any order (and --quiet accepted, as by every command)
    let mut args = vec!["merge".to_string()];
    args.extend(dirs.iter().rev().cloned());
    args.extend([
        "--out".into(),
        merged.to_str().unwrap().into(),
        "--quiet".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let merged_out = stdout(&args);
    let full_out = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "10",
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    // merge prints the run's table with its What binds (it had left that out)
    let binds = |s: &str| -> Vec<String> {
        let from = s.lines().skip_while(|l| !l.starts_with("What binds"));
        from.take(4).map(String::from).collect()
    };
    assert_eq!(binds(&merged_out).len(), 4, "{merged_out}");
    assert_eq!(binds(&merged_out), binds(&full_out));
    for f in [
        "replications.csv",
        "daily.csv",
        "replications.jsonl",
        "scenario.toml",
    ] {
        assert_eq!(
            std::fs::read(merged.join(f)).unwrap(),
            std::fs::read(full.join(f)).unwrap(),
            "{f}"
        );
    }
    // run.json is the same but for the time spent, which is the shards' added up
    let meta = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p.join("run.json")).unwrap()).unwrap()
    };
    let untimed = |mut v: serde_json::Value| {
        let o = v.as_object_mut().unwrap();
        assert!(o.remove("wall_seconds").unwrap().as_f64().unwrap() > 0.0);
        assert!(o.remove("threads").unwrap().as_u64().unwrap() >= 1);
        v
    };
    assert_eq!(untimed(meta(&merged)), untimed(meta(&full)));
    let shard_seconds: f64 = dirs
        .iter()
        .map(|s| meta(Path::new(s))["wall_seconds"].as_f64().unwrap())
        .sum();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("summary.json")).unwrap())
            .unwrap();
    let perf = &summary["performance"];
    // (added in the order the shards were given: equal up to rounding)
    let close = |x: f64| (x - shard_seconds).abs() <= 1e-9 * shard_seconds;
    assert!(close(perf["wall_seconds"].as_f64().unwrap()), "{perf}");
    assert!(close(meta(&merged)["wall_seconds"].as_f64().unwrap()));
    let events = perf["events"].as_f64().unwrap();
    assert!(events > 0.0);
    let eps = perf["events_per_second"].as_f64().unwrap();
    assert!((eps * shard_seconds / events - 1.0).abs() < 1e-9, "{perf}");
    // the merged scenario.toml names the run's seed and replications, as a run's does
    let toml = std::fs::read_to_string(merged.join("scenario.toml")).unwrap();
    assert!(toml.contains("replications = 10\n") && toml.contains("seed = 20210219\n"));
    // the result may not replace one of its shards
    clearance()
        .args([
            "merge", &dirs[0], &dirs[1], &dirs[2], &dirs[3], "--out", &dirs[2],
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is one of the shard directories merged",
        ));
    // nor one of its files through a link
    let linked = d.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    let shard_lines = Path::new(&dirs[0]).join("replications.jsonl");
    let before = std::fs::read(&shard_lines).unwrap();
    std::os::unix::fs::symlink(&shard_lines, linked.join("replications.jsonl")).unwrap();
    clearance()
        .args(["merge", &dirs[0], &dirs[1], &dirs[2], &dirs[3], "--out"])
        .arg(&linked)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "would replace {}",
            shard_lines.display()
        )));
    assert_eq!(std::fs::read(&shard_lines).unwrap(), before);
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p.join("summary.json")).unwrap()).unwrap()
    };
    assert_eq!(
        without_performance(read(&merged)),
        without_performance(read(&full))
    );

    // a missing shard is refused, naming what is missing
    let out = clearance()
        .args([
            "merge",
            &dirs[0],
            &dirs[1],
            &dirs[3],
            "--out",
            d.path().join("x").to_str().unwrap(),
        ])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("missing"));
}

/// The run of `args` (a scenario and its --set) three ways in `dir`: whole, in two shards
/// merged, and 3 replications extended to 6; the summary.json of each, without `performance`.
fn whole_merged_extended(dir: &Path, args: &[&str]) -> [serde_json::Value; 3] {
    let run = |more: &[&str]| {
        let out = clearance()
            .arg("run")
            .args(args)
            .args(more)
            .arg("-q")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    let at = |n: &str| dir.join(n).to_str().unwrap().to_string();
    run(&["--replications", "6", "--out", &at("whole")]);
    for i in 1..=2 {
        let shard = format!("{i}/2");
        run(&[
            "--replications",
            "6",
            "--shard",
            &shard,
            "--out",
            &at(&format!("s{i}")),
        ]);
    }
    stdout(&["merge", &at("s2"), &at("s1"), "--out", &at("merged"), "-q"]);
    run(&["--replications", "3", "--out", &at("extended")]);
    stdout(&[
        "run",
        "--extend",
        &at("extended"),
        "--replications",
        "6",
        "-q",
    ]);
    ["whole", "merged", "extended"].map(|d| {
        let text = std::fs::read_to_string(dir.join(d).join("summary.json")).unwrap();
        without_performance(serde_json::from_str(&text).unwrap())
    })
}

/// A merged or extended run's summary.json gives the warnings the run gave, with their
/// file:line, their --set, and those only a base of `extends` gives rise to: the merge and
/// the extension had derived them again from the stored scenario (`warn.toml: route[1].seats`
/// without its line, the --set value attributed to the file, the moved start_date's warning
/// gone), so their summary.json was not the single run's.
#[test]
fn merged_and_extended_runs_keep_the_warnings_the_run_gave() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/two-ports.toml").unwrap();
    std::fs::write(d.path().join("base.toml"), &base).unwrap();
    let warn = d.path().join("warn.toml");
    std::fs::write(&warn, base.replacen("seats = 55", "seats = 3", 1)).unwrap();
    let moved = d.path().join("moved.toml");
    std::fs::write(
        &moved,
        "extends = \"base.toml\"\n[scenario]\nname = \"moved\"\nstart_date = \"2021-03-01\"\n",
    )
    .unwrap();
    let cases: [(&Path, &[&str], &[&str]); 2] = [
        (&warn, &[], &["warn.toml:94:1: route[1].seats: seats (3)"]),
        (
            &moved,
            &["--set", "port[El Paso].opens=800d"],
            &[
                "moved.toml:4:1: scenario.start_date: start_date (2021-03-01) is not the \
                 start_date of the base",
                "--set: port[El Paso].opens: port El Paso never opens within the horizon: `opens` \
                 (\"800d\")",
            ],
        ),
    ];
    for (k, (file, set, warned)) in cases.into_iter().enumerate() {
        let dir = d.path().join(format!("case{k}"));
        std::fs::create_dir(&dir).unwrap();
        let mut args = vec![file.to_str().unwrap()];
        args.extend(set);
        let [whole, merged, extended] = whole_merged_extended(&dir, &args);
        let warnings: Vec<&str> = whole["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        let warnings = warnings.join("\n");
        for w in warned {
            assert!(warnings.contains(w), "{w} not in {warnings}");
        }
        assert_eq!(merged, whole, "{file:?}: merged");
        assert_eq!(extended, whole, "{file:?}: extended");
        // The store records them as the run gave them.
        let meta = clearance::experiment::store::read_meta(&dir.join("whole")).unwrap();
        let first = meta.warnings.unwrap()[0].clone();
        assert!(first.contains(warned[0]), "{first}");
    }
    // A store written before the warnings were recorded: they are derived again, as before.
    let old = d.path().join("case0/extended");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(old.join("run.json")).unwrap()).unwrap();
    assert!(v.as_object_mut().unwrap().remove("warnings").is_some());
    std::fs::write(old.join("run.json"), v.to_string()).unwrap();
    stdout(&[
        "run",
        "--extend",
        old.to_str().unwrap(),
        "--replications",
        "7",
        "-q",
    ]);
    let text = std::fs::read_to_string(old.join("summary.json")).unwrap();
    assert!(
        text.contains("warn.toml: route[1].seats: seats (3)"),
        "{text}"
    );
}

/// A store records the clearance and results versions that wrote it; merge and --extend refuse
/// a store of another results version, naming both, and use one that records none (written
/// before it was recorded) with a warning, what they write from it recording none either.
#[test]
fn stores_of_another_results_version_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let dirs = run_shards(d.path(), "scenarios/two-ports.toml", 4, 2);
    let meta = clearance::experiment::store::read_meta(&dirs[0]).unwrap();
    assert_eq!(meta.results_version, Some(clearance::RESULTS_VERSION));
    assert_eq!(meta.clearance_version, env!("CARGO_PKG_VERSION"));
    let edit = |dir: &Path, version: Option<u32>| {
        let p = dir.join("run.json");
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let o = v.as_object_mut().unwrap();
        match version {
            Some(n) => o.insert("results_version".into(), n.into()),
            None => o.remove("results_version"),
        };
        std::fs::write(&p, v.to_string()).unwrap();
    };
    let other = clearance::RESULTS_VERSION + 1;
    edit(&dirs[1], Some(other));
    let refused = |args: &[&str]| {
        let out = clearance().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let merged = d.path().join("merged");
    let m = merged.to_str().unwrap();
    let (s1, s2) = (dirs[0].to_str().unwrap(), dirs[1].to_str().unwrap());
    let err = refused(&["merge", s1, s2, "--out", m]);
    assert!(
        err.contains(&format!(
            "{s2}: holds the replications of a build of results version {other} (clearance {}), \
             and this build (clearance {}) is of results version {}",
            env!("CARGO_PKG_VERSION"),
            env!("CARGO_PKG_VERSION"),
            clearance::RESULTS_VERSION
        )),
        "{err}"
    );
    assert!(!merged.join("summary.json").exists());
    // Without one: merged, with a warning, and the merge records none.
    edit(&dirs[1], None);
    let out = clearance()
        .args(["merge", s1, s2, "--out", m, "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "warning: {s2} was stored by a version of clearance that did not record its results \
             version"
        )),
        "{err}"
    );
    let meta = clearance::experiment::store::read_meta(&merged).unwrap();
    assert_eq!(meta.results_version, None);
    // --extend of the merge: a warning, as for a merge; of another results version: refused.
    let out = clearance()
        .args(["run", "--extend", m, "--replications", "5", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("it is extended as it is"));
    edit(&merged, Some(other));
    let err = refused(&["run", "--extend", m, "--replications", "6", "-q"]);
    assert!(
        err.contains(&format!(
            "{m}: holds the replications of a build of results version {other}"
        )),
        "{err}"
    );
}

/// A whole run given with a shard of it, or one shard written into two directories, is named
/// as such with both directories: "the same shard was given twice?" had been said of both.
#[test]
fn merge_names_both_directories_holding_a_replication() {
    let d = tempfile::tempdir().unwrap();
    let dirs = run_shards(d.path(), "scenarios/two-ports.toml", 4, 2);
    let full = d.path().join("full");
    stdout(&[
        "run",
        "scenarios/two-ports.toml",
        "--replications",
        "4",
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    let copy = d.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for f in ["run.json", "replications.jsonl", "daily.json"] {
        std::fs::copy(dirs[0].join(f), copy.join(f)).unwrap();
    }
    let merge_err = |given: &[&Path]| {
        let out = clearance()
            .arg("merge")
            .args(given)
            .arg("--out")
            .arg(d.path().join("m"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = merge_err(&[&full, &dirs[0]]);
    assert!(
        err.contains(&format!(
            "replications 0–1 are in both {0} and {1}: {0} holds the whole run (all 4 \
             replications), not a shard, so the replications of any shard are in it too: merge \
             the shards alone, or use {0} as it is",
            full.display(),
            dirs[0].display()
        )),
        "{err}"
    );
    assert!(!err.contains("given twice"), "{err}");
    let err = merge_err(&[&dirs[0], &copy, &dirs[1]]);
    assert!(
        err.contains(&format!(
            "replications 0–1 are in both {} and {}: both hold shard 1/2: the same shard \
             written into two directories?",
            dirs[0].display(),
            copy.display()
        )),
        "{err}"
    );
    let err = merge_err(&[&dirs[0], &dirs[0], &dirs[1]]);
    assert!(
        err.contains(&format!(
            "{}: given twice: give each shard directory once",
            dirs[0].display()
        )),
        "{err}"
    );
}

/// Merging reads the shards one line at a time into a spill (memory does not grow with the
/// replications), with what a merge in memory gives; a shard given twice, a stray replication
/// and a store cut short are refused by name.
#[test]
fn run_shards_merge_line_by_line_into_a_spill_and_bad_shards_are_named() {
    use clearance::experiment::{store, Records};
    let d = tempfile::tempdir().unwrap();
    let dirs = run_shards(d.path(), "scenarios/two-ports.toml", 9, 3);
    let meta = store::read_meta(&dirs[0]).unwrap();
    let mut scn = scenario::load_file(Path::new("scenarios/two-ports.toml")).unwrap();
    scn.replications = meta.replications;
    // shards in any order
    let given = vec![dirs[2].clone(), dirs[0].clone(), dirs[1].clone()];
    let (m, reps, daily, why) = store::combine_run(&given, &scn).unwrap();
    assert!(why.is_none());
    assert!(reps.is_spilled());
    assert_eq!((m.first, m.end, m.shard), (0, 9, None));
    assert_eq!(daily.replications(), 9);
    let mut in_memory = Vec::new();
    for dir in &dirs {
        for l in store::read(dir).unwrap().lines {
            in_memory.push(l.result);
        }
    }
    assert_eq!(reps.to_vec().unwrap(), in_memory);
    assert_eq!(
        reps.values(|r| r.index).unwrap(),
        (0..9).collect::<Vec<u32>>()
    );

    let merge_err = |dirs: &[&Path]| {
        let mut c = clearance();
        c.arg("merge");
        for dir in dirs {
            c.arg(dir);
        }
        let out = c.arg("--out").arg(d.path().join("m")).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = merge_err(&[&dirs[0], &dirs[1], &dirs[1], &dirs[2]]);
    assert!(
        err.contains(&format!("{}: given twice", dirs[1].display())),
        "{err}"
    );
    // The shard missing is named (not "replication 3 (point 0)": a run has no points).
    let err = merge_err(&[&dirs[0], &dirs[2]]);
    assert!(
        err.contains(
            "do not hold every replication: shard 2/3 is missing (3 of 9 replications); give \
             every shard 1/3 … 3/3 (run a missing one with `--shard 2/3`"
        ),
        "{err}"
    );
    assert!(!err.contains("point"), "{err}");
    // Shards of different counts (the halves of a run split in 3 and in 2, which leave
    // replication 3 out): each one's split is named.
    let halves = run_shards(&d.path().join("halves"), "scenarios/two-ports.toml", 9, 2);
    let err = merge_err(&[&dirs[0], &halves[1]]);
    assert!(
        err.contains(&format!(
            "{0}: the shards given come from different splits: shard 1/3 in {0} belongs to a \
             split into 3; shard 2/2 in {1} belongs to a split into 2: a stale shard",
            dirs[0].display(),
            halves[1].display()
        )),
        "{err}"
    );
    // A stray line: replication 40 of a 9-replication run.
    let stray = d.path().join("stray");
    std::fs::create_dir(&stray).unwrap();
    for f in ["run.json", "daily.json"] {
        std::fs::copy(dirs[2].join(f), stray.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(dirs[2].join(store::LINES)).unwrap();
    let text = text.replacen("\"index\":6,", "\"index\":40,", 1);
    std::fs::write(stray.join(store::LINES), text).unwrap();
    // run.json's digest of the lines tells the changed file from the one it was written with
    let err = merge_err(&[&dirs[0], &dirs[1], &stray]);
    assert!(
        err.contains("replications.jsonl: is not the file run.json was written with"),
        "{err}"
    );
    // without a digest (an older store), the line itself is refused: its seed is replication
    // 6's, not 40's
    copy_meta_without_digests(&dirs[2], &stray);
    let err = merge_err(&[&dirs[0], &dirs[1], &stray]);
    assert!(
        err.contains("replication 40 was run with another seed than the stored run's"),
        "{err}"
    );
    // with its seed too, the index is outside the run
    let seed40 = clearance::engine::rng::replication_seed(20210219, 40);
    let seed6 = clearance::engine::rng::replication_seed(20210219, 6);
    let text = std::fs::read_to_string(stray.join(store::LINES)).unwrap();
    let text = text.replacen(
        &format!("\"seed\":{seed6},"),
        &format!("\"seed\":{seed40},"),
        1,
    );
    std::fs::write(stray.join(store::LINES), text).unwrap();
    let err = merge_err(&[&dirs[0], &dirs[1], &stray]);
    assert!(err.contains("holds replication 40, outside"), "{err}");

    // --extend reads a stored run line by line too: one cut short is refused before running.
    let full = d.path().join("full");
    stdout(&[
        "run",
        "scenarios/two-ports.toml",
        "--replications",
        "4",
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    let extend_err = || {
        let out = clearance()
            .args(["run", "--extend", full.to_str().unwrap()])
            .args(["--replications", "8", "-q"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let meta = std::fs::read_to_string(full.join(store::RUN_META)).unwrap();
    // (a run of 5 whose store holds 4: an end past the replications is refused as such)
    let more = meta.replacen("\"end\": 4", "\"end\": 5", 1).replacen(
        "\"replications\": 4",
        "\"replications\": 5",
        1,
    );
    assert_eq!(more.len(), meta.len());
    assert_ne!(more, meta);
    std::fs::write(full.join(store::RUN_META), more).unwrap();
    let err = extend_err();
    assert!(
        err.contains("holds 4 replications where run.json says 5"),
        "{err}"
    );
    std::fs::write(full.join(store::RUN_META), meta).unwrap();
    let text = std::fs::read_to_string(full.join(store::LINES)).unwrap();
    let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(full.join(store::LINES), cut).unwrap();
    let err = extend_err();
    assert!(
        err.contains("replications.jsonl: is not the file run.json was written with"),
        "{err}"
    );
    // (a store without digests: the count is checked against daily.json)
    copy_meta_without_digests(&full, &full);
    let err = extend_err();
    assert!(err.contains("daily.json: holds 4 replications"), "{err}");
}

/// A merge of some of a run's shards names the shards missing ("shards 2/4 and 4/4 are
/// missing"): it had named the first replication missing, "replication 4 (point 0)".
#[test]
fn a_merge_names_the_shards_missing() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let dirs = run_shards(d.path(), m, 8, 4);
    let err = merge_refused(&[&dirs[0], &dirs[2]], &d.path().join("m"));
    assert!(
        err.contains(&format!(
            "error: {}: this and the other directories given do not hold every replication: \
             shards 2/4 and 4/4 are missing (4 of 8 replications); give every shard 1/4 … 4/4 \
             (run a missing one with `--shard 2/4` and the same scenario, --set, --seed and \
             --replications as the others)",
            dirs[0].display()
        )),
        "{err}"
    );
    let err = merge_refused(&[&dirs[3]], &d.path().join("m"));
    assert!(
        err.contains("shards 1/4, 2/4 and 3/4 are missing (6 of 8 replications)"),
        "{err}"
    );

    // A sweep's: the shard, and the replications at each point.
    let sweep = |i: u32, out: &Path| {
        clearance()
            .args(["sweep", m, "--vary", "screening.servers=1,2"])
            .args(["--replications", "4", "-q", "--shard", &format!("{i}/2")])
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    };
    let (s1, s2) = (d.path().join("s1"), d.path().join("s2"));
    sweep(1, &s1);
    sweep(2, &s2);
    let err = merge_refused(&[&s2], &d.path().join("m"));
    assert!(
        err.contains(
            "shard 1/2 is missing (4 of 8 replications (4 at each of 2 points)); give every \
             shard 1/2 … 2/2"
        ),
        "{err}"
    );
    // A shard given without all of its replications (a store without digests, whose last
    // line was cut off) is named as such, with the replication and point it lacks.
    edit_meta(&s2, "sweep.json", |v| {
        v.as_object_mut().unwrap().remove("lines_digest");
    });
    let text = std::fs::read_to_string(s2.join("replications.jsonl")).unwrap();
    let n = text.lines().count();
    let cut: String = text.lines().take(n - 1).map(|l| format!("{l}\n")).collect();
    std::fs::write(s2.join("replications.jsonl"), cut).unwrap();
    let err = merge_refused(&[&s1, &s2], &d.path().join("m"));
    assert!(
        err.contains(&format!(
            "error: {}: holds shard 2/2 but not all of its replications: replication 3 of point \
             1 is missing (1 of 8 replications (4 at each of 2 points) is missing in all); the \
             directory is incomplete: run shard 2/2 again",
            s2.display()
        )),
        "{err}"
    );
}

/// A shard written into a directory holding another run's outputs: `run --shard` names what it
/// left (as `run --no-charts` does), and `report` and `chart` refuse with the merge to run
/// instead of describing the earlier run from its summary.json; `sweep --shard` into a run's
/// directory removes that run's store, whose replications.jsonl it replaced (its run.json had
/// been read in the sweep's place, and the merge refused the shard as "not the file run.json
/// was written with"); a directory holding both stores is refused naming the stale one.
#[test]
fn a_shard_over_an_earlier_run_names_what_it_left_and_is_not_reported_as_that_run() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let run_into = |dir: &Path, extra: &[&str]| {
        let out = clearance()
            .args(["run", m, "--replications", "4", "-q"])
            .args(extra)
            .arg("--out")
            .arg(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let old = d.path().join("old");
    assert_eq!(run_into(&old, &[]), "");
    let copy = |to: &Path| {
        std::fs::create_dir(to).unwrap();
        for e in std::fs::read_dir(&old).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    };
    let sh = d.path().join("sh");
    copy(&sh);
    let err = run_into(&sh, &["--seed", "9", "--shard", "1/2"]);
    assert!(
        err.contains(&format!(
            "note: {} still holds outputs of an earlier run that this shard did not rewrite: \
             summary.json, replications.csv, daily.csv, ports.csv, scenario.toml, fan.png",
            sh.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("(`clearance merge` reads only the shard's store: run.json"),
        "{err}"
    );
    // Into an empty directory, nothing to say.
    let sh2 = d.path().join("sh2");
    assert_eq!(run_into(&sh2, &["--seed", "9", "--shard", "2/2"]), "");
    for cmd in ["report", "chart"] {
        let out = clearance().arg(cmd).arg(&sh).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        assert!(
            err.contains(&format!(
                "{} holds shard 1/2 of a run, not a whole run (its summary.json is left from an \
                 earlier run): replications 0–1 of 4",
                sh.display()
            )),
            "{cmd}: {err}"
        );
        assert!(err.contains("clearance merge"), "{err}");
    }
    assert!(!sh.join("report.html").exists());
    // The merge of the shards is the run of seed 9, and reported as such.
    let merged = d.path().join("merged");
    clearance()
        .arg("merge")
        .args([&sh, &sh2])
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["seed"], 9, "{summary}");

    // A sweep's shard into a run's directory: that run's store is removed, the rest named,
    // and the shards merge.
    let sweep = |i: u32, out: &Path| {
        let o = clearance()
            .args(["sweep", m, "--vary", "screening.servers=1,2"])
            .args(["--replications", "4", "-q", "--shard", &format!("{i}/2")])
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let (z1, z2) = (d.path().join("z1"), d.path().join("z2"));
    copy(&z1);
    let err = sweep(1, &z1);
    assert!(
        err.contains(&format!(
            "note: removed run.json and daily.json from {}: they were the store of an earlier \
             run, whose replications.jsonl this sweep's store replaced",
            z1.display()
        )),
        "{err}"
    );
    assert!(err.contains("did not rewrite: summary.json"), "{err}");
    assert!(!z1.join("run.json").exists() && !z1.join("daily.json").exists());
    assert!(old.join("run.json").exists());
    assert_eq!(sweep(2, &z2), "");
    let out = clearance().arg("report").arg(&z1).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "holds shard 1/2 of a sweep (sweep.json), not a run (its summary.json is left"
        ),
        "{err}"
    );
    let zm = d.path().join("zm");
    clearance()
        .arg("merge")
        .args([&z1, &z2])
        .arg("--out")
        .arg(&zm)
        .assert()
        .success();
    assert!(zm.join("sweep.csv").exists());

    // A whole sweep into a run's directory names the run's outputs it left (its summary.json,
    // which `clearance report` would describe), as a shard does; into an empty one, nothing.
    let whole = |out: &Path| {
        let o = clearance()
            .args(["sweep", m, "--vary", "screening.servers=1,2"])
            .args(["--replications", "2", "-q"])
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let ws = d.path().join("ws");
    copy(&ws);
    let err = whole(&ws);
    assert!(
        err.contains(&format!(
            "note: {} still holds outputs of an earlier run that this sweep did not rewrite: \
             summary.json, replications.csv, daily.csv, ports.csv",
            ws.display()
        )),
        "{err}"
    );
    assert_eq!(whole(&d.path().join("ws2")), "");

    // Both stores (a directory written by an earlier version, or files copied in): the one
    // replications.jsonl was not written with is named, with what to do.
    let both = d.path().join("both");
    copy(&both);
    for f in ["sweep.json", "replications.jsonl"] {
        std::fs::copy(z1.join(f), both.join(f)).unwrap();
    }
    let err = merge_refused(&[&both, &z2], &d.path().join("bm"));
    assert!(
        err.contains(&format!(
            "error: {}: holds both run.json and sweep.json, the stores of a run and of a sweep, \
             of which one is left from an earlier command; replications.jsonl was written with \
             sweep.json (a sweep's shard), so run.json and daily.json are left from an earlier \
             run: remove them, or write each shard into an empty --out directory",
            both.display()
        )),
        "{err}"
    );
    // Removed as told, the shards merge.
    for f in ["run.json", "daily.json"] {
        std::fs::remove_file(both.join(f)).unwrap();
    }
    clearance()
        .arg("merge")
        .args([&both, &z2])
        .arg("--out")
        .arg(d.path().join("bm"))
        .assert()
        .success();
    let z3 = d.path().join("z3");
    // A run written over a sweep's shard removes the shard's sweep.json the same way (the two
    // stores in one directory are refused, above).
    let err = {
        sweep(2, &z3);
        run_into(&z3, &[])
    };
    assert!(
        err.contains(&format!(
            "note: removed sweep.json from {}: it was the store of an earlier sweep, whose \
             replications.jsonl this run's store replaced",
            z3.display()
        )),
        "{err}"
    );
    assert!(!z3.join("sweep.json").exists() && z3.join("run.json").exists());
}

/// `merge --out` into a directory holding another run's charts names them, as `run --no-charts`
/// does (they had been kept without a word, and looked like the merged run's), with the command
/// that draws the merged run's; into an empty directory it says nothing but its status line (on
/// stderr, none under --quiet).
#[test]
fn a_merge_over_an_earlier_run_names_the_charts_it_left() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let dirs = run_shards(d.path(), m, 4, 2);
    let old = d.path().join("old");
    clearance()
        .args([
            "run",
            m,
            "--replications",
            "3",
            "--seed",
            "5",
            "-q",
            "--report",
            "--out",
        ])
        .arg(&old)
        .assert()
        .success();
    let merge_with = |out: &Path, quiet: bool| {
        let o = clearance()
            .arg("merge")
            .args(&dirs)
            .args(quiet.then_some("-q"))
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(!stdout.contains("merged "), "{stdout}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let merge = |out: &Path| merge_with(out, false);
    // Into an empty directory: its status line alone (on stderr, as every command's), and
    // nothing under --quiet.
    let fresh = d.path().join("fresh");
    assert_eq!(
        merge(&fresh),
        format!(
            "merged 2 shard directories (4 replications) into {}\n",
            fresh.display()
        )
    );
    assert_eq!(merge_with(&d.path().join("fresh-q"), true), "");
    let err = merge(&old);
    assert!(
        err.contains(&format!(
            "note: {} still holds outputs of an earlier run that this merge did not rewrite: \
             report.html, fan.png, fan.svg",
            old.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "(`clearance chart {}` draws the merged run's charts",
            old.display()
        )),
        "{err}"
    );
    assert!(!err.contains("summary.json"), "{err}");
}

/// `merge` gives its table's warnings on stderr too, as `run` does when stdout and stderr are not
/// one terminal (they had been only inside the table, on stdout), and its status line there,
/// not on stdout; under --quiet the warnings still, the status line not.
#[test]
fn a_merge_gives_its_warnings_and_status_on_stderr_as_run_does() {
    let d = tempfile::tempdir().unwrap();
    let cut = ["--set", "scenario.horizon=30d", "-q"];
    let o = clearance()
        .args(["run", "scenarios/baseline.toml", "--replications", "4"])
        .args(cut)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let run_err = String::from_utf8_lossy(&o.stderr).into_owned();
    let warning = run_err
        .lines()
        .find(|l| l.starts_with("warning: 4 of 4 replications reached the horizon"))
        .unwrap_or_else(|| panic!("{run_err}"))
        .to_string();
    let mut dirs = Vec::new();
    for shard in ["1/2", "2/2"] {
        let s = d.path().join(shard.replace('/', "-"));
        clearance()
            .args(["run", "scenarios/baseline.toml", "--replications", "4"])
            .args(cut)
            .args(["--shard", shard, "--out"])
            .arg(&s)
            .assert()
            .success();
        dirs.push(s);
    }
    for quiet in [false, true] {
        let out = d.path().join(format!("merged-{quiet}"));
        let o = clearance()
            .arg("merge")
            .args(&dirs)
            .args(quiet.then_some("-q"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let (stdout, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert!(err.lines().any(|l| l == warning), "{warning}\n{err}");
        // The table on stdout still holds it, and no status line.
        assert!(
            stdout.contains("4 of 4 replications reached the horizon"),
            "{stdout}"
        );
        assert!(!stdout.contains("merged "), "{stdout}");
        let status = format!(
            "merged 2 shard directories (4 replications) into {}",
            out.display()
        );
        assert_eq!(err.lines().any(|l| l == status), !quiet, "{err}");
    }
}

/// The shards of a sweep merge into what one machine writes: sweep.csv and sweep_long.csv,
/// and (read from the shards' sweep.json, which records the scenario before the factors, the
/// sweep file and where each factor was given) provenance.json and scenario.toml, equal to the
/// single-machine
/// sweep's whole (provenance.json holds no time spent), and `--json` the same document. The
/// merge had written only sweep.csv and the chart.
#[test]
fn sweep_shards_merge_into_the_unsharded_sweep() {
    let d = tempfile::tempdir().unwrap();
    let sf = d.path().join("sweep.toml");
    std::fs::write(
        &sf,
        format!(
            "[sweep]\nscenario = \"{}\"\nseed = 7\n\"port[El Paso].quota_per_day\" = [200, 400]\n",
            std::fs::canonicalize("scenarios/baseline.toml")
                .unwrap()
                .display()
        ),
    )
    .unwrap();
    let common = [
        "sweep",
        sf.to_str().unwrap(),
        "--vary",
        "health.isolation=5d,10d",
        "--set",
        "screening.servers=30",
        "--replications",
        "5",
        "--quiet",
    ];
    let mut dirs = Vec::new();
    for i in 1..=2 {
        let s = d.path().join(format!("s{i}"));
        let mut a: Vec<&str> = common.to_vec();
        let sh = format!("{i}/2");
        a.extend(["--shard", &sh, "--out", s.to_str().unwrap()]);
        stdout(&a);
        dirs.push(s);
    }
    let merged = d.path().join("m");
    let merge = |out: &Path, json: bool| {
        let mut a = vec![
            "merge",
            dirs[0].to_str().unwrap(),
            dirs[1].to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        if json {
            a.push("--json");
        }
        stdout(&a)
    };
    let table = merge(&merged, false);
    assert!(!table.contains("wrote "), "{table}");
    assert!(merged.join("provenance.json").is_file());
    let full = d.path().join("full");
    let mut a: Vec<&str> = common.to_vec();
    a.extend(["--out", full.to_str().unwrap()]);
    stdout(&a);
    let read = |dir: &Path, f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    for f in [
        "sweep.csv",
        "sweep_long.csv",
        "provenance.json",
        "scenario.toml",
    ] {
        assert_eq!(read(&merged, f), read(&full, f), "{f}");
    }
    // What it records: the sweep file, the factors with where each was given, --set.
    let p: serde_json::Value = serde_json::from_str(&read(&merged, "provenance.json")).unwrap();
    assert_eq!(p["sweep_file"], sf.to_str().unwrap(), "{p}");
    assert_eq!(
        p["overrides"],
        serde_json::json!(["screening.servers=30"]),
        "{p}"
    );
    assert_eq!(p["seed"], 7, "{p}");
    assert_eq!(p["factors"][1]["origin"], "--vary", "{p}");
    assert_eq!(
        p["factors"][1]["values"],
        serde_json::json!(["\"5d\"", "\"10d\""])
    );
    let origin = p["factors"][0]["origin"].as_str().unwrap();
    assert!(origin.starts_with(sf.to_str().unwrap()), "{p}");
    // --json: the same document from the merge as from the sweep.
    let merged_json = merge(&d.path().join("mj"), true);
    let mut a: Vec<&str> = common.to_vec();
    a.push("--json");
    assert_eq!(merged_json, stdout(&a));
    // A sweep stored before its store recorded the scenario before the factors still merges,
    // into sweep.csv and the chart, and says why provenance.json and scenario.toml are not
    // written; its JSON names what the store has (no fingerprint).
    for dir in &dirs {
        edit_meta(dir, "sweep.json", |v| {
            v.as_object_mut().unwrap().remove("base").unwrap();
        });
    }
    let old = d.path().join("old");
    let o = clearance()
        .args(["merge", "--json", "--out"])
        .arg(&old)
        .args(&dirs)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "note: provenance.json and scenario.toml are not written: the shards were stored by \
             an earlier version of clearance"
        ),
        "{err}"
    );
    assert_eq!(read(&old, "sweep.csv"), read(&full, "sweep.csv"));
    assert_eq!(read(&old, "sweep_long.csv"), read(&full, "sweep_long.csv"));
    assert!(!old.join("provenance.json").exists() && !old.join("scenario.toml").exists());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut want: serde_json::Value = serde_json::from_str(&merged_json).unwrap();
    want["scenario"]
        .as_object_mut()
        .unwrap()
        .remove("fingerprint");
    for f in want["factors"].as_array_mut().unwrap() {
        f["origin"] = "not recorded".into();
    }
    want.as_object_mut().unwrap().remove("sweep_file");
    assert_eq!(v, want);
}

/// The scenario before a sweep's factors, stored with its shards, must be the one its
/// fingerprint was taken of, and name where each factor was given: an edited one is refused.
#[test]
fn a_stored_sweep_base_that_was_changed_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let s = d.path().join("s");
    sweep_store(&s);
    edit_meta(&s, "sweep.json", |v| {
        let t = v["base"]["scenario_toml"]
            .as_str()
            .unwrap()
            .replace("25000", "26000");
        v["base"]["scenario_toml"] = t.into();
    });
    let err = merge_refused(&[&s], &d.path().join("m"));
    assert!(
        err.contains(
            "sweep.json: its scenario_toml is not the scenario its fingerprint was taken of"
        ),
        "{err}"
    );
    sweep_store(&s);
    edit_meta(&s, "sweep.json", |v| {
        v["base"]["origins"].as_array_mut().unwrap().pop();
    });
    let err = merge_refused(&[&s], &d.path().join("m"));
    assert!(
        err.contains("sweep.json: base.origins names 1 origin for the 2 factors"),
        "{err}"
    );
}

/// A 2 × 2 sweep of the baseline (El Paso's quota 200, 400 by screening servers 20, 40; two
/// replications) stored as its one shard in `dir`, as `sweep --shard 1/1 --out` writes it.
fn sweep_store(dir: &Path) {
    stdout(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "port[El Paso].quota_per_day=200,400",
        "--vary",
        "screening.servers=20,40",
        "--replications",
        "2",
        "--shard",
        "1/1",
        "--out",
        dir.to_str().unwrap(),
        "-q",
    ]);
}

/// Change a stored sweep's `sweep.json` with `f` (JSON in hand).
fn edit_meta(dir: &Path, name: &str, f: impl FnOnce(&mut serde_json::Value)) {
    let p = dir.join(name);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// `merge` of `dirs` into `out`, which must fail: its stderr.
fn merge_refused(dirs: &[&Path], out: &Path) -> String {
    let mut c = clearance();
    c.arg("merge").args(dirs).arg("--out").arg(out);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Every file of `dir`, by name, with its bytes.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// `merge` writes the same bytes whatever the order the shard directories are given in, also
/// when the shards were given the same experiment in different words (`--set` by the port's
/// position on one, its name on another: the same fingerprint): it records those of shard 1/n
/// and says so. It had taken the first directory named, so `merge B A` and `merge A B` differed.
#[test]
fn a_merge_does_not_depend_on_the_order_of_its_shards() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let sets = [
        "port[1].quota_per_day=60",
        "port[San Ysidro].quota_per_day=60",
        "port[1].quota_per_day=60",
    ];
    // A run's shards, and a sweep's.
    for (cmd, extra) in [
        ("run", &[][..]),
        ("sweep", &["--vary", "backlog.people=100,150"][..]),
    ] {
        let shards: Vec<std::path::PathBuf> = (1..=3)
            .map(|i| {
                let dir = d.path().join(format!("{cmd}{i}"));
                let sh = format!("{i}/3");
                let mut a = vec![cmd, m, "--shard", &sh, "--replications", "9", "-q"];
                a.extend(["--set", sets[i - 1], "--out", dir.to_str().unwrap()]);
                a.extend(extra);
                stdout(&a);
                dir
            })
            .collect();
        let merge = |order: &[usize], name: &str| {
            let out = d.path().join(name);
            let o = clearance()
                .arg("merge")
                .args(order.iter().map(|&i| &shards[i]))
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{o:?}");
            (
                files_of(&out),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        };
        let (a, err_a) = merge(&[0, 1, 2], &format!("{cmd}-123"));
        let (b, err_b) = merge(&[2, 0, 1], &format!("{cmd}-312"));
        let (c, _) = merge(&[1, 2, 0], &format!("{cmd}-231"));
        assert!(
            a.len() >= 4,
            "{cmd}: {:?}",
            a.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for (x, y) in a.iter().zip(&b).chain(a.iter().zip(&c)) {
            assert_eq!(x.0, y.0, "{cmd}");
            assert!(
                x.1 == y.1,
                "{cmd}: {} differs with the shards in another order",
                x.0
            );
        }
        assert_eq!(a.len(), b.len());
        // Shard 1/3's words are kept, and the note names what differs and whose are kept.
        let kept = format!("{}1", d.path().join(cmd).display());
        for err in [&err_a, &err_b] {
            assert!(
                err.contains(&format!(
                    "note: the shards were given the same experiment in different words (--set \
                     port[1].quota_per_day=60 in {kept}, port[San Ysidro].quota_per_day=60 in "
                )) && err.contains(&format!("the merged output records those of {kept}, ")),
                "{cmd}: {err}"
            );
        }
        let recorded = match cmd {
            "run" => "summary.json",
            _ => "provenance.json",
        };
        let text = &a.iter().find(|f| f.0 == recorded).unwrap().1;
        let v: serde_json::Value = serde_json::from_slice(text).unwrap();
        let overrides = match cmd {
            "run" => &v["scenario"]["overrides"],
            _ => &v["overrides"],
        };
        assert_eq!(
            overrides,
            &serde_json::json!(["port[1].quota_per_day=60"]),
            "{cmd}: {v}"
        );
    }
}

/// A sweep given by a sweep file on one shard and by its scenario and `--vary` on the other
/// is the same experiment in different words: the note names the sweep file whichever shard
/// has it (it had been named only when a later shard had one, not shard 1/n).
#[test]
fn a_merge_names_a_sweep_file_whichever_shard_has_it() {
    let d = tempfile::tempdir().unwrap();
    let m = std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap();
    let file = d.path().join("s.toml");
    std::fs::write(
        &file,
        format!(
            "[sweep]\nscenario = {:?}\n\"backlog.people\" = [100, 150]\n",
            m.display().to_string()
        ),
    )
    .unwrap();
    let shard = |i: usize, by_file: bool, name: &str| {
        let dir = d.path().join(name);
        let sh = format!("{i}/2");
        let mut a = vec!["sweep".to_string()];
        if by_file {
            a.push(file.display().to_string());
        } else {
            a.extend([m.display().to_string(), "--vary".into()]);
            a.push("backlog.people=100,150".into());
        }
        for x in ["--shard", &sh, "--replications", "4", "-q", "--out"] {
            a.push(x.into());
        }
        a.push(dir.display().to_string());
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        stdout(&refs);
        dir
    };
    let merge = |dirs: [&std::path::Path; 2], name: &str| {
        let o = clearance()
            .arg("merge")
            .args(dirs)
            .arg("--out")
            .arg(d.path().join(name))
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let f = file.display();
    // Shard 1/2 by the file, 2/2 by --vary.
    let (a1, a2) = (shard(1, true, "a1"), shard(2, false, "a2"));
    let err = merge([&a2, &a1], "am");
    assert!(
        err.contains(&format!(
            "sweep file {f} in {}, none in {}",
            a1.display(),
            a2.display()
        )),
        "{err}"
    );
    // Shard 1/2 by --vary, 2/2 by the file.
    let (b1, b2) = (shard(1, false, "b1"), shard(2, true, "b2"));
    let err = merge([&b1, &b2], "bm");
    assert!(
        err.contains(&format!(
            "sweep file none in {}, {f} in {}",
            b1.display(),
            b2.display()
        )),
        "{err}"
    );
}

/// Shards of two splits of one experiment (1/3 and 2/3 with a stale 3/7) are refused naming
/// each one's split, before any replication is read: the merge had said "replication 8 is
/// present twice: the same shard was given twice?". Shards of different splits that hold every
/// replication once between them merge.
#[test]
fn shards_of_different_splits_are_named() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let shard = |i: u32, n: u32| {
        let dir = d.path().join(format!("s{n}-{i}"));
        stdout(&[
            "run",
            m,
            "--replications",
            "12",
            "--shard",
            &format!("{i}/{n}"),
            "--out",
            dir.to_str().unwrap(),
            "-q",
        ]);
        dir
    };
    let (a, b, stale) = (shard(1, 3), shard(2, 3), shard(3, 7));
    let err = merge_refused(&[&a, &b, &stale], &d.path().join("m1"));
    assert!(
        err.contains(&format!(
            "error: {0}: the shards given come from different splits: shard 3/7 in {0} belongs \
             to a split into 7, the others to a split into 3: a stale shard from an earlier \
             run? Merge the shards of one split, every shard 1/n … n/n of one n (here 1/3 … \
             3/3)",
            stale.display()
        )),
        "{err}"
    );
    assert!(!err.contains("present twice"), "{err}");
    // 1/2 with 3/4 and 4/4: replications 0–5, 6–8 and 9–11, each once.
    let (half, q3, q4) = (shard(1, 2), shard(3, 4), shard(4, 4));
    let whole = d.path().join("whole");
    stdout(&[
        "run",
        m,
        "--replications",
        "12",
        "--out",
        whole.to_str().unwrap(),
        "-q",
    ]);
    let merged = d.path().join("m2");
    clearance()
        .arg("merge")
        .args([&q4, &half, &q3])
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(merged.join("replications.csv")).unwrap(),
        std::fs::read(whole.join("replications.csv")).unwrap()
    );
}

/// Shards of different experiments are refused naming what differs and its two values (`seed:
/// 7 in s1, 8 in s2`): merge had said only "(scenario fingerprint, seed, replications or sweep
/// points differ)".
#[test]
fn shards_of_different_experiments_name_what_differs() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    // Shard `i`/2 of `m` into `dir`, with `extra` arguments.
    let shard = |cmd: &str, i: u32, name: &str, extra: &[&str]| {
        let dir = d.path().join(name);
        let mut a = vec![cmd, m, "--shard"];
        let sh = format!("{i}/2");
        a.push(&sh);
        a.extend(["--out", dir.to_str().unwrap(), "-q"]);
        a.extend(extra);
        stdout(&a);
        dir
    };
    let reps = |n: &'static str| ["--replications", n];
    let seven = shard(
        "run",
        1,
        "seed7",
        &[&reps("4")[..], &["--seed", "7"]].concat(),
    );
    let eight = shard(
        "run",
        2,
        "seed8",
        &[&reps("4")[..], &["--seed", "8"]].concat(),
    );
    let err = merge_refused(&[&seven, &eight], &d.path().join("m1"));
    assert!(
        err.contains(&format!(
            "{}: is not a shard of the same experiment as {}: seed: 7 in {}, 8 in {}; merge the \
             shards of one experiment",
            eight.display(),
            seven.display(),
            seven.display(),
            eight.display()
        )),
        "{err}"
    );
    assert!(!err.contains("replications:"), "{err}");
    // Replications, and both when both differ.
    let six = shard(
        "run",
        2,
        "six",
        &[&reps("6")[..], &["--seed", "7"]].concat(),
    );
    let err = merge_refused(&[&seven, &six], &d.path().join("m2"));
    assert!(
        err.contains(&format!(
            ": replications: 4 in {}, 6 in {};",
            seven.display(),
            six.display()
        )),
        "{err}"
    );
    assert!(!err.contains("seed:"), "{err}");
    let err = merge_refused(&[&six, &eight], &d.path().join("m3"));
    assert!(
        err.contains(&format!(
            ": seed: 7 in {0}, 8 in {1}; replications: 6 in {0}, 4 in {1};",
            six.display(),
            eight.display()
        )),
        "{err}"
    );
    // The scenario: its name, file, --set values and fingerprint.
    let more = shard(
        "run",
        2,
        "more",
        &[
            &reps("4")[..],
            &["--seed", "7", "--set", "backlog.people=200"],
        ]
        .concat(),
    );
    let err = merge_refused(&[&seven, &more], &d.path().join("m4"));
    assert!(
        err.contains(&format!(": scenario: \"minimal\" from {m} (fingerprint "))
            && err.contains(&format!(
                ") in {}, \"minimal\" from {m} with --set backlog.people=200 (fingerprint ",
                seven.display()
            )),
        "{err}"
    );
    // ... and which values differ, as both shards stored their scenario.
    assert!(
        err.contains(&format!(
            " (the values that differ: backlog.people: 100 in {}, 200 in {}); merge the shards",
            seven.display(),
            more.display()
        )),
        "{err}"
    );
    // A scenario file edited between two shards: the same name, file and --set; the values
    // tell them apart (a port's by its name, as --set names it).
    let file = d.path().join("edited.toml");
    let text = std::fs::read_to_string(m).unwrap();
    let edited = |quota: &str, name: &str, i: u32| {
        std::fs::write(&file, text.replace("quota_per_day = 50", quota)).unwrap();
        let dir = d.path().join(name);
        clearance()
            .args(["run", file.to_str().unwrap(), "--replications", "4", "-q"])
            .args(["--shard", &format!("{i}/2"), "--out"])
            .arg(&dir)
            .assert()
            .success();
        dir
    };
    let (e1, e2) = (
        edited("quota_per_day = 50", "e1", 1),
        edited("quota_per_day = 60\nopens = \"2d\"", "e2", 2),
    );
    let err = merge_refused(&[&e1, &e2], &d.path().join("m5"));
    assert!(
        err.contains(&format!(
            "(the values that differ: port[San Ysidro].opens: — in {0}, \"2d\" in {1}; \
             port[San Ysidro].quota_per_day: 50 in {0}, 60 in {1})",
            e1.display(),
            e2.display()
        )),
        "{err}"
    );
    // Sweeps: seed, replications per point, and their points.
    let vary = |v: &'static str| ["--vary", v];
    let s1 = shard(
        "sweep",
        1,
        "sw1",
        &[
            &reps("4")[..],
            &vary("screening.servers=1,2"),
            &["--seed", "7"],
        ]
        .concat(),
    );
    let s2 = shard(
        "sweep",
        2,
        "sw2",
        &[
            &reps("6")[..],
            &vary("screening.servers=1,3"),
            &["--seed", "8"],
        ]
        .concat(),
    );
    let err = merge_refused(&[&s1, &s2], &d.path().join("m5"));
    assert!(
        err.contains(&format!(
            ": seed: 7 in {0}, 8 in {1}; replications (per point): 4 in {0}, 6 in {1}; values \
             of sweep point 1: (2) in {0}, (3) in {1};",
            s1.display(),
            s2.display()
        )),
        "{err}"
    );
    // A run's shard and a sweep's.
    let err = merge_refused(&[&seven, &s2], &d.path().join("m6"));
    assert!(
        err.contains(&format!(
            ": what it holds: a run (run.json) in {}, a sweep (sweep.json) in {};",
            seven.display(),
            s2.display()
        )),
        "{err}"
    );
}

/// The fingerprint identifies the model, not the run: it leaves out `scenario.seed` and
/// `scenario.replications` however they are given (file, `--set`, `--seed`/`--replications`), as
/// `run.json` records them beside it. It had hashed the file's seed and replications, so a shard
/// run from a saved `scenario.toml` did not merge with one run from the file it was saved from,
/// `--seed 5` and `--set scenario.seed=5` gave two fingerprints and `--seed 5` the default's.
#[test]
fn the_fingerprint_leaves_out_the_seed_and_replications() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let dir = |name: &str| d.path().join(name);
    let full = dir("full");
    stdout(&[
        "run",
        m,
        "--replications",
        "4",
        "--seed",
        "5",
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    let saved = full.join("scenario.toml");
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        saved_text.contains("seed = 5") && saved_text.contains("replications = 4"),
        "{saved_text}"
    );
    let fingerprint = |args: &[&str]| {
        let mut a = vec!["run"];
        a.extend(args);
        a.extend(["--replications", "2", "--json", "-q"]);
        let v = json(&a);
        v["scenario"]["fingerprint"].as_str().unwrap().to_string()
    };
    let base = fingerprint(&[m]);
    assert_eq!(base.len(), 16, "{base}");
    for args in [
        &[m, "--seed", "5"][..],
        &[m, "--set", "scenario.seed=5"],
        &[m, "--set", "scenario.replications=3"],
        &[saved.to_str().unwrap()],
        &[saved.to_str().unwrap(), "--seed", "9"],
    ] {
        assert_eq!(fingerprint(args), base, "{args:?}");
    }
    assert_ne!(fingerprint(&[m, "--set", "backlog.people=200"]), base);
    // run.json and summary.json give the one fingerprint, and record the seed and replications.
    let run_json = |d: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("run.json")).unwrap()).unwrap()
    };
    let meta = run_json(&full);
    assert_eq!(meta["fingerprint"], base.as_str());
    assert_eq!(
        (meta["seed"].as_u64(), meta["replications"].as_u64()),
        (Some(5), Some(4))
    );
    // A shard run from the file and one from the saved scenario.toml merge into the run.
    let (s1, s2, merged) = (dir("s1"), dir("s2"), dir("merged"));
    let shard = |file: &str, i: &str, out: &Path, extra: &[&str]| {
        let mut a = vec![
            "run",
            file,
            "--shard",
            i,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        a.extend(extra);
        stdout(&a);
    };
    shard(m, "1/2", &s1, &["--replications", "4", "--seed", "5"]);
    shard(saved.to_str().unwrap(), "2/2", &s2, &[]);
    stdout(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "-q",
    ]);
    for f in ["replications.csv", "daily.csv"] {
        assert_eq!(
            std::fs::read(merged.join(f)).unwrap(),
            std::fs::read(full.join(f)).unwrap(),
            "{f}"
        );
    }
    // Shards of other seeds or replication counts are still refused, by those, however given.
    let (s7, s8) = (dir("s7"), dir("s8"));
    shard(m, "2/2", &s7, &["--replications", "4", "--seed", "7"]);
    shard(
        m,
        "1/2",
        &s8,
        &[
            "--set",
            "scenario.seed=8",
            "--set",
            "scenario.replications=6",
        ],
    );
    let err = merge_refused(&[&s8, &s7], &dir("m1"));
    assert!(
        err.contains(&format!(
            ": seed: 8 in {0}, 7 in {1}; replications: 6 in {0}, 4 in {1};",
            s8.display(),
            s7.display()
        )),
        "{err}"
    );
    assert!(!err.contains("scenario:"), "{err}");
    let err = merge_refused(&[&s1, &s7], &dir("m2"));
    assert!(err.contains(": seed: 5 in "), "{err}");
    // A shard stored with the fingerprint of the whole text (before it left out the seed and
    // replications) is recognised as unchanged, merges with one written since, and the merge
    // records the fingerprint of now.
    let mut old = run_json(&s2);
    let table: toml::Table = old["scenario_toml"].as_str().unwrap().parse().unwrap();
    let legacy = format!(
        "{:016x}",
        clearance::hash::fnv1a(toml::to_string(&table).unwrap().as_bytes())
    );
    assert_ne!(legacy, base);
    old["fingerprint"] = legacy.into();
    std::fs::write(s2.join("run.json"), old.to_string()).unwrap();
    let merged2 = dir("merged2");
    stdout(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        merged2.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(run_json(&merged2)["fingerprint"], base.as_str());
    assert_eq!(
        std::fs::read(merged2.join("replications.csv")).unwrap(),
        std::fs::read(full.join("replications.csv")).unwrap()
    );
    // A fingerprint that is neither is refused as before.
    old["fingerprint"] = "0123456789abcdef".into();
    std::fs::write(s2.join("run.json"), old.to_string()).unwrap();
    let err = merge_refused(&[&s1, &s2], &dir("m3"));
    assert!(
        err.contains("its scenario_toml is not the scenario its fingerprint was taken of"),
        "{err}"
    );
}

/// What README and docs/experiments.md say of `replications.csv` and a sweep point's KPIs:
/// `end_days` equals `clearance_days` without inflow and is later when the inflow lasts longer;
/// an empty cell is a figure the replication does not have (a utilization of unlimited
/// capacity), an omitted stage waits 0; a sweep point has the STAT of exactly the KPIs listed
/// (no per-class figures, `in_system`, `inflow`).
#[test]
fn replications_csv_and_sweep_kpis_are_as_documented() {
    let d = tempfile::tempdir().unwrap();
    let rows = |args: &[&str], name: &str| {
        let out = d.path().join(name);
        let mut a = vec!["run"];
        a.extend(args);
        a.extend(["--replications", "2", "--out", out.to_str().unwrap(), "-q"]);
        stdout(&a);
        let text = std::fs::read_to_string(out.join("replications.csv")).unwrap();
        let mut lines = text
            .lines()
            .map(|l| l.split(',').map(String::from).collect::<Vec<_>>());
        let header = lines.next().unwrap();
        lines
            .map(|l| {
                header
                    .iter()
                    .cloned()
                    .zip(l)
                    .collect::<std::collections::HashMap<_, _>>()
            })
            .collect::<Vec<_>>()
    };
    let num = |r: &std::collections::HashMap<String, String>, k: &str| -> f64 {
        r[k].parse().unwrap_or_else(|_| panic!("{k}: {:?}", r[k]))
    };
    for r in rows(&["tests/scenarios/minimal.toml"], "minimal") {
        assert_eq!(num(&r, "end_days"), num(&r, "clearance_days"), "{r:?}");
        assert_eq!(r["screening_wait_days"], "0", "{r:?}");
        assert_eq!(r["screening_utilization"], "", "{r:?}");
        assert_eq!(r["utilization:San Ysidro"], "", "{r:?}");
        assert_eq!(r["people_total"], "100", "{r:?}");
    }
    let inflow = rows(
        &[
            "tests/scenarios/golden.toml",
            "--set",
            "inflow.until=\"200d\"",
        ],
        "inflow",
    );
    for r in inflow {
        assert_eq!(r["censored"], "false", "{r:?}");
        assert!(num(&r, "end_days") >= 200.0, "{r:?}");
        assert!(num(&r, "clearance_days") < num(&r, "end_days"), "{r:?}");
    }
    let v = json(&[
        "sweep",
        "tests/scenarios/minimal.toml",
        "--vary",
        "port[San Ysidro].quota_per_day=50,60",
        "--replications",
        "2",
        "--json",
        "-q",
    ]);
    let mut kpis: Vec<&str> = v["points"][0]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| {
            ![
                "point",
                "replications",
                "censored",
                "last_cleared_days",
                "clearance_p50_censored",
                "clearance_p90_censored",
                "start_date",
                "dates",
            ]
            .contains(k)
        })
        .collect();
    kpis.sort();
    let mut documented = vec![
        "clearance_days",
        "t50_days",
        "t90_days",
        "t99_days",
        "processed",
        "dropped",
        "unreached",
        "screening_wait_days",
        "screening_utilization",
        "transport_wait_days",
        "transport_utilization",
        "port_wait_days",
        "port_utilization",
        "processed:San Ysidro",
        "wait_days:San Ysidro",
        "utilization:San Ysidro",
    ];
    documented.sort();
    assert_eq!(kpis, documented);
}

/// Where each output records the `--set` values, as docs/experiments.md lists them: under
/// `scenario` in a summary, at the top level elsewhere; absent when none, but `[]` in
/// `sweep --json` and `sensitivity --json`.
#[test]
fn overrides_are_where_the_docs_say() {
    let m = "tests/scenarios/minimal.toml";
    let common = ["--replications", "2", "--json", "-q"];
    let with = |args: &[&str], set: bool| {
        let mut a = args.to_vec();
        a.extend(common);
        if set {
            a.extend(["--set", "backlog.people=90"]);
        }
        json(&a)
    };
    let set = serde_json::json!(["backlog.people=90"]);
    let run = ["run", m];
    assert!(with(&run, false)["scenario"].get("overrides").is_none());
    assert_eq!(with(&run, true)["scenario"]["overrides"], set);
    let cmp = ["compare", m, m];
    let target = [
        "target",
        m,
        "--vary",
        "port[San Ysidro].quota_per_day",
        "--min",
        "40",
        "--max",
        "60",
        "--step",
        "20",
        "--goal",
        "p90(clearance_days) <= 400",
    ];
    for args in [&cmp[..], &target[..]] {
        assert!(with(args, false).get("overrides").is_none(), "{args:?}");
        assert_eq!(with(args, true)["overrides"], set, "{args:?}");
    }
    let sweep = ["sweep", m, "--vary", "port[San Ysidro].quota_per_day=50,60"];
    let sens = [
        "sensitivity",
        m,
        "--vary",
        "port[San Ysidro].quota_per_day=40,60",
    ];
    for args in [&sweep[..], &sens[..]] {
        assert_eq!(
            with(args, false)["overrides"],
            serde_json::json!([]),
            "{args:?}"
        );
        assert_eq!(with(args, true)["overrides"], set, "{args:?}");
    }
}

/// A stored sweep whose point lacks a factor's value (sweep.json edited: its fingerprints cover
/// only the scenarios) is refused by name; merge had panicked indexing the values.
#[test]
fn a_sweep_point_without_a_value_per_factor_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let s = d.path().join("s");
    sweep_store(&s);
    edit_meta(&s, "sweep.json", |v| {
        v["points"][1]["values"] = serde_json::json!(["200"])
    });
    let err = merge_refused(&[&s], &d.path().join("m"));
    assert!(
        err.contains(
            "sweep.json: point 1 has 1 value (200) for the 2 factors \
             (port[El Paso].quota_per_day, screening.servers): every point needs one value per \
             factor"
        ),
        "{err}"
    );
    assert!(!d.path().join("m").exists());
}

/// A sweep above the points limit is refused by its size before its grid is built or a point
/// loaded (five factors of 100 values had built 10^10 points until memory ran out).
#[test]
fn a_sweep_above_the_points_limit_is_refused_before_its_grid_is_built() {
    let values = |n: usize| (1..=n).map(|v| v.to_string()).collect::<Vec<_>>().join(",");
    let refused = |factors: &[(&str, usize)]| {
        let mut c = clearance();
        c.args([
            "sweep",
            "scenarios/baseline.toml",
            "--replications",
            "2",
            "-q",
        ]);
        for (path, n) in factors {
            c.arg("--vary").arg(format!("{path}={}", values(*n)));
        }
        let o = c
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let err = refused(&[
        ("backlog.people", 100),
        ("screening.servers", 100),
        ("port[El Paso].servers", 2),
    ]);
    assert!(
        err.contains(
            "the sweep has 20,000 points (100 × 100 × 2 values), more than the 10,000 a sweep \
             may have"
        ),
        "{err}"
    );
    let err = refused(&[
        ("backlog.people", 100),
        ("screening.servers", 100),
        ("port[El Paso].servers", 100),
        ("port[El Paso].quota_per_day", 100),
        ("port[San Ysidro].quota_per_day", 100),
    ]);
    assert!(
        err.contains("the sweep has 10,000,000,000 points (100 × 100 × 100 × 100 × 100 values)"),
        "{err}"
    );
}

/// The replications a stored run or sweep plans, and the part it holds, are checked when its
/// run.json or sweep.json is read: merge had set aside a place for each of 4294967295
/// replications and aborted on the allocation, and --extend had counted end − first wrapped
/// round (4294967294 replications "already" stored).
#[test]
fn stored_replication_counts_out_of_range_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let s = d.path().join("s");
    sweep_store(&s);
    edit_meta(&s, "sweep.json", |v| {
        v["replications"] = 4294967295u32.into()
    });
    let err = merge_refused(&[&s], &d.path().join("m"));
    assert!(
        err.contains("sweep.json: replications = 4294967295: a run has 1 to 1,000,000"),
        "{err}"
    );
    let dirs = run_shards(d.path(), "scenarios/two-ports.toml", 4, 2);
    for dir in &dirs {
        edit_meta(dir, "run.json", |v| {
            v["replications"] = 4294967295u32.into()
        });
    }
    let err = merge_refused(&[&dirs[0], &dirs[1]], &d.path().join("m"));
    assert!(
        err.contains("run.json: replications = 4294967295: a run has 1 to 1,000,000"),
        "{err}"
    );
    for dir in &dirs {
        edit_meta(dir, "run.json", |v| v["replications"] = 0.into());
    }
    let err = merge_refused(&[&dirs[0], &dirs[1]], &d.path().join("m"));
    assert!(
        err.contains("replications = 0: a run has 1 to 1,000,000"),
        "{err}"
    );
    // the part held: first after end
    let full = d.path().join("full");
    stdout(&[
        "run",
        "scenarios/two-ports.toml",
        "--replications",
        "4",
        "--out",
        full.to_str().unwrap(),
        "-q",
    ]);
    edit_meta(&full, "run.json", |v| {
        v["first"] = 3.into();
        v["end"] = 1.into();
    });
    let o = clearance()
        .args([
            "run",
            "--extend",
            full.to_str().unwrap(),
            "--replications",
            "8",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "run.json: holds replications first = 3 to end = 1 of 4: not a part of the run"
        ),
        "{err}"
    );
    // Timings no run can have: they had merged into "inf s" and a run.json written with
    // "wall_seconds": null, which --extend could not read back.
    for dir in &dirs {
        edit_meta(dir, "run.json", |v| {
            v["replications"] = 4.into();
            v["wall_seconds"] = 1e308.into();
        });
    }
    let err = merge_refused(&[&dirs[0], &dirs[1]], &d.path().join("m"));
    assert!(
        err.contains("run.json: wall_seconds = 1e308") && err.contains("not the timing of a run"),
        "{err}"
    );
}

/// A merged sweep's rows carry their own points' values, however the stored points are ordered
/// (they had been labelled by their place in the grid: another point's values), and a store
/// holding only some points of the grid gives its table and sweep.csv without the heatmap,
/// saying why (the heatmap had panicked).
#[test]
fn a_merged_sweep_labels_each_point_by_its_values_and_needs_the_grid_for_a_heatmap() {
    let d = tempfile::tempdir().unwrap();
    let s = d.path().join("s");
    sweep_store(&s);
    let whole = d.path().join("whole");
    stdout(&[
        "merge",
        s.to_str().unwrap(),
        "--out",
        whole.to_str().unwrap(),
    ]);
    let csv = |dir: &Path| std::fs::read_to_string(dir.join("sweep.csv")).unwrap();
    let rows = |text: &str| text.lines().map(String::from).collect::<Vec<_>>();
    let reference = rows(&csv(&whole));
    // Whole rows compared; a difference shows the points' values and counts only.
    let same = |got: Vec<String>, want: &[usize], err: &str| {
        let want: Vec<String> = want.iter().map(|&i| reference[i].clone()).collect();
        let short = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|l| l.split(',').take(8).collect::<Vec<_>>().join(","))
                .collect()
        };
        assert!(
            got == want,
            "{:?} instead of {:?}: {err}",
            short(&got),
            short(&want)
        );
    };
    assert_eq!(reference.len(), 5);
    // The store with its points `order` of the grid's, as an edited store holds them.
    let keep = |name: &str, order: &[usize]| {
        let dir = d.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        let text = std::fs::read_to_string(s.join("sweep.json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let points = v["points"].as_array().unwrap().clone();
        v["points"] = order.iter().map(|&i| points[i].clone()).collect();
        v.as_object_mut().unwrap().remove("lines_digest");
        std::fs::write(dir.join("sweep.json"), v.to_string()).unwrap();
        let mut lines = String::new();
        for (new, &old) in order.iter().enumerate() {
            for l in std::fs::read_to_string(s.join("replications.jsonl"))
                .unwrap()
                .lines()
            {
                let mut l: serde_json::Value = serde_json::from_str(l).unwrap();
                if l["point"] == old {
                    l["point"] = new.into();
                    lines.push_str(&format!("{l}\n"));
                }
            }
        }
        std::fs::write(dir.join("replications.jsonl"), lines).unwrap();
        dir
    };
    let merged = |dir: &Path, out: &str| {
        let out = d.path().join(out);
        let o = clearance()
            .arg("merge")
            .arg(dir)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        (out, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    // every point, in another order: the same rows in that order, and the heatmap
    let (out, err) = merged(&keep("reordered", &[0, 3, 1, 2]), "m1");
    same(rows(&csv(&out)), &[0, 1, 4, 2, 3], &err);
    assert!(out.join("sweep.png").is_file(), "{err}");
    // two points of the four: their rows, no heatmap, and why
    let (out, err) = merged(&keep("partial", &[3, 0]), "m2");
    same(rows(&csv(&out)), &[0, 4, 1], &err);
    assert!(
        err.contains(
            "warning: no chart: the 2 points are not every combination of the factors' \
             values (2 × 2), which a heatmap needs"
        ),
        "{err}"
    );
    assert!(!out.join("sweep.png").exists());
    // a point stored twice is refused by name
    let twice = keep("twice", &[0, 1, 2, 3]);
    edit_meta(&twice, "sweep.json", |v| {
        v["points"][2]["values"] = v["points"][1]["values"].clone()
    });
    let err = merge_refused(&[&twice], &d.path().join("m3"));
    assert!(
        err.contains("sweep.json: points 1 and 2 have the same values (200, 40)"),
        "{err}"
    );
}

/// A run's records spilled to a temporary file (the default of `experiment::run`) give exactly
/// what records kept in memory give: the records themselves, the summary, the bands, the
/// clearance column and `replications.csv`. The scenarios cover censored and uncensored
/// replications, milestones reached and not, and two priority classes.
#[test]
fn spilled_records_give_what_records_in_memory_give() {
    let text = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    let classes = "\n[[class]]\nname = \"vulnerable\"\nshare = 0.2\n\n[[class]]\nname = \"others\"\nshare = 0.8\n";
    let sets: Vec<_> = ["backlog.people=3000", "scenario.horizon=\"140d\""]
        .iter()
        .map(|s| parse_set(s).unwrap())
        .collect();
    for src in [text.clone(), format!("{text}{classes}")] {
        let l =
            scenario::load_str_with(&src, "baseline.toml", Path::new("scenarios"), &sets).unwrap();
        let mut scn = l.scenario;
        scn.replications = 40;
        let run = |in_memory| {
            let opts = RunOptions {
                threads: Some(2),
                in_memory,
                ..Default::default()
            };
            let mut r = clearance::experiment::run(&scn, &opts).unwrap();
            r.summary.performance.wall_seconds = 0.0;
            r.summary.performance.events_per_second = 0.0;
            r
        };
        let (disk, mem) = (run(false), run(true));
        assert!(disk.replications.is_spilled());
        assert!(!mem.replications.is_spilled());
        let (a, b) = (
            disk.replications.to_vec().unwrap(),
            mem.replications.to_vec().unwrap(),
        );
        assert_eq!(a.len(), 40);
        assert_eq!(a, b);
        assert_eq!(disk.summary, mem.summary);
        assert_eq!(disk.daily, mem.daily);
        assert_eq!(disk.clearance_days, mem.clearance_days);
        let csv = |r: &clearance::experiment::RunResult| {
            clearance::output::csv::replications_csv(&scn, &r.replications).unwrap()
        };
        assert_eq!(csv(&disk), csv(&mem));
        // What the scenarios cover.
        let s = &disk.summary;
        assert!(s.censored > 0 && s.censored < 40, "censored {}", s.censored);
        assert!(s.t_not_reached.t99 > 0 && s.t50_days.is_some());
        assert_eq!(a[0].classes.len(), scn.classes.len());
    }
}

/// B stopped at a 140-day horizon in most pairs: its B − A of clearance is a lower bound
/// (`diff_bound: at_least`), marked `≥` in the table as the run table marks a censored mean
/// (with only its interval's lower end), where it had printed `-5.21 [-6.12 … -4.31]` like a
/// measured gain; the other way round it is an upper bound, `≤`. With every pair that can be
/// told tied, the line on P(B clears sooner) says so of those pairs and names the pairs that
/// cannot be told (it had read "every replication tied … in all 11 pairs" of 50).
#[test]
fn compare_marks_a_clearance_difference_that_is_a_bound() {
    let d = tempfile::tempdir().unwrap();
    let short = d.path().join("short.toml");
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    std::fs::write(
        &short,
        base.replace("horizon = \"730d\"", "horizon = \"140d\""),
    )
    .unwrap();
    let short = short.to_str().unwrap();
    let m = "scenarios/baseline.toml";
    let args = ["--replications", "50", "-q"];
    for (a, b, mark, end) in [(m, short, "≥", "ci95_low"), (short, m, "≤", "ci95_high")] {
        let cmp = [&["compare", a, b][..], &args].concat();
        let v = json(&[&cmp[..], &["--json"]].concat());
        let row0 = &v["kpis"][0];
        assert_eq!(row0["kpi"], "clearance_days");
        let bound = if mark == "≥" { "at_least" } else { "at_most" };
        assert_eq!(row0["diff_bound"], bound, "{row0}");
        let text = stdout(&cmp);
        let row: Vec<&str> = text
            .lines()
            .find(|l| l.trim_start().starts_with("clearance_days"))
            .unwrap()
            .split_whitespace()
            .collect();
        // Each bound rounded toward its side, never past it (they had been rounded to
        // nearest, so a lower bound could print above the figure it bounds).
        let toward = |x: f64, up: bool| {
            let y = x * 100.0;
            if up {
                y.ceil() / 100.0
            } else {
                y.floor() / 100.0
            }
        };
        let figure = |x: &serde_json::Value| {
            format!("{mark}{:+.2}", toward(x.as_f64().unwrap(), mark == "≤"))
        };
        assert_eq!(row[3], figure(&row0["diff"]["mean"]), "{text}");
        assert_eq!(row[4], figure(&row0["diff"][end]), "{text}");
        assert_eq!(row.len(), 5, "{text}");
        // The censored side's mean clearance, a lower bound, rounded down.
        let (col, side) = if mark == "≥" { (2, "b") } else { (1, "a") };
        let m = row0[side]["mean"].as_f64().unwrap();
        assert_eq!(row[col], format!("≥{:.2}", toward(m, false)), "{text}");
        // The pairs that can be told all tied; the others are counted, as JSON counts them.
        let p = &v["b_clears_sooner"];
        let (n, undecided) = (p["n"].as_u64().unwrap(), v["undecided"].as_u64().unwrap());
        assert_eq!(p["ties"], p["n"], "{v}");
        assert!(n > 1 && undecided > 1 && n + undecided == 50, "{v}");
        for want in [
            format!(
                "P(B clears sooner than A): n/a: every pair where it can be told tied (A and B \
                 clear at the same time in all {n} such pairs)"
            ),
            format!(
                "  in {undecided} more pairs it cannot be told: one run's horizon ends before \
                 the other's clearance"
            ),
        ] {
            assert!(text.contains(&want), "{want}\n{text}");
        }
        assert!(!text.contains("every replication tied"), "{text}");
    }
}

/// Replications that reach the horizon are counted and never make B "sooner": a B that cannot
/// clear within a 1-day horizon was reported as clearing sooner than A when its clearance was
/// taken as the (earlier) horizon.
#[test]
fn compare_and_sensitivity_count_censored_replications() {
    let d = tempfile::tempdir().unwrap();
    let never = d.path().join("never.toml");
    std::fs::write(
        &never,
        format!(
            "extends = {:?}\n[scenario]\nhorizon = \"1d\"\n",
            std::fs::canonicalize("scenarios/baseline.toml").unwrap()
        ),
    )
    .unwrap();
    let args = ["--replications", "4", "--quiet"];
    let cmp = [
        "compare",
        "scenarios/baseline.toml",
        never.to_str().unwrap(),
    ];
    let v = json(&[&cmp[..], &args, &["--json"]].concat());
    assert_eq!(v["censored_a"], 0);
    assert_eq!(v["censored_b"], 4);
    assert_eq!(v["b_clears_sooner"]["count"], 0);
    // Only B's runs censored: B − A of clearance is a lower bound, and says so; other KPIs are
    // measurements.
    let row0 = &v["kpis"][0];
    assert_eq!(row0["kpi"], "clearance_days");
    assert_eq!(row0["censored"], true);
    assert_eq!(row0["diff_bound"], "at_least");
    assert!(row0["diff"]["mean"].is_number(), "{row0}");
    assert_eq!(v["kpis"][1]["censored"], false);
    assert!(v["kpis"][1].get("diff_bound").is_none());
    let text = stdout(&[&cmp[..], &args].concat());
    assert!(
        text.contains("! B: 4 of 4 replications reached the horizon"),
        "{text}"
    );
    // B not cleared by its 1-day horizon may or may not clear before A's day ~145: it cannot be
    // told, either way round (the reverse had read "P(B clears sooner) = 1.000" for a B that
    // clears on day ~145 against an A only known not to clear by day 1).
    assert_eq!(v["undecided"], 4);
    assert!(
        text.contains("P(B clears sooner than A): cannot be told"),
        "{text}"
    );
    let rev = [
        "compare",
        never.to_str().unwrap(),
        "scenarios/baseline.toml",
    ];
    let v = json(&[&rev[..], &args, &["--json"]].concat());
    assert_eq!(v["b_clears_sooner"]["count"], 0);
    assert_eq!(v["b_clears_sooner"]["n"], 0);
    assert_eq!(v["undecided"], 4);
    let out = clearance()
        .args(rev)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(
        err.contains("note: A's horizon is 1 day and B's 730 days"),
        "{err}"
    );
    // Neither run clears within the same horizon: which clears sooner cannot be told either
    // (such pairs had counted as ties, giving P(B clears sooner) = 0 with a narrow interval, and
    // B − A of clearance as exactly 0 days).
    let both = ["compare", never.to_str().unwrap(), never.to_str().unwrap()];
    let v = json(&[&both[..], &args, &["--json"]].concat());
    assert_eq!(v["censored_both"], 4);
    assert_eq!(v["undecided"], 4);
    assert_eq!(v["b_clears_sooner"]["n"], 0);
    assert_eq!(v["b_clears_sooner"]["ties"], 0);
    assert!(v["b_clears_sooner"]["p"].is_null(), "{v}");
    assert_eq!(v["median_abs_clearance_diff_censored"], true);
    // No B − A of clearance where both runs were censored (it had been a difference of
    // horizons, 0 with a CI of [0, 0]), as the table prints none.
    let row0 = &v["kpis"][0];
    assert_eq!(row0["censored"], true);
    assert!(row0["diff"].is_null(), "{row0}");
    assert!(row0.get("diff_bound").is_none(), "{row0}");
    assert!(row0["a"]["mean"].is_number() && row0["b"]["mean"].is_number());
    let text = stdout(&[&both[..], &args].concat());
    for want in [
        "P(B clears sooner than A): cannot be told: in each of the 4 pairs neither run cleared",
        "median |B − A| of clearance = cannot be told",
        "! clearance_days: in 4 of 4 pairs neither run cleared within the horizon",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("clearance_days"))
        .unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["clearance_days", "≥1.00", "≥1.00", "–", "–"],
        "{row}"
    );
    // Too few screening servers: clearance at the low setting is the 180-day horizon.
    let sens = [
        "sensitivity",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=180d",
        "--vary",
        "screening.servers=3,80",
    ];
    let v = json(&[&sens[..], &args, &["--json"]].concat());
    let row = &v["factors"][0];
    assert_eq!(row["at_low"]["censored"], 4);
    assert_eq!(row["at_low"]["p90_censored"], true);
    assert_eq!(row["at_high"]["censored"], 0);
    assert_eq!(row["at_high"]["p90_censored"], false);
    let text = stdout(&[&sens[..], &args].concat());
    assert!(text.contains("≥180.0"), "{text}");
    assert!(
        text.contains("reached the horizon before clearing"),
        "{text}"
    );
    // Its swing is a lower bound: the censored P90 less the measured one.
    assert_eq!(row["swing_p90_censored"], true);
    let (lo, hi) = (
        row["at_low"]["p90"].as_f64().unwrap(),
        row["at_high"]["p90"].as_f64().unwrap(),
    );
    assert_eq!(row["swing_p90"].as_f64().unwrap(), lo - hi);
    // The table gives P90 high − low with its sign, as its interval: at most minus the swing,
    // rounded up (towards zero) as a bound is.
    assert!(
        text.contains(&format!("≤-{:.1}", ((lo - hi) * 10.0).floor() / 10.0)),
        "{text}"
    );
    // Both settings stopped at the horizon: the swing is not known ("?"), not 0.0, whatever
    // the settings did to how many runs cleared.
    let both = [
        "sensitivity",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=100d",
        "--vary",
        "screening.servers=3,80",
    ];
    let v = json(&[&both[..], &args, &["--json"]].concat());
    let row = &v["factors"][0];
    assert_eq!(row["swing_p90_censored"], true);
    assert_eq!(row["swing_p90"].as_f64().unwrap(), 0.0);
    let text = stdout(&[&both[..], &args].concat());
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("screening.servers"))
        .unwrap();
    // The swing is "?", and so there is no interval of the change either (then the people
    // processed: more at 80 servers, whose runs clear).
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[cells.len() - 4..cells.len() - 2],
        ["?", "–"],
        "{line}"
    );
}

#[test]
fn a_swing_with_a_censored_setting_is_a_lower_bound_or_unknown() {
    use clearance::experiment::sensitivity::swing;
    assert_eq!(swing(10.0, false, 14.0, false), (4.0, false));
    assert_eq!(swing(14.0, false, 10.0, false), (4.0, false));
    // ≥ 20 against 12: at least 8; against 25: anything from 0.
    assert_eq!(swing(20.0, true, 12.0, false), (8.0, true));
    assert_eq!(swing(12.0, false, 20.0, true), (8.0, true));
    assert_eq!(swing(20.0, true, 25.0, false), (0.0, true));
    assert_eq!(swing(20.0, true, 20.0, true), (0.0, true));
}

/// B starting ten days after A on the same plan clears later by date, though its clearance
/// takes about as many days from its own start: P(B clears sooner) compares dates (it had read
/// 1.000, counting durations), and comparison.json gives both start dates.
#[test]
fn compare_reads_sooner_by_date_when_the_starts_differ() {
    let d = tempfile::tempdir().unwrap();
    let late = d.path().join("late.toml");
    std::fs::write(
        &late,
        format!(
            "extends = {:?}\n[scenario]\nstart_date = \"2021-03-01\"\n",
            std::fs::canonicalize("scenarios/baseline.toml").unwrap()
        ),
    )
    .unwrap();
    let cmp = [
        "compare",
        "scenarios/baseline.toml",
        late.to_str().unwrap(),
        "--replications",
        "20",
        "--quiet",
    ];
    let v = json(&[&cmp[..], &["--json"]].concat());
    assert_eq!(v["start_date_a"], "2021-02-19");
    assert_eq!(v["start_date_b"], "2021-03-01");
    assert!(v["b_clears_sooner"]["p"].as_f64().unwrap() < 0.2, "{v}");
    // The KPI difference is of durations: about as many days from each start.
    let clearance = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kpi"] == "clearance_days")
        .unwrap();
    assert!(
        clearance["diff"]["mean"].as_f64().unwrap().abs() < 10.0,
        "{clearance}"
    );
    let text = stdout(&cmp);
    assert!(
        text.contains("by date: B starts 10 days later than A (2021-03-01 and 2021-02-19)"),
        "{text}"
    );
    // The same start: no such line, and the dates are equal.
    let same = json(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/fast-ramp.toml",
        "--replications",
        "2",
        "--quiet",
        "--json",
    ]);
    assert_eq!(same["start_date_a"], same["start_date_b"]);
}

/// Write `text` as the sweep file `f`, run it, and return the errors it is refused with
/// (exit 2).
fn refused_sweep_file(f: &Path, text: &str) -> String {
    std::fs::write(f, text).unwrap();
    let out = clearance()
        .args(["sweep", f.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    err
}

/// A misspelt setting of a sweep file is named as such (not taken for a factor), and every
/// problem of the file is reported at once.
#[test]
fn sweep_file_problems_are_all_named_with_a_suggestion() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("sweep.toml");
    let err = refused_sweep_file(
        &f,
        &format!(
            "[sweep]\nscenario = {:?}\nrepliations = 5\n\"screening.servers\" = 5\n",
            std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap()
        ),
    );
    // Each named at its line and column in the sweep file.
    let at = |line: u32| format!("{}:{line}:1: ", f.display());
    assert!(
        err.contains(&format!(
            "{}sweep.repliations is not a setting of [sweep] (did you mean `replications`?)",
            at(3)
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}sweep.\"screening.servers\" must be a non-empty list",
            at(4)
        )),
        "{err}"
    );
    // Problems of the points: an unknown element and a bad value, both named; a misspelt
    // section; a scenario that is not there.
    let base = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    let cases = [
        (
            format!(
                "[sweep]\nscenario = {base:?}\n\"port[San Ysdro].quota_per_day\" = [200, 300]\n\
                 \"screening.servers\" = [10, -5]\n"
            ),
            vec![
                ":3:1: port[San Ysdro].quota_per_day: no [[port]] element named \"San Ysdro\"",
                ":4:1: screening.servers: -5 is negative",
            ],
        ),
        (
            format!("[swep]\nscenario = {base:?}\n\"screening.servers\" = [10, 20]\n"),
            vec![":1:2: [swep] is not a section: did you mean [sweep]?"],
        ),
        (
            "[sweep]\nscenario = \"nothere.toml\"\n\"screening.servers\" = [10, 20]\n".into(),
            vec![":2:1: sweep.scenario = \"nothere.toml\": no such file"],
        ),
        (
            "[sweep]\nscenario = 7\n\"screening.servers\" = [10, 20]\n".into(),
            vec![":2:1: sweep.scenario must be a file name in quotes"],
        ),
    ];
    for (text, needles) in cases {
        let err = refused_sweep_file(&f, &text);
        for n in &needles {
            assert!(err.contains(n), "{n}: {err}");
        }
        // each problem once, though every point of the grid has it
        let errors = err.lines().filter(|l| l.starts_with("error:")).count();
        assert_eq!(errors, needles.len(), "{err}");
    }
    // --set too: every override's problem at once.
    let out = clearance()
        .args(["run", "scenarios/baseline.toml", "--quiet"])
        .args([
            "--set",
            "port[San Ysdro].quota_per_day=3",
            "--set",
            "screening.servers=-5",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("San Ysdro") && err.contains("-5 is negative"),
        "{err}"
    );
}

/// A section-wide problem that an override took part in (shares that no longer sum to 1) is
/// placed in the file and names the override.
#[test]
fn a_section_problem_names_the_override_that_took_part() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("classes.toml");
    std::fs::write(
        &f,
        format!(
            "extends = {:?}\n[[class]]\nname = \"vulnerable\"\nshare = 0.2\n[[class]]\nname = \"others\"\nshare = 0.8\n",
            std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap()
        ),
    )
    .unwrap();
    let out = clearance()
        .args(["run", f.to_str().unwrap(), "--quiet"])
        .args(["--set", "class[vulnerable].share=0.3"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("classes.toml:2:3: class: the class shares sum to 1.1"),
        "{err}"
    );
    assert!(
        err.contains("(with --set class[vulnerable].share=0.3)"),
        "{err}"
    );
}

#[test]
fn experiment_commands_show_the_scenario_warnings_once() {
    // Under fifo, buses run to El Paso and Brownsville before they open: two warnings.
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("fifo.toml");
    let text = std::fs::read_to_string("scenarios/baseline.toml")
        .unwrap()
        .replace("policy = \"appointment\"", "policy = \"fifo\"");
    std::fs::write(&f, text).unwrap();
    let f = f.to_str().unwrap();
    let stderr = |args: &[&str]| {
        let out = clearance().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let reps = ["--replications", "2", "--quiet"];
    for args in [
        vec!["compare", f, f],
        vec!["sweep", f, "--vary", "screening.servers=30,40"],
        vec!["sensitivity", f, "--vary", "screening.servers=30,40"],
        vec![
            "target",
            f,
            "--vary",
            "screening.servers",
            "--goal",
            "p50(clearance_days) <= 1000",
            "--min",
            "30",
            "--max",
            "40",
            "--step",
            "10",
        ],
    ] {
        let mut a = args.clone();
        a.extend(reps);
        let e = stderr(&a);
        let n = e.matches("warning: ").count();
        assert_eq!(n, 2, "{:?}: {e}", args[0]);
        assert!(e.contains("carry people to El Paso before it opens"), "{e}");
    }
}

/// What cannot be a factor is refused before anything runs, with what to do instead: the seed
/// and the replications (every point shares them: varied, they changed nothing), an empty value
/// between commas (it was dropped silently), a value listed twice (a point run twice), and a
/// `PATH=values` given to `target`, which takes a path and a range; a low value above the high.
#[test]
fn factors_that_would_change_nothing_or_repeat_a_point_are_refused() {
    let cases: [(&[&str], &str); 10] = [
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "screening.servers=10,10",
            ],
            "the low and high values are the same",
        ),
        // Low above high had run with the tornado's ends swapped.
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "health.isolation=15d,5d",
            ],
            "--vary health.isolation=15d,5d: the low value (15d) is above the high value (5d): \
             give the low value first, --vary 'health.isolation=5d,15d'",
        ),
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "screening.servers=50,30",
            ],
            "the low value (50) is above the high value (30)",
        ),
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "screening.servers=10,20",
                "--vary",
                "screening.servers=5,40",
            ],
            "screening.servers is varied twice",
        ),
        (
            &[
                "sweep",
                "scenarios/baseline.toml",
                "--vary",
                "scenario.seed=1,2",
            ],
            "scenario.seed cannot be varied",
        ),
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "scenario.replications=5,9",
            ],
            "scenario.replications cannot be varied",
        ),
        (
            &[
                "sweep",
                "scenarios/baseline.toml",
                "--vary",
                "screening.servers=1,,2",
            ],
            "has an empty value",
        ),
        (
            &[
                "sweep",
                "scenarios/baseline.toml",
                "--vary",
                "screening.servers=20,20",
            ],
            "screening.servers lists 20 twice",
        ),
        (
            &[
                "target",
                "scenarios/baseline.toml",
                "--vary",
                "port[El Paso].servers=1,2",
                "--goal",
                "p90(clearance_days) <= 150",
            ],
            "target takes a key path alone",
        ),
        (
            &[
                "target",
                "scenarios/baseline.toml",
                "--vary",
                "scenario.seed",
                "--goal",
                "p90(clearance_days) <= 150",
            ],
            "scenario.seed cannot be varied",
        ),
    ];
    for (args, needle) in cases {
        let out = clearance().args(args).arg("--quiet").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} ran");
    }
    // A date value reads as the date (it read as a TOML-internal table).
    let out = clearance()
        .args(["sweep", "tests/scenarios/minimal.toml", "--vary"])
        .args([
            "scenario.start_date=2021-01-01,2021-02-01",
            "--replications",
            "2",
            "-q",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{table}");
    assert!(
        table.contains("\n  2021-02-01 ") && !table.contains("toml_private"),
        "{table}"
    );
    // In a sweep file too, at its line.
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("s.toml");
    let err = refused_sweep_file(
        &f,
        &format!(
            "[sweep]\nscenario = {:?}\n\"scenario.seed\" = [1, 2]\n",
            std::fs::canonicalize("scenarios/baseline.toml").unwrap()
        ),
    );
    assert!(
        err.contains(":3:1: sweep.\"scenario.seed\": scenario.seed cannot be varied"),
        "{err}"
    );
}

/// Points of a sweep whose replications reached the horizon before clearing show their
/// clearance as a lower bound: "≥" in the table, an open marker in the chart (they were
/// printed and drawn as measured clearance times).
#[test]
fn censored_sweep_points_are_lower_bounds_in_the_table_and_chart() {
    let d = tempfile::tempdir().unwrap();
    let out = clearance()
        .args([
            "sweep",
            "tests/scenarios/minimal.toml",
            "--vary",
            "scenario.horizon=12h,30d",
            "--replications",
            "5",
            "-q",
            "--out",
        ])
        .arg(d.path())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{table}");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("  12h") || l.starts_with("  30d"))
        .collect();
    assert!(
        rows[0].contains("≥0.5") && !rows[0].contains("≥[0.5 – 0.5]"),
        "{table}"
    );
    assert!(!rows[1].contains('≥'), "{table}");
    assert!(table.contains("≥: counts replications stopped at the horizon"));
    let svg = std::fs::read_to_string(d.path().join("sweep.svg")).unwrap();
    // Every run of the 12h point stopped at the horizon: the chart says no run cleared there.
    assert!(svg.contains("no run cleared"), "{svg}");
}

/// A scenario changed in code gets the warnings about stages without capacity in its summary,
/// as one loaded by the command line does (they were added by the command line only).
#[test]
fn a_stage_without_capacity_is_named_in_the_summary_of_a_scenario_changed_in_code() {
    let mut scn = scenario::load_file(Path::new("tests/scenarios/deterministic-42.toml")).unwrap();
    for p in &mut scn.ports {
        p.servers = Some(0);
    }
    let run = clearance::experiment::run(
        &scn,
        &RunOptions {
            replications: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    let w: Vec<&String> = run
        .summary
        .warnings
        .iter()
        .filter(|w| w.starts_with("no capacity: "))
        .collect();
    assert!(
        w.iter().any(|w| w.contains("port \"P1\": servers = 0"))
            && w.iter().any(|w| w.contains("nobody can ever be processed")),
        "{w:?}"
    );
}

/// The note on milestones lost to people never reached or dropped out says "often" when some
/// replications still reached them (it said "out of reach" beside a t90 measured in 7 of 20).
#[test]
fn milestones_out_of_reach_say_often_when_some_replications_reach_them() {
    let table = |never: f64| {
        let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
        scn.registration.never = never;
        let opts = RunOptions {
            replications: Some(20),
            ..Default::default()
        };
        let run = clearance::experiment::run(&scn, &opts).unwrap();
        let mut out = Vec::new();
        clearance::output::table::print_summary(&mut out, &run.summary).unwrap();
        let html = clearance::output::report::render_report(
            &scn,
            "",
            &clearance::output::ChartInput::from_run(&run),
        )
        .unwrap();
        (
            run.summary.t_not_reached.t90,
            String::from_utf8(out).unwrap(),
            html,
        )
    };
    // The report says what the table says, from the same rule (it had named milestones that
    // every replication reached, and never said "often").
    let (missed, t, html) = table(0.092);
    assert!(missed > 0 && missed < 20, "{t}");
    assert!(t.contains("(t90 and t99 often out of reach"), "{t}");
    assert!(
        html.contains("t90 and t99 are often out of reach"),
        "report"
    );
    let (missed, t, html) = table(0.2);
    assert_eq!(missed, 20);
    assert!(t.contains("(t90 and t99 out of reach"), "{t}");
    assert!(html.contains("t90 and t99 are out of reach"), "report");
    assert!(!html.contains("often out of reach"), "report");
}

/// A store holding parts of two runs, or a changed one, is refused by name instead of being
/// extended or merged into a result that mixes them (a run's lines copied into another run's
/// directory had been extended into "seed 7" figures that were seed 5's; a clearance of 1e20
/// days had panicked the dates).
#[test]
fn stores_mixing_runs_or_changed_are_refused() {
    use clearance::experiment::store;
    let d = tempfile::tempdir().unwrap();
    let out = |name: &str, seed: &str| {
        let p = d.path().join(name);
        stdout(&[
            "run",
            "scenarios/two-ports.toml",
            "--replications",
            "4",
            "--seed",
            seed,
            "--out",
            p.to_str().unwrap(),
            "-q",
        ]);
        p
    };
    let (a, b) = (out("a", "7"), out("b", "5"));
    let extend_err = |dir: &Path| {
        let out = clearance()
            .args(["run", "--extend", dir.to_str().unwrap()])
            .args(["--replications", "6", "-q"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // b's lines (and daily.json) in a's directory
    let mixed = d.path().join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    std::fs::copy(a.join("run.json"), mixed.join("run.json")).unwrap();
    for f in [store::LINES, store::DAILY] {
        std::fs::copy(b.join(f), mixed.join(f)).unwrap();
    }
    let err = extend_err(&mixed);
    assert!(
        err.contains("is not the file run.json was written with"),
        "{err}"
    );
    // the same without digests (an older store): the seeds tell
    copy_meta_without_digests(&a, &mixed);
    let err = extend_err(&mixed);
    assert!(
        err.contains("replication 0 was run with another seed than the stored run's 7"),
        "{err}"
    );
    // a clearance far past the horizon
    let far = d.path().join("far");
    std::fs::create_dir(&far).unwrap();
    copy_meta_without_digests(&a, &far);
    std::fs::copy(a.join(store::DAILY), far.join(store::DAILY)).unwrap();
    let text = std::fs::read_to_string(a.join(store::LINES)).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let c = first["clearance_days"].to_string();
    let text = text.replacen(
        &format!("\"clearance_days\":{c}"),
        "\"clearance_days\":1e20",
        1,
    );
    std::fs::write(far.join(store::LINES), text).unwrap();
    let err = extend_err(&far);
    assert!(
        err.contains("replication 0 has clearance_days = 100000000000000000000, outside 0 ..="),
        "{err}"
    );
    // run.json's scenario edited (people 100 → 7)
    let meta = std::fs::read_to_string(a.join("run.json")).unwrap();
    let edited = meta.replacen("people = ", "people = 7", 1);
    assert_ne!(edited, meta);
    std::fs::write(a.join("run.json"), edited).unwrap();
    let err = extend_err(&a);
    assert!(
        err.contains("its scenario_toml is not the scenario its fingerprint was taken of"),
        "{err}"
    );
}

/// summary.json says which clearance figures are only lower bounds (a script had read a
/// censored median as a clearance date), gives the P90 the charts and tables use, and records
/// whether --precision was met (it was said on stderr only).
#[test]
fn summary_flags_censored_figures_and_records_the_precision_reached() {
    let v = json(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=\"140d\"",
        "--replications",
        "40",
        "--json",
        "-q",
    ]);
    let censored = v["censored"].as_u64().unwrap();
    assert!(censored > 0 && censored < 40, "{censored}");
    // None cleared: the latest clearance is null, written (it had been left out).
    let none = json(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=\"10d\"",
        "--replications",
        "3",
        "--json",
        "-q",
    ]);
    let o = none.as_object().unwrap();
    assert!(
        o.contains_key("last_cleared_days") && o["last_cleared_days"].is_null(),
        "{none}"
    );
    let c = &v["clearance_days"];
    let flags = &v["clearance_censored"];
    let last = v["last_cleared_days"].as_f64().unwrap();
    assert!(last < 140.0);
    assert_eq!(flags["mean"], true);
    for k in ["min", "p5", "p50", "p90", "p95"] {
        let above = c[k].as_f64().unwrap() > last;
        assert_eq!(flags[k].as_bool().unwrap(), above, "{k}: {c}");
    }
    assert_eq!(flags["max"], true);
    // A median between the last run that cleared and one that did not is a lower bound too:
    // 10 of 20 runs of one person registering after an exponential delay (mean 10 days) clear
    // within 10.5 days; the median (10.4) had been given as a clearance date.
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("cens.toml");
    std::fs::write(
        &f,
        "[scenario]\nname = \"cens\"\nhorizon = \"10.5d\"\nreplications = 20\nseed = 7\n\
         [backlog]\npeople = 1\n[[origin]]\nname = \"A\"\n[registration]\n\
         delay = { dist = \"exponential\", mean = \"10d\" }\n[[route]]\nfrom = \"A\"\n\
         to = \"P\"\n[[port]]\nname = \"P\"\n",
    )
    .unwrap();
    let w = json(&["run", f.to_str().unwrap(), "--json", "-q"]);
    assert_eq!(w["censored"], 10);
    let median = w["clearance_days"]["p50"].as_f64().unwrap();
    assert!(median < 10.5 && median > w["last_cleared_days"].as_f64().unwrap());
    assert_eq!(w["clearance_censored"]["p50"], true);
    let text = stdout(&["run", f.to_str().unwrap(), "-q"]);
    assert!(
        text.contains("→ median clearance: not within the horizon (10 of 20 runs"),
        "{text}"
    );
    // Sensitivity and sweep read their figures by the same rule (they had compared them with
    // the horizon, and so gave this median as a measured clearance).
    let vary = ["--vary", "port[P].quota_per_day=50,60", "-q"];
    let f = f.to_str().unwrap();
    let s = json(&[&["sensitivity", f, "--json"][..], &vary[..]].concat());
    assert_eq!(s["baseline"]["p50"], w["clearance_days"]["p50"]);
    assert_eq!(s["baseline"]["p50_censored"], true, "{s}");
    assert_eq!(s["factors"][0]["at_low"]["p50_censored"], true, "{s}");
    let text = stdout(&[&["sensitivity", f][..], &vary[..]].concat());
    assert!(text.contains("P50 ≥10.4"), "{text}");
    let out = d.path().join("sens");
    stdout(
        &[
            &["sensitivity", f, "--out", out.to_str().unwrap()][..],
            &vary[..],
        ]
        .concat(),
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let (head, row) = csv.split_once('\n').unwrap();
    let col = |name: &str| {
        let i = head.split(',').position(|h| h == name).unwrap();
        row.split(',').nth(i).unwrap().trim().to_string()
    };
    assert_eq!(col("base_p50_censored"), "true");
    assert_eq!(col("low_censored"), "10");
    let out = d.path().join("sweep");
    stdout(&[&["sweep", f, "--out", out.to_str().unwrap()][..], &vary[..]].concat());
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!(col("clearance_p50_censored"), "true");
    assert_eq!(col("censored"), "10");
    // The long file marks the same figures as lower bounds: the median and the mean, not the
    // P5 (below every clearance of the runs that cleared), nor the sd.
    let long = std::fs::read_to_string(out.join("sweep_long.csv")).unwrap();
    let bound = |stat: &str| {
        let line = long
            .lines()
            .find(|l| l.starts_with(&format!("0,50,clearance_days,{stat},")))
            .unwrap();
        // lower_bound is the last column but one (cut_by_horizon follows it).
        line.rsplit(',').nth(1).unwrap().to_string()
    };
    assert_eq!(
        [bound("p50"), bound("mean"), bound("p5"), bound("sd")],
        ["true", "true", "false", ""]
    );
    assert_eq!(
        col("last_cleared_days").parse::<f64>().unwrap(),
        w["last_cleared_days"].as_f64().unwrap()
    );
    let text = stdout(&[&["sweep", f][..], &vary[..]].concat());
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with("50 ") || l.trim_start().starts_with("60 "))
            .all(|l| l.contains(" ≥10.4 ")),
        "{text}"
    );
    // P90 lies between the median and P95, with its date
    let (p50, p90, p95) = (
        c["p50"].as_f64().unwrap(),
        c["p90"].as_f64().unwrap(),
        c["p95"].as_f64().unwrap(),
    );
    assert!(p50 <= p90 && p90 <= p95, "{c}");
    assert!(v["clearance_dates"]["p90"]
        .as_str()
        .unwrap()
        .starts_with("2021-07"));
    assert!(v["people"]["processed"]["p90"].is_number());
    assert!(v.get("precision").is_none());

    let v = json(&[
        "run",
        "scenarios/two-ports.toml",
        "--precision",
        "0.01d",
        "--max-replications",
        "64",
        "--json",
        "-q",
    ]);
    let p = &v["precision"];
    assert_eq!(p["met"], false, "{p}");
    assert_eq!(p["allowed_days"].as_f64().unwrap(), 0.01);
    assert!(p["half_width_days"].as_f64().unwrap() > 0.01, "{p}");
    assert_eq!(v["clearance_censored"]["mean"], false);
}

/// Two values that mean the same (`1w` and `7d`) are one point, refused as a value given twice
/// is (they had run the same point twice).
#[test]
fn sweep_values_that_mean_the_same_are_refused() {
    let out = clearance()
        .args(["sweep", "scenarios/baseline.toml", "--vary"])
        .args(["health.isolation=1w,240h,7d", "--replications", "2", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the sweep's points health.isolation=1w and health.isolation=7d are the same \
             scenario: give each value once"
        ),
        "{err}"
    );
}

/// Extended into another directory, the stored run's files are inputs: a link there to one of
/// them is refused, not written through (it had replaced the stored run's replications.jsonl).
#[test]
fn extend_into_another_directory_never_writes_into_the_stored_run() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    stdout(&[
        "run",
        "tests/scenarios/minimal.toml",
        "--replications",
        "4",
        "--out",
        a.to_str().unwrap(),
        "-q",
    ]);
    let lines = std::fs::read(a.join("replications.jsonl")).unwrap();
    std::fs::create_dir(&b).unwrap();
    std::os::unix::fs::symlink(a.join("replications.jsonl"), b.join("replications.jsonl")).unwrap();
    clearance()
        .args([
            "run",
            "--extend",
            a.to_str().unwrap(),
            "--replications",
            "8",
        ])
        .args(["--out", b.to_str().unwrap(), "-q"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("would replace"));
    assert_eq!(std::fs::read(a.join("replications.jsonl")).unwrap(), lines);
    // without the link it extends into b, and a is left as it was
    std::fs::remove_file(b.join("replications.jsonl")).unwrap();
    stdout(&[
        "run",
        "--extend",
        a.to_str().unwrap(),
        "--replications",
        "8",
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(std::fs::read(a.join("replications.jsonl")).unwrap(), lines);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["replications"], 8);
}

/// `chart` on a sweep's directory says it holds a sweep, whose chart `sweep --out` and `merge`
/// draw (it had said the run's scenario.toml could not be read).
#[test]
fn chart_of_a_sweep_directory_says_what_draws_it() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("sw");
    clearance()
        .args(["sweep", "scenarios/baseline.toml", "--vary"])
        .args(["port[El Paso].quota_per_day=200,300", "--replications", "2"])
        .args(["--shard", "1/1", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let err = clearance().arg("chart").arg(&out).assert().code(1);
    let err = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(
        err.contains(
            "holds shard 1/1 of a sweep (sweep.json), not a run: merge it first (it is the only \
             shard) with `clearance merge"
        ),
        "{err}"
    );
}

/// Milestones missed by replications the horizon stopped are counted apart (they might be
/// reached later, so the statistics over the replications that reached them lean early), and a
/// clearance mean over censored replications has a one-sided interval (it had printed
/// "≥[40.5 – 40.5]", whose upper end bounds nothing).
#[test]
fn milestones_cut_by_the_horizon_are_counted_and_censored_means_have_a_lower_bound_only() {
    let run = |horizon: f64| {
        let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
        scn.horizon = horizon;
        let opts = RunOptions {
            replications: Some(20),
            ..Default::default()
        };
        let run = clearance::experiment::run(&scn, &opts).unwrap();
        let mut out = Vec::new();
        clearance::output::table::print_summary(&mut out, &run.summary).unwrap();
        (run.summary, String::from_utf8(out).unwrap())
    };
    let (s, t) = run(40.45);
    assert_eq!(s.censored, 20);
    let (missed, cut) = (s.t_not_reached.t50, s.t_cut_by_horizon.t50);
    assert!(missed > 0 && missed < 20, "{missed}");
    assert_eq!(cut, missed);
    assert!(
        t.contains(&format!(
            "; {cut} others were stopped by the horizon first, so these figures may understate it)"
        )),
        "{t}"
    );
    // Lower bounds at the horizon of 40.45 days, rounded down: "≥40.5" had overstated them.
    let row = t.lines().find(|l| l.contains("clearance [days]")).unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        [
            "clearance",
            "[days]",
            "≥40.4",
            "≥40.4",
            "≥40.4",
            "≥40.4",
            "≥40.4",
            "≥40.4"
        ],
        "{row}"
    );
    // Replications that cleared and missed t90 (people never reached or dropped out) are not
    // counted as cut.
    let (s, t) = run(730.0);
    assert_eq!(s.censored, 0);
    assert_eq!(s.t_not_reached.t90, 20);
    assert_eq!(s.t_cut_by_horizon.t90, 0);
    assert!(!t.contains("stopped by the horizon first"), "{t}");
}

/// target prints an estimate with the decimals to tell it from the threshold (139.381783 had
/// printed 139.38 beside a threshold of 139.38178268 and "does not meet"), and says that a goal
/// on the largest or smallest replication moves with their number.
#[test]
fn target_estimates_show_their_side_of_the_threshold_and_extremes_are_flagged() {
    let run = |goal: &str, json: bool| {
        let mut a = vec![
            "target",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation",
            "--min",
            "6d",
            "--max",
            "7d",
            "--step",
            "1d",
            "--goal",
            goal,
            "--replications",
            "6",
            "--quiet",
        ];
        if json {
            a.push("--json");
        }
        let out = clearance().args(&a).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value =
        serde_json::from_str(&run("p90(clearance_days) < 1000", true)).unwrap();
    let x = v["evaluations"][0]["kpi"].as_f64().unwrap();
    // A threshold just below the estimate, alike to 8 decimals.
    let t = x - 3e-9;
    let goal = format!("p90(clearance_days) < {t:.9}");
    let text = run(&goal, false);
    let shown: f64 = text
        .lines()
        .find(|l| l.trim_start().starts_with("6d"))
        .and_then(|l| l.split(" = ").nth(1))
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(shown > t, "{shown} against {t}: {text}");
    assert!(!text.contains("note: the largest"), "{text}");
    let text = run("max(clearance_days) <= 145", false);
    assert!(
        text.contains("note: the largest of the replications moves with their number"),
        "{text}"
    );
}

/// A backlog that clears because its people drop out says so beside its date (a hazard of 5 a
/// day had headlined a clearance a month before the baseline's, with 90% dropped out).
#[test]
fn a_clearance_made_of_drop_outs_says_so() {
    let table = |hazard: f64| {
        let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
        scn.attrition_hazard = hazard;
        let opts = RunOptions {
            replications: Some(4),
            ..Default::default()
        };
        let run = clearance::experiment::run(&scn, &opts).unwrap();
        let mut out = Vec::new();
        clearance::output::table::print_summary(&mut out, &run.summary).unwrap();
        String::from_utf8(out).unwrap()
    };
    let t = table(5.0);
    assert!(
        t.contains("people (90%) dropped out: the backlog clears largely by drop-outs"),
        "{t}"
    );
    assert!(!table(0.0005).contains("dropped out: the backlog clears"));
    // The report says it too, in its key answers.
    let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
    scn.attrition_hazard = 5.0;
    scn.horizon = 147.0;
    let opts = RunOptions {
        replications: Some(4),
        ..Default::default()
    };
    let run = clearance::experiment::run(&scn, &opts).unwrap();
    let html = clearance::output::report::render_report(
        &scn,
        "",
        &clearance::output::ChartInput::from_run(&run),
    )
    .unwrap();
    assert!(
        html.contains("(90%) dropped out</b>: the backlog clears largely"),
        "report"
    );
    // Milestones no replication reached have no statistics the horizon could have cut short:
    // the report does not say so of them (it had, beside "out of reach").
    let mut scn = scenario::load_file(Path::new("scenarios/baseline.toml")).unwrap();
    scn.horizon = 146.4;
    let opts = RunOptions {
        replications: Some(12),
        ..Default::default()
    };
    let run = clearance::experiment::run(&scn, &opts).unwrap();
    assert!(run.summary.t90_days.is_none());
    assert!(
        run.summary.t_cut_by_horizon.t90 > 0,
        "{:?}",
        run.summary.t_cut_by_horizon
    );
    let html = clearance::output::report::render_report(
        &scn,
        "",
        &clearance::output::ChartInput::from_run(&run),
    )
    .unwrap();
    assert!(html.contains("Milestone not reached in"), "report");
    assert!(!html.contains("Of these, stopped by the horizon"), "report");
}

/// What binds counts the people of a phase not yet open among those still to register, and says
/// so (12,857 "still to register" on 2021-04-16 included phase 2, opening on 2021-06-23).
#[test]
fn people_still_to_register_say_when_they_include_phases_not_yet_open() {
    let t = stdout(&["run", "scenarios/phase2.toml", "--replications", "4", "-q"]);
    let rows: Vec<&str> = t
        .lines()
        .filter(|l| l.contains("people still to register"))
        .collect();
    assert!(
        rows.first()
            .is_some_and(|r| r.ends_with("(expected, with phases not yet open)")),
        "{t}"
    );
    assert!(
        rows.last()
            .is_some_and(|r| r.ends_with("still to register (expected)")),
        "{t}"
    );
    let t = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "4",
        "-q",
    ]);
    assert!(!t.contains("phases not yet open"), "{t}");
}

/// A scenario changed in code is checked by every experiment, as `experiment::run` checks it: a
/// route to a port that does not exist had panicked (index out of bounds) in a comparison and a
/// sweep, and screening hours given in hours instead of fractions of a day had run as a
/// plausible comparison with every B censored.
#[test]
fn experiments_check_a_scenario_changed_in_code() {
    use clearance::experiment::{self, sweep, RunError};
    let a = scenario::load_file(Path::new("tests/scenarios/minimal.toml")).unwrap();
    let mut bad_route = a.clone();
    bad_route.routes[0].port = 3;
    let mut bad_hours = a.clone();
    bad_hours.ports[0].schedule.hours = Some((8.0, 18.0));
    let opts = RunOptions::default();
    let copts = CompareOptions {
        replications: 4,
        independent: false,
        measure_variance_reduction: false,
    };
    for b in [&bad_route, &bad_hours] {
        assert!(matches!(
            experiment::run(b, &opts),
            Err(RunError::Invalid(_))
        ));
        match compare(&a, b, &copts, &opts) {
            Err(RunError::Invalid(m)) => {
                assert!(
                    m.iter()
                        .all(|m| m.scenario.as_deref() == Some(b.name.as_str())
                            && m.to_string().contains(&format!("\"{}\"", b.name))),
                    "{m:?}"
                );
            }
            other => panic!("{:?}", other.map(|c| c.replications)),
        }
        let got = sweep::run_points(&[&a, b], 0..4, &opts);
        assert!(
            matches!(got, Err(RunError::Invalid(_))),
            "{:?}",
            got.map(|r| r.len())
        );
    }
    // The valid ones still run.
    assert!(compare(&a, &a, &copts, &opts).is_ok());
    assert_eq!(sweep::run_points(&[&a], 0..4, &opts).unwrap().len(), 1);
}

/// Library options outside what the command line allows are refused, not run: 0 replications
/// (had run 1), a comparison of 1 (had run 2), 100,000 threads (had started thousands of OS
/// threads); `Some(0)` threads is one per core and the summary says how many.
#[test]
fn run_options_out_of_range_are_refused() {
    use clearance::experiment::{self, RunError};
    let a = scenario::load_file(Path::new("tests/scenarios/minimal.toml")).unwrap();
    let zero = RunOptions {
        replications: Some(0),
        ..Default::default()
    };
    assert!(matches!(
        experiment::run(&a, &zero),
        Err(RunError::Invalid(_))
    ));
    let one = CompareOptions {
        replications: 1,
        independent: false,
        measure_variance_reduction: false,
    };
    assert!(matches!(
        compare(&a, &a, &one, &RunOptions::default()),
        Err(RunError::Invalid(_))
    ));
    let many = RunOptions {
        threads: Some(100_000),
        ..Default::default()
    };
    assert!(matches!(
        experiment::run(&a, &many),
        Err(RunError::TooManyThreads { threads: 100_000 })
    ));
    let all_cores = RunOptions {
        threads: Some(0),
        replications: Some(2),
        ..Default::default()
    };
    let run = experiment::run(&a, &all_cores).unwrap();
    assert_eq!(
        run.summary.performance.threads,
        rayon::current_num_threads()
    );
    assert!(run.summary.performance.threads > 0);
}

/// sensitivity refuses, before simulating, an --out where an output would replace its
/// scenario (kept there as tornado.png or sensitivity.csv): it had found out only after the
/// simulation, writing sensitivity.csv over the scenario or leaving it without a chart.
#[test]
fn sensitivity_refuses_an_output_over_its_scenario_before_simulating() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/scenarios/minimal.toml").unwrap();
    for name in ["tornado.png", "sensitivity.csv"] {
        let dir = d.path().join(name.replace('.', "_"));
        std::fs::create_dir(&dir).unwrap();
        let scn = dir.join(name);
        std::fs::write(&scn, &text).unwrap();
        let out = clearance()
            .arg("sensitivity")
            .arg(&scn)
            .args(["--vary", "backlog.people=1,2", "--replications", "2", "-q"])
            .arg("--out")
            .arg(&dir)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("is an input of this command"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: it ran");
        assert_eq!(std::fs::read_to_string(&scn).unwrap(), text, "{name}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "{name}");
    }
}

/// sensitivity refuses a setting varied twice under different names (an element by its name and
/// by its number), as sweep does, with the same check: both rows had been run and shown.
#[test]
fn a_setting_varied_twice_under_two_names_is_refused() {
    let vary = [
        "--vary",
        "port[San Ysidro].quota_per_day=10,20",
        "--vary",
        "port[1].quota_per_day=30,40",
    ];
    for cmd in ["sensitivity", "sweep"] {
        let out = clearance()
            .args([
                cmd,
                "tests/scenarios/minimal.toml",
                "-q",
                "--replications",
                "2",
            ])
            .args(vary)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(out.stdout.is_empty(), "{cmd} ran");
        assert!(
            err.contains("port[1].quota_per_day")
                && err.contains("port[San Ysidro].quota_per_day")
                && (err.contains("same setting") || err.contains("under another name")),
            "{cmd}: {err}"
        );
    }
    // One path holding the other (a whole ramp and its `from` under another name) is refused
    // too: the grid had been run with one setting overwriting part of the other.
    let text = std::fs::read_to_string("tests/scenarios/minimal.toml").unwrap()
        + "ramp = { from = 10, over = \"5d\" }\n";
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("ramped.toml");
    std::fs::write(&f, text).unwrap();
    for cmd in ["sensitivity", "sweep"] {
        let out = clearance()
            .arg(cmd)
            .arg(&f)
            .args(["-q", "--replications", "2", "--vary"])
            .arg("port[San Ysidro].ramp={from=10,over=\"5d\"},{from=20,over=\"5d\"}")
            .args(["--vary", "port[1].ramp.from=5,15"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(out.stdout.is_empty(), "{cmd} ran");
        assert!(err.contains("overlap"), "{cmd}: {err}");
    }
}

/// The library refuses sensitivity factors that cannot be varied as given, with a typed error,
/// before anything runs (a researcher calling it had none of the command line's checks): low
/// above high, a path given twice, the same values, not two values, and the same setting under
/// two names. With Ctrl-C's flag already set, a run that had started would stop as
/// interrupted: the factors' error shows it never did.
#[test]
fn the_sensitivity_library_refuses_bad_factors_before_running() {
    use clearance::experiment::sensitivity::{self, SensFactor, SensitivityError};
    use clearance::experiment::ExperimentError;
    // The short path (beside `RunError`) names the type of its first path, which still works.
    let _same: fn(ExperimentError) -> clearance::experiment::target::ExperimentError = |e| e;
    let path = Path::new("tests/scenarios/minimal.toml");
    let opts = RunOptions {
        replications: Some(2),
        cancel: Some(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            true,
        ))),
        ..Default::default()
    };
    let factor = |p: &str, low: toml::Value, high: toml::Value| SensFactor {
        path: p.into(),
        low,
        high,
    };
    let int = toml::Value::Integer;
    let days = |s: &str| toml::Value::String(s.into());
    let refused = |factors: &[SensFactor]| match sensitivity::run(path, &[], factors, &opts) {
        Err(ExperimentError::Sensitivity(e)) => e,
        other => panic!("{factors:?}: {other:?}"),
    };
    // Low above high: numbers, and durations by their length (15d above 5d).
    let e = refused(&[factor("screening.servers", int(50), int(30))]);
    assert_eq!(
        e,
        SensitivityError::LowAboveHigh {
            path: "screening.servers".into(),
            low: "50".into(),
            high: "30".into()
        }
    );
    assert!(
        e.to_string()
            .contains("the low value (50) is above the high value (30)"),
        "{e}"
    );
    let e = refused(&[factor("health.isolation", days("15d"), days("5d"))]);
    assert!(matches!(e, SensitivityError::LowAboveHigh { .. }), "{e}");
    // A factor given twice, even with different values.
    let e = refused(&[
        factor("screening.servers", int(10), int(20)),
        factor("screening.servers", int(5), int(40)),
    ]);
    assert_eq!(
        e,
        SensitivityError::VariedTwice {
            path: "screening.servers".into()
        }
    );
    assert!(e.to_string().contains("screening.servers is varied twice"));
    let e = refused(&[factor("screening.servers", int(10), int(10))]);
    assert!(matches!(e, SensitivityError::SameValues { .. }), "{e}");
    // The same setting under two names, found once the scenario is loaded.
    let e = refused(&[
        factor("port[San Ysidro].quota_per_day", int(10), int(20)),
        factor("port[1].quota_per_day", int(30), int(40)),
    ]);
    assert!(matches!(e, SensitivityError::SameSetting { .. }), "{e}");
    // Not two values, as a factor is made from a list.
    assert_eq!(
        SensFactor::from_values("screening.servers", &[int(1), int(2), int(3)]),
        Err(SensitivityError::NotTwoValues {
            path: "screening.servers".into(),
            found: 3
        })
    );
    // `settings` (the scenarios of every setting) refuses them too.
    assert!(matches!(
        sensitivity::settings(path, &[], &[factor("screening.servers", int(50), int(30))]),
        Err(ExperimentError::Sensitivity(
            SensitivityError::LowAboveHigh { .. }
        ))
    ));
    // Good factors pass the check, and the run then starts (and stops at the flag).
    let good = [factor("screening.servers", int(30), int(50))];
    assert_eq!(sensitivity::check_factors(&good), Ok(()));
    assert!(matches!(
        sensitivity::run(path, &[], &good, &opts),
        Err(ExperimentError::Run(_))
    ));
}

/// A sweep file holds [sweep] alone: a setting written above it, an `extends` or another
/// section is refused with its line (each had been ignored without a word); `seed = 0` is a
/// seed, as `--seed 0` is; `scenaro` gets "did you mean `scenario`" rather than "scenario is
/// missing"; and a scenario that is a directory is said to be one.
#[test]
fn sweep_files_refuse_what_they_would_ignore() {
    let d = tempfile::tempdir().unwrap();
    let scn = std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap();
    let scn = scn.display();
    let run = |name: &str, text: &str| {
        let p = d.path().join(name);
        std::fs::write(&p, text).unwrap();
        clearance()
            .arg("sweep")
            .arg(&p)
            .args(["-q", "--replications", "2"])
            .output()
            .unwrap()
    };
    let factor = "\"backlog.people\" = [1, 2]\n";
    for (name, text, says) in [
        (
            "above.toml",
            format!("replications = 2\n[sweep]\nscenario = \"{scn}\"\n{factor}"),
            "above.toml:1:1: `replications` is written above [sweep]",
        ),
        (
            "extends.toml",
            format!("extends = \"{scn}\"\n[sweep]\nscenario = \"{scn}\"\n{factor}"),
            "extends.toml:1:1: a sweep file extends nothing",
        ),
        (
            "other.toml",
            format!("[sweep]\nscenario = \"{scn}\"\n{factor}[other]\nx = 1\n"),
            "other.toml:4:2: [other] is not part of a sweep file",
        ),
        (
            "typo.toml",
            format!("[sweep]\nscenaro = \"{scn}\"\n{factor}"),
            "did you mean `scenario`?",
        ),
        (
            "dir.toml",
            format!("[sweep]\nscenario = \"{}\"\n{factor}", d.path().display()),
            "is a directory, not a scenario file",
        ),
    ] {
        let out = run(name, &text);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("scenario is missing"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name} ran");
    }
    let out = run(
        "seed0.toml",
        &format!("[sweep]\nscenario = \"{scn}\"\nseed = 0\n{factor}"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("backlog.people"));
}

/// A factor given twice in a sweep file (quoted and as a dotted key: the same path) is named in
/// the same run as the file's other problems, where it had stopped the run alone: with a value's
/// error and the same setting under two names (by --vary), and with a grid too large.
#[test]
fn a_sweep_file_names_a_factor_given_twice_with_its_other_problems() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy("scenarios/baseline.toml", d.path().join("baseline.toml")).unwrap();
    let file = d.path().join("s.toml");
    std::fs::write(
        &file,
        "[sweep]\nscenario = \"baseline.toml\"\n\"screening.servers\" = [30, 40]\n\
         \"port[Nowhere].quota_per_day\" = [1, 2]\nscreening.servers = [50]\n\
         \"port[San Ysidro].quota_per_day\" = [100, 200]\n",
    )
    .unwrap();
    let sweep = |vary: &[&str]| {
        let out = clearance()
            .arg("sweep")
            .arg(&file)
            .args(["--replications", "2", "-q"])
            .args(vary)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(out.stdout.is_empty(), "it ran");
        err
    };
    let f = file.display();
    let twice = format!(
        "error: {f}:5:11: screening.servers is varied twice (also at {f}:3:1): give all its \
         values in one list (\"screening.servers\" = [v1, v2, …])"
    );
    let err = sweep(&["--vary", "port[1].quota_per_day=300,400"]);
    for needle in [
        twice.as_str(),
        &format!("error: {f}:4:1: port[Nowhere].quota_per_day: no [[port]] element named"),
        "error: --vary: port[1].quota_per_day is the same setting as port[San Ysidro].quota_per_day",
    ] {
        assert!(err.contains(needle), "{needle}\n{err}");
    }
    // A grid too large is named with it (its points are not loaded, so not their errors).
    let people: Vec<String> = (1..=2000).map(|i| i.to_string()).collect();
    let err = sweep(&["--vary", &format!("backlog.people={}", people.join(","))]);
    for needle in [
        twice.as_str(),
        "error: the sweep has 16,000 points (2 × 2 × 1 × 2 × 2000 values), more than the 10,000",
    ] {
        assert!(err.contains(needle), "{needle}\n{err}");
    }
    assert!(!err.contains("Nowhere"), "{err}");
}

/// Every problem of a sweep file is named in one run: a value listed twice, an unknown port and
/// a value out of range had taken three. They come in the order of the file's lines, each hint
/// under its error (they had come by kind: the values listed twice first).
#[test]
fn a_sweep_file_names_every_problem_at_once() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy("scenarios/baseline.toml", d.path().join("baseline.toml")).unwrap();
    let file = d.path().join("s.toml");
    std::fs::write(
        &file,
        "[sweep]\nscenario = \"baseline.toml\"\n\"port[Nowhere].quota_per_day\" = [1, 2]\n\
         \"health.positive\" = [0.1, 2]\n\"screening.servers\" = [30, 30]\n",
    )
    .unwrap();
    let out = clearance()
        .arg("sweep")
        .arg(&file)
        .args(["--replications", "2", "-q"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let f = file.display();
    let lines: Vec<&str> = err.lines().collect();
    let starts = [
        format!("error: {f}:3:1: port[Nowhere].quota_per_day: no [[port]] element named"),
        "  hint: known: \"San Ysidro\", \"El Paso\", \"Brownsville\"".to_string(),
        format!("error: {f}:4:1: health.positive: 2 is not a probability"),
        "  hint: ".to_string(),
        format!("error: {f}:5:1: screening.servers lists 30 twice: give each value once"),
    ];
    assert_eq!(lines.len(), starts.len(), "{err}");
    for (line, start) in lines.iter().zip(&starts) {
        assert!(line.starts_with(start.as_str()), "{start}\n{err}");
    }
    assert!(out.stdout.is_empty());
}

/// `validate` checks a sweep file as `sweep` does before running, without simulating: its
/// scenario loaded with every factor's values. A valid one is ok (exit 0), where validate had
/// refused every sweep file as not a scenario (exit 2, failing a CI job that validates every
/// *.toml); an invalid one gets every problem at once (an unknown port in a factor and a value
/// listed twice), counted among the files that are invalid.
#[test]
fn validate_checks_a_sweep_file_as_sweep_would() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy("scenarios/baseline.toml", d.path().join("baseline.toml")).unwrap();
    let good = d.path().join("good.toml");
    std::fs::write(
        &good,
        "[sweep]\nscenario = \"baseline.toml\"\nreplications = 5\n\
         \"port[San Ysidro].quota_per_day\" = [200, 300, 400]\n\"screening.servers\" = [30, 40]\n",
    )
    .unwrap();
    let bad = d.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[sweep]\nscenario = \"baseline.toml\"\n\"port[Nowhere].quota_per_day\" = [1, 2]\n\
         \"screening.servers\" = [30, 30]\n",
    )
    .unwrap();
    let out = clearance().arg("validate").arg(&good).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "ok: {} (sweep file: 6 points of MPP wind-down, phase 1 as announced (Feb 2021), \
                 from {})",
                good.display(),
                d.path().join("baseline.toml").display()
            )
            .as_str()
        ),
        "{text}"
    );
    let out = clearance()
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .arg("scenarios/baseline.toml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let b = bad.display();
    for needle in [
        format!("error: {b}:3:1: port[Nowhere].quota_per_day: no [[port]] element named"),
        format!("error: {b}:4:1: screening.servers lists 30 twice: give each value once"),
        "1 of 3 files are invalid".to_string(),
    ] {
        assert!(err.contains(&needle), "{needle}\n{err}");
    }
    assert!(!err.contains("not a scenario"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("ok: {} (sweep file: 6 points", good.display())),
        "{text}"
    );
    assert!(text.contains("ok: scenarios/baseline.toml"), "{text}");
    // --set applies to the sweep's scenario, as in `sweep`.
    let out = clearance()
        .arg("validate")
        .arg(&good)
        .args(["--set", "backlog.people=-1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error: --set: backlog.people"), "{err}");
    // A point at which no run can clear is named by its values (its warnings alone, each
    // given once for all points, did not say which point); the others are not.
    let zero = d.path().join("zero.toml");
    std::fs::write(
        &zero,
        "[sweep]\nscenario = \"baseline.toml\"\n\"screening.servers\" = [0, 40]\n\
         \"attrition.hazard_per_day\" = [0.0, 0.0005]\n",
    )
    .unwrap();
    let out = clearance().arg("validate").arg(&zero).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("no run can clear"))
        .collect();
    assert_eq!(
        lines,
        [
            "  at screening.servers=0, attrition.hazard_per_day=0.0, no run can clear: nobody \
             can ever be processed",
            "  at screening.servers=0, attrition.hazard_per_day=0.0005, no run can clear (a run \
             ends only at the horizon, or once everyone left has dropped out): nobody can ever \
             be processed",
        ],
        "{text}"
    );
}

/// A summary names what it ran: a scenario loaded with overrides lists them (the library's
/// summary had none, as if the file had run as written), and one changed in code after loading
/// says so (`"modified_in_code": true`, and a warning that the file's warnings are not
/// re-derived), where it had kept the file's provenance and warnings as if unchanged. The
/// seed and the replications, which the summary records as run, are not changes.
#[test]
fn a_summary_says_when_its_scenario_was_changed_in_code() {
    let path = Path::new("scenarios/baseline.toml");
    let opts = RunOptions {
        replications: Some(2),
        in_memory: true,
        ..Default::default()
    };
    let as_json = |s: &clearance::scenario::Scenario| {
        let run = clearance::experiment::run(s, &opts).unwrap();
        let text = clearance::output::json::summary_json(&run.summary).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let mut s = scenario::load_file(path).unwrap();
    assert!(!s.is_modified());
    s.seed = 7;
    s.replications = 3;
    let v = as_json(&s);
    assert!(
        v["scenario"].get("modified_in_code").is_none(),
        "{}",
        v["scenario"]
    );
    assert!(v["scenario"].get("overrides").is_none());
    let file_fingerprint = v["scenario"]["fingerprint"].clone();
    assert_eq!(file_fingerprint.as_str().unwrap().len(), 16);
    let n_warnings = v["warnings"].as_array().unwrap().len();
    s.health.as_mut().unwrap().positive = 0.5;
    assert!(s.is_modified());
    let v = as_json(&s);
    assert_eq!(v["scenario"]["modified_in_code"], true);
    // The fingerprint is of the scenario as run: not the file's, different for a different
    // change, the same for the same one (in the summary and in an experiment's provenance).
    let changed = v["scenario"]["fingerprint"].clone();
    assert_ne!(changed, file_fingerprint);
    assert_eq!(
        changed.as_str().unwrap(),
        format!("{:016x}", s.fingerprint())
    );
    assert_eq!(
        clearance::experiment::ScenarioProvenance::of(&s)
            .fingerprint
            .as_deref(),
        changed.as_str()
    );
    let mut other = s.clone();
    other.health.as_mut().unwrap().positive = 0.25;
    assert_ne!(as_json(&other)["scenario"]["fingerprint"], changed);
    assert_eq!(as_json(&s.clone())["scenario"]["fingerprint"], changed);
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), n_warnings + 1, "{w:?}");
    assert!(
        w.iter().any(|w| w.as_str().unwrap().starts_with(
            "the scenario was changed in code after it was loaded from \"scenarios/baseline.toml\""
        )),
        "{w:?}"
    );
    // Changed back: the same scenario as loaded.
    s.health.as_mut().unwrap().positive =
        scenario::load_file(path).unwrap().health.unwrap().positive;
    assert!(!s.is_modified());
    assert_eq!(as_json(&s)["scenario"]["fingerprint"], file_fingerprint);
    // Overrides given to the loader are the summary's.
    let set = parse_set("scenario.horizon=\"400d\"").unwrap();
    let l = scenario::load_file_with(path, &[set]).unwrap();
    let v = as_json(&l.scenario);
    assert_eq!(v["scenario"]["overrides"][0], "scenario.horizon=400d");
    assert!(v["scenario"].get("modified_in_code").is_none());
}

/// Every experiment's JSON opens with `clearance_version`, as summary.json does, and names its
/// scenario by the same object, with the same fingerprint of the scenario as run (compare,
/// target and sensitivity had neither; sensitivity's `"scenario"` stays the name it was).
#[test]
fn every_experiment_names_its_version_and_scenario_by_fingerprint() {
    let version = env!("CARGO_PKG_VERSION");
    let m = "scenarios/baseline.toml";
    let common = ["--replications", "3", "-q", "--json"];
    let run_args = |args: &[&str]| {
        let text = stdout(&[args, &common[..]].concat());
        assert!(
            text.starts_with(&format!("{{\n  \"clearance_version\": \"{version}\",\n")),
            "{}",
            &text[..200.min(text.len())]
        );
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let sweep = run_args(&["sweep", m, "--vary", "scenario.horizon=300d,400d"]);
    let object = sweep["scenario"].clone();
    assert_eq!(object["file"], m);
    assert_eq!(object["fingerprint"].as_str().unwrap().len(), 16);
    let summary = run_args(&["run", m]);
    assert_eq!(summary["scenario"]["fingerprint"], object["fingerprint"]);
    let cmp = run_args(&["compare", m, "scenarios/two-ports.toml"]);
    assert_eq!(cmp["scenario_a"], object);
    assert_eq!(cmp["scenario_b"]["file"], "scenarios/two-ports.toml");
    assert_ne!(cmp["scenario_b"]["fingerprint"], object["fingerprint"]);
    let target = run_args(&[
        "target",
        m,
        "--vary",
        "port[El Paso].opens",
        "--min",
        "0d",
        "--max",
        "10d",
        "--step",
        "10d",
        "--goal",
        "p90(clearance_days) <= 400",
    ]);
    assert_eq!(target["scenario"], object);
    // The seed the answer depends on, as the other experiments record theirs (target had none).
    assert_eq!(target["seed"], sweep["seed"]);
    assert!(target["seed"].is_u64(), "{}", target["seed"]);
    let seeded = run_args(&[
        "target",
        m,
        "--vary",
        "port[El Paso].opens",
        "--min",
        "0d",
        "--max",
        "10d",
        "--step",
        "10d",
        "--goal",
        "p90(clearance_days) <= 400",
        "--seed",
        "7",
    ]);
    assert_eq!(seeded["seed"], 7);
    assert_eq!(seeded["scenario"], object);
    let sens = run_args(&["sensitivity", m, "--vary", "scenario.horizon=300d,400d"]);
    assert_eq!(sens["scenario"], object["name"]);
    assert_eq!(sens["scenario_info"], object);
    // With --set, the fingerprint is of the scenario as run, in every one.
    let set = ["--set", "scenario.horizon=500d"];
    let a = run_args(&[&["compare", m, m][..], &set].concat());
    let t = run_args(&[&["run", m][..], &set].concat());
    assert_ne!(a["scenario_a"]["fingerprint"], object["fingerprint"]);
    assert_eq!(a["scenario_a"]["fingerprint"], t["scenario"]["fingerprint"]);
}

/// A duration key searched without units is refused by name (it had failed on "duration 100 has
/// no unit", a default the user never wrote); a quantile goal run with too few replications for
/// its interval's deciding end says how many it needs (a P90's upper end: 36), where every
/// value had read "meets the goal (not sure …)" with an interval up to ∞.
#[test]
fn target_names_what_a_duration_key_and_a_quantile_bound_need() {
    let m = "scenarios/baseline.toml";
    let goal = ["--goal", "p90(clearance_days) <= 400", "-q"];
    let out = clearance()
        .args(["target", m, "--vary", "port[El Paso].opens"])
        .args(goal)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "port[El Paso].opens is a duration: give --min, --max and --step with a unit (min, \
             h, d or w), e.g. --min 0d --max 60d --step 7d (the defaults --min 100 --max 1000 \
             --step 10 are counts)"
        ),
        "{err}"
    );
    assert!(!err.contains("has no unit"), "{err}");
    // A count key keeps its defaults' meaning; a quantile with too few replications is named.
    let count = [
        "target",
        m,
        "--vary",
        "port[El Paso].quota_per_day",
        "--min",
        "200",
        "--max",
        "300",
        "--step",
        "100",
    ];
    let few = [&count[..], &goal, &["--replications", "5"]].concat();
    let v = json(&[&few[..], &["--json"]].concat());
    assert_eq!(v["replications_for_bound"], 36, "{v}");
    let text = stdout(&few);
    assert!(
        text.contains(
            "note: the 95% CI of a p90 has an upper end only from 36 replications on (with \
             fewer, the largest of them lies below the true p90 more than 2.5% of the time): \
             with 5, no value can be sure to meet the goal; give --replications 36 or more"
        ),
        "{text}"
    );
    let enough = [&count[..], &goal, &["--replications", "36", "--json"]].concat();
    let v = json(&enough);
    assert!(v.get("replications_for_bound").is_none(), "{v}");
    assert!(v["found"]["ci95_high"].is_number(), "{v}");
}

/// A scenario without randomness gives every replication the same clearance: an interval of
/// zero width at the goal's threshold is sure (a value at the threshold meets `<=`), where it
/// had read "meets the goal (not sure: 5 is inside the 95% CI)" with `"uncertain": true` and
/// advice to run more replications, which cannot move it.
#[test]
fn target_is_sure_of_an_interval_of_zero_width_at_the_threshold() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m.toml");
    std::fs::write(
        &m,
        "[scenario]\nname = \"tiny\"\nreplications = 50\n[backlog]\npeople = 1000\n\
         [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
         [[port]]\nname = \"P\"\nquota_per_day = 100\n",
    )
    .unwrap();
    let m = m.to_str().unwrap();
    let args = |goal| {
        [
            "target",
            m,
            "--vary",
            "port[P].quota_per_day",
            "--goal",
            goal,
            "--min",
            "160",
            "--max",
            "200",
            "--step",
            "10",
            "-q",
        ]
    };
    let le = args("p90(clearance_days) <= 5");
    let v = json(&[&le[..], &["--json"]].concat());
    assert_eq!(v["found"]["value"], 170, "{v}");
    assert_eq!(v["found"]["kpi"], 5.0, "{v}");
    assert_eq!(v["found"]["ci95_low"], 5.0, "{v}");
    assert_eq!(v["found"]["ci95_high"], 5.0, "{v}");
    assert_eq!(v["found"]["uncertain"], false, "{v}");
    assert_eq!(v["uncertain"], false, "{v}");
    let text = stdout(&le);
    assert!(
        text.contains(
            "p90(clearance_days) = 5.00 (95% CI 5.00 – 5.00): meets the goal (sure: the 95% CI \
             is the threshold alone, which `<= 5` includes)"
        ),
        "{text}"
    );
    assert!(!text.contains("not sure"), "{text}");
    // `< 5` excludes 5: the same interval is sure not to meet it, and the answer is the next
    // step up.
    let lt = args("p90(clearance_days) < 5");
    let v = json(&[&lt[..], &["--json"]].concat());
    assert_eq!(v["found"]["value"], 200, "{v}");
    assert_eq!(v["neighbour"]["value"], 190, "{v}");
    assert_eq!(v["neighbour"]["met"], false, "{v}");
    assert_eq!(v["uncertain"], false, "{v}");
    let text = stdout(&lt);
    assert!(text.contains("which `< 5` excludes)"), "{text}");
}

/// `--vary` names what is wrong with the key itself before any range is tried: an unknown key
/// as `--set` names it (it had read `--min/--max: …`, a range the planner never gave); a name
/// or text cannot be varied (`scenario.name` had been called a duration, a port's name had
/// failed on `port[2].name: expected a string, found the integer 100`); a fraction searched
/// over the default counts gets the sweep that tabulates it (it had read `100 is not a
/// probability`).
#[test]
fn target_names_a_vary_key_it_cannot_search() {
    let m = "scenarios/baseline.toml";
    let err = |vary: &str| {
        let out = clearance()
            .args(["target", m, "--vary", vary])
            .args(["--goal", "p90(clearance_days) <= 140", "-q"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = err("port[El Paso].quota_per_dya");
    assert_eq!(
        e,
        "error: --vary: port[El Paso].quota_per_dya: unknown key \"quota_per_dya\" in port\n  \
         hint: did you mean \"quota_per_day\"?\n"
    );
    let cannot = "not a number: target cannot vary it; it searches a whole number (people, \
                  servers, seats, a quota: --vary 'port[El Paso].quota_per_day') or a duration \
                  in whole units (--vary 'port[El Paso].opens' --min 0d --max 60d --step 7d)";
    for (vary, what) in [
        ("scenario.name", "a name"),
        ("port[El Paso].name", "a name"),
        ("scenario.start_date", "a date"),
        ("screening.days", "a list"),
    ] {
        let e = err(vary);
        assert!(e.contains(&format!("{vary} is {what}, {cannot}")), "{e}");
        assert!(
            !e.contains("duration: give") && !e.contains("found the integer"),
            "{e}"
        );
    }
    let e = err("health.positive");
    assert!(
        e.contains(
            "error: health.positive is a fraction (from 0 to 1): target searches whole numbers \
             (people, servers, seats, a quota) or durations in whole units; tabulate a \
             fraction's values with a sweep: clearance sweep scenarios/baseline.toml --vary \
             'health.positive=0,0.05,0.1,0.15'"
        ),
        "{e}"
    );
    assert!(!e.contains("not a probability"), "{e}");
    // A duration key still gets its own message; a count key runs.
    assert!(err("port[El Paso].opens").contains("port[El Paso].opens is a duration: give"));
    let v = json(&[
        "target",
        m,
        "--vary",
        "port[El Paso].quota_per_day",
        "--goal",
        "p90(clearance_days) <= 400",
        "--min",
        "200",
        "--max",
        "300",
        "--step",
        "100",
        "--replications",
        "3",
        "--json",
        "-q",
    ]);
    assert_eq!(v["vary"], "port[El Paso].quota_per_day", "{v}");
}

/// The median clearance comes with its 95% confidence interval (a planner read 2021-07-15 at
/// 200 replications and 2021-07-14 at 1,000, with only the mean's interval printed): the
/// summary's interval is the order-statistic interval of the replications' clearance times,
/// and the table and the report say it.
#[test]
fn median_clearance_comes_with_its_confidence_interval() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let text = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "60",
        "--out",
        out.to_str().unwrap(),
        "--report",
        "--no-charts",
        "-q",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // The clearance column of replications.csv, recomputed.
    let csv = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "clearance_days").unwrap();
    let xs: Vec<f64> = lines
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect();
    assert_eq!(xs.len(), 60);
    let ci = &v["clearance_quantile_ci95"];
    for (k, q) in [("p50", 0.5), ("p90", 0.9)] {
        let (_, lo, hi) = clearance::experiment::kpi::quantile_ci(&xs, q).unwrap();
        assert_eq!(ci[k]["low_days"].as_f64().unwrap(), lo, "{k}");
        assert_eq!(ci[k]["high_days"].as_f64().unwrap(), hi, "{k}");
        assert!(lo <= v["clearance_days"][k].as_f64().unwrap());
        assert!(hi >= v["clearance_days"][k].as_f64().unwrap());
    }
    // The P5's lower end and the P95's upper end need 72 replications: null at 60, while
    // their other ends are given.
    for (k, q) in [("p5", 0.05), ("p95", 0.95)] {
        let (_, lo, hi) = clearance::experiment::kpi::quantile_ci(&xs, q).unwrap();
        assert_eq!(lo.is_finite(), q > 0.5, "{k}");
        assert_eq!(hi.is_finite(), q < 0.5, "{k}");
        for (end, x) in [("low_days", lo), ("high_days", hi)] {
            match ci[k][end].as_f64() {
                Some(y) => assert_eq!(y, x, "{k} {end}"),
                None => assert!(!x.is_finite() && ci[k][end].is_null(), "{k} {end}"),
            }
        }
    }
    let (lo, hi) = (
        ci["p50"]["low_date"].as_str().unwrap(),
        ci["p50"]["high_date"].as_str().unwrap(),
    );
    let line = text
        .lines()
        .find(|l| l.contains("→ median clearance"))
        .unwrap();
    if lo == hi {
        assert!(line.contains(", within that day)"), "{line}");
    } else {
        assert!(line.contains(&format!(" days, {lo} – {hi})")), "{line}");
    }
    // The ends in days too, which narrow as replications are added while the dates stay.
    let (dlo, dhi) = (
        ci["p50"]["low_days"].as_f64().unwrap(),
        ci["p50"]["high_days"].as_f64().unwrap(),
    );
    let d = clearance::output::table::interval_decimals(dlo, dhi, 1);
    assert!(
        line.contains(&format!("; 95% CI {dlo:.d$} – {dhi:.d$} days")),
        "{line}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("from 60 replications, the scenario's median clearance lies "),
        "report"
    );
    // Worded as the precision of the estimate, after the spread of the replications, so that
    // its narrow range is not quoted as the uncertainty of the date.
    let spread = html
        .find("<b>How certain:</b> in 9 of 10 ")
        .expect("the spread");
    let precision = html
        .find("<b>How precise the estimate is:</b>")
        .expect("the CI");
    assert!(spread < precision, "report");
    assert!(
        html[precision..].contains("not the range of outcomes"),
        "report"
    );
    // Too few runs for an interval: said, not left out.
    let few = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "4",
        "-q",
    ]);
    assert!(few.contains("; too few runs for a 95% CI)"), "{few}");
}

/// One replication gives `clearance_quantile_ci95` as 2 to 5 do, with null ends (README: "an
/// end too few replications bound is null"), in `--json` and in summary.json alike: the key had
/// been missing altogether, which a reader of the JSON contract takes for an older summary.
#[test]
fn one_replication_has_a_quantile_interval_with_null_ends() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    for reps in ["1", "3"] {
        let json: serde_json::Value = serde_json::from_str(&stdout(&[
            "run",
            "scenarios/baseline.toml",
            "--replications",
            reps,
            "--json",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ]))
        .unwrap();
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        for v in [&json, &file] {
            let ci = &v["clearance_quantile_ci95"];
            for k in ["p50", "p90"] {
                let q = ci[k].as_object().unwrap_or_else(|| panic!("{reps}: {v}"));
                // Every end unbound with 1; with 3 the P90's lower end is bound (the smallest
                // of 3 lies below the P90 often enough), the others not.
                for end in ["low_days", "high_days", "low_date", "high_date"] {
                    let bound = reps == "3" && k == "p90" && end.starts_with("low");
                    assert_eq!(!q[end].is_null(), bound, "{reps} {k} {end}: {ci}");
                }
                assert_eq!(q["high_censored"], false, "{reps} {k}: {ci}");
            }
        }
    }
    let text = stdout(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "1",
        "-q",
    ]);
    assert!(
        text.contains("(day 145.5; too few runs for a 95% CI)"),
        "{text}"
    );
}

/// A port that only one scenario has is compared too (compare had left it out, so that the
/// people it took from another port read as lost): its people against 0, marked as one
/// scenario's only, both ways round.
#[test]
fn compare_counts_a_port_only_one_scenario_has() {
    let d = tempfile::tempdir().unwrap();
    let b = d.path().join("b.toml");
    let base = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    std::fs::write(
        &b,
        format!(
            "extends = \"{}\"\n[scenario]\nname = \"with Nogales\"\n[dispatch]\n\
             choose_port = \"shortest_queue\"\n[[port]]\nname = \"Nogales\"\nquota_per_day = 150\n\
             [[route]]\nfrom = \"Tijuana\"\nto = \"Nogales\"\ndepartures = [\"08:00\"]\n\
             seats = 55\ntravel = \"8h\"\n",
            base.display()
        ),
    )
    .unwrap();
    let b = b.to_str().unwrap();
    for (x, y, side) in [
        ("scenarios/baseline.toml", b, "B"),
        (b, "scenarios/baseline.toml", "A"),
    ] {
        let v = json(&["compare", x, y, "--replications", "4", "--json", "-q"]);
        let kpis = v["kpis"].as_array().unwrap();
        let row = |k: &str| kpis.iter().find(|r| r["kpi"] == k).unwrap();
        let p = row("processed:Nogales");
        assert_eq!(p["only_in"], side, "{p}");
        let (with, without) = if side == "B" { ("b", "a") } else { ("a", "b") };
        assert_eq!(p[without]["mean"], 0.0, "{p}");
        let people = p[with]["mean"].as_f64().unwrap();
        assert!(people > 0.0, "{p}");
        let diff = p["diff"]["mean"].as_f64().unwrap();
        assert_eq!(diff, if side == "B" { people } else { -people });
        assert!(row("wait_days:Nogales")[without].is_null());
        assert!(row("processed:El Paso").get("only_in").is_none());
        let text = stdout(&["compare", x, y, "--replications", "4", "-q"]);
        assert!(
            text.contains(&format!("processed:Nogales ({side} only)"))
                && text.contains(&format!("({side} only) Nogales is a port of {side} alone")),
            "{text}"
        );
    }
}

/// One rule for the replication count of a library caller: compare refuses run options whose
/// count differs from CompareOptions' (it had ignored them), and sensitivity and goal seeking
/// refuse fewer than 2 (they had raised 1 to 2 without a word).
#[test]
fn experiments_refuse_a_replication_count_they_would_not_run() {
    use clearance::experiment::sensitivity::{self, SensFactor};
    use clearance::experiment::target::{self, ExperimentError, Search};
    use clearance::experiment::RunError;
    let path = Path::new("tests/scenarios/minimal.toml");
    let scn = scenario::load_file(path).unwrap();
    let copts = CompareOptions {
        replications: 3,
        independent: false,
        measure_variance_reduction: false,
    };
    let opts = |n: Option<u32>| RunOptions {
        replications: n,
        ..Default::default()
    };
    match compare(&scn, &scn, &copts, &opts(Some(5))) {
        Err(RunError::Invalid(p)) => {
            assert_eq!(p[0].key, "RunOptions.replications");
            assert!(p[0]
                .to_string()
                .contains("5 replications in the run options but 3"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        compare(&scn, &scn, &copts, &opts(Some(3)))
            .unwrap()
            .replications,
        3
    );
    assert_eq!(
        compare(&scn, &scn, &copts, &opts(None))
            .unwrap()
            .replications,
        3
    );
    let factor = SensFactor {
        path: "screening.servers".into(),
        low: toml::Value::Integer(1),
        high: toml::Value::Integer(2),
    };
    match sensitivity::run(path, &[], &[factor], &opts(Some(1))) {
        Err(ExperimentError::Usage(m)) => assert!(m.contains("needs 2 at least"), "{m}"),
        other => panic!("{other:?}"),
    }
    let search = Search {
        vary: "screening.servers".into(),
        goal: "p90(clearance_days) <= 100".parse().unwrap(),
        min: 1,
        max: 2,
        step: 1,
        unit: None,
    };
    match target::search(path, &[], &search, &opts(Some(1))) {
        Err(ExperimentError::Usage(m)) => assert!(m.contains("needs 2 at least"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// A clearance goal below the floor the capacities set at both ends of the range is said to be
/// out of reach, with the floor's day (target had said only "no value … meets", and asked for
/// more replications); a goal above the floor gets no such line.
#[test]
fn target_says_when_the_capacities_put_the_goal_out_of_reach() {
    let run = |goal: &str| {
        let out = Command::cargo_bin("clearance")
            .unwrap()
            .args([
                "target",
                "scenarios/baseline.toml",
                "--vary",
                "port[El Paso].quota_per_day",
                "--goal",
                goal,
                "--min",
                "100",
                "--max",
                "600",
                "--step",
                "500",
                "--replications",
                "3",
                "-q",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("p90(clearance_days) <= 110");
    assert!(
        text.contains(
            "why: at both ends of the range the capacities alone (quotas, seats, the \
             registrations; servers taken as unlimited) put clearance no earlier than day 120 \
             (2021-06-19), past the goal's 110 days"
        ),
        "{text}"
    );
    assert!(!text.contains("give --replications"), "{text}");
    let text = run("p90(clearance_days) <= 130");
    assert!(!text.contains("why:"), "{text}");
    // A goal written as a date, the day before the floor's and on it (it had no such line
    // whatever the date: its threshold was read before the date became a day count).
    let text = run("p90(clearance_days) <= 2021-06-18");
    assert!(
        text.contains(
            "put clearance no earlier than day 120 (2021-06-19), past the goal's 2021-06-18: no \
             value of port[El Paso].quota_per_day in the range can meet it"
        ),
        "{text}"
    );
    let text = run("p90(clearance_days) <= 2021-06-19");
    assert!(!text.contains("why:"), "{text}");
}

/// summary.json (and --json) carry "What binds" as the table prints it, so that a script can
/// read which stage binds when and what sets the date (it was in the table alone).
#[test]
fn summary_says_what_binds_as_the_table_does() {
    let args = [
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "20",
        "-q",
    ];
    let v = json(&[&args[..], &["--json"][..]].concat());
    let text = stdout(&args);
    let wb = &v["what_binds"];
    assert_eq!(wb["up_to"], "median_clearance");
    let spans = wb["spans"].as_array().unwrap();
    assert!(spans.len() >= 2, "{wb}");
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("What binds"))
        .skip(1)
        .take_while(|l| l.starts_with("  from "))
        .collect();
    assert_eq!(rows.len(), spans.len(), "{text}");
    for (row, span) in rows.iter().zip(spans) {
        let date = span["from_date"].as_str().unwrap();
        let name = span["name"].as_str().unwrap();
        assert!(
            row.starts_with(&format!("  from {date}  {name} ")),
            "{row} / {span}"
        );
    }
    let shares: f64 = wb["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    let set = &wb["date_set_by"];
    let k = set["span"].as_u64().unwrap() as usize;
    assert!(k < spans.len());
    let lever = set["lever"].as_str().unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(lever), "{lever}");
}

/// A backlog the port clears in days and a late phase that sets the clearance date, the same
/// at either quota: clearance cannot tell the quotas apart, t90 can.
const LATE_PHASE: &str = r#"
[scenario]
name = "late phase"
seed = 3
replications = 2

[backlog]
people = 1000

[[phase]]
name = "late"
people = 10
opens = "60d"

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
quota_per_day = 100
"#;

/// `sensitivity --kpi` and `sweep --kpi` study a KPI other than the clearance date: its table,
/// JSON (`kpi`), CSV (a last column `kpi`) and chart; `--kpi clearance_days`, the default,
/// changes no output; an unknown KPI is refused before anything runs, naming the known ones.
#[test]
fn sensitivity_and_the_sweep_chart_study_a_chosen_kpi() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("late.toml");
    std::fs::write(&f, LATE_PHASE).unwrap();
    let f = f.to_str().unwrap();
    let vary = "port[P].quota_per_day=100,200";
    let sens = |extra: &[&str]| {
        let mut a = vec!["sensitivity", f, "--vary", vary, "--quiet", "--json"];
        a.extend(extra);
        json(&a)
    };
    let by_date = sens(&[]);
    assert!(by_date.get("kpi").is_none(), "{by_date}");
    assert_eq!(by_date["factors"][0]["swing_p50"], 0.0);
    assert_eq!(sens(&["--kpi", "clearance_days"]), by_date);
    let t90 = sens(&["--kpi", "t90_days"]);
    assert_eq!(t90["kpi"], "t90_days");
    let row = &t90["factors"][0];
    let (low, high) = (
        row["at_low"]["p50"].as_f64().unwrap(),
        row["at_high"]["p50"].as_f64().unwrap(),
    );
    // 909 people at 100 a day, then at 200 a day.
    assert!(
        (8.0..10.0).contains(&low) && (4.0..5.0).contains(&high),
        "{row}"
    );
    assert_eq!(row["swing_p50"].as_f64().unwrap(), low - high);
    let wait = sens(&["--kpi", "port_wait_days"]);
    assert_eq!(wait["kpi"], "port_wait_days");

    // The table, CSV and chart name the KPI.
    let out = d.path().join("s");
    let text = stdout(&[
        "sensitivity",
        f,
        "--vary",
        vary,
        "--kpi",
        "t90_days",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains("baseline t90 (90% processed) [days]"),
        "{text}"
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(",diff_p50,diff_p90,base_processed,low_processed,high_processed,diff_processed,fewer_processed,base_horizon_censored,low_horizon_censored,high_horizon_censored,kpi"));
    assert!(lines.next().unwrap().ends_with(",t90_days"));
    let svg = std::fs::read_to_string(out.join("tornado.svg")).unwrap();
    assert!(svg.contains("Sensitivity of t90 (90% processed)"));
    let plain = d.path().join("s0");
    stdout(&[
        "sensitivity",
        f,
        "--vary",
        vary,
        "--quiet",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let csv0 = std::fs::read_to_string(plain.join("sensitivity.csv")).unwrap();
    assert!(csv0
        .lines()
        .next()
        .unwrap()
        .ends_with(",diff_processed,fewer_processed,base_horizon_censored,low_horizon_censored,high_horizon_censored"));
    assert!(std::fs::read_to_string(plain.join("tornado.svg"))
        .unwrap()
        .contains("Sensitivity of clearance"));

    // The sweep's chart: of t90, or as before.
    let sweep = |dir: &str, extra: &[&str]| {
        let out = d.path().join(dir);
        let mut a = vec!["sweep", f, "--vary", vary, "--quiet", "--out"];
        a.push(out.to_str().unwrap());
        a.extend(extra);
        stdout(&a);
        std::fs::read_to_string(out.join("sweep.svg")).unwrap()
    };
    let default = sweep("w0", &[]);
    assert!(default.contains("Clearance over the sweep"));
    assert_eq!(sweep("w1", &["--kpi", "clearance_days"]), default);
    let t90 = sweep("w2", &["--kpi", "t90_days"]);
    assert!(t90.contains("t90 (90% processed) over the sweep"), "{t90}");
    assert!(t90.contains("P90 t90 (90% processed)"));

    // Unknown: refused, with the names it knows.
    for cmd in ["sensitivity", "sweep"] {
        let out = clearance()
            .args([cmd, f, "--vary", vary, "--kpi", "t95_days", "--quiet"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--kpi t95_days: unknown KPI"), "{err}");
        assert!(
            err.contains("t90_days") && err.contains("wait_days:P"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// A factor whose values are lists (a port's days) labels the heatmap's rows and the line
/// chart's ticks readably: `Mon–Fri`, not the end of `["Mon", "Tue", …, "Fri"]`.
#[test]
fn the_sweep_chart_labels_list_values_readably() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("late.toml");
    std::fs::write(&f, LATE_PHASE).unwrap();
    let days =
        r#"port[P].days=["Mon","Tue","Wed","Thu","Fri"],["Mon","Tue","Wed","Thu","Fri","Sat"]"#;
    for (dir, two) in [("heat", true), ("line", false)] {
        let out = d.path().join(dir);
        let mut a = vec!["sweep", f.to_str().unwrap(), "--vary", days];
        if two {
            a.extend(["--vary", "port[P].quota_per_day=100,200"]);
        }
        a.extend(["--quiet", "--out", out.to_str().unwrap()]);
        stdout(&a);
        let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
        assert!(
            svg.contains(">Mon–Fri<") || svg.contains("\nMon–Fri\n"),
            "{svg}"
        );
        assert!(svg.contains("Mon–Sat"), "{dir}");
        assert!(
            !svg.contains("Fri&quot;") && !svg.contains("Fri\""),
            "{dir}: {svg}"
        );
    }
}

/// An interval's end that is not zero never prints as a zero: the lower end of the difference
/// of the medians, +0.00085 days over 60 pairs of baseline and two-ports, had printed "+0.00"
/// (read as an interval starting at 0), and the upper end of San Ysidro's utilization over 22,
/// +0.00028 pp, "0.00" (read as an interval that stops at 0, not one that holds it). The
/// JSON keeps the full values.
#[test]
fn compare_prints_an_interval_end_off_zero_as_it_is() {
    let (a, b) = ("scenarios/baseline.toml", "scenarios/two-ports.toml");
    let args = |n: &'static str| ["compare", a, b, "--replications", n, "-q"];
    let v = json(&[&args("60")[..], &["--json"]].concat());
    let low = v["clearance_p50_diff"]["ci95_low"].as_f64().unwrap();
    assert!(low > 0.0 && low < 0.005, "{low}");
    let text = stdout(&args("60"));
    let line = text
        .lines()
        .find(|l| l.contains("median clearance of B − median of A"))
        .unwrap();
    assert!(line.contains("(95% CI +0.001 … +0.78"), "{line}");

    let v = json(&[&args("22")[..], &["--json"]].concat());
    let row = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kpi"] == "utilization:San Ysidro")
        .unwrap()
        .clone();
    let high = row["diff"]["ci95_high"].as_f64().unwrap();
    assert!(high > 0.0 && high * 100.0 < 0.005, "{high}");
    let text = stdout(&args("22"));
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("utilization:San Ysidro"))
        .unwrap();
    assert!(line.ends_with("[-0.08 … +0.0003] pp"), "{line}");
}

/// One port, 200 people, exponential service: clearance about 40 days, so the t interval of 2
/// replications can be within ±10% of the mean by chance. A store of 2 replications extended
/// with `--precision 10%` is judged from the first batch's 32 on, as a fresh run is, not on
/// its 2 (whose interval covered the mean in 56% of the runs that stopped there).
const ONE_PORT_200: &str = r#"
[scenario]
name = "s1"
horizon = "1000d"
seed = 5
replications = 50

[backlog]
people = 200

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = { dist = "exponential", mean = "0.2d" }
"#;

#[test]
fn an_extended_run_meets_a_precision_from_the_first_batch_on() {
    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("s1.toml");
    std::fs::write(&scn, ONE_PORT_200).unwrap();
    let store = dir.path().join("store");
    let (scn, store) = (scn.to_str().unwrap(), store.to_str().unwrap());
    clearance()
        .args([
            "run",
            scn,
            "--replications",
            "2",
            "--out",
            store,
            "--quiet",
            "--no-charts",
        ])
        .assert()
        .success();
    // The two stored replications alone meet ±10% (the case the rule must not stop on).
    let two = json(&["run", scn, "--replications", "2", "--json", "--quiet"]);
    let c: Vec<f64> = (0..2)
        .map(|i| two["clearance_days"][["min", "max"][i]].as_f64().unwrap())
        .collect();
    let (mean, half) = ((c[0] + c[1]) / 2.0, 12.706 * (c[1] - c[0]).abs() / 2.0);
    assert!(
        half <= 0.1 * mean,
        "the case needs 2 runs within ±10%: {c:?}"
    );
    let out = clearance()
        .args([
            "run",
            "--extend",
            store,
            "--precision",
            "10%",
            "--quiet",
            "--no-charts",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("met after 32 replications"), "{text}");
}

/// The same scenario with horizons of 50 and 70 days and its port closed from day 39.5 to 80:
/// a run that has not cleared by day 39.5 clears in neither, and with horizons far enough
/// both would clear alike. Counting a
/// pair of two uncleared runs at the distance of their horizons had printed "≥ 20.0 days"; a
/// pair of two such runs counts as 0, the least it could be, so the lower bound holds.
#[test]
fn compare_of_different_horizons_keeps_its_lower_bound_true() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, horizon: &str| {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            ONE_PORT_200.replace("horizon = \"1000d\"", &format!("horizon = \"{horizon}\""))
                + "\n[[disruption]]\nports = [\"P\"]\nfrom = \"39.5d\"\nuntil = \"80d\"\ncapacity = 0\n",
        )
        .unwrap();
        p.to_str().unwrap().to_string()
    };
    let (a, b) = (write("d1.toml", "50d"), write("d2.toml", "70d"));
    let v = json(&[
        "compare",
        &a,
        &b,
        "--replications",
        "20",
        "--json",
        "--quiet",
    ]);
    // Half the pairs clear alike before day 39.5; in the others neither clears.
    assert_eq!(v["censored_both"].as_u64(), Some(10), "{v}");
    assert_eq!(v["undecided"].as_u64(), Some(10), "{v}");
    assert_eq!(
        v["median_abs_clearance_diff_days"].as_f64(),
        Some(0.0),
        "{v}"
    );
}

/// compare's median |B − A| of clearance when the pairs where neither run cleared count as 0:
/// with more than half the pairs clearing together it is 0 whatever those hold; otherwise a
/// median of 0 is no bound at all, and it says it cannot be told (both had printed "≥ 0 days
/// (a lower bound …)").
#[test]
fn compare_median_difference_of_zero_with_censored_pairs() {
    let args = [
        "--set",
        "scenario.horizon=147d",
        "--replications",
        "40",
        "-q",
    ];
    // The same scenario twice: 34 of 40 pairs clear together, 6 do not clear.
    let same = stdout(
        &[
            &[
                "compare",
                "scenarios/baseline.toml",
                "scenarios/baseline.toml",
            ][..],
            &args,
        ]
        .concat(),
    );
    assert!(
        same.contains("median |B − A| of clearance = 0 days (identical)\n"),
        "{same}"
    );
    // Most pairs do not clear within the horizon.
    let short = [
        "--set",
        "scenario.horizon=143d",
        "--replications",
        "40",
        "-q",
    ];
    let most = stdout(
        &[
            &[
                "compare",
                "scenarios/baseline.toml",
                "scenarios/fast-ramp.toml",
            ][..],
            &short,
        ]
        .concat(),
    );
    assert!(
        most.contains(
            "median |B − A| of clearance = cannot be told: it is 0 with the 34 of 40 pairs where \
             neither run cleared within the horizon counted as 0"
        ),
        "{most}"
    );
    assert!(!most.contains("≥ 0 days"), "{most}");
}

/// `--set scenario.name=2021` reads 2021 as a number: the hint says to quote it, as the shell
/// needs it written.
#[test]
fn set_of_a_number_where_text_is_expected_suggests_quoting_it() {
    let out = clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "scenario.name=2021",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("scenario.name: expected a string, found the integer 2021"),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: 2021 reads as a number: to give it as text, quote it: --set \
             'scenario.name=\"2021\"'"
        ),
        "{err}"
    );
    // The quoted value is taken as text.
    clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "scenario.name=\"2021\"",
        ])
        .assert()
        .success();
}

const TWO_ROUTES: &str = r#"[scenario]
name = "two routes"
replications = 20
horizon = "100d"
[backlog]
people = 200
[[origin]]
name = "O"
[[route]]
name = "Express"
from = "O"
to = "P"
departures = ["08:00"]
seats = 10
[[route]]
from = "O"
to = "P"
departures = ["12:00"]
seats = 10
[[port]]
name = "P"
quota_per_day = 1000
[[disruption]]
routes = ["O->P"]
from = "0d"
until = "5d"
capacity = 0.0
"#;

/// The seats of each route of `file` loaded with `sets`, or the error's text.
fn route_seats(file: &Path, sets: &[&str]) -> Result<Vec<(String, Option<u32>)>, String> {
    let ovs: Vec<scenario::Override> = sets
        .iter()
        .map(|s| scenario::parse_set(s).unwrap())
        .collect();
    scenario::load_file_with(file, &ovs)
        .map(|l| {
            l.scenario
                .routes
                .iter()
                .map(|r| (r.name.clone(), r.seats))
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// `route[FROM->TO]` names the route whose effective name is FROM->TO (the unnamed one), as
/// `[[disruption]] routes` does, in `--set` and in `extends`; a named route's FROM->TO finds it
/// only when no route goes by that name and it is the only one there; several are refused.
#[test]
fn a_route_is_found_by_its_effective_name_first_in_set_and_extends() {
    let d = tempfile::tempdir().unwrap();
    let base = d.path().join("tworoutes.toml");
    std::fs::write(&base, TWO_ROUTES).unwrap();
    let seats = route_seats(&base, &["route[O->P].seats=3"]).unwrap();
    assert_eq!(
        seats,
        [
            ("Express".to_string(), Some(10)),
            ("O->P".to_string(), Some(3))
        ]
    );
    let seats = route_seats(&base, &["route[Express].seats=4"]).unwrap();
    assert_eq!(seats[0].1, Some(4));
    assert_eq!(seats[1].1, Some(10));

    // A variant's unnamed O->P route merges into the base's unnamed one.
    let var = d.path().join("tr_var.toml");
    std::fs::write(
        &var,
        "extends = \"tworoutes.toml\"\n[scenario]\nname = \"v\"\n[[route]]\nfrom = \"O\"\nto = \
         \"P\"\nseats = 40\n",
    )
    .unwrap();
    let seats = route_seats(&var, &[]).unwrap();
    assert_eq!(
        seats,
        [
            ("Express".to_string(), Some(10)),
            ("O->P".to_string(), Some(40))
        ]
    );

    // Only named routes there: FROM->TO finds the only one; two are refused with both names.
    let one = TWO_ROUTES
        .replacen(
            "[[route]]\nfrom = \"O\"",
            "[[route]]\nname = \"Local\"\nfrom = \"Q\"",
            1,
        )
        .replace(
            "name = \"O\"\n",
            "name = \"O\"\nshare = 1\n[[origin]]\nname = \"Q\"\nshare = 0\n",
        )
        .replace("routes = [\"O->P\"]", "routes = [\"Express\"]");
    let one_file = d.path().join("one.toml");
    std::fs::write(&one_file, &one).unwrap();
    let seats = route_seats(&one_file, &["route[O->P].seats=5"]).unwrap();
    assert_eq!(seats[0], ("Express".to_string(), Some(5)));
    let two = TWO_ROUTES
        .replacen(
            "[[route]]\nfrom = \"O\"",
            "[[route]]\nname = \"Local\"\nfrom = \"O\"",
            1,
        )
        .replace("routes = [\"O->P\"]", "routes = [\"Express\"]");
    let two_file = d.path().join("two.toml");
    std::fs::write(&two_file, &two).unwrap();
    let e = route_seats(&two_file, &["route[O->P].seats=5"]).unwrap_err();
    assert!(
        e.contains(
            "route[O->P].seats: \"O->P\" is ambiguous: no route is named so, and 2 routes with \
             their own names run O->P: \"Express\", \"Local\""
        ),
        "{e}"
    );
    assert!(
        e.contains("name the route by its `name`, e.g. route[Express]"),
        "{e}"
    );
    let var2 = d.path().join("var2.toml");
    std::fs::write(
        &var2,
        "extends = \"two.toml\"\n[scenario]\nname = \"v\"\n[[route]]\nfrom = \"O\"\nto = \
         \"P\"\nseats = 40\n",
    )
    .unwrap();
    let e = route_seats(&var2, &[]).unwrap_err();
    assert!(
        e.contains("var2.toml:4:1: route[1]: \"O->P\" is ambiguous"),
        "{e}"
    );
    assert!(e.contains("\"Express\", \"Local\" in the base"), "{e}");

    // --vary takes the same rule.
    let out = clearance()
        .args(["sweep"])
        .arg(&base)
        .args([
            "--vary",
            "route[O->P].seats=2,3",
            "--replications",
            "2",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["points"].as_array().is_some_and(|p| p.len() == 2), "{v}");
}

/// An empty array in a variant drops all of the base's elements of that kind, and says so.
#[test]
fn an_empty_array_in_a_variant_drops_the_bases_elements_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("tworoutes.toml"), TWO_ROUTES).unwrap();
    let var = d.path().join("nodis.toml");
    std::fs::write(
        &var,
        "extends = \"tworoutes.toml\"\ndisruption = []\n[scenario]\nname = \"v\"\n",
    )
    .unwrap();
    let s = scenario::load_file(&var).unwrap();
    assert!(s.disruptions.is_empty());
    assert!(
        s.warnings.iter().any(|w| w.contains(
            "disruption: this file's empty list drops the base's 1 [[disruption]] element"
        )),
        "{:?}",
        s.warnings
    );
    let out = stdout(&["validate", var.to_str().unwrap()]);
    assert!(
        out.contains("drops the base's 1 [[disruption]] element"),
        "{out}"
    );
    let out = stdout(&[
        "run",
        var.to_str().unwrap(),
        "--replications",
        "2",
        "--quiet",
    ]);
    assert!(
        out.contains("drops the base's 1 [[disruption]] element"),
        "{out}"
    );
}

/// The heatmap's note on the sampling noise ("±0.7 days: the 95% CI of the mean clearance …")
/// averages the half-widths of the points where no run was stopped by the horizon: a point
/// where none cleared has a half-width of 0, and those points had pulled the figure down
/// (±0.3 days beside the one uncensored point's ±0.7). Read back from the sweep's own csv.
#[test]
fn the_heatmaps_noise_is_that_of_the_points_that_cleared() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    stdout(&[
        "sweep",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=150d",
        "--vary",
        "port[El Paso].quota_per_day=50,100,300",
        "--vary",
        "health.isolation=\"5d\",\"15d\"",
        "--replications",
        "40",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (censored, low, high) = (
        col("censored"),
        col("clearance_days_ci95_low"),
        col("clearance_days_ci95_high"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let half =
        |r: &Vec<&str>| (r[high].parse::<f64>().unwrap() - r[low].parse::<f64>().unwrap()) / 2.0;
    let whole: Vec<f64> = rows
        .iter()
        .filter(|r| r[censored] == "0")
        .map(half)
        .collect();
    assert!(!whole.is_empty() && whole.len() < rows.len(), "{csv}");
    let mean = whole.iter().sum::<f64>() / whole.len() as f64;
    let all = rows.iter().map(half).sum::<f64>() / rows.len() as f64;
    assert!(format!("{mean:.1}") != format!("{all:.1}"), "{mean} {all}");
    // The chart's text, its lines joined.
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let says = format!(
        "±{mean:.1} days: the 95% CI of the mean clearance over the {} of {} points where every \
         run cleared",
        whole.len(),
        rows.len()
    );
    assert!(text.contains(&says), "{says}\n{text}");
}

/// A sweep that draws no chart (three factors) into the directory of one that drew one names
/// the earlier `sweep.png`/`.svg` as left over, and says why there is no chart, with `--json`
/// too; so does a merge of such a sweep's shards. A sweep that draws one names nothing.
#[test]
fn a_sweep_without_a_chart_names_the_chart_an_earlier_sweep_left() {
    let d = tempfile::tempdir().unwrap();
    let tiny = "tests/scenarios/tiny.toml";
    let sweep = |out: &Path, vary: &[&str], more: &[&str]| {
        let mut a = vec!["sweep", tiny, "--replications", "2", "-q"];
        for v in vary {
            a.extend(["--vary", v]);
        }
        a.extend(more);
        let o = clearance().args(&a).arg("--out").arg(out).output().unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let one = ["port[P].quota_per_day=50,100"];
    let three = [
        "port[P].quota_per_day=50,100",
        "screening.servers=5,10",
        "route[1].seats=20,40",
    ];
    let stale = |dir: &Path| {
        format!(
            "note: {} still holds outputs of an earlier run that this sweep did not rewrite: \
             sweep.png, sweep.svg.",
            dir.display()
        )
    };
    for json in [false, true] {
        let dir = d.path().join(format!("s{json}"));
        let err = sweep(&dir, &one, &[]);
        assert!(!err.contains("did not rewrite"), "{err}");
        let more: &[&str] = if json { &["--json"] } else { &[] };
        let err = sweep(&dir, &three, more);
        assert!(err.contains(&stale(&dir)), "{err}");
        assert!(
            err.contains("warning: no chart: a chart is drawn for one or two factors only"),
            "{err}"
        );
        // Drawn again, the chart is the sweep's own.
        let err = sweep(&dir, &one, more);
        assert!(!err.contains("did not rewrite"), "{err}");
    }
    // A merge of three factors' shards into a directory with a chart.
    let dir = d.path().join("m");
    sweep(&dir, &one, &[]);
    let shards: Vec<_> = ["1/2", "2/2"]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sd = d.path().join(format!("shard{i}"));
            sweep(&sd, &three, &["--shard", s]);
            sd
        })
        .collect();
    let o = clearance()
        .arg("merge")
        .args(&shards)
        .args(["--json", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "note: {} still holds outputs of an earlier run that this merge did not rewrite: \
             sweep.png, sweep.svg.",
            dir.display()
        )),
        "{err}"
    );
    assert!(err.contains("warning: no chart:"), "{err}");
}

/// Where replications reached the horizon, the sweep says (on stderr, with `--json` too, as
/// `run`, `compare` and `sensitivity` do) that the KPIs other than clearance count only what
/// finished by it, naming the points; its table marks `processed` there †, with a footnote,
/// and `sweep_long.csv` flags those KPIs' rows `cut_by_horizon`. A sweep cut off nowhere says
/// nothing of it.
#[test]
fn a_sweep_warns_that_its_kpis_at_points_cut_by_the_horizon_count_what_finished() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let args = |quotas: &str| {
        vec![
            "sweep".to_string(),
            "tests/scenarios/tiny.toml".into(),
            "--vary".into(),
            format!("port[P].quota_per_day={quotas}"),
            "--replications".into(),
            "3".into(),
            "-q".into(),
        ]
    };
    let o = clearance()
        .args(args("20,100"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let (text, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    let warning = "warning: replications reached the horizon before clearing at 1 of the 2 \
                   points of the sweep: those with port[P].quota_per_day = 20 (3 of their 3 \
                   replications;";
    assert!(err.contains(warning), "{err}");
    assert!(
        err.contains(clearance::experiment::summary::CENSORED_KPIS),
        "{err}"
    );
    let row = |v: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{v} ")))
            .unwrap_or_else(|| panic!("no row {v}:\n{text}"))
            .to_string()
    };
    assert!(row("20").ends_with('†'), "{text}");
    assert!(!row("100").contains('†'), "{text}");
    assert!(
        text.contains("(†: only the people processed by the horizon, at points where it stopped"),
        "{text}"
    );
    // The long CSV's flag: the counts, waits and utilizations of the point cut off.
    let mut r = csv::Reader::from_path(out.join("sweep_long.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (point, kpi, stat, cut) = (
        at("point"),
        at("kpi"),
        at("statistic"),
        at("cut_by_horizon"),
    );
    let mut seen = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let want = match (&rec[kpi], &rec[stat]) {
            (_, "n") | ("clearance_days" | "t50_days" | "t90_days" | "t99_days", _) => "",
            ("unreached", _) => "",
            ("processed" | "port_wait_days" | "utilization:P", "mean") => {
                seen += 1;
                if &rec[point] == "0" {
                    "true"
                } else {
                    "false"
                }
            }
            _ => continue,
        };
        assert_eq!(&rec[cut], want, "{rec:?}");
    }
    assert_eq!(seen, 6);
    // With --json: the warning on stderr all the same.
    let mut a = args("20,100");
    a.push("--json".into());
    let o = clearance().args(&a).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(warning),
        "{o:?}"
    );
    // Cut off nowhere: no warning, no mark.
    let o = clearance().args(args("100,200")).output().unwrap();
    let (text, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(!err.contains("reached the horizon"), "{err}");
    assert!(!text.contains('†'), "{text}");
}

/// A factor of durations gets a numeric column in days beside its values as written, in both
/// CSVs (`PATH_days`, as the other columns in days are named), so that a data frame can sort and
/// plot it; other factors do not.
#[test]
fn a_duration_factor_has_a_column_in_days_in_both_csvs() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    stdout(&[
        "sweep",
        "tests/scenarios/tiny.toml",
        "--vary",
        "port[P].service.mean=20min,1h,90min",
        "--vary",
        "screening.servers=5,10",
        "--replications",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let read = |f: &str| {
        let mut r = csv::Reader::from_path(out.join(f)).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    };
    let (header, rows) = read("sweep.csv");
    assert_eq!(
        header[..4],
        [
            "port[P].service.mean",
            "port[P].service.mean_days",
            "screening.servers",
            "replications"
        ]
    );
    let (long_header, long) = read("sweep_long.csv");
    assert_eq!(
        long_header[..5],
        [
            "point",
            "port[P].service.mean",
            "port[P].service.mean_days",
            "screening.servers",
            "kpi"
        ]
    );
    let minutes = |days: &str| (days.parse::<f64>().unwrap() * 1440.0).round();
    let want = [("20min", 20.0), ("1h", 60.0), ("90min", 90.0)];
    for (i, (text, min)) in want.iter().enumerate() {
        for row in &rows[2 * i..2 * i + 2] {
            assert_eq!(row[0], *text, "{row:?}");
            assert_eq!(minutes(&row[1]), *min, "{row:?}");
        }
    }
    for row in &long {
        let p: usize = row[0].parse().unwrap();
        assert_eq!(row[1..4], rows[p][..3], "{row:?}");
    }
}

/// `sensitivity` and `target` refuse a `--set` of a setting they vary as `sweep` does (exit 2,
/// naming both flags and what to do): under its name or another, or a part of it. Their values
/// replace it, so it had been run by the baseline alone (sensitivity, whose heading named it for
/// the whole analysis) or by nothing (target); a `--set` of another setting is as before.
#[test]
fn sensitivity_and_target_refuse_a_set_of_the_setting_they_vary() {
    let refused = |args: &[&str]| {
        let o = clearance().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        assert!(o.stdout.is_empty(), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let tiny = "tests/scenarios/tiny.toml";
    let sens = |set: &str, vary: &[&str]| {
        let mut a = vec!["sensitivity", tiny, "--set", set, "--replications", "2"];
        for v in vary {
            a.extend(["--vary", v]);
        }
        a.extend(["--threads", "1", "-q"]);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    for set in ["port[P].quota_per_day=30", "port[1].quota_per_day=30"] {
        let args = sens(
            set,
            &["screening.servers=5,10", "port[P].quota_per_day=50,100"],
        );
        let err = refused(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            err.contains(&format!(
                "error: --vary port[P].quota_per_day: port[P].quota_per_day is also given by \
                 --set {set}, which its low and high values replace (only the baseline runs with \
                 it): drop the --set, or make its value the factor's low or high one"
            )),
            "{err}"
        );
        // The other factor, not set, is not named.
        assert!(!err.contains("screening.servers is also"), "{err}");
    }
    // Every factor a --set gives is named, each on its line.
    let args = sens(
        "screening.servers=7",
        &["screening.servers=5,10", "port[P].quota_per_day=50,100"],
    );
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend(["--set", "port[P].quota_per_day=30"]);
    let err = refused(&a);
    assert_eq!(err.matches("is also given by --set").count(), 2, "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    // target: the setting it searches.
    for set in ["port[P].quota_per_day=30", "port[1].quota_per_day=30"] {
        let err = refused(&[
            "target",
            tiny,
            "--set",
            set,
            "--vary",
            "port[P].quota_per_day",
            "--goal",
            "p90(clearance_days) <= 100",
            "--min",
            "10",
            "--max",
            "50",
            "--step",
            "10",
            "--replications",
            "2",
        ]);
        assert!(
            err.contains(&format!(
                "error: --vary port[P].quota_per_day: port[P].quota_per_day is also given by \
                 --set {set}, which every value searched replaces (nothing runs with it): drop \
                 the --set: target searches port[P].quota_per_day itself between --min and \
                 --max"
            )),
            "{err}"
        );
    }
    // Another setting beside the factor is as before.
    let args = sens("screening.servers=7", &["port[P].quota_per_day=50,100"]);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = stdout(&a);
    assert!(out.contains("with --set screening.servers=7"), "{out}");
}

/// A `--set` of a setting that a factor varies, under its name or another, is refused naming
/// both (exit 2): the factor's values replace it at every point, while the table's heading, the
/// chart and provenance.json would name it as set.
#[test]
fn a_set_of_a_varied_setting_is_refused_naming_both() {
    let d = tempfile::tempdir().unwrap();
    let refused = |args: &[&str]| {
        let o = clearance().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let tiny = "tests/scenarios/tiny.toml";
    for set in ["port[P].quota_per_day=30", "port[1].quota_per_day=30"] {
        let err = refused(&[
            "sweep",
            tiny,
            "--set",
            set,
            "--vary",
            "port[P].quota_per_day=50,100",
            "--replications",
            "2",
        ]);
        assert!(
            err.contains(&format!(
                "error: --vary: port[P].quota_per_day is also given by --set {set}, which its \
                 values replace at every point"
            )),
            "{err}"
        );
    }
    // A sweep file's factor, named at its line; `validate` refuses it alike.
    let f = d.path().join("s.toml");
    std::fs::write(
        &f,
        format!(
            "[sweep]\nscenario = \"{}\"\n\"screening.servers\" = [5, 10]\n",
            std::fs::canonicalize(tiny).unwrap().display()
        ),
    )
    .unwrap();
    let file = f.to_str().unwrap();
    for cmd in ["sweep", "validate"] {
        let err = refused(&[cmd, file, "--set", "screening.servers=7"]);
        assert!(
            err.contains(&format!(
                "{file}:3:1: screening.servers is also given by --set screening.servers=7"
            )),
            "{err}"
        );
    }
    // Another setting beside the factor is as before.
    stdout(&[
        "sweep",
        tiny,
        "--set",
        "screening.servers=7",
        "--vary",
        "port[P].quota_per_day=50,100",
        "--replications",
        "2",
        "-q",
    ]);
}
