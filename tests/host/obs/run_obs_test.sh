#!/usr/bin/env bash
# Runs one libobs test program under its own virtual X server (libobs-opengl needs a display).
#   run_obs_test.sh [--install BUILD_DIR PLUGINS_DIR] SERVER_NUMBER PROGRAM [ARGS...]
# --install first installs the module the README's way into PLUGINS_DIR/pictor and exports
# PICTOR_OBS_PLUGINS_DIR. SERVER_NUMBER is where xvfb-run -a starts looking for a free display,
# distinct per test so parallel tests do not race for the same one.
# Without xvfb-run the test is skipped (exit 77) on a developer's machine, and fails in CI
# (CI=true), where dist/install-build-deps.sh installs it.
set -euo pipefail
if [ "${1:-}" = "--install" ]; then
  build_dir=$2 plugins_dir=$3
  shift 3
  rm -rf "$plugins_dir"
  "${CMAKE_COMMAND:-cmake}" --install "$build_dir" --component obs --prefix "$plugins_dir/pictor" >/dev/null
  export PICTOR_OBS_PLUGINS_DIR=$plugins_dir
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "xvfb-run is missing: the OBS tests need it (apt-get install xvfb xauth)" >&2
    exit 1
  fi
  echo "SKIPPED: xvfb-run is missing (apt-get install xvfb xauth)"
  exit 77
fi
server=$1
shift
exec xvfb-run -a -n "$server" -s "-screen 0 1280x720x24 -nolisten tcp" "$@"
