#!/usr/bin/env bash
# Builds pictor inside the Debian 13 chroot (trixie_chroot.sh) with the GIMP 3 plug-in required,
# and installs it there the README's way (cmake --install BUILD --prefix /usr), so that the
# chroot's GIMP 3 finds it in its own plug-in folder. This also proves the project builds with
# Debian 13's compilers and libraries.
#
#   build_in_chroot.sh            copy the source tree in, build (incrementally), install
#
# The source is copied to /opt/pictor-src in the chroot (modification times kept, so a rebuild
# compiles only what changed); the build tree is /opt/pictor-build-<this checkout's key>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../../.." && pwd)
chroot_tool=$here/trixie_chroot.sh

source "$source_dir/tests/host/debian_chroot.sh"
started=$SECONDS
# Only one build in the chroot at a time (ctest may run two configurations' tests at once).
chroot_build_start build_in_chroot "$chroot_tool" build.lock /opt/pictor-src
root=$chroot_root
build=/opt/pictor-build-$chroot_build_key

run() { "$chroot_tool" run "$@"; }
run cmake -S /opt/pictor-src -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_INSTALL_PREFIX=/usr -DPICTOR_BUILD_TESTS=OFF -DPICTOR_GIMP3_PLUGIN=ON >/dev/null
run cmake --build "$build" -j2
# What an earlier run installed goes first, so nothing stale survives a renamed file.
if [ -f "$root$build/install_manifest.txt" ]; then
  while IFS= read -r installed; do rm -f "$root$installed"; done <"$root$build/install_manifest.txt"
fi
run cmake --install "$build" --prefix /usr >/dev/null
plugin_dir=$(run pkg-config --variable=gimplibdir gimp-3.0)/plug-ins
if [ ! -x "$root$plugin_dir/pictor/pictor" ]; then
  echo "build_in_chroot: cmake --install did not put the plug-in at $plugin_dir/pictor/pictor"
  exit 1
fi
echo "build_in_chroot: built and installed in $((SECONDS - started)) s: $plugin_dir/pictor/pictor"
