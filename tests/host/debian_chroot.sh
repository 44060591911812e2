# A Debian chroot made with debootstrap and cached as a zstd tarball, shared by the scripts that
# need one (tests/host/gimp3/trixie_chroot.sh: GIMP 3 on Debian 13; tests/dist/
# bookworm_chroot.sh: a fresh Debian 12 to install the .debs into). Sourced, not run. The caller
# sets:
#
#   CHROOT_TOOL      its own name, for messages ("trixie_chroot")
#   CHROOT_SUITE     the Debian release (trixie, bookworm)
#   CHROOT_NAME      the cache's name (trixie-gimp3): ~/.cache/pictor/<name>-<key>.tar.zst
#   CHROOT_PACKAGES  (array) what to install into it
#   CHROOT_READY     a path inside the chroot that exists once it is complete
#   CHROOT_DOWNLOAD  (array, optional) packages only downloaded into apt's cache, so that a test
#                    can later install them with `apt-get --no-download` (no network then)
#
# and then calls `chroot_main "$@"`, which offers:
#
#   ensure          make the chroot if it is missing or stale; print its path
#   run CMD...      run CMD inside it (a clean environment; see chroot_in_root)
#   path            print where it is (made or not)
#   fresh DIR       unpack a pristine copy into DIR (made first if need be), for a test that
#                   changes it
#   in DIR CMD...   run CMD inside the copy at DIR (/proc and /dev mounted)
#   drop DIR        unmount and remove the copy at DIR
#
# Made from nothing with debootstrap from Debian's mirror (a few minutes), then cached, so that
# a fresh clone (as in CI) restores it in seconds. The package lists and the mirror are the
# cache key: changing them makes a new chroot. Root only (chroot, mount). Runs of one tool on
# one machine take turns (flock).

# chroot_build_start NAME TOOL LOCK DEST: the start of a script that builds the working tree in
# the chroot a chroot TOOL makes (tests/host/gimp3/build_in_chroot.sh, tests/host/obs/
# run_in_trixie.sh). Without root it exits 77 (skipped; 1 under CI=true). Else it makes sure the
# chroot exists (its path in $chroot_root), holds the lock $chroot_root.LOCK for the rest of the
# caller (fd 8: one such build at a time), and copies the whole source tree ($source_dir) to
# $chroot_root/DEST, modification times kept (a rebuild compiles only what changed).
# $chroot_build_key names the build tree of this source tree: each checkout builds in a folder
# of its own, so an object compiled from another checkout's newer file is never taken as up to
# date for this one's older file.
chroot_build_start() {
  local name=$1 tool=$2 lock=$3 dest=$4
  if [ "$(id -u)" -ne 0 ]; then
    echo "$name: these tests need root (they use a Debian chroot made by $(basename "$tool"))."
    [ "${CI:-}" = true ] && exit 1
    exit 77
  fi
  chroot_root=$("$tool" ensure)
  chroot_build_key=$(printf '%s' "$source_dir" | sha256sum | cut -c1-8)
  exec 8>"$chroot_root.$lock"
  flock 8
  rm -rf "${chroot_root:?}$dest"
  mkdir -p "$chroot_root$dest"
  tar -C "$source_dir" --exclude=./.git --exclude='./build*' --exclude=./quickstart-output -cf - . |
    tar -C "$chroot_root$dest" -xf -
}
# A build script sources this file for chroot_build_start alone; a chroot tool sets CHROOT_SUITE
# and the rest below.
[ -n "${CHROOT_SUITE:-}" ] || return 0

MIRROR=${PICTOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${PICTOR_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE_DIR=${PICTOR_CACHE_DIR:-$HOME/.cache/pictor}
CHROOT_DOWNLOAD=("${CHROOT_DOWNLOAD[@]+"${CHROOT_DOWNLOAD[@]}"}")
# The key of a chroot without download-only packages is what it always was (caches stay valid).
if [ ${#CHROOT_DOWNLOAD[@]} -eq 0 ]; then
  KEY=$(printf '%s\n' "${CHROOT_PACKAGES[@]}" "$MIRROR" | sha256sum | cut -c1-12)
else
  KEY=$(printf '%s\n' "${CHROOT_PACKAGES[@]}" "$MIRROR" download: "${CHROOT_DOWNLOAD[@]}" | sha256sum | cut -c1-12)
fi
ROOT=${CHROOT_ROOT:-$CACHE_DIR/$CHROOT_NAME-$KEY}
TARBALL=$CACHE_DIR/$CHROOT_NAME-$KEY.tar.zst
STAMP=$ROOT/.pictor-chroot-ready

say() { echo "$CHROOT_TOOL: $*" >&2; }
die() { say "$*"; exit 1; }

# The clean environment commands get inside a chroot.
CHROOT_ENV=(/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
# Runs a command inside the chroot at $1 with a clean environment.
chroot_in() {
  local root=$1
  shift
  chroot "$root" "${CHROOT_ENV[@]}" "$@"
}
# The same in a mount namespace of its own with /proc mounted inside it: tests that look at
# processes (/proc/PID/exe, environ, maps) see them, and the mount ends with the command, so
# nothing stays mounted in the cached chroot and runs side by side never unmount each other's.
chroot_in_with_proc() {
  local root=$1
  shift
  unshare --mount --propagation private -- \
    chroot "$root" /bin/sh -c 'mount -t proc proc /proc && exec "$@"' sh "${CHROOT_ENV[@]}" "$@"
}
in_root() { chroot_in "$ROOT" "$@"; }

chroot_mount() {
  local root=$1
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
  mountpoint -q "$root/dev/pts" || mount --bind /dev/pts "$root/dev/pts"
}
chroot_umount() {
  local root=$1 m
  for m in dev/pts dev proc; do
    if mountpoint -q "$root/$m"; then umount -l "$root/$m" || true; fi
  done
}
mounts_up() { chroot_mount "$ROOT"; }
mounts_down() { chroot_umount "$ROOT"; }

make_from_nothing() {
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  command -v zstd >/dev/null || die "zstd is missing: apt-get install zstd"
  local started=$SECONDS partial=$ROOT.partial
  local log=$CACHE_DIR/$CHROOT_NAME-debootstrap.log apt_log=$CACHE_DIR/$CHROOT_NAME-apt.log
  rm -rf "$partial"
  say "debootstrap $CHROOT_SUITE into $partial (from $MIRROR)"
  # A mirror hiccup should not fail a CI run: one more try from a clean folder.
  debootstrap --variant=minbase "$CHROOT_SUITE" "$partial" "$MIRROR" >"$log" 2>&1 ||
    { say "debootstrap failed once; trying again"; rm -rf "$partial";
      debootstrap --variant=minbase "$CHROOT_SUITE" "$partial" "$MIRROR" >>"$log" 2>&1; } ||
    { tail -20 "$log" >&2; die "debootstrap failed (log: $log)"; }
  cat >"$partial/etc/apt/sources.list" <<SOURCES
deb $MIRROR $CHROOT_SUITE main
deb $MIRROR $CHROOT_SUITE-updates main
deb $SECURITY_MIRROR $CHROOT_SUITE-security main
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
  say "installing ${#CHROOT_PACKAGES[@]} packages and their dependencies"
  apt_install() {
    in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends "${CHROOT_PACKAGES[@]}" &&
      in_root apt-get clean &&
      if [ ${#CHROOT_DOWNLOAD[@]} -gt 0 ]; then
        in_root apt-get install -y -q --no-install-recommends --download-only "${CHROOT_DOWNLOAD[@]}"
      fi
  }
  apt_install >"$apt_log" 2>&1 || { say "apt-get failed once; trying again"; apt_install >>"$apt_log" 2>&1; } ||
    { mounts_down; tail -20 "$apt_log" >&2; die "apt-get in the chroot failed (log: $apt_log)"; }
  mounts_down
  trap - EXIT
  ROOT=$saved_root
  rm -rf "$ROOT"
  mv "$partial" "$ROOT"
  say "chroot ready after $((SECONDS - started)) s; caching it as $TARBALL"
  tar -C "$ROOT" --one-file-system -cf - . | zstd -3 -q -T0 -o "$TARBALL.partial"
  mv "$TARBALL.partial" "$TARBALL"
  # Older caches (another package list) are dead weight.
  find "$CACHE_DIR" -maxdepth 1 -name "$CHROOT_NAME-*.tar.zst" ! -name "$(basename "$TARBALL")" -delete
  touch "$STAMP"
}

# Unpacks the cached tarball into $1 (a folder that must not exist yet).
unpack_tarball() {
  local into=$1
  mkdir -p "$into.partial"
  zstd -dc -q "$TARBALL" | tar -C "$into.partial" -xf - || { rm -rf "$into.partial"; return 1; }
  mv "$into.partial" "$into"
}

restore_from_tarball() {
  local started=$SECONDS
  rm -rf "$ROOT" "$ROOT.partial"
  unpack_tarball "$ROOT" ||
    { say "the cached tarball did not unpack: making the chroot anew"; rm -f "$TARBALL"; return 1; }
  touch "$STAMP"
  say "restored from $TARBALL in $((SECONDS - started)) s"
}

ensure() {
  [ "$(id -u)" -eq 0 ] || die "making the $CHROOT_SUITE chroot needs root (chroot, mount)"
  mkdir -p "$CACHE_DIR"
  if [ -f "$STAMP" ] && [ -e "$ROOT$CHROOT_READY" ]; then
    return 0
  fi
  if [ -f "$TARBALL" ] && restore_from_tarball; then
    return 0
  fi
  make_from_nothing
}

need_root_or_skip() {
  if [ "$(id -u)" -ne 0 ]; then
    say "the tests that use the $CHROOT_SUITE chroot need root"
    [ "${CI:-}" = true ] && exit 1
    exit 77
  fi
}

chroot_main() {
  local cmd=${1:-}
  [ -n "$cmd" ] || die "usage: $CHROOT_TOOL.sh ensure | run CMD... | path | fresh DIR | in DIR CMD... | drop DIR"
  shift
  case "$cmd" in
    path) echo "$ROOT" ;;
    ensure)
      mkdir -p "$CACHE_DIR"
      exec 9>"$CACHE_DIR/$CHROOT_NAME.lock"
      flock 9
      ensure
      echo "$ROOT"
      ;;
    run)
      need_root_or_skip
      [ -f "$STAMP" ] || die "no chroot at $ROOT: run '$CHROOT_TOOL.sh ensure' first"
      chroot_in_with_proc "$ROOT" "$@"
      ;;
    fresh)
      need_root_or_skip
      local into=${1:?fresh needs a folder}
      [ ! -e "$into" ] || die "fresh: $into exists already"
      mkdir -p "$CACHE_DIR"
      exec 9>"$CACHE_DIR/$CHROOT_NAME.lock"
      flock 9
      # The tarball is what counts; the unpacked copy from making it is not needed.
      if [ ! -f "$TARBALL" ]; then
        ensure
      fi
      local started=$SECONDS
      unpack_tarball "$into" || die "could not unpack $TARBALL into $into"
      say "fresh $CHROOT_SUITE chroot in $into ($((SECONDS - started)) s)"
      ;;
    in)
      need_root_or_skip
      local at=${1:?in needs a folder}
      shift
      [ -x "$at/usr/bin/env" ] || die "no chroot at $at"
      chroot_mount "$at"
      chroot_in "$at" "$@"
      ;;
    drop)
      local at=${1:?drop needs a folder}
      chroot_umount "$at"
      rm -rf "$at"
      ;;
    *) die "unknown command '$cmd': ensure | run CMD... | path | fresh DIR | in DIR CMD... | drop DIR" ;;
  esac
}
