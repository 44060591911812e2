#!/usr/bin/env bash
# The OBS module's libobs tests against a newer OBS: Debian 13's libobs 30 (obs-studio 30.2), in
# the Debian 13 chroot the GIMP 3 tests make (tests/host/gimp3/trixie_chroot.sh, which holds
# libobs-dev, obs-studio, googletest and Xvfb). Copies the source in, configures a tree of its
# own with the tests on, builds only the OBS targets, and runs `ctest -L obs` there under CI=true,
# so a module that is not built, or a missing Xvfb, fails instead of skipping.
#
#   run_in_trixie.sh
#
# Root only (chroot); elsewhere exit 77 (skipped), and 1 under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../../.." && pwd)
chroot_tool=$source_dir/tests/host/gimp3/trixie_chroot.sh

source "$source_dir/tests/host/debian_chroot.sh"
started=$SECONDS
# One OBS build in the chroot at a time; the GIMP 3 build uses its own folders and lock.
chroot_build_start run_in_trixie "$chroot_tool" obs-build.lock /opt/pictor-obs-src
build=/opt/pictor-obs-build-$chroot_build_key

run() { "$chroot_tool" run "$@"; }
configure_log=$(run cmake -S /opt/pictor-obs-src -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPICTOR_BUILD_TESTS=ON)
found=$(printf '%s\n' "$configure_log" | grep 'OBS module:' || true)
echo "run_in_trixie: ${found:-the configuration said nothing about the OBS module}"
case "$found" in
  *"built against libobs 3"*) ;;
  *) echo "run_in_trixie: the OBS module is not built against Debian 13's libobs 30"; exit 1 ;;
esac
run cmake --build "$build" -j2 --target pictor_obs obs_module_tests obs_installed_module_test
echo "run_in_trixie: built in $((SECONDS - started)) s"
# (The installed-module test reads /proc/self/maps: `run` mounts /proc for the command.)
# host_tools_present is about the Debian 12 machine's hosts (GIMP 2.10, the keyring), not OBS 30.
run env CI=true ctest --test-dir "$build" -L '^obs$' -E '^host_tools_present$' -j2 \
  --output-on-failure
