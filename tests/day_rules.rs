//! Rules of MODEL.md §1 where two careful readings could differ, pinned on small scenarios worked
//! by hand: which day an event counts in (the day `day_of` gives it, in the port quota, the event
//! log and the daily series alike, also at a midnight reached by adding up fixed service times in
//! floating point, a little short of the whole number; a saved run ending so is read back), which
//! disruption factor sets a port's `fifo` quota when it changes partway through a day, which days
//! hours that wrap past midnight open on, and how `shortest_queue` counts groups dispatched at
//! one instant, and that an event at a midnight where a run stops is in the daily series.

use clearance::model::{simulate, ReplicationResult, SimOptions, TraceEvent};
use clearance::scenario::{day_of, load_str, Scenario};
use std::collections::BTreeMap;

fn scn(toml: &str) -> Scenario {
    match load_str(toml, "day_rules.toml") {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn traced(s: &Scenario) -> ReplicationResult {
    simulate(s, 0, &SimOptions { trace: true })
}

fn events<'a>(r: &'a ReplicationResult, name: &'a str) -> impl Iterator<Item = &'a TraceEvent> {
    r.trace.iter().filter(move |e| e.event == name)
}

/// The times of one event kind, in log order.
fn times(r: &ReplicationResult, name: &str) -> Vec<f64> {
    events(r, name).map(|e| e.time).collect()
}

/// People per day (`day_of`) for one event kind, over `days` days.
fn per_day(r: &ReplicationResult, name: &str, days: usize) -> Vec<u32> {
    let mut v = vec![0; days];
    for e in events(r, name) {
        v[day_of(e.time) as usize] += e.size.unwrap();
    }
    v
}

/// 1 server, a fixed 20-minute service, a quota of 72 a day, 150 people at the port at t = 0:
/// the k-th service (from 0) starts at k × 20 min, summed in floating point, so the 72nd ends
/// and the 73rd would start at a midnight reached by 72 additions (0.9999999999999983).
const S17: &str = r#"
[scenario]
name = "midnight round-off"
start_date = "2021-02-19"
horizon = "30d"
replications = 1

[backlog]
people = 150

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = "20min"
quota_per_day = 72
"#;

#[test]
fn a_midnight_reached_by_summed_service_times_counts_in_the_next_day() {
    let s = scn(S17);
    let r = traced(&s);
    // Worked exactly, in units of 20 minutes (72 a day): starts at 0..72 on day 0 (the last at
    // 71, ending at 72 = midnight), 72..144 on day 1, then 6 on day 2.
    let mut starts: Vec<u64> = Vec::new();
    let mut t = 0u64;
    let mut used: BTreeMap<u64, u64> = BTreeMap::new();
    for _ in 0..150 {
        let mut d = t / 72;
        if used.get(&d).copied().unwrap_or(0) >= 72 {
            d += 1;
            t = 72 * d;
        }
        *used.entry(d).or_insert(0) += 1;
        starts.push(t);
        t += 1;
    }
    let ends: Vec<u64> = starts.iter().map(|s| s + 1).collect();
    let end_of = |d: u64| 72 * (d + 1);
    let days = 3u64;
    let processed: Vec<u32> = (0..days)
        .map(|d| ends.iter().filter(|&&e| e < end_of(d)).count() as u32)
        .collect();
    let today: Vec<u32> = (0..days)
        .map(|d| {
            let n = ends.iter().filter(|&&e| e >= 72 * d && e < end_of(d));
            n.count() as u32
        })
        .collect();
    let waiting: Vec<u32> = (0..days)
        .map(|d| starts.iter().filter(|&&x| x >= end_of(d)).count() as u32)
        .collect();
    assert_eq!(processed, [71, 143, 150]);
    assert_eq!(today, [71, 72, 7]);
    assert_eq!(waiting, [78, 6, 0]);
    let series = |name: &str| r.daily_series(&s, name).unwrap();
    assert_eq!(series("processed"), processed);
    assert_eq!(series("processed_today:P"), today);
    assert_eq!(series("waiting_port"), waiting);
    assert_eq!(series("waiting:P"), waiting);
    let remaining: Vec<u32> = processed.iter().map(|p| 150 - p).collect();
    assert_eq!(series("remaining"), remaining);
    // The quota, the event log and the series agree: the 72nd service ends a little short of
    // 1.0 in floating point, which `day_of` puts in day 1.
    let done = times(&r, "processed");
    assert!(done[71] < 1.0 && day_of(done[71]) == 1, "{}", done[71]);
    assert_eq!(per_day(&r, "port_start", days as usize), [72, 72, 6]);
    assert_eq!(per_day(&r, "processed", days as usize), today);
    // Without the trace (the run `clearance run` makes), the same series.
    let quiet = simulate(&s, 0, &SimOptions::default());
    assert_eq!(quiet.daily_series(&s, "processed_today:P").unwrap(), today);
}

/// Two origins and three ports with fixed service, screening, health-check and travel times
/// whose sums fall on midnights again and again (20, 45 and 9 minutes, 30-minute screening, a
/// 1-day health check, 8-hour bus trips): the daily series, rebuilt event by event from the
/// event log with `day_of`, match the simulation's own.
const MIDNIGHTS: &str = r#"
[scenario]
name = "many midnights"
start_date = "2021-02-19"
horizon = "60d"
seed = 11
replications = 1

[backlog]
people = 3000
group_size = { dist = "empirical", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }

[[origin]]
name = "A"
share = 0.5

[[origin]]
name = "B"
share = 0.5

[registration]
delay = { dist = "empirical", values = ["0d", "1d", "2d"], weights = [0.5, 0.25, 0.25] }

[screening]
servers = 2
service = "30min"

[health]
turnaround = "1d"
positive = 0.0

[[route]]
from = "A"
to = "P1"
departures = "continuous"
travel = "0min"

[[route]]
from = "A"
to = "P3"
departures = "continuous"
travel = "0min"

[[route]]
from = "B"
to = "P2"
departures = ["00:00", "08:00", "16:00"]
seats = 40
travel = "8h"

[[port]]
name = "P1"
servers = 1
service = "20min"
quota_per_day = 100
holding = 30

[[port]]
name = "P2"
servers = 2
service = "45min"
quota_per_day = 120

[[port]]
name = "P3"
servers = 1
service = "9min"
"#;

#[test]
fn the_daily_series_count_each_event_in_the_day_the_event_log_gives_it() {
    check_days_against_the_log(&scn(MIDNIGHTS));
    // Scheduled routes alone: runs without the log then apply health-check ends lazily, at the
    // next event or day's end.
    let scheduled = MIDNIGHTS.replace(
        "departures = \"continuous\"",
        "departures = [\"00:00\", \"06:00\", \"12:00\", \"18:00\"]\nseats = 50",
    );
    assert!(!scheduled.contains("continuous"));
    check_days_against_the_log(&scn(&scheduled));
}

fn check_days_against_the_log(s: &Scenario) {
    let r = traced(s);
    assert_eq!(r.processed, 3000, "the run clears");
    let days = r.daily.days();
    assert!(days > 5, "{days} days");
    // Events a little short of a whole number that `day_of` puts in the next day: the case
    // where comparing with the whole number would count them a day early.
    let near = r
        .trace
        .iter()
        .filter(|e| e.time < e.time.round() && day_of(e.time) as f64 == e.time.round())
        .count();
    assert!(near >= 20, "only {near} events just short of a midnight");
    // Rebuild the series from the log: each event changes the counts of the day `day_of` gives.
    let by_day = |name: &str, key: &dyn Fn(&TraceEvent) -> bool| {
        let mut v = vec![0i64; days];
        for e in events(&r, name).filter(|e| key(e)) {
            let d = day_of(e.time) as usize;
            if d < days {
                v[d] += e.size.unwrap() as i64;
            }
        }
        v
    };
    let cumulative = |v: Vec<i64>| {
        let mut sum = 0;
        v.into_iter()
            .map(|x| {
                sum += x;
                sum
            })
            .collect::<Vec<i64>>()
    };
    let all = |_: &TraceEvent| true;
    let series = |name: &str| -> Vec<i64> {
        let v = r.daily_series(s, name).unwrap();
        v.into_iter().map(i64::from).collect()
    };
    let diff =
        |a: Vec<i64>, b: Vec<i64>| -> Vec<i64> { a.iter().zip(&b).map(|(x, y)| x - y).collect() };
    let processed = cumulative(by_day("processed", &all));
    assert_eq!(series("processed"), processed);
    assert_eq!(
        series("remaining"),
        processed.iter().map(|p| 3000 - p).collect::<Vec<_>>()
    );
    let registered = cumulative(by_day("register", &all));
    let screened = cumulative(by_day("screening_start", &all));
    assert_eq!(series("waiting_screening"), diff(registered, screened));
    let ready = cumulative(by_day("screening_end", &all));
    let boarded = cumulative(by_day("board", &all));
    let arrived = cumulative(by_day("arrive", &all));
    assert_eq!(series("waiting_ready"), diff(ready, boarded.clone()));
    assert_eq!(series("in_transit"), diff(boarded, arrived.clone()));
    let started = cumulative(by_day("port_start", &all));
    assert_eq!(series("waiting_port"), diff(arrived, started));
    for port in ["P1", "P2", "P3"] {
        let at = |e: &TraceEvent| e.port.as_deref() == Some(port);
        assert_eq!(
            series(&format!("processed_today:{port}")),
            by_day("processed", &at),
            "{port}"
        );
        let waiting = diff(
            cumulative(by_day("arrive", &at)),
            cumulative(by_day("port_start", &at)),
        );
        assert_eq!(series(&format!("waiting:{port}")), waiting, "{port}");
    }
    for origin in ["A", "B"] {
        let from = |e: &TraceEvent| e.origin.as_deref() == Some(origin);
        assert_eq!(
            series(&format!("boarded_today:{origin}")),
            by_day("board", &from),
            "{origin}"
        );
    }
    // The run `clearance run` makes (no log, health-check ends applied lazily) has the same
    // series.
    let quiet = simulate(s, 0, &SimOptions::default());
    assert_eq!(quiet.daily, r.daily);
}

#[test]
fn a_saved_run_ending_just_short_of_a_midnight_is_read_back() {
    // 72 people served in 20 minutes each: the last ends at 0.9999999999999983, in day 1, so
    // daily.csv has days 0 and 1; `chart DIR` (which reads the saved run back) had refused it
    // as incomplete ("the last replication ended on day 0").
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, S17.replace("people = 150", "people = 72")).unwrap();
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_clearance");
    let run = std::process::Command::new(bin)
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let daily = std::fs::read_to_string(out.join("daily.csv")).unwrap();
    assert!(
        daily.contains("\n0,2021-02-19,processed,71,")
            && daily.contains("\n1,2021-02-20,processed,72,"),
        "{daily}"
    );
    let chart = std::process::Command::new(bin)
        .arg("chart")
        .arg(&out)
        .output()
        .unwrap();
    assert!(chart.status.success(), "{chart:?}");
}

/// `target` with a goal written as a date gives the date of the measure by the same day rule:
/// a clearance at 0.9999999999999983 (72 services of 20 minutes summed) is on day 1, 2021-02-20
/// (it had printed 2021-02-19, from `floor`).
#[test]
fn target_dates_a_measure_by_the_day_rule() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    // `target` on the file as written now; its standard output.
    let target = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
            .arg("target")
            .arg(&file)
            .args([
                "--vary",
                "port[P].quota_per_day",
                "--min",
                "70",
                "--max",
                "80",
            ])
            .args([
                "--step",
                "1",
                "--goal",
                "max(clearance_days) <= 2021-02-20",
                "-q",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    std::fs::write(
        &file,
        S17.replace("people = 150", "people = 72")
            .replace("replications = 1", "replications = 2"),
    )
    .unwrap();
    let stdout = target();
    assert!(
        stdout.contains("80  max(clearance_days) = 1.00 (2021-02-20): meets the goal"),
        "{stdout}"
    );
    // A clearance 3 minutes before a midnight (0.9979 days) is on day 0, 2021-02-19: its days
    // are not rounded up into day 1 beside that date (it had printed "1.00 (2021-02-19)").
    std::fs::write(
        &file,
        S17.replace("people = 150", "people = 1")
            .replace("replications = 1", "replications = 2")
            .replace("service = \"20min\"", "service = \"1437min\""),
    )
    .unwrap();
    let stdout = target();
    assert!(
        stdout.contains("max(clearance_days) = 0.99 (2021-02-19)") && !stdout.contains("1.00"),
        "{stdout}"
    );
}

/// Port service starts per day (`day_of`) over `days` days.
fn starts_per_day(r: &ReplicationResult, days: usize) -> Vec<u32> {
    per_day(r, "port_start", days)
}

/// One port P fed at once from origin A (a continuous route with no travel time) by `people`
/// singles at t = 0; `port` holds P's keys after its name, `extra` further tables.
fn one_port(people: u32, port: &str, extra: &str) -> Scenario {
    scn(&format!(
        r#"
[scenario]
name = "one port"
start_date = "2021-02-19"
horizon = "30d"
replications = 1

[backlog]
people = {people}

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
{port}
{extra}
"#
    ))
}

#[test]
fn a_fifo_quota_follows_the_factor_in_force_at_each_start() {
    // Quota 4 a day, one server, 3-hour services (exact in binary). ×0.5 from 09:00 to 18:00 on
    // day 0: three started by 09:00, above floor(4 × 0.5) = 2, so nobody starts until 18:00,
    // when the quota is 4 again and the three count against it: one more. ×0.5 from 06:00 on
    // day 2 to the end of the day: two started by 06:00 = floor(4 × 0.5), so no more that day.
    let s = one_port(
        20,
        "servers = 1\nservice = \"3h\"\nquota_per_day = 4",
        r#"
[[disruption]]
ports = ["P"]
from = "0.375d"
until = "0.75d"
capacity = 0.5

[[disruption]]
ports = ["P"]
from = "2.25d"
until = "3d"
capacity = 0.5
"#,
    );
    let r = traced(&s);
    let t = times(&r, "port_start");
    assert_eq!(t[..4], [0.0, 0.125, 0.25, 0.75]);
    assert_eq!(t[4..8], [1.0, 1.125, 1.25, 1.375]);
    assert_eq!(t[8..11], [2.0, 2.125, 3.0]);
    // MODEL.md's example: quota 10 with a ramp from 1 over 3 days from opening at 2.5d, open
    // 13:00 to 14:00, ×0.5 from 4.5d to 5.5d. Day 4's hours fall inside the disruption:
    // floor(7 × 0.5) = 3; day 5's after it: 10.
    let s = one_port(
        40,
        "opens = \"2.5d\"\nhours = [\"13:00\", \"14:00\"]\nquota_per_day = 10\n\
         ramp = { from = 1, over = \"3d\" }",
        "[[disruption]]\nports = [\"P\"]\nfrom = \"4.5d\"\nuntil = \"5.5d\"\ncapacity = 0.5\n",
    );
    assert_eq!(
        starts_per_day(&traced(&s), 9),
        [0, 0, 1, 4, 3, 10, 10, 10, 2]
    );
}

/// A disruption's boundary has the guard a midnight has: the 73rd start of a 20-minute service,
/// summed 72 times to 0.9999999999999983, is at t = 1 in exact arithmetic, inside a closure from
/// day 1, so it waits for the closure's end (one start had slipped in before it, counted on the
/// closed day 1 by `day_of`, and the day after got 5 instead of 6).
#[test]
fn a_disruption_starting_at_a_midnight_reached_by_summed_times_applies_there() {
    let s = one_port(
        150,
        "servers = 1\nservice = \"20min\"\nquota_per_day = 72",
        "[[disruption]]\nports = [\"P\"]\nfrom = \"1d\"\nuntil = \"2d\"\ncapacity = 0\n",
    );
    let r = traced(&s);
    assert_eq!(starts_per_day(&r, 4), [72, 0, 72, 6]);
    let processed_today = r.daily_series(&s, "processed_today:P").unwrap();
    assert_eq!(processed_today[1], 1, "{processed_today:?}"); // the last of day 0 ends at midnight
                                                              // The same closure over day 1 by halves (×0.5 of 1 server is none) gives the same.
    let half = one_port(
        150,
        "servers = 1\nservice = \"20min\"\nquota_per_day = 72",
        "[[disruption]]\nports = [\"P\"]\nfrom = \"1d\"\nuntil = \"2d\"\ncapacity = 0.5\n",
    );
    assert_eq!(starts_per_day(&traced(&half), 4), [72, 0, 72, 6]);
}

#[test]
fn hours_that_wrap_past_midnight_open_on_the_start_day_of_each_part() {
    // 2021-02-19 is a Friday. ["20:00", "02:00"] with days = ["Fri"]: Friday 00:00–02:00 and
    // 20:00–24:00, not Saturday 00:00–02:00.
    let hourly = "servers = 1\nservice = \"1h\"\nhours = [\"20:00\", \"02:00\"]";
    let h = |x: f64| x / 24.0;
    let fri = traced(&one_port(10, &format!("{hourly}\ndays = [\"Fri\"]"), ""));
    let t = times(&fri, "port_start");
    let expect = [0.0, 1.0, 20.0, 21.0, 22.0, 23.0, 168.0, 169.0, 188.0, 189.0];
    assert_eq!(t.len(), expect.len());
    for (x, e) in t.iter().zip(expect) {
        assert!((x - h(e)).abs() < 1e-9, "{t:?}");
    }
    // days = ["Fri", "Sat"]: Friday night's shift runs on to Saturday 02:00, and Saturday
    // opens 20:00–24:00 too; Sunday 00:00–02:00 stays shut.
    let fri_sat = traced(&one_port(
        14,
        &format!("{hourly}\ndays = [\"Fri\", \"Sat\"]"),
        "",
    ));
    let t = times(&fri_sat, "port_start");
    let expect = [
        0.0, 1.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 44.0, 45.0, 46.0, 47.0, 168.0, 169.0,
    ];
    assert_eq!(t.len(), expect.len());
    for (x, e) in t.iter().zip(expect) {
        assert!((x - h(e)).abs() < 1e-9, "{t:?}");
    }
    // Friday 20:00–24:00 alone: close at "24:00".
    let evening = traced(&one_port(
        10,
        "servers = 1\nservice = \"1h\"\nhours = [\"20:00\", \"24:00\"]\ndays = [\"Fri\"]",
        "",
    ));
    assert!(events(&evening, "port_start").all(|e| {
        let hour = (e.time - e.time.floor()) * 24.0;
        day_of(e.time) % 7 == 0 && hour > 19.99 && hour < 24.0
    }));
}

#[test]
fn shortest_queue_counts_groups_dispatched_at_one_instant_as_in_transit() {
    // Six singles ready at t = 0, continuous routes with no travel time to P1 and P2 (one
    // server each): each group is dispatched, and counted in transit to its port, before any
    // of them arrives, so the choices alternate P1, P2, P1, P2, … (ties to the first listed).
    let s = scn(r#"
[scenario]
name = "shortest queue at one instant"
replications = 1

[backlog]
people = 6

[[origin]]
name = "A"

[dispatch]
choose_port = "shortest_queue"

[[route]]
from = "A"
to = "P1"

[[route]]
from = "A"
to = "P2"

[[port]]
name = "P1"
servers = 1
service = "1h"

[[port]]
name = "P2"
servers = 1
service = "1h"
"#);
    let r = traced(&s);
    let ports: Vec<&str> = events(&r, "board")
        .map(|e| e.port.as_deref().unwrap())
        .collect();
    assert_eq!(ports, ["P1", "P2", "P1", "P2", "P1", "P2"]);
    let first_arrival = r.trace.iter().position(|e| e.event == "arrive").unwrap();
    let last_board = r.trace.iter().rposition(|e| e.event == "board").unwrap();
    assert!(
        last_board < first_arrival,
        "every boarding comes before the arrivals"
    );
    assert_eq!(r.ports[0].processed, 3);
    assert_eq!(r.ports[1].processed, 3);
    assert!((r.clearance_days - 3.0 / 24.0).abs() < 1e-9);
}

/// One single registering 480 minutes into day 0, written in minutes or in hours, and an 08:00
/// bus: the duration is the time of day written out, so both board the bus of day 0.
#[test]
fn a_duration_in_minutes_is_the_time_of_day_it_names() {
    let toml = |delay: &str| {
        format!(
            r#"
[scenario]
name = "delay in minutes"
replications = 1

[backlog]
people = 1

[[origin]]
name = "A"

[registration]
delay = "{delay}"

[[route]]
from = "A"
to = "P"
departures = ["08:00"]
seats = 10
travel = "1h"

[[port]]
name = "P"
servers = 1
service = "10min"
"#
        )
    };
    for delay in ["480min", "8h"] {
        let r = traced(&scn(&toml(delay)));
        assert_eq!(times(&r, "register"), [1.0 / 3.0], "{delay}");
        assert_eq!(times(&r, "board"), [1.0 / 3.0], "{delay}: the bus of day 0");
    }
    // A route disruption from "480min" closes the 08:00 bus as one from "8h" does.
    let closed = |from: &str| {
        let s = scn(&format!(
            r#"{}
[[disruption]]
routes = ["A->P"]
from = "{from}"
until = "1d"
capacity = 0
"#,
            toml("0min")
        ));
        let r = traced(&s);
        let size = events(&r, "departure").next().and_then(|e| e.size);
        size
    };
    assert_eq!(closed("480min"), closed("8h"));
    assert_eq!(closed("8h"), Some(0));
}

/// Six singles, one screening server taking no time, continuous routes with no travel time to
/// two ports: every group is screened and dispatched at t = 0 before any arrives (the
/// clarification of MODEL.md §1), so `shortest_queue` alternates P1, P2, … as it does with no
/// screening at all.
#[test]
fn groups_screened_in_no_time_are_all_dispatched_before_any_arrives() {
    let s = scn(r#"
[scenario]
name = "zero-time screening"
replications = 1

[backlog]
people = 6

[[origin]]
name = "A"

[screening]
servers = 1
service = "0min"

[dispatch]
choose_port = "shortest_queue"

[[route]]
from = "A"
to = "P1"
travel = "0min"

[[route]]
from = "A"
to = "P2"
travel = "0min"

[[port]]
name = "P1"
servers = 1
service = "1h"

[[port]]
name = "P2"
servers = 1
service = "1h"
"#);
    let r = traced(&s);
    let ports: Vec<&str> = events(&r, "board")
        .map(|e| e.port.as_deref().unwrap())
        .collect();
    assert_eq!(ports, ["P1", "P2", "P1", "P2", "P1", "P2"]);
    let first_arrival = r.trace.iter().position(|e| e.event == "arrive").unwrap();
    let last_screened = r.trace.iter().rposition(|e| e.event == "screening_end");
    assert!(last_screened.unwrap() < first_arrival, "{:?}", r.trace);
}

/// Three singles reach one port at 12:00 by three routes: C's by a continuous route at 06:00
/// (its service of 6 hours ends at 12:00), then A's (low class) and B's (high class) by buses.
/// The service end at 12:00 does not let A start before B has arrived: the instant's arrivals
/// join the queue together, after its other events, and the high class goes first.
#[test]
fn a_higher_class_arriving_at_an_instant_goes_first_whatever_else_happens_then() {
    let s = scn(r#"
[scenario]
name = "classes at one instant"
seed = 19
replications = 1

[backlog]
people = 3

[[class]]
name = "high"
share = 0.5

[[class]]
name = "low"
share = 0.5

[[origin]]
name = "A"
share = 0.34

[[origin]]
name = "B"
share = 0.33

[[origin]]
name = "C"
share = 0.33

[[route]]
from = "A"
to = "P"
departures = ["06:00"]
travel = "6h"

[[route]]
from = "B"
to = "P"
departures = ["09:00"]
travel = "3h"

[[route]]
from = "C"
to = "P"
travel = "6h"

[[port]]
name = "P"
servers = 1
service = "6h"
"#);
    let r = traced(&s);
    // The draws this test rests on (seed 19): one group per origin, A's low and B's high.
    let origin_of = |event: &str, time: f64| -> Vec<String> {
        events(&r, event)
            .filter(|e| e.time == time)
            .map(|e| e.origin.clone().unwrap())
            .collect()
    };
    assert_eq!(origin_of("arrive", 0.5), ["A", "B"]);
    assert_eq!(r.classes.len(), 2);
    assert_eq!(origin_of("processed", 0.5), ["C"]);
    // B (high) starts at 12:00, A (low) when B is done.
    assert_eq!(origin_of("port_start", 0.5), ["B"]);
    assert_eq!(origin_of("port_start", 0.75), ["A"]);
    assert_eq!(r.classes[0].clearance_days, 0.75, "high: {:?}", r.classes);
    assert_eq!(r.classes[1].clearance_days, 1.0, "low: {:?}", r.classes);
}

/// One single in a 2.5-day health check from t = 0 (no continuous route, so the check's end
/// waits outside the event loop) and a run stopped by a 3-day horizon with nothing else
/// happening: the days before the stop count the group in the check, as a run whose loop saw
/// the end would (1, 1, then 0 on the day it became ready).
#[test]
fn in_health_counts_a_check_on_the_days_before_a_horizon_stop() {
    let s = scn(r#"
[scenario]
name = "in health at a horizon"
horizon = "3d"
replications = 1

[backlog]
people = 1

[[origin]]
name = "A"

[health]
turnaround = "2.5d"
positive = 0

[[route]]
from = "A"
to = "P"
departures = ["07:00"]
days = ["Mon"]
seats = 10
travel = "1h"

[[port]]
name = "P"
"#);
    let r = simulate(&s, 0, &SimOptions::default());
    assert_eq!(r.daily_series(&s, "in_health").unwrap(), [1, 1, 0]);
    assert_eq!(r.daily_series(&s, "in_health:A").unwrap(), [1, 1, 0]);
}

/// Hours that wrap past midnight (20:00–06:00), a fifo quota of 4 a day halved until noon by a
/// disruption: C (2 people) starts at 00:00 and uses the day's 2; A (2) arrives at 01:00 and
/// does not fit, so the port retries at the next day's opening. But day 0 reopens at 20:00,
/// still on day 0's quota, which is 4 again from noon: A starts at 20:00 of day 0
/// (docs/MODEL.md: "when it rises again (a disruption ends), starts resume up to the higher
/// quota"; each part of a wrapping opening has the quota of the day it lies on), not at 00:00
/// of day 1.
#[test]
fn a_quota_block_before_an_evening_reopening_is_retried_that_evening() {
    let s = scn(r#"
[scenario]
name = "wrap, quota and a disruption"
start_date = "2021-03-01"
horizon = "5d"
replications = 1

[backlog]
people = 2
group_size = 2

[[phase]]
name = "A"
people = 2
opens = "1h"

[[origin]]
name = "O"

[[route]]
from = "O"
to = "P"
travel = "0min"

[[port]]
name = "P"
quota_per_day = 4
service = "30min"
hours = ["20:00", "06:00"]

[[disruption]]
ports = ["P"]
from = "0d"
until = "12h"
capacity = 0.5
"#);
    let r = traced(&s);
    assert_eq!(times(&r, "port_start"), [0.0, 20.0 / 24.0]);
}

/// `daily.csv` of `toml` run with `--out`: (date, series, mean) of each row.
fn daily_csv(toml: &str) -> Vec<(String, String, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, toml).unwrap();
    let out = dir.path().join("out");
    assert_cmd::Command::cargo_bin("clearance")
        .unwrap()
        .args([
            "run",
            path.to_str().unwrap(),
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("daily.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1].to_string(), f[2].to_string(), f[3].parse().unwrap())
        })
        .collect()
}

/// Two people, one server, a fixed service of a day, from 2023-12-30: the second service ends at
/// t = 2 (2024-01-01), exactly at a horizon of "2d" (or at an inflow's `until = "2d"`, where the
/// run stops). That day gets a row, whose `processed_today` counts it: the days add up to the 2
/// processed. A horizon at midnight at which nothing happens still ends the series the day
/// before.
#[test]
fn an_event_at_a_midnight_horizon_is_in_the_daily_series() {
    let base = |horizon: &str, people: u32, service: &str, inflow: &str| {
        format!(
            r#"
[scenario]
name = "s"
start_date = "2023-12-30"
horizon = "{horizon}"
replications = 1
[backlog]
people = {people}
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
servers = 1
service = "{service}"
{inflow}
"#
        )
    };
    let inflow = "[inflow]\nrate_per_day = 0.000001\nuntil = \"2d\"";
    for toml in [base("2d", 2, "1d", ""), base("10d", 2, "1d", inflow)] {
        let rows = daily_csv(&toml);
        let of = |series: &str| -> Vec<(String, f64)> {
            rows.iter()
                .filter(|r| r.1 == series)
                .map(|r| (r.0.clone(), r.2))
                .collect()
        };
        let today = of("processed_today:P");
        assert_eq!(
            today,
            [
                ("2023-12-30".to_string(), 0.0),
                ("2023-12-31".to_string(), 1.0),
                ("2024-01-01".to_string(), 1.0)
            ],
            "{toml}"
        );
        assert_eq!(today.iter().map(|r| r.1).sum::<f64>(), 2.0);
        assert_eq!(
            of("processed").last().unwrap(),
            &("2024-01-01".to_string(), 2.0)
        );
        assert_eq!(
            of("remaining").last().unwrap(),
            &("2024-01-01".to_string(), 0.0)
        );
    }
    // Services of 0.9 day: they end at 0.9 and 1.8, nothing at the horizon's midnight.
    let rows = daily_csv(&base("2d", 3, "0.9d", ""));
    let dates: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 == "processed")
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(dates, ["2023-12-30", "2023-12-31"]);
}

/// A goal written as a date judges a measure by the day every output dates it (`day_of`): 72
/// services of 20 minutes from 2024-02-28 clear at 0.9999999999999983, on 2024-02-29, which
/// misses `<= 2024-02-28` (it had been said to meet it, "1.00 (2024-02-29): meets the goal") and
/// meets `<= 2024-02-29`.
#[test]
fn a_date_goal_judges_a_measure_by_the_day_rule() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s14.toml");
    std::fs::write(
        &file,
        r#"
[scenario]
name = "s14"
start_date = "2024-02-28"
horizon = "5d"
replications = 1
[backlog]
people = 72
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
servers = 1
service = "20min"
"#,
    )
    .unwrap();
    let target = |goal: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
            .arg("target")
            .arg(&file)
            .args(["--vary", "port[P].servers", "--min", "1", "--max", "2"])
            .args(["--step", "1", "--goal", goal, "--replications", "2"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = target("max(clearance_days) <= 2024-02-28");
    assert!(
        stdout.contains("1  max(clearance_days) = 1.00 (2024-02-29): does not meet the goal"),
        "{stdout}"
    );
    assert!(
        stdout.contains("smallest port[P].servers meeting max(clearance_days) <= 2024-02-28: 2"),
        "{stdout}"
    );
    let stdout = target("max(clearance_days) <= 2024-02-29");
    assert!(
        stdout.contains("1  max(clearance_days) = 1.00 (2024-02-29): meets the goal"),
        "{stdout}"
    );
}

/// `target`'s "best reached" line gives the measure's days beside its date by the day rule
/// (`day_fixed`): two people through one server of 2158 minutes from 2023-12-30 clear at day
/// 2.997, on 2024-01-01, which is "2.99", not "3" (day 3 is 2024-01-02), as in the evaluated
/// row; and one day short is "1 day".
#[test]
fn best_reached_days_name_the_day_of_the_date_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s15.toml");
    std::fs::write(
        &file,
        r#"
[scenario]
name = "s15"
start_date = "2023-12-30"
horizon = "20d"
replications = 1
[backlog]
people = 2
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
servers = 1
service = "2158min"
"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
        .arg("target")
        .arg(&file)
        .args(["--vary", "backlog.people", "--min", "2", "--max", "3"])
        .args(["--step", "1", "--replications", "2"])
        .args(["--goal", "max(clearance_days) <= 2023-12-31"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains(
            "  best reached: max(clearance_days) = 2.99 (2024-01-01) at backlog.people = 2, \
             against the goal max(clearance_days) <= 2023-12-31: 1 day short"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("2  max(clearance_days) = 2.99 (2024-01-01): does not meet the goal"),
        "{stdout}"
    );
}
