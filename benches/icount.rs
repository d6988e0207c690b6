//! Workloads for the deterministic instruction-count gate (`.ci/icount-gate`): run under
//! `valgrind --tool=callgrind`, each case's instructions are counted inside the simulation only
//! (`--toggle-collect`), which does not depend on what else the machine is doing (repeatable to
//! about 0.2% from process to process: the heap's layout decides whether a growing vector is
//! copied). Run directly it just executes the case: `icount CASE`. `cargo bench` does not run
//! it (`bench = false`); the gate builds it with `cargo bench --no-run --bench icount`.

use clearance::engine::{stream, Calendar};
use clearance::model::{simulate, SimOptions};
use clearance::scenario::load_file;
use rand::Rng;
use std::hint::black_box;
use std::path::Path;

#[inline(never)]
#[no_mangle]
pub fn icount_calendar_hold() -> f64 {
    let mut rng = stream(1, 0, 0);
    let mut cal: Calendar<u32> = Calendar::with_capacity(257);
    for i in 0..256u32 {
        cal.schedule(rng.random::<f64>() * 10.0, i);
    }
    let mut last = 0.0;
    for _ in 0..200_000 {
        let (t, e) = cal.pop().expect("pending");
        cal.schedule(t - (1.0 - rng.random::<f64>()).ln(), e);
        last = t;
    }
    last
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    match case.as_str() {
        "calendar" => {
            black_box(icount_calendar_hold());
        }
        "baseline" => {
            let scn = load_file(Path::new("scenarios/baseline.toml")).expect("baseline");
            for i in 0..3 {
                black_box(simulate(&scn, i, &SimOptions::default()));
            }
        }
        "million" => {
            let mut scn = load_file(Path::new("scenarios/baseline.toml")).expect("baseline");
            scn.backlog.people = 1_000_000;
            scn.horizon = 36_500.0;
            black_box(simulate(&scn, 0, &SimOptions::default()));
        }
        "--bench" | "" => {} // `cargo bench` runs every bench target: nothing to do here
        other => {
            eprintln!("unknown case {other:?}: calendar, baseline or million");
            std::process::exit(2);
        }
    }
}
