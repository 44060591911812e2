#!/usr/bin/env python3
"""Every number a user reads for one of the library's limits is that limit.

The limits are read from the built library (pictor_get_limits), never from a copy. The texts a
program builds (`pictor edit --help`, `pictor inpaint --help`) are read from the program; texts
written by hand (README.md, docs/ARCHITECTURE.md, the Krita scripting docstring) are read from
the source tree. A text that names another number than the library's, or that no longer says
it where it used to, fails here, so a changed limit is either reworded everywhere or caught.

usage: limits_in_texts_test.py PICTOR LIBPICTOR SOURCE_DIR
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "host"))
from host_test_support import library_limits  # noqa: E402


failures = []


def check(where, text, pattern, expected):
    """Every match of pattern in text (its groups, white space folded) is expected; one at least."""
    folded = re.sub(r"\s+", " ", text)
    found = re.findall(pattern, folded)
    if not found:
        failures.append(f"{where}: no longer says /{pattern}/: reword this check with the text")
        return
    for match in found:
        values = match if isinstance(match, tuple) else (match,)
        got = tuple(int(v) for v in values if v)  # alternatives leave their other groups empty
        if got != tuple(expected):
            failures.append(f"{where}: /{pattern}/ says {got}, the library's limits are {tuple(expected)}")


def main():
    pictor, libpictor, source = sys.argv[1:4]
    lim = library_limits(libpictor)
    defaults = (lim.default_grow_px, lim.default_feather_px, lim.default_context_px)

    def help_of(command):
        return subprocess.run([pictor, command, "--help"], capture_output=True, text=True, timeout=60).stdout

    inpaint = help_of("inpaint")
    check("pictor inpaint --help", inpaint,
          r"--grow PX .*?\(default (\d+)\).*?--feather PX .*?\(default (\d+)\).*?--context PX .*?\(default (\d+)\)",
          defaults)
    check("pictor edit --help", help_of("edit"), r"repeat for up to (\d+)", (lim.max_edit_images,))
    check("pictor generate --help", help_of("generate"), r"ask for N previews \(0-(\d+)\)", (lim.max_partial_images,))

    def read(relative):
        with open(os.path.join(source, relative), encoding="utf-8") as f:
            return f.read()

    readme = read("README.md")
    check("README.md", readme, r"`--grow` \(default (\d+) px\), softens over `--feather` \((\d+) px\) "
          r"and is sent with `--context` \((\d+) px\)", defaults)
    check("README.md", readme, r"\| connect timeout \| (\d+) s \|", (int(lim.connect_timeout_s),))
    check("README.md", readme, r"\| response size \| (\d+) MiB", (lim.max_response_bytes >> 20,))
    check("README.md", readme, r"(\d+) Mpx", (lim.max_pixels // 1000000,))
    check("README.md", readme, r"\| retries \| (\d+),", (lim.max_retries,))
    check("README.md", readme, r"`--partials N` \(1-(\d+)\)", (lim.max_partial_images,))
    check("README.md", readme, r"references? \((?:top first, )?at most (\d+)\)|in order \(at most (\d+)\)",
          (lim.max_reference_layers,))
    architecture = read("docs/ARCHITECTURE.md")
    check("docs/ARCHITECTURE.md", architecture, r"editing with up to (\d+) reference images", (lim.max_edit_images,))
    check("docs/ARCHITECTURE.md", architecture, r"sends the layer and up to (\d+) references",
          (lim.max_reference_layers,))
    # Its docstring stays a literal: importing the module must not load libpictor.
    check("host-adapters/krita/pictor_krita/scripting.py", read("host-adapters/krita/pictor_krita/scripting.py"),
          r"the defaults \(grow (\d+), feather (\d+), context (\d+) pixels\)", defaults)

    for failure in failures:
        print("FAIL: " + failure)
    if not failures:
        print("every number checked is the library's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
