#!/usr/bin/python3
"""pictor_krita.scripting in real Krita, headless (kritarunner), against the mock gateway.

    krita_host_test.py SCENARIO --build-dir DIR --work-dir DIR [--cmake CMAKE]

Each scenario: installs the plug-in the README's per-user way into a private HOME
(cmake --install --component krita --prefix $HOME/.local/share/krita/pykrita), starts the mock
gateway, writes the document to build (raw pixels made with PIL), runs krita_scenario_runner.py
in kritarunner, then judges what Krita holds afterwards against what the mock served and
received, computed here with PIL. kritarunner exits 0 even when the script fails: result.json,
which the script writes last, is the verdict.
Exit status: 0 passed, 1 failed, 77 skipped (kritarunner is not installed and CI is not true).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

from PIL import Image, ImageChops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from host_test_support import (CANARY_KEY, Failures, MockGateway, check_no_key_anywhere,  # noqa: E402
                               compare_regions, count_nonzero, ellipse_mask, history_images,
                               looks_like_model_image, pattern_image, report_outcome, same_pixels)

KRITARUNNER = "kritarunner"
KRITA_TIMEOUT_S = 240
MOCK_GATEWAY = os.path.join(HERE, "..", "..", "mock_gateway", "mock_gateway.py")


def bgra(image):
    """Krita's byte order for 8-bit RGBA documents, made by PIL (not by the plug-in)."""
    return image.convert("RGBA").tobytes("raw", "BGRA")


def from_bgra(path, size):
    return Image.frombytes("RGBA", size, open(path, "rb").read(), "raw", "BGRA")


def mock_rgba(mock, fetch):
    """An image the mock served or received (its `fetch` path), decoded by the mock's PIL."""
    with urllib.request.urlopen(f"http://127.0.0.1:{mock.port}{fetch}.rgba", timeout=30) as r:
        size = (int(r.headers["X-Width"]), int(r.headers["X-Height"]))
        return Image.frombytes("RGBA", size, r.read())


class Environment:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work_dir)
        shutil.rmtree(self.work, ignore_errors=True)
        self.home = os.path.join(self.work, "home")
        self.run_dir = os.path.join(self.work, "run")
        self.pykrita = os.path.join(self.home, ".local", "share", "krita", "pykrita")
        self.history = os.path.join(self.home, ".local", "share", "pictor", "history")
        os.makedirs(self.run_dir)
        os.makedirs(self.home)
        self.mock = MockGateway(MOCK_GATEWAY, self.work, python="/usr/bin/python3")
        self.output = ""
        self.canvas = None

    def install_plugin(self):
        """The README's per-user install."""
        subprocess.run([self.args.cmake, "--install", self.args.build_dir, "--component", "krita",
                        "--prefix", self.pykrita], check=True, stdout=subprocess.DEVNULL)
        for path in ("pictor_krita.desktop", "pictor_krita/scripting.py"):
            if not os.path.exists(os.path.join(self.pykrita, path)):
                raise RuntimeError(f"cmake --install did not put {path} in {self.pykrita}")

    def layer_file(self, name, image):
        path = os.path.join(self.run_dir, name + ".bgra")
        with open(path, "wb") as f:
            f.write(bgra(image))
        return os.path.basename(path)

    def run_krita(self, spec, base_url):
        self.canvas = tuple(spec["canvas"])
        with open(os.path.join(self.run_dir, "spec.json"), "w") as f:
            json.dump(spec, f, indent=1)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_DATA_HOME": os.path.join(self.home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
            "XDG_RUNTIME_DIR": os.path.join(self.work, "runtime"),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            # kritarunner imports scripts from PYTHONPATH only (Krita's GUI adds the user's
            # pykrita folder itself); libpictor is found by the plug-in without it.
            "PYTHONPATH": os.pathsep.join([HERE, self.pykrita]),
            # The same variables the CLI reads. No D-Bus session: the keyring stays out of it.
            "PICTOR_API_KEY": CANARY_KEY,
            "PICTOR_BASE_URL": base_url,
            "PICTOR_PROFILE": "openai",
            "PICTOR_HISTORY_DIR": self.history,
        }
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        result_path = os.path.join(self.run_dir, "result.json")
        started = time.time()
        done = subprocess.run([KRITARUNNER, "-s", "krita_scenario_runner", "-f", "run", self.run_dir],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=KRITA_TIMEOUT_S, cwd=self.run_dir)
        self.output = done.stdout.decode("utf-8", "replace")
        with open(os.path.join(self.work, "krita-output.txt"), "w") as f:
            f.write(self.output)
        print(f"kritarunner ran {time.time() - started:.1f} s, exit status {done.returncode}")
        if not os.path.exists(result_path):
            return {"harness_error": "the script wrote no result.json (it did not run)"}
        return json.load(open(result_path))

    def layer_image(self, entry):
        return from_bgra(os.path.join(self.run_dir, entry["file"]), self.canvas)

    def flat_image(self):
        return from_bgra(os.path.join(self.run_dir, "flat.bgra"), self.canvas)

    def mock_rgba(self, fetch):
        return mock_rgba(self.mock, fetch)


def check_ran(result, failures):
    failures.check(result.get("finished") is True,
                   "the script inside Krita did not finish: " + str(result.get("harness_error")))


def names(result):
    return [e["name"] for e in result.get("stack") or []]


def entry_named(result, prefix):
    return next((e for e in result.get("stack") or [] if e["name"].startswith(prefix)), None)


def nothing_added(env, result, before, failures):
    failures.check(names(result) == before, f"layers changed: {names(result)}, expected {before}")
    failures.check(not history_images(env.history), "something was written to history")


# ---- scenarios ------------------------------------------------------------------------------

def scenario_generate_two_variations(env, failures):
    background, top = pattern_image(1024, 1024, 1), pattern_image(100, 80, 2)
    spec = {"canvas": [1024, 1024], "active": "Background",
            "layers": [{"name": "Background", "file": env.layer_file("bg", background), "rect": [0, 0, 1024, 1024]},
                       {"name": "top", "file": env.layer_file("top", top), "rect": [10, 10, 100, 80]}],
            "call": {"fn": "generate", "prompt": "a lighthouse at dusk",
                     "kwargs": {"size": "1024x1024", "quality": "low", "variations": 2}}}
    result = env.run_krita(spec, env.mock.base_url())
    check_ran(result, failures)
    failures.check(result.get("error") is None, f"generate raised: {result.get('error')}")
    stack = names(result)
    new = ["Pictor: a lighthouse at dusk (1/2)", "Pictor: a lighthouse at dusk (2/2)"]
    # Above the active layer, under the one that was above it.
    failures.check(len(stack) == 4 and stack[0] == "top" and sorted(stack[1:3]) == new and
                   stack[3] == "Background", f"unexpected stack (top first): {stack}")
    failures.check(sorted(result.get("returned") or []) == new, f"returned {result.get('returned')}")
    sent = env.mock.image_requests()
    served = [env.mock_rgba(img["fetch"]) for r in sent for img in r.get("images") or []]
    failures.check(len(served) == 2, f"the mock served {len(served)} images, expected 2")
    for r in sent:
        body = r.get("json") or {}
        failures.check((r.get("endpoint"), body.get("prompt"), body.get("size"), body.get("quality")) ==
                       ("generations", "a lighthouse at dusk", "1024x1024", "low"), f"unexpected request {body}")
    matched = set()
    for entry in result.get("stack") or []:
        if entry["name"] in new:
            layer = env.layer_image(entry)
            hit = next((i for i, s in enumerate(served) if same_pixels(s, layer)), None)
            failures.check(hit is not None, f"{entry['name']} does not hold the pixels of an image the mock served")
            matched.add(hit)
    failures.check(len(matched - {None}) == 2, "the two layers do not hold two different served images")
    bg = entry_named(result, "Background")
    if bg:
        failures.check(same_pixels(env.layer_image(bg), background), "the active layer's pixels changed")


def inpaint_spec(env, original, coverage, grow, feather, context):
    return {"canvas": list(original.size), "active": "Background",
            "layers": [{"name": "Background", "file": env.layer_file("bg", original),
                        "rect": [0, 0, *original.size]}],
            "selection": os.path.basename(write_raw(env, "selection.raw", coverage)),
            "call": {"fn": "inpaint", "prompt": "a small wooden boat",
                     "kwargs": {"grow": grow, "feather": feather, "context": context, "quality": "low"}}}


def write_raw(env, name, image_l):
    path = os.path.join(env.run_dir, name)
    with open(path, "wb") as f:
        f.write(image_l.tobytes())
    return path


def check_uploaded_mask(env, request, crop, box, grow_feather, failures):
    """The uploaded mask, laid over the canvas where the crop was cut: transparent (repaint) over
    the selected ellipse, opaque (keep) beyond its grown, feathered edge; ellipses from PIL."""
    parts = {f["name"]: f for f in request.get("files") or []}
    image_part = parts.get("image") or parts.get("image[]")
    if not (failures.check(image_part is not None, f"no image part in {list(parts)}") and
            failures.check("mask" in parts, f"no mask part in {list(parts)}")):
        return
    x, y, w, h = crop
    mask = env.mock_rgba(parts["mask"]["fetch"])
    failures.check(mask.size == (image_part["width"], image_part["height"]), "the mask is not the image's size")
    slack = max(w / mask.width, h / mask.height) + 1  # one sent pixel, and antialiasing
    alpha = Image.new("L", env.canvas, 255)
    alpha.paste(mask.getchannel("A").resize((w, h), Image.NEAREST), (x, y))
    inside = ellipse_mask(env.canvas, box, -slack)
    outside = ImageChops.invert(ellipse_mask(env.canvas, box, grow_feather + slack))
    kept_inside = count_nonzero(ImageChops.multiply(alpha.point(lambda v: 255 if v else 0), inside))
    opened_outside = count_nonzero(ImageChops.multiply(alpha.point(lambda v: 0 if v == 255 else 255), outside))
    failures.check(kept_inside == 0, f"the mask keeps {kept_inside} selected pixels")
    failures.check(opened_outside == 0, f"the mask opens {opened_outside} pixels beyond the grown, feathered selection")
    # The image sent is the canvas's crop (scaled to the request size).
    sent = env.mock_rgba(image_part["fetch"]).convert("RGB").resize((w, h), Image.BILINEAR)
    original = env.original.crop((x, y, x + w, y + h))
    diff = ImageChops.difference(sent, original).convert("L")
    failures.check(sum(diff.histogram()[24:]) < w * h // 50,
                   f"the image uploaded is not the canvas at the crop {crop}")


def scenario_inpaint_ellipse_selection(env, failures):
    # Large enough that the crop sent is smaller than the canvas.
    original = pattern_image(1200, 900, 3)
    env.original = original
    box, grow, feather = (500, 400, 160, 120), 4, 6
    coverage = ellipse_mask(original.size, box, 0)
    result = env.run_krita(inpaint_spec(env, original, coverage, grow, feather, 32), env.mock.base_url())
    check_ran(result, failures)
    failures.check(result.get("error") is None, f"inpaint raised: {result.get('error')}")
    stack = names(result)
    failures.check(len(stack) == 2 and stack[0] == "Pictor: a small wooden boat" and stack[1] == "Background",
                   f"unexpected stack (top first): {stack}")
    failures.check(result.get("returned") == stack[:1], f"returned {result.get('returned')}")
    failures.check(result.get("selection_before") == result.get("selection_after"),
                   f"the selection changed: {result.get('selection_before')} -> {result.get('selection_after')}")
    new = entry_named(result, "Pictor: a small wooden boat")
    if not new:
        return
    layer = env.layer_image(new)
    # Where the layer was written (Krita keeps the colour under alpha 0): the crop sent.
    x0, y0, x1, y1 = layer.convert("RGB").getbbox() or (0, 0, 0, 0)
    x, y, w, h = x0, y0, x1 - x0, y1 - y0
    bx, by, bw, bh = box
    failures.check(x <= bx and y <= by and x + w >= bx + bw and y + h >= by + bh,
                   f"the new layer's extent {(x, y, w, h)} does not cover the selection {box}")
    # The layer shows the model only inside the feathered selection.
    alpha = layer.getchannel("A")
    inside = ellipse_mask(original.size, box, -2)
    outside = ImageChops.invert(ellipse_mask(original.size, box, grow + feather + 2))
    failures.check(count_nonzero(ImageChops.multiply(alpha.point(lambda v: 255 if v < 255 else 0), inside)) == 0,
                   "the new layer is not opaque inside the selection")
    failures.check(count_nonzero(ImageChops.multiply(alpha, outside)) == 0,
                   "the new layer shows pixels outside the grown, feathered selection")
    history = history_images(env.history)
    failures.check(len(history) == 1, f"expected 1 image in history, found {len(history)}")
    if history:
        failures.check(looks_like_model_image(layer.crop((x, y, x + w, y + h)), history[0]),
                       "the new layer does not hold the image the gateway served")
    compare_regions(env.flat_image(), original, layer, (0, 0), box, grow + feather, failures)
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1 and sent[0].get("endpoint") == "edits",
                   f"expected one edits request, the mock got {[r.get('endpoint') for r in sent]}")
    if sent:
        check_uploaded_mask(env, sent[0], (x, y, w, h), box, grow + feather, failures)


def scenario_inpaint_without_selection(env, failures):
    original = pattern_image(200, 150, 5)
    spec = inpaint_spec(env, original, Image.new("L", original.size, 0), 4, 6, 32)
    spec["selection"] = None
    result = env.run_krita(spec, env.mock.base_url())
    check_ran(result, failures)
    error = result.get("error") or ""
    failures.check(result.get("error_type") == "PictorError", f"no PictorError raised: {result.get('error_type')}")
    failures.check("select" in error.lower(), f"the message does not name the selection: {error!r}")
    nothing_added(env, result, ["Background"], failures)
    sent = env.mock.image_requests()
    failures.check(not sent, f"{len(sent)} request(s) were sent without a selection")


def scenario_moderation_block(env, failures):
    original = pattern_image(200, 150, 6)
    server_message = "Blocked by the test policy K42"
    segment = "code=moderation_blocked,message=" + server_message.replace(" ", "%20")
    spec = {"canvas": [200, 150], "active": "Background",
            "layers": [{"name": "Background", "file": env.layer_file("bg", original), "rect": [0, 0, 200, 150]}],
            "call": {"fn": "generate", "prompt": "something the policy refuses",
                     "kwargs": {"size": "1024x1024", "quality": "low"}}}
    result = env.run_krita(spec, env.mock.base_url(scenario_segment=segment))
    check_ran(result, failures)
    failures.check(result.get("error_type") == "PictorError", f"no PictorError raised: {result.get('error_type')}")
    failures.check(server_message in (result.get("error") or ""),
                   f"the exception does not carry the server's message: {result.get('error')!r}")
    failures.check(result.get("error_kind") == "moderation_blocked", f"kind is {result.get('error_kind')!r}")
    nothing_added(env, result, ["Background"], failures)
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1 and sent[0].get("status") == 400,
                   f"expected one refused request, the mock saw {[r.get('status') for r in sent]}")


def scenario_edit_with_references(env, failures):
    scene = pattern_image(400, 300, 7)
    ref_a, ref_b, other = pattern_image(120, 90, 8), pattern_image(140, 90, 9), pattern_image(60, 60, 10)
    layers = [("Background", scene, [0, 0, 400, 300]), ("reference-a", ref_a, [20, 30, 120, 90]),
              ("reference-b", ref_b, [200, 150, 140, 90]), ("not chosen", other, [300, 20, 60, 60])]
    spec = {"canvas": [400, 300], "active": "Background",
            "layers": [{"name": n, "file": env.layer_file(f"layer{i}", img), "rect": r}
                       for i, (n, img, r) in enumerate(layers)],
            # Not the stack's order: the call's order is the one sent.
            "call": {"fn": "edit", "prompt": "make it snow", "references": ["reference-b", "reference-a"],
                     "kwargs": {"size": "canvas", "quality": "low"}}}
    result = env.run_krita(spec, env.mock.base_url())
    check_ran(result, failures)
    failures.check(result.get("error") is None, f"edit raised: {result.get('error')}")
    stack = names(result)
    failures.check(stack == ["not chosen", "reference-b", "reference-a", "Pictor: make it snow", "Background"],
                   f"the new layer is not directly above the active one: {stack}")
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    if sent:
        parts = [f for f in sent[0].get("files") or [] if f["name"] in ("image", "image[]")]
        expected = [("the active layer", scene), ("reference-b", ref_b), ("reference-a", ref_a)]
        failures.check(len(parts) == 3, f"expected 3 images, got {[(p['width'], p['height']) for p in parts]}")
        for (what, image), part in zip(expected, parts):
            got = env.mock_rgba(part["fetch"])
            failures.check(same_pixels(got, image), f"image[] #{part.get('index')} is not {what}'s pixels "
                                                    f"({got.size}, expected {image.size})")
        failures.check(not any(f["name"] == "mask" for f in sent[0].get("files") or []),
                       "a mask was sent without a selection")
    history = history_images(env.history)
    new = entry_named(result, "Pictor: make it snow")
    if history and new:
        failures.check(looks_like_model_image(env.layer_image(new), history[0]),
                       "the new layer does not hold the image the gateway served, scaled to the canvas")


SCENARIOS = {
    "generate_two_variations": scenario_generate_two_variations,
    "inpaint_ellipse_selection": scenario_inpaint_ellipse_selection,
    "inpaint_without_selection": scenario_inpaint_without_selection,
    "moderation_block": scenario_moderation_block,
    "edit_with_references": scenario_edit_with_references,
}


def missing_host(what, install):
    """No silent skip in CI: the host must be there. The exit status for a missing `what`."""
    if os.environ.get("CI") == "true":
        print(f"FAILED: {what} not installed, and CI=true ({install}, see dist/install-build-deps.sh)")
        return 1
    print(f"SKIPPED: {what} not installed ({install}, see dist/install-build-deps.sh)")
    return 77


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--cmake", default="cmake")
    args = parser.parse_args()
    if not shutil.which(KRITARUNNER, path="/usr/bin:/bin"):
        return missing_host(KRITARUNNER, "Debian: apt-get install krita python3-pyqt5")
    env = Environment(args)
    failures = Failures()
    try:
        env.install_plugin()
        env.mock.start()
        SCENARIOS[args.scenario](env, failures)
        check_no_key_anywhere(env.home, env.output, failures)
        with open(os.path.join(env.work, "mock-requests.json"), "w") as f:  # for a failure's reader
            json.dump(env.mock.image_requests(), f, indent=1)
    finally:
        env.mock.stop()
    return report_outcome(args.scenario, failures, "Krita", os.path.join(env.work, "krita-output.txt"),
                          env.output)


if __name__ == "__main__":
    sys.exit(main())
