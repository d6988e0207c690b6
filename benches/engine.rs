//! Engine microbenchmark: the classic "hold" model on the event calendar. A calendar holds N
//! pending events; each step pops the earliest and schedules one at now + Exp(1). Reports
//! events per second (criterion's element throughput). `calendar_hold` draws each gap in the
//! loop (`-ln(1 - U)`), as a model would; `calendar_ops` draws the same kind of gaps before
//! timing, so that its figure is the calendar's pops and schedules alone.

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

/// The hold model's calendar operations alone: the Exp(1) gaps drawn before the loop.
pub fn hold_ops(pending: usize, gaps: &[f64]) -> f64 {
    let mut rng = stream(1, 0, 0);
    let mut cal: Calendar<u32> = Calendar::with_capacity(pending + 1);
    for i in 0..pending {
        cal.schedule(rng.random::<f64>() * 10.0, i as u32);
    }
    let mut last = 0.0;
    for &gap in gaps {
        let (t, e) = cal.pop().expect("pending events");
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

/// The calendar's own cost: the hold model with its gaps drawn before timing starts, so that
/// the figure is the pops and schedules alone (the draw, about a fifth of `calendar_hold` at
/// 16 pending, is the random streams' cost, which the model benches measure).
fn bench_ops(c: &mut Criterion) {
    let steps = 1_000_000;
    let mut rng = stream(2, 0, 0);
    let gaps: Vec<f64> = (0..steps).map(|_| rng.sample(rand_distr::Exp1)).collect();
    let mut g = c.benchmark_group("calendar_ops");
    g.throughput(Throughput::Elements(steps as u64));
    for pending in [16usize, 256, 4096] {
        g.bench_with_input(BenchmarkId::from_parameter(pending), &pending, |b, &p| {
            b.iter(|| hold_ops(p, &gaps))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_hold, bench_ops);
criterion_main!(benches);
