#!/usr/bin/env bash
# The unit and integration suites again, built with AddressSanitizer + UndefinedBehaviorSanitizer
# (gcc): any invalid read or write, leak, or undefined behaviour fails the run. The host tests
# (gimp_*, obs_*) and the benchmarks are neither built nor run: the real GIMP and OBS cannot
# load sanitized plug-ins.
#   PICTOR_SANITIZE_BUILD_DIR build folder (default <repo>/build-asan)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${PICTOR_SANITIZE_BUILD_DIR:-$root/build-asan}"
# -O1 -g (Debug + -O1): quicker to build than -O2, still fast enough to run.
flags="-O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPICTOR_BUILD_TESTS=ON \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DPICTOR_GIMP_PLUGIN=OFF -DPICTOR_OBS_MODULE=OFF -DPICTOR_BUILD_HOST_TESTS=OFF -DPICTOR_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2
# Child processes (the pictor CLI under test) inherit these.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$build"
ctest --output-on-failure -j2 --timeout 600 -E '^(gimp|obs)_'
