//! Model benchmarks: one replication of the baseline (25,000 people, every stage active), 1,000
//! replications on all cores, and one replication of a 1,000,000-person backlog.

use clearance::experiment::{self, RunOptions};
use clearance::model::{simulate, SimOptions};
use clearance::scenario::{load_file, Scenario};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
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

fn one_replication(c: &mut Criterion) {
    let scn = baseline();
    let events = simulate(&scn, 0, &SimOptions::default()).events;
    let mut g = c.benchmark_group("replication");
    g.throughput(Throughput::Elements(events));
    g.bench_function(BenchmarkId::new("baseline", "25k"), |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            simulate(&scn, i % 64, &SimOptions::default()).events
        })
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
    thousand_replications,
    million_people
);
criterion_main!(benches);
