#!/usr/bin/env bash
# A fresh Debian 12 ("bookworm") with GIMP 2.10, into which tests/dist/deb_install_test.sh
# installs pictor's .deb packages the way a user would. Besides GIMP it holds nothing of pictor's
# dependencies: those are only downloaded (apt's cache), so that the test installs them offline
# with `apt-get --no-download` and a dependency missing from a package's Depends shows.
#
#   bookworm_chroot.sh ensure | path | run CMD... | fresh DIR | in DIR CMD... | drop DIR
#   (see tests/host/debian_chroot.sh)
set -euo pipefail

CHROOT_PACKAGES=(gimp)
# What libpictor0 and the CLI load (Debian 12 names); GIMP brings some of them already.
CHROOT_DOWNLOAD=(libcurl4 libisal2 libsecret-1-0 libpng16-16 libjpeg62-turbo libwebp7 libjson-glib-1.0-0)
CHROOT_TOOL=bookworm_chroot
CHROOT_SUITE=bookworm
CHROOT_NAME=bookworm-debs
CHROOT_READY=/usr/bin/gimp-console-2.10
CHROOT_ROOT=${PICTOR_BOOKWORM_ROOT:-}
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../host/debian_chroot.sh"
chroot_main "$@"
