#!/usr/bin/python3
"""The GIMP plug-in in real GIMP 2.10, headless, against the mock gateway.

    gimp_host_test.py SCENARIO --build-dir DIR --work-dir DIR --mock-gateway FILE [--cmake CMAKE]

Each scenario: installs the plug-in the README's way into a private HOME
(cmake --install --component gimp --prefix $HOME/.config/GIMP/2.10/plug-ins/pictor), starts the
mock gateway, runs one Script-Fu batch in gimp-console-2.10 that calls the plug-in's PDB
procedure and saves what it made, then checks the pixels, the requests the mock received, and
that the API key is in no file under the private HOME nor in GIMP's output.
Exit status: 0 passed, 1 failed, 77 skipped (gimp-console-2.10 is not installed).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from PIL import Image, ImageChops, ImageDraw

# A key the mock accepts; finding it anywhere under HOME or in GIMP's output is a leak.
CANARY_KEY = "sk-pictor-gimp-canary-5d1e8b20c4"
GIMP = "gimp-console-2.10"
GIMP_TIMEOUT_S = 180

# Script-Fu helpers shared by every scenario. pictor-error-of returns the message a failing
# PDB call raised (Script-Fu: "Procedure execution of NAME failed: <the plug-in's message>"),
# or #f when it succeeded.
SCHEME_PRELUDE = r"""
(define (pictor-check key value) (gimp-message (string-append "PICTOR-CHECK " key "=" value)))
(define (pictor-error-of thunk)
  (let ((message #f) (saved *error-hook*))
    (set! *error-hook* (lambda (text . objects) (set! message text) (throw)))
    (catch #f (thunk))
    (set! *error-hook* saved)
    message))
(define (pictor-number n) (number->string n))
(define (pictor-save img drawable path)  ; zlib level 1: GIMP's default level 9 is slow
  (file-png-save2 RUN-NONINTERACTIVE img drawable path path 0 1 0 0 0 0 0 0 0))
(define (pictor-pixel drawable x y)
  (let* ((got (gimp-drawable-get-pixel drawable x y)) (values (cadr got)) (n (car got)))
    (let loop ((i 0) (text ""))
      (if (= i n) text
          (loop (+ i 1) (string-append text (if (= i 0) "" ",")
                                       (pictor-number (vector-ref values i))))))))
(define (pictor-describe-layers img out-dir)
  (let* ((got (gimp-image-get-layers img)) (count (car got)) (layers (cadr got)))
    (pictor-check "layers" (pictor-number count))
    (let loop ((i 0))
      (if (< i count)
          (let* ((layer (vector-ref layers i))
                 (offsets (gimp-drawable-offsets layer))
                 (prefix (string-append "layer" (pictor-number i) ".")))
            (pictor-check (string-append prefix "name") (car (gimp-item-get-name layer)))
            (pictor-check (string-append prefix "x") (pictor-number (car offsets)))
            (pictor-check (string-append prefix "y") (pictor-number (cadr offsets)))
            (pictor-check (string-append prefix "width") (pictor-number (car (gimp-drawable-width layer))))
            (pictor-check (string-append prefix "height") (pictor-number (car (gimp-drawable-height layer))))
            (pictor-check (string-append prefix "mask") (pictor-number (car (gimp-layer-get-mask layer))))
            (pictor-save img layer (string-append out-dir "/layer" (pictor-number i) ".png"))
            (loop (+ i 1)))))))
(define (pictor-selection-bounds img prefix)
  (let ((b (gimp-selection-bounds img)))
    (pictor-check prefix (string-append (pictor-number (car b)) ":" (pictor-number (cadr b)) ","
                                        (pictor-number (caddr b)) "," (pictor-number (cadddr b)) ","
                                        (pictor-number (car (cddddr b)))))))
"""


class Failures:
    def __init__(self):
        self.items = []

    def check(self, condition, message):
        if not condition:
            self.items.append(message)
        return condition


def scheme_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- inputs ---------------------------------------------------------------------------------

def pattern_image(width, height, seed):
    """Busy RGB pixels (gradients and noise), so a misplaced layer or mask cannot go unnoticed."""
    ramp = Image.linear_gradient("L")
    red = ramp.resize((width, height))
    green = ramp.rotate(90 * (seed % 4)).resize((width, height))
    blue = Image.effect_noise((width, height), 40 + seed)
    return Image.merge("RGB", (red, green, blue))


def ellipse_mask(size, box, margin):
    """255 inside the ellipse of box (x, y, w, h) grown by margin pixels (shrunk if negative)."""
    x, y, w, h = box
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse([x - margin, y - margin, x + w + margin, y + h + margin], fill=255)
    return mask


# ---- the environment: plug-in install, mock gateway, GIMP -----------------------------------

class Environment:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work_dir)
        shutil.rmtree(self.work, ignore_errors=True)
        self.home = os.path.join(self.work, "home")
        self.out = os.path.join(self.work, "out")
        self.history = os.path.join(self.home, ".local", "share", "pictor", "history")
        os.makedirs(self.out)
        os.makedirs(self.home)
        self.mock = None
        self.port = None
        self.gimp_output = ""

    def install_plugin(self):
        """The README's per-user install."""
        target = os.path.join(self.home, ".config", "GIMP", "2.10", "plug-ins", "pictor")
        subprocess.run([self.args.cmake, "--install", self.args.build_dir, "--component", "gimp",
                        "--prefix", target], check=True, stdout=subprocess.DEVNULL)
        binary = os.path.join(target, "pictor")
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"cmake --install did not put an executable at {binary}")

    def start_mock(self):
        port_file = os.path.join(self.work, "mock.port")
        self.mock = subprocess.Popen(
            ["/usr/bin/python3", self.args.mock_gateway, "--port", "0", "--port-file", port_file,
             "--lifetime", "600", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "mock.log"), "w"))
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(port_file):
                text = open(port_file).read().strip()
                if text:
                    self.port = int(text)
                    return
            if self.mock.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("the mock gateway did not start (see mock.log in " + self.work + ")")

    def stop_mock(self):
        if self.mock and self.mock.poll() is None:
            self.mock.send_signal(signal.SIGTERM)
            try:
                self.mock.wait(10)
            except subprocess.TimeoutExpired:
                self.mock.kill()
                self.mock.wait()

    def base_url(self, scenario_segment=None):
        middle = f"/{scenario_segment}" if scenario_segment else ""
        return f"http://127.0.0.1:{self.port}/openai{middle}/v1"

    def mock_requests(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_mock/requests", timeout=30) as r:
            return [e for e in json.load(r) if e.get("endpoint") in ("generations", "edits")]

    def run_gimp(self, script_body, base_url):
        script = os.path.join(self.work, "scenario.scm")
        with open(script, "w") as f:
            f.write(SCHEME_PRELUDE + script_body)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_DATA_HOME": os.path.join(self.home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
            "LANG": "C.UTF-8",
            # The same variables the CLI reads. No DISPLAY, no D-Bus session: headless, and the
            # desktop keyring stays out of it.
            "PICTOR_API_KEY": CANARY_KEY,
            "PICTOR_BASE_URL": base_url,
            "PICTOR_PROFILE": "openai",
            "PICTOR_HISTORY_DIR": self.history,
        }
        started = time.time()
        done = subprocess.run(
            [GIMP, "-i", "-d", "-f", "-b", f"(load {scheme_string(script)})", "-b", "(gimp-quit 0)"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=GIMP_TIMEOUT_S,
            cwd=self.work)
        self.gimp_output = done.stdout.decode("utf-8", "replace")
        with open(os.path.join(self.work, "gimp-output.txt"), "w") as f:
            f.write(self.gimp_output)
        print(f"gimp-console-2.10 ran {time.time() - started:.1f} s, exit status {done.returncode}")
        checks = {}
        for line in self.gimp_output.splitlines():
            m = re.search(r"PICTOR-CHECK ([^=]+)=(.*)$", line)
            if m:
                checks[m.group(1)] = m.group(2)
        return checks

    def history_images(self):
        """The images the plug-in received, as kept in Pictor's history folder."""
        found = []
        for root, _, files in os.walk(self.history):
            for name in sorted(files):
                if name.lower().endswith((".png", ".jpg", ".jpeg", ".webp")):
                    found.append(os.path.join(root, name))
        return found

    def check_no_key_anywhere(self, failures):
        leaks = []
        needle = CANARY_KEY.encode()
        for root, _, files in os.walk(self.home):
            for name in files:
                path = os.path.join(root, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                with open(path, "rb") as f:
                    if needle in f.read():
                        leaks.append(os.path.relpath(path, self.home))
        failures.check(not leaks, f"the API key was written to: {', '.join(leaks)}")
        failures.check(CANARY_KEY not in self.gimp_output, "the API key appears in GIMP's output")


# ---- pixel comparisons ----------------------------------------------------------------------

def same_pixels(a, b):
    # Bytes, not ImageChops.getbbox: on RGBA images getbbox looks at the alpha channel only.
    a, b = a.convert("RGBA"), b.convert("RGBA")
    return a.size == b.size and a.tobytes() == b.tobytes()


def mean_difference(a, b):
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    hist = diff.histogram()
    total = sum(i % 256 * n for i, n in enumerate(hist))
    return total / (a.size[0] * a.size[1] * 3)


def looks_like_model_image(layer, history_path):
    """The layer holds the received image: exactly when the sizes agree, else resampled."""
    served = Image.open(history_path).convert("RGB")
    if served.size == layer.size:
        return same_pixels(served, layer.convert("RGB"))
    return mean_difference(served.resize(layer.size, Image.BILINEAR), layer) < 8


def count_nonzero(image_l):
    return sum(image_l.histogram()[1:])


def compare_regions(flat, original, layer, layer_origin, box, grow_feather, failures):
    """Outside the selection grown by its soft edge: the original, byte for byte. Well inside
    it: the new layer's pixels, which differ from the original."""
    flat, original = flat.convert("RGB"), original.convert("RGB")
    size = flat.size
    # Per pixel, the largest channel difference.
    changed = ImageChops.difference(flat, original).split()
    changed = ImageChops.lighter(ImageChops.lighter(changed[0], changed[1]), changed[2])
    outside = ImageChops.invert(ellipse_mask(size, box, grow_feather + 2))
    changed_outside = count_nonzero(ImageChops.multiply(changed.point(lambda v: 255 if v else 0), outside))
    failures.check(changed_outside == 0,
                   f"{changed_outside} pixels outside the selection (grown by {grow_feather + 2} px) changed")

    inside = ellipse_mask(size, box, -3)
    inside_count = count_nonzero(inside)
    expected = original.copy()
    expected.paste(layer.convert("RGB"), layer_origin)
    off = ImageChops.difference(flat, expected).split()
    off = ImageChops.lighter(ImageChops.lighter(off[0], off[1]), off[2])
    # The layer is opaque and its mask 255 well inside: the canvas shows the layer (+-1 rounding).
    off_inside = count_nonzero(ImageChops.multiply(off.point(lambda v: 255 if v > 1 else 0), inside))
    failures.check(inside_count > 1000, "too few pixels inside the selection to compare")
    failures.check(off_inside == 0,
                   f"{off_inside} of {inside_count} pixels inside the selection are not the new layer's")
    kept = count_nonzero(ImageChops.multiply(changed.point(lambda v: 0 if v else 255), inside))
    failures.check(kept < inside_count // 10,
                   f"{kept} of {inside_count} pixels inside the selection kept their old value: "
                   "the model's pixels did not arrive")


def layer_rect(checks, index):
    return tuple(int(checks.get(f"layer{index}.{k}", "-99999")) for k in ("x", "y", "width", "height"))


# ---- scenarios ------------------------------------------------------------------------------

def load_image_scheme(path, name="img", layer="base"):
    return (f"(define {name} (car (gimp-file-load RUN-NONINTERACTIVE {scheme_string(path)} "
            f"{scheme_string(path)})))\n"
            f"(define {layer} (car (gimp-image-get-active-layer {name})))\n")


def scenario_generate_two_variations(env, failures):
    source = os.path.join(env.work, "canvas.png")
    pattern_image(320, 240, 1).save(source)
    checks = env.run_gimp(load_image_scheme(source) + f"""
(pictor-check "error" (or (pictor-error-of (lambda ()
  (plug-in-pictor-generate RUN-NONINTERACTIVE img base "a red umbrella" "1024x1024" "low" 2))) "none"))
(pictor-describe-layers img {scheme_string(env.out)})
""", env.base_url())
    failures.check(checks.get("error") == "none", f"generate failed: {checks.get('error')}")
    failures.check(checks.get("layers") == "3", f"expected 3 layers (2 new + the image's), got {checks.get('layers')}")
    history = env.history_images()
    failures.check(len(history) == 2, f"expected 2 images in history, found {len(history)}")
    matched = set()
    for i in (0, 1):
        name = checks.get(f"layer{i}.name", "")
        failures.check(name.startswith("Pictor: a red umbrella"), f"layer {i} is named {name!r}")
        failures.check(layer_rect(checks, i) == (0, 0, 1024, 1024),
                       f"layer {i} rect is {layer_rect(checks, i)}, expected (0, 0, 1024, 1024)")
        failures.check(checks.get(f"layer{i}.mask") == "-1", f"layer {i} has a mask: generate needs none")
        path = os.path.join(env.out, f"layer{i}.png")
        if not failures.check(os.path.exists(path), f"layer {i} was not saved"):
            continue
        layer = Image.open(path)
        for h in history:
            if same_pixels(Image.open(h), layer):
                matched.add(h)
                break
        else:
            failures.check(False, f"layer {i} does not hold the pixels of any image the gateway served")
    failures.check(len(matched) == 2, "the two new layers do not hold two different served images")
    # GIMP names the one layer of a loaded PNG "Background".
    failures.check(checks.get("layer2.name") == "Background", "the original layer is not at the bottom")
    if os.path.exists(os.path.join(env.out, "layer2.png")):
        failures.check(same_pixels(Image.open(os.path.join(env.out, "layer2.png")), Image.open(source)),
                       "the original layer's pixels changed")
    sent = env.mock_requests()
    images = sum(len(r.get("images") or []) for r in sent)
    failures.check(images == 2, f"the mock served {images} images, expected 2")
    for r in sent:
        body = r.get("json") or {}
        failures.check(r.get("endpoint") == "generations" and body.get("prompt") == "a red umbrella"
                       and body.get("size") == "1024x1024" and body.get("quality") == "low",
                       f"unexpected request: {r.get('endpoint')} {body}")


def inpaint_scheme(source, box, grow, feather, context, out_dir, setup="", layer="base"):
    x, y, w, h = box
    return load_image_scheme(source) + setup + f"""
(gimp-image-select-ellipse img CHANNEL-OP-REPLACE {x} {y} {w} {h})
(pictor-selection-bounds img "selection.before")
(pictor-check "error" (or (pictor-error-of (lambda ()
  (plug-in-pictor-inpaint RUN-NONINTERACTIVE img {layer} "a small wooden boat" {grow} {feather} {context} "low"))) "none"))
(pictor-selection-bounds img "selection.after")
(pictor-check "selection.centre" (pictor-pixel (car (gimp-image-get-selection img)) {x + w // 2} {y + h // 2}))
(let* ((new-layer (vector-ref (cadr (gimp-image-get-layers img)) 0))
       (mask (car (gimp-layer-get-mask new-layer)))
       (offsets (gimp-drawable-offsets new-layer)))
  (if (> mask 0)
      (begin
        (pictor-check "mask.centre" (pictor-pixel mask (- {x + w // 2} (car offsets)) (- {y + h // 2} (cadr offsets))))
        (pictor-check "mask.corner" (pictor-pixel mask 0 0)))))
(pictor-describe-layers img {scheme_string(out_dir)})
(pictor-save img (car (gimp-image-flatten img)) {scheme_string(os.path.join(out_dir, "flat.png"))})
"""


def check_inpaint_result(env, checks, original, box, grow_feather, layer_count, failures):
    failures.check(checks.get("error") == "none", f"inpaint failed: {checks.get('error')}")
    failures.check(checks.get("layers") == str(layer_count),
                   f"expected {layer_count} layers, got {checks.get('layers')}")
    failures.check(checks.get("layer0.name", "").startswith("Pictor: a small wooden boat"),
                   f"the new layer is named {checks.get('layer0.name')!r} (or is not on top)")
    failures.check(checks.get("layer0.mask", "-1") not in ("-1", "0"), "the new layer has no layer mask")
    failures.check(checks.get("mask.centre") == "255", f"mask at the selection's centre is {checks.get('mask.centre')}")
    failures.check(checks.get("mask.corner") == "0", f"mask at the layer's corner is {checks.get('mask.corner')}")
    failures.check(checks.get("selection.before") == checks.get("selection.after"),
                   f"the selection changed: {checks.get('selection.before')} -> {checks.get('selection.after')}")
    failures.check(checks.get("selection.centre") == "255", "the selection is no longer there")
    x, y, w, h = layer_rect(checks, 0)
    bx, by, bw, bh = box
    failures.check(x <= bx and y <= by and x + w >= bx + bw and y + h >= by + bh,
                   f"the new layer {(x, y, w, h)} does not cover the selection {box}")
    history = env.history_images()
    failures.check(len(history) == 1, f"expected 1 image in history, found {len(history)}")
    layer_path, flat_path = os.path.join(env.out, "layer0.png"), os.path.join(env.out, "flat.png")
    if not (failures.check(os.path.exists(layer_path), "the new layer was not saved") and
            failures.check(os.path.exists(flat_path), "the flattened image was not saved")):
        return
    layer = Image.open(layer_path)
    if history:
        failures.check(looks_like_model_image(layer, history[0]),
                       "the new layer does not hold the image the gateway served")
    compare_regions(Image.open(flat_path), original, layer, (x, y), box, grow_feather, failures)
    sent = env.mock_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    if sent:
        r = sent[0]
        files = {f["name"]: f for f in r.get("files") or []}
        failures.check(r.get("endpoint") == "edits", f"inpaint went to {r.get('endpoint')}")
        failures.check("image" in files or "image[]" in files, f"no image part in {list(files)}")
        failures.check("mask" in files, f"no mask part in {list(files)}")
        image_part = files.get("image") or files.get("image[]")
        if image_part and "mask" in files:
            failures.check((files["mask"]["width"], files["mask"]["height"]) ==
                           (image_part["width"], image_part["height"]), "the mask is not the image's size")


def scenario_inpaint_ellipse_selection(env, failures):
    source = os.path.join(env.work, "photo.png")
    original = pattern_image(400, 300, 2)
    original.save(source)
    box, grow, feather = (120, 80, 160, 120), 4, 6
    checks = env.run_gimp(inpaint_scheme(source, box, grow, feather, 32, env.out), env.base_url())
    check_inpaint_result(env, checks, original, box, grow + feather, 2, failures)


def scenario_inpaint_offset_layer(env, failures):
    """A layer smaller than the canvas, away from its corner: selection coordinates are canvas
    space, the layer's buffer is layer space."""
    source = os.path.join(env.work, "background.png")
    patch_path = os.path.join(env.work, "patch.png")
    # Large enough that the crop sent is smaller than the canvas: the new layer gets an offset.
    background, patch = pattern_image(1280, 960, 3), pattern_image(600, 450, 4)
    background.save(source)
    patch.save(patch_path)
    offset = (500, 350)
    original = background.copy()
    original.paste(patch, offset)
    setup = f"""
(define patch (car (gimp-file-load-layer RUN-NONINTERACTIVE img {scheme_string(patch_path)})))
(gimp-image-insert-layer img patch 0 0)
(gimp-layer-set-offsets patch {offset[0]} {offset[1]})
(gimp-image-set-active-layer img patch)
"""
    box, grow, feather = (700, 500, 160, 120), 4, 6
    checks = env.run_gimp(inpaint_scheme(source, box, grow, feather, 24, env.out, setup, "patch"),
                          env.base_url())
    check_inpaint_result(env, checks, original, box, grow + feather, 3, failures)
    failures.check(checks.get("layer1.name") == "patch.png", "the new layer is not directly above the patch layer")


def scenario_inpaint_without_selection(env, failures):
    source = os.path.join(env.work, "photo.png")
    pattern_image(200, 150, 5).save(source)
    checks = env.run_gimp(load_image_scheme(source) + """
(gimp-selection-none img)
(pictor-check "error" (or (pictor-error-of (lambda ()
  (plug-in-pictor-inpaint RUN-NONINTERACTIVE img base "a boat" 4 6 32 "low"))) "none"))
(pictor-check "layers" (pictor-number (car (gimp-image-get-layers img))))
(pictor-selection-bounds img "selection.after")
""", env.base_url())
    error = checks.get("error", "")
    failures.check("Procedure execution of plug-in-pictor-inpaint failed" in error,
                   f"the call did not fail as a PDB error: {error!r}")
    failures.check(re.search(r"select", error, re.I) is not None, f"the message does not name the selection: {error!r}")
    failures.check(checks.get("layers") == "1", f"layers changed: {checks.get('layers')}")
    failures.check((checks.get("selection.after") or "").startswith("0:"), "a selection appeared")
    sent = env.mock_requests()
    failures.check(not sent, f"{len(sent)} request(s) were sent without a selection")
    failures.check(not env.history_images(), "something was written to history")


def scenario_moderation_block(env, failures):
    source = os.path.join(env.work, "photo.png")
    pattern_image(200, 150, 6).save(source)
    server_message = "Blocked by the test policy K42"
    segment = "code=moderation_blocked,message=" + server_message.replace(" ", "%20")
    checks = env.run_gimp(load_image_scheme(source) + """
(pictor-check "error" (or (pictor-error-of (lambda ()
  (plug-in-pictor-generate RUN-NONINTERACTIVE img base "something the policy refuses" "1024x1024" "low" 1))) "none"))
(pictor-check "layers" (pictor-number (car (gimp-image-get-layers img))))
""", env.base_url(segment))
    error = checks.get("error", "")
    failures.check("Procedure execution of plug-in-pictor-generate failed" in error,
                   f"the call did not fail as a PDB error: {error!r}")
    failures.check(server_message in error, f"the PDB error does not carry the server's message: {error!r}")
    failures.check(checks.get("layers") == "1", f"layers changed: {checks.get('layers')}")
    sent = env.mock_requests()
    failures.check(len(sent) == 1 and sent[0].get("status") == 400,
                   f"expected one refused request, the mock saw {[r.get('status') for r in sent]}")


def scenario_edit_with_references(env, failures):
    source = os.path.join(env.work, "scene.png")
    pattern_image(400, 300, 7).save(source)
    refs = []
    for i, name in enumerate(("reference-a.png", "reference-b.png", "hidden.png")):
        path = os.path.join(env.work, name)
        pattern_image(120 + 20 * i, 90, 8 + i).save(path)
        refs.append(path)
    setup = "".join(f"""
(define ref{i} (car (gimp-file-load-layer RUN-NONINTERACTIVE img {scheme_string(p)})))
(gimp-image-insert-layer img ref{i} 0 0)
""" for i, p in enumerate(refs))
    checks = env.run_gimp(load_image_scheme(source) + setup + f"""
(gimp-item-set-visible ref2 FALSE)
(gimp-image-set-active-layer img base)
(pictor-check "error" (or (pictor-error-of (lambda ()
  (plug-in-pictor-edit RUN-NONINTERACTIVE img base "make it snow" "canvas" "low"))) "none"))
(pictor-describe-layers img {scheme_string(env.out)})
""", env.base_url())
    failures.check(checks.get("error") == "none", f"edit failed: {checks.get('error')}")
    failures.check(checks.get("layers") == "5", f"expected 5 layers, got {checks.get('layers')}")
    # Stack, top first: hidden, reference-b, reference-a, the new layer, the scene.
    failures.check(checks.get("layer3.name", "").startswith("Pictor: make it snow"),
                   f"the new layer is not directly above the active one: {checks.get('layer3.name')!r}")
    failures.check(checks.get("layer4.name") == "Background", "the edited layer moved")
    failures.check(layer_rect(checks, 3) == (0, 0, 400, 300),
                   f"the new layer's rect is {layer_rect(checks, 3)}, expected the canvas")
    history = env.history_images()
    failures.check(len(history) == 1, f"expected 1 image in history, found {len(history)}")
    layer_path = os.path.join(env.out, "layer3.png")
    if history and os.path.exists(layer_path):
        failures.check(looks_like_model_image(Image.open(layer_path), history[0]),
                       "the new layer does not hold the image the gateway served")
    sent = env.mock_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    if sent:
        parts = [f for f in sent[0].get("files") or [] if f["name"] in ("image", "image[]")]
        sizes = [(f["width"], f["height"]) for f in parts]
        failures.check(len(parts) == 3, f"expected the layer and 2 visible references, got {sizes}")
        failures.check(not any(f["name"] == "mask" for f in sent[0].get("files") or []),
                       "a mask was sent without a selection")


def scenario_repeat_with_last_values(env, failures):
    """Filters > Repeat runs with the last values (gimp_get_data), whatever arguments it gets."""
    source = os.path.join(env.work, "photo.png")
    pattern_image(200, 150, 9).save(source)
    checks = env.run_gimp(load_image_scheme(source) + """
(pictor-check "first" (or (pictor-error-of (lambda ()
  (plug-in-pictor-generate RUN-NONINTERACTIVE img base "a blue kite" "1024x1024" "low" 1))) "none"))
(pictor-check "repeat" (or (pictor-error-of (lambda ()
  (plug-in-pictor-generate RUN-WITH-LAST-VALS img base "ignored" "auto" "high" 3))) "none"))
(pictor-check "layers" (pictor-number (car (gimp-image-get-layers img))))
""", env.base_url())
    failures.check(checks.get("first") == "none", f"the first run failed: {checks.get('first')}")
    failures.check(checks.get("repeat") == "none", f"the repeat failed: {checks.get('repeat')}")
    failures.check(checks.get("layers") == "3", f"expected 3 layers, got {checks.get('layers')}")
    sent = env.mock_requests()
    bodies = [r.get("json") or {} for r in sent]
    failures.check(len(bodies) == 2, f"expected 2 requests, the mock got {len(bodies)}")
    for body in bodies:
        failures.check((body.get("prompt"), body.get("size"), body.get("quality"), body.get("n", 1)) ==
                       ("a blue kite", "1024x1024", "low", 1), f"the repeat did not reuse the last values: {body}")


SCENARIOS = {
    "generate_two_variations": scenario_generate_two_variations,
    "inpaint_ellipse_selection": scenario_inpaint_ellipse_selection,
    "inpaint_offset_layer": scenario_inpaint_offset_layer,
    "inpaint_without_selection": scenario_inpaint_without_selection,
    "moderation_block": scenario_moderation_block,
    "edit_with_references": scenario_edit_with_references,
    "repeat_with_last_values": scenario_repeat_with_last_values,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--mock-gateway", required=True)
    parser.add_argument("--cmake", default="cmake")
    args = parser.parse_args()
    if not shutil.which(GIMP, path="/usr/bin:/bin"):
        print(f"SKIPPED: {GIMP} is not installed (Debian: apt-get install gimp, see "
              "dist/install-build-deps.sh)")
        return 77
    env = Environment(args)
    failures = Failures()
    try:
        env.install_plugin()
        env.start_mock()
        SCENARIOS[args.scenario](env, failures)
        env.check_no_key_anywhere(failures)
    finally:
        env.stop_mock()
    if failures.items:
        print(f"FAILED {args.scenario}:")
        for item in failures.items:
            print("  - " + item)
        print(f"GIMP's output is in {os.path.join(env.work, 'gimp-output.txt')}; its last lines:")
        print("\n".join(env.gimp_output.splitlines()[-25:]))
        return 1
    print(f"passed {args.scenario}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
