//! Unit tests of the model on scenarios built in code: exact arithmetic on deterministic cases.

use super::*;
use crate::scenario::*;

/// One origin, ports given, continuous routes with zero travel, nothing else.
pub(crate) fn bare(people: u64, ports: Vec<Port>) -> Scenario {
    let routes = (0..ports.len())
        .map(|p| Route {
            name: format!("O->{p}"),
            origin: 0,
            port: p,
            departures: Departures::Continuous,
            days: ALL_DAYS,
            seats: None,
            travel: Dist::Fixed(0.0),
        })
        .collect();
    let start_date = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
    Scenario {
        name: "bare".into(),
        file: String::new(),
        start_date,
        horizon: 3650.0,
        seed: 1,
        replications: 1,
        warmup: 0.0,
        backlog: Cohort {
            name: "backlog".into(),
            people,
            opens: 0.0,
        },
        group_size: SizeDist::Fixed(1),
        origins: vec![Origin {
            name: "O".into(),
            share: 1.0,
        }],
        registration: Registration {
            delay: Dist::Fixed(0.0),
            never: 0.0,
        },
        screening: None,
        health: None,
        attrition_hazard: 0.0,
        policy: Policy::Fifo,
        choose_port: ChoosePort::ShortestQueue,
        routes,
        ports,
        phases: vec![],
        inflow: None,
        disruptions: vec![],
        classes: vec![Class {
            name: "all".into(),
            share: 1.0,
        }],
        warnings: vec![],
        loaded: None,
    }
}

pub(crate) fn port(name: &str, quota: Option<u32>) -> Port {
    Port {
        name: name.into(),
        opens: 0.0,
        quota_per_day: quota,
        ramp: None,
        servers: None,
        service: Dist::Fixed(0.0),
        schedule: Schedule {
            hours: Some((8.0 / 24.0, 18.0 / 24.0)),
            days: ALL_DAYS,
            start_weekday: 4,
        },
        holding: None,
    }
}

#[test]
fn deterministic_two_ports_clear_on_day_42() {
    let scn = bare(25_000, vec![port("A", Some(300)), port("B", Some(300))]);
    let r = simulate(&scn, 0, &SimOptions::default());
    assert_eq!(r.processed, 25_000);
    assert!(!r.censored);
    assert!(
        r.clearance_days > 41.0 && r.clearance_days <= 42.0,
        "{}",
        r.clearance_days
    );
    assert!((r.clearance_days - (41.0 + 8.0 / 24.0)).abs() < 1e-9);
    // 50% = 12,500 people: reached on day 20 (21 days × 600 = 12,600).
    assert!((r.t50_days.unwrap() - (20.0 + 8.0 / 24.0)).abs() < 1e-9);
    assert_eq!(r.ports[0].processed, 12_500);
}

#[test]
fn appointment_with_first_port_choice_also_clears_on_day_42() {
    let mut scn = bare(25_000, vec![port("A", Some(300)), port("B", Some(300))]);
    scn.policy = Policy::Appointment;
    scn.choose_port = ChoosePort::First;
    let r = simulate(&scn, 0, &SimOptions::default());
    assert!(
        (r.clearance_days - (41.0 + 8.0 / 24.0)).abs() < 1e-9,
        "{}",
        r.clearance_days
    );
    // Port A fills its 300 first every day: 42 days × 300.
    assert_eq!(r.ports[0].processed, 12_600);
    assert_eq!(r.ports[1].processed, 12_400);
}

#[test]
fn mm3_port_wait_is_near_erlang_c() {
    // A quick in-code cross-check (the full validation lives in tests/theory.rs).
    let mut p = port("P", None);
    p.servers = Some(3);
    p.service = Dist::exponential(1.0).unwrap();
    p.schedule = Schedule::always(0);
    let mut scn = bare(0, vec![p]);
    scn.inflow = Some(Inflow {
        rate_per_day: 2.4,
        from: 0.0,
        until: 20_000.0,
    });
    scn.horizon = 20_000.0;
    scn.warmup = 100.0;
    let r = simulate(&scn, 0, &SimOptions::default());
    let w = r.ports[0].wait_days.unwrap();
    // Erlang C: 1.0787 days; one long replication of ~48,000 customers.
    assert!((w - 1.0787).abs() < 0.1, "wait {w}");
    assert!((r.ports[0].utilization.unwrap() - 0.8).abs() < 0.02);
}

/// A thread reuses its buffers from one replication to the next: a replication run after a
/// larger one of another scenario (whose leftovers fill the buffers) gives exactly what it
/// gave on a fresh thread.
#[test]
fn reused_buffers_change_no_result() {
    let small = bare(300, vec![port("P", Some(40))]);
    let mut large = bare(5_000, vec![port("P", Some(400))]);
    large.attrition_hazard = 0.01;
    large.registration.delay = Dist::exponential(3.0).unwrap();
    let fresh = std::thread::spawn({
        let small = small.clone();
        move || simulate(&small, 3, &SimOptions::default())
    })
    .join()
    .unwrap();
    simulate(&large, 0, &SimOptions::default());
    let reused = simulate(&small, 3, &SimOptions::default());
    assert_eq!(fresh, reused);
    // The same for the pre-sorted streams themselves.
    let pop = registration::Population::new(&large);
    let stream = || crate::engine::stream(large.seed, 1, purpose::POPULATION);
    let a = registration::cohorts(&large, &pop, &mut stream());
    let leftovers = registration::cohorts(
        &small,
        &registration::Population::new(&small),
        &mut stream(),
    );
    let mut buf = vec![(7.0, 7); 10];
    let b = registration::cohorts_reusing(&large, &pop, &mut stream(), leftovers, &mut buf);
    assert_eq!(a.registrations, b.registrations);
    assert_eq!(a.drops, b.drops);
    assert!(!a.drops.is_empty());
    assert_eq!(a.groups.len(), b.groups.len());
}

/// Unless the run is traced (the trace keeps the one-by-one event order), registrations of
/// one instant are taken together and health-check ends wait outside the event loop until an
/// event that could see them: both ways must give the same replication, event count included.
/// On scenarios with bursts of thousands of registrations at one instant, screening hours,
/// attrition, and (ties.toml) health checks ending at the very instants buses leave, where the
/// (time, insertion sequence) order decides, runs cut by the horizon and runs that clear; and
/// health checks of many durations, each kept in time order by a queue or lane of its own.
#[test]
fn untraced_shortcuts_give_the_one_by_one_result() {
    let files = [
        "scenarios/baseline.toml",
        "tests/scenarios/golden.toml",
        "tests/scenarios/tandem.toml",
        "tests/scenarios/ties.toml",
    ];
    let mut scenarios: Vec<(String, Scenario)> = files
        .iter()
        .map(|f| {
            let scn = crate::scenario::load_file(std::path::Path::new(f)).unwrap();
            (f.to_string(), scn)
        })
        .collect();
    // Health checks of 3 hours end after a departure at the same instant was scheduled (at the
    // previous departure), so there the departure comes first; with 1 day, the check's end does.
    let mut short = scenarios.last().unwrap().1.clone();
    short.health.as_mut().unwrap().turnaround = Dist::Fixed(0.125);
    scenarios.push(("ties.toml with 3 h health checks".into(), short.clone()));
    // Most tests positive: checks of many durations (1, 4, 7, … days), more than have a queue
    // or a calendar lane of their own, so that the longest ones go to the heap.
    let mut many = scenarios[3].1.clone();
    many.health.as_mut().unwrap().positive = 0.6;
    scenarios.push(("ties.toml with 60% positive tests".into(), many));
    for (f, scn) in &scenarios {
        for i in 0..4 {
            let burst = simulate(scn, i, &SimOptions::default());
            let mut one_by_one = simulate(scn, i, &SimOptions { trace: true });
            assert!(!one_by_one.trace.is_empty());
            one_by_one.trace.clear();
            assert_eq!(burst, one_by_one, "{f} replication {i}");
        }
    }
}
