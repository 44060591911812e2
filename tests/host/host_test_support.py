"""What the GIMP host drivers (2.10 and 3) share: test images, pixel comparisons, the mock
gateway process, and the API-key leak check. Pure Python + PIL; no GIMP here."""

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from PIL import Image, ImageChops, ImageDraw

# A key the mock accepts; finding it anywhere under the private HOME or in a host's output is a
# leak.
CANARY_KEY = "sk-pictor-gimp-canary-5d1e8b20c4"


class Failures:
    def __init__(self):
        self.items = []

    def check(self, condition, message):
        if not condition:
            self.items.append(message)
        return condition


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


def max_channel_difference(a, b):
    """Per pixel, the largest channel difference of two RGB images (an L image)."""
    bands = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).split()
    return ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), bands[2])


def compare_regions(flat, original, layer, layer_origin, box, grow_feather, failures):
    """Outside the selection grown by its soft edge: the original, byte for byte. Well inside
    it: the new layer's pixels, which differ from the original."""
    flat, original = flat.convert("RGB"), original.convert("RGB")
    size = flat.size
    changed = max_channel_difference(flat, original)
    outside = ImageChops.invert(ellipse_mask(size, box, grow_feather + 2))
    changed_outside = count_nonzero(ImageChops.multiply(changed.point(lambda v: 255 if v else 0), outside))
    failures.check(changed_outside == 0,
                   f"{changed_outside} pixels outside the selection (grown by {grow_feather + 2} px) changed")

    inside = ellipse_mask(size, box, -3)
    inside_count = count_nonzero(inside)
    expected = original.copy()
    expected.paste(layer.convert("RGB"), layer_origin)
    off = max_channel_difference(flat, expected)
    # The layer is opaque and its mask 255 well inside: the canvas shows the layer (+-1 rounding).
    off_inside = count_nonzero(ImageChops.multiply(off.point(lambda v: 255 if v > 1 else 0), inside))
    failures.check(inside_count > 1000, "too few pixels inside the selection to compare")
    failures.check(off_inside == 0,
                   f"{off_inside} of {inside_count} pixels inside the selection are not the new layer's")
    kept = count_nonzero(ImageChops.multiply(changed.point(lambda v: 0 if v else 255), inside))
    failures.check(kept < inside_count // 10,
                   f"{kept} of {inside_count} pixels inside the selection kept their old value: "
                   "the model's pixels did not arrive")


def check_mask_geometry(mask, crop, canvas_size, box, grow_feather, failures):
    """The uploaded mask, laid back over the canvas where the crop was cut (the new layer's rect)
    at the crop's scale: transparent (repaint) over the selection, opaque (keep) beyond its grown
    and feathered edge. Expected regions are PIL ellipses from the box the script selected."""
    x, y, w, h = crop
    slack = max(w / mask.width, h / mask.height) + 1  # one sent pixel, and the ellipse's antialiasing
    alpha = Image.new("L", canvas_size, 255)
    alpha.paste(mask.getchannel("A").resize((w, h), Image.NEAREST), (x, y))
    inside = ellipse_mask(canvas_size, box, -slack)
    outside = ImageChops.invert(ellipse_mask(canvas_size, box, grow_feather + slack))
    not_open = count_nonzero(ImageChops.multiply(alpha.point(lambda v: 255 if v else 0), inside))
    not_kept = count_nonzero(ImageChops.multiply(alpha.point(lambda v: 0 if v == 255 else 255), outside))
    failures.check(count_nonzero(inside) > 1000, "too few selected pixels to check the mask")
    failures.check(not_open == 0, f"the mask keeps {not_open} selected pixels (alpha > 0 inside the selection)")
    failures.check(not_kept == 0, f"the mask opens {not_kept} pixels beyond the grown, feathered selection")


# ---- the mock gateway -----------------------------------------------------------------------

class MockGateway:
    """tests/mock_gateway/mock_gateway.py as a child process on 127.0.0.1."""

    def __init__(self, script, work_dir, python=None):
        self.script, self.work = script, work_dir
        self.python = python or sys.executable
        self.process, self.port = None, None

    def start(self):
        port_file = os.path.join(self.work, "mock.port")
        self.process = subprocess.Popen(
            [self.python, self.script, "--port", "0", "--port-file", port_file,
             "--lifetime", "600", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "mock.log"), "w"))
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(port_file):
                text = open(port_file).read().strip()
                if text:
                    self.port = int(text)
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("the mock gateway did not start (see mock.log in " + self.work + ")")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def base_url(self, profile="openai", scenario_segment=None):
        middle = f"/{scenario_segment}" if scenario_segment else ""
        return f"http://127.0.0.1:{self.port}/{profile}{middle}/v1"

    def upload_rgba(self, fetch):
        """A logged upload (its `fetch` path), decoded by the mock's PIL, as an RGBA image."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{fetch}.rgba", timeout=30) as r:
            size = (int(r.headers["X-Width"]), int(r.headers["X-Height"]))
            return Image.frombytes("RGBA", size, r.read())

    def image_requests(self):
        """The generations and edits requests received, oldest first, as the mock logged them."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_mock/requests", timeout=30) as r:
            return [e for e in json.load(r) if e.get("endpoint") in ("generations", "edits")]


# ---- the cases both GIMP drivers run, so GIMP 2.10 and GIMP 3 are held to the same ones -----

def write_pattern(work, name, width, height, seed):
    """A pattern image saved as work/name; returns its path and the image."""
    path = os.path.join(work, name)
    image = pattern_image(width, height, seed)
    image.save(path)
    return path, image


def offset_layer_case(work):
    """A canvas with a smaller layer away from its corner, large enough that the crop sent is
    smaller than the canvas (the new layer gets an offset): selection coordinates are canvas
    space, the layer's buffer is layer space. Returns the canvas and patch files, the patch's
    offset, what the two make together, and the selection box inside the patch."""
    source, background = write_pattern(work, "background.png", 1280, 960, 3)
    patch_path, patch = write_pattern(work, "patch.png", 600, 450, 4)
    offset = (500, 350)
    original = background.copy()
    original.paste(patch, offset)
    return source, patch_path, offset, original, (700, 500, 160, 120)


def check_inpaint_pixels(out_dir, history, original, layer_rect, box, grow_feather, failures):
    """After an inpaint: the new layer covers the selection box and holds the served image
    (out_dir/layer0.png); the flattened image (out_dir/flat.png) is the original outside the
    grown, feathered selection and the new layer inside it."""
    x, y, w, h = layer_rect
    bx, by, bw, bh = box
    failures.check(x <= bx and y <= by and x + w >= bx + bw and y + h >= by + bh,
                   f"the new layer {(x, y, w, h)} does not cover the selection {box}")
    failures.check(len(history) == 1, f"expected 1 image in history, found {len(history)}")
    layer_path, flat_path = os.path.join(out_dir, "layer0.png"), os.path.join(out_dir, "flat.png")
    if not (failures.check(os.path.exists(layer_path), "the new layer was not saved") and
            failures.check(os.path.exists(flat_path), "the flattened image was not saved")):
        return
    layer = Image.open(layer_path)
    if history:
        failures.check(looks_like_model_image(layer, history[0]),
                       "the new layer does not hold the image the gateway served")
    compare_regions(Image.open(flat_path), original, layer, (x, y), box, grow_feather, failures)


def check_layers_hold_served_images(layer_paths, history, failures):
    """Each exported layer holds, byte for byte, a different image the gateway served."""
    matched = set()
    for path in layer_paths:
        if not failures.check(os.path.exists(path), f"{os.path.basename(path)} was not exported"):
            continue
        layer = Image.open(path)
        hit = next((h for h in history if same_pixels(Image.open(h), layer)), None)
        failures.check(hit is not None,
                       f"{os.path.basename(path)} does not hold the pixels of any image the gateway served")
        if hit:
            matched.add(hit)
    failures.check(len(matched) == len(layer_paths),
                   f"the {len(layer_paths)} new layers do not hold {len(layer_paths)} different served images")


def check_generation_requests(sent, prompt, size, quality, images, failures):
    """The mock served `images` images, all for generations of this prompt, size and quality."""
    served = sum(len(r.get("images") or []) for r in sent)
    failures.check(served == images, f"the mock served {served} images, expected {images}")
    for r in sent:
        body = r.get("json") or {}
        failures.check(r.get("endpoint") == "generations" and body.get("prompt") == prompt
                       and body.get("size") == size and body.get("quality") == quality,
                       f"unexpected request: {r.get('endpoint')} {body}")


# ---- history and leaks ----------------------------------------------------------------------

def history_images(history_dir):
    """The images a host received, as kept in Pictor's history folder."""
    found = []
    for root, folders, files in os.walk(history_dir):
        if "thumbnails" in folders:  # the history browsers' previews are not images received
            folders.remove("thumbnails")
        for name in sorted(files):
            if name.lower().endswith((".png", ".jpg", ".jpeg", ".webp")):
                found.append(os.path.join(root, name))
    return found


def check_no_key_anywhere(home, host_output, failures, key=CANARY_KEY, allowed=()):
    """The key is in no file under home (the host's profile, history, config) nor its output,
    except the files in `allowed` (where the user chose to store it)."""
    leaks = []
    needle = key.encode()
    for root, _, files in os.walk(home):
        for name in files:
            path = os.path.join(root, name)
            if path in allowed or os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                if needle in f.read():
                    leaks.append(os.path.relpath(path, home))
    failures.check(not leaks, f"the API key was written to: {', '.join(leaks)}")
    failures.check(key not in host_output, "the API key appears in the host's output")


def report_outcome(name, failures, host, output_path, output):
    """Prints the verdict of one host test and returns its exit status (0 passed, 1 failed)."""
    if not failures.items:
        print(f"passed {name}")
        return 0
    print(f"FAILED {name}:")
    for item in failures.items:
        print("  - " + item)
    print(f"{host}'s output is in {output_path}; its last lines:")
    print("\n".join(output.splitlines()[-25:]))
    return 1


# ---- history entries the browsers read ------------------------------------------------------

QUADRANT_COLOURS = ((255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255), (255, 255, 255, 255))


def quadrant_image(width, height):
    """Four flat quadrants (red, green / blue, white): their centres keep their colour however
    the image is scaled."""
    image = Image.new("RGBA", (width, height))
    for q, colour in enumerate(QUADRANT_COLOURS):
        x0, y0 = (q % 2) * (width // 2), (q // 2) * (height // 2)
        image.paste(colour, (x0, y0, x0 + width // 2 if q % 2 == 0 else width, y0 + height // 2 if q < 2 else height))
    return image


def quadrant_centres(x, y, width, height):
    """The centre of each quadrant of a (x, y, width, height) rectangle, in QUADRANT_COLOURS order."""
    return [(x + width // 4 + (q % 2) * (width // 2), y + height // 4 + (q // 2) * (height // 2)) for q in range(4)]


def write_history_entry(history_dir, entry_id, prompt, image, delivered=True):
    """An entry as pictor's history keeps it: the PNG, then its JSON sidecar (delivered=False:
    marked as an image whose layer never arrived)."""
    os.makedirs(history_dir, exist_ok=True)
    image.save(os.path.join(history_dir, entry_id + ".png"))
    t = entry_id
    sidecar = {"id": entry_id, "image_file": entry_id + ".png", "prompt": prompt, "profile": "openai",
               "size": f"{image.size[0]}x{image.size[1]}",
               "time": f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}Z"}
    if not delivered:
        sidecar["delivered"] = False
    with open(os.path.join(history_dir, entry_id + ".json"), "w") as f:
        json.dump(sidecar, f)
    return os.path.join(history_dir, entry_id + ".png")


def check_history_inserts(out_dir, canvas, entry_image, served, rects, failures):
    """What both GIMP drivers' history_insert scenario exported: own.png (the entry at its own
    size: exactly its pixels), fit-flat.png (fitted into the 400x300 canvas: 400x267, centred, the
    quadrants in place), umbrella.png (the generated image, `served`, found again by its prompt).
    rects: the layer rect (x, y, w, h) of each of own, fit, umbrella as the host reported it."""
    failures.check(rects.get("own") == (0, 0, 300, 200), f"own size: layer rect {rects.get('own')}")
    own = os.path.join(out_dir, "own.png")
    if failures.check(os.path.exists(own), "the own-size layer was not exported"):
        failures.check(same_pixels(Image.open(own), Image.open(entry_image)),
                       "the inserted layer's pixels are not the history image's")
    failures.check(rects.get("fit") == (0, 16, 400, 267), f"fitted: layer rect {rects.get('fit')}")
    flat = os.path.join(out_dir, "fit-flat.png")
    if failures.check(os.path.exists(flat), "the fitted image was not exported"):
        seen = Image.open(flat).convert("RGBA")
        for (x, y), colour in zip(quadrant_centres(0, 16, 400, 267), QUADRANT_COLOURS):
            failures.check(seen.getpixel((x, y)) == colour,
                           f"fitted: pixel {x},{y} is {seen.getpixel((x, y))}, expected {colour}")
        failures.check(seen.getpixel((200, 5)) == Image.open(canvas).convert("RGBA").getpixel((200, 5)),
                       "fitted: the canvas above the fitted layer is covered")
    failures.check(len(served) == 1, f"expected the one generated image in history besides the entry, found {served}")
    umbrella = os.path.join(out_dir, "umbrella.png")
    if served and failures.check(os.path.exists(umbrella), "the umbrella layer was not exported"):
        failures.check(rects.get("umbrella") == (0, 0, 1024, 1024), f"umbrella rect {rects.get('umbrella')}")
        failures.check(same_pixels(Image.open(umbrella), Image.open(served[0])),
                       "the generated image found again is not the one in history")


# ---- a request that outlives its plug-in (pictor-request-runner) ----------------------------

def live_processes(executable, home):
    """Pids of the processes running `executable` (by /proc/PID/exe) with HOME=`home` (this
    test's, not another's running at the same time) that have not exited."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/exe") != executable:
                continue
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                if b"\0HOME=" + home.encode() + b"\0" not in b"\0" + f.read():
                    continue
        except OSError:
            continue  # gone meanwhile, or not ours to read
        found.append(int(pid))
    return found


def run_host(command, env, cwd, timeout_s, during=None):
    """Runs a host's batch to its end; `during`, if given, is called while it runs. Returns its
    exit status and output (stdout and stderr, bytes)."""
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd) as host:
        try:
            if during:
                during()
            output, _ = host.communicate(timeout=timeout_s)
        except BaseException:
            host.kill()
            raise
    return host.returncode, output


def kill_plugin_mid_request(mock, plugin, runner, home, failures, key=CANARY_KEY):
    """Waits for the mock to receive the plug-in's image request, checks that one runner holds it
    with the key in neither its command line nor its environment, then kill -9s the plug-in, as
    GIMP does when the user cancels its progress."""
    deadline = time.time() + 60
    while not mock.image_requests() and time.time() < deadline:
        time.sleep(0.1)
    if not failures.check(mock.image_requests(), "the request never reached the mock"):
        return
    time.sleep(1.0)
    runners = live_processes(runner, home)
    failures.check(len(runners) == 1, f"expected one {runner} holding the request, found {runners}")
    for pid in runners:
        for name in ("cmdline", "environ"):
            with open(f"/proc/{pid}/{name}", "rb") as f:
                failures.check(key.encode() not in f.read(), f"the API key is in the runner's /proc/{pid}/{name}")
    plugins = live_processes(plugin, home)
    if not failures.check(len(plugins) == 1, f"expected one plug-in process {plugin}, found {plugins}"):
        return
    os.kill(plugins[0], signal.SIGKILL)


def check_undelivered_image_arrives(history_dir, runner, home, wait_s, failures):
    """Within wait_s the killed plug-in's image is in history, its sidecar marked
    "delivered": false, and no runner is left."""
    deadline = time.time() + wait_s
    undelivered = []
    while time.time() < deadline and not undelivered:
        for image in history_images(history_dir):
            try:
                with open(os.path.splitext(image)[0] + ".json") as f:
                    if json.load(f).get("delivered") is False:
                        undelivered.append(image)
            except (OSError, ValueError):
                pass  # the sidecar is being written
        time.sleep(0.2)
    failures.check(len(undelivered) == 1, f"no image marked not yet delivered in {history_dir} within {wait_s} s")
    for image in undelivered:
        with open(image, "rb") as f:
            failures.check(f.read(8) == b"\x89PNG\r\n\x1a\n", f"{image} is not the PNG served")
    deadline = time.time() + 10
    while live_processes(runner, home) and time.time() < deadline:
        time.sleep(0.2)
    failures.check(not live_processes(runner, home), f"{runner} is still running after its request")


# ---- paid images that arrived while the host was away (both GIMP drivers) -----------------------

# What the plug-ins say when images came in after they had stopped waiting: the contract the
# GIMP tests hold them to (arrivals_notice.c says it).
ARRIVED_ONE = "1 paid image arrived while you were away."


def history_json(pictor_cli, env):
    done = subprocess.run([pictor_cli, "history", "list", "--json"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60, check=True)
    return json.loads(done.stdout)


def make_arrived_image(pictor_cli, mock, env, prompt, wait_s=60):
    """An image that reached history after its host had gone, made the real way: the CLI (which
    runs its requests in pictor-request-runner) asks a slow route for it and is killed with
    SIGKILL once the mock has the request; the runner finishes alone and marks the entry not yet
    delivered. env: the CLI's environment (key, history folder, HOME). Returns the entry as
    `pictor history list --json` lists it."""
    env = dict(env, PICTOR_BASE_URL=mock.base_url("openai", "delay=3"), PICTOR_PROFILE="openai")
    before = len(mock.image_requests())
    cli = subprocess.Popen([pictor_cli, "generate", prompt, "--size", "1024x1024", "--quality", "low",
                            "-o", os.path.join(env["HOME"], "never-written.png")],
                           env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while len(mock.image_requests()) == before and time.time() < deadline and cli.poll() is None:
        time.sleep(0.1)
    if len(mock.image_requests()) == before:
        cli.kill()
        raise RuntimeError("the CLI's request never reached the mock")
    cli.kill()
    cli.wait()
    deadline = time.time() + wait_s
    while time.time() < deadline:
        arrived = [e for e in history_json(pictor_cli, env) if e.get("delivered") is False]
        if arrived:
            return arrived[0]
        time.sleep(0.25)
    raise RuntimeError(f"no entry marked not yet delivered within {wait_s} s of killing the CLI")


# A user profile adding a newer model to the shipped openai route (README "extends"), with a
# quality and a complexity the default model does not have and markup for edits.
NEWER_MODEL = "gpt-image-2.6-flare"
NEWER_MODEL_PROFILE = {"extends": "openai", "models": [{
    "model": NEWER_MODEL, "quality_values": {"xhigh": "xhigh"},
    "complexity_values": {"low": "low", "medium": "medium", "high": "high"}, "edits": {"markup": True}}]}


def write_newer_model_profile(home):
    folder = os.path.join(home, ".config", "pictor", "profiles")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "openai.json"), "w") as f:
        json.dump(NEWER_MODEL_PROFILE, f)


def check_upload_formats(requests, expected, failures):
    """The format of the first image part of each request, as the mock decoded it."""
    formats = [[f.get("format") for f in r.get("files") or [] if f["name"] in ("image", "image[]")][:1]
               for r in requests]
    failures.check(formats == expected, f"first image formats sent: {formats}, expected {expected}")


def check_markup_request(mock, request, size, drawn, blank, failures):
    """An edit with markup as the mock logged it: one image and one markup part (no mask), the
    markup a PNG with alpha at the image's size (`size`), red and opaque at canvas point `drawn`,
    transparent at the points `blank`; the model the user profile added."""
    files = request.get("files") or []
    images = [f for f in files if f["name"] in ("image", "image[]")]
    markups = [f for f in files if f["name"] == "markup"]
    failures.check((request.get("fields") or {}).get("model") == NEWER_MODEL,
                   f"model sent: {(request.get('fields') or {}).get('model')}")
    failures.check(len(images) == 1 and len(markups) == 1 and not any(f["name"] == "mask" for f in files),
                   f"parts sent: {[f['name'] for f in files]}")
    if not (images and markups):
        return
    m = markups[0]
    failures.check((m["width"], m["height"]) == (images[0]["width"], images[0]["height"]) == size,
                   f"markup {m['width']}x{m['height']}, image {images[0]['width']}x{images[0]['height']}, "
                   f"expected {size}")
    alpha = m.get("alpha") or {}  # the mock counts the part's alpha values
    failures.check(m.get("format") == "png" and alpha.get("zero", 0) > 0 and alpha.get("opaque", 0) > 0,
                   f"markup part: {m}")
    pixels = mock.upload_rgba(m["fetch"])
    failures.check(pixels.getpixel(drawn) == (255, 0, 0, 255), f"drawn pixel: {pixels.getpixel(drawn)}")
    failures.check(all(pixels.getpixel(p)[3] == 0 for p in blank),
                   "the markup is not transparent where nothing was drawn")


class Limits(ctypes.Structure):
    """pictor_limits of abi/include/pictor/pictor.h (append-only)."""
    _fields_ = [("struct_size", ctypes.c_uint32), ("max_response_bytes", ctypes.c_uint64),
                ("max_pixels", ctypes.c_uint64), ("max_retries", ctypes.c_int),
                ("connect_timeout_s", ctypes.c_double), ("max_prompt_chars", ctypes.c_uint32),
                ("max_edit_images", ctypes.c_uint32), ("max_reference_layers", ctypes.c_uint32),
                ("default_grow_px", ctypes.c_int), ("default_feather_px", ctypes.c_int),
                ("default_context_px", ctypes.c_int), ("max_grow_px", ctypes.c_int),
                ("max_feather_px", ctypes.c_int), ("max_context_px", ctypes.c_int),
                ("upload_jpeg_quality", ctypes.c_int), ("max_partial_images", ctypes.c_int)]


def library_limits(libpictor):
    """The limits the built library publishes (pictor_get_limits): what texts must say."""
    lib = ctypes.CDLL(libpictor)
    lib.pictor_abi_version.restype = ctypes.c_int
    lib.pictor_get_limits_abi.argtypes = [ctypes.POINTER(Limits), ctypes.c_size_t, ctypes.c_int]
    limits = Limits()
    limits.struct_size = ctypes.sizeof(Limits)
    status = lib.pictor_get_limits_abi(ctypes.byref(limits), ctypes.sizeof(Limits), lib.pictor_abi_version())
    if status != 0:
        raise RuntimeError(f"pictor_get_limits failed with status {status}")
    return limits
