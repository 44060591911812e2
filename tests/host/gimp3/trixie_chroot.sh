#!/usr/bin/env bash
# A Debian 13 ("trixie") chroot with GIMP 3 and pictor's build dependencies, for building and
# testing the GIMP 3 plug-in on a Debian 12 machine (GIMP 3 is not packaged for Debian 12).
#
#   trixie_chroot.sh ensure          make the chroot if it is missing or stale; print its path
#   trixie_chroot.sh run CMD...      run CMD inside it (a clean environment; see in_root below)
#   trixie_chroot.sh path            print where it is (made or not)
#
# Made from nothing with debootstrap from Debian's mirror (about 2-5 minutes), then cached as a
# zstd tarball under ~/.cache/pictor/, so that a fresh clone (as in CI) restores it in seconds.
# The package list below is part of the cache key: changing it makes a new chroot.
# Root only (chroot, mount). Runs of this script on one machine take turns (flock).
set -euo pipefail

# What the chroot holds: GIMP 3 and its plug-in SDK, what building libpictor needs (Debian 13
# names), Python with PIL for the mock gateway, and Xvfb tooling for the dialog screenshot.
PACKAGES=(
  gimp libgimp-3.0-dev
  build-essential cmake pkg-config ca-certificates
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev
  libpng-dev libjpeg62-turbo-dev libwebp-dev zlib1g-dev libisal-dev
  libsecret-1-dev libjson-glib-dev
  python3 python3-pil python3-gi gir1.2-gimp-3.0
  xvfb xauth xdotool imagemagick
)
MIRROR=${PICTOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${PICTOR_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE_DIR=${PICTOR_CACHE_DIR:-$HOME/.cache/pictor}
KEY=$(printf '%s\n' "${PACKAGES[@]}" "$MIRROR" | sha256sum | cut -c1-12)
ROOT=${PICTOR_TRIXIE_ROOT:-$CACHE_DIR/trixie-gimp3-$KEY}
TARBALL=$CACHE_DIR/trixie-gimp3-$KEY.tar.zst
STAMP=$ROOT/.pictor-chroot-ready

say() { echo "trixie_chroot: $*" >&2; }
die() { say "$*"; exit 1; }

in_root() {
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

mounts_up() {
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  mountpoint -q "$ROOT/dev/pts" || mount --bind /dev/pts "$ROOT/dev/pts"
}
mounts_down() {
  local m
  for m in dev/pts dev proc; do
    if mountpoint -q "$ROOT/$m"; then umount -l "$ROOT/$m" || true; fi
  done
}

make_from_nothing() {
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  command -v zstd >/dev/null || die "zstd is missing: apt-get install zstd"
  local started=$SECONDS partial=$ROOT.partial
  rm -rf "$partial"
  say "debootstrap trixie into $partial (from $MIRROR)"
  # A mirror hiccup should not fail a CI run: one more try from a clean folder.
  debootstrap --variant=minbase trixie "$partial" "$MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1 ||
    { say "debootstrap failed once; trying again"; rm -rf "$partial";
      debootstrap --variant=minbase trixie "$partial" "$MIRROR" >>"$CACHE_DIR/debootstrap.log" 2>&1; } ||
    { tail -20 "$CACHE_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE_DIR/debootstrap.log)"; }
  cat >"$partial/etc/apt/sources.list" <<SOURCES
deb $MIRROR trixie main
deb $MIRROR trixie-updates main
deb $SECURITY_MIRROR trixie-security main
SOURCES
  # Docs and man pages are not needed to build or test: a smaller tarball.
  cat >"$partial/etc/dpkg/dpkg.cfg.d/01-pictor-nodoc" <<'NODOC'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
NODOC
  local saved_root=$ROOT
  ROOT=$partial
  trap mounts_down EXIT
  mounts_up
  say "installing ${#PACKAGES[@]} packages and their dependencies"
  apt_install() {
    in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
  }
  apt_install >"$CACHE_DIR/apt.log" 2>&1 || { say "apt-get failed once; trying again"; apt_install >>"$CACHE_DIR/apt.log" 2>&1; } ||
    { mounts_down; tail -20 "$CACHE_DIR/apt.log" >&2; die "apt-get in the chroot failed (log: $CACHE_DIR/apt.log)"; }
  in_root apt-get clean
  mounts_down
  trap - EXIT
  ROOT=$saved_root
  rm -rf "$ROOT"
  mv "$partial" "$ROOT"
  say "chroot ready after $((SECONDS - started)) s; caching it as $TARBALL"
  tar -C "$ROOT" --one-file-system -cf - . | zstd -3 -q -T0 -o "$TARBALL.partial"
  mv "$TARBALL.partial" "$TARBALL"
  # Older caches (another package list) are dead weight.
  find "$CACHE_DIR" -maxdepth 1 -name 'trixie-gimp3-*.tar.zst' ! -name "$(basename "$TARBALL")" -delete
  touch "$STAMP"
}

restore_from_tarball() {
  local started=$SECONDS
  rm -rf "$ROOT" "$ROOT.partial"
  mkdir -p "$ROOT.partial"
  zstd -dc -q "$TARBALL" | tar -C "$ROOT.partial" -xf - ||
    { rm -rf "$ROOT.partial"; say "the cached tarball did not unpack: making the chroot anew"; rm -f "$TARBALL"; return 1; }
  mv "$ROOT.partial" "$ROOT"
  touch "$STAMP"
  say "restored from $TARBALL in $((SECONDS - started)) s"
}

ensure() {
  [ "$(id -u)" -eq 0 ] || die "making the GIMP 3 chroot needs root (chroot, mount)"
  mkdir -p "$CACHE_DIR"
  if [ -f "$STAMP" ] && [ -x "$ROOT/usr/bin/gimp-console-3.0" ]; then
    return 0
  fi
  if [ -f "$TARBALL" ] && restore_from_tarball; then
    return 0
  fi
  make_from_nothing
}

cmd=${1:-}
[ -n "$cmd" ] || die "usage: trixie_chroot.sh ensure | run CMD... | path"
shift
case "$cmd" in
  path) echo "$ROOT" ;;
  ensure)
    mkdir -p "$CACHE_DIR"
    exec 9>"$CACHE_DIR/trixie-gimp3.lock"
    flock 9
    ensure
    echo "$ROOT"
    ;;
  run)
    if [ "$(id -u)" -ne 0 ]; then
      say "the GIMP 3 tests run in a chroot and need root"
      [ "${CI:-}" = true ] && exit 1
      exit 77
    fi
    [ -f "$STAMP" ] || die "no chroot at $ROOT: run 'trixie_chroot.sh ensure' first"
    in_root "$@"
    ;;
  *) die "unknown command '$cmd': ensure | run CMD... | path" ;;
esac
