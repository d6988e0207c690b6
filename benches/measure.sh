#!/usr/bin/env bash
# Wall-clock and memory figures for the README (release build, this machine). Criterion gives the
# per-replication and engine figures: `cargo bench --bench model -- replication/` and
# `cargo bench --bench engine`. This script measures whole runs with /usr/bin/time; it honours
# CARGO_TARGET_DIR and writes its scratch outputs to a temporary directory of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/clearance
[ -x "$bin" ] || { echo "measure.sh: no binary at $bin" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
run() { # label, args...
  local label=$1; shift
  /usr/bin/time -f "%e s wall, %M KB peak RSS" "$bin" run "$@" --quiet 2>&1 >"$scratch/out" | tail -1 | sed "s/^/$label: /"
  grep -E "events in" "$scratch/out" | sed "s/^/    /" || true
}
run "baseline x1000, 1 thread " scenarios/baseline.toml --replications 1000 --threads 1
run "baseline x1000, 2 threads" scenarios/baseline.toml --replications 1000 --threads 2
run "baseline x1000, 2 threads, --out with charts" scenarios/baseline.toml --replications 1000 --out "$scratch/charts"
run "baseline x1000, 2 threads, --out --no-charts" scenarios/baseline.toml --replications 1000 --out "$scratch/nocharts" --no-charts
run "baseline x10000, 2 threads" scenarios/baseline.toml --replications 10000
rm -rf "$scratch/out10k"
run "baseline x10000, 2 threads, --out --no-charts" scenarios/baseline.toml --replications 10000 --out "$scratch/out10k" --no-charts
du -sh "$scratch/out10k" | sed 's/^/    --out directory: /'
# Memory flat in the number of replications: three runs each of 1,000 and 10,000 (peak RSS
# varies by a few hundred KB from run to run with the threads' allocation arenas).
for n in 1000 10000; do
  for k in 1 2 3; do
    run "baseline x$n, 2 threads (flatness, run $k)" scenarios/baseline.toml --replications $n --threads 2
  done
done
