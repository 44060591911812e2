#!/usr/bin/env bash
# A Debian 13 ("trixie") chroot with GIMP 3 and pictor's build dependencies, for building and
# testing the GIMP 3 plug-in on a Debian 12 machine (GIMP 3 is not packaged for Debian 12).
#
#   trixie_chroot.sh ensure          make the chroot if it is missing or stale; print its path
#   trixie_chroot.sh run CMD...      run CMD inside it (a clean environment and /proc of its own)
#   trixie_chroot.sh path            print where it is (made or not)
#
# Made from nothing with debootstrap from Debian's mirror (about 2-5 minutes), then cached as a
# zstd tarball under ~/.cache/pictor/ (tests/host/debian_chroot.sh does the work), so that a
# fresh clone (as in CI) restores it in seconds. The package list below is part of the cache
# key: changing it makes a new chroot. Root only (chroot, mount).
set -euo pipefail

# What the chroot holds: GIMP 3 and its plug-in SDK, what building libpictor needs (Debian 13
# names), Python with PIL for the mock gateway, Xvfb tooling for the dialog screenshot, and
# OBS 30 with googletest, so the OBS module's tests also run against a newer libobs.
CHROOT_PACKAGES=(
  gimp libgimp-3.0-dev
  build-essential cmake pkg-config ca-certificates
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev
  libpng-dev libjpeg62-turbo-dev libwebp-dev zlib1g-dev libisal-dev
  libsecret-1-dev libjson-glib-dev
  python3 python3-pil python3-gi gir1.2-gimp-3.0
  xvfb xauth xdotool imagemagick
  libobs-dev obs-studio libgtest-dev libgmock-dev
)
CHROOT_TOOL=trixie_chroot
CHROOT_SUITE=trixie
CHROOT_NAME=trixie-gimp3
CHROOT_READY=/usr/bin/gimp-console-3.0
CHROOT_ROOT=${PICTOR_TRIXIE_ROOT:-}
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../debian_chroot.sh"
chroot_main "$@"
