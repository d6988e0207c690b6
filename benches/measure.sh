#!/usr/bin/env bash
# Wall-clock and memory figures for the README (release build, this machine). Criterion gives the
# per-replication and engine figures: `cargo bench --bench model -- replication/` and
# `cargo bench --bench engine`. This script measures whole runs with /usr/bin/time; it honours
# CARGO_TARGET_DIR and writes its scratch outputs to a temporary directory of its own.
#   MEASURE_SMALL=1000 MEASURE_LARGE=10000   replications of the small and large runs (lower them
#                                            for a quick smoke test of the script)
set -euo pipefail
small=${MEASURE_SMALL:-1000}
large=${MEASURE_LARGE:-10000}
for v in "$small" "$large"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "measure.sh: MEASURE_SMALL/MEASURE_LARGE must be positive whole numbers (found \"$v\")" >&2; exit 2; }
done
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
run "baseline x$small, 1 thread " scenarios/baseline.toml --replications "$small" --threads 1
run "baseline x$small, 2 threads" scenarios/baseline.toml --replications "$small" --threads 2
run "baseline x$small, 2 threads, --out with charts" scenarios/baseline.toml --replications "$small" --out "$scratch/charts"
run "baseline x$small, 2 threads, --out --no-charts" scenarios/baseline.toml --replications "$small" --out "$scratch/nocharts" --no-charts
run "baseline x$large, 2 threads" scenarios/baseline.toml --replications "$large"
outdir="$scratch/out-x$large"
rm -rf "$outdir"
run "baseline x$large, 2 threads, --out --no-charts" scenarios/baseline.toml --replications "$large" --out "$outdir" --no-charts
du -sh "$outdir" | sed "s|^\([^[:space:]]*\).*|    --out directory of x$large: \1|"
# Memory flat in the number of replications: three runs each of 1,000 and 10,000 (peak RSS
# varies by a few hundred KB from run to run with the threads' allocation arenas).
for n in "$small" "$large"; do
  for k in 1 2 3; do
    run "baseline x$n, 2 threads (flatness, run $k)" scenarios/baseline.toml --replications $n --threads 2
  done
done
