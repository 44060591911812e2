"""The Python peer of the upload benchmark: what a Python plug-in does with 16 layers — Pillow
save(format="PNG") (its defaults) for each, then one requests multipart POST. Prints one JSON
line like `pictor_bench upload`.

    python_upload_peer.py BASE_URL PNG_FILE...   (the layers, loaded before the clock starts)
"""

import io
import json
import sys
import time

import requests
from PIL import Image


def main():
    base_url, files = sys.argv[1], sys.argv[2:]
    layers = []
    for path in files:
        image = Image.open(path)
        image.load()
        layers.append(image)
    start = time.monotonic()
    parts = []
    for k, image in enumerate(layers):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        parts.append(("image[]", (f"layer-{k + 1}.png", buffer.getvalue(), "image/png")))
    encoded = time.monotonic()
    response = requests.post(base_url + "/images/edits", data={"model": "gpt-image-2", "prompt": "benchmark"},
                             files=parts, headers={"Authorization": "Bearer sk-bench-not-a-real-key"})
    response.raise_for_status()
    end = time.monotonic()
    print(json.dumps({"ms": (end - start) * 1000, "encode_ms": (encoded - start) * 1000,
                      "send_ms": (end - encoded) * 1000, "bytes": sum(len(p[1][1]) for p in parts)}))


if __name__ == "__main__":
    main()
