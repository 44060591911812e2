#!/usr/bin/env bash
# The .deb packages a Debian 12 user would install: `cpack -G DEB` in BUILD (configured with
# -DCMAKE_INSTALL_PREFIX=/usr), their names, contents and Depends checked against Debian's own
# conventions, then installed with apt into a fresh Debian 12 chroot (bookworm_chroot.sh: GIMP
# 2.10 and nothing of pictor's, its dependencies only in apt's cache, installed offline), where
# `pictor --version` runs and GIMP registers the plug-in.
#
#   deb_install_test.sh BUILD WORK
# Root only (chroot); elsewhere it skips (exit 77), and fails under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd) work=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP: $*"; [ "${CI:-}" = true ] && exit 1; exit 77; }
# grep that reads all its input: grep -q stops at the first match, and under pipefail the writer
# it leaves behind dies of SIGPIPE and fails the check at random.
matches() { grep "$@" >/dev/null; }

[ "$(id -u)" -eq 0 ] || skip "the .deb install test needs root (chroot)"
grep -q '^CMAKE_INSTALL_PREFIX:PATH=/usr$' "$build/CMakeCache.txt" ||
  skip "$build is not configured with -DCMAKE_INSTALL_PREFIX=/usr, the prefix .debs are built for"
rm -rf "$work"
mkdir -p "$work/debs"

started=$SECONDS
(cd "$work/debs" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/debs") >"$work/cpack.log" 2>&1 ||
  { tail -30 "$work/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1; }
echo "cpack: $((SECONDS - started)) s"
deb() { ls "$work/debs/$1"_*.deb 2>/dev/null | head -1; }
field() { dpkg-deb -f "$1" "$2"; }
version=$("$build/host-adapters/cli/pictor" --version | awk '{ print $2 }')

# Debian's policy names the library package after the SONAME: libpictor.so.0.1 -> libpictor0.1.
soname=$(objdump -p "$(readlink -f "$build"/abi/libpictor.so)" | awk '/SONAME/ { print $2 }')
libpackage=$(echo "$soname" | sed -E 's/^lib(.*)\.so\.([0-9.]+)$/lib\1\2/')
expected=("$libpackage" libpictor-dev pictor gimp-plugin-pictor)
[ -f "$build/host-adapters/obs/pictor.so" ] && expected+=(obs-plugin-pictor)
for package in "${expected[@]}"; do
  file=$(deb "$package")
  if [ -z "$file" ]; then fail "no $package package (made: $(ls "$work/debs"/*.deb | xargs -n1 basename | tr '\n' ' '))"; continue; fi
  [ "$(field "$file" Package)" = "$package" ] || fail "$file says Package: $(field "$file" Package)"
  dpkg-deb --fsys-tarfile "$file" | tar -xOf - "./usr/share/doc/$package/copyright" 2>/dev/null | matches '^License: Expat' ||
    fail "$package has no /usr/share/doc/$package/copyright naming the Expat (MIT) license"
  # Nothing outside /usr (and nothing under /usr/local).
  bad=$(dpkg-deb -c "$file" | awk '{ print $6 }' | grep -v -E '^\./(usr/)?$|^\./usr/' | head -3 || true)
  bad+=$(dpkg-deb -c "$file" | awk '{ print $6 }' | grep -E '^\./usr/local' | head -3 || true)
  [ -z "$bad" ] || fail "$package installs outside /usr: $bad"
done

contents() { dpkg-deb -c "$(deb "$1")" | awk '{ print $6 }'; }
# The CLI package: the program, a man page naming every command, bash completion; and it
# depends on the library, not on GIMP, GTK or OBS.
cli_deb=$(deb pictor)
if [ -n "$cli_deb" ]; then
  for path in ./usr/bin/pictor ./usr/share/man/man1/pictor.1.gz ./usr/share/bash-completion/completions/pictor; do
    contents pictor | matches -x "$path" || fail "the pictor package lacks $path"
  done
  depends=$(field "$cli_deb" Depends)
  echo "$depends" | matches "$libpackage (= $version)" || fail "pictor's Depends ($depends) lacks $libpackage (= $version)"
  echo "$depends" | matches -i -E 'gimp|gtk|obs|krita' && fail "pictor's Depends pulls a host: $depends"
  man=$(dpkg-deb --fsys-tarfile "$cli_deb" | tar -xOf - ./usr/share/man/man1/pictor.1.gz | gzip -dc)
  for command in $("$build/host-adapters/cli/pictor" --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
    echo "$man" | matches "^\.SH \"pictor $command\"" || fail "the man page has no section for pictor $command"
  done
fi
lib_deb=$(deb "$libpackage")
[ -n "$lib_deb" ] && { contents "$libpackage" | matches "/$soname\$" || fail "$libpackage lacks $soname"; }
[ -n "$lib_deb" ] && { contents "$libpackage" | matches '/share/pictor/profiles/openai.json$' || fail "$libpackage lacks the profiles"; }
# The helper process libpictor starts for a request, where it looks: pictor/ beside itself.
if [ -n "$lib_deb" ] && [ -f "$build/abi/pictor/pictor-request-runner" ]; then
  libdir=$(dirname "$(contents "$libpackage" | grep -m1 "/$soname\$")")
  contents "$libpackage" | matches -x "$libdir/pictor/pictor-request-runner" ||
    fail "$libpackage lacks $libdir/pictor/pictor-request-runner"
fi
dev_deb=$(deb libpictor-dev)
if [ -n "$dev_deb" ]; then
  contents libpictor-dev | matches -x './usr/include/pictor/pictor.h' || fail "libpictor-dev lacks /usr/include/pictor/pictor.h"
  pc=$(dpkg-deb --fsys-tarfile "$dev_deb" | tar -xOf - --wildcards '*/pkgconfig/pictor.pc')
  echo "$pc" | matches -x 'prefix=/usr' || fail "libpictor-dev's pictor.pc does not say prefix=/usr: $pc"
fi
# The OBS module where Debian's OBS keeps its own modules (asked from the installed obs-studio).
if [ -n "$(deb obs-plugin-pictor)" ] && obs_dir=$(dpkg -L obs-studio 2>/dev/null | grep -m1 '/obs-plugins/[^/]*\.so$'); then
  contents obs-plugin-pictor | matches -x ".$(dirname "$obs_dir")/pictor.so" ||
    fail "obs-plugin-pictor does not put pictor.so in $(dirname "$obs_dir") with OBS's own modules"
fi

# A fresh Debian 12: install the packages with apt, offline, then use them.
root=$work/root
"$here/bookworm_chroot.sh" fresh "$root"
trap '"$here/bookworm_chroot.sh" drop "$root"' EXIT
chroot_in() { local at=$1; shift; "$here/bookworm_chroot.sh" in "$at" "$@"; }
mkdir -p "$root/tmp/debs"
for package in "$libpackage" pictor gimp-plugin-pictor libpictor-dev; do
  [ -n "$(deb "$package")" ] && cp "$(deb "$package")" "$root/tmp/debs/"
done
# dpkg unpacks them and names what they lack; apt then brings exactly that from its cache (its
# own `install ./x.deb` cannot be kept offline with --no-download).
chroot_in "$root" sh -c 'dpkg -i /tmp/debs/*.deb' >"$work/apt.log" 2>&1 || true
if ! chroot_in "$root" sh -c 'apt-get install -f -y -q --no-download --no-install-recommends && dpkg -s pictor' \
    >>"$work/apt.log" 2>&1; then
  tail -20 "$work/apt.log"
  fail "apt-get install of the .debs failed in the fresh Debian 12 (a Depends missing from apt's cache?)"
else
  out=$(chroot_in "$root" pictor --version 2>&1) || fail "pictor --version failed in Debian 12: $out"
  [ "$out" = "pictor $version" ] || fail "pictor --version in Debian 12 says '$out', expected 'pictor $version'"
  # GIMP queries the plug-in (running it) and registers its procedures in pluginrc; the folder is
  # the one GIMP's own plug-ins are in.
  gimp_own=$(chroot_in "$root" sh -c 'ls -d /usr/lib/gimp/2.0/plug-ins/file-png' 2>/dev/null || true)
  plugin=$(chroot_in "$root" dpkg -L gimp-plugin-pictor | grep '/plug-ins/pictor/pictor$' || true)
  [ -n "$gimp_own" ] && [ "$(dirname "$(dirname "$plugin")")" = "$(dirname "$gimp_own")" ] ||
    fail "the plug-in ($plugin) is not beside GIMP's own ($gimp_own)"
  registered=$(chroot_in "$root" timeout 120 gimp-console-2.10 -i -d -f -b \
    '(begin (gimp-message (number->string (car (gimp-procedural-db-proc-exists "plug-in-pictor-generate")))) (gimp-quit 0))' 2>&1 || true)
  echo "$registered" | matches -E '(^|: )1$' ||
    fail "GIMP 2.10 in Debian 12 did not register plug-in-pictor-generate: $registered"
  chroot_in "$root" sh -c 'grep -q "plug-in-pictor-inpaint" /root/.config/GIMP/2.10/pluginrc' ||
    fail "GIMP's pluginrc has no plug-in-pictor-inpaint"
fi
echo "deb install test: $((SECONDS - started)) s, $failures failures"
[ "$failures" -eq 0 ]
