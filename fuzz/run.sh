#!/usr/bin/env bash
# Build and run a fuzz target on the STABLE toolchain (no cargo-fuzz, no nightly): libFuzzer comes
# from the libfuzzer-sys crate (needs a C++ compiler), coverage from LLVM's sanitizer-coverage
# pass, enabled with stable -C flags. No AddressSanitizer (safe Rust; panics are the crashes).
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer args...]
# TARGET: load | simulate. Corpus: fuzz/corpus/TARGET (seeded from scenarios/ and
# tests/scenarios/), new inputs go to a scratch dir; crashes to fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target}
secs=${2:-60}
shift 2 || true
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# --target keeps RUSTFLAGS off build scripts and proc macros (they cannot link sancov).
host=$(rustc -vV | sed -n "s/^host: //p")
cargo build --release --target "$host" --bin "$target"
mkdir -p "corpus/$target" corpus/load "artifacts/$target"
scratch=${FUZZ_SCRATCH:-$(mktemp -d)}
seeds=()
for f in ../scenarios/*.toml ../tests/scenarios/*; do seeds+=("$f"); done
mkdir -p "$scratch/seeds"
cp "${seeds[@]}" "$scratch/seeds/"
inputs=("corpus/$target" corpus/load "$scratch/seeds")
[ "$target" = load ] && inputs=(corpus/load "$scratch/seeds")
# The build's own target directory (CARGO_TARGET_DIR if set, relative to fuzz/ as cargo takes it).
tdir=${CARGO_TARGET_DIR:-target}
"$tdir/$host/release/$target" "$scratch" "${inputs[@]}" \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1 "$@"
