//! The library as a researcher uses it from their own crate: examples that compile there,
//! conversions and summaries that do not panic or mislabel on edge inputs, and errors that
//! read well through `?` and `Box<dyn Error>`.

/// Every example must compile when copied into a user's crate, which depends on `clearance`
/// alone: the crates it re-exports (`toml`, `chrono`, `rand_distr`) are reached through it.
#[test]
fn examples_name_reexported_crates_through_clearance() {
    let mut checked = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for krate in ["toml", "chrono", "rand_distr"] {
                let pat = format!("{krate}::");
                for (at, _) in code.match_indices(&pat) {
                    let before = &code[..at];
                    let bare = !before.ends_with("clearance::")
                        && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
                    assert!(
                        !bare,
                        "{}:{}: `{pat}` is not a dependency of a user's crate; write `clearance::{pat}`",
                        path.display(),
                        n + 1
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} examples found");
}

fn baseline() -> clearance::scenario::Scenario {
    match clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// Every KPI name of a scenario is read by `kpi` from a replication, and every per-port column
/// of `replications.csv` is one of them with its value: a figure added to the names (`KPIS`,
/// `PORT_KPIS`) but not read by `kpi` would read as "not measured" in every run.
#[test]
fn every_kpi_name_is_read_from_a_replication() {
    use clearance::experiment::kpi::{kpi, kpi_names, PORT_KPIS};
    let scn = baseline();
    let r = clearance::model::simulate(&scn, 0, &Default::default());
    let ports: Vec<String> = scn.ports.iter().map(|p| p.name.clone()).collect();
    let names = kpi_names(&scn);
    assert_eq!(
        names.len(),
        clearance::experiment::kpi::KPIS.len() + 3 * PORT_KPIS.len()
    );
    for name in &names {
        // The baseline reaches no t90 or t99 (milestones are shares of all the people).
        if name == "t90_days" || name == "t99_days" {
            continue;
        }
        let v = kpi(&r, name, &ports);
        assert!(v.is_some_and(f64::is_finite), "{name}: {v:?}");
    }
    assert_eq!(
        kpi(&r, "processed:El Paso", &ports),
        Some(r.ports[1].processed as f64)
    );
}

/// `date_of` saturates instead of panicking: a sweep point where nothing cleared has
/// `last_cleared_days` = −∞, and a user printing its date must not crash.
#[test]
fn date_of_saturates_for_times_without_a_date() {
    use clearance::chrono::NaiveDate;
    let scn = baseline();
    let start = scn.start_date;
    assert_eq!(scn.date_of(0.0), start);
    assert_eq!(scn.date_of(1.5), start.succ_opt().unwrap());
    assert_eq!(scn.date_of(f64::INFINITY), NaiveDate::MAX);
    assert_eq!(scn.date_of(1e300), NaiveDate::MAX);
    assert_eq!(scn.date_of(1e15), NaiveDate::MAX);
    assert_eq!(scn.date_of(f64::NEG_INFINITY), NaiveDate::MIN);
    assert_eq!(scn.date_of(-1e15), NaiveDate::MIN);
    assert_eq!(scn.date_of(f64::NAN), start);
    // The checked form tells these apart.
    assert_eq!(clearance::scenario::date_at(start, f64::NEG_INFINITY), None);
}

/// Rows of a sweep whose values, points and results differ in number are an error naming the
/// three numbers, not rows silently dropped (zip) or labelled with another point's values.
#[test]
fn sweep_rows_reject_mismatched_lengths() {
    use clearance::experiment::sweep::{self, Factor};
    use clearance::experiment::Replications;
    let scn = baseline();
    let points = [&scn, &scn];
    let results: Vec<Replications> = vec![Vec::new().into(), Vec::new().into()];
    let factors = [Factor {
        path: "screening.servers".into(),
        values: [10, 20, 40].map(clearance::toml::Value::Integer).to_vec(),
        origin: "test".into(),
    }];
    let e = sweep::rows(&factors, &points, &results).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    let msg = e.to_string();
    assert!(
        msg.contains("3 points of factor values, 2 scenarios and 2 results"),
        "{msg}"
    );
    let values = |n: i64| {
        (0..n)
            .map(|v| vec![clearance::toml::Value::Integer(v)])
            .collect()
    };
    let e = sweep::rows_at(values(2), &points, &results[..1]).unwrap_err();
    assert!(
        e.to_string()
            .contains("2 points of factor values, 2 scenarios and 1 results"),
        "{e}"
    );
    // Matching lengths give one row per point, labelled with its own values.
    let rows = sweep::rows_at(values(2), &points, &results).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].values, [clearance::toml::Value::Integer(1)]);
}

/// A series index past the stored ones is caught, not read from the next day's first series.
#[test]
fn daily_get_checks_the_series_index() {
    use clearance::model::Daily;
    // Two days of two series: day 0 = [1, 2], day 1 = [3, 4].
    let d = Daily {
        n_series: 2,
        values: vec![1, 2, 3, 4],
    };
    assert_eq!((d.days(), d.is_empty()), (2, false));
    assert_eq!(d.get(1, 1, false), 4);
    assert_eq!(d.get(5, 1, false), 4, "the last state carries past the end");
    assert_eq!(d.get(5, 1, true), 0, "a flow is 0 past the end");
    assert_eq!(d.try_get(0, 1, false), Some(2));
    assert_eq!(d.try_get(0, 2, false), None);
    let r = std::panic::catch_unwind(|| d.get(0, 2, false));
    let msg = *r.unwrap_err().downcast::<String>().unwrap();
    assert!(
        msg.contains("series 2 out of range: 2 series are stored"),
        "{msg}"
    );
    assert_eq!(Daily::default().get(0, 7, false), 0);
    assert!(Daily::default().is_empty());
}

/// One origin's share off 1 is reported once, not as a "sum" of itself in parentheses; several
/// shares still show their terms.
#[test]
fn a_single_share_is_not_repeated_as_its_own_sum() {
    let src = std::fs::read_to_string("tests/scenarios/deterministic-42.toml").unwrap();
    assert!(src.contains("share = 1.0"));
    let e = clearance::scenario::load_str(&src.replace("share = 1.0", "share = 0.9"), "one.toml")
        .unwrap_err();
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.key.as_deref() == Some("origin"))
        .unwrap_or_else(|| panic!("{e}"));
    assert_eq!(d.message, "the origin shares sum to 0.9, not 1");
    assert!(d.hint.is_some(), "the fix hint is kept");
    let src = std::fs::read_to_string("tests/scenarios/closure-april.toml").unwrap();
    let e = clearance::scenario::load_str(&src.replace("share = 0.4", "share = 0.5"), "three.toml")
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("origin: the origin shares sum to 1.1 (0.3 + 0.5 + 0.3), not 1"),
        "{e}"
    );
}

/// Options the library refuses are reported as options, not as an invalid scenario.
#[test]
fn an_options_problem_is_not_called_an_invalid_scenario() {
    use clearance::experiment::compare::{compare, CompareOptions};
    use clearance::experiment::{RunError, RunOptions};
    let scn = baseline();
    let copts = CompareOptions {
        replications: 3,
        independent: false,
        measure_variance_reduction: false,
    };
    let opts = RunOptions {
        replications: Some(4),
        ..Default::default()
    };
    let e = compare(&scn, &scn, &copts, &opts).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("the options are not valid: RunOptions.replications: 4 replications"),
        "{msg}"
    );
    let RunError::Invalid(problems) = &e else {
        panic!("{e:?}")
    };
    assert!(problems.iter().all(|p| p.is_option()));
    // A scenario's own problem is still the scenario's.
    let mut bad = scn.clone();
    bad.horizon = -5.0;
    let msg = clearance::experiment::run(&bad, &RunOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(
        msg.starts_with("the scenario is not valid: scenario.horizon"),
        "{msg}"
    );
}

/// `Problem` is an error of its own, and a `ScenarioError` through `?` into `Box<dyn Error>`
/// prints its readable text, not the struct.
#[test]
fn errors_read_well_through_box_dyn_error() {
    use clearance::scenario::Problem;
    let p: Box<dyn std::error::Error> = Box::new(Problem::new(
        "attrition.hazard_per_day",
        "-0.1: must be 0 or more per day",
    ));
    assert_eq!(
        p.to_string(),
        "attrition.hazard_per_day: -0.1: must be 0 or more per day"
    );
    fn load(text: &str) -> Result<(), Box<dyn std::error::Error>> {
        clearance::scenario::load_str(text, "typo.toml")?;
        Ok(())
    }
    let src = std::fs::read_to_string("tests/scenarios/deterministic-42.toml").unwrap();
    let e = load(&src.replace("share = 1.0", "share = 0.9")).unwrap_err();
    let debug = format!("{e:?}");
    assert_eq!(debug, e.to_string());
    assert!(debug.starts_with("error: typo.toml:"), "{debug}");
    assert!(!debug.contains("ScenarioError {"), "{debug}");
    // The alternate form still shows the fields.
    let e = clearance::scenario::load_str(&src.replace("share = 1.0", "share = 0.9"), "t.toml")
        .unwrap_err();
    assert!(format!("{e:#?}").starts_with("ScenarioError {"));
}

/// A researcher stores a comparison as JSON and reads it back later, as a summary can be: every
/// part of it (KPI statistics, proportions, the median difference, variance reductions whose
/// ratio is written as null when infinite or NaN) deserialises into what was written.
#[test]
fn a_comparison_reads_back_from_its_json() {
    use clearance::experiment::compare::{compare, CompareOptions, Comparison};
    let a = baseline();
    let mut b = a.clone();
    b.ports[0].quota_per_day = Some(200);
    let copts = CompareOptions {
        replications: 4,
        independent: false,
        measure_variance_reduction: true,
    };
    let cmp = compare(&a, &b, &copts, &Default::default()).unwrap();
    assert!(!cmp.kpis.is_empty() && !cmp.variance_reduction.is_empty());
    let json = serde_json::to_string(&cmp).unwrap();
    let back: Comparison = serde_json::from_str(&json).expect("a comparison reads back");
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert_eq!(back.kpis, cmp.kpis, "the KPI statistics, P90 included");
    assert_eq!(back.clearance_p50_diff, cmp.clearance_p50_diff);
    assert_eq!(back.b_clears_sooner, cmp.b_clears_sooner);
    for (x, y) in back.variance_reduction.iter().zip(&cmp.variance_reduction) {
        assert!(
            x.ratio == y.ratio || (x.ratio.is_nan() && y.ratio.is_nan()),
            "{x:?}"
        );
    }
}

/// A sweep's rows and factors are written to JSON with serde and read back equal, so that a
/// program can store a sweep's results; a point where nothing cleared (`last_cleared_days`
/// negative infinity, which JSON cannot hold) reads back as such.
#[test]
fn sweep_rows_read_back_from_their_json() {
    use clearance::experiment::sweep::{self, Factor, SweepRow};
    use clearance::experiment::RunOptions;
    let base = baseline();
    let factors = vec![Factor {
        path: "screening.servers".into(),
        values: [10, 30].map(clearance::toml::Value::Integer).to_vec(),
        origin: "test".into(),
    }];
    let points: Vec<clearance::scenario::Scenario> = [10, 30]
        .iter()
        .map(|c| {
            let mut s = base.clone();
            s.screening.as_mut().unwrap().servers = Some(*c);
            s
        })
        .collect();
    let refs: Vec<&clearance::scenario::Scenario> = points.iter().collect();
    let opts = RunOptions {
        threads: Some(2),
        ..Default::default()
    };
    let results = sweep::run_points(&refs, 0..3, &opts).unwrap();
    let rows = sweep::rows(&factors, &refs, &results).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.kpi("clearance_days").is_some()));

    let json = serde_json::to_string(&factors).unwrap();
    let back: Vec<Factor> = serde_json::from_str(&json).expect("factors read back");
    assert_eq!(back, factors);

    let json = serde_json::to_string(&rows).unwrap();
    let back: Vec<SweepRow> = serde_json::from_str(&json).expect("sweep rows read back");
    assert_eq!(
        back, rows,
        "every field, the KPI statistics with their P90 included"
    );
    assert_eq!(serde_json::to_string(&back).unwrap(), json);

    let mut none = rows[0].clone();
    none.last_cleared_days = f64::NEG_INFINITY;
    let json = serde_json::to_string(&none).unwrap();
    assert!(json.contains("\"last_cleared_days\":null"), "{json}");
    let back: SweepRow = serde_json::from_str(&json).expect("a row where nothing cleared");
    assert_eq!(back, none);
    assert_eq!(back.last_cleared(), None);
}

/// `DailyBands::date` gives the date `daily.csv` writes beside each day's rows.
#[test]
fn daily_bands_date_is_daily_csv_date_column() {
    use clearance::experiment::RunOptions;
    let scn = baseline();
    let opts = RunOptions {
        replications: Some(2),
        ..Default::default()
    };
    let run = clearance::experiment::run(&scn, &opts).unwrap();
    let d = &run.daily;
    assert!(d.days > 3, "{} days", d.days);
    let csv = String::from_utf8(clearance::output::csv::daily_csv(d).unwrap()).unwrap();
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day: usize = f[0].parse().unwrap();
        assert_eq!(d.date(day).to_string(), f[1], "day {day}");
        checked += 1;
    }
    assert_eq!(checked, d.days * d.series.len());
    assert_eq!(d.date(0), scn.start_date);
    assert_eq!(d.date(1), scn.start_date.succ_opt().unwrap());
    assert_eq!(d.date(usize::MAX), clearance::chrono::NaiveDate::MAX);
}

/// The stage or port that binds, and the one that sets the date, of a run made in code:
/// `analysis::what_binds` gives what `clearance run` writes into summary.json's `what_binds`
/// (the library's own summary leaves it empty), so a study need not run the binary for it.
#[test]
fn what_binds_of_a_run_in_code_is_the_cli_summarys() {
    use clearance::experiment::{self, RunOptions, RunView, WhatBinds};
    let scn = baseline();
    let opts = RunOptions {
        replications: Some(20),
        ..Default::default()
    };
    let run = experiment::run(&scn, &opts).unwrap();
    assert_eq!(
        run.summary.what_binds, None,
        "the library's summary leaves it out"
    );
    let binds =
        clearance::analysis::what_binds(&scn, &RunView::from_run(&run)).expect("weeks to read");
    let out = assert_cmd::Command::cargo_bin("clearance")
        .unwrap()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "20",
            "-q",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cli: WhatBinds = serde_json::from_value(v["what_binds"].clone()).unwrap();
    assert_eq!(binds, cli);
    let last = binds
        .sets_date()
        .expect("the baseline's date is set by a span");
    let k = binds.date_set_by.as_ref().unwrap().span;
    assert_eq!(last, &binds.spans[k]);
    assert!(!last.name.is_empty());
}

/// Runs of one scenario and seed on 1 and on 2 threads hold the same results: every field of
/// their summaries but `performance` (`Summary::same_results`), whose wall time differs.
#[test]
fn summaries_on_one_and_two_threads_hold_the_same_results() {
    use clearance::experiment::{self, RunOptions};
    let mut scn = baseline();
    let p = scn.port_index("El Paso").unwrap();
    scn.ports[p].quota_per_day = Some(250);
    let on = |threads| RunOptions {
        replications: Some(12),
        seed: Some(7),
        threads: Some(threads),
        ..Default::default()
    };
    let one = experiment::run(&scn, &on(1)).unwrap();
    let two = experiment::run(&scn, &on(2)).unwrap();
    assert!(one.summary.same_results(&two.summary));
    assert_eq!(one.clearance_days, two.clearance_days);
    assert_eq!(one.summary.performance.threads, 1);
    let mut other = experiment::run(
        &scn,
        &RunOptions {
            seed: Some(8),
            ..on(2)
        },
    )
    .unwrap()
    .summary;
    assert!(
        !one.summary.same_results(&other),
        "another seed, other results"
    );
    other.performance = one.summary.performance.clone();
    assert!(!one.summary.same_results(&other));
}
