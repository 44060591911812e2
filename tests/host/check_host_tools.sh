#!/usr/bin/env bash
# The real hosts and tools the host and keyring tests need. Missing ones are named; under CI=true
# that is a failure (a CI machine must run every test), elsewhere the test is skipped (77).
#   check_host_tools.sh GIMP_PLUGIN_BUILT OBS_MODULE_BUILT   (each 1 or 0, from CMake)
set -u
missing=()
[ "${1:-0}" = 1 ] || missing+=("the GIMP 2.10 plug-in was not built (libgimp2.0-dev libjson-glib-dev)")
[ "${2:-0}" = 1 ] || missing+=("the OBS module was not built (libobs-dev)")
need() { # need PROGRAM PACKAGE WHAT
  [ -x "/usr/bin/$1" ] || missing+=("$1 (apt-get install $2: $3)")
}
need gimp-console-2.10 gimp "GIMP 2.10 for the GIMP tests"
need obs obs-studio "OBS's own modules for the OBS tests"
need xvfb-run xvfb "the virtual display of the OBS tests"
need Xvfb xvfb "the virtual display of the OBS tests"
need xauth xauth "xvfb-run's display authority"
need dbus-run-session dbus "the private session bus of the keyring test"
need gnome-keyring-daemon gnome-keyring "the desktop keyring of the keyring test"
ls /usr/lib/*/libobs.so.* >/dev/null 2>&1 || missing+=("libobs (apt-get install libobs-dev)")
if [ ${#missing[@]} -eq 0 ]; then
  echo "all host tools present"
  exit 0
fi
printf 'missing: %s\n' "${missing[@]}"
if [ "${CI:-}" = true ]; then
  echo "FAILED: CI=true and the tests above cannot run (dist/install-build-deps.sh installs them all)"
  exit 1
fi
echo "SKIPPED: the tests that need them skip on this machine"
exit 77
