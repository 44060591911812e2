#!/usr/bin/env bash
# `cmake --install BUILD --prefix DIR` gives a working tree in DIR, whatever prefix BUILD was
# configured with: the pkg-config file names DIR, a program built with it links, the CLI and the
# GIMP plug-in(s) load DIR's libpictor (not the build tree's, not the system's) with no
# environment help, and the installed CLI finds DIR's profiles (it runs a fixed-size route
# against the mock gateway).
#
#   prefix_install_test.sh BUILD WORK MOCK_GATEWAY PYTHON
set -euo pipefail
build=$1 work=$2 mock=$3 python=$4
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cmake --install "$build" --prefix "$prefix" >"$work/install.log"

# pkg-config names the prefix installed into, and what it says links.
pc=$(find "$prefix" -name pictor.pc -path '*/pkgconfig/*' | head -1)
[ -n "$pc" ] || { fail "no pictor.pc under $prefix"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
pc_prefix=$(pkg-config --variable=prefix pictor)
[ "$pc_prefix" = "$prefix" ] || fail "pictor.pc says prefix=$pc_prefix, installed into $prefix"
cat >"$work/uses_pictor.c" <<'C'
#include <pictor/pictor.h>
#include <stdio.h>
int main(void) { printf("%s\n", pictor_version_string()); return 0; }
C
# shellcheck disable=SC2046
if cc "$work/uses_pictor.c" -o "$work/uses_pictor" $(pkg-config --cflags --libs pictor) 2>"$work/cc.log"; then
  libdir=$(pkg-config --variable=libdir pictor)
  LD_LIBRARY_PATH=$libdir "$work/uses_pictor" >/dev/null || fail "a program built with pkg-config pictor does not run"
else
  fail "a program does not build with pkg-config pictor: $(cat "$work/cc.log")"
fi

# Each installed program loads the prefix's libpictor by itself (RPATH $ORIGIN/...).
loads_prefix_lib() { # program label
  local where
  where=$(env -i PATH=/usr/bin:/bin ldd "$1" | awk '/libpictor\.so/ { print $3 }')
  case "$where" in
    "$prefix"/*) ;;
    *) fail "$2 ($1) loads libpictor from '${where:-nowhere}', not from $prefix" ;;
  esac
}
cli=$prefix/bin/pictor
[ -x "$cli" ] || fail "no $cli"
loads_prefix_lib "$cli" "the CLI"
env -i PATH=/usr/bin:/bin "$cli" --version >/dev/null || fail "the installed CLI does not run"
plugins=$(find "$prefix" -path '*/plug-ins/pictor/pictor' -type f)
if [ -f "$build/host-adapters/gimp/pictor/pictor" ] || [ -f "$build/host-adapters/gimp3/pictor/pictor" ]; then
  [ -n "$plugins" ] || fail "a GIMP plug-in was built but none is installed under $prefix"
fi
for plugin in $plugins; do loads_prefix_lib "$plugin" "the GIMP plug-in"; done

# The helper process libpictor starts for a request, in pictor/ beside the library.
if [ -f "$build/abi/pictor/pictor-request-runner" ]; then
  lib=$(find "$prefix" -name 'libpictor.so.*' -type f | head -1)
  [ -x "$(dirname "$lib")/pictor/pictor-request-runner" ] || fail "no pictor/pictor-request-runner beside $lib"
fi

# The profiles come from the prefix: apiyi-vip (fixed sizes, no quality) answers from the mock.
port_file=$work/mock.port
"$python" "$mock" --port 0 --port-file "$port_file" --quiet --lifetime 120 >/dev/null 2>&1 &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
if ! env -i PATH=/usr/bin:/bin HOME="$work/home" PICTOR_API_KEY=sk-prefix-test PICTOR_PROFILE=apiyi-vip \
    PICTOR_HISTORY_DIR="$work/history" PICTOR_BASE_URL="http://127.0.0.1:$(cat "$port_file")/apiyi-vip/v1" \
    "$cli" generate "a red umbrella" -o "$work/out.png" >"$work/generate.log" 2>&1; then
  fail "the installed CLI could not generate with profile apiyi-vip: $(cat "$work/generate.log")"
fi

echo "prefix install: $(find "$prefix" -type f | wc -l) files, $failures failures"
[ "$failures" -eq 0 ]
