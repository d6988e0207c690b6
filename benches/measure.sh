#!/usr/bin/env bash
# Wall-clock and memory figures for the README (release build, this machine). Criterion gives the
# per-replication and engine figures: `cargo bench --bench model -- replication` and
# `cargo bench --bench engine`. This script measures whole runs with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/clearance
run() { # label, args...
  local label=$1; shift
  /usr/bin/time -f "%e s wall, %M KB peak RSS" "$bin" run "$@" --quiet 2>&1 >/tmp/measure.out | tail -1 | sed "s/^/$label: /"
  grep -E "events in" /tmp/measure.out | sed "s/^/    /" || true
}
run "baseline x1000, 1 thread " scenarios/baseline.toml --replications 1000 --threads 1
run "baseline x1000, 2 threads" scenarios/baseline.toml --replications 1000 --threads 2
run "baseline x1000, 2 threads, --out with charts" scenarios/baseline.toml --replications 1000 --out /tmp/measure-charts
run "baseline x1000, 2 threads, --out --no-charts" scenarios/baseline.toml --replications 1000 --out /tmp/measure-nocharts --no-charts
run "baseline x10000, 2 threads" scenarios/baseline.toml --replications 10000
rm -rf /tmp/measure-out10k
run "baseline x10000, 2 threads, --out --no-charts" scenarios/baseline.toml --replications 10000 --out /tmp/measure-out10k --no-charts
du -sh /tmp/measure-out10k | sed 's/^/    --out directory: /'
# Memory flat in the number of replications: three runs each of 1,000 and 10,000 (peak RSS
# varies by a few hundred KB from run to run with the threads' allocation arenas).
for n in 1000 10000; do
  for k in 1 2 3; do
    run "baseline x$n, 2 threads (flatness, run $k)" scenarios/baseline.toml --replications $n --threads 2
  done
done
