//! report.html for a reader who has only the report: the key answers in plain words (who
//! crosses, how certain the date is and what that certainty covers, what sets the date and what
//! staff and quotas change), charts and tables readable by assistive technology, a print
//! stylesheet, a glossary of the terms used, and a reproduce command that gives the report too.
//! Every figure checked here is read back from the run's own summary.json, not from the
//! baseline's values.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

/// `clearance run scenarios/baseline.toml` with `extra` into `out`: its stdout.
fn run(out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        "scenarios/baseline.toml",
        "--replications",
        "20",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = clearance().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // (the table, then the status lines: `wrote DIR` and the hint, on stderr)
    String::from_utf8(o.stdout).unwrap() + &String::from_utf8(o.stderr).unwrap()
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// The text of the Key answers box, tags removed.
fn key_answers(html: &str) -> String {
    let at = html.find("Key answers").expect("key answers");
    let end = at + html[at..].find("</ul>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[at..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#39;", "'")
}

/// The count "about" as the report rounds it, worked out here on its own.
fn about(x: f64) -> String {
    let step = if x >= 1_000.0 {
        100.0
    } else if x >= 100.0 {
        10.0
    } else {
        1.0
    };
    let n = ((x / step).round() * step) as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn key_answers_say_who_crosses_how_certain_and_what_sets_the_date_in_words() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let table = run(&out, &["--report", "--no-charts", "-q"]);
    let v = summary(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let key = key_answers(&html);
    let mean = |p: &str| v.pointer(p).and_then(Value::as_f64).unwrap();

    // Who crosses: the summary's means, in words.
    let processed = mean("/people/processed/mean");
    let total = v["people"]["total"].as_f64().unwrap();
    let who = format!(
        "about {} of the 25,000 people are processed ({:.0}%); about {} are never reached \
         (registration.never = 0.1, an input) and about {} drop out (means over the 20 \
         replications)",
        about(processed),
        100.0 * processed / total,
        about(mean("/people/unreached/mean")),
        about(mean("/people/dropped/mean")),
    );
    assert!(key.contains(&who), "{who}\n{key}");

    // How certain: the spread of the replications first, then the precision of the median,
    // worded as such, then what the certainty does not cover.
    let spread = key.find("How certain: in 9 of 10 replications, clearance falls between ");
    let precision = key.find("How precise the estimate is: from 20 replications");
    let covers = key.find("What the certainty covers: only the randomness");
    assert!(
        spread.is_some() && spread < precision && precision < covers,
        "{key}"
    );
    assert!(key.contains("not the range of outcomes"), "{key}");
    assert!(key.contains("clearance sensitivity"), "{key}");

    // What sets the date: registration sets the capacity bound here, at the day the bound's
    // answer gives, and the health check holds the last people.
    let bound_at = key.find("From capacities alone").unwrap();
    let day_at = bound_at + key[bound_at..].find("(day ").unwrap() + "(day ".len();
    let bound_day: i64 = key[day_at..][..key[day_at..].find(')').unwrap()]
        .parse()
        .unwrap();
    assert!(
        key[bound_at..].contains("the stage that sets this capacity bound is registration"),
        "{key}"
    );
    let story = format!("The scenario expects registrations to end about {bound_day} days in");
    assert!(key.contains(&story), "{story}\n{key}");
    // "What the certainty covers" and the run's table name the same day.
    let covers = format!(
        "Here the date follows the registrations, which the scenario expects to end about day \
         {bound_day} ("
    );
    assert!(key.contains(&covers), "{covers}\n{key}");
    let note = format!("expects to end about day {bound_day} (");
    assert!(table.contains(&note), "{note}\n{table}");
    let gap = mean("/clearance_days/p50") - bound_day as f64;
    assert!(
        key.contains(&format!("clearance follows {gap:.0} days later")),
        "{key}"
    );
    assert!(
        key.contains("shortens how long people wait, not this date"),
        "{key}"
    );
    // The three answers naming a stage each say what they are.
    assert!(key.contains("not necessarily the date"), "{key}");
    assert!(key.contains("the stage the last people are in"), "{key}");
    // "In short" and "What sets the date" tell one account: the stage the last people are in
    // at the end (here the health check) is named in both, after the last registrations.
    let sets = key.find("What sets the date: ").unwrap() + "What sets the date: ".len();
    let stage = &key[sets..sets + key[sets..].find(',').unwrap()];
    assert_eq!(stage, "health check", "{key}");
    assert!(
        key.contains(
            "In short: the date is set by when the last people register and by the health \
             check after it, not by capacity."
        ),
        "{key}"
    );

    // Waits: under 2 days in hours, else in days, and registration to processed in all.
    let port = mean("/stages/port/wait_days/mean");
    let screening = mean("/stages/screening/wait_days/mean");
    assert!(port < 2.0 && screening >= 2.0, "{port} {screening}");
    assert!(
        key.contains(&format!("{:.1} hours at the port", port * 24.0)),
        "{key}"
    );
    assert!(
        key.contains(&format!("{screening:.1} days for screening")),
        "{key}"
    );
    let total_days = mean("/classes/0/days_to_processed/mean");
    assert!(
        key.contains(&format!(
            "from registration to being processed at a port (waits, travel and the health \
             check): {total_days:.1} days"
        )),
        "{key}"
    );
}

/// When a port's capacity sets the date, the report does not say staff and quotas leave the
/// date alone.
#[test]
fn a_date_set_by_capacity_is_not_told_as_one_staff_cannot_move() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let sets: Vec<String> = ["San Ysidro", "El Paso", "Brownsville"]
        .iter()
        .map(|p| format!("port[{p}].quota_per_day=40"))
        .collect();
    let mut args = vec!["--report", "--no-charts", "-q"];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    run(&out, &args);
    let key = key_answers(&std::fs::read_to_string(out.join("report.html")).unwrap());
    assert!(key.contains("What sets the date: port El Paso"), "{key}");
    assert!(!key.contains("not this date"), "{key}");
    assert!(!key.contains("In short"), "{key}");
}

/// An inflow that keeps a port full sets the date long after the registrations `explain`'s
/// bound names (day 120): "In short", "What the certainty covers" and the run's table all leave
/// the registrations out, as the one question they share answers (they had named them in the
/// table and the certainty answer while "What sets the date" named the port).
#[test]
fn an_inflow_that_sets_the_date_is_not_told_as_the_registrations() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let table = run(
        &out,
        &[
            "--report",
            "--no-charts",
            "-q",
            "--set",
            "inflow.rate_per_day=500",
            "--set",
            "inflow.until=150d",
        ],
    );
    let key = key_answers(&std::fs::read_to_string(out.join("report.html")).unwrap());
    assert!(key.contains("What sets the date: port "), "{key}");
    assert!(
        key.contains("What the certainty covers: only the randomness"),
        "{key}"
    );
    assert!(!key.contains("Here the date follows"), "{key}");
    assert!(!key.contains("In short"), "{key}");
    assert!(table.contains("→ median clearance 2022-"), "{table}");
    assert!(
        table.contains("(`clearance sensitivity`, --set) to see how far the date moves)"),
        "{table}"
    );
    assert!(
        !table.contains("the date follows the registrations"),
        "{table}"
    );
}

#[test]
fn charts_and_tables_are_described_for_assistive_technology() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    run(&out, &["--report", "--no-charts", "-q"]);
    let v = summary(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Each chart: a figure named by its caption, the chart's title, and an image described by
    // its aria-label, which does not say the title again (no <title> or <desc> either).
    let figures: Vec<&str> = html.split("<figure id=\"").skip(1).collect();
    assert_eq!(figures.len(), 6);
    let mut labels = Vec::new();
    for f in &figures {
        let id = &f[..f.find('"').unwrap()];
        let head = format!(
            "{id}\" tabindex=\"0\" aria-labelledby=\"{id}-cap\"><figcaption id=\"{id}-cap\">"
        );
        assert!(f.starts_with(&head), "{}", &f[..200]);
        let title = &f[head.len()..f.find("</figcaption>").unwrap()];
        let svg = &f[f.find("<svg").unwrap()..];
        let open = &svg[..svg.find('>').unwrap()];
        let at = open
            .find(" role=\"img\" aria-label=\"")
            .expect("a labelled image")
            + " role=\"img\" aria-label=\"".len();
        let label = &open[at..open.len() - 1];
        assert!(
            label.len() > 40 && !label.contains(title),
            "{title}: {label}"
        );
        assert!(!svg.contains("<title>") && !svg.contains("<desc>"));
        labels.push((title, label));
    }
    // The clearance chart's description gives the median date of this run.
    let p50 = v["clearance_dates"]["p50"].as_str().unwrap();
    let p50 = chrono::NaiveDate::parse_from_str(p50, "%Y-%m-%d").unwrap();
    let desc = labels
        .iter()
        .find(|(t, _)| *t == "When is the backlog cleared?")
        .unwrap()
        .1;
    assert!(
        desc.contains(&format!("median clearance {}", p50.format("%a %d %b %Y"))),
        "{desc}"
    );

    // Every table has a caption, a head, every header a scope, every body row a row header.
    let tables: Vec<&str> = html.split("<table>").skip(1).collect();
    assert!(tables.len() >= 6, "{}", tables.len());
    for t in &tables {
        let t = &t[..t.find("</table>").unwrap()];
        assert!(t.starts_with("<caption id=\"t-"), "{t}");
        let t = &t[t.find("</caption>").unwrap() + "</caption>".len()..];
        assert!(t.starts_with("<thead><tr><th scope=\"col\">"), "{t}");
        assert!(!t.contains("<th>"), "{t}");
        let body = &t[t.find("<tbody>").expect("a body")..];
        for row in body.split("<tr>").skip(1) {
            assert!(row.starts_with("<th scope=\"row\""), "{row}");
        }
    }
}

#[test]
fn the_report_prints_whole_and_defines_its_terms() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    run(&out, &["--report", "--no-charts", "-q"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let print = &html[html.find("@media print{").expect("a print stylesheet")..];
    let print = &print[..print.find("</style>").unwrap()];
    for rule in [
        ".key,.warn,table,figure{break-inside:avoid}",
        "thead{display:table-header-group}",
        "figcaption{break-after:avoid}",
        "figure svg{width:100%;max-width:100%;min-width:0;height:auto}",
    ] {
        assert!(print.contains(rule), "{rule} in {print}");
    }
    // Every term the report links is defined in its glossary, after the rest of the report.
    let glossary = html.find("<h2 id=\"glossary\">Glossary</h2>").unwrap();
    assert!(html.find("<h2>Reproduce</h2>").unwrap() < glossary);
    let mut linked = 0;
    for part in html.split("href=\"#g-").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        assert!(
            html[glossary..].contains(&format!("<dt id=\"g-{id}\">")),
            "{id}"
        );
        linked += 1;
    }
    assert!(linked >= 8, "{linked}");
    // "Cleared" counts the people never reached and dropped out as resolved, as MODEL.md
    // defines clearance: said where the report defines its terms.
    assert!(
        html[glossary..].contains(
            "resolved: processed, dropped out or never reached (the model's definition: the \
             \"time at which the last group of the backlog and phases is resolved (processed, \
             dropped or unreached)\"). Cleared does not mean that everyone crossed."
        ),
        "{}",
        &html[glossary..]
    );
    for term in [
        "Replication",
        "Cleared, clearance; remaining in the backlog",
        "P50, P90, P5, P95",
        "Confidence interval",
        "Censored",
        "Horizon",
        "Binds, binding",
        "Utilization, % used",
        "Capacity bound",
        "Milestones t50, t90, t99",
        "Attrition",
        "Unreached",
        "Appointment",
        "Seed",
        "ECDF",
    ] {
        assert!(html[glossary..].contains(&format!("\">{term}")), "{term}");
    }
}

/// The reproduce command gives the report too, and a run without `--report` says how to make
/// one, unless asked to be quiet or for JSON.
#[test]
fn the_report_is_reproducible_and_a_run_says_how_to_make_one() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o");
    let text = run(&out, &["--no-charts"]);
    let hint = format!(
        "`clearance report {}` makes report.html from it (or add --report to the run)",
        out.display()
    );
    assert!(text.contains(&hint), "{text}");
    assert!(!out.join("report.html").exists());
    clearance()
        .args(["report", out.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<pre>clearance run scenario.toml --out OUTDIR --report</pre>"),
        "reproduce"
    );
    for (i, quiet) in [
        &["--no-charts", "-q"][..],
        &["--no-charts", "--json"],
        &["--no-charts", "--report"],
    ]
    .iter()
    .enumerate()
    {
        let text = run(&d.path().join(format!("q{i}")), quiet);
        assert!(!text.contains("makes report.html"), "{quiet:?}: {text}");
    }
}

/// With fewer runs than make a middle 90% (the run's table says so too), the report names their
/// first and last clearance plainly instead of a "9 in 10" range; and a run cut off by the
/// horizon carries the summary's warning that the other KPIs describe only the groups that
/// finished.
#[test]
fn few_runs_are_named_plainly_and_a_cut_off_run_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("few");
    let o = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "5",
            "--out",
            out.to_str().unwrap(),
            "--report",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let key = key_answers(&html);
    assert!(
        key.contains("How certain: the 5 replications clear between ")
            || key.contains("How certain: the 5 replications all clear on "),
        "{key}"
    );
    assert!(
        key.contains("too few replications to give a middle 90%"),
        "{key}"
    );
    assert!(
        !key.contains("in 9 of 10 replications, clearance falls"),
        "{key}"
    );
    // Nor a P90 ("9 of 10 … cleared by"), a date between runs that no run reached.
    assert!(!key.contains("9 of 10") && !key.contains("P90"), "{key}");
    assert!(!html.contains("describe only the groups that finished by the horizon"));

    let cut = dir.path().join("cut");
    let o = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "5",
            "--set",
            "scenario.horizon=60d",
            "--out",
            cut.to_str().unwrap(),
            "--report",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(cut.join("report.html")).unwrap();
    assert!(
        html.contains("describe only the groups that finished by the horizon"),
        "the censoring warning is missing from the report"
    );
}

/// With everyone registered at once and a long isolation, the health check alone sets the date
/// at the end and no registration bound backs "staff and quotas do not move it": the report
/// leaves that lever to `clearance sensitivity` instead of claiming it.
#[test]
fn the_health_check_alone_at_the_end_makes_no_claim_about_staff_and_quotas() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("health");
    run(
        &out,
        &[
            "--set",
            "registration.delay=\"0.5d\"",
            "--set",
            "health.isolation=60d",
            "--report",
        ],
    );
    let key = key_answers(&std::fs::read_to_string(out.join("report.html")).unwrap());
    assert!(
        key.contains("In short: the last people are in the health check or its isolation"),
        "{key}"
    );
    assert!(
        key.contains("depends on how late those people reached the check"),
        "{key}"
    );
    assert!(!key.contains("not this date"), "{key}");
}

/// `mid.toml` of the checks below: one person, one port whose service takes 2835 minutes, so
/// that every run clears at day 1.96875, 23:15 on 2021-01-02.
fn near_midnight(dir: &Path, replications: u64) -> std::path::PathBuf {
    let file = dir.join("mid.toml");
    std::fs::write(
        &file,
        format!(
            "[scenario]\nname = \"near midnight\"\nstart_date = \"2021-01-01\"\n\
             replications = {replications}\n\n[backlog]\npeople = 1\n\n[[origin]]\nname = \"A\"\n\n\
             [[route]]\nfrom = \"A\"\nto = \"P\"\n\n[[port]]\nname = \"P\"\nservice = \"2835min\"\n"
        ),
    )
    .unwrap();
    file
}

/// A day number printed beside a date falls in that date's day, in the table and the report
/// alike: day 1.96875 is 2021-01-02, and "day 2.0" (2021-01-03) beside it had contradicted it,
/// as had the report's "days 2.0 – 2.0" beside its "day 1.9".
#[test]
fn a_day_number_beside_a_date_is_in_that_dates_day() {
    let dir = tempfile::tempdir().unwrap();
    let file = near_midnight(dir.path(), 30);
    let out = dir.path().join("o");
    let o = clearance()
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--report", "--no-charts"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.contains(
            "  → median clearance 2021-01-02 (day 1.9; 95% CI 1.9 – 1.9 days, within that day)"
        ),
        "{table}"
    );
    // The quantiles' days, with their dates in the row under them.
    let row = table
        .lines()
        .find(|l| l.starts_with("  clearance [days]"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[cells.len() - 4..], ["1.9"; 4], "{row}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let key = key_answers(&html);
    assert!(key.contains("Sat 02 Jan 2021 (day 1.9)"), "{key}");
    assert!(key.contains("(days 1.9 – 1.9)"), "{key}");
    assert!(!key.contains("2.0"), "{key}");
}

/// The report's words agree with their numbers: "1 replication" and "1 person" (the header, the
/// captions and the key answers had said "1 replications", "1 people in the backlog"), and a
/// middle 90% within one date is "on" it, not "between Sat 02 Jan 2021 and Sat 02 Jan 2021".
#[test]
fn one_replication_one_person_and_one_date_are_said_so() {
    let dir = tempfile::tempdir().unwrap();
    for (replications, name) in [(1, "one"), (30, "thirty")] {
        let file = near_midnight(dir.path(), replications);
        let out = dir.path().join(name);
        let o = clearance()
            .args([
                "run",
                file.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .args(["--report", "--no-charts", "-q"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let key = key_answers(&html);
        assert!(
            html.contains("· start 2021-01-01 · 1 person in the backlog and phases"),
            "{html}"
        );
        assert!(key.contains("of the 1 person is processed (100%)"), "{key}");
        if replications == 1 {
            assert!(
                html.contains(
                    "1 <a class=\"g\" href=\"#g-replication\">replication</a> · <a class=\"g\""
                ),
                "{html}"
            );
            assert!(html.contains("over 1 replication<"), "{html}");
            assert!(key.contains("(means over the 1 replication)"), "{key}");
            assert!(!html.contains("1 replications"), "{html}");
        } else {
            assert!(
                key.contains("clearance falls on Sat 02 Jan 2021 (the middle 90% of the 30"),
                "{key}"
            );
            assert!(!key.contains("and Sat 02 Jan 2021"), "{key}");
        }
    }
}

/// A single replication stopped by the horizon is "1 of 1 replication" in the key answers and
/// the warning (they had said "1 of 1 replications").
#[test]
fn one_replication_cut_off_by_the_horizon_is_said_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("one");
    let o = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "1",
            "--set",
            "scenario.horizon=30d",
            "--out",
            out.to_str().unwrap(),
            "--report",
            "--no-charts",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let key = key_answers(&html);
    assert!(
        key.contains(
            "Median clearance: not within the horizon. 1 of 1 replication had not cleared by"
        ),
        "{key}"
    );
    assert!(
        html.contains("Warning: 1 of 1 replication reached the horizon (30 days) before clearing"),
        "{html}"
    );
    assert!(!html.contains(" 1 replications"), "{html}");
    // The censoring note and the milestones' line name their count's number too, where they
    // had written "replication(s)".
    assert!(!html.contains("replication(s)"), "{html}");
    assert!(
        html.contains("1 replication reached the horizon (30 days) before clearing; their"),
        "{html}"
    );
    assert!(html.contains("t99 1 replication."), "{html}");
}

/// The report's Assumptions fold the scenario's warnings as the run's table does: of 25 ports
/// with `servers = 0`, the first 20 warnings and one line counting the others (a scenario of
/// 1,000 closed ports had listed 1,000 warnings there).
#[test]
fn the_report_folds_many_warnings_of_the_scenario() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "[scenario]\nname = \"many closed ports\"\nhorizon = \"20d\"\n[backlog]\npeople = 200\n\
         [[origin]]\nname = \"O\"\n",
    );
    for p in 0..30 {
        text += &format!("[[route]]\nfrom = \"O\"\nto = \"P{p}\"\n");
    }
    for p in 0..30 {
        let servers = if p < 5 { 2 } else { 0 };
        text += &format!("[[port]]\nname = \"P{p}\"\nservers = {servers}\n");
    }
    let scn = d.path().join("closed.toml");
    std::fs::write(&scn, text).unwrap();
    let out = d.path().join("out");
    let o = clearance()
        .args([
            "run",
            scn.to_str().unwrap(),
            "--replications",
            "2",
            "--quiet",
        ])
        .args(["--report", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let at = html.find("<h2>Assumptions</h2>").expect("assumptions");
    let assumptions = &html[at..at + html[at..].find("</ul>").unwrap()];
    assert_eq!(
        assumptions.matches("has servers = 0").count(),
        20,
        "{assumptions}"
    );
    // summary.json keeps every one; the report counts those at places in the file beyond 20.
    let s = summary(&out);
    let all = s["warnings"].as_array().unwrap();
    let closed = all
        .iter()
        .filter(|w| w.as_str().unwrap().contains("has servers = 0"));
    assert_eq!(closed.count(), 25);
    let file = format!("{}:", scn.display());
    let placed = all
        .iter()
        .filter(|w| w.as_str().unwrap().starts_with(&file));
    let n = placed.count();
    assert!(n >= 25, "{all:?}");
    let counted = format!(
        "… and {} more warnings of the scenario ({n} in all)",
        n - 20
    );
    assert!(assumptions.contains(&counted), "{counted}: {assumptions}");
}
