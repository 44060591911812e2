#!/usr/bin/env bash
# The README's first command: install the dependencies, build, then generate an image and edit
# it. With PICTOR_API_KEY (or OPENAI_API_KEY) set this talks to the real gateway of
# PICTOR_PROFILE (default openai) and costs money (the lowest quality the route offers: about
# $0.01 at OpenAI, $0.03 per call on a fixed-price route); without a key it starts the mock
# gateway on 127.0.0.1 and nothing leaves the machine. The mock paints synthetic test patterns,
# not what the prompt asks for.
#
# PICTOR_QUICKSTART_PICTOR=path/to/pictor skips installing and building (the tests use it);
# PICTOR_QUICKSTART_OUTPUT names the output folder (default quickstart-output/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
out=${PICTOR_QUICKSTART_OUTPUT:-$root/quickstart-output}
profile=${PICTOR_PROFILE:-openai}

if [ -n "${PICTOR_QUICKSTART_PICTOR:-}" ]; then
  pictor=$PICTOR_QUICKSTART_PICTOR
else
  bash "$root/dist/install-build-deps.sh"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPICTOR_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target pictor_cli
  pictor="$build/host-adapters/cli/pictor"
fi
mkdir -p "$out"

# What the route takes, from its profile (yours in ~/.config/pictor/profiles/ wins, as in
# pictor): quality low where it has qualities; the size is left to the route's default.
profile_file="${XDG_CONFIG_HOME:-$HOME/.config}/pictor/profiles/$profile.json"
[ -f "$profile_file" ] || profile_file="$root/dist/profiles/$profile.json"
[ -f "$profile_file" ] || { echo "quickstart: no profile named $profile (dist/profiles/ lists them)" >&2; exit 2; }
read -r quality edits_served < <(/usr/bin/python3 - "$profile_file" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
takes_quality = p.get("fields", {}).get("quality", True) and "low" in p.get("quality_values", {})
print("low" if takes_quality else "-", "yes" if p.get("edits", {}).get("served", True) else "no")
PY
)
quality_args=()
[ "$quality" = "-" ] || quality_args=(--quality "$quality")

mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${PICTOR_API_KEY:-}" ] && [ -z "${OPENAI_API_KEY:-}" ]; then
  port_file=$(mktemp)
  /usr/bin/python3 "$root/tests/mock_gateway/mock_gateway.py" --port 0 --port-file "$port_file" --quiet \
      --lifetime 600 >/dev/null &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  export PICTOR_API_KEY="sk-quickstart-mock"
  export PICTOR_BASE_URL="http://127.0.0.1:$(cat "$port_file")/$profile/v1"
  export PICTOR_HISTORY_DIR="$out/history"
  echo "no API key set: using the mock gateway at $PICTOR_BASE_URL"
  echo "(the mock paints synthetic test patterns, not the prompt: set PICTOR_API_KEY for real images)"
else
  echo "using the real gateway of profile $profile (this is billed)"
fi
export PICTOR_PROFILE=$profile

"$pictor" --version
"$pictor" generate "a red umbrella on a rainy street, watercolor" -o "$out/umbrella.png" "${quality_args[@]}"
if [ "$edits_served" != yes ]; then
  echo "done: $out/umbrella.png (profile $profile serves generations only, so no edit)"
  exit 0
fi
# A mask the size of the image: transparent (repaint) in an ellipse in the middle, opaque (keep)
# elsewhere.
/usr/bin/python3 - "$out/umbrella.png" "$out/mask.png" <<'PY'
import sys
from PIL import Image, ImageDraw
width, height = Image.open(sys.argv[1]).size
mask = Image.new("RGBA", (width, height), (0, 0, 0, 255))
ImageDraw.Draw(mask).ellipse((width * 0.3, height * 0.3, width * 0.7, height * 0.7), fill=(0, 0, 0, 0))
mask.save(sys.argv[2])
PY
"$pictor" edit "make the umbrella bright yellow" --image "$out/umbrella.png" --mask "$out/mask.png" \
    -o "$out/umbrella-yellow.png" "${quality_args[@]}"
echo "done: $out/umbrella.png and $out/umbrella-yellow.png (history: ${PICTOR_HISTORY_DIR:-~/.local/share/pictor/history})"
