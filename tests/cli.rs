//! The command line as a user meets it: `run` on the bundled scenarios, `--json`, `--out` with
//! its three files, byte-identical results for any thread count, `validate`, and `chart DIR` /
//! `report DIR` redrawing a saved run.

use assert_cmd::Command;
use std::path::Path;

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

/// What a successful `clearance ARGS` printed on stdout.
fn stdout_of(args: &[&str]) -> String {
    let out = clearance()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn without_performance(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("performance");
    v
}

#[test]
fn run_prints_clearance_statistics_with_dates() {
    let out = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "20",
            "--quiet",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for needle in [
        "clearance [days]",
        "clearance [date, 2021]",
        "median clearance 2021-",
        "t50",
        "t90",
        "San Ysidro",
        "utilization",
        "P5",
        "P95",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

/// The run's first block gives the P90 (what planners plan to: 9 runs in 10 clear by it)
/// between the P50 and the P95, in every row of clearance, milestones and people, the same
/// figure as summary.json's `p90`, right-aligned under its heading.
#[test]
fn the_run_table_gives_the_p90_between_the_p50_and_the_p95() {
    let args = [
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "20",
        "--quiet",
    ];
    let text = stdout_of(&args);
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--json"]].concat())).unwrap();
    let header = text.lines().find(|l| l.contains("95% CI of mean")).unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["mean", "95%", "CI", "of", "mean", "P5", "P50", "P90", "P95"],
        "{text}"
    );
    // Each column's figures end where its heading does.
    let end_of =
        |s: &str, word: &str| s.find(&format!(" {word}")).unwrap() + 1 + word.chars().count();
    let cells_end = |line: &str| -> Vec<usize> {
        // character columns at which each cell (after the label) ends
        let chars: Vec<char> = line.chars().collect();
        (1..=chars.len())
            .filter(|&i| chars[i - 1] != ' ' && chars.get(i).is_none_or(|c| *c == ' '))
            .collect()
    };
    let heads: Vec<usize> = ["P5", "P50", "P90", "P95"]
        .iter()
        .map(|h| header[..end_of(header, h)].chars().count())
        .collect();
    let f1 = |x: &serde_json::Value| format!("{:.1}", x.as_f64().unwrap());
    // (a half rounded away from zero, as the table rounds whole numbers)
    let thousands = |x: &serde_json::Value| {
        let s = format!("{:.0}", x.as_f64().unwrap().round());
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for (label, stat, f) in [
        (
            "clearance [days]",
            &v["clearance_days"],
            &f1 as &dyn Fn(&_) -> String,
        ),
        ("t50: 50% processed", &v["t50_days"], &f1),
        ("processed", &v["people"]["processed"], &thousands),
        ("dropped out", &v["people"]["dropped"], &thousands),
        ("never reached", &v["people"]["unreached"], &thousands),
    ] {
        // (a note some rows add after the figures, "never reached"'s input, left out)
        let line = line_of(&text, label).split("   (").next().unwrap();
        let rest = &line[line.find(label).unwrap() + label.len()..];
        let cells: Vec<&str> = rest.split_whitespace().collect();
        let n = cells.len();
        assert_eq!(
            &cells[n - 4..],
            &[
                f(&stat["p5"]),
                f(&stat["p50"]),
                f(&stat["p90"]),
                f(&stat["p95"])
            ],
            "{line}"
        );
        let ends = cells_end(line);
        assert_eq!(&ends[ends.len() - 4..], &heads[..], "{line}\n{header}");
    }
    // The date row: four dates, the P90's between the median's and the P95's.
    let dates = line_of(&text, "clearance [date, 2021]");
    let cells: Vec<&str> = dates.split_whitespace().skip(3).collect();
    assert_eq!(cells.len(), 8, "{dates}");
    let p90 = v["clearance_days"]["p90"].as_f64().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap()
        + chrono::Duration::days(p90.floor() as i64);
    assert_eq!(
        format!("{} {}", cells[4], cells[5]),
        day.format("%b %d").to_string(),
        "{dates}"
    );
    // (each date is two words, "Jul 15": its day ends the cell)
    let ends: Vec<usize> = cells_end(dates)
        .into_iter()
        .rev()
        .step_by(2)
        .take(4)
        .collect();
    assert_eq!(
        ends.into_iter().rev().collect::<Vec<_>>(),
        heads,
        "{dates}\n{header}"
    );
}

#[test]
fn json_summary_has_the_contract_fields() {
    let out = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "10",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["replications"], 10);
    for key in [
        "scenario",
        "seed",
        "people",
        "clearance_days",
        "censored",
        "t50_days",
        "t90_days",
        "t99_days",
        "t_not_reached",
        "stages",
        "ports",
        "performance",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for stat in [
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "min",
        "p5",
        "p50",
        "p95",
        "max",
    ] {
        assert!(v["clearance_days"].get(stat).is_some(), "STAT lacks {stat}");
    }
    for stage in ["screening", "transport", "port"] {
        assert!(v["stages"][stage].get("wait_days").is_some());
        assert!(v["stages"][stage].get("utilization").is_some());
    }
    assert!(v["people"]["total"].as_u64().unwrap() > 20_000);
    assert!(v["performance"]["events_per_second"].as_f64().unwrap() > 0.0);
}

#[test]
fn out_dir_gets_summary_replications_and_daily() {
    let dir = tempfile::tempdir().unwrap();
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "12",
            "--quiet",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let reps = std::fs::read_to_string(dir.path().join("replications.csv")).unwrap();
    assert_eq!(
        reps.lines().count(),
        13,
        "header plus one row per replication"
    );
    assert!(reps.starts_with("replication,seed,clearance_days,"));
    let daily = std::fs::read_to_string(dir.path().join("daily.csv")).unwrap();
    let mut lines = daily.lines();
    assert_eq!(
        lines.next().unwrap(),
        "day,date,series,mean,p5,p25,p50,p75,p95"
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("0,2021-02-19,remaining,"), "{first}");
    for series in [
        "remaining",
        "processed",
        "waiting_screening",
        "waiting_ready",
        "in_transit",
        "waiting_port",
        "processed_today:San Ysidro",
        "waiting:San Ysidro",
    ] {
        assert!(
            daily.contains(&format!(",{series},")),
            "daily.csv lacks {series}"
        );
    }
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    assert!(summary.contains("\"clearance_days\""));
}

fn summary_with_threads(threads: &str, dir: &Path) -> String {
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "16",
            "--quiet",
        ])
        .args(["--threads", threads, "--out"])
        .arg(dir)
        .assert()
        .success();
    std::fs::read_to_string(dir.join("summary.json")).unwrap()
}

#[test]
fn summary_is_identical_for_any_thread_count_and_across_runs() {
    let d = tempfile::tempdir().unwrap();
    let one = summary_with_threads("1", &d.path().join("t1"));
    let two = summary_with_threads("2", &d.path().join("t2"));
    let again = summary_with_threads("2", &d.path().join("t2b"));
    // Byte-identical apart from the performance block (wall time, thread count).
    let strip = |s: &str| {
        let i = s.find("\"performance\"").unwrap();
        s[..i].to_string()
    };
    assert_eq!(strip(&one), strip(&two));
    assert_eq!(strip(&two), strip(&again));
    assert_eq!(without_performance(&one), without_performance(&two));
    for f in ["replications.csv", "daily.csv"] {
        let a = std::fs::read(d.path().join("t1").join(f)).unwrap();
        let b = std::fs::read(d.path().join("t2").join(f)).unwrap();
        assert_eq!(a, b, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn a_different_seed_gives_different_results() {
    let d = tempfile::tempdir().unwrap();
    let a = summary_with_threads("2", &d.path().join("a"));
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "16",
            "--quiet",
        ])
        .args(["--seed", "7", "--out"])
        .arg(d.path().join("b"))
        .assert()
        .success();
    let b = std::fs::read_to_string(d.path().join("b/summary.json")).unwrap();
    assert_ne!(without_performance(&a), without_performance(&b));
}

#[test]
fn validate_accepts_every_bundled_scenario() {
    let files: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(files.len() >= 5);
    clearance().arg("validate").args(&files).assert().success();
}

/// `validate --deny-warnings` counts a scenario with warnings as invalid (exit code 2, the
/// warnings on stderr), and one without them as valid; without the flag warnings pass.
#[test]
fn validate_can_deny_warnings() {
    let warned = "tests/scenarios/tandem.toml"; // an inflow without `until`: a warning
    clearance()
        .args(["validate", warned])
        .assert()
        .success()
        .stdout(predicates::str::contains("warning:"));
    let out = clearance()
        .args([
            "validate",
            "--deny-warnings",
            warned,
            "scenarios/baseline.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stdout.contains("ok: scenarios/baseline.toml"), "{stdout}");
    assert!(!stdout.contains("tandem"), "{stdout}");
    assert!(
        stderr.contains("tests/scenarios/tandem.toml: 1 warning (--deny-warnings):")
            && stderr.contains("inflow has no `until`")
            && stderr.contains("1 of 2 scenario files are invalid (1 of them for warnings alone"),
        "{stderr}"
    );
    clearance()
        .args(["validate", "--deny-warnings", "scenarios/baseline.toml"])
        .assert()
        .success();
}

/// `run --deny-warnings` refuses a scenario with warnings as `validate --deny-warnings` does
/// (exit code 2, the same lines on stderr), before any replication runs and without writing
/// --out; one without warnings runs; without the flag warnings do not stop a run.
#[test]
fn run_can_deny_warnings() {
    let warned = "tests/scenarios/tandem.toml"; // an inflow without `until`: a warning
    let d = tempfile::tempdir().unwrap();
    let out_dir = d.path().join("out");
    let out = clearance()
        .args([
            "run",
            "--deny-warnings",
            warned,
            "--replications",
            "2",
            "--out",
        ])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tests/scenarios/tandem.toml: 1 warning (--deny-warnings):")
            && stderr.contains("inflow has no `until`")
            && stderr.contains("--deny-warnings is given: nothing was run"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!out_dir.exists(), "--out was written");
    // A warning of a --set value refuses it too, as validate refuses it.
    let out = clearance()
        .args([
            "run",
            "--deny-warnings",
            "scenarios/baseline.toml",
            "--set",
            "port[San Ysidro].quota_per_day=600",
            "--replications",
            "2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("scenarios/baseline.toml: 1 warning (--deny-warnings):")
            && stderr.contains("warning: --set: port[San Ysidro].quota_per_day:"),
        "{stderr}"
    );
    clearance()
        .args([
            "run",
            "--deny-warnings",
            "scenarios/baseline.toml",
            "--replications",
            "2",
            "--quiet",
        ])
        .assert()
        .success();
    clearance()
        .args(["run", warned, "--replications", "2", "--quiet"])
        .assert()
        .success();
}

/// A warning at a key the file writes whose message names a value that a `--set` (or a sweep
/// file's point) gave says where that value came from: the file's line alone had read as if
/// the file said it.
#[test]
fn warning_names_the_set_value_it_is_about() {
    let out = clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "port[San Ysidro].quota_per_day=0",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "warning: scenarios/baseline.toml:119:1: port[San Ysidro].ramp: ramp.from (25) is \
             above quota_per_day (0)"
        ) && stdout.contains(
            "are never processed (quota_per_day is set by --set \
             port[San Ysidro].quota_per_day=0, not by the file)"
        ),
        "{stdout}"
    );
    // without the --set, the file's own ramp gives no such warning
    let plain = stdout_of(&["validate", "scenarios/baseline.toml"]);
    assert!(!plain.contains("not by the file"), "{plain}");
    // a sweep file's value is named by its line there
    let d = tempfile::tempdir().unwrap();
    std::fs::copy("scenarios/baseline.toml", d.path().join("baseline.toml")).unwrap();
    let sweep = d.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "[sweep]\nscenario = \"baseline.toml\"\n\"port[San Ysidro].quota_per_day\" = [0, 300]\n",
    )
    .unwrap();
    let out = clearance()
        .args(["validate", "--json"])
        .arg(&sweep)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    let set_by = format!(
        "(quota_per_day is set by {}:3:1 port[San Ysidro].quota_per_day=0, not by the file)",
        sweep.display()
    );
    assert!(
        messages.iter().any(
            |m| m.starts_with("ramp.from (25) is above quota_per_day (0)") && m.ends_with(&set_by)
        ),
        "{messages:?}"
    );
}

/// A scenario with `n` errors, each with the same hint: `n` routes (to `n` ports) whose travel
/// time names a distribution that does not exist, as a generated file repeats one mistake.
fn scenario_with_errors(n: usize) -> String {
    let mut s = String::from(
        "[scenario]\nname = \"many\"\n\n[backlog]\npeople = 100\n\n[[origin]]\nname = \"O\"\n",
    );
    for i in 1..=n {
        s.push_str(&format!(
            "\n[[port]]\nname = \"P{i}\"\nquota_per_day = 50\n\n[[route]]\nfrom = \"O\"\n\
             to = \"P{i}\"\ntravel = {{ dist = \"fixed\", value = \"1h\" }}\n"
        ));
    }
    s
}

/// A valid scenario with `n` warnings at places in the file: `n` ports (each with its route)
/// open overnight, from 20:00 to 02:00.
fn scenario_with_warnings(n: usize) -> String {
    let mut s = String::from(
        "[scenario]\nname = \"warned\"\nreplications = 2\n\n[backlog]\npeople = 100\n\n\
         [[origin]]\nname = \"O\"\n",
    );
    for i in 1..=n {
        s.push_str(&format!(
            "\n[[port]]\nname = \"P{i}\"\nquota_per_day = 50\nhours = [\"20:00\", \"02:00\"]\n\n\
             [[route]]\nfrom = \"O\"\nto = \"P{i}\"\n"
        ));
    }
    s
}

/// A run's table and its warnings on stderr, and explain's, fold the scenario's warnings after
/// the first 20 as validate does, keeping the run's own.
#[test]
fn run_and_explain_fold_many_warnings_of_the_scenario() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("warned.toml");
    std::fs::write(&path, scenario_with_warnings(30)).unwrap();
    let path = path.to_str().unwrap();
    let fold = format!(
        "warning: … and 11 more warnings of the scenario (31 in all); `clearance validate {path} \
         --all` lists every one\n"
    );
    // (31: one more, that routes after the first are never used)
    let overnight = |text: &str| text.matches("].hours: open from 20:00").count();
    let out = clearance().args(["run", path, "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(overnight(&stdout), 20, "{stdout}");
    assert!(stdout.contains(&format!("  {fold}")), "{stdout}");
    assert_eq!(overnight(&stderr), 20, "{stderr}");
    assert!(stderr.contains(&fold), "{stderr}");
    let explained = stdout_of(&["explain", path]);
    assert_eq!(overnight(&explained), 20, "{explained}");
    assert!(explained.contains(&fold), "{explained}");
}

/// The exit code and stderr of `clearance ARGS`.
fn code_and_stderr(args: &[&str]) -> (Option<i32>, String) {
    let out = clearance().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// More than 20 errors in one file are folded, in every command that loads a scenario: the
/// first 20 in file order, each with its hint, then one line with how many more there are and
/// the command that lists them all; the exit code stays 2. At 20 nothing is folded.
#[test]
fn a_flood_of_errors_is_folded_after_the_first_twenty() {
    let d = tempfile::tempdir().unwrap();
    let many = d.path().join("many.toml");
    std::fs::write(&many, scenario_with_errors(1000)).unwrap();
    let many = many.to_str().unwrap();
    for args in [
        vec!["validate", many],
        vec!["run", many],
        vec!["explain", many],
        vec!["sweep", many, "--vary", "port[P1].quota_per_day=10,20"],
        vec![
            "sensitivity",
            many,
            "--vary",
            "port[P1].quota_per_day=10,20",
        ],
        vec![
            "target",
            many,
            "--vary",
            "port[P1].quota_per_day",
            "--goal",
            "p90(clearance_days) <= 120",
        ],
        vec!["compare", many, "scenarios/baseline.toml"],
    ] {
        let (code, err) = code_and_stderr(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 20, "{args:?}: {err}");
        assert!(
            errors[0].ends_with("route[1].travel.dist: unknown distribution \"fixed\"")
                && errors[19].ends_with("route[20].travel.dist: unknown distribution \"fixed\""),
            "{args:?}: {err}"
        );
        assert_eq!(
            err.matches("  hint: known: ").count(),
            20,
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!(
                "\n… and 980 more errors (1,000 in all); `clearance validate {many} --all` lists \
                 every one\n"
            )),
            "{args:?}: {err}"
        );
        assert!(err.lines().count() < 45, "{args:?}: {err}");
    }
    // 20 errors are all shown, without the line; 21 fold one.
    let twenty = d.path().join("twenty.toml");
    std::fs::write(&twenty, scenario_with_errors(20)).unwrap();
    let (code, err) = code_and_stderr(&["validate", twenty.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error: ")).count(), 20);
    assert!(!err.contains("more error"), "{err}");
    let more = d.path().join("twenty one.toml");
    std::fs::write(&more, scenario_with_errors(21)).unwrap();
    let (_, err) = code_and_stderr(&["validate", more.to_str().unwrap()]);
    assert!(
        err.contains(&format!(
            "… and 1 more error (21 in all); `clearance validate '{}' --all` lists every one",
            more.display()
        )),
        "{err}"
    );
}

/// `validate --all` lists every error of a file with many, and every warning of one with
/// many, which without it are folded after the first 20.
#[test]
fn validate_all_lists_every_error_and_warning() {
    let d = tempfile::tempdir().unwrap();
    let many = d.path().join("many.toml");
    std::fs::write(&many, scenario_with_errors(30)).unwrap();
    let many = many.to_str().unwrap();
    let (code, err) = code_and_stderr(&["validate", "--all", many]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).count(),
        30,
        "{err}"
    );
    assert!(err.contains("route[30].travel.dist"), "{err}");
    assert!(!err.contains("more errors"), "{err}");
    // 30 ports open overnight: a warning each, folded after 20 (on stdout, the file valid).
    let path = d.path().join("warned.toml");
    std::fs::write(&path, scenario_with_warnings(30)).unwrap();
    let path = path.to_str().unwrap();
    let overnight = |text: &str| text.matches("  warning: ").count();
    let folded = stdout_of(&["validate", path]);
    assert!(
        folded.starts_with(&format!("ok: {path} (warned), with ")),
        "{folded}"
    );
    assert_eq!(overnight(&folded), 20, "{folded}");
    assert!(
        folded.contains("  … and ")
            && folded.contains(&format!("`clearance validate {path} --all`")),
        "{folded}"
    );
    let all = stdout_of(&["validate", path, "--all"]);
    assert!(overnight(&all) >= 30, "{all}");
    assert!(all.contains("port[P30].hours"), "{all}");
    assert!(!all.contains("more warnings"), "{all}");
}

/// `validate --json`: one JSON document on stdout, each file's validity and every diagnostic
/// (none folded) with its severity, file, line, column, key, message and hint; exit codes as
/// without it.
#[test]
fn validate_json_gives_every_diagnostic_with_its_parts() {
    let d = tempfile::tempdir().unwrap();
    let many = d.path().join("many.toml");
    std::fs::write(&many, scenario_with_errors(30)).unwrap();
    let many = many.to_str().unwrap();
    let warned = "tests/scenarios/tandem.toml"; // an inflow without `until`: a warning
    let valid = "scenarios/baseline.toml";
    let out = clearance()
        .args(["validate", "--json", valid, many, warned])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    // the valid file
    assert_eq!(files[0]["file"], valid);
    assert_eq!(files[0]["kind"], "scenario");
    assert_eq!(files[0]["valid"], true);
    assert_eq!(files[0]["errors"], 0);
    assert_eq!(files[0]["diagnostics"].as_array().unwrap().len(), 0);
    // the file with errors: all 30, each with its parts
    assert_eq!(files[1]["valid"], false);
    assert_eq!(files[1]["errors"], 30);
    let diags = files[1]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 30);
    let first = &diags[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], many);
    assert_eq!(first["line"], 17);
    assert_eq!(first["column"], 12);
    assert_eq!(first["key"], "route[1].travel.dist");
    assert_eq!(first["message"], "unknown distribution \"fixed\"");
    assert!(first["hint"]
        .as_str()
        .unwrap()
        .starts_with("known: \"exponential\""));
    assert_eq!(diags[29]["key"], "route[30].travel.dist");
    // the file with a warning: valid, the warning with its key and no hint
    assert_eq!(files[2]["valid"], true);
    assert_eq!(files[2]["warnings"], 1);
    let w = &files[2]["diagnostics"][0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["file"], warned);
    assert!(w["line"].is_u64() && w["column"].is_u64(), "{w}");
    assert!(w["key"].as_str().unwrap().starts_with("inflow"), "{w}");
    assert!(w["message"].as_str().unwrap().contains("no `until`"), "{w}");
    assert!(w["hint"].is_null(), "{w}");
    // valid files alone exit 0; a warning fails under --deny-warnings, as without --json
    let ok: serde_json::Value =
        serde_json::from_str(&stdout_of(&["validate", "--json", valid, warned])).unwrap();
    assert_eq!(ok["valid"], true);
    let out = clearance()
        .args(["validate", "--json", "--deny-warnings", warned])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let denied: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(denied["valid"], false);
    assert_eq!(denied["files"][0]["valid"], false);
    assert_eq!(denied["files"][0]["diagnostics"][0]["severity"], "warning");
    // a sweep file whose values are wrong at its points
    let sweep = d.path().join("sweep.toml");
    let base = std::fs::canonicalize(valid).unwrap();
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nscenario = {:?}\n\"backlog.people\" = [-1, 100]\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let out = clearance()
        .args(["validate", "--json"])
        .arg(&sweep)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["kind"], "sweep");
    assert_eq!(v["files"][0]["valid"], false);
    let d0 = &v["files"][0]["diagnostics"][0];
    assert_eq!(d0["severity"], "error");
    assert_eq!(d0["message"], "-1 people is negative", "{d0}");
    assert_eq!(d0["key"], "backlog.people", "{d0}");
    // (the value is the sweep file's, at its line)
    assert_eq!(d0["file"], sweep.to_str().unwrap(), "{d0}");
    assert_eq!(
        (d0["line"].as_u64(), d0["column"].as_u64()),
        (Some(3), Some(1))
    );
}

/// The diagnostics of `validate --json` on `files`, run in `dir`: the parsed document and the
/// exit code.
fn validate_json_in(dir: &Path, files: &[&str]) -> (serde_json::Value, Option<i32>) {
    let out = clearance()
        .current_dir(dir)
        .args(["validate", "--json"])
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code(),
    )
}

/// A diagnostic's place: (file, line, column, key).
fn place_of(d: &serde_json::Value) -> (String, Option<u64>, Option<u64>, Option<String>) {
    (
        d["file"].as_str().unwrap_or("").to_string(),
        d["line"].as_u64(),
        d["column"].as_u64(),
        d["key"].as_str().map(str::to_string),
    )
}

/// A sweep file's own problems (a misspelt setting, a bad value of one, a key outside
/// [sweep], a factor that is no list) are each a diagnostic of `validate --json`, at its line
/// and column with its key path: they had come out as one diagnostic without line or key, its
/// message holding every problem joined by "\nerror: ". The problems of its factors (a value
/// given twice) get their factor's path, as the errors of their values do, and all come in the
/// order the text gives them.
#[test]
fn validate_json_gives_a_sweep_files_own_problems_their_keys() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy("tests/scenarios/tiny.toml", d.path().join("tiny.toml")).unwrap();
    std::fs::write(
        d.path().join("bad.toml"),
        "extends = \"tiny.toml\"\n[sweep]\nscenario = \"tiny.toml\"\nreplicatons = 5\nseed = -1\n\
         \"screening.servers\" = 3\n\"port[P].servers\" = [1, 2]\n",
    )
    .unwrap();
    let (v, code) = validate_json_in(d.path(), &["bad.toml"]);
    assert_eq!(code, Some(2));
    let f = &v["files"][0];
    assert_eq!(
        (f["kind"].as_str(), f["errors"].as_u64()),
        (Some("sweep"), Some(4)),
        "{f}"
    );
    let diags = f["diagnostics"].as_array().unwrap();
    let places: Vec<_> = diags.iter().map(place_of).collect();
    let at = |line, key: &str| {
        (
            "bad.toml".to_string(),
            Some(line),
            Some(1),
            Some(key.to_string()),
        )
    };
    assert_eq!(
        places,
        [
            at(1, "extends"),
            at(4, "sweep.replicatons"),
            at(5, "sweep.seed"),
            at(6, "screening.servers"),
        ],
        "{f}"
    );
    for d in diags {
        let m = d["message"].as_str().unwrap();
        assert!(!m.contains('\n') && !m.starts_with("bad.toml"), "{d}");
    }
    assert!(diags[1]["message"].as_str().unwrap().starts_with(
        "sweep.replicatons is not a setting of [sweep] (did you mean `replications`?)"
    ));
    assert!(diags[2]["message"]
        .as_str()
        .unwrap()
        .starts_with("sweep.seed must be a whole number"));
    // A value listed twice and a port that does not exist: the factor's own problem with its
    // path, the value's with the scenario's key, in the order of the file's lines as the text
    let ok = "[sweep]\nscenario = \"tiny.toml\"\n\"port[Nowhere].servers\" = [1, 2]\n\
              \"screening.servers\" = [4, 4]\n\"port[P].servers\" = [-1, 2]\n";
    std::fs::write(d.path().join("points.toml"), ok).unwrap();
    let (v, _) = validate_json_in(d.path(), &["points.toml"]);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let places: Vec<_> = diags.iter().map(place_of).collect();
    let at = |line, key: &str| {
        (
            "points.toml".to_string(),
            Some(line),
            Some(1),
            Some(key.to_string()),
        )
    };
    assert_eq!(
        places,
        [
            at(3, "port[Nowhere].servers"),
            at(4, "screening.servers"),
            at(5, "port[P].servers"),
        ],
        "{v}"
    );
    assert_eq!(
        diags[1]["message"],
        "screening.servers lists 4 twice: give each value once"
    );
    // the text gives them in that order too
    let out = clearance()
        .current_dir(d.path())
        .args(["validate", "points.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert!(
        lines.len() == 3
            && lines[0].starts_with("error: points.toml:3:1: ")
            && lines[1].starts_with("error: points.toml:4:1: ")
            && lines[2].starts_with("error: points.toml:5:1: "),
        "{text}"
    );
}

/// The warnings `validate` adds after loading (a stage without capacity, an origin whose every
/// route leads to one, an inflow that outpaces capacity) are placed in `--json` at the key or
/// table they are about, in the file that writes it (a base of an `extends` chain, or a sweep
/// file whose value gives it), as the loader's own warnings are: they had no line, column or
/// key. The one about the whole scenario ("nobody can ever be processed") has none.
#[test]
fn validate_json_places_the_warnings_found_after_loading() {
    let d = tempfile::tempdir().unwrap();
    let tiny = std::fs::read_to_string("tests/scenarios/tiny.toml").unwrap();
    std::fs::write(d.path().join("tiny.toml"), &tiny).unwrap();
    let line_of =
        |text: &str, what: &str| text.lines().position(|l| l.starts_with(what)).unwrap() as u64 + 1;
    let servers_line = line_of(&tiny, "servers = 4");
    // a variant whose base writes the key, set to 0 in the variant
    std::fs::write(
        d.path().join("closed.toml"),
        "extends = \"tiny.toml\"\n\n[[port]]\nname = \"P\"\nservers = 0\n",
    )
    .unwrap();
    let (v, code) = validate_json_in(d.path(), &["closed.toml"]);
    assert_eq!(code, Some(0), "{v}");
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let find = |start: &str| {
        diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("no {start}: {v}"))
    };
    // servers = 0: validation's warning, at its key, and no second one for the same cause
    assert_eq!(
        place_of(find(
            "port P has servers = 0: no capacity at all; nobody passes it"
        )),
        (
            "closed.toml".into(),
            Some(5),
            Some(1),
            Some("port[P].servers".into())
        )
    );
    assert!(
        !diags.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .starts_with("no capacity: port")),
        "{v}"
    );
    assert_eq!(
        place_of(find("no capacity: origin \"A\"")),
        (
            "tiny.toml".into(),
            Some(line_of(&tiny, "[[origin]]")),
            Some(1),
            Some("origin[A]".into())
        )
    );
    assert_eq!(
        place_of(find("no capacity: nobody can ever be processed")),
        ("closed.toml".into(), None, None, None)
    );
    // the inflow's overload, at its rate
    let over = format!("{tiny}\n[inflow]\nrate_per_day = 500\nuntil = \"30d\"\n");
    std::fs::write(d.path().join("over.toml"), &over).unwrap();
    let (v, _) = validate_json_in(d.path(), &["over.toml"]);
    let w = &v["files"][0]["diagnostics"][0];
    assert!(w["message"]
        .as_str()
        .unwrap()
        .starts_with("the inflow outpaces capacity"));
    assert_eq!(
        place_of(w),
        (
            "over.toml".into(),
            Some(line_of(&over, "rate_per_day")),
            Some(1),
            Some("inflow.rate_per_day".into())
        )
    );
    // a sweep: where the sweep file's value gives the key, at that line of the sweep file
    std::fs::write(
        d.path().join("sweep.toml"),
        "[sweep]\nscenario = \"over.toml\"\n\"port[P].servers\" = [0, 4]\n",
    )
    .unwrap();
    let (v, _) = validate_json_in(d.path(), &["sweep.toml"]);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let find = |start: &str| {
        diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("no {start}: {v}"))
    };
    assert_eq!(
        place_of(find("port P has servers = 0")),
        (
            "sweep.toml".into(),
            Some(3),
            Some(1),
            Some("port[P].servers".into())
        )
    );
    assert_eq!(
        place_of(find("the inflow outpaces capacity at all 2 points")),
        (
            "over.toml".into(),
            Some(line_of(&over, "rate_per_day")),
            Some(1),
            Some("inflow.rate_per_day".into())
        )
    );
    // (the base's servers line is not where the variant's 0 is)
    assert_ne!(servers_line, 5);
}

/// `validate`'s notes (that no run can clear and why, that the inflow counts groups, a sweep
/// file's points and scenario, each point where no run can clear) are in `--json` as `notes`,
/// with severity "note", beside the diagnostics, which they leave as they were (not counted,
/// never invalid): they had been missing from it.
#[test]
fn validate_json_gives_validates_notes() {
    let d = tempfile::tempdir().unwrap();
    let tiny = std::fs::read_to_string("tests/scenarios/tiny.toml").unwrap();
    let groups = tiny.replace("group_size = 1", "group_size = 2")
        + "\n[inflow]\nrate_per_day = 5\nuntil = \"30d\"\n";
    std::fs::write(d.path().join("groups.toml"), &groups).unwrap();
    std::fs::write(
        d.path().join("closed.toml"),
        tiny.replace("servers = 4", "servers = 0"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("sweep.toml"),
        "[sweep]\nscenario = \"closed.toml\"\n\"screening.servers\" = [5, 10]\n",
    )
    .unwrap();
    std::fs::write(d.path().join("tiny.toml"), &tiny).unwrap();
    let (v, code) = validate_json_in(
        d.path(),
        &["groups.toml", "closed.toml", "sweep.toml", "tiny.toml"],
    );
    assert_eq!(code, Some(0), "{v}");
    let files = v["files"].as_array().unwrap();
    // the inflow's note, at its rate; no warning
    let n = &files[0]["notes"][0];
    assert_eq!(n["severity"], "note");
    assert_eq!(
        n["message"],
        "inflow.rate_per_day counts groups: 5 groups a day ≈ 10 people a day at the mean group \
         size 2.00"
    );
    assert_eq!(
        place_of(n),
        (
            "groups.toml".into(),
            Some(
                groups
                    .lines()
                    .position(|l| l.starts_with("rate_per_day"))
                    .unwrap() as u64
                    + 1
            ),
            Some(1),
            Some("inflow.rate_per_day".into())
        )
    );
    assert_eq!(
        (files[0]["warnings"].as_u64(), files[0]["valid"].as_bool()),
        (Some(0), Some(true))
    );
    assert!(files[0]["diagnostics"].as_array().unwrap().is_empty());
    // no run can clear, and why, as the text's first line says it; the warnings as before
    let notes = files[1]["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(
        notes[0]["message"],
        "no run can clear: nobody can ever be processed"
    );
    assert_eq!(
        place_of(&notes[0]),
        ("closed.toml".into(), None, None, None)
    );
    assert_eq!(
        files[1]["warnings"].as_u64(),
        Some(files[1]["diagnostics"].as_array().unwrap().len() as u64)
    );
    // a sweep file: its points and scenario, and every point where no run can clear
    let notes: Vec<&str> = files[2]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        [
            "sweep file: 2 points of tiny, from closed.toml",
            "at screening.servers=5, no run can clear: nobody can ever be processed",
            "at screening.servers=10, no run can clear: nobody can ever be processed",
        ]
    );
    // a file without any: an empty list
    assert_eq!(files[3]["notes"], serde_json::json!([]));
}

/// A sweep factor's non-finite value (TOML's `inf`, `-inf`, `nan`) is refused at every key that
/// takes a number, naming the sweep file's line and the key, with the fix: serde_json would
/// write it to the sweep's JSON outputs as null, which does not read back, so no sweep runs
/// with one (nothing is written).
#[test]
fn a_sweeps_non_finite_value_is_refused_at_its_line() {
    let d = tempfile::tempdir().unwrap();
    let tiny = std::fs::read_to_string("tests/scenarios/tiny.toml").unwrap();
    let rich = tiny.replace("group_size = 1", "group_size = { dist = \"empirical\", values = [1, 2], weights = [0.5, 0.5] }")
        + "ramp = { from = 25, over = \"14d\" }\n\n[inflow]\nrate_per_day = 1.0\nuntil = \"30d\"\n\n\
           [[disruption]]\nports = [\"P\"]\nfrom = \"30d\"\nuntil = \"37d\"\ncapacity = 0.5\n";
    std::fs::write(d.path().join("rich.toml"), rich).unwrap();
    let keys = [
        "origin[A].share",
        "registration.never",
        "health.positive",
        "health.share",
        "attrition.hazard_per_day",
        "port[P].ramp.from",
        "inflow.rate_per_day",
        "disruption[1].capacity",
        "scenario.horizon",
        "port[P].opens",
        "port[P].quota_per_day",
        "route[1].seats",
        "backlog.people",
    ];
    for key in keys {
        for value in ["inf", "-inf", "nan"] {
            std::fs::write(
                d.path().join("sweep.toml"),
                format!("[sweep]\nscenario = \"rich.toml\"\n\"{key}\" = [{value}]\n"),
            )
            .unwrap();
            let (v, code) = validate_json_in(d.path(), &["sweep.toml"]);
            assert_eq!(code, Some(2), "{key} = {value}: {v}");
            let e = &v["files"][0]["diagnostics"][0];
            assert_eq!(
                place_of(e),
                ("sweep.toml".into(), Some(3), Some(1), Some(key.to_string())),
                "{key} = {value}: {v}"
            );
            let m = e["message"].as_str().unwrap();
            // the fix, in the message or its hint
            let fix = format!("{m} {}", e["hint"].as_str().unwrap_or(""));
            assert!(
                fix.contains("write a finite one")
                    || fix.contains("write a number with its unit")
                    || fix.contains("expected a whole number"),
                "{key} = {value}: {e}"
            );
        }
    }
    // nor does `sweep` run one, or write anything
    let out = clearance()
        .current_dir(d.path())
        .args(["sweep", "sweep.toml", "--out", "out", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sweep.toml:3:1: backlog.people:"),
        "{stderr}"
    );
    assert!(!d.path().join("out/sweep.csv").exists());
}

/// The warning that the inflow outpaces capacity needs no simulation: `validate` gives it as
/// `explain` does, and `--deny-warnings` fails on it (it had passed a scenario that explain and
/// run warned about).
#[test]
fn validate_warns_of_an_inflow_that_outpaces_capacity() {
    let set = [
        "--set",
        "inflow.rate_per_day=5000",
        "--set",
        "inflow.until=30d",
    ];
    let out = clearance()
        .args(["validate", "--deny-warnings", "scenarios/baseline.toml"])
        .args(set)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("scenarios/baseline.toml: 1 warning (--deny-warnings):\n  warning: the inflow outpaces capacity: about 7,500 people a day arrive"),
        "{stderr}"
    );
    // Without the flag: valid, with the warning that explain gives, word for word.
    let stdout = stdout_of(&[&["validate", "scenarios/baseline.toml"][..], &set].concat());
    let explained = clearance()
        .args(["explain", "scenarios/baseline.toml"])
        .args(set)
        .output()
        .unwrap();
    let explained = String::from_utf8_lossy(&explained.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("the inflow outpaces capacity"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        stdout.starts_with("ok: scenarios/baseline.toml (")
            && stdout.contains("), with 1 warning\n"),
        "{stdout}"
    );
    // The overload warning gives the people a day already: no note repeats it, as in a run.
    assert!(
        !stdout.contains("note: inflow.rate_per_day counts groups"),
        "{stdout}"
    );
    assert!(explained.contains(line.trim()), "{line}\n{explained}");
    // A sweep file's points alike.
    let d = tempfile::tempdir().unwrap();
    let sweep = d.path().join("sweep.toml");
    let base = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nscenario = {:?}\n\"inflow.rate_per_day\" = [4000, 5000]\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let out = clearance()
        .args(["validate", "--deny-warnings"])
        .arg(&sweep)
        .args(["--set", "inflow.until=30d"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("warning: the inflow outpaces capacity"),
        "{stderr}"
    );
}

/// Under `--json` the warnings the table gives go to stderr as `warning: …` too (stdout is the
/// JSON alone), where scripts look for them: they had been only in the JSON's `warnings`.
#[test]
fn json_output_also_gives_its_warnings_on_stderr() {
    let short = [
        "--set",
        "scenario.horizon=100d",
        "--replications",
        "4",
        "-q",
    ];
    let check = |args: &[&str], warning: &str| {
        let out = clearance().args(args).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{args:?}: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON alone: {e}: {stdout}"));
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("warning: {warning}"))),
            "{args:?}: {stderr}"
        );
        v
    };
    let horizon = "4 of 4 replications reached the horizon (100 days) before clearing";
    let v = check(
        &[&["run", "scenarios/baseline.toml", "--json"][..], &short].concat(),
        horizon,
    );
    // Each of the JSON's warnings, on stderr.
    assert!(!v["warnings"].as_array().unwrap().is_empty(), "{v}");
    let inflow = [
        "--set",
        "inflow.rate_per_day=5000",
        "--set",
        "inflow.until=30d",
    ];
    let v = check(
        &[
            &["explain", "scenarios/baseline.toml", "--json"][..],
            &inflow,
        ]
        .concat(),
        "the inflow outpaces capacity",
    );
    assert!(v["inflow_overload"]["warning"].is_string(), "{v}");
    check(
        &[
            &[
                "compare",
                "scenarios/baseline.toml",
                "scenarios/baseline.toml",
                "--json",
            ][..],
            &short,
        ]
        .concat(),
        "4 of A's and 4 of B's replications (of 4 each) reached the horizon",
    );
    check(
        &[
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "port[El Paso].quota_per_day=300,500",
                "--json",
            ][..],
            &short,
        ]
        .concat(),
        "12 replications reached the horizon before clearing",
    );
    // A merge of shards, as the run.
    let d = tempfile::tempdir().unwrap();
    let shards: Vec<String> = (1..=2)
        .map(|i| {
            let dir = d.path().join(format!("s{i}")).display().to_string();
            let sh = format!("{i}/2");
            clearance()
                .args([
                    "run",
                    "scenarios/baseline.toml",
                    "--shard",
                    &sh,
                    "--out",
                    &dir,
                ])
                .args(short)
                .assert()
                .success();
            dir
        })
        .collect();
    let merged = d.path().join("m").display().to_string();
    check(
        &["merge", &shards[0], &shards[1], "--out", &merged, "--json"],
        horizon,
    );
}

/// A saved run with more replications than ten times its horizon in days is redrawn: the
/// check that a summary's times are within reach of the horizon read the replication count
/// `n` as a time, and refused every baseline run of more than 7,310 replications.
#[test]
fn a_saved_run_of_many_replications_and_a_short_horizon_is_redrawn() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("run");
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "100",
        ])
        .args([
            "--set",
            "scenario.horizon=\"5d\"",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"n\": 100"), "{summary}");
    clearance().arg("report").arg(&out).assert().success();
    clearance().arg("chart").arg(&out).assert().success();
}

/// The README's example of validation errors is what `validate` prints for its file.
#[test]
fn the_readme_validate_example_is_what_validate_prints() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let cmd = "$ clearance validate tests/scenarios/typo.toml\n";
    let start = readme.find(cmd).expect("the README shows the example") + cmd.len();
    let quoted = &readme[start..start + readme[start..].find("```").unwrap()];
    let a = clearance()
        .args(["validate", "tests/scenarios/typo.toml"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(err, quoted);
}

/// A command line split as a POSIX shell splits one of the README's: at blanks, except inside
/// single quotes, which are removed.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => (quoted, any) = (!quoted, true),
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "an unclosed quote in {line:?}");
    if any {
        words.push(word);
    }
    words
}

/// The README's "Getting started" works as written, in a folder holding only the bundled
/// baseline: its variant file validates, every command of its `sh` block succeeds (with 20
/// replications where a command runs any), and the figures its text gives are those the
/// commands print at the scenario's 200 replications: the median date unmoved by El Paso's
/// quota, t50 5.8 days sooner and the transport wait 2.4 days shorter, and the median on
/// 2021-06-13 with the shorter registration delay.
#[test]
fn the_readme_s_getting_started_runs_as_written() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("## Getting started")
        .expect("README has Getting started");
    let end = start + readme[start..].find("\n## ").unwrap();
    let section = &readme[start..end];
    let block = |fence: &str| {
        let i = section.find(fence).unwrap_or_else(|| panic!("no {fence}")) + fence.len();
        section[i..i + section[i..].find("```").unwrap()].to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    std::fs::copy(
        "scenarios/baseline.toml",
        dir.path().join("scenarios/baseline.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scenarios/el-paso-600.toml"),
        block("```toml\n"),
    )
    .unwrap();
    let commands: Vec<Vec<String>> = block("```sh\n").lines().map(shell_words).collect();
    assert!(commands.len() >= 7, "{commands:?}");
    for words in &commands {
        assert_eq!(words[0], "clearance", "{words:?}");
        let mut args: Vec<String> = words[1..].to_vec();
        if ["run", "compare", "sensitivity", "target"].contains(&args[0].as_str()) {
            args.extend(["--replications", "20", "--quiet"].map(String::from));
        }
        let a = clearance().current_dir(dir.path()).args(&args).assert();
        let out = a.get_output();
        assert!(
            out.status.success(),
            "{words:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if args[0] == "validate" {
            assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
        }
    }
    assert!(dir.path().join("results/baseline/report.html").is_file());

    // The figures the text gives.
    let json = clearance()
        .current_dir(dir.path())
        .args(["compare", "scenarios/baseline.toml"])
        .args(["scenarios/el-paso-600.toml", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let diff = |kpi: &str| {
        let k = v["kpis"].as_array().unwrap().iter();
        let k = k.clone().find(|k| k["kpi"] == kpi).unwrap();
        k["diff"]["mean"].as_f64().unwrap()
    };
    assert!(
        diff("clearance_days").abs() < 0.05,
        "{}",
        diff("clearance_days")
    );
    let t50 = format!("{:.1} days sooner (t50)", -diff("t50_days"));
    let transport = format!("falls by {:.1} days", -diff("transport_wait_days"));
    let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&t50), "README lacks {t50:?}");
    assert!(flat.contains(&transport), "README lacks {transport:?}");
    let delay = &commands
        .iter()
        .find(|w| w.iter().any(|a| a.contains("delay")))
        .unwrap()[1..];
    let text = clearance()
        .current_dir(dir.path())
        .args(delay)
        .arg("--quiet")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    let median = text
        .lines()
        .find(|l| l.contains("→ median clearance"))
        .unwrap();
    let date = &median.trim_start()["→ median clearance ".len()..][..10];
    assert!(
        flat.contains(&format!("moves the median to {date}")),
        "the run gives {date}:\n{median}"
    );
    let text = stdout_of(&["run", "scenarios/baseline.toml", "--quiet"]);
    let line = |start: &str| {
        let l = text.lines().find(|l| l.trim_start().starts_with(start));
        l.unwrap().trim_start()[start.len()..].to_string()
    };
    let median = &line("→ median clearance ")[..10];
    let middle = line("the middle 90% of runs clear between ");
    let (first, last) = middle.split_once(" and ").unwrap();
    let said = format!("clear: {median}, 90% of runs between {first} and {last}");
    assert!(flat.contains(&said), "README lacks {said:?}");
}

/// The README's "Getting started" shows a planner how to close a port for two weeks: its
/// second variant, `el-paso-closed.toml`, validates as written, its `from` and `until` are the
/// days since the baseline's start date of the dates its comments name, and `compare` opens
/// with the line the text quotes (the closure does not move the median date).
#[test]
fn the_readme_s_getting_started_closes_a_port_by_days_since_the_start() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("## Getting started").unwrap();
    let end = start + readme[start..].find("\n## ").unwrap();
    let section = &readme[start..end];
    let fence = "```toml\n";
    let second = section
        .match_indices(fence)
        .nth(1)
        .expect("a second toml block")
        .0;
    let i = second + fence.len();
    let body: String = section[i..i + section[i..].find("```").unwrap()]
        .lines()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(body.contains("[[disruption]]"), "{body}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    std::fs::copy(
        "scenarios/baseline.toml",
        dir.path().join("scenarios/baseline.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("scenarios/el-paso-closed.toml"), &body).unwrap();
    clearance()
        .current_dir(dir.path())
        .args(["validate", "scenarios/el-paso-closed.toml"])
        .assert()
        .success();
    // Each of `from` and `until` is the day of the date its comment names.
    let start_date = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
    for key in ["from", "until"] {
        let line = body
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap();
        let days: i64 = line
            .split('"')
            .nth(1)
            .unwrap()
            .trim_end_matches('d')
            .parse()
            .unwrap();
        let date = line.split("# ").nth(1).unwrap()[..10].to_string();
        assert_eq!(
            start_date + chrono::Duration::days(days),
            date.parse::<chrono::NaiveDate>().unwrap(),
            "{line}"
        );
    }
    let text = String::from_utf8(
        clearance()
            .current_dir(dir.path())
            .args([
                "compare",
                "scenarios/baseline.toml",
                "scenarios/el-paso-closed.toml",
            ])
            .args(["--quiet"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("→ median clearance: "))
        .unwrap_or_else(|| panic!("{text}"));
    let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&format!("`{line}`")), "README lacks {line:?}");
}

/// The README's sample of what a run prints ("What a run prints") is what `clearance run
/// scenarios/baseline.toml` prints: each stretch of its lines between the `  ...` lines that
/// shorten it is a stretch of the output's lines, in order, the first from the output's first
/// line (of the timing line, only the count of events, not the seconds). The sample had kept a
/// stage's row (`transport`) and notes the table no longer printed.
#[test]
fn the_readme_s_sample_run_is_what_the_baseline_run_prints() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let cmd = "$ cargo run --release -- run scenarios/baseline.toml\n";
    let start = readme.find(cmd).expect("the README shows a run") + cmd.len();
    let sample = &readme[start..start + readme[start..].find("```").unwrap()];
    let mut stretches: Vec<Vec<&str>> = vec![Vec::new()];
    for l in sample.lines() {
        if l.trim() == "..." {
            stretches.push(Vec::new());
        } else {
            stretches.last_mut().unwrap().push(l);
        }
    }
    let ends_shortened = stretches.last().is_some_and(Vec::is_empty);
    let text = stdout_of(&["run", "scenarios/baseline.toml"]);
    let lines: Vec<&str> = text.lines().collect();
    let same = |out: &str, readme: &str| match (
        out.split_once(" events in "),
        readme.split_once(" events in "),
    ) {
        (Some((a, _)), Some((b, _))) => a == b,
        _ => out == readme,
    };
    let mut at = 0;
    for (k, stretch) in stretches.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
        let fits = |i: usize| {
            i + stretch.len() <= lines.len()
                && stretch
                    .iter()
                    .enumerate()
                    .all(|(j, l)| same(lines[i + j], l))
        };
        let found = if k == 0 {
            fits(0).then_some(0)
        } else {
            (at..lines.len()).find(|&i| fits(i))
        };
        let Some(i) = found else {
            panic!(
                "the README's sample, from {:?}, is not what the run prints:\n{text}",
                stretch[0]
            );
        };
        at = i + stretch.len();
    }
    assert!(
        ends_shortened || at == lines.len(),
        "the run prints more than the README's sample, which does not end in `...`:\n{text}"
    );
}

/// The README names what the outputs hold: every key of `summary.json`'s `scenario` object
/// (`fingerprint` and `overrides` had been left to docs/MODEL.md) and every stage of a
/// `--trace` log (`attrition`, the stage of a `drop`, had gone unnamed).
#[test]
fn the_readme_names_every_scenario_key_of_the_summary_and_every_stage_of_the_trace() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let row = |start: &str| -> &str {
        let at = readme
            .find(start)
            .unwrap_or_else(|| panic!("README has no row {start}"));
        &readme[at..at + readme[at..].find('\n').unwrap()]
    };
    let d = tempfile::tempdir().unwrap();
    let trace = d.path().join("trace.csv");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "2",
        "--quiet",
        "--json",
        "--set",
        "attrition.hazard_per_day=0.01",
        "--trace",
        trace.to_str().unwrap(),
    ]))
    .unwrap();
    let summary = row("| `scenario.name`, `scenario.file` |");
    let keys = v["scenario"].as_object().unwrap();
    assert!(keys.contains_key("fingerprint") && keys.contains_key("overrides"));
    for k in keys.keys() {
        assert!(
            summary.contains(&format!("`{k}`")) || summary.contains(&format!("`scenario.{k}`")),
            "{k} not in {summary}"
        );
    }
    let row = row("| `  --trace FILE` |");
    let log = std::fs::read_to_string(&trace).unwrap();
    let mut stages: Vec<&str> = log
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(6).unwrap())
        .collect();
    stages.sort_unstable();
    stages.dedup();
    assert!(stages.contains(&"attrition"), "{stages:?}");
    for s in stages {
        assert!(row.contains(&format!("`{s}`")), "stage {s} not in {row}");
    }
}

#[test]
fn every_bundled_scenario_runs() {
    for e in std::fs::read_dir("scenarios").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            clearance()
                .arg("run")
                .arg(&p)
                .args(["--replications", "4", "--quiet", "--json"])
                .assert()
                .success();
        }
    }
}

#[test]
fn a_broken_scenario_exits_nonzero_naming_file_and_key() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("broken.toml");
    std::fs::write(
        &f,
        "[scenario]\nname = \"x\"\n\n[[origin]]\nname = \"A\"\nshare = 1.0\n\n[[route]]\nfrom = \"A\"\nto = \"Nowhere\"\n\n[[port]]\nname = \"P\"\nquota_per_dya = 3\n",
    )
    .unwrap();
    for cmd in ["validate", "run"] {
        let out = clearance()
            .arg(cmd)
            .arg(&f)
            .assert()
            .failure()
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("broken.toml"), "{err}");
        assert!(err.contains("quota_per_dya"), "{err}");
        assert!(err.contains("did you mean"), "{err}");
        assert!(err.contains("Nowhere"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_missing_file_and_an_unwritable_out_dir_are_clear_errors() {
    let out = clearance()
        .args(["run", "no/such/file.toml"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no/such/file.toml"), "{err}");
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = clearance()
        .args(["run", "scenarios/baseline.toml", "--quiet", "--out"])
        .arg(file.join("sub"))
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("output directory"), "{err}");
}

/// `chart DIR` and `report DIR` redraw a saved run without simulating: the same chart files as
/// the run wrote, and the same report but for the scenario file it names (the saved copy); a
/// damaged saved run is refused naming the file, the line and the column.
#[test]
fn chart_and_report_redraw_a_saved_run_and_name_what_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    clearance()
        .args(["run", "scenarios/baseline.toml", "--replications", "12"])
        .args(["--quiet", "--report", "--out"])
        .arg(&out)
        .assert()
        .success();
    let drawn: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("png" | "svg")))
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(drawn.len(), 12);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    for (p, _) in &drawn {
        std::fs::remove_file(p).unwrap();
    }
    std::fs::remove_file(out.join("report.html")).unwrap();
    clearance().arg("chart").arg(&out).assert().success();
    for (p, bytes) in &drawn {
        assert!(
            std::fs::read(p).unwrap() == *bytes,
            "{} differs",
            p.display()
        );
    }
    clearance().arg("report").arg(&out).assert().success();
    let again = std::fs::read_to_string(out.join("report.html")).unwrap();
    let saved = out.join("scenario.toml").display().to_string();
    assert_eq!(again.replace(&saved, "scenarios/baseline.toml"), report);

    let csv = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(&lines[2][..lines[2].find(',').unwrap()], "x", 1);
    std::fs::write(out.join("replications.csv"), lines.join("\n") + "\n").unwrap();
    let a = clearance().arg("chart").arg(&out).assert().code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("could not read"), "{err}");
    assert!(
        err.contains("replications.csv") && err.contains("line 3: column replication: \"x\""),
        "{err}"
    );
    // A damaged scenario.toml is a saved run that cannot be used too: exit code 1 (it had been
    // 2, the code of an invalid scenario the user gave), for both commands.
    std::fs::write(out.join("replications.csv"), csv).unwrap();
    std::fs::write(out.join("scenario.toml"), "[scenario\n").unwrap();
    for cmd in ["chart", "report"] {
        let a = clearance().arg(cmd).arg(&out).assert().code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("holds no valid scenario.toml"), "{cmd}: {err}");
    }
}

/// `sweep --replications 1` runs, as a sweep file's `replications = 1` and `--set
/// scenario.replications=1` do (docs/experiments.md: "at least 1"); the flag had been refused
/// ("from 2 to 1000000"). `compare`, `sensitivity` and `target`, whose intervals need 2, refuse
/// 1 naming the fix, with exit code 2. `sensitivity --help` names every file `--out` writes.
#[test]
fn sweep_takes_one_replication_and_the_commands_that_need_two_say_so() {
    let m = "tests/scenarios/minimal.toml";
    let out = clearance()
        .args([
            "sweep",
            m,
            "--vary",
            "screening.servers=1,2",
            "--replications",
            "1",
            "--json",
            "-q",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["replications"], 1, "{v}");
    for (args, says) in [
        (
            vec!["compare", m, m],
            "--replications 1: a comparison needs 2 at least",
        ),
        (
            vec!["sensitivity", m, "--vary", "screening.servers=1,2"],
            "--replications 1: a sensitivity analysis needs 2 at least",
        ),
        (
            vec![
                "target",
                m,
                "--vary",
                "screening.servers",
                "--goal",
                "p90(clearance_days) <= 100",
                "--min",
                "1",
                "--max",
                "3",
                "--step",
                "1",
            ],
            "--replications 1: goal seeking needs 2 at least per value",
        ),
    ] {
        let out = clearance()
            .args(&args)
            .args(["--replications", "1", "-q"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(says) && err.contains("give --replications 2 or more"),
            "{args:?}: {err}"
        );
    }
    let help = clearance()
        .args(["sensitivity", "--help"])
        .output()
        .unwrap()
        .stdout;
    let help = String::from_utf8_lossy(&help);
    assert!(help.contains("provenance.json and scenario.toml"), "{help}");
}

#[test]
fn a_negative_seed_count_or_thread_number_is_refused_in_words_with_exit_2() {
    let m = "tests/scenarios/minimal.toml";
    for (args, says) in [
        (
            ["run", m, "--seed", "-1"],
            "the seed is a whole number from 0 to 9223372036854775807",
        ),
        (
            ["run", m, "--seed", "1.5"],
            "the seed is a whole number from 0 to 9223372036854775807",
        ),
        (
            ["run", m, "--replications", "-5"],
            "the number of replications is a whole number from 1 to 1000000",
        ),
        (
            ["run", m, "--threads", "-2"],
            "the number of threads is a whole number from 1 to 1024",
        ),
        (
            ["compare", m, "--seed", "-1"],
            "the seed is a whole number from 0 to 9223372036854775807",
        ),
        (
            ["sweep", m, "--replications", "-3"],
            "the number of replications is a whole number from 1 to 1000000",
        ),
    ] {
        let out = clearance().args(args).arg("--quiet").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("-- -"), "{args:?}: clap's hint in {err}");
    }
}

/// `report` (and `chart`) on the directory of a sweep, a sensitivity study or a comparison says
/// which it is and what to run for a run's report (it had said scenario.toml was missing).
#[test]
fn report_on_an_experiment_directory_says_what_it_is_and_what_to_run() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let reps = ["--replications", "3", "--quiet", "--out"];
    let sweep = d.path().join("sweep");
    let sens = d.path().join("sens");
    let comp = d.path().join("comp");
    for (args, dir) in [
        (
            vec![
                "sweep",
                m,
                "--vary",
                "screening.servers=1,2",
                "--set",
                "port[San Ysidro].quota_per_day=400",
                "--seed",
                "7",
            ],
            &sweep,
        ),
        (
            vec!["sensitivity", m, "--vary", "screening.servers=1,2"],
            &sens,
        ),
        (
            vec![
                "compare",
                m,
                m,
                "--seed",
                "7",
                "--set",
                "port[San Ysidro].quota_per_day=400",
            ],
            &comp,
        ),
    ] {
        clearance()
            .args(args)
            .args(reps)
            .arg(dir)
            .assert()
            .success();
    }
    for (cmd, dir, says) in [
        (
            "report",
            &sweep,
            "is a sweep's output (sweep.csv and its chart), not a run",
        ),
        // The scenario file, --set values, seed and replications that provenance.json
        // records (it had said SCENARIO, a placeholder).
        (
            "report",
            &sweep,
            "`clearance run tests/scenarios/minimal.toml --set 'port[San Ysidro].quota_per_day=400' --set \
             'screening.servers=VALUE' --seed 7 --replications 3 --out DIR --report`",
        ),
        (
            "chart",
            &sweep,
            "`clearance run tests/scenarios/minimal.toml --set 'port[San Ysidro].quota_per_day=400' --set \
             'screening.servers=VALUE' --seed 7 --replications 3 --out DIR`",
        ),
        ("report", &sens, "is a sensitivity study's output"),
        (
            "report",
            &sens,
            "`clearance run tests/scenarios/minimal.toml --set 'screening.servers=VALUE' --seed ",
        ),
        (
            "report",
            &comp,
            "is a comparison's output (comparison.json)",
        ),
        // A's and B's runs as comparison.json records them: --set values, seeds and
        // replications (it had named the files only).
        (
            "chart",
            &comp,
            "`clearance run tests/scenarios/minimal.toml --set 'port[San Ysidro].quota_per_day=400' \
             --seed 7 --replications 3 --out DIR` or `clearance run tests/scenarios/minimal.toml \
             --set 'port[San Ysidro].quota_per_day=400' --seed 7 --replications 3 --out DIR`",
        ),
        (
            "report",
            &comp,
            "--seed 7 --replications 3 --out DIR --report` or `clearance run ",
        ),
    ] {
        let out = clearance().arg(cmd).arg(dir).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{cmd} {}: {err}", dir.display());
        assert!(!err.contains("scenario.toml"), "{err}");
        assert!(!dir.join("report.html").exists());
    }
}

/// `report` and `chart` on a path that names no directory say so (they had said "is not a
/// complete saved run", as for a directory missing its files): "no such directory" for a path
/// that does not exist, "is a file, not a directory" for a file; exit code 1, as for any saved
/// run that cannot be used, and nothing written.
#[test]
fn report_and_chart_on_a_missing_directory_or_a_file_say_so() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("nonexist");
    let file = d.path().join("a-file");
    std::fs::write(&file, "not a run\n").unwrap();
    for cmd in ["report", "chart"] {
        let nothing = if cmd == "report" {
            "no report was written"
        } else {
            "nothing was redrawn"
        };
        for (path, says) in [
            (
                &missing,
                format!("no such directory: {}", missing.display()),
            ),
            (
                &file,
                format!("{} is a file, not a directory", file.display()),
            ),
        ] {
            let out = clearance().arg(cmd).arg(path).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
            assert!(err.contains(&says), "{cmd}: {err}");
            assert!(err.contains(nothing), "{cmd}: {err}");
            assert!(!err.contains("not a complete saved run"), "{cmd}: {err}");
            assert!(!err.contains("scenario.toml"), "{cmd}: {err}");
        }
        assert!(!missing.exists(), "{cmd} made the directory");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a run\n");
    }
}

/// `report` and `chart` on a shard's directory (run.json, replications.jsonl, daily.json) say it
/// holds a shard, which one, and to merge the shards first (they had said the directory's
/// scenario.toml could not be read); a sweep's shard says so with its shard and factor. The
/// advice works: the merged directory is reported on.
#[test]
fn report_on_a_shard_says_to_merge_the_shards_first() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let (sh1, sh2, sw1) = (
        d.path().join("sh1"),
        d.path().join("sh2"),
        d.path().join("sw1"),
    );
    for (shard, dir) in [("1/2", &sh1), ("2/2", &sh2)] {
        clearance()
            .args(["run", m, "--replications", "8", "--quiet", "--shard", shard])
            .arg("--out")
            .arg(dir)
            .assert()
            .success();
    }
    clearance()
        .args([
            "sweep",
            m,
            "--vary",
            "screening.servers=1,2",
            "--replications",
            "4",
        ])
        .args(["--quiet", "--shard", "1/2", "--out"])
        .arg(&sw1)
        .assert()
        .success();
    let merge = format!("`clearance merge {} OTHER_SHARD… --out DIR`", sh1.display());
    for (cmd, dir, says) in [
        (
            "report",
            &sh1,
            format!(
                "{} holds shard 1/2 of a run, not a whole run: replications 0–3 of 8 (numbered \
                 from 0); combine its 2 shards first with {merge}, then `clearance report DIR`; \
                 no report was written",
                sh1.display()
            ),
        ),
        (
            "chart",
            &sh1,
            "then `clearance chart DIR`; nothing was redrawn".to_string(),
        ),
        (
            "report",
            &sw1,
            format!(
                "{} holds shard 1/2 of a sweep (sweep.json), not a run: combine its 2 shards \
                 first with `clearance merge {} OTHER_SHARD… --out DIR`, which writes the \
                 sweep's sweep.csv and chart; to see one of its points as a run, run that \
                 point: `clearance run tests/scenarios/minimal.toml --set \
                 'screening.servers=VALUE' --seed 1 --replications 4 --out DIR --report`",
                sw1.display(),
                sw1.display()
            ),
        ),
    ] {
        let out = clearance().arg(cmd).arg(dir).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&says), "{cmd} {}: {err}", dir.display());
        assert!(!err.contains("scenario.toml"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!dir.join("report.html").exists());
        assert!(!dir.join("fan.png").exists());
    }
    // The only shard of a run: merged alone; a path with a space is quoted for the shell.
    let only = d.path().join("one shard");
    clearance()
        .args(["run", m, "--replications", "2", "--quiet", "--shard", "1/1"])
        .arg("--out")
        .arg(&only)
        .assert()
        .success();
    let out = clearance().arg("report").arg(&only).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "merge it first (it is the only shard) with `clearance merge '{}' --out DIR`",
            only.display()
        )),
        "{err}"
    );
    // As advised: merge, then report.
    let merged = d.path().join("merged");
    clearance()
        .arg("merge")
        .args([&sh1, &sh2])
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    clearance().arg("report").arg(&merged).assert().success();
    assert!(merged.join("report.html").is_file());
}

/// A run where people drop out and no replication clears says what happened (it had said the
/// backlog "clears largely by drop-outs"), and a t90 no replication reached reads naturally.
#[test]
fn a_run_that_never_clears_says_so_of_its_drop_outs_and_milestones() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let text = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "attrition.hazard_per_day=0.05",
        "--set",
        "scenario.horizon=\"60d\"",
        "--replications",
        "5",
        "--quiet",
        "--no-charts",
        "--report",
        "--out",
        out.to_str().unwrap(),
    ]);
    let line = line_of(&text, "! on average");
    assert!(
        line.contains("dropped out before the horizon and")
            && line.contains("were still waiting at it: no replication cleared"),
        "{text}"
    );
    assert!(!text.contains("clears largely by drop-outs"), "{text}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("clears largely by drop-outs"));
    assert!(html.contains("no replication cleared (see [attrition]).</li>"));
    assert!(html
        .contains("<li>No replication processed 90% of the people. t90 and t99 are out of reach"));
    assert!(!html.contains("processed in no replication"));
}

#[test]
fn invalid_arguments_exit_2_with_the_reason() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "sweep",
                "scenarios/baseline.toml",
                "--vary",
                "port[Brownsvile].quota_per_day=100,200",
            ],
            "error: --vary: port[Brownsvile].quota_per_day: no [[port]] element named",
        ),
        (
            &[
                "sweep",
                "tests/scenarios/minimal.toml",
                "--vary",
                "screening.servers=1,2",
                "--vary",
                "screening.servers=3",
            ],
            "screening.servers is varied twice",
        ),
        (
            &["sweep", "tests/scenarios/minimal.toml"],
            "is a scenario, not a sweep file",
        ),
        (
            &[
                "target",
                "tests/scenarios/minimal.toml",
                "--vary",
                "screening.servers",
                "--goal",
                "p90(clearance) <= 100",
                "--min",
                "1",
                "--max",
                "4",
            ],
            "unknown KPI \"clearance\"",
        ),
        (
            &[
                "target",
                "tests/scenarios/minimal.toml",
                "--vary",
                "screening.servers",
                "--goal",
                "p90(clearance_days) <= 100",
                "--min",
                "9",
                "--max",
                "4",
            ],
            "need --min <= --max",
        ),
        (
            &[
                "run",
                "tests/scenarios/minimal.toml",
                "--replications",
                "1000001",
            ],
            "the number of replications is a whole number from 1 to 1000000",
        ),
    ];
    for (args, says) in cases {
        let out = clearance().args(args).arg("--quiet").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn outputs_an_earlier_run_left_in_the_out_dir_are_named_not_deleted() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let run = |extra: &[&str]| {
        clearance()
            .args([
                "run",
                "tests/scenarios/minimal.toml",
                "--quiet",
                "--replications",
                "3",
            ])
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&["--report"]);
    assert!(first.status.success());
    assert!(!String::from_utf8_lossy(&first.stderr).contains("earlier run"));
    let second = run(&["--no-charts"]);
    assert!(second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("did not rewrite: fan.png, fan.svg,") && err.contains("report.html"),
        "{err}"
    );
    assert!(out.join("report.html").exists() && out.join("fan.png").exists());
}

#[test]
fn the_saved_scenario_reproduces_the_run_with_its_seed_and_count() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--report"])
        .args(["--seed", "5", "--replications", "7", "--no-charts", "--out"])
        .arg(&a)
        .args(["--set", "backlog.people=300"])
        .assert()
        .success();
    clearance()
        .arg("run")
        .arg(a.join("scenario.toml"))
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&b)
        .assert()
        .success();
    // The saved scenario has the override applied: its run names no --set.
    let read = |p: &Path| {
        let mut v = without_performance(&std::fs::read_to_string(p.join("summary.json")).unwrap());
        let s = v["scenario"].as_object_mut().unwrap();
        s.remove("file");
        // (the saved scenario writes the seed and replications the file left to defaults: a
        // different table, so another fingerprint)
        assert!(s.remove("fingerprint").is_some_and(|f| f.is_string()));
        let overrides = s.remove("overrides");
        (v, overrides)
    };
    let (summary, overrides) = read(&a);
    assert_eq!(overrides, Some(serde_json::json!(["backlog.people=300"])));
    let (again, none) = read(&b);
    assert_eq!(none, None);
    assert_eq!(summary["seed"], 5);
    assert_eq!(summary["replications"], 7);
    assert_eq!(summary["people"]["total"], 300);
    assert_eq!(summary, again);
    let report = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(
        report.contains("with seed 5 and 7 replications")
            && report.contains("clearance run scenario.toml --out OUTDIR"),
        "{report}"
    );
    // The saved scenario extends its own directory (its scenario.toml is rewritten, not an
    // input to protect), and the result equals a single run of the new total.
    clearance()
        .arg("run")
        .arg(a.join("scenario.toml"))
        .args(["--quiet", "--no-charts", "--replications", "9", "--extend"])
        .arg(&a)
        .assert()
        .success();
    let c = d.path().join("c");
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--quiet",
            "--no-charts",
        ])
        .args([
            "--seed",
            "5",
            "--replications",
            "9",
            "--set",
            "backlog.people=300",
            "--out",
        ])
        .arg(&c)
        .assert()
        .success();
    assert_eq!(read(&a).0, read(&c).0);
    // A seed the scenario file could not hold is refused on the command line too.
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--seed",
            "9223372036854775808",
        ])
        .assert()
        .code(2);
}

#[test]
fn censored_clearance_figures_are_marked_as_bounds() {
    let d = tempfile::tempdir().unwrap();
    let out = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--quiet",
            "--replications",
            "6",
        ])
        .args([
            "--set",
            "scenario.horizon=\"140d\"",
            "--no-charts",
            "--report",
            "--out",
        ])
        .arg(d.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {text}"))
            .to_string()
    };
    assert!(row("clearance [days]").contains("≥140.0"), "{text}");
    assert!(
        row("clearance [days]").contains("≥1"),
        "the mean is a bound too: {text}"
    );
    assert!(row("clearance [date").contains("≥Jul 09"), "{text}");
    let html = std::fs::read_to_string(d.path().join("report.html")).unwrap();
    assert!(html.contains("<td>≥140.0</td>"), "report");
    // Its row labelled as the terminal's table labels it, not by the JSON's key.
    assert!(
        html.contains("<tr><th scope=\"row\">clearance</th><td>≥"),
        "report"
    );
    assert!(!html.contains(">clearance_days</"), "report");
}

#[test]
fn long_origin_and_port_names_keep_the_tables_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let long_origin = "Matamoros (Tamaulipas, Puerta Mexico camp)";
    let long_port = "El Paso (Paso del Norte bridge, Texas)";
    let text = std::fs::read_to_string("scenarios/two-ports.toml")
        .unwrap()
        .replace("\"Matamoros", &format!("\"{long_origin}"))
        .replace("\"El Paso\"", &format!("\"{long_port}\""));
    let file = dir.path().join("long.toml");
    std::fs::write(&file, text).unwrap();
    let out = stdout_of(&[
        "run",
        file.to_str().unwrap(),
        "--replications",
        "20",
        "--quiet",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    // The ports table: every row as long as the others, and its name column as wide as the
    // header's.
    let at = lines.iter().position(|l| l.starts_with("Ports ")).unwrap();
    let rows: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("  "))
        .copied()
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows.iter().any(|r| r.contains(long_port)), "{out}");
    let len = |s: &str| s.chars().count();
    assert!(rows.iter().all(|r| len(r) == len(rows[0])), "{out}");
    let col = |s: &str| s.find("processed").unwrap();
    assert!(col(lines[at]) >= 2 + len(long_port), "{out}");
    // "What binds": the people column ends at the same place on every row.
    let at = lines
        .iter()
        .position(|l| l.starts_with("What binds"))
        .unwrap();
    let rows: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("  from "))
        .copied()
        .collect();
    assert!(rows.iter().any(|r| r.contains(long_origin)), "{out}");
    let people = |s: &str| s[..s.find(" people").unwrap()].chars().count();
    assert!(rows.iter().all(|r| people(r) == people(rows[0])), "{out}");
}

/// The cells of a table line: the pieces between runs of two spaces or more.
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The line of `text` that starts with `start` (after its indent).
fn line_of<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in\n{text}"))
}

#[test]
fn wide_numbers_stay_two_spaces_apart_and_no_table_line_ends_in_spaces() {
    // Five million people in groups of a thousand: seven-digit counts, cheaply.
    let sets = [
        "--set",
        "backlog.people=5000000",
        "--set",
        "backlog.group_size=1000",
        "--set",
        "port[San Ysidro].quota_per_day=2000000",
        "--replications",
        "3",
        "--quiet",
    ];
    let vary = ["--vary", "port[San Ysidro].quota_per_day=1000000,2000000"];
    let m = "tests/scenarios/minimal.toml";
    let with = |head: &[&str], more: &[&str]| -> String {
        let mut args: Vec<&str> = head.iter().chain(more).chain(&sets).copied().collect();
        // A sweep, a sensitivity analysis and a goal search refuse a --set of the setting they
        // vary: their factor gives the quota.
        if matches!(head[0], "sweep" | "sensitivity" | "target") {
            let at = args
                .iter()
                .rposition(|a| a.starts_with("port[San Ysidro].quota"))
                .unwrap();
            args.drain(at - 1..=at);
        }
        stdout_of(&args)
    };
    let run = with(&["run", m], &[]);
    let compare = with(&["compare", m, m], &[]);
    let sweep = with(&["sweep", m], &vary);
    let sensitivity = with(&["sensitivity", m], &vary);
    let explain = stdout_of(&[
        "explain",
        m,
        "--set",
        "port[San Ysidro].quota_per_day=2000000",
    ]);
    let target = with(
        &["target", m],
        &[
            "--vary",
            "port[San Ysidro].quota_per_day",
            "--goal",
            "p90(clearance_days) <= 3",
            "--min",
            "1000000",
            "--max",
            "3000000",
            "--step",
            "1000000",
        ],
    );
    for text in [&run, &compare, &sweep, &sensitivity, &explain, &target] {
        for line in text.lines() {
            assert!(!line.ends_with(' '), "{line:?} ends in a space in\n{text}");
        }
    }
    // Every cell of these rows apart from the next by two spaces at least.
    for (text, start, n) in [
        (&run, "processed", 7),
        (&run, "San Ysidro", 4),
        (&compare, "processed", 5),
        (&sweep, "port[San Ysidro]", 10),
        (&sweep, "1000000", 10),
        (&sensitivity, "factor", 10),
        (&sensitivity, "port[San Ysidro]", 10),
        (&explain, "stage", 4),
        (&explain, "ports", 4),
    ] {
        let line = line_of(text, start);
        assert_eq!(cells(line).len(), n, "{line:?} in\n{text}");
    }
    assert!(line_of(&run, "processed").contains("5,000,000"), "{run}");
}

#[test]
fn a_milestone_row_says_over_how_many_runs_and_a_fractional_horizon_keeps_its_time() {
    let run = |sets: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "20",
            "--quiet",
        ];
        for s in sets {
            args.extend(["--set", s]);
        }
        stdout_of(&args)
    };
    // With 9% never reached, t90 is reached in some runs only (5 of 20 miss it).
    let out = run(&["registration.never=0.09"]);
    let t90 = out
        .lines()
        .find(|l| l.contains("t90: 90% processed"))
        .unwrap();
    assert!(
        t90.ends_with("(over the 15 of 20 runs that reach it)"),
        "{out}"
    );
    let t50 = out
        .lines()
        .find(|l| l.contains("t50: 50% processed"))
        .unwrap();
    assert!(!t50.contains("runs that reach it"), "{out}");
    // A horizon at noon: its day with the half and its date with the time.
    let out = run(&["scenario.horizon=\"145.5d\""]);
    assert!(
        out.contains("had not cleared by 2021-07-14 12:00, the horizon of 145.5 days)"),
        "{out}"
    );
    assert!(out.contains("reached the horizon (145.5 days)"), "{out}");
}

#[test]
fn a_sweep_marks_milestone_means_over_fewer_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = clearance()
        .current_dir(dir.path())
        .args([
            "sweep",
            &format!("{}/scenarios/baseline.toml", env!("CARGO_MANIFEST_DIR")),
            "--vary",
            "registration.never=0.05,0.09",
            "--replications",
            "20",
            "--quiet",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let row = |v: &str| out.lines().find(|l| l.trim_start().starts_with(v)).unwrap();
    // Every run reaches t90 with 5% never reached; some do not with 9%.
    assert!(!row("0.05").contains('*'), "{out}");
    // t90 is the column before the last.
    let t90 = |v: &str| row(v).split_whitespace().rev().nth(1).unwrap().to_string();
    assert!(t90("0.09").ends_with('*'), "{out}");
    assert!(
        out.contains("*: not every replication of the point reached it"),
        "{out}"
    );
}

#[test]
fn what_binds_at_the_end_names_the_lever_for_the_date() {
    // The output with its wrapped lines joined.
    let run = |file: &str| {
        stdout_of(&["run", file, "--replications", "40", "--quiet"]).replace("\n    ", " ")
    };
    // The baseline's last people are in the health check's isolation (a shorter isolation is
    // what moves its date: `sensitivity` puts 21 days between 5 and 15 days of isolation and
    // none between El Paso quotas of 200 and 450).
    let out = run("scenarios/baseline.toml");
    assert!(
        out.contains("the date is set by what binds at the end, health check (from 2021-06-25):"),
        "{out}"
    );
    assert!(out.contains("a shorter check or isolation would bring the date forward"));
    // The note under the median (the date follows the registrations) and "What binds" (the
    // health check at the end) read as one account: each names the other's part.
    assert!(
        out.contains("explain`'s bound), and the health check after them (What binds, below): try"),
        "{out}"
    );
    assert!(
        out.contains(
            "after the registrations, which end about day 120 (above), the last people are in \
             the health check or its isolation"
        ),
        "{out}"
    );
    // explain names registration: the run says why the two differ.
    assert!(
        out.contains("`clearance explain` names registration from capacities alone"),
        "{out}"
    );
    // Too few seats: the buses to El Paso bind to the end, and more seats move the date.
    let out = run("scenarios/bus-bottleneck.toml");
    assert!(
        out.contains("the date is set by what binds at the end, transport → El Paso"),
        "{out}"
    );
    // The lever names the inputs: the route's seats and departures (it had said only "more of
    // its capacity").
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "its seats are what limits it: more seats or departures \
             (`route[Ciudad Juarez->El Paso].seats`, `route[Ciudad Juarez->El Paso].departures`) \
             would bring the date forward"
        ),
        "{out}"
    );
    // explain names the same row: nothing to explain.
    assert!(!out.contains("`clearance explain` names"), "{out}");
    // The 2021 record: people still registering at the end of the weeks up to the horizon,
    // which no run clears within.
    let out = run("scenarios/mpp-2021-record.toml");
    assert!(
        out.contains("What binds (weekly, up to the horizon: the median run does not clear"),
        "{out}"
    );
    assert!(
        out.contains(
            "the date is set by what binds at the end of the weeks up to the horizon, registration"
        ),
        "{out}"
    );
}

/// One replication is "1 replication" (it read "1 replications"), and compare says when it runs
/// two for a scenario that asks for one (it raised the count silently).
#[test]
fn one_replication_is_said_so() {
    let out = stdout_of(&[
        "run",
        "tests/scenarios/minimal.toml",
        "--replications",
        "1",
        "-q",
    ]);
    assert!(out.contains(" · 1 replication · seed "), "{out}");
    let d = tempfile::tempdir().unwrap();
    let one = d.path().join("one.toml");
    let text = std::fs::read_to_string("tests/scenarios/minimal.toml").unwrap();
    assert!(text.contains("[scenario]\n"));
    std::fs::write(
        &one,
        text.replacen("[scenario]\n", "[scenario]\nreplications = 1\n", 1),
    )
    .unwrap();
    let a = clearance()
        .args([
            "compare",
            one.to_str().unwrap(),
            one.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("asks for 1 replication; a comparison needs 2 at least"),
        "{err}"
    );
}

/// One replication stopped by the horizon reads in the singular in the table and its warning
/// ("1 of 1 replication", "1 of 1 run was stopped"; they had said "1 of 1 replications", "1 of 1
/// runs were stopped" and "t99 1 replications").
#[test]
fn one_replication_cut_off_by_the_horizon_is_said_in_the_singular() {
    let o = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "1",
            "--set",
            "scenario.horizon=30d",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    for line in [
        "  → median clearance: not within the horizon (1 of 1 run had not cleared by ",
        "  ! 1 of 1 replication reached the horizon (30 days) before clearing\n",
        "  (milestone not reached in: t50 1 · t90 1 · t99 1 replication)\n",
        "only the groups that finished by the horizon: 1 of 1 run was stopped by it,",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(
        err.contains("warning: 1 of 1 replication reached the horizon (30 days) before clearing"),
        "{err}"
    );
    for wrong in [" 1 replications", " 1 runs"] {
        assert!(!out.contains(wrong) && !err.contains(wrong), "{out}{err}");
    }
}

/// A run with `--set` says so under its file name, in the table and summary.json (a table pasted
/// into a memo had looked like the unmodified plan); compare's differences are printed with
/// thousands separators as its means are.
#[test]
fn a_run_with_set_says_which_values_it_changed() {
    let args = [
        "run",
        "scenarios/baseline.toml",
        "--set",
        "port[El Paso].holding=50",
        "--set",
        "health.isolation=\"5d\"",
        "--replications",
        "2",
        "--quiet",
    ];
    let out = stdout_of(&args);
    assert!(
        out.lines()
            .nth(2)
            .is_some_and(|l| l == "  with --set port[El Paso].holding=50, health.isolation=5d"),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--json"]].concat())).unwrap();
    assert_eq!(
        v["scenario"]["overrides"],
        serde_json::json!(["port[El Paso].holding=50", "health.isolation=5d"])
    );
    let plain: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "2",
        "--quiet",
        "--json",
    ]))
    .unwrap();
    assert!(plain["scenario"].get("overrides").is_none());
    // Shards, their merge and an extended run keep them (they had been dropped).
    let d = tempfile::tempdir().unwrap();
    let dir = |n: &str| d.path().join(n).to_str().unwrap().to_string();
    for i in 1..=2 {
        stdout_of(
            &[
                &args[..],
                &[
                    "--shard",
                    &format!("{i}/2"),
                    "--out",
                    &dir(&format!("s{i}")),
                ],
            ]
            .concat(),
        );
    }
    let merged = stdout_of(&["merge", &dir("s1"), &dir("s2"), "--out", &dir("m"), "-q"]);
    assert!(merged.contains("  with --set port[El Paso].holding=50, health.isolation=5d"));
    let extended = stdout_of(&["run", "--extend", &dir("m"), "--replications", "3", "-q"]);
    assert!(extended.contains("  with --set port[El Paso].holding=50, health.isolation=5d"));
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("m").join("summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["scenario"]["overrides"][0], "port[El Paso].holding=50");
    let cmp = stdout_of(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/two-ports.toml",
        "--replications",
        "3",
        "--quiet",
    ]);
    let line = cmp
        .lines()
        .find(|l| l.trim_start().starts_with("processed:El Paso"))
        .unwrap();
    assert!(line.contains("+6,"), "{line}");
    assert!(!cmp.contains("with --set"));
    // compare applies --set to both, and says so.
    let cmp = stdout_of(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/two-ports.toml",
        "--set",
        "backlog.people=12000",
        "--replications",
        "2",
        "--quiet",
    ]);
    assert_eq!(
        cmp.lines().nth(2),
        Some("both with --set backlog.people=12000")
    );
}

/// A decimal number given to `--set` in exponent form is echoed so (`1e-9`), not spelt out
/// (`0.000000001`, `1000000000.0`): in the run's header, summary.json's overrides and an
/// error's hint; the value applied is the same.
#[test]
fn set_echoes_a_number_in_exponent_form_as_written() {
    let run = |value: &str| {
        stdout_of(&[
            "run",
            "scenarios/baseline.toml",
            "--set",
            &format!("attrition.hazard_per_day={value}"),
            "--replications",
            "2",
            "--json",
            "--quiet",
        ])
    };
    let v: serde_json::Value = serde_json::from_str(&run("1e-9")).unwrap();
    assert_eq!(
        v["scenario"]["overrides"][0],
        "attrition.hazard_per_day=1e-9"
    );
    // the same value as written out in full: the same results, and the same echo
    let full: serde_json::Value = serde_json::from_str(&run("0.000000001")).unwrap();
    assert_eq!(full["clearance_days"], v["clearance_days"]);
    assert_eq!(full["scenario"]["overrides"], v["scenario"]["overrides"]);
    let table = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "attrition.hazard_per_day=1e-9",
        "--replications",
        "2",
        "--quiet",
    ]);
    assert_eq!(
        table.lines().nth(2),
        Some("  with --set attrition.hazard_per_day=1e-9"),
        "{table}"
    );
    let out = clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "backlog.people=1e4",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("hint: the value comes from --set backlog.people=1e4\n"),
        "{out}"
    );
}

/// `compare`'s table gives utilizations in per cent and their differences (and the CI's ends)
/// in percentage points; `--json` (and comparison.json) keep the fractions.
#[test]
fn compare_prints_utilizations_in_per_cent_and_points() {
    let args = [
        "compare",
        "scenarios/baseline.toml",
        "scenarios/two-ports.toml",
        "--replications",
        "10",
        "--quiet",
    ];
    let table = stdout_of(&args);
    let json = stdout_of(&[&args[..], &["--json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kpis = v["kpis"].as_array().unwrap();
    let mut rows = 0;
    for k in kpis {
        let name = k["kpi"].as_str().unwrap();
        if !name.contains("utilization") {
            continue;
        }
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name}\n{table}"));
        let a = k["a"]["mean"].as_f64().unwrap();
        // a fraction in the JSON
        assert!(a > 0.0 && a < 1.0, "{name}: {a}");
        // (after the KPI's name, which may hold spaces, and a port's "(A only)")
        let rest = line.trim_start()[name.len()..].trim_start();
        let rest = rest
            .strip_prefix("(A only)")
            .or_else(|| rest.strip_prefix("(B only)"))
            .unwrap_or(rest);
        let cells: Vec<&str> = rest.split_whitespace().collect();
        assert_eq!(cells[0], format!("{:.1}%", 100.0 * a), "{line}");
        if k["diff"].is_null() {
            continue;
        }
        rows += 1;
        let d = k["diff"]["mean"].as_f64().unwrap();
        // "-0.07 pp   [-0.11 … -0.04] pp": the difference, then its interval, in points
        assert_eq!(cells[3], "pp", "{line}");
        let shown: f64 = cells[2].parse().unwrap();
        let decimals = cells[2].split_once('.').map_or(0, |(_, f)| f.len());
        assert!(
            (shown - 100.0 * d).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-12,
            "{line}: {d}"
        );
        assert!(line.ends_with("] pp"), "{line}");
    }
    assert!(rows >= 4, "{table}");
    assert!(table.contains("(utilizations in per cent; their B − A in percentage points, pp)"));
    // Other rows as before: days and people without units.
    let row = |k: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(k))
            .unwrap()
    };
    assert!(!row("clearance_days").contains('%') && !row("clearance_days").contains("pp"));
    assert!(row("processed:El Paso").ends_with(']'), "{table}");
}

/// `explain --json` gives the table's figures to a program: the bound and its date, the binding
/// row, every row with its finish, its capacity day by day (null when unlimited), and the notes.
#[test]
fn explain_json_matches_its_table() {
    for f in ["scenarios/baseline.toml", "scenarios/bus-bottleneck.toml"] {
        let table = stdout_of(&["explain", f]);
        let v: serde_json::Value =
            serde_json::from_str(&stdout_of(&["explain", f, "--json"])).unwrap();
        let day = v["lower_bound_day"].as_i64().unwrap();
        let date = v["lower_bound_date"].as_str().unwrap();
        assert!(
            table.contains(&format!("before day {day} ({date})")),
            "{table}"
        );
        let binding = v["binding"].as_str().unwrap();
        assert!(
            table.contains(&format!("Binding stage: {binding}.")),
            "{table}"
        );
        let rows = v["rows"].as_array().unwrap();
        let days = v["days_analysed"].as_u64().unwrap() as usize;
        for r in rows {
            let name = r["name"].as_str().unwrap();
            let line = table
                .lines()
                .find(|l| l.trim_start().starts_with(name) && l.contains("  "))
                .unwrap_or_else(|| panic!("no row {name} in {table}"));
            if let (Some(d), Some(dt)) = (r["earliest_day"].as_i64(), r["earliest_date"].as_str()) {
                assert!(line.ends_with(&format!("day {d} {dt}")), "{line}");
            }
            let caps = r["capacity_per_day"].as_array().unwrap();
            assert_eq!(caps.len(), days, "{name}");
            assert_eq!(
                r["unlimited"].as_bool().unwrap(),
                caps.iter().all(|c| c.is_null()),
                "{name}"
            );
        }
        assert!(!v["notes"].as_array().unwrap().is_empty());
    }
}

/// `explain --json` prints its derived figures without float noise (a capacity of 1350 had
/// printed as 1350.0000000000018): every number to 9 significant digits at most. Beside its
/// `"scenario"` (the name, a string as always) it gives `"scenario_info"`, the object a run's
/// summary.json has under `"scenario"`, with the `--set` values applied.
#[test]
fn explain_json_numbers_are_rounded_and_name_the_scenario_as_a_run_does() {
    fn numbers(v: &serde_json::Value, out: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => out.push(n.as_f64().unwrap()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| numbers(x, out)),
            _ => {}
        }
    }
    let args = ["scenarios/baseline.toml", "--set", "backlog.people=24000"];
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "explain", args[0], args[1], args[2], "--json",
    ]))
    .unwrap();
    let mut all = Vec::new();
    numbers(&v, &mut all);
    assert!(all.len() > 1000, "{}", all.len());
    for x in all {
        let nine: f64 = format!("{x:.8e}").parse().unwrap();
        assert_eq!(x, nine, "{x} has more than 9 significant digits");
    }
    assert_eq!(
        v["scenario"].as_str(),
        Some("MPP wind-down, phase 1 as announced (Feb 2021)")
    );
    let run: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        args[0],
        args[1],
        args[2],
        "--replications",
        "2",
        "--quiet",
        "--json",
    ]))
    .unwrap();
    assert_eq!(v["scenario_info"], run["scenario"]);
    assert_eq!(
        v["scenario_info"]["overrides"],
        serde_json::json!(["backlog.people=24000"])
    );
}

/// `explain` gives the scenario's validation warnings as `validate` and a run's table do
/// (`capacity = 50` meant as 50%, a drop-out hazard of 5 a day had been explained without a
/// word).
#[test]
fn explain_prints_the_validation_warnings() {
    for (set, says) in [
        (
            "disruption[1].capacity=50",
            "capacity = 50 multiplies the capacity by 50",
        ),
        ("attrition.hazard_per_day=5", "hazard_per_day = 5"),
    ] {
        let args = ["scenarios/port-closure.toml", "--set", set];
        let explained = stdout_of(&["explain", args[0], args[1], args[2]]);
        let validated = stdout_of(&["validate", args[0], args[1], args[2]]);
        let line = validated
            .lines()
            .find(|l| l.contains(says))
            .unwrap_or_else(|| panic!("validate: {validated}"));
        assert!(explained.contains(line), "{set}: {explained}");
        let json = stdout_of(&["explain", args[0], args[1], args[2], "--json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let warned = v["warnings"].as_array().unwrap();
        assert!(
            warned.iter().any(|w| w.as_str().unwrap().contains(says)),
            "{json}"
        );
    }
}

/// `target`'s exit code agrees with its answer: exit 3 only when no value meets the goal and
/// none may (the threshold outside every CI); "no value" with the threshold inside a CI is an
/// answer more replications may change, exit 0 with a top-level `"uncertain": true` (it had
/// exited 3 while saying a value may meet the goal, with no top-level flag in the JSON).
#[test]
fn target_exits_3_only_when_sure_that_no_value_meets_the_goal() {
    let target = |goal: &str, min: &str, json: bool| {
        let mut a = vec![
            "target",
            "scenarios/baseline.toml",
            "--vary",
            "port[El Paso].quota_per_day",
            "--goal",
            goal,
            "--min",
            min,
            "--max",
            "1000",
            "--step",
            "10",
            "--replications",
            "20",
            "--quiet",
        ];
        if json {
            a.push("--json");
        }
        clearance().args(&a).output().unwrap()
    };
    let json = |o: &std::process::Output| -> serde_json::Value {
        serde_json::from_slice(&o.stdout).unwrap()
    };
    // (goal, --min, exit code, found, uncertain): at 1000 the mean is 145.04 (95% CI 142.71 –
    // 147.37), at 100 151.07 (150.11 – 152.02).
    for (goal, min, code, found, uncertain) in [
        // nothing meets it, but 145 is inside the CI at 1000: not sure
        ("mean(clearance_days) <= 145", "100", 0, false, true),
        // nothing meets it, and 140 is below every CI: sure
        ("mean(clearance_days) <= 140", "100", 3, false, false),
        // met already at --min 990, 150 above every CI: sure
        ("mean(clearance_days) <= 150", "990", 0, true, false),
        // met already at --min 990, 146 inside the CI there: found, not sure
        ("mean(clearance_days) <= 146", "990", 0, true, true),
    ] {
        let o = target(goal, min, true);
        assert_eq!(o.status.code(), Some(code), "{goal}: {o:?}");
        let v = json(&o);
        assert_eq!(v["found"].is_object(), found, "{goal}: {v}");
        assert_eq!(v["uncertain"], uncertain, "{goal}: {v}");
        let o = target(goal, min, false);
        assert_eq!(o.status.code(), Some(code), "{goal}: {o:?}");
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(text.contains("  not sure: "), uncertain, "{goal}: {text}");
    }
}

/// No table prints "-0.0", and a mean near 0 keeps MODEL.md's t interval in the JSON: with one
/// person in 50 replications the table had read `never reached 0.1 [-0.0 – 0.1]` and the Ports
/// table `0 (0–1)` for a mean of 0.34 beside the People table's decimals; the interval of the
/// people dropped out is mean ± t·sd/√n, below 0 at its lower end, in the JSON, and printed
/// from 0 in the table (a count's mean cannot be below it).
#[test]
fn a_mean_near_zero_keeps_its_t_interval_and_no_negative_zero_is_printed() {
    let args = [
        "run",
        "scenarios/baseline.toml",
        "--set",
        "backlog.people=1",
        "--set",
        "backlog.group_size=1",
        "--replications",
        "50",
        "--quiet",
    ];
    let text = stdout_of(&args);
    // A negative zero: a number that reads 0 with a minus sign.
    let negative_zero = text
        .split(|c: char| c.is_whitespace() || "[]()–,".contains(c))
        .find(|w| w.starts_with('-') && w.parse::<f64>() == Ok(0.0));
    assert_eq!(negative_zero, None, "{text}");
    let row = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        row("dropped out").starts_with("dropped out 0.02 [0.00 – 0.06]"),
        "{text}"
    );
    assert!(
        row("never reached").starts_with("never reached 0.1 [0.0 – 0.1]"),
        "{text}"
    );
    assert!(
        row("San Ysidro").starts_with("San Ysidro 0.3 (0.0–1.0)"),
        "{text}"
    );
    // The JSON's interval is MODEL.md's: one drop-out in 50, mean 0.02, sd √(0.02·0.98·50/49).
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--json"]].concat())).unwrap();
    let d = &v["people"]["dropped"];
    let (mean, sd, low) = (
        d["mean"].as_f64().unwrap(),
        d["sd"].as_f64().unwrap(),
        d["ci95_low"].as_f64().unwrap(),
    );
    assert_eq!(mean, 0.02, "{d}");
    let t = 2.009_575_237_129_9; // t(0.975, 49)
    assert!((low - (mean - t * sd / 50f64.sqrt())).abs() < 1e-9, "{d}");
    assert!(low < 0.0, "{d}");
}

/// A horizon at midnight is the start of its day: runs stopped at day 146.0 (00:00 on
/// 2021-07-15) had not cleared by the end of 2021-07-14. The table and the report had said
/// "not cleared by 2021-07-15", a day late.
#[test]
fn a_horizon_at_midnight_is_the_end_of_the_day_before() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let text = String::from_utf8(
        clearance()
            .args(["run", "scenarios/baseline.toml", "--replications", "10"])
            .args(["--set", "scenario.horizon=\"146d\"", "--quiet", "--report"])
            .arg("--out")
            .arg(&out)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        text.contains("runs had not cleared by the end of 2021-07-14, the horizon of 146 days)"),
        "{text}"
    );
    assert!(!text.contains("2021-07-15"), "{text}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(
            "replications had not cleared by the end of Wed 14 Jul 2021, the end of the \
             simulated period (the horizon of 146 days)"
        ),
        "{html}"
    );
    assert!(!html.contains("cleared by Thu 15 Jul 2021"), "{html}");
}

/// A precision not met exits 0 (the run completed and wrote its outputs; `precision.met` is
/// false in the JSON) and says so in a last warning on stderr, with --quiet and --json too: the
/// table's line had sat below "What binds", easy to miss. A precision met warns of nothing.
#[test]
fn an_unmet_precision_exits_0_with_a_last_warning() {
    let run = |precision: &str, extra: &[&str]| {
        clearance()
            .args(["run", "scenarios/baseline.toml", "--precision", precision])
            .args(["--max-replications", "20", "--quiet"])
            .args(extra)
            .output()
            .unwrap()
    };
    for extra in [&[][..], &["--json"][..]] {
        let o = run("0.01d", extra);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        let err = String::from_utf8(o.stderr).unwrap();
        let last = err.lines().last().unwrap_or("");
        assert!(
            last.starts_with(
                "warning: --precision ±0.01 days was not met after 20 replications (95% CI \
                 half-width "
            ) && last.contains("raise --max-replications"),
            "{extra:?}: {err}"
        );
        if !extra.is_empty() {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["precision"]["met"], false, "{v}");
        }
    }
    let o = run("50d", &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(!err.contains("was not met"), "{err}");
}

/// With no day within the horizon, explain and the report say the backlog does not clear within
/// it only if nobody dropped out, when drop-outs loosen the bound: the bus bottleneck at 266
/// days clears in most runs (73 of 100), but both had stated "does not clear" as fact, while
/// the bound of the 730-day horizon already carried the caveat. Without drop-outs, plainly.
#[test]
fn no_bound_within_the_horizon_carries_the_drop_out_caveat() {
    let horizon = "scenario.horizon=\"266d\"";
    let f = "scenarios/bus-bottleneck.toml";
    let table = stdout_of(&["explain", f, "--set", horizon]);
    assert!(
        table.contains(
            "Binding stage: transport → El Paso. If nobody dropped out, it would not clear the \
             backlog within the 266 days analysed; drop-outs leave fewer people to pass, so a \
             run can clear within them."
        ),
        "{table}"
    );
    assert!(!table.contains("It does not clear the backlog"), "{table}");
    assert!(
        table.contains(
            "Some stage does not pass everyone within the 266 days analysed if nobody drops out"
        ),
        "{table}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", f, "--set", horizon, "--json"])).unwrap();
    assert_eq!(v["attrition_loosens_bound"], true, "{v}");
    assert!(v["lower_bound_day"].is_null(), "{v}");
    // Without drop-outs the capacities do decide it.
    let none = "attrition.hazard_per_day=0";
    let table = stdout_of(&["explain", f, "--set", horizon, "--set", none]);
    assert!(
        table.contains(
            "Binding stage: transport → El Paso. It does not clear the backlog within the 266 \
             days analysed."
        ),
        "{table}"
    );
    assert!(!table.contains("If nobody dropped out"), "{table}");

    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [("drops", &[][..]), ("none", &["--set", none][..])] {
        let out = dir.path().join(name);
        clearance()
            .args(["run", f, "--replications", "4", "--quiet", "--report"])
            .args(["--set", horizon])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let caveat =
            "<li>From capacities alone, if nobody dropped out, <b>transport → El Paso</b> \
                      would not let the backlog clear within 266 days. Drop-outs leave fewer \
                      people to pass, so a run can clear within them.</li>";
        let plain = "<li>From capacities alone, <b>transport → El Paso</b> does not let the \
                     backlog clear within 266 days.</li>";
        if name == "drops" {
            assert!(html.contains(caveat) && !html.contains(plain), "{html}");
        } else {
            assert!(html.contains(plain) && !html.contains(caveat), "{html}");
        }
    }
}

/// The report says what `--precision` came to: the target, met or not, and the replications it
/// took (the report had never mentioned precision); a run without it says nothing of one.
#[test]
fn the_report_gives_the_precision_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let report = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        clearance()
            .args(["run", "scenarios/baseline.toml", "--quiet", "--report"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out.join("report.html")).unwrap()
    };
    let html = report(
        "unmet",
        &["--precision", "0.01d", "--max-replications", "10"],
    );
    assert!(
        html.contains(
            "<li><b>Precision: the target ±0.01 days was not met</b> after 10 replications (95% \
             CI half-width of mean clearance "
        ) && html.contains("raise --max-replications"),
        "{html}"
    );
    assert!(
        html.contains("The number of replications, 10, was chosen by <code>--precision</code>"),
        "{html}"
    );
    let html = report("met", &["--precision", "50d", "--max-replications", "40"]);
    assert!(
        html.contains("<li><b>Precision: the target ±50 days was met</b> after "),
        "{html}"
    );
    let html = report("none", &["--replications", "5"]);
    assert!(!html.contains("Precision"), "{html}");
}

/// `sweep --out` and `sensitivity --out` record how they were made, as `run --out` does:
/// `provenance.json` (command, version, scenario name, file and fingerprint — the one a run's
/// run.json records —, seed, replications, the --set overrides, the factors) and the scenario
/// as run (`scenario.toml`, after --set, with seed and replications); their tables and charts
/// name the --set values, and `sensitivity --json` has `overrides`. Nothing had said how such
/// a directory was made, or that --set had changed the scenario.
#[test]
fn sweep_and_sensitivity_record_how_they_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let f = "scenarios/baseline.toml";
    let set = "backlog.people=3000";
    let vary = "port[El Paso].quota_per_day=200,300";
    let common = [
        "--set",
        set,
        "--replications",
        "3",
        "--seed",
        "7",
        "--quiet",
    ];
    let run_dir = dir.path().join("run");
    clearance()
        .args(["run", f])
        .args(common)
        .arg("--out")
        .arg(&run_dir)
        .assert()
        .success();
    let run_meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run_dir.join("run.json")).unwrap()).unwrap();
    for cmd in ["sweep", "sensitivity"] {
        let out = dir.path().join(cmd);
        let table = String::from_utf8(
            clearance()
                .args([cmd, f, "--vary", vary])
                .args(common)
                .arg("--out")
                .arg(&out)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap();
        assert!(
            table
                .lines()
                .next()
                .unwrap()
                .contains(" · with --set backlog.people=3000"),
            "{cmd}: {table}"
        );
        let p: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("provenance.json")).unwrap())
                .unwrap();
        assert_eq!(p["command"], cmd, "{p}");
        assert_eq!(p["clearance_version"], env!("CARGO_PKG_VERSION"), "{p}");
        assert_eq!(p["scenario"]["file"], f, "{p}");
        assert_eq!(
            p["scenario"]["name"], "MPP wind-down, phase 1 as announced (Feb 2021)",
            "{p}"
        );
        assert_eq!(p["scenario"]["fingerprint"], run_meta["fingerprint"], "{p}");
        assert_eq!(p["seed"], 7, "{p}");
        assert_eq!(p["replications"], 3, "{p}");
        assert_eq!(p["overrides"], serde_json::json!([set]), "{p}");
        assert_eq!(
            p["factors"],
            serde_json::json!([{
                "path": "port[El Paso].quota_per_day",
                "values": ["200", "300"],
                "origin": "--vary"
            }]),
            "{p}"
        );
        // The scenario as run: the run's own copy, seed and replications included.
        assert_eq!(
            std::fs::read_to_string(out.join("scenario.toml")).unwrap(),
            std::fs::read_to_string(run_dir.join("scenario.toml")).unwrap(),
            "{cmd}"
        );
        let svg = ["sweep.svg", "tornado.svg"]
            .iter()
            .find_map(|c| std::fs::read_to_string(out.join(c)).ok())
            .unwrap();
        assert!(svg.contains("with --set backlog.people=3000"), "{cmd}");
    }
    let json = |extra: &[&str]| -> serde_json::Value {
        serde_json::from_str(&stdout_of(
            &[
                &[
                    "sensitivity",
                    f,
                    "--vary",
                    vary,
                    "--replications",
                    "3",
                    "--json",
                ][..],
                extra,
            ]
            .concat(),
        ))
        .unwrap()
    };
    assert_eq!(json(&["--set", set])["overrides"], serde_json::json!([set]));
    assert_eq!(json(&[])["overrides"], serde_json::json!([]));
}

/// `target` over one value (`--min` = `--max`) says whether the goal is met at that value, the
/// one searched, and what a search needs; it had said "met at both --min 3 and --max 3, so over
/// the whole range if it stays met between them; the KPI is the same at both ends".
#[test]
fn target_over_one_value_says_what_it_found_there() {
    for (goal, met, code) in [
        ("p90(clearance_days) <= 100000", "met", 0),
        ("p90(clearance_days) <= 0.001", "not met", 3),
    ] {
        let out = clearance()
            .args([
                "target",
                "tests/scenarios/minimal.toml",
                "--vary",
                "screening.servers",
                "--goal",
                goal,
                "--min",
                "3",
                "--max",
                "3",
                "--replications",
                "5",
                "-q",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{goal}: {text}");
        assert!(
            text.starts_with(&format!(
                "{goal} is {met} at screening.servers = 3, the one value searched (--min and \
                 --max are both 3)\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(
                "  one value was run: give --min below --max to search screening.servers for \
                 the value that meets the goal\n"
            ),
            "{text}"
        );
        if met == "not met" {
            // The capacities alone rule it out at that value.
            assert!(
                text.contains("  why: at that value the capacities alone"),
                "{text}"
            );
            assert!(text.contains(": it cannot meet it ("), "{text}");
        }
        for meaningless in ["both ends", "between", "both --min"] {
            assert!(!text.contains(meaningless), "{meaningless}: {text}");
        }
    }
}

/// `sweep --json` dates each point's clearance and milestone figures, as `sweep_long.csv`'s
/// `date` column and a run's `summary.json` (`clearance_dates`) do: a pipeline reading the JSON
/// had only days since the start, and had to find the scenario's start date to date them.
#[test]
fn sweep_json_dates_each_points_clearance_and_milestones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let text = stdout_of(&[
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "health.isolation=5d,10d",
        "--replications",
        "3",
        "--seed",
        "7",
        "--quiet",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{v}");
    let long = std::fs::read_to_string(out.join("sweep_long.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(long.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (pc, kc, sc, dc) = (col("point"), col("kpi"), col("statistic"), col("date"));
    let long_rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["start_date"], "2021-02-19", "{p}");
        let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        let dates = &p["dates"];
        // The median's date is the day that holds the start plus the median.
        let p50 = p["clearance_days"]["p50"].as_f64().unwrap();
        let day = start + chrono::Days::new(p50.floor() as u64);
        assert_eq!(
            dates["clearance_days"]["p50"],
            day.format("%Y-%m-%d").to_string(),
            "{p}"
        );
        // A milestone is dated where some replication reached it (the baseline's 50%, not
        // its 99%).
        assert!(dates["t50_days"]["p50"].is_string(), "{p}");
        assert!(
            p["t99_days"].is_null() && dates.get("t99_days").is_none(),
            "{p}"
        );
        for k in ["t50_days", "t90_days", "t99_days"] {
            assert_eq!(p[k].is_object(), dates.get(k).is_some(), "{k} {p}");
        }
        // No date for a length of time, a count, or a KPI that is not a time since the start.
        assert!(dates["clearance_days"].get("sd").is_none(), "{p}");
        assert!(dates["clearance_days"].get("n").is_none(), "{p}");
        assert!(dates.get("port_wait_days").is_none(), "{p}");
        // Every date is sweep_long.csv's, and sweep_long.csv dates nothing the JSON does not.
        let mut in_long = 0;
        for r in long_rows.iter().filter(|r| r[pc] == i.to_string()) {
            if r[dc].is_empty() {
                assert!(dates[&r[kc]].get(&r[sc]).is_none(), "{r:?}");
            } else {
                assert_eq!(dates[&r[kc]][&r[sc]], r[dc], "{r:?}");
                in_long += 1;
            }
        }
        let in_json: usize = dates
            .as_object()
            .unwrap()
            .values()
            .map(|d| d.as_object().unwrap().len())
            .sum();
        assert_eq!(in_json, in_long, "{p}");
    }
    // A run of the first point's scenario (the same seeds) dates its median as the sweep does.
    let run = dir.path().join("run");
    stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "health.isolation=5d",
        "--replications",
        "3",
        "--seed",
        "7",
        "-q",
        "--no-charts",
        "--out",
        run.to_str().unwrap(),
    ]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["clearance_dates"]["p50"], points[0]["dates"]["clearance_days"]["p50"],
        "{summary}"
    );
}

/// `sweep --json` says how the sweep was made, as provenance.json does (the tool's version, the
/// scenario's name, file and fingerprint, seed, replications, the --set overrides and the
/// factors), with the points under `points`, each as the bare array had held it; it had printed
/// the points alone, so that JSON piped elsewhere lost how it was made.
#[test]
fn sweep_json_says_how_the_sweep_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let args = [
        "sweep",
        "scenarios/baseline.toml",
        "--vary",
        "health.isolation=5d,10d",
        "--set",
        "screening.servers=30",
        "--replications",
        "3",
        "--seed",
        "7",
        "--quiet",
        "--json",
    ];
    let text = stdout_of(&args);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // clearance_version first, as in summary.json.
    assert!(
        text.starts_with(&format!(
            "{{\n  \"clearance_version\": \"{}\",",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    assert_eq!(v["scenario"]["file"], "scenarios/baseline.toml", "{v}");
    assert_eq!(
        v["scenario"]["name"], "MPP wind-down, phase 1 as announced (Feb 2021)",
        "{v}"
    );
    assert_eq!(v["seed"], 7, "{v}");
    assert_eq!(v["replications"], 3, "{v}");
    assert_eq!(
        v["overrides"],
        serde_json::json!(["screening.servers=30"]),
        "{v}"
    );
    // The points: one object per point, its values under "point", then its figures.
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{v}");
    for (p, iso) in points.iter().zip(["5d", "10d"]) {
        assert_eq!(p["point"], serde_json::json!({ "health.isolation": iso }));
        assert_eq!(p["replications"], 3);
        assert!(p["clearance_days"]["p50"].as_f64().unwrap() > 0.0, "{p}");
    }
    // The same record as provenance.json, but for the command's name; with --out the JSON is
    // printed as without it.
    let mut with_out = args.to_vec();
    with_out.extend(["--out", out.to_str().unwrap()]);
    assert_eq!(stdout_of(&with_out), text);
    let mut p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("provenance.json")).unwrap())
            .unwrap();
    assert_eq!(p["command"], "sweep");
    p.as_object_mut().unwrap().remove("command");
    let mut head = v.clone();
    head.as_object_mut().unwrap().remove("points");
    assert_eq!(head, p);
    // The fingerprint is a run's of the same scenario and --set.
    let run = dir.path().join("run");
    stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--set",
        "screening.servers=30",
        "--replications",
        "1",
        "-q",
        "--no-charts",
        "--out",
        run.to_str().unwrap(),
    ]);
    let run_meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("run.json")).unwrap()).unwrap();
    assert_eq!(v["scenario"]["fingerprint"], run_meta["fingerprint"]);
}

/// Every command accepts `-q`/`--quiet`, so that a script can pass it to each (`explain -q` had
/// been refused as an unexpected argument): `chart` and `report` then print nothing on success
/// and still write their files; `explain` and `validate`, which have nothing to silence, print
/// exactly what they print without it.
#[test]
fn every_command_accepts_quiet() {
    let help = stdout_of(&["--help"]);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    for c in &commands {
        let h = stdout_of(&[c, "--help"]);
        assert!(h.contains("-q, --quiet"), "{c} --help lacks -q:\n{h}");
    }
    let s = "scenarios/baseline.toml";
    for args in [
        vec!["explain", s],
        vec!["explain", s, "--json"],
        vec!["validate", s, "tests/scenarios/minimal.toml"],
    ] {
        let plain = stdout_of(&args);
        assert!(!plain.is_empty());
        for q in ["-q", "--quiet"] {
            let mut with = args.clone();
            with.push(q);
            assert_eq!(stdout_of(&with), plain, "{with:?}");
        }
    }
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("run");
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--replications", "3"])
        .args(["-q", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let dir = out.to_str().unwrap();
    let drawn = clearance().args(["chart", dir]).output().unwrap();
    assert!(drawn.stdout.is_empty(), "{drawn:?}");
    assert!(
        String::from_utf8_lossy(&drawn.stderr).starts_with("wrote "),
        "{drawn:?}"
    );
    std::fs::remove_file(out.join("fan.png")).unwrap();
    assert_eq!(stdout_of(&["chart", dir, "-q"]), "");
    assert!(out.join("fan.png").is_file());
    assert_eq!(stdout_of(&["report", dir, "--quiet"]), "");
    assert!(out.join("report.html").is_file());
    // Errors are printed all the same.
    let err = clearance()
        .args(["report", "-q"])
        .arg(d.path().join("none"))
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).starts_with("error: "));
}

/// summary.json and `run --json` say which version of clearance made them (the version
/// `clearance --version` prints), as the field first in the file; a saved run written before
/// the field existed is still redrawn and reported on.
#[test]
fn the_summary_names_the_version_that_made_it() {
    let version = stdout_of(&["--version"]);
    let version = version.trim().strip_prefix("clearance ").unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let m = "tests/scenarios/minimal.toml";
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        m,
        "-q",
        "--replications",
        "3",
        "--json",
    ]))
    .unwrap();
    assert_eq!(json["clearance_version"], version);
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("run");
    let dir = out.to_str().unwrap();
    stdout_of(&["run", m, "-q", "--replications", "3", "--out", dir]);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(
        text.starts_with(&format!("{{\n  \"clearance_version\": \"{version}\",\n")),
        "{text}"
    );
    // As an earlier version wrote it: without the field.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut()
        .unwrap()
        .remove("clearance_version")
        .unwrap();
    let old = serde_json::to_string_pretty(&v).unwrap() + "\n";
    std::fs::write(out.join("summary.json"), &old).unwrap();
    std::fs::remove_file(out.join("fan.png")).unwrap();
    stdout_of(&["chart", dir, "-q"]);
    assert!(out.join("fan.png").is_file());
    stdout_of(&["report", dir, "-q"]);
    assert!(out.join("report.html").is_file());
    // The saved run's summary is read, not rewritten.
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        old
    );
}

/// The "What binds" section of a run's table, its wrapped lines joined.
fn what_binds(args: &[&str]) -> String {
    let out = stdout_of(args).replace("\n    ", " ");
    out.split("What binds")
        .nth(1)
        .unwrap_or_else(|| panic!("no What binds: {out}"))
        .to_string()
}

/// Everyone registers at t = 0 and waits for the port to open at 08:00: registration does not
/// bind (it had read "100 people still to register (expected)", registration 100% and
/// "earlier registration would bring the date forward"); and a count of one reads "1 person".
#[test]
fn what_binds_names_no_registration_once_everyone_registered_and_says_one_person() {
    let binds = what_binds(&[
        "run",
        "tests/scenarios/minimal.toml",
        "--set",
        "port[San Ysidro].quota_per_day=1000",
        "--set",
        r#"port[San Ysidro].hours=["08:00","18:00"]"#,
        "--replications",
        "5",
        "--quiet",
    ]);
    for no in [
        "registration  ",
        "still to register",
        "earlier registration",
    ] {
        assert!(!binds.contains(no), "{no}: {binds}");
    }
    assert!(
        binds.contains("share of the clearance time: port San Ysidro 100%"),
        "{binds}"
    );
    assert!(
        binds.contains("wait there for a departure or for it to open"),
        "{binds}"
    );
    // One person stuck in front of a port with no quota.
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("one.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"one\"\nhorizon = \"20d\"\nreplications = 2\n[backlog]\npeople = 1\n\
         [[origin]]\nname = \"A\"\n[[port]]\nname = \"P\"\nquota_per_day = 0\n[[route]]\n\
         from = \"A\"\nto = \"P\"\n",
    )
    .unwrap();
    let binds = what_binds(&["run", file.to_str().unwrap(), "--quiet"]);
    assert!(binds.contains("      1 person waiting in front"), "{binds}");
    assert!(!binds.contains("1 people"), "{binds}");
}

/// The run explains why `explain` names another stage only when it does: "ports" and the
/// only port in use are one stage (one port; or one that only buses carrying nobody lead
/// to besides, which `explain` and `validate` say).
#[test]
fn the_run_names_the_only_port_in_use_as_explain_names_the_ports() {
    let binds = what_binds(&[
        "run",
        "tests/scenarios/minimal.toml",
        "--replications",
        "5",
        "-q",
    ]);
    assert!(
        binds.contains("the date is set by what binds at the end, port San Ysidro"),
        "{binds}"
    );
    assert!(!binds.contains("`clearance explain` names"), "{binds}");
    assert!(binds.contains("measures by how much).\n"), "{binds}");
    // Origin A's buses to P1 beside its continuous route to P2 carry nobody.
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("beside.toml");
    std::fs::write(
        &file,
        r#"[scenario]
name = "beside"
horizon = "100d"
replications = 5
[backlog]
people = 500
[[origin]]
name = "A"
share = 0.5
[[origin]]
name = "B"
share = 0.5
[registration]
delay = { dist = "uniform", min = "0d", max = "10d" }
[dispatch]
choose_port = "shortest_queue"
[[route]]
from = "A"
to = "P1"
departures = ["09:00", "13:00"]
seats = 15
[[route]]
from = "A"
to = "P2"
[[route]]
from = "B"
to = "P2"
[[port]]
name = "P1"
quota_per_day = 17
[[port]]
name = "P2"
quota_per_day = 23
"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let binds = what_binds(&["run", f, "-q"]);
    assert!(
        binds.contains("the date is set by what binds at the end, port P2"),
        "{binds}"
    );
    assert!(!binds.contains("`clearance explain` names"), "{binds}");
    let explain = stdout_of(&["explain", f]);
    assert!(
        explain.contains("route[2]: origin \"A\": its continuous route A->P2 takes every group"),
        "{explain}"
    );
    let row = |name: &str| {
        explain
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {explain}"))
            .to_string()
    };
    assert!(row("port P1").ends_with("not used"), "{explain}");
    assert!(row("transport → P1").ends_with("not used"), "{explain}");
    // The ports' total is P2's 23 a day, not P1's 17 more.
    assert!(
        row("ports").split_whitespace().nth(1) == Some("23"),
        "{explain}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", f, "--json"])).unwrap();
    let p1 = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "port P1")
        .unwrap();
    assert_eq!(
        (&p1["people"], &p1["finish"]),
        (&"unused".into(), &"unused".into())
    );
}

/// `validate` on a file that can never clear still exits 0 (its problems are warnings), but
/// its first line does not say "ok": it says that no run can clear, counts the warnings and
/// says why; a file with warnings that can clear has them counted on its "ok" line, one
/// without warnings is "ok" alone.
#[test]
fn validate_says_when_a_valid_file_can_never_clear() {
    let d = tempfile::tempdir().unwrap();
    let file = |name: &str, port: &str| {
        let p = d.path().join(name);
        std::fs::write(
            &p,
            format!(
                "[scenario]\nname = \"x\"\nhorizon = \"100d\"\n[backlog]\npeople = 100\n\
                 group_size = 3\n[[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
                 [[port]]\nname = \"P\"\n{port}"
            ),
        )
        .unwrap();
        p.display().to_string()
    };
    for (name, port, why) in [
        (
            "q0.toml",
            "quota_per_day = 0\n",
            "nobody can ever be processed",
        ),
        ("s0.toml", "servers = 0\n", "nobody can ever be processed"),
        ("d0.toml", "days = []\n", "nobody can ever be processed"),
        (
            "g3.toml",
            "quota_per_day = 2\n",
            "the largest groups from origin A can never be processed",
        ),
    ] {
        let f = file(name, port);
        let out = stdout_of(&["validate", &f]);
        let first = out.lines().next().unwrap();
        assert!(
            first.starts_with(&format!("valid, but no run can clear: {f} (x), with "))
                && first.ends_with(&format!(": {why} (see below)")),
            "{out}"
        );
        assert!(!out.contains("ok:"), "{out}");
    }
    // The planner's case: the baseline with no screening servers; its exit code stays 0.
    // Its attrition lets a run end by drop-outs alone (with a hazard of 0.05 a day, every
    // run cleared so, processing nobody), which the line says; without attrition it cannot.
    let out = clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "screening.servers=0",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines().next().unwrap(),
        "valid, but no run can clear (a run ends only at the horizon, or once everyone left has \
         dropped out): scenarios/baseline.toml (MPP wind-down, phase 1 as announced (Feb 2021)), \
         with 2 warnings: nobody can ever be processed (see below)",
        "{out}"
    );
    assert!(
        out.contains(
            "a run ends only once everyone has dropped out (attrition), or at the horizon"
        ),
        "{out}"
    );
    let out = stdout_of(&[
        "validate",
        "scenarios/baseline.toml",
        "--set",
        "screening.servers=0",
        "--set",
        "attrition.hazard_per_day=0",
    ]);
    assert!(
        out.starts_with("valid, but no run can clear: scenarios/baseline.toml (")
            && out.contains("nobody can ever be processed: the run can only stop at the horizon"),
        "{out}"
    );
    // With --deny-warnings it fails, as before.
    clearance()
        .args([
            "validate",
            "scenarios/baseline.toml",
            "--set",
            "screening.servers=0",
            "--deny-warnings",
        ])
        .assert()
        .code(2);
    let f = file("ok.toml", "quota_per_day = 20\n");
    assert_eq!(stdout_of(&["validate", &f]), format!("ok: {f} (x)\n"));
    let f = file(
        "w.toml",
        "quota_per_day = 20\nramp = { from = 30, over = \"5d\" }\n",
    );
    let out = stdout_of(&["validate", &f]);
    assert!(
        out.starts_with(&format!("ok: {f} (x), with 1 warning\n")),
        "{out}"
    );
    // A quota ramped down to 0 at the origin's only port: runs clear only if the ramp's days
    // take everyone (it had read "ok").
    let f = file(
        "r0.toml",
        "quota_per_day = 0\nramp = { from = 30, over = \"5d\" }\n",
    );
    let out = stdout_of(&["validate", &f]);
    assert!(
        out.starts_with(&format!(
            "valid, but runs may not clear: {f} (x), with 1 warning: port P takes nobody from \
             5 days after it opens, and origin A has no other port (see below)\n"
        )),
        "{out}"
    );
    // Every origin that can never be processed is named, not the first alone.
    let out = stdout_of(&[
        "validate",
        "scenarios/baseline.toml",
        "--set",
        "route[1].seats=0",
        "--set",
        "route[2].seats=0",
    ]);
    assert!(
        out.lines().next().unwrap().ends_with(
            "nobody from origins Ciudad Juarez and Tijuana can ever be processed (see below)"
        ),
        "{out}"
    );
    // explain agrees: the port that can never serve the largest groups is not reached.
    let out = stdout_of(&["explain", &file("g3.toml", "quota_per_day = 2\n")]);
    let row = out.lines().find(|l| l.contains("port P ")).unwrap();
    assert!(row.ends_with("not reached"), "{out}");
}

/// A scenario of `ports` ports, one route to each from one origin, the people spread by the
/// shortest queue; the ports from `closed_from` on open after the 30-day horizon (they process
/// nobody), and those from `no_servers_from` on have no servers.
fn many_ports_scenario(ports: usize, closed_from: usize, no_servers_from: usize) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"many ports\"\nstart_date = \"2021-02-19\"\nreplications = 2\n\
         horizon = \"30d\"\n\n[backlog]\npeople = 2000\n\n[[origin]]\nname = \"O\"\n\n\
         [dispatch]\nchoose_port = \"shortest_queue\"\n",
    );
    for p in 0..ports {
        text.push_str(&format!("\n[[route]]\nfrom = \"O\"\nto = \"P{p}\"\n"));
    }
    for p in 0..ports {
        let opens = if p >= closed_from {
            "opens = \"100d\"\n"
        } else {
            ""
        };
        let servers = if p >= no_servers_from {
            "servers = 0\n"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n[[port]]\nname = \"P{p}\"\nquota_per_day = {}\n{opens}{servers}",
            40 + 5 * p
        ));
    }
    text
}

/// The rows of the run table's ports, by name, in the order printed.
fn port_rows(out: &str) -> Vec<String> {
    out.lines()
        .skip_while(|l| !l.starts_with("Ports"))
        .skip(1)
        .take_while(|l| l.starts_with("  P"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// Beyond 12 ports the run's table and the report give the rows of the 12 that processed the
/// most, most first (as the ports chart's panels), and of the ports "What binds" names (here
/// those that processed nobody, named in its note), then a line on the others and on where
/// every port's figures are: a scenario of 1,000 ports had printed 1,000 rows, and the report
/// 3,000. With 12 ports the table is as it was, every port in scenario order.
#[test]
fn the_tables_of_many_ports_give_the_busiest_and_the_named_and_count_the_others() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("many.toml");
    std::fs::write(&scn, many_ports_scenario(30, 20, 30)).unwrap();
    let o = d.path().join("out");
    let args = |out: bool| {
        let mut a = vec![
            "run".to_string(),
            scn.display().to_string(),
            "--quiet".into(),
            "--threads".into(),
            "1".into(),
        ];
        if out {
            a.extend(["--out", o.to_str().unwrap(), "--no-charts", "--report"].map(String::from));
        }
        a
    };
    let with_out = stdout_of(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    let rows = port_rows(&with_out);
    // The busiest 12 by the means of summary.json, most first (ties in scenario order).
    let sum: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(o.join("summary.json")).unwrap()).unwrap();
    let ports = sum["ports"].as_array().unwrap();
    assert_eq!(ports.len(), 30);
    let mut busiest: Vec<(String, f64)> = ports
        .iter()
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            (name, p["processed"]["mean"].as_f64().unwrap())
        })
        .collect();
    busiest.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = busiest.iter().take(12).map(|(n, _)| n.clone()).collect();
    assert_eq!(rows[..12], top[..], "{with_out}");
    // P20–P22 have a sentence of the note, P23–P25 are its first names, and P29 binds (people
    // wait for it, the last port, which never opens): their rows stay.
    assert!(
        with_out.contains("port P29                      no capacity,"),
        "{with_out}"
    );
    let named: Vec<String> = [20, 21, 22, 23, 24, 25, 29]
        .iter()
        .map(|p| format!("P{p}"))
        .collect();
    assert_eq!(rows[12..], named[..], "{with_out}");
    let flat = with_out.split_whitespace().collect::<Vec<_>>().join(" ");
    let others: f64 = busiest.iter().skip(12).map(|(_, m)| m).sum();
    assert!(others > 0.0);
    // (summary.json and ports.csv, which the run wrote beside it)
    let line = format!(
        "(the 12 ports that processed the most, most first, and 7 that What binds names; the 11 \
         other ports processed {} people together, means over the replications; {} and {} have \
         every port's figures)",
        clearance::format::fmt_int(others),
        o.join("summary.json").display(),
        o.join("ports.csv").display()
    );
    assert!(flat.contains(&line), "{with_out}");
    assert!(o.join("ports.csv").is_file());
    // The note under "What binds" points to summary.json alone: the table has not every port.
    assert!(
        flat.contains("say why, and summary.json gives each port's figures)."),
        "{with_out}"
    );
    // Without --out, --json is where every port is.
    let bare = stdout_of(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    let flat = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("port's figures, as summary.json does with `--out DIR`)")
            && flat.contains("`--json` gives every"),
        "{bare}"
    );
    assert_eq!(port_rows(&bare).len(), 19, "{bare}");
    // The report: three rows a port for the same 19 ports, and a sentence on the others.
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    let t = &html[html.find("<h3>Ports</h3>").unwrap()..];
    let t = &t[..t.find("</table>").unwrap()];
    assert_eq!(t.matches(": processed [people]").count(), 19, "{t}");
    for p in rows.iter() {
        assert!(
            t.contains(&format!(">{p}: processed [people]<")),
            "{p}: {t}"
        );
    }
    assert!(
        html.contains(
            "<p>Rows: the 12 ports that processed the most, most first, and 7 that the report \
             names on what binds; the 11 other ports processed"
        ) && html.contains(
            "The full table is in summary.json beside this report (each port's people \
             processed, wait and utilization, under <code>ports</code>) and in ports.csv (a row \
             a port and figure), and a column a port in replications.csv."
        ),
        "{html}"
    );
    // `report DIR` of a run without ports.csv (written before clearance wrote one) names
    // summary.json alone.
    std::fs::remove_file(o.join("ports.csv")).unwrap();
    clearance().arg("report").arg(&o).assert().success();
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(
        html.contains("under <code>ports</code>), and a column a port in replications.csv.")
            && !html.contains("ports.csv"),
        "{html}"
    );
    // 12 ports: every row, in scenario order, and no line on others.
    std::fs::write(&scn, many_ports_scenario(12, 12, 12)).unwrap();
    let twelve = stdout_of(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    let all: Vec<String> = (0..12).map(|p| format!("P{p}")).collect();
    assert_eq!(port_rows(&twelve), all, "{twelve}");
    assert!(!twelve.contains("other ports processed"), "{twelve}");
}

/// Ports without capacity beyond four (closed by a disruption for the whole horizon, which
/// only the analysis of stages without capacity names): the run's table and stderr give the
/// first three a warning each and count the others in one, with their first names; the JSON
/// keeps every warning. A scenario with hundreds of closed ports had printed a warning a port,
/// twice.
#[test]
fn many_ports_without_capacity_are_counted_in_one_warning() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("closed.toml");
    let closed: Vec<String> = (5..30).map(|p| format!("\"P{p}\"")).collect();
    std::fs::write(
        &scn,
        format!(
            "{}\n[[disruption]]\nports = [{}]\nfrom = \"0d\"\nuntil = \"30d\"\ncapacity = 0\n",
            many_ports_scenario(30, 30, 30),
            closed.join(", ")
        ),
    )
    .unwrap();
    let out = clearance()
        .args(["run", scn.to_str().unwrap(), "--quiet", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    let counted = "warning: no capacity: 22 other ports as well (\"P8\", \"P9\", \"P10\" and 19 \
                   more; the JSON, `--json` or summary.json, lists every warning)";
    for text in [&stdout, &stderr] {
        for p in 5..8 {
            assert!(
                text.contains(&format!(
                    "warning: no capacity: port \"P{p}\": a disruption closes it for the whole \
                     horizon\n"
                )),
                "{text}"
            );
        }
        assert!(!text.contains("no capacity: port \"P8\""), "{text}");
        assert!(text.contains(counted), "{text}");
    }
    let json = stdout_of(&["run", scn.to_str().unwrap(), "--json", "--threads", "1"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    for p in 5..30 {
        let w = format!("no capacity: port \"P{p}\": a disruption closes it for the whole horizon");
        assert!(warnings.contains(&w.as_str()), "{w}: {warnings:?}");
    }
    assert!(!warnings.iter().any(|w| w.contains("other ports as well")));
}

/// Ports with `servers = 0` beyond twenty: each is warned of once, by validation at its key
/// (not also as "no capacity: port …"), and the run's table and stderr fold those beyond the
/// first twenty into one line, as they fold the scenario's other warnings; the JSON keeps one
/// warning a port. (A scenario of 1,000 such ports had printed two warnings a port.)
#[test]
fn many_ports_with_no_servers_are_warned_of_once_each_and_folded() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("closed.toml");
    std::fs::write(&scn, many_ports_scenario(30, 30, 5)).unwrap();
    let out = clearance()
        .args(["run", scn.to_str().unwrap(), "--quiet", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    // stderr: the warnings, then (the runs reached the horizon) the stages without capacity
    let (warned, listed) = stderr
        .split_once("reached the horizon without clearing; stages with no capacity:")
        .unwrap_or_else(|| panic!("{stderr}"));
    for text in [stdout.as_str(), warned, listed] {
        assert!(!text.contains("no capacity: port"), "{text}");
        for p in 5..25 {
            let said = format!("port[P{p}].servers: port P{p} has servers = 0: no capacity at all");
            assert_eq!(text.matches(&said).count(), 1, "{said}: {text}");
        }
        assert!(!text.contains("port P25 has servers = 0"), "{text}");
        assert!(
            text.contains("… and 5 more warnings of the scenario (25 in all)"),
            "{text}"
        );
        assert!(text.matches("has servers = 0").count() == 20, "{text}");
    }
    let json = stdout_of(&["run", scn.to_str().unwrap(), "--json", "--threads", "1"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    for p in 5..30 {
        let named: Vec<&&str> = warnings
            .iter()
            .filter(|w| w.contains(&format!("P{p}\"")) || w.contains(&format!("P{p} ")))
            .collect();
        assert_eq!(named.len(), 1, "P{p}: {named:?}");
        assert!(named[0].contains("has servers = 0"), "{named:?}");
    }
}

/// A scenario of `ports` ports, each the only port of its own origin (equal shares), whose
/// quotas fall with the port's number (200 − 5 p a day), but port `slow`'s, 5 a day: it binds,
/// and the other ports finish the later the higher their number.
fn own_ports_scenario(ports: usize, slow: usize) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"own ports\"\nstart_date = \"2021-02-19\"\nreplications = 2\n\
         horizon = \"365d\"\n\n[backlog]\npeople = 30000\n",
    );
    for p in 0..ports {
        text.push_str(&format!(
            "\n[[origin]]\nname = \"O{p}\"\nshare = {}\n",
            1.0 / ports as f64
        ));
    }
    for p in 0..ports {
        text.push_str(&format!("\n[[route]]\nfrom = \"O{p}\"\nto = \"P{p}\"\n"));
    }
    for p in 0..ports {
        let quota = if p == slow { 5 } else { 200 - 5 * p };
        text.push_str(&format!(
            "\n[[port]]\nname = \"P{p}\"\nquota_per_day = {quota}\n"
        ));
    }
    text
}

/// The ports whose rows explain's table gives, by name, in the order printed (each port's
/// rows "transport → P" and "port P" in turn).
fn explain_port_rows(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.strip_prefix("  port "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// Beyond 12 ports explain's table gives the rows of the 12 ports that finish latest (the
/// binding port among them, always), in scenario order, then one line counting the others,
/// with the range of their capacities and finishes, and saying that `explain --json` gives
/// every row, which it does: a scenario of 1,000 ports had printed 2,000 rows.
#[test]
fn explain_of_many_ports_gives_the_ports_that_finish_latest_and_counts_the_others() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("own.toml");
    std::fs::write(&scn, own_ports_scenario(30, 7)).unwrap();
    let out = stdout_of(&["explain", scn.to_str().unwrap()]);
    // P7 binds (5 a day); then the ports of the smallest quotas finish latest: P19–P29.
    assert!(out.contains("Binding stage: port P7. "), "{out}");
    let mut want = vec!["P7".to_string()];
    want.extend((19..30).map(|p| format!("P{p}")));
    assert_eq!(explain_port_rows(&out), want, "{out}");
    for p in &want {
        assert!(out.contains(&format!("\n  transport → {p} ")), "{p}: {out}");
    }
    // 4 stage totals, 24 rows of ports and 4 lines counting the others, where there had been
    // 60 rows of ports.
    let rule = out.lines().position(|l| l.starts_with("----")).unwrap();
    let table: Vec<&str> = out
        .lines()
        .skip(rule + 1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(table.len(), 4 + 24 + 4, "{out}");
    assert_eq!(out.lines().count(), 42, "{out}");
    // The line's figures are those of the rows it leaves out, as the JSON gives them.
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", scn.to_str().unwrap(), "--json"])).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4 + 60);
    let left: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| {
            r["port"]
                .as_str()
                .is_some_and(|p| !want.iter().any(|w| w == p))
        })
        .collect();
    assert_eq!(left.len(), 36);
    let of = |stage: &str, field: &str| -> Vec<f64> {
        left.iter()
            .filter(|r| r["stage"] == stage && !r[field].is_null())
            .map(|r| r[field].as_f64().unwrap())
            .collect()
    };
    let caps = of("port", "mean_capacity_per_day");
    let days = of("port", "earliest_day");
    assert_eq!((caps.len(), days.len()), (18, 18));
    assert!(
        of("transport", "mean_capacity_per_day").is_empty(),
        "unlimited"
    );
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    assert_eq!((min(&caps), max(&caps)), (110.0, 200.0));
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = format!(
        "(the 12 ports that finish latest, then those of the lowest capacity, two rows each, in \
         scenario order; the 18 other ports (36 rows) are left out: mean capacity 110–200 \
         [ppl/day] at the port, unlimited toward it; finish: days {}–{} for 18; `clearance \
         explain --json` gives every row)",
        min(&days),
        max(&days)
    );
    assert!(flat.contains(&line), "{out}");
    // Each port left out finishes no later than every port given.
    let shown_days: Vec<f64> = rows
        .iter()
        .filter(|r| {
            r["stage"] == "port"
                && r["port"]
                    .as_str()
                    .is_some_and(|p| want.iter().any(|w| w == p))
        })
        .map(|r| r["earliest_day"].as_f64().unwrap())
        .collect();
    assert!(min(&shown_days) >= max(&days), "{shown_days:?} {days:?}");
    // 12 ports: every row, in scenario order, as before, and no line on others.
    std::fs::write(&scn, own_ports_scenario(12, 7)).unwrap();
    let twelve = stdout_of(&["explain", scn.to_str().unwrap()]);
    let all: Vec<String> = (0..12).map(|p| format!("P{p}")).collect();
    assert_eq!(explain_port_rows(&twelve), all, "{twelve}");
    assert!(!twelve.contains("other ports"), "{twelve}");
    assert_eq!(twelve.lines().count(), 39, "{twelve}");
}

/// Beyond 12 ports the notes written a port each (here a holding limit below the buses' seats)
/// are those of the ports the table gives rows to, and one note counts the others with their
/// first names; `explain --json` keeps every note. The same in the report: its "What limits
/// clearance" gives the rows explain's table does, and a sentence on the others.
#[test]
fn explain_and_the_report_fold_the_notes_and_rows_of_many_ports() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("hold.toml");
    let holding = |ports: usize| {
        let mut text = many_ports_scenario(ports, ports, ports);
        for p in 0..ports {
            text = text.replace(
                &format!("to = \"P{p}\"\n"),
                &format!("to = \"P{p}\"\ndepartures = [\"08:00\"]\nseats = 10\n"),
            );
            text = text.replace(
                &format!("name = \"P{p}\"\n"),
                &format!("name = \"P{p}\"\nholding = 5\n"),
            );
        }
        text
    };
    std::fs::write(&scn, holding(30)).unwrap();
    let out = stdout_of(&["explain", scn.to_str().unwrap()]);
    let shown = explain_port_rows(&out);
    assert_eq!(shown.len(), 12, "{out}");
    let notes: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("Note: ") && l.contains("holding limit (5 people"))
        .collect();
    assert_eq!(notes.len(), 12, "{out}");
    for (note, p) in notes.iter().zip(&shown) {
        assert!(
            note.starts_with(&format!("Note: Port {p}'s holding limit")),
            "{out}"
        );
    }
    let others: Vec<String> = (0..30)
        .map(|p| format!("P{p}"))
        .filter(|p| !shown.contains(p))
        .collect();
    let fold = format!(
        "Note: Also at 18 ports the table of capacities leaves out (ports {}, {}, {} and 15 \
         more), a holding limit below their buses' seats caps the transport rows toward them: \
         `clearance explain --json` gives each port's note.",
        others[0], others[1], others[2]
    );
    assert!(out.lines().any(|l| l == fold), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", scn.to_str().unwrap(), "--json"])).unwrap();
    let held = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n.as_str().unwrap().contains("holding limit (5 people"))
        .count();
    assert_eq!(held, 30);
    // The report: the same ports' rows (and any "What binds" names), the sentence, the notes.
    let o = d.path().join("out");
    clearance()
        .args([
            "run",
            scn.to_str().unwrap(),
            "--quiet",
            "--threads",
            "1",
            "--no-charts",
        ])
        .args(["--report", "--out", o.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    let t = &html[html.find("<h2>What limits clearance</h2>").unwrap()..];
    let t = &t[..t.find("</table>").unwrap()];
    let given: Vec<&str> = t
        .split("\u{2003}port ")
        .skip(1)
        .map(|r| &r[..r.find('<').unwrap()])
        .collect();
    assert!(given.len() >= 12 && given.len() < 30, "{t}");
    for p in &shown {
        assert!(given.contains(&p.as_str()), "{p}: {t}");
    }
    assert!(
        html.contains(
            "<p>Rows: the 12 ports that finish latest, then those of the lowest capacity"
        ) && html.contains(&format!(
            "the {} other ports ({} rows) are left out",
            30 - given.len(),
            2 * (30 - given.len())
        )) && html.contains("<code>clearance explain --json</code> gives every row"),
        "{html}"
    );
    let held = html.matches("holding limit (5 people").count();
    assert_eq!(held, given.len(), "{html}");
    assert_eq!(html.matches("Also at ").count(), 1, "{html}");
    // 12 ports: every note, no count.
    std::fs::write(&scn, holding(12)).unwrap();
    let out = stdout_of(&["explain", scn.to_str().unwrap()]);
    assert_eq!(out.matches("holding limit (5 people").count(), 12, "{out}");
    assert!(!out.contains("Also at "), "{out}");
}

/// Many ports that processed nobody get a sentence each for the first three and one sentence
/// counting the others, in the run's table and the report: a scenario with a port per crossing,
/// most of them unused, had printed a sentence a port.
#[test]
fn many_ports_that_processed_nobody_are_counted_in_one_sentence() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "[scenario]\nname = \"idle ports\"\nstart_date = \"2021-02-19\"\nreplications = 2\n\
         horizon = \"30d\"\n\n[backlog]\npeople = 2000\n\n[[origin]]\nname = \"O\"\n\n\
         [dispatch]\nchoose_port = \"shortest_queue\"\n",
    );
    for p in 0..10 {
        text.push_str(&format!("\n[[route]]\nfrom = \"O\"\nto = \"P{p}\"\n"));
    }
    for p in 0..10 {
        // P0 alone is open within the horizon.
        let opens = if p == 0 { "" } else { "opens = \"100d\"\n" };
        text.push_str(&format!(
            "\n[[port]]\nname = \"P{p}\"\nquota_per_day = 100\n{opens}"
        ));
    }
    let scn = d.path().join("idle.toml");
    std::fs::write(&scn, text).unwrap();
    let o = d.path().join("out");
    let out = stdout_of(&[
        "run",
        scn.to_str().unwrap(),
        "--quiet",
        "--threads",
        "1",
        "--out",
        o.to_str().unwrap(),
        "--no-charts",
        "--report",
    ]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in 1..=3 {
        assert!(
            flat.contains(&format!("Port P{p} processed nobody in any replication")),
            "{out}"
        );
    }
    assert!(!flat.contains("Port P4 processed nobody"), "{out}");
    let counted = "6 other ports that a route leads to processed nobody either (P4, P5, P6 \
                   and 3 more; the scenario's warnings may say why, and the ports table and \
                   summary.json give each port's figures).";
    assert!(flat.contains(counted), "{out}");
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(
        html.contains(&clearance::output::html_escape(counted)),
        "{html}"
    );
}

/// The run's advice names a port that a route leads to but that processed nobody, and why:
/// under choose_port = "first" the route listed before takes everyone.
#[test]
fn the_run_names_a_port_that_processed_nobody() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("first.toml");
    let text = std::fs::read_to_string("tests/scenarios/deterministic-42.toml")
        .unwrap()
        .replace(
            "choose_port = \"shortest_queue\"",
            "choose_port = \"first\"",
        );
    std::fs::write(&p, text).unwrap();
    let o = d.path().join("out");
    let out = stdout_of(&[
        "run",
        p.to_str().unwrap(),
        "--quiet",
        "--out",
        o.to_str().unwrap(),
        "--no-charts",
        "--report",
    ]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = "Port P2 processed nobody in any replication, although route A->P2 leads to it: \
                under dispatch.choose_port = \"first\" route A->P1, listed before, takes every \
                group the moment it is ready; choose_port = \"shortest_queue\"";
    assert!(flat.contains(said), "{out}");
    // The report's key answers say it too.
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(
        html.contains(&clearance::output::html_escape(said)),
        "{html}"
    );
    // explain agrees: P2 is not used, and P1 alone takes 83 days (300 a day), not 41.
    let out = stdout_of(&["explain", p.to_str().unwrap()]);
    let row = |name: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap()
    };
    assert!(row("port P2").ends_with("not used"), "{out}");
    assert!(row("port P1").ends_with("day 83 2021-03-25"), "{out}");
    assert!(
        out.contains("not expected before day 83") && out.contains("(A->P2 after A->P1)"),
        "{out}"
    );
    // Both ports used: nothing said.
    let out = stdout_of(&["run", "tests/scenarios/deterministic-42.toml", "--quiet"]);
    assert!(!out.contains("processed nobody"), "{out}");
}

/// Under appointment, buses that run only on days their port does not serve never carry
/// anyone: the run's advice says so, rather than that reopening the stage sooner would help.
#[test]
fn the_run_explains_buses_on_days_their_port_does_not_serve() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("appt.toml");
    std::fs::write(
        &p,
        "[scenario]\nname = \"a\"\nreplications = 3\nhorizon = \"60d\"\n[backlog]\npeople = 100\n\
         [[origin]]\nname = \"A\"\n[dispatch]\npolicy = \"appointment\"\n[[route]]\nfrom = \"A\"\n\
         to = \"P\"\ndepartures = [\"07:00\"]\ndays = [\"Sat\", \"Sun\"]\nseats = 100\n\
         [[port]]\nname = \"P\"\nquota_per_day = 100\n\
         days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]\n",
    )
    .unwrap();
    let out = stdout_of(&["run", p.to_str().unwrap(), "--quiet"]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("it never has capacity, as nothing closed it")
            && flat.contains("route A->P runs on Sat, Sun and port P serves on Mon–Fri"),
        "{out}"
    );
    assert!(!flat.contains("reopening it sooner"), "{out}");
}

/// A stage that never has capacity in the run (a quota of 0 without a ramp, seats = 0 on the
/// routes to a port) is not advised to be reopened sooner, as nothing closed it: the run and
/// the report advise giving it capacity, named by what the scenario sets to 0.
#[test]
fn a_stage_that_never_has_capacity_is_advised_capacity_not_reopening() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    let quota = base.replace(
        "quota_per_day = 100          # record §2 Brownsville",
        "quota_per_day = 0           # record §2 Brownsville",
    );
    let quota = quota.replace("ramp = { from = 25, over = \"10d\" }", "");
    assert_ne!(quota, base);
    let seats = base.replace("seats = 55", "seats = 0");
    assert_ne!(seats, base);
    for (name, text, want) in [
        (
            "quota",
            quota,
            "it never has capacity within the horizon (port \"Brownsville\": quota_per_day = \
             0): giving it capacity (a quota_per_day above 0) would bring the date forward",
        ),
        (
            "seats",
            seats,
            "it never has capacity within the horizon (route \"Ciudad Juarez->El Paso\": seats \
             = 0): giving it capacity (seats above 0) would bring the date forward",
        ),
    ] {
        let p = d.path().join(format!("{name}.toml"));
        std::fs::write(&p, text).unwrap();
        let out = d.path().join(name);
        let stdout = stdout_of(&[
            "run",
            p.to_str().unwrap(),
            "--replications",
            "5",
            "--out",
            out.to_str().unwrap(),
            "--report",
            "--quiet",
        ]);
        let flat = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(want), "{stdout}");
        assert!(!flat.contains("reopening it sooner"), "{stdout}");
        let report = std::fs::read_to_string(out.join("report.html")).unwrap();
        let report = report.replace("&quot;", "\"").replace("&gt;", ">");
        let report = report.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(report.contains(want), "{name}: report");
        assert!(!report.contains("reopening it sooner"), "{name}: report");
    }
}

/// Charts of a run with `--set` values name them in their subtitle (they had carried the
/// scenario's name alone, so a chart of a variant passed for the scenario as written), also
/// when `chart DIR` redraws them from the saved run.
#[test]
fn charts_name_the_set_values_of_their_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = out.display().to_string();
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "2",
            "--set",
            "health.isolation=\"5d\"",
            "--out",
            &o,
            "--quiet",
        ])
        .assert()
        .success();
    let check = || {
        for chart in [
            "fan",
            "clearance-distribution",
            "cumulative-processed",
            "ports",
            "queues",
            "bottleneck",
        ] {
            let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
            assert!(
                svg.contains("MPP wind-down, phase 1 as announced (Feb 2021) · with --set health.isolation=5d · 2 replications"),
                "{chart}"
            );
        }
    };
    check();
    std::fs::remove_file(out.join("fan.svg")).unwrap();
    clearance()
        .args(["chart", &o, "--quiet"])
        .assert()
        .success();
    check();
}

/// The run's table: the ports' means line up whatever the width of their P5–P95 (a three-digit
/// port's had sat a column right of the others), the clearance dates carry their year and a
/// month name ("07-05" could be the 7th of May), and a priority class that no group fell into
/// shows no clearance ("0.0 (0.0)" had read as clearing at once).
#[test]
fn the_run_table_aligns_ports_dates_and_empty_classes() {
    let text = stdout_of(&[
        "run",
        "scenarios/mpp-2021-record.toml",
        "--replications",
        "3",
        "--set",
        // (the calibrated registration tail runs to day 295, after phase 2 opens on day 124:
        // the reached people clear in April 2022)
        "scenario.horizon=\"730d\"",
        "--quiet",
    ]);
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Ports"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(section.len(), 6, "{text}");
    let ends: Vec<usize> = section
        .iter()
        .map(|l| l.find(" (").expect("a P5–P95 range"))
        .collect();
    assert!(ends.iter().all(|e| *e == ends[0]), "{text}");
    assert!(section.iter().any(|l| l.contains("  Laredo ")), "{text}");
    let date_row = line_of(&text, "clearance [date");
    assert!(date_row.contains("clearance [date, 2022]"), "{date_row}");
    assert!(
        ["Mar ", "Apr ", "May "]
            .iter()
            .any(|m| date_row.contains(m)),
        "{date_row}"
    );
    assert!(
        !date_row.contains("-0") && !date_row.contains("-1"),
        "{date_row}"
    );

    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("classes.toml");
    std::fs::write(
        &scn,
        "[scenario]\nname = \"classes\"\nreplications = 4\n[backlog]\npeople = 1000\n\
         [[class]]\nname = \"vulnerable\"\nshare = 0.0\n[[class]]\nname = \"general\"\n\
         share = 1.0\n[[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
         [[port]]\nname = \"P\"\nquota_per_day = 100\n",
    )
    .unwrap();
    let text = stdout_of(&["run", scn.to_str().unwrap(), "--quiet"]);
    let row = line_of(&text, "vulnerable");
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        [
            "vulnerable",
            "0%",
            "–",
            "–",
            "(no",
            "one",
            "in",
            "this",
            "class)"
        ],
        "{text}"
    );
    assert!(!row.contains("0.0"), "{row}");
}

/// A class whose people are not all resolved by the horizon has a lower bound for its
/// clearance: summary.json counts those replications per class (`censored`) and flags its
/// figures (`clearance_censored`), and the table marks them `≥` as the clearance row does. The
/// class table had printed "15.0 (15.0)" and summary.json had no per-class count.
#[test]
fn a_class_cut_by_the_horizon_is_marked_as_a_lower_bound() {
    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("classes.toml");
    // 100 people, 1 a day: the first class (20 people) clears on day ~21, the second not by 50.
    std::fs::write(
        &scn,
        "[scenario]\nname = \"classes\"\nreplications = 3\n[backlog]\npeople = 100\n\
         [[class]]\nname = \"vip\"\nshare = 0.2\n[[class]]\nname = \"rest\"\nshare = 0.8\n\
         [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
         [[port]]\nname = \"P\"\nquota_per_day = 1\n",
    )
    .unwrap();
    let run = |horizon: &str| {
        let out = dir.path().join(horizon);
        let h = format!("scenario.horizon=\"{horizon}\"");
        let text = stdout_of(&[
            "run",
            scn.to_str().unwrap(),
            "--set",
            &h,
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        (text, summary)
    };
    let words = |text: &str, name: &str| {
        let row = line_of(text, &format!("{name} "));
        row.split_whitespace().map(String::from).collect::<Vec<_>>()
    };
    // Every replication cut: both classes' figures are lower bounds.
    let (text, summary) = run("15d");
    assert_eq!(summary["censored"], 3);
    for (k, name) in ["vip", "rest"].iter().enumerate() {
        let c = &summary["classes"][k];
        assert_eq!(c["name"], *name);
        assert_eq!(c["censored"], 3, "{c}");
        assert_eq!(c["clearance_days"]["p50"], 15.0, "{c}");
        for f in ["mean", "p50", "p95", "max"] {
            assert_eq!(c["clearance_censored"][f], true, "{f}: {c}");
        }
        assert_eq!(&words(&text, name)[2..4], ["≥15.0", "(≥15.0)"], "{text}");
    }
    // The first class cleared in every replication: its figures are measured, the other's not.
    let (text, summary) = run("50d");
    let (vip, rest) = (&summary["classes"][0], &summary["classes"][1]);
    assert_eq!(vip["censored"], 0, "{vip}");
    assert_eq!(vip["clearance_censored"]["p50"], false, "{vip}");
    assert!(
        vip["clearance_days"]["p50"].as_f64().unwrap() < 50.0,
        "{vip}"
    );
    assert_eq!(rest["censored"], 3, "{rest}");
    assert_eq!(rest["clearance_censored"]["p50"], true, "{rest}");
    let v = words(&text, "vip");
    assert!(!v[2].starts_with('≥') && !v[3].contains('≥'), "{text}");
    assert_eq!(&words(&text, "rest")[2..4], ["≥50.0", "(≥50.0)"], "{text}");
}

/// A milestone no replication reaches shows "–" with the reason beside it in the report: the
/// baseline's t90 and t99, since about 11% of its people are never reached or drop out
/// (milestones are shares of everyone); in the table the note under the milestones says so. The
/// table's row gives the reason when the horizon stops every run first.
#[test]
fn a_milestone_no_run_reaches_says_why_beside_its_dash() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().display().to_string();
    let text = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "--out",
        &o,
        "--no-charts",
        "--report",
        "--quiet",
    ]);
    // In the table the note under the milestones gives the reason, once for both.
    for m in ["t90: 90% processed", "t99: 99% processed"] {
        let row = line_of(&text, m);
        assert!(
            row.trim_end().ends_with(" –") && !row.contains("no run"),
            "{row}"
        );
    }
    assert!(
        text.contains("(t90 and t99 out of reach: milestones are shares of all 25,000 people"),
        "{text}"
    );
    assert!(
        !line_of(&text, "t50: 50% processed").contains("no run"),
        "{text}"
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains(
            "<th scope=\"row\">t90: 90% processed</th><td colspan=\"8\" style=\"text-align:left\">– (no run reaches it: \
             see the note below)"
        ) && html.contains("t90 and t99 are out of reach: milestones are shares of all 25,000"),
        "{html}"
    );
    assert!(!html.contains("not available"), "{html}");
    let text = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "--set",
        "scenario.horizon=\"30d\"",
        "--quiet",
    ]);
    assert!(
        line_of(&text, "t50: 50% processed").ends_with("(no run reaches it before the horizon)"),
        "{text}"
    );
}

/// `clearance --help` (and `-h`) ends with the exit codes, each of the README's: a script's
/// author finds them without the README.
#[test]
fn help_lists_the_exit_codes() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let readme_codes = readme
        .split_once("\nExit codes: ")
        .expect("the README's exit codes")
        .1
        .split("\n\n")
        .next()
        .unwrap()
        .to_string();
    for flag in ["--help", "-h"] {
        let help = stdout_of(&[flag]);
        let codes = help
            .split_once("\nExit codes:\n")
            .unwrap_or_else(|| panic!("no exit codes in clearance {flag}:\n{help}"))
            .1;
        for (code, what) in [
            ("0", "success"),
            ("1", "a run failed"),
            ("2", "invalid arguments or an invalid scenario"),
            (
                "3",
                "`target` is sure that no value in range meets the goal, assuming that the goal,",
            ),
            (
                "4",
                "`target` found the goal met between --min and --max but at neither end: it is",
            ),
            ("130", "interrupted by Ctrl-C"),
            ("143", "stopped by SIGTERM"),
        ] {
            assert!(
                codes
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{code} ")) && l.contains(what)),
                "clearance {flag} lacks exit code {code} ({what}):\n{codes}"
            );
            assert!(
                readme_codes.starts_with(&format!("{code} "))
                    || readme_codes.contains(&format!("; {code} ")),
                "the README's exit codes lack {code}:\n{readme_codes}"
            );
        }
    }
}

/// Replications stopped by the horizon: the waits, utilizations and counts of people count only
/// what had finished by then. summary.json's `warnings` and the table say so (the rows marked †,
/// with a footnote), and an uncensored run says nothing of the kind; no figure changes.
#[test]
fn censored_runs_warn_that_the_other_kpis_count_only_what_finished() {
    let says = "describe only the groups that finished by the horizon";
    let cut = [
        "run",
        "scenarios/baseline.toml",
        "--set",
        "scenario.horizon=60d",
        "--replications",
        "3",
        "--quiet",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&cut[..], &["--json"]].concat())).unwrap();
    assert_eq!(v["censored"], 3);
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .filter(|w| w.contains(says))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", v["warnings"]);
    let w = warnings[0];
    assert!(
        w.starts_with("3 of 3 replications reached the horizon (60 days)"),
        "{w}"
    );
    assert!(
        w.contains("people still waiting") && w.contains("scenario.horizon"),
        "{w}"
    );
    let table = stdout_of(&cut);
    assert!(table.contains(&format!("  warning: {w}")), "{table}");
    for marked in ["  processed†", "  dropped out†", "Stages†", "Ports†"] {
        assert!(table.contains(marked), "{marked}\n{table}");
    }
    assert!(!table.contains("never reached†"), "{table}");
    assert!(
        table.contains("† only the groups that finished by the horizon: 3 of 3 runs"),
        "{table}"
    );
    // Not censored: no warning, no mark.
    let whole = [
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "-q",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&whole[..], &["--json"]].concat())).unwrap();
    assert_eq!(v["censored"], 0);
    assert!(
        !v["warnings"].to_string().contains(says),
        "{}",
        v["warnings"]
    );
    assert!(!stdout_of(&whole).contains('†'));
}

/// `compare` with only B cut off by its horizon warns that B − A of the other KPIs (processed
/// above all) reflects the cut-off, in the table and the JSON; without censoring it does not.
#[test]
fn compare_warns_when_a_side_is_cut_off_by_its_horizon() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    let short = base.replace("horizon = \"730d\"", "horizon = \"60d\"");
    assert_ne!(short, base);
    let b = d.path().join("short.toml");
    std::fs::write(&b, &short).unwrap();
    let args = [
        "compare",
        "scenarios/baseline.toml",
        b.to_str().unwrap(),
        "--replications",
        "4",
        "--quiet",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--json"]].concat())).unwrap();
    assert_eq!(
        (v["censored_a"].as_u64(), v["censored_b"].as_u64()),
        (Some(0), Some(4))
    );
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{v}");
    let w = w[0].as_str().unwrap();
    assert!(
        w.starts_with("4 of B's 4 replications reached the horizon"),
        "{w}"
    );
    assert!(
        w.contains("describe only the groups that finished by the horizon")
            && w.contains("reflects the cut-off")
            && w.contains("scenario.horizon"),
        "{w}"
    );
    let table = stdout_of(&args);
    assert!(table.contains(&format!("  ! {w}\n")), "{table}");
    // Both on the same horizon, neither cut off: nothing to warn of, and no key.
    let plain = [
        "compare",
        "scenarios/baseline.toml",
        "scenarios/fast-ramp.toml",
        "--replications",
        "4",
        "--quiet",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&plain[..], &["--json"]].concat())).unwrap();
    assert!(v.get("warnings").is_none(), "{v}");
    let table = stdout_of(&plain);
    assert!(!table.contains("finished by the horizon"), "{table}");
    // The table says what P(B clears sooner) is under common random numbers, beside the median
    // |B − A|, and that its many intervals may hold a chance miss.
    let p = table
        .lines()
        .position(|l| l.starts_with("P(B clears sooner than A) = "))
        .unwrap_or_else(|| panic!("{table}"));
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[p + 1].contains("median |B − A| of clearance"),
        "{table}"
    );
    assert!(
        lines[p + 2].contains("in the same circumstances"),
        "{table}"
    );
    assert!(
        table.contains("separate 95% CIs: about one in 20 may exclude"),
        "{table}"
    );
    // With independent streams the note on pairing is not given.
    let ind = stdout_of(&[&plain[..], &["--independent"]].concat());
    assert!(!ind.contains("in the same circumstances"), "{ind}");
}

/// With fewer than 20 runs the table names the first and last of them, not "the middle 90%"
/// (with one run it had read "the middle 90% of runs clear on 2021-07-14"); from 20 it gives
/// the middle 90%. Each table says its spread is over replications with the inputs fixed.
#[test]
fn few_runs_are_named_plainly_not_as_a_middle_90() {
    let table = |n: &str| stdout_of(&["run", "scenarios/baseline.toml", "--replications", n, "-q"]);
    let one = table("1");
    assert!(one.contains("    the one run clears on 2021-"), "{one}");
    assert!(!one.contains("middle 90% of runs"), "{one}");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "-q",
        "--json",
    ]))
    .unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
    let day = |x: &serde_json::Value| {
        (start + chrono::Duration::days(x.as_f64().unwrap().floor() as i64)).to_string()
    };
    let (first, last) = (
        day(&v["clearance_days"]["min"]),
        day(&v["clearance_days"]["max"]),
    );
    let three = table("3");
    let plain = if first == last {
        format!("    the 3 runs all clear on {first}")
    } else {
        format!("    the 3 runs clear between {first} and {last}")
    };
    assert!(three.contains(&plain), "{plain}\n{three}");
    assert!(!three.contains("middle 90% of runs"), "{three}");
    let twenty = table("20");
    assert!(
        twenty.contains("    the middle 90% of runs clear "),
        "{twenty}"
    );
    for t in [&one, &three, &twenty] {
        assert!(
            t.contains("(spread over replications with the scenario's inputs fixed; `clearance sensitivity`"),
            "{t}"
        );
    }
}

/// A run whose replication count `--precision` chose says so in its table's header; a run of
/// a count given does not.
#[test]
fn the_header_says_when_precision_chose_the_replications() {
    let table = stdout_of(&["run", "scenarios/baseline.toml", "--precision", "20d", "-q"]);
    let header = table.lines().nth(1).unwrap();
    assert!(
        header.contains(" replications (chosen by --precision ±20 days) · seed"),
        "{table}"
    );
    let given = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "3",
        "-q",
    ]);
    assert!(!given.contains("chosen by --precision"), "{given}");
}

/// `--variance-reduction` prints each ratio to three significant figures (it had read
/// "197715.9×") and how uncertain a ratio from so many pairs is.
#[test]
fn variance_reduction_ratios_read_to_three_figures_with_their_uncertainty() {
    let table = stdout_of(&[
        "compare",
        "scenarios/baseline.toml",
        "scenarios/fast-ramp.toml",
        "--replications",
        "10",
        "--variance-reduction",
        "-q",
    ]);
    let start = table
        .find("Variance reduction of common random numbers")
        .unwrap_or_else(|| panic!("{table}"));
    let mut ratios = 0;
    for line in table[start..].lines().skip(1) {
        let Some(ratio) = line.split_whitespace().nth(1).filter(|r| r.ends_with('×')) else {
            continue;
        };
        let digits: String = ratio.chars().filter(|c| c.is_ascii_digit()).collect();
        let figures = digits.trim_start_matches('0');
        let significant = if ratio.contains('.') {
            figures.len()
        } else {
            figures.trim_end_matches('0').len()
        };
        assert!(significant <= 3, "{line}");
        ratios += 1;
    }
    assert!(ratios > 5, "{table}");
    assert!(
        table.contains(
            "(each ratio, from 10 pairs, is uncertain by a factor of about 3.5 either way)"
        ),
        "{table}"
    );
}

/// `clearance` alone is a usage error (exit 2) whose first line is an example and which lists
/// the commands; `--help`, `help` and `--version` are as they were.
#[test]
fn no_arguments_print_a_short_usage_that_starts_with_an_example() {
    let out = clearance().assert().code(2).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("Example: clearance run scenarios/baseline.toml\n"),
        "{err}"
    );
    for c in ["run", "validate", "explain", "sweep", "merge"] {
        assert!(err.contains(&format!("\n  {c} ")), "{c}: {err}");
    }
    assert!(out.stdout.is_empty());
    let help = stdout_of(&["--help"]);
    assert!(
        help.contains("Exit codes:") && help.contains("sensitivity"),
        "{help}"
    );
    assert!(stdout_of(&["help"]).contains("Commands:"));
    assert!(stdout_of(&["--version"]).starts_with("clearance "));
}

/// What `clearance ARGS` run in `dir` printed on stderr, with its exit code.
fn stderr_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = clearance().current_dir(dir).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// A scenario path that names nothing is told what was likely meant, by every command: `\` for
/// a folder separator, the `.toml` that Windows hides, a file saved as `X.toml.txt`, an
/// extension mistyped (`X.tom`), and a path with spaces given without quotes.
#[cfg(unix)]
#[test]
fn missing_scenario_paths_are_told_the_likely_fix() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    std::fs::create_dir(d.path().join("My Scenarios")).unwrap();
    std::fs::write(d.path().join("My Scenarios/baseline copy.toml"), &base).unwrap();
    std::fs::write(d.path().join("baseline.toml"), &base).unwrap();
    std::fs::write(d.path().join("other.toml.txt"), &base).unwrap();
    let (code, err) = stderr_in(d.path(), &["validate", r"My Scenarios\baseline copy.toml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(
            "no such file; folders are separated by `/` here, not `\\` (a `\\` is part of a \
             name): write \"My Scenarios/baseline copy.toml\", which exists"
        ),
        "{err}"
    );
    for cmd in ["validate", "explain"] {
        let (code, err) = stderr_in(d.path(), &[cmd, "baseline"]);
        assert_eq!(code, Some(2), "{cmd}");
        assert!(
            err.contains("baseline: no such file; did you mean baseline.toml?"),
            "{err}"
        );
    }
    let (_, err) = stderr_in(d.path(), &["sweep", "baseline", "--vary", "seed=1,2"]);
    assert!(
        err.contains("baseline: no such file; did you mean baseline.toml?"),
        "{err}"
    );
    let (_, err) = stderr_in(d.path(), &["validate", "other.toml"]);
    assert!(err.contains("did you mean other.toml.txt?"), "{err}");
    // An extension mistyped, or of another kind, where the .toml exists.
    for typed in ["baseline.tom", "baseline.tmol", "baseline.txt"] {
        let (code, err) = stderr_in(d.path(), &["validate", typed]);
        assert_eq!(code, Some(2), "{typed}");
        assert!(
            err.contains(&format!(
                "{typed}: no such file; did you mean baseline.toml?"
            )),
            "{err}"
        );
    }
    // A path with spaces, unquoted: validate names three missing files, run refuses the
    // arguments; both are told to quote it.
    let hint = "hint: a path with spaces needs quotes: \"My Scenarios/baseline copy.toml\"";
    for cmd in ["validate", "run"] {
        let (code, err) = stderr_in(d.path(), &[cmd, "My", "Scenarios/baseline", "copy.toml"]);
        assert_eq!(code, Some(2), "{cmd}");
        assert!(err.contains(hint), "{cmd}: {err}");
    }
    // Not said when the paths are not one split path.
    let (_, err) = stderr_in(d.path(), &["validate", "My", "Other"]);
    assert!(!err.contains("hint:"), "{err}");
}

/// A port name with a space in a `--set` or `--vary`, unquoted, is split by the shell
/// (`port[Port` and `A].quota_per_day=200`): clap's "unexpected argument" had been all the
/// planner was told. Every command that takes a key path now says to quote it; a value that
/// closes its brackets gets no such hint.
#[test]
fn a_key_path_split_at_a_space_is_told_to_quote_it() {
    let quoted = |flag: &str, v: &str| {
        format!(
            "hint: a name with spaces needs quotes: {flag} '{v}' (the shell split it at the space)"
        )
    };
    let cases: [(&[&str], String); 5] = [
        (
            &[
                "run",
                "scenarios/baseline.toml",
                "--set",
                "port[San",
                "Ysidro].quota_per_day=200",
            ],
            quoted("--set", "port[San Ysidro].quota_per_day=200"),
        ),
        (
            &[
                "validate",
                "scenarios/baseline.toml",
                "--set=port[San",
                "Ysidro].servers=3",
            ],
            quoted("--set", "port[San Ysidro].servers=3"),
        ),
        (
            &[
                "sweep",
                "scenarios/baseline.toml",
                "--vary",
                "port[San",
                "Ysidro].servers=4,6",
            ],
            quoted("--vary", "port[San Ysidro].servers=4,6"),
        ),
        (
            &[
                "sensitivity",
                "scenarios/baseline.toml",
                "--vary",
                "port[A",
                "long",
                "name].servers=4,6",
            ],
            quoted("--vary", "port[A long name].servers=4,6"),
        ),
        (
            &[
                "target",
                "scenarios/baseline.toml",
                "--vary",
                "port[San",
                "Ysidro].servers",
                "--goal",
                "p90<=300",
            ],
            quoted("--vary", "port[San Ysidro].servers"),
        ),
    ];
    for (args, hint) in cases {
        let out = clearance().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&hint), "{args:?}: {err}");
    }
    // A key path that closes its brackets is not told to quote anything.
    let out = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--set",
            "port[San_Ysidro].servers=3",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("needs quotes"), "{err}");
}

/// An output path holding a `\` is written as asked (a legal name here) with a warning that
/// folders are separated by `/`; one without is not warned about.
#[cfg(unix)]
#[test]
fn an_output_path_with_a_backslash_is_warned_about() {
    let d = tempfile::tempdir().unwrap();
    let scn = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    let scn = scn.to_str().unwrap();
    let args = ["run", scn, "--replications", "2", "--quiet", "--no-charts"];
    let out = clearance()
        .current_dir(d.path())
        .args(args)
        .args(["--out", r"My Outputs\run 1", "--trace", r"t\trace.csv"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "warning: --out \"My Outputs\\run 1\" holds a `\\`, which here is part of a name, \
             not a folder separator: folders are separated by `/` (write \"My Outputs/run 1\""
        ),
        "{err}"
    );
    assert!(err.contains("warning: --trace \"t\\trace.csv\""), "{err}");
    assert!(d.path().join(r"My Outputs\run 1/summary.json").is_file());
    let out = clearance()
        .current_dir(d.path())
        .args(args)
        .args(["--out", "My Outputs/run 1"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!String::from_utf8(out.stderr)
        .unwrap()
        .contains("warning: --out"));
}

/// The median's line gives the interval in days as well as dates: at 8 and 64 replications
/// both read "2021-07-14 – 2021-07-15", and only the days show it narrowing (only `--json` had).
#[test]
fn the_median_line_gives_its_interval_in_days_that_narrow_with_replications() {
    let width = |n: &str| {
        let text = stdout_of(&[
            "run",
            "scenarios/baseline.toml",
            "--replications",
            n,
            "--quiet",
        ]);
        let line = line_of(&text, "→ median clearance").to_string();
        assert!(line.chars().count() <= 100, "{line}");
        let (_, rest) = line.split_once("; 95% CI ").expect(&line);
        let (days, _) = rest.split_once(" days").expect(&line);
        let (lo, hi) = days.split_once(" – ").expect(&line);
        assert!(line.contains("(day 14"), "{line}");
        hi.parse::<f64>().unwrap() - lo.parse::<f64>().unwrap()
    };
    assert!(width("64") < width("8"));
}

/// The lines under the median's, printed with `--quiet` too: its interval is the precision for
/// the scenario's inputs, not a forecast range, and when the registrations set the date (as
/// the report's "In short" decides it) they are named with the day `explain` expects them to
/// end (a table delay's last value: "120d" in the baseline, 90 when set so; far in the tail of
/// a continuous delay). Where another stage sets the date (no bound from registration, or an
/// inflow keeping a port full), the line says only that an input changed can move the date.
#[test]
fn the_priority_classes_table_says_what_days_to_processed_is() {
    // The class table's last column, "days to processed", had no unit, start or statistic.
    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("classes.toml");
    let text = std::fs::read_to_string("tests/scenarios/minimal.toml").unwrap()
        + "\n[[class]]\nname = \"vulnerable\"\nshare = 0.2\n\n[[class]]\nname = \"general\"\nshare = 0.8\n";
    std::fs::write(&scn, text).unwrap();
    let out = stdout_of(&[
        "run",
        scn.to_str().unwrap(),
        "--replications",
        "5",
        "--quiet",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Priority classes (served in this order)"))
        .unwrap_or_else(|| panic!("{out}"));
    // The header, a row per class, then the note.
    assert!(
        lines[at + 1].trim_start().starts_with("vulnerable"),
        "{out}"
    );
    assert!(lines[at + 2].trim_start().starts_with("general"), "{out}");
    let note: Vec<&str> = lines[at + 3..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim())
        .collect();
    assert_eq!(
        note.join(" "),
        "(days to processed: days from registering to the end of port service, each run's mean \
         over the class's processed groups, averaged over the runs)",
        "{out}"
    );
    for l in &lines[at + 3..at + 3 + note.len()] {
        assert!(l.chars().count() <= 100, "{l}");
    }
}

#[test]
fn the_expected_end_of_a_continuous_registration_delay_is_when_half_the_runs_have_registered() {
    // A run here clears when its last group registers, so the median clearance is when the
    // registrations end in half the runs. The table and the report had given explain's bound
    // (day 60, beaten by 1 run in 1000) as the day "the scenario expects them to end", and the
    // report that "clearance follows 25 days later", where it follows at once.
    let scn = "tests/scenarios/registration-tail.toml";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let out_s = out.to_str().unwrap();
    let text = stdout_of(&["run", scn, "--quiet", "--out", out_s, "--report"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = flat
        .find("which the scenario expects to end about day ")
        .unwrap_or_else(|| panic!("{text}"))
        + "which the scenario expects to end about day ".len();
    let day: f64 = flat[at..].split(' ').next().unwrap().parse().unwrap();
    assert!(
        flat[at..]
            .contains("in half the runs; `clearance explain`'s bound, day 60, is the earliest)"),
        "{text}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let p50 = summary["clearance_days"]["p50"].as_f64().unwrap();
    // By the end of that day (day + 1) about half the runs have cleared.
    assert!(
        (p50 - (day + 1.0)).abs() < 3.0,
        "day {day}, median {p50}\n{text}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let story = format!("The scenario expects registrations to end about {day} days in (");
    assert!(html.contains(&story), "{story}\n{html}");
    assert!(
        html.contains(&format!("clearance follows {:.0} days later", p50 - day)),
        "{html}"
    );
}

#[test]
fn the_median_line_says_its_interval_is_no_forecast_and_names_the_registrations() {
    let under_median = |sets: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "20",
            "--quiet",
        ];
        args.extend_from_slice(sets);
        let text = stdout_of(&args);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("→ median clearance"))
            .unwrap();
        // The median's line, the runs' spread, then the note (its lines start with "(" and
        // carry on indented one further).
        let note: Vec<&str> = lines[at + 2..]
            .iter()
            .take_while(|l| l.starts_with("    (") || l.starts_with("     "))
            .map(|l| l.trim())
            .collect();
        assert!(!note.is_empty(), "{text}");
        for l in &lines[at + 2..at + 2 + note.len()] {
            assert!(l.chars().count() <= 100, "{l}");
        }
        note.join(" ")
    };
    let base = under_median(&[]);
    assert!(
        base.starts_with(
            "(the CI is this median's precision for these inputs, not a forecast range"
        ),
        "{base}"
    );
    assert!(
        base.contains(
            "the date follows the registrations, which the scenario expects to end about day \
             120 (2021-06-19, `clearance explain`'s bound), and the health check after them \
             (What binds, below): try `clearance sensitivity` or --set)"
        ),
        "{base}"
    );
    let earlier = under_median(&[
        "--set",
        r#"registration.delay.values=["0.5d","1.5d","2.5d","7d","12d","30d","60d","90d"]"#,
    ]);
    assert!(
        earlier.contains("expects to end about day 90 (2021-05-20, "),
        "{earlier}"
    );
    // A continuous delay has no largest value that some group surely draws: explain's bound
    // (day 195) is the day 1 run in 1000 beats, so the day given is the one by which everyone
    // has registered in half the runs, with the bound as the earliest.
    let triangular = under_median(&[
        "--set",
        r#"registration.delay={dist="triangular",min="0d",mode="10d",max="200d"}"#,
    ]);
    assert!(
        triangular.contains(
            "the registrations, which the scenario expects to end about day 198 (2021-09-05, \
             in half the runs; `clearance explain`'s bound, day 195, is the earliest)"
        ),
        "{triangular}"
    );
    assert!(!triangular.contains("last registrations"), "{triangular}");
    // "What binds", after the health check, names the same day as the note.
    let binds = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "20",
        "--quiet",
        "--set",
        r#"registration.delay={dist="triangular",min="0d",mode="10d",max="200d"}"#,
    ]);
    let binds = binds.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        binds.contains("after the registrations, which end about day 198 (above)"),
        "{binds}"
    );
    // An inflow that keeps a port full sets the date, not the registrations explain's bound
    // names: the line names none, as the report's "In short" does not.
    let inflow = under_median(&[
        "--set",
        "inflow.rate_per_day=500",
        "--set",
        "inflow.until=150d",
    ]);
    assert!(
        inflow.contains(
            "not a forecast range: change an input (`clearance sensitivity`, --set) to see how \
             far the date moves)"
        ),
        "{inflow}"
    );
    assert!(!inflow.contains("registrations"), "{inflow}");
    // Everyone registered at once: registration sets no bound, and the line names none.
    let at_once = under_median(&["--set", "registration.delay=\"0.5d\""]);
    assert!(
        at_once.contains(
            "not a forecast range: change an input (`clearance sensitivity`, --set) to see how \
             far the date moves)"
        ),
        "{at_once}"
    );
    assert!(!at_once.contains("registrations"), "{at_once}");
}

/// `merge` prints the table `run` prints for the same experiment, the inputs its figures follow
/// included (it had dropped `registration.never`'s and the registrations' remarks); only the
/// events line (the shards' seconds added up) and merge's closing line differ.
#[test]
fn a_merged_run_prints_the_single_runs_table() {
    let d = tempfile::tempdir().unwrap();
    let dir = |n: &str| d.path().join(n).to_str().unwrap().to_string();
    let run = ["run", "scenarios/baseline.toml", "--replications", "30"];
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = dir(&format!("s{i}"));
        stdout_of(&[&run[..], &["--shard", &shard, "--out", &out, "-q"]].concat());
    }
    let single = stdout_of(&run);
    let o = clearance()
        .args([
            "merge",
            &dir("s3"),
            &dir("s1"),
            &dir("s2"),
            "--out",
            &dir("m"),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let merged = String::from_utf8(o.stdout).unwrap();
    let merged_err = String::from_utf8(o.stderr).unwrap();
    let table = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains(" events in "))
            .map(str::to_string)
            .collect()
    };
    assert!(
        single.contains("(registration.never = 0.1, an input)"),
        "{single}"
    );
    let words = single.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("the date follows the registrations"),
        "{single}"
    );
    assert!(merged.contains(" events in "), "{merged}");
    // The status line on stderr, as every command's (stdout holds the table alone).
    assert!(
        merged_err.contains("merged 3 shard directories (30 replications)"),
        "{merged_err}"
    );
    assert!(!merged.contains("merged 3 shard"), "{merged}");
    assert_eq!(table(&single), table(&merged), "{single}\n{merged}");
}

/// With too few runs for the median's interval (3, or 1), the median's line says so, and the
/// note under it speaks of the runs' dates, not of a CI the table does not give.
#[test]
fn the_median_note_names_no_ci_when_too_few_runs_give_none() {
    for n in ["3", "1"] {
        let text = stdout_of(&[
            "run",
            "scenarios/baseline.toml",
            "--replications",
            n,
            "--quiet",
        ]);
        assert!(text.contains("; too few runs for a 95% CI)"), "{text}");
        assert!(
            !text.contains("the CI is this median's precision"),
            "{text}"
        );
        assert!(
            text.contains("    (these runs' dates are for these inputs, not a forecast range"),
            "{text}"
        );
    }
}

/// The people never reached follow an input, `registration.never`, said beside their row with
/// the value the run used.
#[test]
fn the_never_reached_row_names_its_input() {
    for (set, shown) in [(None, "0.1"), (Some("registration.never=0.35"), "0.35")] {
        let mut args = vec![
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "4",
            "--quiet",
        ];
        if let Some(set) = set {
            args.extend_from_slice(&["--set", set]);
        }
        let text = stdout_of(&args);
        let row = line_of(&text, "never reached ");
        assert!(
            row.ends_with(&format!("   (registration.never = {shown}, an input)")),
            "{row}"
        );
    }
}

/// The stages' P95 is over the runs' mean waits, not people's waits: the header and a note
/// say so, and the ports' columns say they are means.
#[test]
fn the_stage_and_port_figures_say_they_are_over_runs() {
    let text = stdout_of(&[
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "4",
        "--quiet",
    ]);
    let header = line_of(&text, "Stages");
    assert!(header.contains("wait [days] mean (P95 of runs)"), "{text}");
    assert!(header.contains("utilization mean (P95 of runs)"), "{text}");
    assert!(
        text.contains("is not a wait 95% of people stay under."),
        "{text}"
    );
    let ports = line_of(&text, "Ports");
    assert!(ports.contains("mean wait [days]"), "{text}");
    assert!(ports.contains("mean utilization"), "{text}");
}

/// A newcomer is told what P5–P95, the CI of the mean and the milestones are, under the header;
/// --quiet leaves the legend out. And a run without --out says, on stderr, how to get the
/// report, unless --quiet or --json; with --out the stdout hint stands alone.
#[test]
fn the_run_table_has_a_legend_and_a_terminal_run_hints_at_the_report() {
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "scenarios/baseline.toml", "--replications", "4"];
        args.extend(extra);
        let out = clearance()
            .args(&args)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let legend = "P5/P50/P90/P95: the value 5/50/90/95% of runs are at or under";
    let hint = "add `--out DIR --report` to the run";
    let (text, err) = run(&[]);
    let at = text.find(legend).expect(&text);
    assert!(at < text.find("Clearance of").unwrap(), "{text}");
    assert!(text.contains("95% CI of mean: where the mean of many more runs would lie"));
    for line in text
        .lines()
        .filter(|l| l.contains("P5/P50") || l.contains("t50/t90/t99"))
    {
        assert!(line.chars().count() <= 100, "{line}");
    }
    assert!(err.trim_end().ends_with("report.html"), "{err}");
    assert!(err.contains(hint), "{err}");
    assert!(!text.contains(hint), "{text}");
    let (text, err) = run(&["--quiet"]);
    assert!(!text.contains(legend), "{text}");
    assert!(!err.contains(hint), "{err}");
    // and `run --help` says what --quiet leaves out
    let help = stdout_of(&["run", "--help"]);
    assert!(
        help.contains("No progress bar, no legend under the table's header, and no closing hint"),
        "{help}"
    );
    let (_, err) = run(&["--json"]);
    assert!(!err.contains(hint), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let (text, err) = run(&["--no-charts", "--out", dir.path().to_str().unwrap()]);
    assert!(!err.contains(hint), "{err}");
    // The hint after --out, and the `wrote` line, are status lines: on stderr (stdout holds the
    // table alone) and left out under --quiet.
    assert!(err.contains("makes report.html from it"), "{err}");
    assert!(
        err.contains(&format!("wrote {}", dir.path().display())),
        "{err}"
    );
    assert!(
        !text.contains("makes report.html") && !text.contains("wrote "),
        "{text}"
    );
    let (text, err) = run(&["--no-charts", "-q", "--out", dir.path().to_str().unwrap()]);
    assert!(
        !text.contains("wrote ") && !err.contains("wrote "),
        "{text}{err}"
    );
    assert!(!err.contains("makes report.html"), "{err}");
}

/// Sweep's last column says which statistic it is.
#[test]
fn the_sweep_says_processed_is_a_mean() {
    let text = stdout_of(&[
        "sweep",
        "scenarios/baseline.toml",
        "--replications",
        "2",
        "--quiet",
        "--vary",
        "health.isolation=5d,14d",
    ]);
    assert!(
        text.contains(
            "(processed: mean people of the backlog and phases processed per replication)"
        ),
        "{text}"
    );
}

/// A drop-out hazard that clears the backlog sooner by losing a third of the people is marked,
/// with the people processed and a footnote, in the table and the JSON; the isolation, which
/// processes as many, is not.
#[test]
fn sensitivity_marks_a_factor_that_clears_sooner_by_processing_fewer() {
    let args = [
        "sensitivity",
        "scenarios/baseline.toml",
        "--replications",
        "6",
        "--quiet",
        "--vary",
        "attrition.hazard_per_day=0.0005,0.05",
        "--vary",
        "health.isolation=5d,14d",
    ];
    let text = stdout_of(&args);
    let row = line_of(&text, "attrition.hazard_per_day ‡");
    let processed = cells(row).last().unwrap().to_string();
    assert!(
        processed.starts_with("-9,") || processed.starts_with("-8,"),
        "{row}"
    );
    assert!(processed.ends_with("%)"), "{row}");
    assert!(!line_of(&text, "health.isolation").contains('‡'), "{text}");
    assert!(
        text.contains("the date moves earlier\n    because fewer people are processed"),
        "{text}"
    );
    let mut json = args.to_vec();
    json.push("--json");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&json)).unwrap();
    let f = |name: &str| {
        v["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["factor"] == name)
            .unwrap()
            .clone()
    };
    let a = f("attrition.hazard_per_day");
    assert_eq!(a["fewer_processed"], true, "{a}");
    assert!(a["diff_processed"].as_f64().unwrap() < -5000.0, "{a}");
    assert!(
        a["at_high"]["processed"].as_f64().unwrap() < a["at_low"]["processed"].as_f64().unwrap()
    );
    assert_eq!(a["at_low"]["people"], 25000.0);
    assert_eq!(f("health.isolation")["fewer_processed"], false);
    // A KPI that is not a time (a count, a utilization) falls with fewer people processed as
    // a matter of course: no mark, and no footnote saying it came "sooner".
    let mut kpi = args.to_vec();
    kpi.extend(["--kpi", "processed"]);
    let text = stdout_of(&kpi);
    assert!(!text.contains('‡'), "{text}");
    kpi.push("--json");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&kpi)).unwrap();
    assert!(
        v["factors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["fewer_processed"] == false),
        "{v}"
    );
}

/// `merge --quiet` leaves out the legend under the table's header as `run --quiet` does (it had
/// printed it all the same), and keeps it without `--quiet`; `merge --help` says so.
#[test]
fn merge_quiet_leaves_out_the_legend_as_run_quiet_does() {
    let d = tempfile::tempdir().unwrap();
    let dir = |n: &str| d.path().join(n).to_str().unwrap().to_string();
    let run = ["run", "scenarios/baseline.toml", "--replications", "4"];
    for i in 1..=2 {
        stdout_of(
            &[
                &run[..],
                &[
                    "--shard",
                    &format!("{i}/2"),
                    "--out",
                    &dir(&format!("s{i}")),
                ],
            ]
            .concat(),
        );
    }
    let legend = "P5/P50/P90/P95: the value";
    let quiet_run = stdout_of(&[&run[..], &["-q"]].concat());
    assert!(!quiet_run.contains(legend), "{quiet_run}");
    let merge = |out: &str, quiet: bool| {
        let mut a = vec![
            "merge".to_string(),
            dir("s1"),
            dir("s2"),
            "--out".into(),
            dir(out),
        ];
        if quiet {
            a.push("--quiet".into());
        }
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        stdout_of(&a)
    };
    let quiet = merge("q", true);
    assert!(!quiet.contains(legend), "{quiet}");
    // The rest of the table as `run --quiet` prints it (the events line's seconds aside).
    let table = |s: &str| {
        s.lines()
            .filter(|l| {
                !l.contains("events") && !l.starts_with("merged ") && !l.starts_with("wrote ")
            })
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(table(&quiet), table(&quiet_run));
    let loud = merge("l", false);
    assert!(loud.contains(legend), "{loud}");
    let help = stdout_of(&["merge", "--help"]);
    assert!(
        help.contains("No legend under the table's header, as `run --quiet`"),
        "{help}"
    );
}

/// A sweep file whose inflow outpaces capacity at several points gets one warning from
/// `validate` (it had printed one per point, their figures differing), naming the points and
/// giving the worst one's figures.
#[test]
fn validate_gives_one_inflow_overload_warning_for_a_sweeps_points() {
    let d = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize("scenarios/baseline.toml").unwrap();
    let check = |rates: &str, quotas: &str| {
        let sweep = d.path().join("sweep.toml");
        std::fs::write(
            &sweep,
            format!(
                "[sweep]\nscenario = {:?}\n\"inflow.rate_per_day\" = [{rates}]\n\
                 \"port[El Paso].quota_per_day\" = [{quotas}]\n",
                base.display().to_string()
            ),
        )
        .unwrap();
        let out = stdout_of(&[
            "validate",
            sweep.to_str().unwrap(),
            "--set",
            "inflow.until=30d",
        ]);
        let lines: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("the inflow outpaces capacity"))
            .collect();
        assert_eq!(lines.len(), 1, "{out}");
        lines[0].to_string()
    };
    // Every point: the worst is the largest inflow against the smaller quota.
    let all = check("4000, 5000, 6000", "200, 300");
    assert!(
        all.starts_with(
            "  warning: the inflow outpaces capacity at all 6 points of the sweep; at worst, at \
             inflow.rate_per_day=6000, port[El Paso].quota_per_day=200: about 9,000 people a day \
             arrive (6,000 groups a day"
        ),
        "{all}"
    );
    // The points of two of the rates, whatever the quota.
    let some = check("10, 50, 4000, 5000", "200, 300");
    assert!(
        some.contains(
            "at 4 of the 8 points of the sweep: those with inflow.rate_per_day = 4000 or 5000; \
             at worst, at inflow.rate_per_day=5000, port[El Paso].quota_per_day=200: about 7,500"
        ),
        "{some}"
    );
    // Points of no sub-grid: up to three named, and how many more. Ciudad Juarez's share of
    // the inflow outpaces El Paso alone (closed until day 7) at the smaller rates, the totals
    // keeping up; the worst point is such a one.
    let listed = check("100, 175, 200, 210", "100, 300");
    assert!(
        listed.contains(
            "at 7 of the 8 points of the sweep: (inflow.rate_per_day=100, port[El \
             Paso].quota_per_day=100), (inflow.rate_per_day=175, port[El Paso].quota_per_day=100), \
             (inflow.rate_per_day=175, port[El Paso].quota_per_day=300) and 4 more; at worst, at \
             inflow.rate_per_day=100, port[El Paso].quota_per_day=100: about 65 people a day \
             arrive at Ciudad Juarez (43% of the inflow's 100 groups a day"
        ),
        "{listed}"
    );
}

/// The horizon warning's "people still waiting" is the mean over the replications that did not
/// clear, the ones it speaks of, not over all of them: 16 of 40 runs stopped with 1 or 2 people
/// each (mean 1.3) had read "on average 1 people" (0.5 over all 40), and with more runs
/// clearing, "0". The table, summary.json and the report say the same, read back here from the
/// run's own replications.csv.
#[test]
fn the_horizon_warning_counts_the_people_waiting_in_the_runs_that_did_not_clear() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cens.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"a few left\"\nstart_date = \"2021-01-01\"\nreplications = 40\n\
         horizon = \"3d\"\n\n[backlog]\npeople = 3\n\n[[origin]]\nname = \"A\"\n\n[[route]]\n\
         from = \"A\"\nto = \"P\"\n\n[[port]]\nname = \"P\"\nservers = 1\n\
         service = { dist = \"exponential\", mean = \"1d\" }\n",
    )
    .unwrap();
    let out = dir.path().join("o");
    let table = stdout_of(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
        "--report",
    ]);
    let csv = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (censored, in_system) = (col("censored"), col("in_system"));
    let waiting: Vec<f64> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[censored] == "true" || r[censored] == "1")
        .map(|r| r[in_system].parse().unwrap())
        .collect();
    assert!(waiting.len() > 1 && waiting.len() < 40, "{waiting:?}");
    let mean = waiting.iter().sum::<f64>() / waiting.len() as f64;
    assert!(mean.fract() != 0.0, "{waiting:?}");
    let says = format!(
        "{} of 40 replications reached the horizon (3 days) before clearing, with on average \
         {mean:.1} people still waiting:",
        waiting.len()
    );
    assert!(
        table.contains(&format!("  warning: {says}")),
        "{says}\n{table}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with(&says)),
        "{says}\n{warnings:?}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(&says), "{says}");
}

/// More `--threads` than cores or replications are not started (idle rayon workers only spin,
/// 1,024 of them on 2 cores had made a run 30 times slower): the run says so on stderr, unless
/// `--quiet`, and reports the threads it used, in the table and the JSON; the results are the
/// same.
#[test]
fn threads_beyond_the_replications_and_cores_are_not_started() {
    let base = ["run", "tests/scenarios/tiny.toml", "--replications", "3"];
    let o = clearance()
        .args(base)
        .args(["--threads", "1024", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8(o.stderr).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let used = cores.min(3);
    assert!(
        err.contains(&format!("note: --threads 1024: using {used} (")),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["performance"]["threads"], used as u64,
        "{}",
        v["performance"]
    );
    let one = stdout_of(&[&base[..], &["--threads", "1", "--json"]].concat());
    assert_eq!(
        without_performance(&String::from_utf8(o.stdout).unwrap()),
        without_performance(&one)
    );
    // The table's performance line names the threads used; --quiet drops the note.
    let o = clearance()
        .args(base)
        .args(["--threads", "1024", "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("--threads"),
        "{o:?}"
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let s = if used == 1 { "" } else { "s" };
    assert!(text.contains(&format!(" on {used} thread{s} (")), "{text}");
}

/// A `--step` that does not divide `--max − --min` still tests `--max`, the grid's last value:
/// with step 1000 over 1..=100 only 1 had been tried, and the search had said that no value
/// meets a goal that quota 100 meets, exit code 3, naming --max 100 as tested.
#[test]
fn target_tests_max_when_the_step_does_not_reach_it() {
    let o = clearance()
        .args(["target", "tests/scenarios/minimal.toml"])
        .args(["--vary", "port[San Ysidro].quota_per_day"])
        .args(["--goal", "p90(clearance_days) <= 3"])
        .args(["--min", "1", "--max", "100", "--step", "1000"])
        .args(["--replications", "4", "--threads", "1", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let values: Vec<i64> = v["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values, [1, 100], "{v}");
    assert_eq!(v["found"]["value"], 100, "{v}");
    // 100..=1000 by 400: 100, 500, 900 and 1000; the answer names only values tried.
    let o = clearance()
        .args(["target", "tests/scenarios/minimal.toml"])
        .args(["--vary", "port[San Ysidro].quota_per_day"])
        .args(["--goal", "p90(clearance_days) <= 200"])
        .args(["--min", "1", "--max", "100", "--step", "1000"])
        .args(["--replications", "4", "--threads", "1", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains(" at 100"), "{text}");
    assert!(!text.contains("at 1)"), "{text}");
}

/// Huge and tiny numbers in warnings and errors are printed short (1e300, not 301 digits).
#[test]
fn huge_and_tiny_numbers_in_messages_are_short() {
    for (set, expect) in [
        (
            "attrition.hazard_per_day=1e300",
            "hazard_per_day = 1e300: half",
        ),
        (
            "attrition.hazard_per_day=1e-300",
            "attrition.hazard_per_day = 1e-300, but",
        ),
        (
            "inflow.rate_per_day=1e300",
            "about 3.65e303 inflow groups expected",
        ),
    ] {
        let o = clearance()
            .args([
                "run",
                "tests/scenarios/minimal.toml",
                "--replications",
                "2",
                "-q",
            ])
            .args(["--set", set])
            .output()
            .unwrap();
        // (warnings are in the table too, errors on stderr)
        let all = String::from_utf8(o.stdout).unwrap() + &String::from_utf8(o.stderr).unwrap();
        assert!(all.contains(expect), "{set}: {all}");
        assert!(
            all.lines().all(|l| !l.contains("00000000000")),
            "{set}: {all}"
        );
    }
}

/// The clearance row's 95% CI of the mean is printed from 0 (three skewed replications had
/// read "[-5.2 – 12.0]" days); the JSON keeps the t interval, below 0.
#[test]
fn the_printed_clearance_interval_does_not_go_below_zero() {
    let args = [
        "run",
        "tests/scenarios/minimal.toml",
        "--threads",
        "1",
        "--replications",
        "3",
        "-q",
        "--set",
        "registration.delay={dist=\"lognormal\",mean=\"1d\",sd=\"100000d\"}",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&[&args[..], &["--json"]].concat())).unwrap();
    let c = &v["clearance_days"];
    assert!(c["ci95_low"].as_f64().unwrap() < 0.0, "{c}");
    let text = stdout_of(&args);
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("clearance [days]"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("[0.0 – "), "{row}");
    assert!(!row.contains("[-"), "{row}");
}

/// Boarding indexed by port gives the results it gave before (when it searched a list of the
/// candidates' ports for each group, quadratic in an origin's routes): one origin with 80
/// continuous routes, under appointment, first fit and shortest queue. The expected summaries
/// (`tests/golden/many-routes-*.json`, without performance and version) were written by the
/// build before the index.
#[test]
fn many_routes_from_one_origin_board_as_before() {
    for choose in ["first", "shortest_queue"] {
        let set = format!("dispatch.choose_port=\"{choose}\"");
        let args = [
            "run",
            "tests/scenarios/many-routes.toml",
            "--threads",
            "1",
            "--json",
            "-q",
            "--set",
            &set,
        ];
        let mut actual = without_performance(&stdout_of(&args));
        actual.as_object_mut().unwrap().remove("clearance_version");
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("tests/golden/many-routes-{choose}.json")).unwrap(),
        )
        .unwrap();
        assert!(actual == expected, "{choose}: the summary changed");
    }
}

/// A scenario (or sweep file) given through a pipe, as `envsubst < tpl.toml | clearance validate
/// /dev/stdin` or `<(…)` give it, is read once: every command that loads it at several settings
/// (validate telling a sweep file from a scenario, sweep, sensitivity, target) loads it from that
/// text (a second read of a pipe is empty: "missing [scenario] table", exit 2).
#[test]
fn every_command_reads_a_scenario_from_a_pipe_once() {
    let tiny = std::fs::read_to_string("tests/scenarios/tiny.toml").unwrap();
    let piped = |args: &[&str], text: &str| {
        let out = clearance()
            .args(args)
            .write_stdin(text.to_string())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{args:?}: {:?}\n{err}", out.status);
        assert!(!err.contains("missing [scenario]"), "{args:?}: {err}");
        String::from_utf8(out.stdout).unwrap()
    };
    let out = piped(&["validate", "/dev/stdin"], &tiny);
    assert!(out.starts_with("ok: /dev/stdin (tiny)"), "{out}");
    // a sweep file through the pipe, naming its scenario by an absolute path
    let scenario = std::fs::canonicalize("tests/scenarios/tiny.toml").unwrap();
    let sweep = format!(
        "[sweep]\nscenario = {:?}\n\"screening.servers\" = [5, 10]\n",
        scenario.display().to_string()
    );
    let out = piped(&["validate", "/dev/stdin"], &sweep);
    assert!(out.contains("sweep file: 2 points of tiny"), "{out}");
    fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [args, &["--replications", "2", "--threads", "1", "-q"][..]].concat()
    }
    piped(
        &with(&["sweep", "/dev/stdin", "--vary", "screening.servers=5,10"]),
        &tiny,
    );
    piped(&with(&["sweep", "/dev/stdin"]), &sweep);
    piped(
        &with(&[
            "sensitivity",
            "/dev/stdin",
            "--vary",
            "screening.servers=5,10",
        ]),
        &tiny,
    );
    let out = piped(
        &with(&[
            "target",
            "/dev/stdin",
            "--vary",
            "port[P].quota_per_day",
            "--goal",
            "p90(clearance_days)<=50",
        ]),
        &tiny,
    );
    assert!(out.contains("p90(clearance_days)"), "{out}");
}

/// `report` on a sweep's directory, from another folder than the sweep ran in, suggests a
/// `clearance run` that works from here: the directory's scenario.toml, the scenario as run, when
/// the file as named then (relative to that folder) names nothing from here.
#[test]
fn report_on_a_sweep_suggests_a_run_that_works_from_here() {
    let d = tempfile::tempdir().unwrap();
    let (sub, other) = (d.path().join("sub"), d.path().join("other"));
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy("tests/scenarios/minimal.toml", sub.join("var.toml")).unwrap();
    clearance()
        .current_dir(&other)
        .args([
            "sweep",
            "../sub/var.toml",
            "--vary",
            "screening.servers=1,2",
        ])
        .args(["--replications", "3", "--threads", "1", "-q", "--out", "sw"])
        .assert()
        .success();
    let out = clearance()
        .current_dir(d.path())
        .args(["report", "other/sw"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let says = "`clearance run other/sw/scenario.toml --set 'screening.servers=VALUE' --seed ";
    assert!(err.contains(says), "{err}");
    assert!(!err.contains("../sub/var.toml"), "{err}");
    // The command it gives runs from here, and repeats the sweep's point.
    let cmd = err.split('`').nth(1).unwrap().replace("VALUE", "2");
    let cmd = cmd.replace("'", "");
    let words: Vec<&str> = cmd.split(' ').skip(1).collect();
    let words: Vec<&str> = words
        .into_iter()
        .map(|w| if w == "DIR" { "point" } else { w })
        .collect();
    clearance()
        .current_dir(d.path())
        .args(&words)
        .args(["--threads", "1", "-q", "--no-charts"])
        .assert()
        .success();
    let csv = std::fs::read_to_string(other.join("sw/sweep.csv")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("point/summary.json")).unwrap(),
    )
    .unwrap();
    let mean = summary["clearance_days"]["mean"].as_f64().unwrap();
    let row = csv.lines().nth(2).unwrap();
    assert!(
        row.split(',')
            .any(|f| f.parse::<f64>().is_ok_and(|x| (x - mean).abs() < 1e-9)),
        "{mean} not in {row}\n{csv}"
    );
}

/// Every field `explain --json` prints, at the top and in its rows, is named in the README's
/// table of them.
#[test]
fn the_readme_names_every_field_of_explain_json() {
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "explain",
        "scenarios/baseline.toml",
        "--json",
    ]))
    .unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let at = readme
        .find("`clearance explain --json` prints")
        .expect("the README's table of explain --json");
    let from = at + readme[at..].find("| field |").unwrap();
    let table = &readme[from..from + readme[from..].find("\n\n").unwrap()];
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.extend(v["rows"][0].as_object().unwrap().keys().cloned());
    for k in keys {
        let named = table.contains(&format!("`{k}`")) || table.contains(&format!("`rows[].{k}`"));
        assert!(named, "{k} is not in\n{table}");
    }
}

/// A trace written to standard output leaves stdout holding the trace's CSV alone (its `wrote`
/// line on stderr), and `--json` with it is refused; a run's warnings are on stderr in table mode
/// too, where a script looks for them.
#[test]
fn stdout_holds_the_result_alone_and_warnings_are_on_stderr() {
    let t = "tests/scenarios/tiny.toml";
    let out = clearance()
        .args([
            "run",
            t,
            "--replications",
            "2",
            "--threads",
            "1",
            "--trace",
            "-",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.ends_with(",backlog,all"), "{last}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("events of replication 0"), "{err}");
    let out = clearance()
        .args(["run", t, "--replications", "2", "--threads", "1", "--json"])
        .args(["--trace", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--json and --trace - both write to standard output"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // golden.toml validates with a warning; 60 days stop every run of the baseline
    for args in [
        vec!["run", "tests/scenarios/golden.toml", "--replications", "3"],
        vec!["run", "scenarios/baseline.toml", "--replications", "3"],
    ] {
        let mut args = args;
        if args[1].contains("baseline") {
            args.extend(["--set", "scenario.horizon=\"60d\""]);
        }
        let out = clearance()
            .args(&args)
            .args(["--threads", "1", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let (text, err) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(text.contains("  warning: "), "{text}");
        for w in text.lines().filter_map(|l| l.strip_prefix("  warning: ")) {
            assert!(err.contains(&format!("warning: {w}")), "{w}\n{err}");
        }
    }
    // sweep and sensitivity with --out and -q: the table alone on stdout, nothing on stderr
    // but warnings
    let d = tempfile::tempdir().unwrap();
    for (cmd, vary) in [
        ("sweep", "screening.servers=5,10"),
        ("sensitivity", "screening.servers=5,10"),
    ] {
        let out = clearance()
            .args([
                cmd,
                t,
                "--vary",
                vary,
                "--replications",
                "2",
                "--threads",
                "1",
                "-q",
            ])
            .arg("--out")
            .arg(d.path().join(cmd))
            .output()
            .unwrap();
        assert!(out.status.success());
        let (text, err) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(
            !text.contains("wrote ") && !err.contains("wrote "),
            "{text}\n{err}"
        );
    }
}

/// A stage without capacity is warned of once for each cause, not once by the loader and again
/// as "no capacity: …": in `validate`'s text and `--json`, and in a run's table and
/// summary.json. Each cause the loader warns of at its key (servers, quota, seats or holding
/// of 0, an empty `days`, a port that opens at the horizon or after) is said there, naming the
/// stage, with what follows (nobody passes it).
#[test]
fn each_cause_of_no_capacity_is_warned_of_once() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("one.toml");
    std::fs::write(
        &f,
        "[scenario]\nname = \"one\"\nhorizon = \"30d\"\nreplications = 2\n[backlog]\npeople = 20\n\
         [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\ndepartures = [\"07:00\"]\n\
         seats = 40\n[[port]]\nname = \"P\"\nquota_per_day = 50\n[screening]\nservers = 3\n\
         service = { dist = \"exponential\", mean = \"30min\" }\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    // (the --set, the stage's words in a message, what the loader says of it)
    let cases = [
        (
            "port[P].servers=0",
            "port P",
            "port P has servers = 0: no capacity at all; nobody passes it",
        ),
        (
            "port[P].quota_per_day=0",
            "port P",
            "port P has quota_per_day = 0: nobody is ever processed there",
        ),
        (
            "port[P].holding=0",
            "port P",
            "port P has holding = 0: nobody may travel to it, so nobody passes it",
        ),
        (
            "port[P].days=[]",
            "port P",
            "port P is never open: `days` is empty; nobody passes it",
        ),
        (
            "port[P].opens=30d",
            "port P",
            "port P never opens within the horizon",
        ),
        (
            "route[A->P].seats=0",
            "route A->P",
            "route A->P has seats = 0: no capacity at all; nobody boards it",
        ),
        (
            "route[A->P].days=[]",
            "route A->P",
            "route A->P runs on no day of the week: `days` is empty; nobody boards it",
        ),
        (
            "screening.servers=0",
            "screening",
            "screening has servers = 0: no capacity at all; nobody passes it",
        ),
        (
            "screening.days=[]",
            "screening",
            "screening is never open: `days` is empty; nobody is ever screened",
        ),
    ];
    // A message names the stage as the loader does (`port P`) or as "no capacity: …" does
    // (`port "P"`).
    let names = |text: &str, stage: &str| {
        let quoted = match stage.split_once(' ') {
            Some((kind, name)) => format!("{kind} \"{name}\""),
            None => format!("{stage}:"),
        };
        text.contains(&format!("{stage} ")) || text.contains(&quoted)
    };
    for (set, stage, said) in cases {
        let text = stdout_of(&["validate", f, "--set", set]);
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  warning: ") && names(l, stage))
            .collect();
        assert_eq!(lines.len(), 1, "{set}: {text}");
        assert!(
            lines[0].starts_with("  warning: --set: ") && lines[0].contains(said),
            "{set}: {text}"
        );
        let json = stdout_of(&["validate", f, "--set", set, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let diags = v["files"][0]["diagnostics"].as_array().unwrap();
        let about: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| names(d["message"].as_str().unwrap(), stage))
            .collect();
        assert_eq!(about.len(), 1, "{set}: {json}");
        assert_eq!(about[0]["file"], "--set", "{set}: {json}");
        assert!(
            about[0]["hint"]
                .as_str()
                .unwrap()
                .contains(set.split('=').next().unwrap()),
            "{set}: {json}"
        );
        assert_eq!(
            v["files"][0]["warnings"].as_u64().unwrap() as usize,
            text.lines()
                .filter(|l| l.starts_with("  warning: "))
                .count(),
            "{set}: {json}"
        );
    }
    // A run: its table and stderr, and summary.json's warnings.
    for (set, stage, said) in [cases[0], cases[5]] {
        let o = d.path().join(format!("out-{}", set.len()));
        let out = clearance()
            .args(["run", f, "--set", set, "--quiet", "--threads", "1", "--out"])
            .arg(&o)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let table = String::from_utf8_lossy(&out.stdout);
        let table_lines: Vec<&str> = table
            .lines()
            .filter(|l| l.trim_start().starts_with("warning: ") && names(l, stage))
            .collect();
        assert_eq!(table_lines.len(), 1, "{set}: {table}");
        assert!(table_lines[0].contains(said), "{set}: {table}");
        let sum: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(o.join("summary.json")).unwrap())
                .unwrap();
        let warned: Vec<&str> = sum["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .filter(|w| names(w, stage))
            .collect();
        assert_eq!(warned.len(), 1, "{set}: {warned:?}");
        assert!(warned[0].contains(said), "{set}: {warned:?}");
    }
}

/// `validate --json`'s note that no run can clear for want of a way out of one origin is
/// placed at that origin's key, as its warning is (file, line, column, key), with the lever
/// as its hint; the text's first line says plainly how such runs end (the baseline has
/// attrition: at the horizon, or once everyone left has dropped out).
#[test]
fn validate_json_places_the_note_at_the_origin_it_names() {
    let set = "port[El Paso].servers=0";
    let text = stdout_of(&["validate", "scenarios/baseline.toml", "--set", set]);
    assert!(
        text.starts_with(
            "valid, but no run can clear (a run ends only at the horizon, or once everyone left \
             has dropped out): scenarios/baseline.toml ("
        ) && text.lines().next().unwrap().ends_with(
            "with 2 warnings: nobody from origin Ciudad Juarez can ever be processed (see below)"
        ),
        "{text}"
    );
    let json = stdout_of(&[
        "validate",
        "scenarios/baseline.toml",
        "--set",
        set,
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let file = &v["files"][0];
    let notes = file["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{json}");
    let note = &notes[0];
    assert_eq!(note["severity"], "note");
    assert_eq!(
        note["message"],
        "no run can clear (a run ends only at the horizon, or once everyone left has dropped \
         out): nobody from origin Ciudad Juarez can ever be processed"
    );
    let baseline = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    let lines: Vec<&str> = baseline.lines().collect();
    let origin_line = lines
        .iter()
        .position(|l| *l == "name = \"Ciudad Juarez\"")
        .unwrap() as u64; // the [[origin]] line before it, 1-based
    assert_eq!(
        place_of(note),
        (
            "scenarios/baseline.toml".into(),
            Some(origin_line),
            Some(1),
            Some("origin[Ciudad Juarez]".into())
        )
    );
    let origin_warning = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "origin[Ciudad Juarez]")
        .unwrap();
    assert_eq!(place_of(note), place_of(origin_warning));
    assert_eq!(
        note["hint"],
        "give servers above 0 for port \"El Paso\", or add a route from Ciudad Juarez to a port \
         with capacity"
    );
    // About every origin, the note stays about the whole file.
    let json = stdout_of(&[
        "validate",
        "scenarios/baseline.toml",
        "--set",
        "screening.servers=0",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let note = &v["files"][0]["notes"][0];
    assert_eq!(
        place_of(note),
        ("scenarios/baseline.toml".into(), None, None, None),
        "{json}"
    );
}

/// A directory given where a scenario file is due says what to give instead: a saved run's
/// `scenario.toml` (last month's run, compared with a new scenario in a CI job), or the folder's
/// scenario files (`DIR/*.toml`, for `validate` of a folder); it had said only "is a
/// directory", leaving the job's author to guess.
#[test]
fn a_directory_given_as_a_scenario_names_the_file_to_give() {
    let d = tempfile::tempdir().unwrap();
    let saved = d.path().join("last-month");
    let saved_s = saved.to_str().unwrap();
    clearance()
        .args(["run", "scenarios/baseline.toml", "--replications", "2"])
        .args(["--no-charts", "--quiet", "--out", saved_s])
        .assert()
        .success();
    let out = clearance()
        .args(["compare", saved_s, "scenarios/baseline.toml", "--json"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    let scn = saved.join("scenario.toml");
    assert!(
        err.contains(&format!(
            "is a directory, not a scenario file; it holds a saved run (`run --out`): give its \
             scenario, {}",
            scn.display()
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "stdout holds the JSON alone");
    // What it names works.
    let json = stdout_of(&[
        "compare",
        scn.to_str().unwrap(),
        "scenarios/baseline.toml",
        "--replications",
        "2",
        "--json",
        "--quiet",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["clearance_p50_diff"].is_object(), "{json}");

    // A folder of scenarios: its files, and DIR/*.toml for validate.
    let folder = d.path().join("office");
    std::fs::create_dir(&folder).unwrap();
    for f in ["baseline.toml", "two-ports.toml"] {
        std::fs::copy(Path::new("scenarios").join(f), folder.join(f)).unwrap();
    }
    let out = clearance()
        .args(["validate", folder.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "give a scenario file in it ({} and 1 more), or {} for all 2 to a command that takes \
             several, as `validate` does",
            folder.join("baseline.toml").display(),
            folder.join("*.toml").display()
        )),
        "{err}"
    );
    // validate --json gives it in the diagnostic's message.
    let out = clearance()
        .args(["validate", "--json", folder.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let msg = v["files"][0]["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("*.toml for all 2"), "{msg}");

    // An empty directory: nothing to suggest.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = clearance()
        .args(["run", empty.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.trim_end()
            .ends_with("is a directory, not a scenario file"),
        "{err}"
    );
}

/// The README's CI recipe ("In a CI pipeline") runs as written: its job passes the bundled
/// baseline against a deadline and last month's saved run, and fails, saying why, once a quota
/// cut moves the P90 past the deadline and the median past last month's. (It reads the JSON
/// fields the recipe names, so a field renamed breaks it here first.)
#[test]
fn the_readme_ci_recipe_runs_and_fails_the_job_past_its_lines() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: the README's CI recipe needs python3");
        return;
    }
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("### In a CI pipeline")
        .expect("README has the section \"In a CI pipeline\"");
    let section = &readme[start..];
    let section = &section[..section.find("\n## ").unwrap()];
    let blocks: Vec<&str> = section
        .split("```sh\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "the job and the comparison with last month"
    );
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("scenarios")).unwrap();
    let base = std::fs::read_to_string("scenarios/baseline.toml")
        .unwrap()
        .replace("replications = 200", "replications = 40");
    let scn = d.path().join("scenarios/baseline.toml");
    std::fs::write(&scn, &base).unwrap();
    clearance()
        .current_dir(d.path())
        .args(["run", "scenarios/baseline.toml", "--quiet", "--no-charts"])
        .args(["--out", "last-month/baseline"])
        .assert()
        .success();
    let bin = Path::new(env!("CARGO_BIN_EXE_clearance")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let job = |block: &str| {
        let out = std::process::Command::new("bash")
            .args(["-c", block])
            .current_dir(d.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    let (code, text) = job(blocks[0]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("scenarios/baseline.toml: P90 clearance 2021-07-"),
        "{text}"
    );
    assert!(d.path().join("artefacts/baseline/summary.json").is_file());
    let (code, text) = job(blocks[1]);
    assert_eq!(code, Some(0), "{text}");

    // A quota cut: the P90 passes the deadline and the median last month's.
    std::fs::write(
        &scn,
        base.replace("quota_per_day = 300", "quota_per_day = 30"),
    )
    .unwrap();
    let (code, text) = job(blocks[0]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("is after 2021-07-20"), "{text}");
    let (code, text) = job(blocks[1]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("days later than last month"), "{text}");
}

/// The README's Performance section tells a CI job which criterion groups the command line's
/// `--measurement-time` does not shorten: each group of `benches/model.rs` that sets its own
/// measurement time is named there with it ("`large/` (20 s"), so a quick run's author is not
/// surprised by a bench that collects for tens of seconds.
#[test]
fn readme_names_the_bench_groups_that_set_their_own_measurement_time() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let perf = &readme[readme.find("## Performance").unwrap()..];
    let code = std::fs::read_to_string("benches/model.rs").unwrap();
    let mut named = 0;
    for part in code.split("benchmark_group(\"").skip(1) {
        let group = &part[..part.find('"').unwrap()];
        let part = &part[..part.find("g.finish()").unwrap()];
        let Some(at) = part.find("measurement_time(Duration::from_secs(") else {
            continue;
        };
        let rest = &part[at + "measurement_time(Duration::from_secs(".len()..];
        let secs = &rest[..rest.find(')').unwrap()];
        let says = format!("`{group}/` ({secs} s");
        assert!(perf.contains(&says), "README's Performance lacks {says:?}");
        named += 1;
    }
    assert_eq!(named, 2, "replications/ and large/");
    assert!(perf.contains("--baseline-lenient main --warm-up-time 1 --measurement-time 2"));
}
