#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a bounded time on its seed
# corpus (tests/fuzz/corpus/<target>, past crash inputs in tests/fuzz/regressions/<target>, and
# PngSuite for the PNG decoder). New coverage goes to a scratch folder in the build tree, never
# into the repository. Exits non-zero if any target crashed, leaked, hung or tripped a sanitizer.
#   PICTOR_FUZZ_SECONDS   seconds per target (default 15)
#   PICTOR_FUZZ_BUILD_DIR build folder (default <repo>/build-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${PICTOR_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${PICTOR_FUZZ_SECONDS:-15}"
targets=(images_response response_stream base64 png_decoder png_fast_decoder jpeg_decoder webp_decoder multipart_inputs)
declare -A extra_seeds=([png_decoder]="$root/tests/data/pngsuite/png" [png_fast_decoder]="$root/tests/data/pngsuite/png")

command -v clang++ >/dev/null || { echo "run-fuzzers: clang++ is missing (Debian: clang libclang-rt-14-dev)" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPICTOR_BUILD_TESTS=OFF -DPICTOR_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for target in "${targets[@]}"; do
  work="$build/corpus-work/$target"
  findings="$build/findings/$target"
  mkdir -p "$work" "$findings" "$root/tests/fuzz/regressions/$target"
  echo "== fuzz_$target: ${seconds} s"
  # The first folder receives new inputs; the others are read-only seeds.
  if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/" -print_final_stats=1 \
       "$work" "$root/tests/fuzz/corpus/$target" "$root/tests/fuzz/regressions/$target" \
       ${extra_seeds[$target]:-} 2>"$build/fuzz_$target.log"; then
    failed+=("$target")
    tail -n 40 "$build/fuzz_$target.log" >&2
    echo "run-fuzzers: fuzz_$target failed; the input is in $findings/ — fix the bug, then keep the" \
         "input in tests/fuzz/regressions/$target/" >&2
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done" "$build/fuzz_$target.log" || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzers: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzzers: all ${#targets[@]} targets ran clean for ${seconds} s each"
