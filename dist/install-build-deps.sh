#!/usr/bin/env bash
# Installs what building and testing pictor needs, from Debian 12's own packages only.
set -euo pipefail
packages=(
  build-essential cmake pkg-config ca-certificates
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev
  libpng-dev libjpeg62-turbo-dev libwebp-dev zlib1g-dev
  libisal-dev                    # ISA-L: fast streaming inflate for PNG answers
  libgtest-dev libgmock-dev
  python3 python3-pil            # the mock gateway used by the tests and the demo
  python3-requests               # tests/bench: the Python peer of the upload benchmark
  libsecret-1-dev                # `pictor login` keeps the key in the desktop keyring
  openssl dbus gnome-keyring     # fault tests: a self-signed TLS gateway, a private keyring
  clang libclang-rt-14-dev       # libFuzzer targets (tests/fuzz)
  gimp libgimp2.0-dev libjson-glib-dev  # the GIMP 2.10 plug-in, tested in gimp-console-2.10
  xdotool imagemagick            # GIMP 2.10 dialogs under Xvfb: clicked, and a screenshot kept
  libobs-dev obs-studio xvfb xauth      # the OBS module, tested in libobs headless (about 20 s)
  debootstrap zstd               # GIMP 3 tests: a Debian 13 chroot with GIMP 3, cached as .tar.zst
  krita python3-pyqt5 python3-sip # the Krita plug-in (Python), tested in kritarunner and Krita under Xvfb
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "build dependencies: all installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
