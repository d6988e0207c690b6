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
/// arrivals it left unprocessed (and without the groups note, which the warning contains); 5
/// groups a day (10 people) draw no warning.
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
    // The warning gives the inflow in people a day: the note saying so is not repeated.
    assert!(!table.contains("counts groups"), "{table}");
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

/// `scenario` with `old` replaced by `new` (which must occur).
fn with(scenario: &str, old: &str, new: &str) -> String {
    assert!(scenario.contains(old), "{old:?} not in the scenario");
    scenario.replacen(old, new, 1)
}

/// The diagnostics of a scenario that must be refused.
fn refused(src: &str) -> Vec<clearance::scenario::Diagnostic> {
    match clearance::scenario::load_str(src, "s.toml") {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e.diagnostics,
    }
}

/// A percentage written bare (`never = 3%`, not TOML) gets the number to write, as `never = 3`
/// does, at keys that take a share; elsewhere the general hint stays.
#[test]
fn a_bare_percentage_gets_the_fraction_to_write() {
    let base = inflow_scenario("5").replace("[inflow]", "[registration]\nnever = 0.03\n[inflow]");
    let d = refused(&with(&base, "never = 0.03", "never = 3%"));
    assert_eq!(
        d[0].hint.as_deref(),
        Some("for 3%, write never = 0.03 (a probability from 0 to 1, not a percentage)")
    );
    let d = refused(&with(&base, "never = 0.03", "never = 3"));
    assert_eq!(d[0].hint.as_deref(), Some("for 3%, write 0.03"));
    let d = refused(&with(&base, "quota_per_day = 20", "quota_per_day = 20%"));
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .starts_with("write `key = value`"),
        "{d:?}"
    );
}

/// A calendar date where a time since the start is expected, with no `scenario.start_date`:
/// the hint counts from the default start date and says it is one, and how to set it.
#[test]
fn a_date_counted_from_the_default_start_says_the_start_is_a_default() {
    let base = inflow_scenario("5");
    let without_start = with(&base, "start_date = \"2024-03-04\"\n", "");
    let d = refused(&with(
        &without_start,
        "quota_per_day = 20",
        "quota_per_day = 20\nopens = \"2024-04-18\"",
    ));
    let hint = d[0].hint.as_deref().unwrap();
    assert!(
        hint.contains("scenario.start_date, which is not set, so from its default 2021-01-01")
            && hint.contains("2024-04-18 is \"1203d\"")
            && hint.contains("set start_date"),
        "{hint}"
    );
    // With a start date written, it is counted from that, as before.
    let d = refused(&with(
        &base,
        "quota_per_day = 20",
        "quota_per_day = 20\nopens = \"2024-04-18\"",
    ));
    assert_eq!(
        d[0].hint.as_deref(),
        Some(
            "times count from scenario.start_date (2024-03-04): 2024-04-18 is \"45d\" (00:00 of \
             2024-04-18)"
        )
    );
}

/// A date written for a time that ends a span (`until`, `horizon`) is given back as its days
/// with what they mean: 00:00 of that date, so the date itself is not included, and the days
/// through its end. `validate` prints it.
#[test]
fn a_date_for_an_end_says_it_is_00_00_of_that_date() {
    let dir = tempfile::tempdir().unwrap();
    let base =
        inflow_scenario("5").replace("start_date = \"2024-03-04\"", "start_date = \"2021-01-01\"");
    let file = write(
        dir.path(),
        "dates.toml",
        &base
            .replace("horizon = \"30d\"", "horizon = \"2021-12-31\"")
            .replace("until = \"20d\"", "until = \"2021-01-03\""),
    );
    let out = clearance()
        .args(["validate", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(
            "times count from scenario.start_date (2021-01-01): 2021-01-03 is \"2d\" (00:00 of \
             2021-01-03; through the end of that day is \"3d\")"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "2021-12-31 is \"364d\" (00:00 of 2021-12-31; through the end of that day is \
             \"365d\")"
        ),
        "{text}"
    );
}

/// Two continuous routes from one origin under fifo and `choose_port = "first"`: the second is
/// never used, so it is not also said to take groups to its port before it opens.
#[test]
fn a_route_never_used_is_not_said_to_carry_people_early() {
    let two = with(
        &inflow_scenario("5"),
        "[[port]]",
        "[[route]]\nfrom = \"Camp\"\nto = \"Late\"\ndepartures = \"continuous\"\n\
         [[port]]\nname = \"Late\"\nopens = \"10d\"\n[[port]]",
    );
    let warnings = clearance::scenario::load_str(&two, "s.toml")
        .unwrap()
        .warnings;
    assert!(
        warnings.iter().any(|w| w.contains("is never used")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("before the port opens")),
        "{warnings:?}"
    );
    // Under shortest_queue the route is used, and the early travel is warned about.
    let used = two.replacen(
        "[[route]]",
        "[dispatch]\nchoose_port = \"shortest_queue\"\n[[route]]",
        1,
    );
    let warnings = clearance::scenario::load_str(&used, "s.toml")
        .unwrap()
        .warnings;
    assert!(
        warnings.iter().any(|w| w.contains("before the port opens")),
        "{warnings:?}"
    );
}

/// A route to a port whose section has no `name`: the hint says so, not that there are none.
#[test]
fn a_route_to_an_unnamed_port_says_the_port_has_no_name() {
    let d = refused(&with(&inflow_scenario("5"), "name = \"Gate\"\n", ""));
    let to = d
        .iter()
        .find(|d| d.key.as_deref() == Some("route[1].to"))
        .expect("route[1].to");
    assert_eq!(
        to.hint.as_deref(),
        Some("the port written has no `name`: add name = \"Gate\" to the one meant")
    );
}

/// `target` over a duration key: `--min 0d --max 2w --step 1w` is counted in days (it had been
/// refused for mixing units), the values of a time since the start are printed with their
/// dates, and a goal no value meets gets the best measure reached and, the measure being the
/// same at every value, that the key does not move it.
#[test]
fn target_mixes_duration_units_dates_its_values_and_says_why_a_goal_is_missed() {
    let dir = tempfile::tempdir().unwrap();
    // A second port no route reaches: its opening moves nothing.
    let src = with(
        &inflow_scenario("5"),
        "[[port]]",
        "[[port]]\nname = \"Spare\"\nquota_per_day = 5\n[[port]]",
    );
    let p = write(dir.path(), "t.toml", &src);
    let out = clearance()
        .args([
            "target",
            p.to_str().unwrap(),
            "--vary",
            "port[Spare].opens",
            "--goal",
            "min(clearance_days) < 0",
            "--min",
            "0d",
            "--max",
            "2w",
            "--step",
            "1w",
            "--replications",
            "2",
            "--quiet",
        ])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("in 0d..=14d (step 7d)"), "{text}");
    assert!(
        text.contains("0d (2024-03-04)  min(clearance_days) = "),
        "{text}"
    );
    assert!(
        text.contains("14d (2024-03-18)  min(clearance_days) = "),
        "{text}"
    );
    assert!(
        text.contains("  best reached: min(clearance_days) = ")
            && text.contains("at port[Spare].opens = 0d (2024-03-04), against the goal"),
        "{text}"
    );
    assert!(
        text.contains(
            "why: min(clearance_days) is the same at every value tried, so port[Spare].opens \
             does not move it here"
        ),
        "{text}"
    );
}

/// A scenario of one route, `departures` a day on `days`, over `horizon`.
fn timetable_scenario(departures: &str, days: &str, horizon: &str) -> String {
    format!(
        r#"
[scenario]
name = "buses"
start_date = "2024-03-04"
horizon = "{horizon}"
replications = 2
[backlog]
people = 10
[[origin]]
name = "Camp"
[[route]]
from = "Camp"
to = "Gate"
departures = [{departures}]
days = [{days}]
seats = 50
travel = "1h"
[[port]]
name = "Gate"
quota_per_day = 20
"#
    )
}

/// A timetable of millions of departures within the horizon (a bus every minute for a
/// century: 52,560,000) validated with a plain "ok" and ran for hours when its runs went to
/// the horizon: `validate` and `run` warn of it, with the count, the route and what to change,
/// and `--deny-warnings` fails on it. The bundled scenarios, and the same timetable over a
/// year, give no such warning.
#[test]
fn a_timetable_of_millions_of_departures_is_warned_of() {
    let d = tempfile::tempdir().unwrap();
    let minutes: Vec<String> = (0..1440)
        .map(|m| format!("\"{:02}:{:02}\"", m / 60, m % 60))
        .collect();
    let every_day = r#""Mon","Tue","Wed","Thu","Fri","Sat","Sun""#;
    let century = write(
        d.path(),
        "century.toml",
        &timetable_scenario(&minutes.join(","), every_day, "36500d"),
    );
    let century = century.to_str().unwrap();
    let warning = "route[1].departures: the timetables give 52,560,000 departures within the \
                   horizon (36,500 days), more than 5,000,000: 52,560,000 on route Camp->Gate \
                   (1,440 a day on its days); every departure is an event of each replication \
                   that runs to the horizon";
    let out = stdout_of(&["validate", century]);
    assert!(
        out.contains("with 1 warning") && out.contains(warning),
        "{out}"
    );
    assert!(
        out.contains("give route Camp->Gate fewer departure times"),
        "{out}"
    );
    clearance()
        .args(["validate", "--deny-warnings", century])
        .assert()
        .code(2);
    // A warning, not a refusal: the run goes on (it clears on its first day).
    let out = stdout_of(&["run", century, "-q"]);
    assert!(out.contains(warning), "{out}");
    // Only days of service, and only departures before the horizon, count: Mon–Fri over
    // 36,499.5 days from a Monday is 5,214 weeks' 5 days (26,070), a Monday and a Tuesday's
    // first 12 hours.
    let weekdays = write(
        d.path(),
        "weekdays.toml",
        &timetable_scenario(
            &minutes.join(","),
            r#""Mon","Tue","Wed","Thu","Fri""#,
            "36499.5d",
        ),
    );
    let out = stdout_of(&["validate", weekdays.to_str().unwrap()]);
    assert_eq!(26_071 * 1440 + 720, 37_542_960);
    assert!(
        out.contains("the timetables give 37,542,960 departures within the horizon (36499.5 days)"),
        "{out}"
    );
    // A year of it, and every bundled scenario: no warning of departures.
    let year = write(
        d.path(),
        "year.toml",
        &timetable_scenario(&minutes.join(","), every_day, "365d"),
    );
    let bundled: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    assert!(bundled.len() >= 7, "{bundled:?}");
    for f in bundled
        .iter()
        .map(String::as_str)
        .chain([year.to_str().unwrap()])
    {
        let out = stdout_of(&["validate", f]);
        assert!(!out.contains("departures within the horizon"), "{f}: {out}");
    }
}

/// One port serving one person at a time, 12 hours each on average: 10,000 people take about
/// 5,000 days, within a 36,500-day horizon.
const LONG: &str = r#"
[scenario]
name = "long"
start_date = "2021-12-20"
horizon = "36500d"
replications = 4

[backlog]
people = 10000

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = { dist = "exponential", mean = "12h" }
"#;

#[test]
fn a_backlog_clearing_after_ten_years_is_analysed_up_to_its_clearance() {
    let dir = tempfile::tempdir().unwrap();
    let scn = write(dir.path(), "long.toml", LONG);
    let s = scn.to_str().unwrap();
    // explain: the bound is day 4,999 (10,000 half-days), not "not reached" at day 3,650.
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["explain", s, "--json"])).unwrap();
    assert_eq!(json["lower_bound_day"], 4999, "{json}");
    assert!(json["days_analysed"].as_u64().unwrap() > 4999, "{json}");
    let text = stdout_of(&["explain", s]);
    assert!(!text.contains("not reached"), "{text}");
    // A run: "What binds" covers the weeks up to the median clearance, past day 3,650.
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    stdout_of(&["run", s, "--out", o, "--quiet", "--report"]);
    let sum: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let binds = &sum["what_binds"];
    assert_eq!(binds["up_to"], "median_clearance", "{binds}");
    let last = binds["spans"].as_array().unwrap().last().unwrap()["to_day"]
        .as_u64()
        .unwrap();
    let p50 = sum["clearance_days"]["p50"].as_f64().unwrap();
    assert!(
        last as f64 >= p50.floor() - 7.0 && p50 > 4500.0,
        "{last} {p50}"
    );
    // The report's table gives the ports' finish, not "not within the horizon".
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        !html.contains("not within the horizon"),
        "report says not within the horizon"
    );
    assert!(
        html.contains("(day 4999)"),
        "report lacks the port's finish"
    );
}

/// `clearance run tests/scenarios/port-servers-bind.toml` with `options`, `--out out` and a
/// `--set` for each of `set`: its standard output.
fn run_servers_bind(out: &std::path::Path, options: &[&str], set: &[&str]) -> String {
    let mut args = vec!["run", "tests/scenarios/port-servers-bind.toml"];
    args.extend_from_slice(options);
    args.extend(["--out", out.to_str().unwrap()]);
    for s in set {
        args.extend(["--set", s]);
    }
    stdout_of(&args)
}

/// The lever of a port that binds at the end names what limits it, as `--set` keys: its servers
/// (4 serve about 72 a day under a quota of 80: a higher quota would only book people they
/// cannot serve, and made the median later, 67.7 → 76.4 days), or, with 6 servers (108 a day),
/// its quota. It had said "more of its capacity" for both, which reads as the quota.
#[test]
fn the_date_lever_names_a_ports_servers_or_its_quota() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, set: &[&str]| {
        let out = dir.path().join(name);
        let text = run_servers_bind(&out, &["--replications", "20", "--quiet"], set)
            .replace("\n    ", " ");
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        (text, summary["what_binds"]["date_set_by"].clone())
    };
    // The servers bind.
    let (text, json) = run("servers", &[]);
    assert!(
        text.contains("the date is set by what binds at the end, Port B (from 2027-01-04):"),
        "{text}"
    );
    let servers = "its servers are what limits it (4 servers serve about 72 people a day, under \
                   its quota of 80 a day), not its quota: under appointment a higher quota books \
                   more people a day than the servers can serve, who then wait at the port; more \
                   servers (`port[Port B].servers`), longer opening (`port[Port B].hours`) or a \
                   shorter service would bring the date forward";
    assert!(text.contains(servers), "{text}");
    assert!(!text.contains("more of its capacity"), "{text}");
    assert_eq!(json["lever"], servers);
    assert_eq!(
        json["inputs"],
        serde_json::json!(["port[Port B].servers", "port[Port B].hours"])
    );
    // The quota binds.
    let (text, json) = run("quota", &["port[Port B].servers=6"]);
    let quota = "its quota is what limits it (80 a day; its servers could serve about 108): a \
                 higher quota (`port[Port B].quota_per_day`) would bring the date forward, more \
                 servers would not";
    assert!(text.contains(quota), "{text}");
    assert_eq!(json["lever"], quota);
    assert_eq!(
        json["inputs"],
        serde_json::json!(["port[Port B].quota_per_day"])
    );
}

/// Under appointment the transport wait (ready → boarding) is mostly waiting for a port's
/// quota: doubling the seats of port-servers-bind.toml left its 31-day "transport" wait as it
/// was. The run table's row, a note under it, the report's waits, its stages table and its
/// glossary say that it includes waiting for an appointment; under fifo they do not.
#[test]
fn the_transport_wait_under_appointment_says_it_includes_the_appointment() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, set: &[&str]| {
        let out = dir.path().join(name);
        let text = run_servers_bind(
            &out,
            &["--replications", "10", "--no-charts", "--report"],
            set,
        );
        (
            text,
            std::fs::read_to_string(out.join("report.html")).unwrap(),
        )
    };
    let (text, report) = run("appointment", &[]);
    let row = text.lines().find(|l| l.starts_with("  transport")).unwrap();
    assert!(
        row.starts_with("  transport (incl. appointment)         31.3"),
        "{text}"
    );
    assert!(
        text.contains(
            "  (under appointment the transport wait, ready → boarding, includes waiting for a \
             port\n   appointment, a day the port's quota has room, not only for a seat: more \
             seats shorten\n   only the rest of it)"
        ),
        "{text}"
    );
    assert!(
        report.contains("for transport, including waiting for a port appointment"),
        "{report}"
    );
    assert!(report.contains("transport (incl. waiting for an appointment): wait"));
    assert!(report.contains("<dt id=\"g-transport-wait\">Transport wait</dt>"));
    // Under fifo: the plain row, no note.
    let (text, report) = run("fifo", &["dispatch.policy=\"fifo\""]);
    assert!(text.contains("\n  transport            "), "{text}");
    assert!(!text.contains("appointment"), "{text}");
    assert!(!report.contains("including waiting for a port appointment"));
    assert!(report.contains("transport: wait"));
}

/// Utilization counts service running past closing against the staff time of open hours, so a
/// port can read over 100% (port-servers-bind.toml's Port B, 105%): the run table's note and the
/// report's glossary say so. The glossary had said "the share of the offered staff time (or
/// seats) that was busy", which a reading of 105% contradicted.
#[test]
fn utilization_over_100_percent_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let text = run_servers_bind(
        &out,
        &["--replications", "10", "--no-charts", "--report"],
        &[],
    );
    let port_b = text.lines().find(|l| l.starts_with("  Port B")).unwrap();
    let used: f64 = port_b
        .split_whitespace()
        .last()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    assert!(used > 100.0, "{text}");
    assert!(
        text.contains(
            "   Utilization: busy staff time over the staff time offered in open hours, counting \
             service that\n   runs past closing, so it can pass 100%; for transport, seats \
             filled over seats offered)"
        ),
        "{text}"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains(
            "Staff time is offered in open hours only, while a service started before closing \
             runs on past it and counts as busy, so a stage's or port's utilization can exceed \
             100%."
        ),
        "{report}"
    );
}

/// Hours that wrap past midnight on some days only: `validate` says what opens (each day in
/// `days` 00:00–02:00 and 20:00–24:00, MODEL.md), not a night shift into the next day, for a port
/// and for screening; with every day open it still says the night shift.
#[test]
fn hours_past_midnight_on_some_days_say_what_opens() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = |days: &str| {
        format!(
            r#"
[scenario]
name = "night"
start_date = "2021-01-01"
horizon = "30d"
replications = 1
[backlog]
people = 10
[screening]
servers = 1
hours = ["22:00", "03:00"]
{days}
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
servers = 1
service = "1h"
hours = ["20:00", "02:00"]
{days}
"#
        )
    };
    let some = write(dir.path(), "some.toml", &scenario(r#"days = ["Fri"]"#));
    let text = stdout_of(&["validate", some.to_str().unwrap()]);
    assert!(
        text.contains(
            "port[P].hours: open on each day in `days` (Fri), 00:00–02:00 and 20:00–24:00 (the \
             hours after midnight belong to the day they fall on, not to the night before): for \
             a night shift from Fri 20:00 to Sat 02:00, add Sat to `days`; if you meant 02:00 to \
             20:00, write [\"02:00\", \"20:00\"]"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "screening.hours: open on each day in `days` (Fri), 00:00–03:00 and 22:00–24:00"
        ),
        "{text}"
    );
    assert!(!text.contains("the next day"), "{text}");
    // Fri and Sat: Friday's night runs into Saturday; Saturday's is the one cut at midnight.
    let two = write(
        dir.path(),
        "two.toml",
        &scenario(r#"days = ["Fri", "Sat"]"#),
    );
    let text = stdout_of(&["validate", two.to_str().unwrap()]);
    assert!(
        text.contains("for a night shift from Sat 20:00 to Sun 02:00, add Sun to `days`"),
        "{text}"
    );
    let every = write(dir.path(), "every.toml", &scenario(""));
    let text = stdout_of(&["validate", every.to_str().unwrap()]);
    assert!(
        text.contains(
            "port[P].hours: open from 20:00 to 02:00 the next day (6 h overnight); if you meant \
             02:00 to 20:00"
        ),
        "{text}"
    );
    assert!(
        text.contains("screening.hours: open from 22:00 to 03:00 the next day (5 h overnight)"),
        "{text}"
    );
}

/// A port named "Port A" is called so, not "port Port A": in `explain`'s table and notes, the
/// scenario's warnings, and the run's "What binds" lines and their sentence. Ports named
/// otherwise keep the word ("port Hidalgo").
#[test]
fn a_port_named_port_something_is_not_called_port_twice() {
    let dir = tempfile::tempdir().unwrap();
    let scn = write(
        dir.path(),
        "ports.toml",
        r#"
[scenario]
name = "ports named Port"
start_date = "2027-01-04"
horizon = "365d"
replications = 4
[backlog]
people = 3000
[[origin]]
name = "Camp"
[dispatch]
policy = "appointment"
[[route]]
from = "Camp"
to = "Port A"
departures = "continuous"
travel = "1h"
[[route]]
from = "Camp"
to = "port of entry B"
departures = ["07:00", "12:00"]
seats = 55
[[route]]
from = "Camp"
to = "Hidalgo"
departures = ["08:00"]
seats = 20
[[port]]
name = "Port A"
quota_per_day = 30
servers = 2
service = "40min"
hours = ["08:00", "16:00"]
holding = 40
[[port]]
name = "port of entry B"
quota_per_day = 20
servers = 1
service = "40min"
[[port]]
name = "Hidalgo"
quota_per_day = 10
"#,
    );
    let scn = scn.to_str().unwrap();
    let doubled = |text: &str| text.to_lowercase().contains("port port");
    let explain = clearance().args(["explain", scn]).output().unwrap();
    assert!(explain.status.success());
    let text = String::from_utf8_lossy(&explain.stdout).to_string()
        + &String::from_utf8_lossy(&explain.stderr);
    assert!(!doubled(&text), "{text}");
    // Each place is there, under the name alone.
    for said in [
        "  Port A  ",
        "  port of entry B  ",
        "  port Hidalgo  ",
        "Port A's holding limit (40 people waiting there or in transit to it) holds a \
         continuous route",
        "while Port A's holding limit (40 people",
        "on days Port A has no quota left to book",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    let out = dir.path().join("out");
    let run = stdout_of(&["run", scn, "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(!doubled(&run), "{run}");
    assert!(run.contains("What binds"), "{run}");
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!doubled(&summary), "{summary}");
}

/// A port whose quota is more than its servers can serve in its opening hours (500 a day, 2
/// servers × 6 h of 30-minute services: 24 groups, about 41 people) is named in `explain`'s
/// notes with both figures and the levers, where its capacity had shown the smaller figure
/// without a word; a port whose servers keep up with its quota gets no such note.
#[test]
fn explain_notes_a_quota_its_servers_cannot_serve() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = |quota: u32| {
        format!(
            r#"[scenario]
name = "q"
start_date = "2024-03-04"
horizon = "200d"
[backlog]
people = 3000
group_size = {{ dist = "empirical", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }}
[[origin]]
name = "O"
[[route]]
from = "O"
to = "Gate"
departures = ["06:00"]
seats = 600
travel = "4h"
[[port]]
name = "Gate"
quota_per_day = {quota}
servers = 2
service = "30min"
hours = ["08:00", "14:00"]
"#
        )
    };
    let over = write(dir.path(), "over.toml", &scenario(500));
    let text = stdout_of(&["explain", over.to_str().unwrap()]);
    assert!(
        text.contains(
            "Note: Port Gate's quota of 500 a day is more than its servers serve: 2 servers in \
             its opening hours serve about 41 people a day (about 24 groups at 30min mean \
             service), so its capacity shows that. More servers (`port[Gate].servers`) or \
             longer hours (`port[Gate].hours`), or a smaller quota (`port[Gate].quota_per_day`), \
             would make the two agree."
        ),
        "{text}"
    );
    let under = write(dir.path(), "under.toml", &scenario(20));
    let text = stdout_of(&["explain", under.to_str().unwrap()]);
    assert!(!text.contains("more than its servers serve"), "{text}");
}
