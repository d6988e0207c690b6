#!/usr/bin/env python3
"""Coverage of `clearance sensitivity`'s 95% interval of a factor's change of P50 and P90.

A slow statistical check run by hand (about two minutes on two cores), not by `cargo test`:
the change measured from 4,000 replications stands for the truth; then N sensitivity runs of
REPS replications, each with its own seed, count how often their interval holds it.

    cargo build --release
    python3 tests/statistical/sensitivity_coverage.py health.positive 0.01 0.05 50 100

Prints the truth, then for P50 and P90 how many of the N intervals held it and their mean width.
"""
import json
import os
import subprocess
import sys

# The repository's top level, and the binary cargo built there (in CARGO_TARGET_DIR if set).
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "clearance")
SCENARIO = os.path.join(ROOT, "scenarios", "baseline.toml")


def sensitivity(factor, low, high, reps, seed):
    out = subprocess.run(
        [BIN, "sensitivity", SCENARIO, "--vary", f"{factor}={low},{high}",
         "--replications", str(reps), "--seed", str(seed), "--json", "-q", "--threads", "1"],
        capture_output=True, text=True, check=True).stdout
    return json.loads(out)["factors"][0]


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    factor, low, high, reps, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no clearance binary at {BIN}: run cargo build --release first")
    big = sensitivity(factor, low, high, 4000, 999_999)
    truth = {q: big["at_high"][q] - big["at_low"][q] for q in ("p50", "p90")}
    for q in truth:
        print(f"{q}: change from 4,000 replications {truth[q]:+.3f} days")
    held = {q: 0 for q in truth}
    width = {q: 0.0 for q in truth}
    given = {q: 0 for q in truth}
    for seed in range(1, n + 1):
        row = sensitivity(factor, low, high, reps, seed)
        for q in truth:
            lo, hi = row[f"diff_{q}_ci95_low"], row[f"diff_{q}_ci95_high"]
            if lo is None:
                continue
            given[q] += 1
            held[q] += lo <= truth[q] <= hi
            width[q] += hi - lo
    for q in truth:
        k = max(given[q], 1)
        print(f"{q}: {held[q]} of {given[q]} intervals held it (mean width {width[q] / k:.3f} days)")


if __name__ == "__main__":
    main()
