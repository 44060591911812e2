#!/usr/bin/env bash
# dist/quickstart.sh works with every shipped profile: without a key it runs against the mock
# gateway, says that the mock paints synthetic patterns, writes a generated image and (where the
# route serves edits) an edited one of the same size.
#
#   quickstart_test.sh PICTOR WORK
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pictor=$1 work=$2
rm -rf "$work"
mkdir -p "$work/home"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for profile_file in "$root"/dist/profiles/*.json; do
  profile=$(basename "$profile_file" .json)
  out=$work/$profile
  if ! env -i PATH=/usr/bin:/bin HOME="$work/home" PICTOR_PROFILE="$profile" PICTOR_QUICKSTART_PICTOR="$pictor" \
      PICTOR_QUICKSTART_OUTPUT="$out" bash "$root/dist/quickstart.sh" >"$work/$profile.log" 2>&1; then
    fail "PICTOR_PROFILE=$profile dist/quickstart.sh failed: $(tail -3 "$work/$profile.log")"
    continue
  fi
  grep -q "synthetic" "$work/$profile.log" || fail "quickstart ($profile) does not say the mock paints synthetic patterns"
  served=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("edits", {}).get("served", True))' "$profile_file")
  /usr/bin/python3 - "$out" "$served" <<'PY' || fail "quickstart ($profile): the images are not what it says"
import os, sys
from PIL import Image
out, served = sys.argv[1], sys.argv[2] == "True"
first = Image.open(os.path.join(out, "umbrella.png"))
first.load()
edited = os.path.join(out, "umbrella-yellow.png")
if served:
    second = Image.open(edited)
    second.load()
    assert second.size == first.size, (first.size, second.size)
else:
    assert not os.path.exists(edited)
PY
  echo "quickstart with $profile: ok"
done
echo "quickstart: $failures failures"
[ "$failures" -eq 0 ]
