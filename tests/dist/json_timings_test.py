#!/usr/bin/env python3
"""`--json` timings split the server's wait from the download for every image command.

The mock gateway sleeps DELAY seconds before answering (scenario delay=S); each command's
timings_ms must put that sleep under "wait", not "download". The edit and inpaint uploads are
large enough (over 1 MiB) that libcurl asks for "100 Continue" first, the case where the wait
used to be counted as download.

usage: json_timings_test.py PICTOR MOCK_GATEWAY_SCRIPT WORK_DIR
"""

import json
import os
import random
import shutil
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "host"))
from host_test_support import MockGateway  # noqa: E402

from PIL import Image  # noqa: E402

DELAY_S = 1.5


def main():
    pictor, mock_script, work = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # Noise does not compress: a 1024x1024 PNG of it is about 3 MB.
    rng = random.Random(17)
    image = os.path.join(work, "noise.png")
    Image.frombytes("RGB", (1024, 1024), bytes(rng.getrandbits(8) for _ in range(1024 * 1024 * 3))).save(image)
    selection = os.path.join(work, "selection.png")
    sel = Image.new("L", (1024, 1024), 0)
    sel.paste(255, (300, 300, 700, 700))
    sel.save(selection)

    mock = MockGateway(mock_script, work)
    mock.start()
    failures = []
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": work, "PICTOR_API_KEY": "sk-timings-test",
               "PICTOR_PROFILE": "openai", "PICTOR_HISTORY_DIR": os.path.join(work, "history"),
               "PICTOR_BASE_URL": mock.base_url("openai", f"delay={DELAY_S}")}
        out = os.path.join(work, "out.png")
        commands = {
            "generate": ["generate", "a lighthouse", "-o", out, "--size", "1024x1024"],
            "edit": ["edit", "a lighthouse", "--image", image, "-o", out],
            "inpaint": ["inpaint", "a lighthouse", "--image", image, "--selection", selection, "-o", out],
        }
        for name, args in commands.items():
            done = subprocess.run([pictor] + args + ["--json"], env=env, capture_output=True, text=True,
                                  timeout=120)
            if done.returncode != 0:
                failures.append(f"{name}: exit {done.returncode}: {done.stderr.strip()}")
                continue
            timings = json.loads(done.stdout)["timings_ms"]
            print(name, timings)
            if timings["wait"] < DELAY_S * 1000 * 0.9:
                failures.append(f"{name}: the server waited {DELAY_S} s but timings_ms.wait is "
                                f"{timings['wait']:.0f} ms (download {timings['download']:.0f} ms)")
            if timings["download"] >= DELAY_S * 1000 * 0.5:
                failures.append(f"{name}: timings_ms.download is {timings['download']:.0f} ms for a "
                                f"loopback answer: the wait was counted as download")
    finally:
        mock.stop()
    for failure in failures:
        print("FAIL: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
