//! Model benchmarks: one replication of the baseline (25,000 people, every stage active), 1,000
//! replications on 1 and on 2 threads, and one replication of a 1,000,000-person backlog. Beside the
//! replication, two reference points: the same replication with the screening and health
//! stages removed (what the transport-and-port core costs), and the draw floor: building the
//! population and drawing every random number the replication draws, with no model logic.

use clearance::engine::{stream, Stream};
use clearance::experiment::{self, RunOptions};
use clearance::model::{health, purpose, registration, simulate, SimOptions};
use clearance::scenario::validate::MAX_HORIZON_DAYS;
use clearance::scenario::{load_file, Scenario};
use criterion::{criterion_group, criterion_main, Bencher, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use std::time::Duration;

fn baseline() -> Scenario {
    load_file(Path::new("scenarios/baseline.toml")).expect("baseline")
}

/// The baseline scaled to `people` (quotas and capacities unchanged; horizon long enough).
pub fn scaled(people: u64) -> Scenario {
    let mut s = baseline();
    s.backlog.people = people;
    s.horizon = 36_500.0;
    s
}

/// One replication per iteration, cycling through 64 replication indices (so the figure is not
/// that of one lucky draw).
fn replications_in_turn(b: &mut Bencher, scn: &Scenario) {
    let mut i = 0;
    b.iter(|| {
        i += 1;
        simulate(scn, i % 64, &SimOptions::default()).events
    })
}

fn one_replication(c: &mut Criterion) {
    let scn = baseline();
    let events = simulate(&scn, 0, &SimOptions::default()).events;
    let mut g = c.benchmark_group("replication");
    g.throughput(Throughput::Elements(events));
    g.bench_function(BenchmarkId::new("baseline", "25k"), |b| {
        replications_in_turn(b, &scn)
    });
    g.finish();
}

/// How many draws replication `index` of `scn` makes from each service stream: screening
/// starts, health checks, port starts per port, and departures with boarding per route (a lower
/// bound on travel draws, which are also made for empty departures).
struct DrawCounts {
    screening: usize,
    health: usize,
    port: Vec<usize>,
    travel: Vec<usize>,
}

fn draw_counts(scn: &Scenario, index: u32) -> DrawCounts {
    let r = simulate(scn, index, &SimOptions { trace: true });
    let count = |e: &str| r.trace.iter().filter(|x| x.event == e).count();
    let port = scn
        .ports
        .iter()
        .map(|p| {
            r.trace
                .iter()
                .filter(|x| x.event == "port_start" && x.port.as_deref() == Some(&p.name))
                .count()
        })
        .collect();
    let mut boarded: Vec<(u64, &str)> = r
        .trace
        .iter()
        .filter(|x| x.event == "board")
        .map(|x| (x.time.to_bits(), x.origin.as_deref().unwrap_or("")))
        .collect();
    boarded.sort_unstable();
    boarded.dedup();
    let travel = scn
        .routes
        .iter()
        .map(|rt| {
            let o = scn.origins[rt.origin].name.as_str();
            boarded.iter().filter(|(_, x)| *x == o).count()
        })
        .collect();
    DrawCounts {
        screening: count("screening_start"),
        health: count("screening_end"),
        port,
        travel,
    }
}

/// The draw floor: what any design that keeps the results of replication `index` must do
/// whatever its event handling (the same numbers drawn from the same streams), with no model
/// logic: cut the population into groups and sort the registrations (as `simulate` does), then
/// draw every service, health and travel duration.
fn draw_floor(scn: &Scenario, index: u32, n: &DrawCounts) -> f64 {
    let s = |p| -> Stream { stream(scn.seed, index as u64, p) };
    let pop = registration::Population::new(scn);
    let cohorts = registration::cohorts(scn, &pop, &mut s(purpose::POPULATION));
    let mut acc = cohorts.registrations.len() as f64 + cohorts.drops.len() as f64;
    if let Some(sc) = &scn.screening {
        let mut r = s(purpose::SCREENING);
        for _ in 0..n.screening {
            acc += sc.service.sample(&mut r);
        }
    }
    if let Some(h) = &scn.health {
        let mut r = s(purpose::HEALTH);
        for _ in 0..n.health {
            acc += health::check_duration(h, &mut r, MAX_HORIZON_DAYS);
        }
    }
    let mut r = s(purpose::PORT_SERVICE);
    for (p, k) in scn.ports.iter().zip(&n.port) {
        for _ in 0..*k {
            acc += p.service.sample(&mut r);
        }
    }
    let mut r = s(purpose::TRAVEL);
    for (rt, k) in scn.routes.iter().zip(&n.travel) {
        for _ in 0..*k {
            acc += rt.travel.sample(&mut r);
        }
    }
    acc
}

/// Reference points for one baseline replication: the draw floor, and the replication without
/// its screening and health stages (the transport-and-port core that boarding room and
/// appointments couple, so it cannot be computed stage by stage).
fn reference_points(c: &mut Criterion) {
    let scn = baseline();
    let counts = draw_counts(&scn, 0);
    let mut core = baseline();
    core.screening = None;
    core.health = None;
    let mut g = c.benchmark_group("reference");
    g.bench_function(BenchmarkId::new("population", "25k"), |b| {
        let pop = registration::Population::new(&scn);
        b.iter(|| {
            let mut r = stream(scn.seed, 0, purpose::POPULATION);
            registration::cohorts(&scn, &pop, &mut r)
                .registrations
                .len()
        })
    });
    g.bench_function(BenchmarkId::new("draw_floor", "25k"), |b| {
        b.iter(|| draw_floor(&scn, 0, &counts))
    });
    g.bench_function(BenchmarkId::new("no_screening_no_health", "25k"), |b| {
        replications_in_turn(b, &core)
    });
    g.finish();
}

fn thousand_replications(c: &mut Criterion) {
    let scn = baseline();
    let mut g = c.benchmark_group("replications");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    for threads in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("baseline_1000", threads),
            &threads,
            |b, &t| {
                let opts = RunOptions {
                    replications: Some(1000),
                    threads: Some(t),
                    ..Default::default()
                };
                b.iter(|| experiment::run(&scn, &opts).unwrap().summary.replications)
            },
        );
    }
    g.finish();
}

fn million_people(c: &mut Criterion) {
    let scn = scaled(1_000_000);
    let mut g = c.benchmark_group("large");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function(BenchmarkId::new("backlog", "1M"), |b| {
        b.iter(|| simulate(&scn, 0, &SimOptions::default()).processed)
    });
    g.finish();
}

criterion_group!(
    benches,
    one_replication,
    reference_points,
    thousand_replications,
    million_people
);
criterion_main!(benches);
