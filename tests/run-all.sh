#!/usr/bin/env bash
# The README's second command: build everything with the tests and run the whole suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${PICTOR_TEST_BUILD_DIR:-$root/build-tests}"
bash "$root/dist/install-build-deps.sh"
# Prefix /usr: the layout the .deb packages have (tests/dist builds and installs them).
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPICTOR_BUILD_TESTS=ON -DCMAKE_INSTALL_PREFIX=/usr
cmake --build "$build" -j2
cd "$build"
ctest --output-on-failure -j2 --timeout 600
