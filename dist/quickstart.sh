#!/usr/bin/env bash
# The README's first command: install the dependencies, build, then generate an image and edit
# it. With PICTOR_API_KEY (or OPENAI_API_KEY) set this talks to the real gateway of
# PICTOR_PROFILE (default openai) and costs money (quality low: about $0.01); without a key it
# starts the mock gateway on 127.0.0.1 and nothing leaves the machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
out="$root/quickstart-output"

bash "$root/dist/install-build-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPICTOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target pictor_cli
pictor="$build/host-adapters/cli/pictor"
mkdir -p "$out"

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
  export PICTOR_BASE_URL="http://127.0.0.1:$(cat "$port_file")/${PICTOR_PROFILE:-openai}/v1"
  export PICTOR_HISTORY_DIR="$out/history"
  echo "no API key set: using the mock gateway at $PICTOR_BASE_URL"
else
  echo "using the real gateway of profile ${PICTOR_PROFILE:-openai} (this is billed)"
fi

"$pictor" --version
"$pictor" generate "a red umbrella on a rainy street, watercolor" -o "$out/umbrella.png" \
    --size 1024x1024 --quality low
# A mask: transparent (repaint) in an ellipse in the middle, opaque (keep) elsewhere.
/usr/bin/python3 - "$out/mask.png" <<'PY'
import sys
from PIL import Image, ImageDraw
mask = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
ImageDraw.Draw(mask).ellipse((312, 312, 712, 712), fill=(0, 0, 0, 0))
mask.save(sys.argv[1])
PY
"$pictor" edit "make the umbrella bright yellow" --image "$out/umbrella.png" --mask "$out/mask.png" \
    -o "$out/umbrella-yellow.png" --quality low
echo "done: $out/umbrella.png and $out/umbrella-yellow.png (history: ${PICTOR_HISTORY_DIR:-~/.local/share/pictor/history})"
