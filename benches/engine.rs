//! Engine microbenchmark: the classic "hold" model on the event calendar. A calendar holds N
//! pending events; each step pops the earliest and schedules one at now + Exp(1). Reports
//! events per second (criterion's element throughput).

use clearance::engine::{stream, Calendar};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::Rng;

/// Pop-and-reschedule `steps` times on a calendar holding `pending` events.
pub fn hold(pending: usize, steps: usize) -> f64 {
    let mut rng = stream(1, 0, 0);
    let mut cal: Calendar<u32> = Calendar::with_capacity(pending + 1);
    for i in 0..pending {
        cal.schedule(rng.random::<f64>() * 10.0, i as u32);
    }
    let mut last = 0.0;
    for _ in 0..steps {
        let (t, e) = cal.pop().expect("pending events");
        let gap = -(1.0 - rng.random::<f64>()).ln();
        cal.schedule(t + gap, e);
        last = t;
    }
    last
}

fn bench_hold(c: &mut Criterion) {
    let mut g = c.benchmark_group("calendar_hold");
    let steps = 1_000_000;
    g.throughput(Throughput::Elements(steps as u64));
    for pending in [16usize, 256, 4096] {
        g.bench_with_input(BenchmarkId::from_parameter(pending), &pending, |b, &p| {
            b.iter(|| hold(p, steps))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_hold);
criterion_main!(benches);
