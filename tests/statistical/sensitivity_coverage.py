#!/usr/bin/env python3
"""Coverage of `clearance sensitivity`'s 95% intervals of a factor's change of P50 and P90.

A slow statistical check (about two minutes: each sensitivity run uses one thread), run by
hand and by `.ci/run` (below), not by `cargo test`:
the change measured from 4,000 replications stands for the truth; then N sensitivity runs of
REPS replications, each with its own seed, count how often their interval holds it.

    cargo build --release
    python3 tests/statistical/sensitivity_coverage.py health.positive 0.01 0.05 50 100

With a sixth argument, `--min-held=K`, it exits with status 1 when the table's interval of
the change (`diff_*`) held the truth in fewer than K of the N runs for P50 or for P90, or when
a run gave no interval; `.ci/run` runs it so, for `screening.servers 30 50 50 100` with K = 88
(a 95% interval holds the truth in fewer than 88 of 100 runs with probability 0.15%, so
about 0.3% for P50 or P90; the seeds are fixed, so a build gives the same counts every time,
and that chance is the one of a change to the bootstrap or the streams failing it; it is
one-sided: an interval too wide passes):

    python3 tests/statistical/sensitivity_coverage.py screening.servers 30 50 50 100 --min-held=88

Prints the truths, then for P50 and P90 how many of the N intervals held each and their mean
width: the table's interval of the change from the low setting to the high one (`diff_*`), and
the tornado chart's whiskers, each setting's change from the baseline (`low_vs_base_*`,
`high_vs_base_*`). The table's intervals come from a paired percentile bootstrap, the whiskers
from a paired Bayesian bootstrap; docs/experiments.md gives the figures for
health.positive 0.01 0.05 and screening.servers 30 50 at 20 and 50 replications.
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
    report = json.loads(out)
    # The factor's row, with the baseline's clearance beside its settings'.
    return dict(report["factors"][0], at_base=report["baseline"])


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit(__doc__)
    factor, low, high, reps, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    min_held = None
    if len(sys.argv) == 7:
        if not sys.argv[6].startswith("--min-held="):
            sys.exit(f"unknown argument {sys.argv[6]!r}: the sixth is --min-held=K\n{__doc__}")
        min_held = int(sys.argv[6].split("=", 1)[1])
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no clearance binary at {BIN}: run cargo build --release first")
    big = sensitivity(factor, low, high, 4000, 999_999)
    # The interval's JSON prefix: (the setting it starts from, the one it ends at, what it is).
    kinds = {
        "diff": ("at_low", "at_high", "high - low"),
        "low_vs_base": ("at_base", "at_low", "low - baseline"),
        "high_vs_base": ("at_base", "at_high", "high - baseline"),
    }
    truth = {}
    for kind, (a, b, what) in kinds.items():
        for q in ("p50", "p90"):
            truth[kind, q] = big[b][q] - big[a][q]
            print(f"{q} {what}: change from 4,000 replications {truth[kind, q]:+.3f} days")
    held = {k: 0 for k in truth}
    width = {k: 0.0 for k in truth}
    given = {k: 0 for k in truth}
    for seed in range(1, n + 1):
        row = sensitivity(factor, low, high, reps, seed)
        for kind, q in truth:
            lo, hi = row[f"{kind}_{q}_ci95_low"], row[f"{kind}_{q}_ci95_high"]
            if lo is None:
                continue
            given[kind, q] += 1
            held[kind, q] += lo <= truth[kind, q] <= hi
            width[kind, q] += hi - lo
    for kind, q in truth:
        k = max(given[kind, q], 1)
        print(f"{q} {kinds[kind][2]}: {held[kind, q]} of {given[kind, q]} intervals held it "
              f"(mean width {width[kind, q] / k:.3f} days)")
    if min_held is not None:
        short = [f"{q}: {held['diff', q]} of {given['diff', q]} of {n} runs"
                 for q in ("p50", "p90")
                 if held["diff", q] < min_held or given["diff", q] < n]
        if short:
            sys.exit(f"coverage below {min_held} of {n} for the change's interval: " + "; ".join(short))
        print(f"ok: the change's interval held the truth in at least {min_held} of {n} runs, for P50 and P90")

if __name__ == "__main__":
    main()
