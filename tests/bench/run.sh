#!/bin/bash
# The benchmarks: a Release build of pictor_bench, then run_bench.py's tables (Markdown).
#   tests/bench/run.sh [RUNS]        default 5 runs per figure (medians); a few minutes on 2 cores
# PICTOR_BENCH_BUILD_DIR picks the build folder (default: build-bench in the source tree).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PICTOR_BENCH_BUILD_DIR:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPICTOR_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target pictor_bench >/dev/null
exec /usr/bin/python3 "$root/tests/bench/run_bench.py" --bench "$build/tests/bench/pictor_bench" \
  --fixtures "$build/bench-fixtures" --runs "${1:-5}"
