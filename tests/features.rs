//! One test per model feature of MODEL.md §1, each built so that it fails if the feature were
//! missing or broken (where useful the same scenario without the feature is run as a contrast).

use clearance::experiment::{self, RunOptions};
use clearance::model::{simulate, ReplicationResult, SimOptions, TraceEvent};
use clearance::scenario::{day_of, load_str, Scenario};
use std::collections::BTreeMap;

fn scn(toml: &str) -> Scenario {
    match load_str(toml, "feature.toml") {
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

/// People per (port, day) for one trace event kind, each event on the day the model counts it
/// in (`day_of`: a time within 1e-9 of the next midnight counts in the next day, as a quota
/// does; `floor` had put it in the day before).
fn per_port_day(r: &ReplicationResult, name: &str) -> BTreeMap<(String, i64), u64> {
    let mut m = BTreeMap::new();
    for e in events(r, name) {
        *m.entry((e.port.clone().unwrap(), day_of(e.time)))
            .or_insert(0) += e.size.unwrap() as u64;
    }
    m
}

/// `per_port_day` counts by the model's day rule: an event a hair before midnight (round-off of
/// a sum of times) in the next day, one just after midnight or well before it as `floor` does.
#[test]
fn per_port_day_counts_days_by_the_models_rule() {
    let event = |time: f64, size: u32| TraceEvent {
        time,
        event: "port_start",
        group: Some(0),
        size: Some(size),
        stage: "port",
        port: Some("P".into()),
        origin: None,
        seats: None,
        cohort: None,
        class: None,
    };
    let r = ReplicationResult {
        trace: vec![
            event(2.0 - 1e-12, 1),
            event(2.0, 2),
            event(2.0 - 1e-6, 4),
            event(0.5, 8),
        ],
        ..Default::default()
    };
    let m = per_port_day(&r, "port_start");
    let day = |d: i64| m.get(&("P".to_string(), d)).copied();
    assert_eq!((day(0), day(1), day(2)), (Some(8), Some(4), Some(3)));
}

const ONE_PORT: &str = r#"
[scenario]
name = "one port"
seed = 5
replications = 1

[backlog]
people = 5000

[[origin]]
name = "A"
share = 1.0

[[route]]
from = "A"
to = "P"
departures = "continuous"
travel = "0min"
"#;

fn port_block(extra: &str) -> String {
    format!(
        "{ONE_PORT}\n[[port]]\nname = \"P\"\nquota_per_day = 300\nhours = [\"08:00\", \"18:00\"]\n{extra}\n"
    )
}

#[test]
fn ramp_delays_clearance_by_exact_arithmetic() {
    let flat = simulate(&scn(&port_block("")), 0, &SimOptions::default());
    // 5000 / 300: days 0..15 take 4,800; the last 200 start at 08:00 on day 16.
    assert!((flat.clearance_days - (16.0 + 8.0 / 24.0)).abs() < 1e-9);
    let ramped = simulate(
        &scn(&port_block("ramp = { from = 25, over = \"14d\" }")),
        0,
        &SimOptions::default(),
    );
    // q(d) = floor(25 + 275 * min(1, d / 14)); find the day the cumulative quota reaches 5000.
    let mut cum = 0.0;
    let mut day = 0;
    loop {
        cum += (25.0 + 275.0 * (day as f64 / 14.0).min(1.0)).floor();
        if cum >= 5000.0 {
            break;
        }
        day += 1;
    }
    assert!((ramped.clearance_days - (day as f64 + 8.0 / 24.0)).abs() < 1e-9);
    assert!(ramped.clearance_days > flat.clearance_days + 5.0);
}

const BUSES: &str = r#"
[scenario]
name = "buses"
seed = 9
replications = 1

[backlog]
people = 6000
group_size = { dist = "empirical", values = [1, 2, 3, 4], weights = [0.5, 0.3, 0.15, 0.05] }

[[origin]]
name = "A"
share = 1.0

[[route]]
from = "A"
to = "P"
departures = ["06:00", "21:00"]
seats = 200
travel = { dist = "uniform", min = "2h", max = "6h" }

[[port]]
name = "P"
quota_per_day = 300
servers = 20
service = { dist = "exponential", mean = "20min" }
hours = ["08:00", "20:00"]
"#;

#[test]
fn appointment_never_books_more_than_the_quota_a_day() {
    let appt = traced(&scn(&format!(
        "{BUSES}\n[dispatch]\npolicy = \"appointment\"\n"
    )));
    let boarded = per_port_day(&appt, "board");
    assert!(!boarded.is_empty());
    for ((_, d), n) in &boarded {
        assert!(*n <= 300, "day {d}: {n} people boarded toward a 300 quota");
    }
    // Busy days are full: the reservation is binding, not slack.
    assert!(boarded.values().filter(|n| **n >= 296).count() >= 10);
    // Contrast: under fifo, the buses bring up to 400 a day, more than the quota.
    let fifo = traced(&scn(BUSES));
    assert!(per_port_day(&fifo, "board").values().any(|n| *n > 300));
    // ...but the port still never starts more than its quota a day under fifo.
    for ((_, d), n) in per_port_day(&fifo, "port_start") {
        assert!(n <= 300, "fifo day {d}: {n} started");
    }
}

#[test]
fn no_departure_carries_more_than_its_seats() {
    let r = traced(&scn(BUSES));
    let mut per_departure: BTreeMap<u64, u64> = BTreeMap::new();
    for e in events(&r, "board") {
        *per_departure
            .entry((e.time * 1e6).round() as u64)
            .or_insert(0) += e.size.unwrap() as u64;
    }
    assert!(per_departure.values().all(|n| *n <= 200));
    assert!(per_departure.values().any(|n| *n >= 198));
    // Each bus's `departure` line carries what its `board` lines add up to, and its seats;
    // the empty buses (before anyone is ready, after the last) are there too.
    let mut lines: BTreeMap<u64, (u64, u64)> = BTreeMap::new();
    for e in events(&r, "departure") {
        assert_eq!((e.group, e.stage), (None, "transport"));
        assert_eq!(
            (e.port.as_deref(), e.origin.as_deref()),
            (Some("P"), Some("A"))
        );
        let key = (e.time * 1e6).round() as u64;
        let prev = lines.insert(key, (e.size.unwrap() as u64, e.seats.unwrap()));
        assert!(prev.is_none(), "one bus a departure time");
    }
    for (key, n) in &per_departure {
        assert_eq!(lines.get(key), Some(&(*n, 200)), "departure at {key}");
    }
    assert!(lines.values().any(|(n, _)| *n == 0));
    assert!(lines.values().all(|(n, seats)| n <= seats));
    let u = r.transport.utilization.unwrap();
    assert!(u > 0.0 && u <= 1.0);
}

#[test]
fn first_fit_boards_a_cohort_s_truncated_last_group() {
    // 7 people in groups of 3: 3, 3 and a last group of 1. A 12:00 bus with 4 seats takes the
    // first group; the second does not fit the one seat left, the last (1 person) does. The
    // same holds for the appointment quota and for holding room.
    let base = |extra_route: &str, extra_port: &str, policy: &str| {
        scn(&format!(
            r#"
[scenario]
name = "truncated"
horizon = "30d"
replications = 1

[backlog]
people = 7
group_size = 3

[[origin]]
name = "A"

[dispatch]
policy = "{policy}"

[[route]]
from = "A"
to = "P"
{extra_route}

[[port]]
name = "P"
{extra_port}
"#
        ))
    };
    // Seats: everyone but the second group leaves on day 0, the second on day 1.
    let r = traced(&base("departures = [\"12:00\"]\nseats = 4", "", "fifo"));
    assert_eq!(r.clearance_days, 1.5);
    assert_eq!(r.transport.utilization, Some(7.0 / 8.0));
    // The appointment quota: 4 a day.
    let r = traced(&base(
        "departures = [\"12:00\"]\nseats = 10",
        "quota_per_day = 4",
        "appointment",
    ));
    assert_eq!(r.clearance_days, 1.5);
    // Holding room for 4 (waiting at the port plus in transit, 1 h on the way): the lone
    // person travels at once, beside the first group.
    let r = traced(&base(
        "departures = \"continuous\"\ntravel = \"1h\"",
        "holding = 4\nservers = 1\nservice = \"1d\"",
        "fifo",
    ));
    let boarded_at_0: u32 = events(&r, "board")
        .filter(|e| e.time == 0.0)
        .map(|e| e.size.unwrap())
        .sum();
    assert_eq!(boarded_at_0, 4);
}

#[test]
fn a_run_with_inflow_lasts_until_the_inflow_is_over() {
    // A small backlog and an inflow from day 10 to day 20 that one server keeps up with: every
    // group is resolved soon after it arrives, yet the run ends only when the inflow is over.
    let s = scn(r#"
[scenario]
name = "inflow end"
horizon = "100d"
replications = 30

[backlog]
people = 10
group_size = 2

[inflow]
rate_per_day = 5
from = "10d"
until = "20d"

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = "1h"
"#);
    let run = experiment::run(&s, &RunOptions::default()).unwrap();
    let ends: Vec<f64> = run
        .replications
        .to_vec()
        .unwrap()
        .iter()
        .map(|r| r.end_days)
        .collect();
    assert!(ends.iter().all(|e| *e >= 20.0), "{ends:?}");
    // Most replications are idle at day 20: they end exactly then, with days 0 to 19 recorded
    // (no row for the day that starts at the end).
    assert!(ends.iter().filter(|e| **e == 20.0).count() > 15, "{ends:?}");
    for i in 0..30 {
        let r = clearance::model::simulate(&s, i, &SimOptions::default());
        let days = r.daily_series(&s, "processed").unwrap().len();
        assert_eq!(days, r.end_days.ceil() as usize, "end {}", r.end_days);
    }
    // The same with a horizon beyond the inflow's end by a day: still no extra day.
    let mut s2 = s.clone();
    s2.horizon = 21.0;
    let r = clearance::model::simulate(&s2, 0, &SimOptions::default());
    assert_eq!(r.end_days, 20.0);
    assert_eq!(r.daily_series(&s2, "processed").unwrap().len(), 20);
}

#[test]
fn with_no_backlog_every_milestone_is_met_at_once() {
    let s = scn(r#"
[scenario]
name = "inflow only"
horizon = "30d"
replications = 3

[backlog]
people = 0

[inflow]
rate_per_day = 2
until = "10d"

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
"#);
    let run = experiment::run(&s, &RunOptions::default()).unwrap();
    for r in run.replications.to_vec().unwrap() {
        assert_eq!(r.clearance_days, 0.0);
        assert_eq!(
            (r.t50_days, r.t90_days, r.t99_days),
            (Some(0.0), Some(0.0), Some(0.0))
        );
    }
    let t = &run.summary.t_not_reached;
    assert_eq!((t.t50, t.t90, t.t99), (0, 0, 0));
}

#[test]
fn first_fit_boarding_fills_seats_strict_fifo_would_leave_empty() {
    // Groups of 1 or 2 (half each), 2 seats a departure, a long queue. Strict FIFO fills 1.75
    // seats per bus on average (87.5%); first fit finds a single for a lone seat almost always.
    let s = scn(r#"
[scenario]
name = "first fit"
seed = 3
replications = 1
horizon = "200d"

[backlog]
people = 3000
group_size = { dist = "empirical", values = [1, 2], weights = [0.5, 0.5] }

[[origin]]
name = "A"
share = 1.0

[[route]]
from = "A"
to = "P"
departures = ["06:00", "12:00", "18:00"]
seats = 2
travel = "1h"

[[port]]
name = "P"
"#);
    let r = traced(&s);
    let u = r.transport.utilization.unwrap();
    assert!(u > 0.98, "first-fit seat utilization {u}");
    // Some group boarded ahead of a group that became ready earlier (it jumped a big group).
    let ready_order: Vec<u32> = events(&r, "ready").map(|e| e.group.unwrap()).collect();
    let board_order: Vec<u32> = events(&r, "board").map(|e| e.group.unwrap()).collect();
    assert_ne!(ready_order[..board_order.len()], board_order[..]);
}

#[test]
fn attrition_lowers_processed_people() {
    // Under appointments the backlog waits in the ready queue (attrition applies until boarding).
    let base = format!("{}\n[dispatch]\npolicy = \"appointment\"\n", port_block(""));
    let with = format!("{base}\n[attrition]\nhazard_per_day = 0.02\n");
    let a = simulate(&scn(&base), 0, &SimOptions::default());
    let b = simulate(&scn(&with), 0, &SimOptions::default());
    assert_eq!(a.processed, 5000);
    assert!(b.dropped > 500, "dropped {}", b.dropped);
    assert_eq!(b.processed + b.dropped, 5000);
    assert!(b.processed < a.processed);
}

#[test]
fn a_closure_window_stops_service_in_that_window() {
    let closed = traced(&scn(&format!(
        "{}\n[[disruption]]\nports = [\"P\"]\nfrom = \"5d\"\nuntil = \"9d\"\ncapacity = 0.0\n",
        port_block("")
    )));
    assert!(events(&closed, "port_start").all(|e| e.time < 5.0 || e.time >= 9.0));
    assert!(events(&closed, "port_start").any(|e| e.time >= 9.0 && e.time < 10.0));
    let open = traced(&scn(&port_block("")));
    assert!(events(&open, "port_start").any(|e| e.time >= 5.0 && e.time < 9.0));
    assert!(closed.clearance_days >= open.clearance_days + 4.0);
}

#[test]
fn a_half_capacity_disruption_halves_the_quota() {
    let half = traced(&scn(&format!(
        "{}\n[[disruption]]\nports = [\"P\"]\nfrom = \"2d\"\nuntil = \"4d\"\ncapacity = 0.5\n",
        port_block("")
    )));
    let per_day = per_port_day(&half, "port_start");
    assert_eq!(per_day[&("P".to_string(), 1)], 300);
    assert_eq!(per_day[&("P".to_string(), 2)], 150);
    assert_eq!(per_day[&("P".to_string(), 3)], 150);
    assert_eq!(per_day[&("P".to_string(), 4)], 300);
}

#[test]
fn weekdays_and_hours_limit_service_starts() {
    // 2021-02-19 is a Friday: day 1 is a Saturday, day 2 a Sunday.
    let r = traced(&scn(&port_block(
        "days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]",
    )));
    for e in events(&r, "port_start") {
        let d = e.time.floor() as i64;
        let wd = (d + 4).rem_euclid(7); // 0 = Monday
        assert!(wd < 5, "service started on a weekend day {d}");
        let hour = (e.time - d as f64) * 24.0;
        assert!(
            (8.0 - 1e-6..18.0).contains(&hour),
            "service started at {hour} h"
        );
    }
}

#[test]
fn never_reached_groups_are_resolved_at_zero_and_never_processed() {
    let s = scn(&format!(
        "{}\n[registration]\nnever = 0.2\ndelay = {{ dist = \"exponential\", mean = \"5d\" }}\n",
        port_block("")
    ));
    let r = simulate(&s, 0, &SimOptions::default());
    let frac = r.unreached as f64 / 5000.0;
    assert!((frac - 0.2).abs() < 0.03, "unreached fraction {frac}");
    assert_eq!(r.processed + r.unreached, 5000);
    assert!(
        r.t99_days.is_none(),
        "99% can never be processed with 20% unreached"
    );
    assert!(r.t50_days.is_some());
}

#[test]
fn screening_hours_and_servers_bound_screening_starts() {
    let s = scn(&format!(
        "{}\n[screening]\nservers = 2\nservice = \"1h\"\nhours = [\"09:00\", \"17:00\"]\n",
        port_block("")
    ));
    let r = traced(&s);
    let starts: Vec<f64> = events(&r, "screening_start").map(|e| e.time).collect();
    assert_eq!(starts.len(), 5000);
    for t in &starts {
        let h = (t - t.floor()) * 24.0;
        assert!((9.0 - 1e-6..17.0).contains(&h));
    }
    // 2 servers × 8 one-hour slots = 16 starts a day.
    let mut per_day: BTreeMap<i64, u32> = BTreeMap::new();
    for t in &starts {
        *per_day.entry(t.floor() as i64).or_insert(0) += 1;
    }
    assert!(per_day.values().all(|n| *n <= 16));
    assert_eq!(per_day[&0], 16);
    let u = r.screening.utilization.unwrap();
    assert!(
        (u - 1.0).abs() < 0.01,
        "screening busy all its open hours: {u}"
    );
}

#[test]
fn positive_tests_add_isolation_and_retests() {
    let base = port_block("");
    let neg =
        format!("{base}\n[health]\nturnaround = \"1d\"\npositive = 0.0\nisolation = \"10d\"\n");
    let pos =
        format!("{base}\n[health]\nturnaround = \"1d\"\npositive = 0.5\nisolation = \"10d\"\n");
    let mean_ready = |toml: &str| {
        let r = traced(&scn(toml));
        let v: Vec<f64> = events(&r, "ready").map(|e| e.time).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!((mean_ready(&neg) - 1.0).abs() < 1e-9);
    // Number of positives before a negative is geometric with mean p/(1-p) = 1: +11 days.
    let m = mean_ready(&pos);
    assert!((m - 12.0).abs() < 0.6, "mean ready time {m}");
}

#[test]
fn holding_limit_is_never_exceeded() {
    let toml = format!("{BUSES}\n").replace(
        "hours = [\"08:00\", \"20:00\"]",
        "hours = [\"08:00\", \"20:00\"]\nholding = 150",
    );
    let r = traced(&scn(&toml));
    let mut held: i64 = 0;
    let mut max_held = 0;
    for e in &r.trace {
        match e.event {
            "board" => held += e.size.unwrap() as i64,
            "port_start" => held -= e.size.unwrap() as i64,
            _ => {}
        }
        max_held = max_held.max(held);
    }
    assert!(max_held <= 150, "held {max_held}");
    assert!(max_held >= 140);
    // Without the limit, a bus of 200 exceeds it.
    let free = traced(&scn(BUSES));
    let mut held = 0i64;
    let mut max_free = 0;
    for e in &free.trace {
        match e.event {
            "board" => held += e.size.unwrap() as i64,
            "port_start" => held -= e.size.unwrap() as i64,
            _ => {}
        }
        max_free = max_free.max(held);
    }
    assert!(max_free > 150);
}

#[test]
fn shortest_queue_balances_ports_and_first_fills_the_first() {
    let two = |choose: &str| {
        scn(&format!(
            r#"
[scenario]
name = "two ports"
replications = 1

[backlog]
people = 4000

[[origin]]
name = "A"
share = 1.0

[dispatch]
choose_port = "{choose}"

[[route]]
from = "A"
to = "P1"
departures = "continuous"
travel = "0min"

[[route]]
from = "A"
to = "P2"
departures = "continuous"
travel = "0min"

[[port]]
name = "P1"
quota_per_day = 300

[[port]]
name = "P2"
quota_per_day = 100
"#
        ))
    };
    let sq = simulate(&two("shortest_queue"), 0, &SimOptions::default());
    assert_eq!(sq.ports[0].processed, 2000);
    assert_eq!(sq.ports[1].processed, 2000);
    let first = simulate(&two("first"), 0, &SimOptions::default());
    assert_eq!(first.ports[0].processed, 4000);
}

#[test]
fn a_phase_opens_later_and_extends_clearance() {
    let s = scn(&format!(
        "{}\n[[phase]]\nname = \"phase 2\"\npeople = 1000\nopens = \"60d\"\n",
        port_block("")
    ));
    let r = simulate(&s, 0, &SimOptions::default());
    assert_eq!(r.people_total, 6000);
    assert_eq!(r.processed, 6000);
    // Backlog done on day 16; the phase registers at day 60 and takes 4 days at 300.
    assert!(
        (r.clearance_days - (63.0 + 8.0 / 24.0)).abs() < 1e-9,
        "{}",
        r.clearance_days
    );
    // The daily series holds the phase as remaining until it is processed.
    let remaining_day_30 = r.daily.values[30 * r.daily.n_series];
    assert_eq!(remaining_day_30, 1000);
}

#[test]
fn the_horizon_censors_a_replication() {
    let toml = port_block("").replace("quota_per_day = 300", "quota_per_day = 10");
    let toml = toml.replace("replications = 1", "replications = 1\nhorizon = \"100d\"");
    let r = simulate(&scn(&toml), 0, &SimOptions::default());
    assert!(r.censored);
    assert_eq!(r.clearance_days, 100.0);
    // Days 0..=99 at 10 a day; day 100 would open at 08:00, after the horizon at 100.0.
    assert_eq!(r.processed, 1000);
    assert_eq!(r.in_system, 4000);
    // Daily values at the end of days 0..=99; day 100 starts at the horizon and is not run.
    assert_eq!(r.daily.days(), 100);
    let half = simulate(
        &scn(&toml.replace("horizon = \"100d\"", "horizon = \"99.5d\"")),
        0,
        &SimOptions::default(),
    );
    assert_eq!(
        half.daily.days(),
        100,
        "day 99 is half run: its state at the horizon"
    );
}

#[test]
fn inflow_arrives_as_poisson_and_counts_separately() {
    let toml = format!(
        "{}\n[inflow]\nrate_per_day = 20.0\nfrom = \"0d\"\nuntil = \"100d\"\n",
        port_block("")
    );
    let r = simulate(&scn(&toml), 0, &SimOptions::default());
    // 2000 expected arrivals, sd ≈ 45.
    assert!(
        (r.inflow as f64 - 2000.0).abs() < 200.0,
        "inflow {}",
        r.inflow
    );
    assert_eq!(r.processed, 5000, "backlog counted apart from inflow");
    assert!(r.ports[0].processed >= 5000 + r.inflow_processed);
}

#[test]
fn the_summary_reports_inflow_people_processed() {
    let toml = format!(
        "{}\n[inflow]\nrate_per_day = 20.0\nfrom = \"0d\"\nuntil = \"30d\"\n",
        port_block("")
    );
    let s = scn(&toml);
    let run = experiment::run(
        &s,
        &RunOptions {
            replications: Some(3),
            ..Default::default()
        },
    )
    .unwrap();
    let each: Vec<f64> = (0..3)
        .map(|i| simulate(&s, i, &SimOptions::default()).inflow_processed as f64)
        .collect();
    let st = run.summary.people.inflow_processed.as_ref().unwrap();
    assert!(each.iter().all(|&x| x > 0.0), "{each:?}");
    assert_eq!(st.mean, each.iter().sum::<f64>() / 3.0);
    assert_eq!(st.max, each.iter().cloned().fold(0.0, f64::max));
}

#[test]
fn warmup_excludes_early_registrations_from_waits() {
    let base = port_block("");
    let a = simulate(&scn(&base), 0, &SimOptions::default());
    let with = base.replace("replications = 1", "replications = 1\nwarmup = \"1d\"");
    let b = simulate(&scn(&with), 0, &SimOptions::default());
    assert_eq!(a.port.waits_counted, 5000);
    assert_eq!(
        b.port.waits_counted, 0,
        "everyone registered at t = 0 < warmup"
    );
}

#[test]
fn route_and_screening_disruptions_scale_their_capacity() {
    let bus = traced(&scn(&format!(
        "{BUSES}\n[[route]]\nfrom = \"A\"\nto = \"P\"\nname = \"late bus\"\ndepartures = [\"23:00\"]\nseats = 10\ntravel = \"1h\"\n\n[[disruption]]\nroutes = [\"A->P\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = 0.0\n"
    )));
    // Route A->P departs at 06:00 and 21:00; in the window only the late bus (23:00) runs.
    for e in events(&bus, "board") {
        if e.time >= 3.0 && e.time < 5.0 {
            let h = ((e.time - e.time.floor()) * 24.0).round();
            assert_eq!(h, 23.0);
        }
    }
    let scr = traced(&scn(&format!(
        "{}\n[screening]\nservers = 5\nservice = \"1h\"\n\n[[disruption]]\nstage = \"screening\"\nfrom = \"1d\"\nuntil = \"2d\"\ncapacity = 0.0\n",
        port_block("")
    )));
    assert!(events(&scr, "screening_start").all(|e| e.time < 1.0 || e.time >= 2.0));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let s = scn(BUSES);
    let opts = |t| RunOptions {
        replications: Some(8),
        threads: Some(t),
        ..Default::default()
    };
    let a = experiment::run(&s, &opts(1)).unwrap();
    let b = experiment::run(&s, &opts(2)).unwrap();
    assert_eq!(a.replications, b.replications);
    assert_eq!(a.daily, b.daily);
}

#[test]
fn priority_classes_are_served_first_and_fifo_within_a_class() {
    let base = port_block("");
    let with = format!(
        "{base}\n[[class]]\nname = \"vulnerable\"\nshare = 0.2\n\n[[class]]\nname = \"others\"\nshare = 0.8\n"
    );
    let s = scn(&with);
    let r = traced(&s);
    let (hi, lo) = (&r.classes[0], &r.classes[1]);
    assert_eq!(hi.people + lo.people, 5000);
    assert!((hi.people as f64 / 5000.0 - 0.2).abs() < 0.03);
    // 1,000 vulnerable people at 300 a day are through on day 3; the rest take until day 16.
    assert!(
        hi.clearance_days < 4.0,
        "vulnerable cleared at {}",
        hi.clearance_days
    );
    assert!((lo.clearance_days - (16.0 + 8.0 / 24.0)).abs() < 1e-9);
    assert!(hi.days_to_processed.unwrap() < lo.days_to_processed.unwrap());
    // Groups are single people here, so the first `hi.people` service starts are the
    // vulnerable class (it is cleared first); within it they start in FIFO order (everyone
    // registered at t = 0, so by group id).
    let starts: Vec<u32> = events(&r, "port_start").map(|e| e.group.unwrap()).collect();
    let n_hi = starts.len() * hi.people as usize / 5000;
    let first: Vec<u32> = starts[..n_hi].to_vec();
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(first, sorted, "FIFO within the high class");
    // Without classes the same scenario serves everyone in one FIFO queue.
    let plain = simulate(&scn(&base), 0, &SimOptions::default());
    assert_eq!(plain.classes.len(), 1);
    assert_eq!(plain.classes[0].people, 5000);
}

#[test]
fn per_class_columns_appear_in_replications_csv_only_with_classes() {
    let base = port_block("");
    let with = format!(
        "{base}\n[[class]]\nname = \"vulnerable\"\nshare = 0.2\n\n[[class]]\nname = \"others\"\nshare = 0.8\n"
    );
    let header = |toml: &str| {
        let s = scn(toml);
        let run = experiment::run(&s, &RunOptions::default()).unwrap();
        let csv = clearance::output::csv::replications_csv(&s, &run.replications).unwrap();
        String::from_utf8(csv)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    let h = header(&with);
    assert!(h.contains("processed:class:vulnerable"), "{h}");
    assert!(h.contains("clearance_days:class:others"), "{h}");
    assert!(!header(&base).contains(":class:"));
}

/// A holding area shared by several origins is filled greedily by whichever bus leaves first,
/// so more quota can make clearance LATER (found by `properties::more_quota_never_clears_later`,
/// which therefore leaves holding limits out). The port serves Mondays and Tuesdays only; O0's
/// bus reaches it on Tuesdays only, O1's bus leaves every evening. With quota 69 instead of 46,
/// O1's Monday bus gets a booking and fills the holding area, so on Tuesday O0's bus leaves
/// people behind, and they wait a week. Without the holding limit, more quota does not hurt.
#[test]
fn more_quota_can_clear_later_through_a_shared_holding_area() {
    let text = |quota: u32, holding: bool| {
        format!(
            r#"
[scenario]
name = "shared holding"
start_date = "2021-02-19"
horizon = "60d"
seed = 56213280785
replications = 16

[backlog]
people = 136
group_size = {{ dist = "empirical", values = [1, 3], weights = [0.5, 0.5] }}

[[origin]]
name = "O0"
share = 0.4

[[origin]]
name = "O1"
share = 0.2

[[origin]]
name = "O2"
share = 0.4

[dispatch]
policy = "appointment"

[[route]]
from = "O0"
to = "P0"
departures = ["14:00"]
days = ["Tue", "Thu", "Fri", "Sat", "Sun"]
travel = {{ dist = "triangular", min = "82min", mode = "165min", max = "330min" }}

[[route]]
from = "O1"
to = "P0"
departures = ["18:07"]
travel = "10min"

[[route]]
from = "O2"
to = "P0"
departures = ["03:14", "04:14"]
travel = {{ dist = "exponential", mean = "10min" }}

[[port]]
name = "P0"
quota_per_day = {quota}
servers = 2
service = {{ dist = "triangular", min = "35min", mode = "70min", max = "140min" }}
hours = ["14:00", "01:00"]
days = ["Mon", "Tue"]
{}
"#,
            if holding { "holding = 48" } else { "" }
        )
    };
    let mean = |quota, holding| {
        let s = scn(&text(quota, holding));
        let run = experiment::run(&s, &RunOptions::default()).unwrap();
        run.summary.clearance_days.unwrap().mean
    };
    let (base, more) = (mean(46, true), mean(69, true));
    assert!(
        more > base + 1.0,
        "more quota with a shared holding area: {more} vs {base}"
    );
    let (base, more) = (mean(46, false), mean(69, false));
    assert!(more <= base + 0.1, "without holding: {more} vs {base}");

    // The mechanism, in replication 4: people from O0 who boarded on the first Tuesday (day 4).
    let o0_tuesday = |quota| {
        let r = simulate(&scn(&text(quota, true)), 4, &SimOptions { trace: true });
        events(&r, "board")
            .filter(|e| e.origin.as_deref() == Some("O0") && e.time.floor() == 4.0)
            .map(|e| e.size.unwrap())
            .sum::<u32>()
    };
    assert!(o0_tuesday(69) < o0_tuesday(46));
}

/// A service start frees holding room, and a continuous route boards into it at once: with room
/// for 4 people the port still serves its full 40 groups a day (2 servers, 10 hours, 30 minutes
/// each). Were the freed room taken up only at the next midnight or the next group becoming
/// ready, it would serve 4 people a day.
#[test]
fn holding_room_freed_by_a_start_is_boarded_at_once_on_continuous_routes() {
    let r = traced(&scn(&port_block(
        "servers = 2\nservice = \"30min\"\nholding = 4",
    )));
    let started_day_1 = events(&r, "port_start")
        .filter(|e| e.time >= 1.0 && e.time < 2.0)
        .count();
    assert_eq!(started_day_1, 40);
    let mut held: i64 = 0;
    for e in &r.trace {
        match e.event {
            "board" => held += e.size.unwrap() as i64,
            "port_start" => held -= e.size.unwrap() as i64,
            _ => {}
        }
        assert!(held <= 4, "held {held} at {}", e.time);
    }
}

#[test]
fn per_origin_ready_series_add_up_to_waiting_ready() {
    let s =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let r = simulate(&s, 0, &SimOptions::default());
    let names = clearance::model::scenario_series_names(&s);
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    let total = at("waiting_ready");
    let parts: Vec<usize> = s
        .origins
        .iter()
        .map(|o| at(&format!("waiting_ready:{}", o.name)))
        .collect();
    let mut busy_days = 0;
    for d in 0..r.daily.days() {
        let sum: u32 = parts.iter().map(|&p| r.daily.get(d, p, false)).sum();
        assert_eq!(sum, r.daily.get(d, total, false), "day {d}");
        busy_days += (parts
            .iter()
            .filter(|&&p| r.daily.get(d, p, false) > 0)
            .count()
            > 1) as usize;
    }
    assert!(
        busy_days > 30,
        "origins with people ready on {busy_days} days"
    );
}

/// The trace logs the health check's steps: `health_start` when screening ends, and for each
/// positive test `health_positive` one turnaround later and `health_retest` one isolation after
/// that, so that `ready` comes one turnaround after the last start; about `positive` of the
/// tests are positive; no step of a group comes at or after its drop-out; and tracing changes
/// no result.
#[test]
fn the_trace_logs_the_health_checks_steps() {
    let s =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let h = s.health.as_ref().expect("the baseline has a health check");
    let (turnaround, isolation) = (h.turnaround.mean(), h.isolation.mean());
    let mut traced = simulate(&s, 0, &SimOptions { trace: true });
    let plain = simulate(&s, 0, &SimOptions::default());
    let log = std::mem::take(&mut traced.trace);
    assert_eq!(traced, plain, "tracing changed a result");
    // Per group: the time its current test started, and its steps in order.
    let mut started: BTreeMap<u32, f64> = BTreeMap::new();
    let (mut tests, mut positives, mut ready_after_check) = (0, 0, 0);
    let mut last = f64::NEG_INFINITY;
    for e in &log {
        assert!(e.time >= last, "the log goes back in time at {e:?}");
        last = e.time;
        let g = e.group.unwrap_or(u32::MAX);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        match e.event {
            "screening_end" => {
                started.insert(g, f64::NAN);
            }
            "health_start" => {
                assert_eq!(e.stage, "health");
                let at = started
                    .get_mut(&g)
                    .expect("health_start after screening_end");
                assert!(at.is_nan(), "{e:?}");
                *at = e.time;
                tests += 1;
            }
            "health_positive" => {
                assert!(close(e.time, started[&g] + turnaround), "{e:?}");
                positives += 1;
            }
            "health_retest" => {
                assert!(close(e.time, started[&g] + turnaround + isolation), "{e:?}");
                started.insert(g, e.time);
                tests += 1;
            }
            "ready" => {
                let at = started.remove(&g).expect("ready after screening");
                assert!(close(e.time, at + turnaround), "{e:?} after a test at {at}");
                ready_after_check += 1;
            }
            "drop" => {
                started.remove(&g);
            }
            _ => assert!(!e.event.starts_with("health"), "{e:?}"),
        }
    }
    assert!(ready_after_check > 10_000, "{ready_after_check}");
    // Binomial: 3% of about 15,000 tests, within five standard deviations.
    let expected = h.positive * tests as f64;
    let sd = (expected * (1.0 - h.positive)).sqrt();
    assert!(
        (positives as f64 - expected).abs() < 5.0 * sd && positives > 0,
        "{positives} positive of {tests} tests"
    );
}

/// `in_health` at each day's end is who is in the health check or its isolation then, counted
/// from the trace (screening ended, not yet ready, not dropped out); its per-origin parts add
/// up to it; and the untraced replication, whose health-check ends wait outside the event loop,
/// records the same series (they are applied before each day's end is recorded).
#[test]
fn in_health_counts_who_is_in_the_health_check_at_each_days_end() {
    let s =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let traced = simulate(&s, 0, &SimOptions { trace: true });
    let plain = simulate(&s, 0, &SimOptions::default());
    assert_eq!(traced.daily, plain.daily);
    let names = clearance::model::scenario_series_names(&s);
    let at = |n: &str| names.iter().position(|x| x == n).unwrap();
    let (total, ready) = (at("in_health"), at("waiting_ready"));
    let parts: Vec<usize> = s
        .origins
        .iter()
        .map(|o| at(&format!("in_health:{}", o.name)))
        .collect();
    // Replay the trace: events at a day's end come after that day's record.
    let mut in_check: BTreeMap<u32, u32> = BTreeMap::new();
    let mut ev = traced.trace.iter().peekable();
    let mut busy_days = 0;
    for d in 0..traced.daily.days() {
        let end = (d + 1) as f64;
        while let Some(e) = ev.next_if(|e| e.time < end) {
            let g = e.group.unwrap_or(u32::MAX);
            match e.event {
                "screening_end" => {
                    in_check.insert(g, e.size.unwrap());
                }
                "ready" | "drop" => {
                    in_check.remove(&g);
                }
                _ => {}
            }
        }
        let expected: u32 = in_check.values().sum();
        let v = traced.daily.get(d, total, false);
        assert_eq!(v, expected, "day {d}");
        let sum: u32 = parts.iter().map(|&p| traced.daily.get(d, p, false)).sum();
        assert_eq!(sum, v, "day {d}");
        assert!(v <= traced.daily.get(d, ready, false), "day {d}");
        busy_days += (v > 0) as usize;
    }
    assert!(
        busy_days > 60,
        "people in the health check on {busy_days} days"
    );
}

/// `boarded_today:<origin>` counts, day by day, the people who boarded at that origin: the
/// trace's boardings, by day and origin.
#[test]
fn boarded_today_counts_each_origins_boardings_by_day() {
    let s =
        clearance::scenario::load_file(std::path::Path::new("scenarios/two-ports.toml")).unwrap();
    let r = simulate(&s, 0, &SimOptions { trace: true });
    let names = clearance::model::scenario_series_names(&s);
    let mut expected: BTreeMap<(usize, String), u32> = BTreeMap::new();
    for e in events(&r, "board") {
        *expected
            .entry((e.time as usize, e.origin.clone().unwrap()))
            .or_default() += e.size.unwrap();
    }
    let mut total = 0;
    for o in &s.origins {
        let i = names
            .iter()
            .position(|n| *n == format!("boarded_today:{}", o.name))
            .unwrap();
        for d in 0..r.daily.days() {
            let want = expected.get(&(d, o.name.clone())).copied().unwrap_or(0);
            assert_eq!(r.daily.get(d, i, true), want, "{} day {d}", o.name);
            total += want;
        }
    }
    assert!(total > 20_000, "{total}");
}

#[test]
fn a_replication_of_a_run_and_its_daily_series_are_at_hand_by_name() {
    let s = scn(BUSES);
    let opts = RunOptions {
        replications: Some(3),
        ..Default::default()
    };
    let run = experiment::run(&s, &opts).unwrap();
    let eff = experiment::effective_scenario(&s, &opts);
    let recs = run.replications.to_vec().unwrap();
    let r = simulate(&eff, 2, &SimOptions::default());
    assert_eq!(r.clearance_days, recs[2].clearance_days);
    assert_eq!(r.processed, recs[2].processed);
    let processed = r.daily_series(&eff, "processed").unwrap();
    let today: Vec<u32> = s
        .ports
        .iter()
        .map(|p| {
            r.daily_series(&eff, &format!("processed_today:{}", p.name))
                .unwrap()
        })
        .fold(vec![0; processed.len()], |acc, v| {
            acc.iter().zip(&v).map(|(a, b)| a + b).collect()
        });
    let mut sum = 0;
    for (d, t) in today.iter().enumerate() {
        sum += t;
        assert_eq!(processed[d], sum, "day {d}");
    }
    assert_eq!(
        *processed.last().unwrap() as u64,
        r.processed + r.inflow_processed
    );
    assert_eq!(r.daily_series(&eff, "no such series"), None);
    assert_eq!(
        recs[2].daily_series(&eff, "processed"),
        None,
        "records drop the series"
    );
}

#[test]
fn a_higher_class_registering_or_arriving_at_the_same_instant_is_served_first() {
    let classes =
        "\n[[class]]\nname = \"hi\"\nshare = 0.3\n\n[[class]]\nname = \"lo\"\nshare = 0.7\n";
    // Everyone registers at 12:00 on day 0 and waits for 5 screening servers of one hour:
    // the high class takes the first hours, so it is through after ceil(hi / 5) hours.
    let burst = format!(
        "[scenario]\nname = \"burst\"\nhorizon = \"40d\"\n[backlog]\npeople = 50\n\
         [[origin]]\nname = \"O\"\n[registration]\ndelay = \"0.5d\"\n\
         [screening]\nservers = 5\nservice = \"1h\"\n\
         [[route]]\nfrom = \"O\"\nto = \"P\"\n[[port]]\nname = \"P\"\n{classes}"
    );
    // Everyone reaches one port server of one hour at t = 0 (continuous route, no travel):
    // the high class is through after as many hours as it has people.
    let arrivals = format!(
        "[scenario]\nname = \"arrivals\"\nhorizon = \"40d\"\n[backlog]\npeople = 100\n\
         [[origin]]\nname = \"O\"\n[[route]]\nfrom = \"O\"\nto = \"P\"\n\
         [[port]]\nname = \"P\"\nservers = 1\nservice = \"1h\"\n{classes}"
    );
    // Two buses (from two origins) reach one port at 11:00: their groups join its queue
    // together, and the high class (under 40 people) takes the first hour of its 40 servers.
    let buses = format!(
        "[scenario]\nname = \"two buses\"\nhorizon = \"40d\"\n[backlog]\npeople = 100\n\
         [[origin]]\nname = \"O1\"\nshare = 0.5\n[[origin]]\nname = \"O2\"\nshare = 0.5\n\
         [[route]]\nfrom = \"O1\"\nto = \"P\"\ndepartures = [\"10:00\"]\ntravel = \"1h\"\n\
         [[route]]\nfrom = \"O2\"\nto = \"P\"\ndepartures = [\"10:00\"]\ntravel = \"1h\"\n\
         [[port]]\nname = \"P\"\nservers = 40\nservice = \"1h\"\n{classes}"
    );
    let hour = 1.0 / 24.0;
    for seed in 1..=4 {
        let mut s = scn(&buses);
        s.seed = seed;
        let r = simulate(&s, 0, &SimOptions::default());
        assert!(r.classes[0].people < 40);
        assert!(
            (r.classes[0].clearance_days - 12.0 * hour).abs() < 1e-9,
            "seed {seed}: the high class through at {} h",
            r.classes[0].clearance_days / hour
        );
        assert_eq!(traced(&s).classes, r.classes);
        let mut s = scn(&burst);
        s.seed = seed;
        let r = simulate(&s, 0, &SimOptions::default());
        let hi = r.classes[0].people as f64;
        assert!(hi > 0.0);
        let want = 0.5 + (hi / 5.0).ceil() * hour;
        assert!(
            (r.classes[0].clearance_days - want).abs() < 1e-9,
            "seed {seed}: {hi} hi people through at {} h, not {} h",
            (r.classes[0].clearance_days - 0.5) / hour,
            (want - 0.5) / hour
        );
        assert!((r.classes[1].clearance_days - (0.5 + 10.0 * hour)).abs() < 1e-9);
        // The trace takes the same path.
        assert_eq!(traced(&s).classes, r.classes);

        let mut s = scn(&arrivals);
        s.seed = seed;
        let r = simulate(&s, 0, &SimOptions::default());
        let hi = r.classes[0].people as f64;
        assert!(
            (r.classes[0].clearance_days - hi * hour).abs() < 1e-9,
            "seed {seed}: {hi} hi people through at {} h",
            r.classes[0].clearance_days / hour
        );
        assert_eq!(traced(&s).classes, r.classes);
    }
}

#[test]
fn a_zero_factor_closes_a_route_without_a_seat_limit() {
    // Three people, a route with no seat limit, closed (factor 0) on days 0 and 1.
    let toml = |departures: &str, factor: &str| {
        format!(
            "[scenario]\nname = \"closure\"\nhorizon = \"40d\"\n[backlog]\npeople = 3\n\
             [[origin]]\nname = \"O\"\n[[route]]\nfrom = \"O\"\nto = \"P\"\n{departures}\n\
             [[port]]\nname = \"P\"\nquota_per_day = 10\n\
             [[disruption]]\nroutes = [\"O->P\"]\nfrom = \"0d\"\nuntil = \"2d\"\ncapacity = {factor}\n"
        )
    };
    let boards =
        |s: &Scenario| -> Vec<f64> { events(&traced(s), "board").map(|e| e.time).collect() };
    // A scheduled route: everyone takes the first bus after the closure, day 2 at 10:00.
    let sched = scn(&toml("departures = [\"10:00\"]", "0.0"));
    assert_eq!(boards(&sched), vec![2.0 + 10.0 / 24.0; 3]);
    // A continuous route: everyone leaves when the closure ends.
    let cont = scn(&toml("", "0.0"));
    assert_eq!(boards(&cont), vec![2.0; 3]);
    // A factor above 0 leaves an unlimited route unlimited: everyone leaves at once.
    assert_eq!(
        boards(&scn(&toml("departures = [\"10:00\"]", "0.5"))),
        vec![10.0 / 24.0; 3]
    );
    assert_eq!(boards(&scn(&toml("", "0.5"))), vec![0.0; 3]);
    // `explain` counts the closed days as no capacity: transport cannot finish before day 2.
    let rep = clearance::output::explain(&sched);
    let t = rep.total(clearance::output::Stage::Transport);
    assert_eq!(t.earliest_day, Some(2));
    assert_eq!(&t.capacity[..3], &[0.0, 0.0, f64::INFINITY]);
    let rep = clearance::output::explain(&cont);
    assert_eq!(
        rep.total(clearance::output::Stage::Transport).earliest_day,
        Some(2)
    );
}

/// A health check whose tests are nearly always positive lasts as long as its draws say: with
/// positive = 0.999999 and 1-minute tests a group needs about 10^6 minutes (694 days), so a
/// 60-day run cannot clear (the draws had stopped at 10,000 tests: every group ready at 6.94
/// days and clearance on day 10). The scenario warns of it.
#[test]
fn a_nearly_always_positive_health_check_is_not_cut_short() {
    let toml_text = || {
        r#"
[scenario]
name = "t"
replications = 3
horizon = "60d"
[backlog]
people = 50
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
quota_per_day = 10
[health]
positive = 0.999999
turnaround = "1min"
"#
        .to_string()
    };
    let s = scn(&toml_text());
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("a group is tested 1000000 times on average")),
        "{:?}",
        s.warnings
    );
    let run = experiment::run(&s, &RunOptions::default()).unwrap();
    assert_eq!(run.summary.censored, 3);
    // More than a million tests on average is refused (it would not end in any reasonable time).
    let e = load_str(
        &toml_text().replace("positive = 0.999999", "positive = 0.9999999"),
        "f.toml",
    )
    .unwrap_err();
    assert!(e.to_string().contains("at most 0.999999"), "{e}");
    // Only groups whose check happened to end within the horizon were processed.
    let processed = run.summary.people.processed.unwrap();
    assert!(processed.max < 25.0, "{processed:?}");
}

/// A health check for some groups only: `[health].share` of them.
const SOME_CHECKED: &str = r#"
[scenario]
name = "health for some"
seed = 11
replications = 1

[backlog]
people = 3000

[[origin]]
name = "A"

[registration]
delay = { dist = "exponential", mean = "5d" }

[screening]
servers = 4
service = { dist = "exponential", mean = "20min" }
hours = ["08:00", "16:00"]

[health]
turnaround = "1d"
positive = 0.3
isolation = "3d"
SHARE

[attrition]
hazard_per_day = 0.002

[[route]]
from = "A"
to = "P"
departures = ["07:00", "13:00"]
seats = 40
travel = "2h"

[[port]]
name = "P"
quota_per_day = 150
"#;

fn some_checked(share: &str) -> Scenario {
    scn(&SOME_CHECKED.replace("SHARE", share))
}

/// With `share = 0.3` about 30% of the groups are checked (a binomial count of 3,000 groups,
/// within five standard deviations: a share ignored checks all), only they have a
/// `health_start`, only they test positive, and the others are ready the instant screening
/// ends; people are conserved; and the untraced run (scheduled departures and a fixed test
/// time, where every group checked lets health-check ends wait outside the event loop) gives
/// the traced run's results.
#[test]
fn a_health_share_checks_that_share_of_the_groups_only() {
    let s = some_checked("share = 0.3");
    assert_eq!(s.health.as_ref().unwrap().share, 0.3);
    let mut traced = traced(&s);
    let plain = simulate(&s, 0, &SimOptions::default());
    let log = std::mem::take(&mut traced.trace);
    assert_eq!(traced, plain, "tracing changed a result");
    assert_eq!(
        plain.processed + plain.dropped + plain.unreached + plain.in_system,
        plain.people_total
    );
    let mut screened: BTreeMap<u32, f64> = BTreeMap::new();
    let mut checked: BTreeMap<u32, f64> = BTreeMap::new();
    let (mut positives, mut passed_at_once, mut ready_after_check) = (0, 0, 0);
    for e in &log {
        let g = e.group.unwrap_or(u32::MAX);
        match e.event {
            "screening_end" => {
                screened.insert(g, e.time);
            }
            "health_start" => {
                assert_eq!(e.time, screened[&g], "{e:?}");
                checked.insert(g, e.time);
            }
            "health_positive" | "health_retest" => {
                assert!(checked.contains_key(&g), "{e:?} without a health_start");
                positives += (e.event == "health_positive") as u32;
            }
            "ready" => match checked.get(&g) {
                Some(&at) => {
                    // 1 day a test, 4 days a positive test and its isolation.
                    let rounds = (e.time - at - 1.0) / 4.0;
                    assert!((rounds - rounds.round()).abs() < 1e-9, "{e:?}");
                    ready_after_check += 1;
                }
                None => {
                    assert_eq!(
                        e.time, screened[&g],
                        "{e:?}: not checked, not ready at once"
                    );
                    passed_at_once += 1;
                }
            },
            _ => {}
        }
    }
    let n = screened.len() as f64;
    assert!(n > 2500.0, "{n}");
    let share = checked.len() as f64 / n;
    let sd = (0.3 * 0.7 / n).sqrt();
    assert!(
        (share - 0.3).abs() < 5.0 * sd,
        "{share} of {n} groups checked"
    );
    assert!(passed_at_once > 1500 && ready_after_check > 500);
    // The first test of a checked group is positive 30% of the time.
    let first = positives as f64 / checked.len() as f64;
    assert!(first > 0.3 && first < 0.6, "{positives} positives");
}

/// `share = 0` checks nobody: the run is the one without a `[health]` section (the draws that
/// decide come from the health stream alone), with no `health_*` event; `share = 1` is the
/// default, drawing nothing more: the run without the key, bit for bit.
#[test]
fn a_health_share_of_0_checks_nobody_and_of_1_everybody() {
    let none = simulate(&some_checked("share = 0"), 0, &SimOptions { trace: true });
    let mut no_section = SOME_CHECKED.replace("SHARE", "");
    no_section = no_section.replace(
        "[health]\nturnaround = \"1d\"\npositive = 0.3\nisolation = \"3d\"\n",
        "",
    );
    assert!(!no_section.contains("[health]"));
    let without = simulate(&scn(&no_section), 0, &SimOptions { trace: true });
    assert!(none.trace.iter().all(|e| !e.event.starts_with("health")));
    assert_eq!(none, without);
    let all = simulate(&some_checked("share = 1"), 0, &SimOptions::default());
    let default = simulate(&some_checked(""), 0, &SimOptions::default());
    assert_eq!(all, default);
    assert!(all.clearance_days > none.clearance_days, "{all:?}");
}

/// Without `[screening]`, groups of several priority classes registering at one instant pass
/// on together, higher classes first, as they leave a screening stage of zero time (MODEL.md §1:
/// an omitted stage is passed through at zero time). One by one, the first group of the
/// instant (of a lower class, say) had boarded and taken the port's one place of holding room
/// before the higher classes of that instant had registered: the higher class's mean days to
/// processed came out 0.125 instead of 0.096 over 200 replications.
#[test]
fn without_screening_a_higher_class_registering_at_one_instant_goes_first() {
    let base = "[scenario]\nname = \"classes at one instant\"\nseed = 3\n[backlog]\npeople = 12\n\
        [[origin]]\nname = \"O\"\n[[route]]\nfrom = \"O\"\nto = \"P\"\n[[port]]\nname = \"P\"\n\
        servers = 1\nservice = \"1h\"\nholding = 1\n[[class]]\nname = \"hi\"\nshare = 0.3\n\
        [[class]]\nname = \"lo\"\nshare = 0.7\n";
    let omitted = scn(base);
    let zero = scn(&format!("{base}[screening]\nservice = \"0min\"\n"));
    for i in 0..40 {
        let a = simulate(&omitted, i, &SimOptions::default());
        let b = simulate(&zero, i, &SimOptions::default());
        for (x, y) in a.classes.iter().zip(&b.classes) {
            assert_eq!(x.days_to_processed, y.days_to_processed, "replication {i}");
            assert_eq!(x.clearance_days, y.clearance_days, "replication {i}");
        }
    }
    // Traced, the same.
    let t = traced(&omitted);
    let u = simulate(&zero, 0, &SimOptions::default());
    assert_eq!(
        t.classes[0].days_to_processed,
        u.classes[0].days_to_processed
    );
}
