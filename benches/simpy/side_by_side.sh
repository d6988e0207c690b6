#!/usr/bin/env bash
# Side-by-side speed of the SimPy model (benches/simpy/clearance_simpy.py) and the Rust tool on
# the same scenario and machine, both on one core. Run from the repository root:
#
#   benches/simpy/side_by_side.sh [SCENARIO.toml]
#
# Environment (all optional):
#   SIMPY_REPS=5      replications per SimPy run
#   SIMPY_RUNS=2      SimPy runs; the minimum seconds/replication is reported (the machine may be busy)
#   RUST_REPS=1000    replications of the Rust run (--threads 1)
#   RUST_RUNS=2       Rust runs; the minimum is reported
#   CLEARANCE_BIN     the clearance binary to time (default: built first with cargo build --release,
#                     so never stale, in $CARGO_TARGET_DIR or target/)
#   VENV=/tmp/clearance-simpy-venv   where simpy==4.1.2 is installed if no usable simpy is found
set -euo pipefail
cd "$(dirname "$0")/../.."
scenario=${1:-scenarios/baseline.toml}
SIMPY_REPS=${SIMPY_REPS:-5}
SIMPY_RUNS=${SIMPY_RUNS:-2}
RUST_REPS=${RUST_REPS:-1000}
RUST_RUNS=${RUST_RUNS:-2}
VENV=${VENV:-/tmp/clearance-simpy-venv}
bin=${CLEARANCE_BIN:-${CARGO_TARGET_DIR:-target}/release/clearance}

# --- Python with simpy 4.1.2 ------------------------------------------------------------------
py=""
for cand in "$VENV/bin/python" python3; do
  if command -v "$cand" >/dev/null 2>&1 &&
     "$cand" -c 'import sys, simpy; sys.exit(0 if simpy.__version__ == "4.1.2" and sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    py=$cand; break
  fi
done
if [ -z "$py" ]; then
  echo "installing simpy==4.1.2 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet simpy==4.1.2
  py="$VENV/bin/python"
fi

# --- the Rust binary: built before anything is timed (a no-op when up to date), so that the
# code timed is the code checked out; a CLEARANCE_BIN given is timed as it is ----------------------
if [ -z "${CLEARANCE_BIN:-}" ]; then
  cargo build --release --quiet
fi
[ -x "$bin" ] || { echo "side_by_side.sh: no executable clearance binary at $bin" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uname -m), $("$py" -c 'import platform; print(platform.python_implementation(), platform.python_version())'), simpy $("$py" -c 'import simpy; print(simpy.__version__)')"
echo "scenario: $scenario"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- SimPy ------------------------------------------------------------------------------------
simpy_best=""
for i in $(seq 1 "$SIMPY_RUNS"); do
  out=$("$py" benches/simpy/clearance_simpy.py "$scenario" --replications "$SIMPY_REPS" --quiet)
  s=$(printf '%s\n' "$out" | tail -1 | "$py" -c 'import json,sys; d=json.load(sys.stdin); print(d["wall_seconds_per_replication"]["mean"])')
  echo "simpy run $i: $SIMPY_REPS replications, $s s/replication"
  simpy_best=$("$py" -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(min(a, float(b)) if b else a)" "$s" "$simpy_best")
done

# --- Rust -------------------------------------------------------------------------------------
rust_best=""
for i in $(seq 1 "$RUST_RUNS"); do
  t0=$(date +%s.%N)
  json=$("$bin" run "$scenario" --replications "$RUST_REPS" --threads 1 --quiet --json)
  t1=$(date +%s.%N)
  s=$(printf '%s\n' "$json" | "$py" -c '
import json, sys
d = json.load(sys.stdin)
print(d["performance"]["wall_seconds"] / d["replications"])')
  whole=$("$py" -c "print(($t1 - $t0) / $RUST_REPS)")
  echo "clearance run $i: $RUST_REPS replications --threads 1, $s s/replication (reported wall_seconds; whole process $whole s/replication)"
  rust_best=$("$py" -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(min(a, float(b)) if b else a)" "$s" "$rust_best")
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$simpy_best" "$rust_best" <<'EOF'
import sys
simpy_s, rust_s = float(sys.argv[1]), float(sys.argv[2])
print(f"SimPy    : {simpy_s:.4f} s per replication (minimum over runs)")
print(f"clearance: {rust_s * 1000:.3f} ms per replication (minimum over runs, 1 thread)")
print(f"ratio    : SimPy / clearance = {simpy_s / rust_s:.0f}x")
EOF
