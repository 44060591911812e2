"""The Python peer: what a Python plug-in does with the same answer — urllib, json, base64 and
Pillow to RGBA. Prints one JSON line like `pictor_bench fetch`.

    python_peer.py BASE_URL [WARMUP_URL]
"""

import base64
import io
import json
import sys
import time
import urllib.request

from PIL import Image


def status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def request_for(base_url):
    body = json.dumps({"model": "gpt-image-2", "prompt": "benchmark"}).encode()
    return urllib.request.Request(base_url + "/images/generations", data=body, method="POST",
                                  headers={"Content-Type": "application/json",
                                           "Authorization": "Bearer sk-bench-not-a-real-key"})


def fetch_rgba(request):
    with urllib.request.urlopen(request) as response:
        answer = json.loads(response.read())
    encoded = base64.b64decode(answer["data"][0]["b64_json"])
    del answer
    image = Image.open(io.BytesIO(encoded)).convert("RGBA")
    image.load()
    return image


def main():
    base_url = sys.argv[1]
    if len(sys.argv) > 2:  # warm up (imports, decoders loaded), as pictor_bench fetch does
        fetch_rgba(request_for(sys.argv[2]))
    request = request_for(base_url)
    with open("/proc/self/clear_refs", "w") as f:  # reset the peak RSS to the current RSS
        f.write("5")
    idle = status_bytes("VmRSS:")
    start = time.monotonic()
    with urllib.request.urlopen(request) as response:
        answer = json.loads(response.read())
    last_byte = time.monotonic()
    encoded = base64.b64decode(answer["data"][0]["b64_json"])
    del answer
    image = Image.open(io.BytesIO(encoded)).convert("RGBA")
    image.load()
    end = time.monotonic()
    peak = status_bytes("VmHWM:")
    frame = image.width * image.height * 4
    print(json.dumps({"ms": (end - start) * 1000, "after_last_byte_ms": (end - last_byte) * 1000,
                      "peak_over_frame": (peak - idle) / frame,
                      "width": image.width, "height": image.height}))


if __name__ == "__main__":
    main()
