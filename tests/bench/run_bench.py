"""Runs the benchmarks of tests/bench and prints Markdown tables (see run.sh and the README's
Performance section). Every figure is the median of --runs fresh processes.

    run_bench.py --bench PATH_TO_pictor_bench [--runs 5] [--quick] [--work DIR]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's, with python3-pil
SIZES = ["1024x1024", "2048x1152", "3840x2160"]
FORMATS = ["png", "jpeg", "webp"]
THROTTLE = 40_000_000  # bytes per second


def run_json(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def medians(samples, keys):
    return {k: statistics.median(s[k] for s in samples) for k in keys}


class Server:
    def __init__(self, fixture_dir, work):
        port_file = os.path.join(work, "port")
        self.process = subprocess.Popen([PYTHON, os.path.join(HERE, "bench_server.py"), fixture_dir,
                                         "--port-file", port_file], stdout=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())

    def url(self, fixture, rate=0, delay_ms=0):
        return f"http://127.0.0.1:{self.port}/{fixture}/{rate}/{delay_ms}/v1"

    def stop(self):
        self.process.terminate()
        self.process.wait()


UPLOAD_RATE = 20_000_000 // 8  # 20 Mbit/s, a home uplink
UPLOAD_REFERENCES = 16


def upload_bench(args):
    """16 references of 3840x2160 sent as one edit through a 20 Mbit/s uplink: pictor (lossless,
    fast) and the Python peer, wall time from the pixels in memory to the server's answer (sent
    after the upload's last byte)."""
    work = tempfile.mkdtemp(prefix="pictor-upload-bench-")
    fixture_dir = args.fixtures or os.path.join(work, "fixtures")
    os.makedirs(fixture_dir, exist_ok=True)
    if not os.path.exists(os.path.join(fixture_dir, "1024x1024.png.json")):
        subprocess.run([args.bench, "fixtures", fixture_dir, "1024x1024"], check=True)
    layers = [os.path.join(fixture_dir, f"reference-{k + 1}.png") for k in range(UPLOAD_REFERENCES)]
    if not os.path.exists(layers[-1]):
        print("making 16 4K reference photos ...", file=sys.stderr)
        subprocess.run([args.bench, "upload-fixtures", fixture_dir, str(UPLOAD_REFERENCES)], check=True)
    server = Server(fixture_dir, work)
    history = tempfile.mkdtemp(prefix="pictor-bench-history-")
    try:
        url = server.url("1024x1024.png.json", UPLOAD_RATE)
        rows = []
        for quality in ["lossless", "fast"]:
            start = time.monotonic()
            r = run_json([args.bench, "upload", url, quality, str(UPLOAD_REFERENCES), history])
            print(f"  pictor {quality}: {time.monotonic() - start:.0f} s", file=sys.stderr)
            rows.append((f"pictor {quality}", r))
        start = time.monotonic()
        r = run_json([PYTHON, os.path.join(HERE, "python_upload_peer.py"), url] + layers)
        print(f"  Python peer: {time.monotonic() - start:.0f} s", file=sys.stderr)
        rows.append(("Python peer (Pillow PNG + requests)", r))
        print(f"### Upload: {UPLOAD_REFERENCES} references of 3840x2160, 20 Mbit/s uplink (loopback, throttled)\n")
        print("| sender | bytes sent | encode s | wall s (to the last byte read) | pure transfer s | wall / transfer | "
              "peak RSS / one RGBA frame |")
        print("|---|---|---|---|---|---|---|")
        for name, r in rows:
            transfer = r["bytes"] / UPLOAD_RATE
            peak = f"{r['peak_over_frame']:.2f}x" if "peak_over_frame" in r else "—"
            print(f"| {name} | {r['bytes'] / 1e6:.1f} MB | {r['encode_ms'] / 1000:.1f} | {r['ms'] / 1000:.1f} | "
                  f"{transfer:.1f} | {r['ms'] / 1000 / transfer:.2f}x | {peak} |")
    finally:
        server.stop()
        shutil.rmtree(history, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one small case (the ctest smoke run)")
    parser.add_argument("--fixtures", help="reuse (or create) fixtures here")
    parser.add_argument("--upload-only", action="store_true",
                        help="only the upload benchmark (16 4K references at 20 Mbit/s)")
    args = parser.parse_args()
    if args.upload_only:
        return upload_bench(args)

    work = tempfile.mkdtemp(prefix="pictor-bench-")
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else work
    # History goes to RAM: the disk's fsync is not what is measured here.
    history = tempfile.mkdtemp(prefix="pictor-bench-history-", dir=shm)
    fixture_dir = args.fixtures or os.path.join(work, "fixtures")
    os.makedirs(fixture_dir, exist_ok=True)
    last = "1024x1024.webp.json" if args.quick else "3840x2160.webp.json"
    if not os.path.exists(os.path.join(fixture_dir, last)):
        print("making fixtures (synthetic photos) ...", file=sys.stderr)
        subprocess.run([args.bench, "fixtures", fixture_dir] + (["1024x1024"] if args.quick else []),
                       check=True)
    server = Server(fixture_dir, work)
    sizes, formats, rates = (["1024x1024"], ["png"], [0]) if args.quick else (SIZES, FORMATS, [0, THROTTLE])
    runs = 1 if args.quick else args.runs
    try:
        rows = []
        for size in sizes:
            for fmt in formats:
                file = os.path.join(fixture_dir, f"{size}.{fmt}")
                bare = run_json([args.bench, "decode", file, str(max(3, runs))])["ms"]
                for rate in rates:
                    url = server.url(f"{size}.{fmt}.json", rate)
                    warm = server.url(f"1024x1024.{fmt}.json")  # each process warms up first
                    ours, peer = [], []
                    for _ in range(runs):
                        ours.append(run_json([args.bench, "fetch", url, history, warm]))
                        shutil.rmtree(history)
                        os.makedirs(history)
                        peer.append(run_json([PYTHON, os.path.join(HERE, "python_peer.py"), url, warm]))
                    expected = [int(v) for v in size.split("x")]
                    for sample in ours + peer:  # both really produced the whole frame
                        if [sample["width"], sample["height"]] != expected:
                            raise SystemExit(f"{size} {fmt}: got {sample['width']}x{sample['height']}")
                    keys = ["ms", "after_last_byte_ms", "peak_over_frame"]
                    rows.append((size, fmt, rate, bare, os.path.getsize(file + ".json"),
                                 medians(ours, keys), medians(peer, keys)))
                    print(f"  {size} {fmt} {'40 MB/s' if rate else 'full'}: done", file=sys.stderr)

        print("### Response -> RGBA (loopback)\n")
        print("| image | answer | link | pictor ms | after last byte ms | peak / RGBA frame | "
              "Python ms | Python after last byte ms | Python peak / frame | Python / pictor | "
              "bare decode ms | pictor / bare decode |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for size, fmt, rate, bare, answer_bytes, o, p in rows:
            link = "40 MB/s" if rate else "full speed"
            ratio_bare = f"{o['ms'] / bare:.2f}x" if not rate else "—"
            print(f"| {size} {fmt.upper()} | {answer_bytes / 1e6:.1f} MB | {link} | {o['ms']:.0f} | "
                  f"{o['after_last_byte_ms']:.1f} | {o['peak_over_frame']:.2f}x | {p['ms']:.0f} | "
                  f"{p['after_last_byte_ms']:.0f} | {p['peak_over_frame']:.2f}x | "
                  f"{p['ms'] / o['ms']:.1f}x | {bare:.0f} | {ratio_bare} |")

        if not args.quick:
            e = run_json([args.bench, "encode", str(max(1, min(runs, 3)))])
            print("\n### Upload encode, 3840x2160 PNG\n")
            print("| encoder | ms | bytes |")
            print("|---|---|---|")
            print(f"| libpng defaults (level 6, adaptive filters) | {e['libpng_ms']:.0f} | {e['libpng_bytes']:,} |")
            print(f"| pictor upload default (adaptive filters, run-length deflate, parallel bands) | {e['fast_ms']:.0f} | "
                  f"{e['fast_bytes']:,} |")
            print(f"| ratio | {e['libpng_ms'] / e['fast_ms']:.1f}x faster | "
                  f"{(e['fast_bytes'] / e['libpng_bytes'] - 1) * 100:+.0f}% bytes |")

            one, four = [], []
            for _ in range(max(1, min(runs, 3))):
                url = server.url("1024x1024.png.json", 0, 2000)
                one.append(run_json([args.bench, "variations", url, "1", history])["ms"])
                four.append(run_json([args.bench, "variations", url, "4", history])["ms"])
                shutil.rmtree(history)
                os.makedirs(history)
            o1, o4 = statistics.median(one), statistics.median(four)
            print("\n### Variations, server takes 2 s per image (1024x1024 PNG)\n")
            print("| images | wall ms |")
            print("|---|---|")
            print(f"| 1 | {o1:.0f} |")
            print(f"| 4 (parallel requests) | {o4:.0f} ({o4 / o1:.2f}x of one) |")
    finally:
        server.stop()
        shutil.rmtree(history, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
