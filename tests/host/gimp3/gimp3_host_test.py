#!/usr/bin/python3
"""The GIMP 3 plug-in in real GIMP 3, headless, against the mock gateway.

    gimp3_host_test.py SCENARIO --work-dir DIR

Runs inside the Debian 13 chroot (trixie_chroot.sh) where build_in_chroot.sh installed pictor
the README's way (cmake --install BUILD --prefix /usr). Each scenario starts the mock gateway,
runs one Python-Fu (or Script-Fu) batch in gimp-console-3.0 with a private GIMP3_DIRECTORY and
HOME, which calls the plug-in's procedures and exports what it made, then checks the pixels, the
procedure's return values, the requests the mock received, and that the API key is in no file
GIMP wrote nor in its output.
Exit status: 0 passed, 1 failed, 77 skipped (gimp-console-3.0 is not installed; CI=true: 1).
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

from PIL import Image, ImageChops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from host_test_support import (CANARY_KEY, Failures, MockGateway, check_generation_requests,  # noqa: E402
                               check_inpaint_pixels, check_layers_hold_served_images, check_mask_geometry,
                               check_no_key_anywhere, history_images,
                               looks_like_model_image, offset_layer_case, pattern_image,
                               report_outcome, same_pixels, check_history_inserts, quadrant_image,
                               write_history_entry, kill_plugin_mid_request, check_undelivered_image_arrives,
                               ARRIVED_ONE, history_json, make_arrived_image, run_host)
from host_test_support import NEWER_MODEL, check_markup_request, check_upload_formats, write_newer_model_profile  # noqa: E402
from host_test_support import write_pattern  # noqa: E402

GIMP = "gimp-console-3.0"
GIMP_TIMEOUT_S = 180
SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
MOCK_GATEWAY = os.path.join(SOURCE_DIR, "tests", "mock_gateway", "mock_gateway.py")

# Python-Fu helpers every batch starts with. check() prints a line the driver reads back;
# run_pictor() calls a procedure the way a script would and reports its status, its error text
# and the layers it returned; export_layer() writes one layer (without its mask) as PNG;
# buffer_bytes() reads a drawable's pixels through GEGL.
PYTHON_PRELUDE = r'''
import json
from gi.repository import Gimp, Gio, Gegl

def check(key, value):
    print("PICTOR-CHECK %s=%s" % (key, json.dumps(value)), flush=True)

def load(path):
    return Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(path))

def load_layer(img, path, position=0):
    layer = Gimp.file_load_layer(Gimp.RunMode.NONINTERACTIVE, img, Gio.File.new_for_path(path))
    img.insert_layer(layer, None, position)
    return layer

def save_png(img, path):
    if not Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, img, Gio.File.new_for_path(path), None):
        raise RuntimeError("could not save " + path)

def run_pictor(name, img, drawables, mode=Gimp.RunMode.NONINTERACTIVE, **args):
    proc = Gimp.get_pdb().lookup_procedure(name)
    if proc is None:
        check(name + ".registered", False)
        return None
    cfg = proc.create_config()
    cfg.set_property("run-mode", mode)
    cfg.set_property("image", img)
    cfg.set_core_object_array("drawables", drawables)
    for key, value in args.items():
        cfg.set_property(key.replace("_", "-"), value)
    res = proc.run(cfg)
    status = res.index(0)
    check(name + ".status", status.value_nick)
    if status != Gimp.PDBStatusType.SUCCESS:
        check(name + ".error", str(res.index(1)) if res.length() > 1 else "")
        return []
    # Object arrays reach Python only through this accessor (a GObject-Introspection limit).
    layers = res.get_core_object_array(1) if res.length() > 1 else []
    check(name + ".returned", [l.get_name() for l in layers])
    return layers

def rect(layer):
    _, x, y = layer.get_offsets()
    return [x, y, layer.get_width(), layer.get_height()]

def buffer_bytes(drawable, fmt, x=0, y=0, w=None, h=None):
    buf = drawable.get_buffer()
    w = drawable.get_width() if w is None else w
    h = drawable.get_height() if h is None else h
    return buf.get(Gegl.Rectangle.new(x, y, w, h), 1.0, fmt, Gegl.AbyssPolicy.NONE)

def export_layer(layer, path):
    """The layer's own pixels (its mask left out) as an RGBA PNG of the layer's size."""
    out = Gimp.Image.new(layer.get_width(), layer.get_height(), Gimp.ImageBaseType.RGB)
    copy = Gimp.Layer.new_from_drawable(layer, out)
    out.insert_layer(copy, None, 0)
    if copy.get_mask() is not None:
        copy.remove_mask(Gimp.MaskApplyMode.DISCARD)
    copy.set_offsets(0, 0)
    save_png(out, path)
    out.delete()

def export_mask(layer, path):
    """The layer mask as raw 8-bit gray bytes (width * height)."""
    mask = layer.get_mask()
    with open(path, "wb") as f:
        f.write(bytes(buffer_bytes(mask, "Y u8")))

def describe_layers(img, out_dir):
    layers = img.get_layers()
    check("layers", [l.get_name() for l in layers])
    for i, layer in enumerate(layers):
        check("layer%d.rect" % i, rect(layer))
        check("layer%d.visible" % i, layer.get_visible())
        check("layer%d.mask" % i, layer.get_mask() is not None)
        export_layer(layer, "%s/layer%d.png" % (out_dir, i))
        if layer.get_mask() is not None:
            export_mask(layer, "%s/layer%d.mask" % (out_dir, i))

def selected(img):
    return [(type(d).__name__, d.get_name()) for d in img.get_selected_drawables()]

def flatten_and_save(img, path):
    dup = img.duplicate()
    dup.flatten()
    save_png(dup, path)
    dup.delete()
'''


class Environment:
    def __init__(self, args):
        self.work = os.path.abspath(args.work_dir)
        shutil.rmtree(self.work, ignore_errors=True)
        self.home = os.path.join(self.work, "home")
        self.out = os.path.join(self.work, "out")
        self.gimp_dir = os.path.join(self.home, ".config", "GIMP", "3.0")
        self.history = os.path.join(self.home, ".local", "share", "pictor", "history")
        os.makedirs(self.out)
        os.makedirs(self.gimp_dir)
        self.mock = MockGateway(MOCK_GATEWAY, self.work)
        self.gimp_output = ""
        self.allowed_key_files = ()  # where a scenario told pictor to store the key

    def environment(self, base_url, key=CANARY_KEY, profile="openai"):
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.home,
            "GIMP3_DIRECTORY": self.gimp_dir,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_DATA_HOME": os.path.join(self.home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
            "XDG_RUNTIME_DIR": self.work,
            "LANG": "C.UTF-8",
            # No DISPLAY, no D-Bus session: headless, and the desktop keyring stays out of it.
            "PICTOR_BASE_URL": base_url,
            "PICTOR_HISTORY_DIR": self.history,
        }
        if key:
            env["PICTOR_API_KEY"] = key
        if profile:
            env["PICTOR_PROFILE"] = profile
        return env

    def run_gimp(self, body, base_url, interpreter="python-fu-eval", wrapper=(), during=None, **env_args):
        """Runs the batch in GIMP; `during`, if given, is called while GIMP runs."""
        if interpreter == "python-fu-eval":
            script = os.path.join(self.work, "scenario.py")
            with open(script, "w") as f:
                f.write(PYTHON_PRELUDE + body)
            batch = f'exec(open({script!r}).read())'
        else:
            script = os.path.join(self.work, "scenario.scm")
            with open(script, "w") as f:
                f.write(body)
            batch = f'(load "{script}")'
        started = time.time()
        status, output = run_host(
            list(wrapper) + [GIMP, "-i", "-d", "-f", f"--batch-interpreter={interpreter}", "-b", batch, "--quit"],
            self.environment(base_url, **env_args), self.work, GIMP_TIMEOUT_S, during)
        self.gimp_output += output.decode("utf-8", "replace")
        with open(os.path.join(self.work, "gimp-output.txt"), "w") as f:
            f.write(self.gimp_output)
        print(f"{GIMP} ran {time.time() - started:.1f} s, exit status {status}")
        checks = {"exit": status}
        for line in output.decode("utf-8", "replace").splitlines():
            m = re.search(r"PICTOR-CHECK ([^=]+)=(.*)$", line)
            if m:
                checks[m.group(1)] = json.loads(m.group(2))
        return checks

    def history_images(self):
        return history_images(self.history)


def uploaded_parts(request, names=("image", "image[]")):
    return [f for f in request.get("files") or [] if f["name"] in names]


# ---- scenarios ------------------------------------------------------------------------------

def scenario_generate_two_variations(env, failures):
    source, _ = write_pattern(env.work, "canvas.png", 320, 240, 1)
    checks = env.run_gimp(f"""
img = load({source!r})
base = img.get_layers()[0]
run_pictor("plug-in-pictor-generate", img, [base], prompt="a red umbrella", size="1024x1024",
           quality="low", variations=2)
describe_layers(img, {env.out!r})
""", env.mock.base_url())
    failures.check(checks.get("plug-in-pictor-generate.status") == "success",
                   f"generate failed: {checks.get('plug-in-pictor-generate.error')}")
    names = checks.get("layers") or []
    failures.check(len(names) == 3, f"expected 3 layers (2 new + the image's), got {names}")
    failures.check(sorted(names[:2]) == ["Pictor: a red umbrella (1/2)", "Pictor: a red umbrella (2/2)"],
                   f"the new layers are named {names[:2]}")
    failures.check(sorted(checks.get("plug-in-pictor-generate.returned") or []) == sorted(names[:2]),
                   f"the procedure returned {checks.get('plug-in-pictor-generate.returned')}, "
                   f"not the layers it added {names[:2]}")
    history = env.history_images()
    failures.check(len(history) == 2, f"expected 2 images in history, found {len(history)}")
    for i in (0, 1):
        failures.check(checks.get(f"layer{i}.rect") == [0, 0, 1024, 1024],
                       f"layer {i} rect is {checks.get(f'layer{i}.rect')}, expected [0, 0, 1024, 1024]")
        failures.check(checks.get(f"layer{i}.mask") is False, f"layer {i} has a mask: generate needs none")
    check_layers_hold_served_images([os.path.join(env.out, f"layer{i}.png") for i in (0, 1)], history, failures)
    failures.check(names[2:] == ["Background"], f"the original layer is not at the bottom: {names}")
    if os.path.exists(os.path.join(env.out, "layer2.png")):
        failures.check(same_pixels(Image.open(os.path.join(env.out, "layer2.png")), Image.open(source)),
                       "the original layer's pixels changed")
    check_generation_requests(env.mock.image_requests(), "a red umbrella", "1024x1024", "low", 2, failures)


def inpaint_batch(source, box, grow, feather, context, out_dir, setup="", layer="base"):
    x, y, w, h = box
    return f"""
img = load({source!r})
base = img.get_layers()[0]
{setup}
img.select_ellipse(Gimp.ChannelOps.REPLACE, {x}, {y}, {w}, {h})
check("selection.before", list(Gimp.Selection.bounds(img)))
run_pictor("plug-in-pictor-inpaint", img, [{layer}], prompt="a small wooden boat", grow={grow},
           feather={feather}, context={context}, quality="low")
check("selection.after", list(Gimp.Selection.bounds(img)))
check("selected", selected(img))
describe_layers(img, {out_dir!r})
flatten_and_save(img, {os.path.join(out_dir, "flat.png")!r})
"""


def check_uploaded_mask(env, request, canvas_size, layer_rect, box, grow, feather, failures):
    """The inpaint upload: one image and a PNG mask of its size that is transparent (repaint)
    exactly over the selection and opaque beyond its grown, feathered edge, at the crop's place
    and scale (the new layer's rect is the crop)."""
    image = uploaded_parts(request)
    masks = uploaded_parts(request, ("mask",))
    if not (failures.check(len(image) == 1, f"expected one image part, got {len(image)}") and
            failures.check(len(masks) == 1, "no mask part was uploaded")):
        return
    failures.check((masks[0].get("width"), masks[0].get("height")) ==
                   (image[0].get("width"), image[0].get("height")), "the mask is not the image's size")
    failures.check(masks[0].get("format") == "png", f"the mask is {masks[0].get('format')}, not PNG")
    check_mask_geometry(env.mock.upload_rgba(masks[0]["fetch"]), layer_rect, canvas_size, box,
                        grow + feather, failures)


def check_inpaint_result(env, checks, original, box, grow, feather, layer_count, failures):
    failures.check(checks.get("plug-in-pictor-inpaint.status") == "success",
                   f"inpaint failed: {checks.get('plug-in-pictor-inpaint.error')}")
    names = checks.get("layers") or []
    failures.check(len(names) == layer_count, f"expected {layer_count} layers, got {names}")
    failures.check(bool(names) and names[0].startswith("Pictor: a small wooden boat"),
                   f"the new layer is not on top: {names}")
    failures.check(checks.get("plug-in-pictor-inpaint.returned") == names[:1],
                   f"the procedure returned {checks.get('plug-in-pictor-inpaint.returned')}")
    failures.check(checks.get("layer0.mask") is True, "the new layer has no layer mask")
    failures.check(checks.get("selected") == [["Layer", names[0] if names else ""]],
                   f"after inpaint the selected drawable is {checks.get('selected')}, not the new layer")
    failures.check(checks.get("selection.before") == checks.get("selection.after"),
                   f"the selection changed: {checks.get('selection.before')} -> {checks.get('selection.after')}")
    lx, ly, lw, lh = checks.get("layer0.rect") or [0, 0, 0, 0]
    bx, by, bw, bh = box
    mask_path = os.path.join(env.out, "layer0.mask")
    if os.path.exists(mask_path) and lw and lh:
        mask = Image.frombytes("L", (lw, lh), open(mask_path, "rb").read())
        cx, cy = bx + bw // 2 - lx, by + bh // 2 - ly
        failures.check(mask.getpixel((cx, cy)) == 255, f"mask at the selection's centre is {mask.getpixel((cx, cy))}")
        failures.check(mask.getpixel((0, 0)) == 0, f"mask at the layer's corner is {mask.getpixel((0, 0))}")
    check_inpaint_pixels(env.out, env.history_images(), original, (lx, ly, lw, lh), box, grow + feather,
                         failures)
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    if sent:
        failures.check(sent[0].get("endpoint") == "edits", f"inpaint went to {sent[0].get('endpoint')}")
        check_uploaded_mask(env, sent[0], original.size, (lx, ly, lw, lh), box, grow, feather, failures)


def scenario_inpaint_ellipse_selection(env, failures):
    source = os.path.join(env.work, "photo.png")
    original = pattern_image(400, 300, 2)
    original.save(source)
    box, grow, feather = (120, 80, 160, 120), 4, 6
    checks = env.run_gimp(inpaint_batch(source, box, grow, feather, 32, env.out), env.mock.base_url())
    check_inpaint_result(env, checks, original, box, grow, feather, 2, failures)


def scenario_inpaint_offset_layer(env, failures):
    """A layer smaller than the canvas, away from its corner: selection coordinates are canvas
    space, the layer's buffer is layer space."""
    source, patch_path, offset, original, box = offset_layer_case(env.work)
    setup = f"""
patch = load_layer(img, {patch_path!r})
patch.set_offsets({offset[0]}, {offset[1]})
img.set_selected_layers([patch])
"""
    grow, feather = 4, 6
    checks = env.run_gimp(inpaint_batch(source, box, grow, feather, 24, env.out, setup, "patch"),
                          env.mock.base_url())
    check_inpaint_result(env, checks, original, box, grow, feather, 3, failures)
    names = checks.get("layers") or []
    failures.check(names[1:2] == ["patch.png"], f"the new layer is not directly above the patch layer: {names}")


def scenario_inpaint_without_selection(env, failures):
    source, _ = write_pattern(env.work, "photo.png", 200, 150, 5)
    checks = env.run_gimp(f"""
img = load({source!r})
base = img.get_layers()[0]
Gimp.Selection.none(img)
run_pictor("plug-in-pictor-inpaint", img, [base], prompt="a boat", grow=4, feather=6, context=32,
           quality="low")
check("layers", [l.get_name() for l in img.get_layers()])
check("selection.after", list(Gimp.Selection.bounds(img)))
""", env.mock.base_url())
    failures.check(checks.get("plug-in-pictor-inpaint.status") == "execution-error",
                   f"the call did not fail as an execution error: {checks.get('plug-in-pictor-inpaint.status')}")
    error = checks.get("plug-in-pictor-inpaint.error") or ""
    failures.check(re.search(r"select", error, re.I) is not None, f"the message does not name the selection: {error!r}")
    failures.check("--" not in error, f"the message gives command-line advice: {error!r}")
    failures.check(checks.get("layers") == ["Background"], f"layers changed: {checks.get('layers')}")
    failures.check(env.mock.image_requests() == [], "a request was sent without a selection")
    failures.check(not env.history_images(), "something was written to history")


def scenario_moderation_block(env, failures):
    source, _ = write_pattern(env.work, "photo.png", 200, 150, 6)
    server_message = "Blocked by the test policy K42"
    segment = "code=moderation_blocked,message=" + server_message.replace(" ", "%20")
    checks = env.run_gimp(f"""
img = load({source!r})
run_pictor("plug-in-pictor-generate", img, img.get_layers(), prompt="something the policy refuses",
           size="1024x1024", quality="low", variations=1)
check("layers", [l.get_name() for l in img.get_layers()])
""", env.mock.base_url(scenario_segment=segment))
    error = checks.get("plug-in-pictor-generate.error") or ""
    failures.check(checks.get("plug-in-pictor-generate.status") == "execution-error",
                   f"the call did not fail: {checks.get('plug-in-pictor-generate.status')}")
    failures.check(server_message in error, f"the procedure's error does not carry the server's message: {error!r}")
    failures.check(checks.get("layers") == ["Background"], f"layers changed: {checks.get('layers')}")
    sent = env.mock.image_requests()
    failures.check([r.get("status") for r in sent] == [400],
                   f"expected one refused request, the mock saw {[r.get('status') for r in sent]}")


# Reference layers of distinct widths, so the order of the uploaded parts shows in their sizes.
REFERENCES = (("reference-a.png", 120), ("reference-b.png", 140), ("hidden.png", 160))


def edit_setup(env):
    source, _ = write_pattern(env.work, "scene.png", 400, 300, 7)
    lines = [f"img = load({source!r})", "base = img.get_layers()[0]"]
    for i, (name, width) in enumerate(REFERENCES):
        path, _ = write_pattern(env.work, name, width, 90, 8 + i)
        lines.append(f"ref{i} = load_layer(img, {path!r})")
    lines.append("ref2.set_visible(False)")
    return "\n".join(lines) + "\n"


def check_edit_result(env, checks, expected_widths, failures):
    failures.check(checks.get("plug-in-pictor-edit.status") == "success",
                   f"edit failed: {checks.get('plug-in-pictor-edit.error')}")
    names = checks.get("layers") or []
    failures.check(len(names) == 5, f"expected 5 layers, got {names}")
    failures.check(bool(names) and names[0].startswith("Pictor: make it snow"),
                   f"the result is not on top of the stack: {names}")
    failures.check(checks.get("layer0.visible") is True, "the result layer is hidden")
    failures.check(checks.get("layer0.rect") == [0, 0, 400, 300],
                   f"the result's rect is {checks.get('layer0.rect')}, expected the canvas")
    failures.check(names[-1:] == ["Background"], f"the edited layer moved: {names}")
    history = env.history_images()
    failures.check(len(history) == 1, f"expected 1 image in history, found {len(history)}")
    layer_path = os.path.join(env.out, "layer0.png")
    if history and os.path.exists(layer_path):
        failures.check(looks_like_model_image(Image.open(layer_path), history[0]),
                       "the result layer does not hold the image the gateway served")
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    if sent:
        widths = [f.get("width") for f in uploaded_parts(sent[0])]
        failures.check(widths == expected_widths,
                       f"images uploaded in the order of widths {widths}, expected {expected_widths}")
        failures.check(not uploaded_parts(sent[0], ("mask",)), "a mask was sent without a selection")


def scenario_edit_selected_references(env, failures):
    """GIMP 3 can select several layers: the first is edited, the others are references in the
    order given (here b, then the hidden one, then a)."""
    checks = env.run_gimp(edit_setup(env) + f"""
run_pictor("plug-in-pictor-edit", img, [base, ref1, ref2, ref0], prompt="make it snow",
           size="canvas", quality="low")
describe_layers(img, {env.out!r})
""", env.mock.base_url())
    check_edit_result(env, checks, [400, 140, 160, 120], failures)


def scenario_edit_visible_references(env, failures):
    """One drawable: the other visible layers are the references, top first."""
    checks = env.run_gimp(edit_setup(env) + f"""
run_pictor("plug-in-pictor-edit", img, [base], prompt="make it snow", size="canvas", quality="low")
describe_layers(img, {env.out!r})
""", env.mock.base_url())
    # Stack top first: hidden (not visible), reference-b, reference-a, scene.
    check_edit_result(env, checks, [400, 140, 120], failures)


def scenario_script_fu_keywords(env, failures):
    """Script-Fu in GIMP 3 calls procedures with keyword arguments; `profile` is optional."""
    source, _ = write_pattern(env.work, "photo.png", 240, 180, 10)
    out = os.path.join(env.out, "flat.png")
    checks = env.run_gimp(f"""
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE "{source}")))
       (base (vector-ref (car (gimp-image-get-layers img)) 0))
       (made (plug-in-pictor-generate #:run-mode RUN-NONINTERACTIVE #:image img
               #:drawables (vector base) #:prompt "a green kite" #:size "1024x1024"
               #:quality "low" #:variations 1 #:profile "apiyi")))
  (gimp-message (string-append "PICTOR-CHECK layers=" (number->string (vector-length (car (gimp-image-get-layers img))))))
  (gimp-image-flatten img)
  (gimp-file-save RUN-NONINTERACTIVE img "{out}"))
""", env.mock.base_url(profile="apiyi"), interpreter="plug-in-script-fu-eval", profile="openai")
    failures.check(checks.get("exit") == 0, f"the Script-Fu batch failed (exit {checks.get('exit')})")
    failures.check(checks.get("layers") == 2, f"expected 2 layers, got {checks.get('layers')}")
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1, f"expected 1 request, the mock got {len(sent)}")
    # The profile argument wins over PICTOR_PROFILE: apiyi never sends n.
    if sent:
        body = sent[0].get("json") or {}
        failures.check(sent[0].get("profile") == "apiyi" and body.get("prompt") == "a green kite",
                       f"unexpected request: {sent[0].get('profile')} {body}")
    failures.check(os.path.exists(out), "the Script-Fu batch did not save its image")


def scenario_settings_and_key_source(env, failures):
    """A GIMP started from the desktop has no PICTOR_API_KEY: the settings procedure stores the
    key (no D-Bus session here, so in the config file, mode 0600) and the default profile; a
    command then works with neither in the environment. A key in the environment is reported as
    overriding the stored one."""
    key_file = os.path.join(env.work, "key.txt")
    with open(key_file, "w") as f:
        f.write(CANARY_KEY + "\n")
    source, _ = write_pattern(env.work, "photo.png", 200, 150, 12)
    config_file = os.path.join(env.home, ".config", "pictor", "config.json")
    settings_call = """
proc = Gimp.get_pdb().lookup_procedure("plug-in-pictor-settings")
cfg = proc.create_config()
cfg.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
cfg.set_property("key-file", {key_file!r})
cfg.set_property("default-profile", {profile!r})
res = proc.run(cfg)
check("settings.status", res.index(0).value_nick)
check("settings.values", [str(res.index(i)) for i in range(1, res.length())])
"""
    checks = env.run_gimp(settings_call.format(key_file=key_file, profile="apiyi") + f"""
img = load({source!r})
run_pictor("plug-in-pictor-generate", img, img.get_layers(), prompt="a stored key", size="1024x1024",
           quality="", variations=1)
""", env.mock.base_url(profile="apiyi"), key=None, profile=None)
    failures.check(checks.get("settings.status") == "success", f"the settings procedure failed: {checks}")
    source_of_key, stored_in, profile = (checks.get("settings.values") or ["", "", ""])[:3]
    failures.check(stored_in == config_file, f"the key was stored in {stored_in!r}, expected {config_file}")
    failures.check(config_file in source_of_key, f"the key in use is said to come from {source_of_key!r}")
    failures.check(profile == "apiyi", f"the profile in use is {profile!r} after choosing apiyi")
    if failures.check(os.path.exists(config_file), "no config file was written"):
        failures.check(os.stat(config_file).st_mode & 0o777 == 0o600,
                       f"the config file has mode {oct(os.stat(config_file).st_mode & 0o777)}, not 0600")
        failures.check(json.load(open(config_file)).get("profile") == "apiyi",
                       "the config file does not name apiyi as the default profile")
    failures.check(checks.get("plug-in-pictor-generate.status") == "success",
                   f"generate with the stored key failed: {checks.get('plug-in-pictor-generate.error')}")
    sent = env.mock.image_requests()
    failures.check([(r.get("profile"), r.get("status")) for r in sent] == [("apiyi", 200)],
                   f"expected one accepted apiyi request, the mock saw "
                   f"{[(r.get('profile'), r.get('status')) for r in sent]}")
    # The environment wins over the stored key, and the settings say so.
    checks = env.run_gimp(settings_call.format(key_file="", profile=""), env.mock.base_url(profile="apiyi"),
                          key="sk-pictor-environment-key-7f3a", profile=None)
    source_of_key = (checks.get("settings.values") or [""])[0]
    failures.check("PICTOR_API_KEY" in source_of_key,
                   f"with PICTOR_API_KEY set, the key in use is said to come from {source_of_key!r}")
    env.allowed_key_files = (config_file,)


# Under xvfb-run: GIMP's core headless, the plug-in's dialog on the virtual display. Without a
# window manager keys do not reach the dialog, so OK is clicked by its position (bottom right).
DIALOG_SHOT = r"""
gimp-console-3.0 -i -d -f --batch-interpreter=python-fu-eval -b "$PICTOR_BATCH" --quit > "$PICTOR_LOG" 2>&1 &
gimp=$!
wid=
for i in $(seq 1 240); do
  wid=$(xdotool search --onlyvisible --name "$PICTOR_TITLE" 2>/dev/null | head -1)
  [ -n "$wid" ] && break
  sleep 0.25
done
if [ -z "$wid" ]; then echo "no dialog window named $PICTOR_TITLE"; kill $gimp; wait $gimp; exit 1; fi
sleep 2  # let GTK finish drawing
import -window "$wid" "$PICTOR_SHOT"
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove $((X + WIDTH - 50)) $((Y + HEIGHT - 30)) click 1
wait $gimp
"""


def scenario_interactive_dialog(env, failures):
    """The Generate dialog in INTERACTIVE mode under Xvfb, twice with prompts of equal length:
    each screenshot shows the dialog; they differ only in a small region (the prompt field shows
    the text); OK sends the prompt the dialog showed and adds the layer; a repeat
    (RUN-WITH-LAST-VALS) sends the same values again."""
    source, _ = write_pattern(env.work, "canvas.png", 256, 192, 11)
    shots = []
    prompts = ("aaaa aaaa aaaa aaaa", "wwww wwww wwww wwww")
    for i, prompt in enumerate(prompts):
        script = os.path.join(env.work, f"interactive-{i}.py")
        with open(script, "w") as f:
            f.write(PYTHON_PRELUDE + f"""
img = load({source!r})
run_pictor("plug-in-pictor-generate", img, img.get_layers(), mode=Gimp.RunMode.INTERACTIVE,
           prompt={prompt!r}, size="1024x1024", quality="low", variations=1)
# Filters > Repeat: the values the dialog was accepted with, whatever the call passes.
run_pictor("plug-in-pictor-generate", img, img.get_layers(), mode=Gimp.RunMode.WITH_LAST_VALS,
           prompt="ignored", size="auto", quality="high", variations=3)
check("layers", [l.get_name() for l in img.get_layers()])
""")
        shot = os.path.join(env.out, f"dialog-{i}.png")
        log = os.path.join(env.work, f"interactive-{i}.log")
        env_vars = env.environment(env.mock.base_url())
        # A fresh GIMP profile each time: no remembered prompt from the previous run.
        env_vars["GIMP3_DIRECTORY"] = os.path.join(env.work, f"gimp-profile-{i}")
        env_vars.update(PICTOR_BATCH=f"exec(open({script!r}).read())", PICTOR_LOG=log,
                        PICTOR_SHOT=shot, PICTOR_TITLE="Pictor: Generate")
        done = subprocess.run(["timeout", "240", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                               "bash", "-c", DIALOG_SHOT], env=env_vars, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=260, cwd=env.work)
        output = done.stdout.decode("utf-8", "replace")
        env.gimp_output += output + (open(log).read() if os.path.exists(log) else "")
        failures.check(done.returncode == 0, f"interactive run {i} failed ({done.returncode}): {output[-500:]}")
        failures.check("PICTOR-CHECK plug-in-pictor-generate.status=\"success\"" in env.gimp_output,
                       f"interactive run {i}: OK did not run the request")
        if failures.check(os.path.exists(shot), f"no screenshot of dialog {i}"):
            shots.append(Image.open(shot).convert("RGB"))
    with open(os.path.join(env.work, "gimp-output.txt"), "w") as f:
        f.write(env.gimp_output)
    if len(shots) == 2:
        a, b = shots
        failures.check(a.size == b.size and a.size[0] >= 300 and a.size[1] >= 200,
                       f"the dialogs are {a.size} and {b.size}: not the same, or too small to be the dialog")
        failures.check(len(a.getcolors(1 << 16) or range(1 << 16)) > 8, "the dialog screenshot is blank")
        if a.size == b.size:
            box = ImageChops.difference(a, b).getbbox()
            area = (box[2] - box[0]) * (box[3] - box[1]) if box else 0
            failures.check(box is not None, "the two dialogs look the same: the prompt is not shown")
            failures.check(area < a.size[0] * a.size[1] // 4,
                           f"the dialogs differ over {area} px: more than the prompt field")
    sent = [(r.get("json") or {}) for r in env.mock.image_requests()]
    expected = [(p, "1024x1024", "low") for p in prompts for _ in (0, 1)]
    failures.check([(b.get("prompt"), b.get("size"), b.get("quality")) for b in sent] == expected,
                   f"the dialog runs and their repeats sent {sent}, expected {expected}")
    failures.check(len(env.history_images()) == 4, "each dialog run and its repeat did not keep an image")


def scenario_history_insert(env, failures):
    """plug-in-pictor-history from Python-Fu: an entry found by its prompt inserted as a layer at
    its own size (its pixels exactly the history file's, as PIL reads it) and fitted to the canvas
    (the quadrants where the scaling puts them); a generated image found again the same way."""
    canvas, _ = write_pattern(env.work, "canvas.png", 400, 300, 3)
    lighthouse = write_history_entry(env.history, "20260101-120000-abcdef-1", "a green lighthouse",
                                     quadrant_image(300, 200))
    body = f"""
img = load({canvas!r})
run_pictor("plug-in-pictor-generate", img, [img.get_layers()[0]], prompt="a red umbrella",
           size="1024x1024", quality="low", variations=1)
"""
    for name, entry, fit in (("own", "LIGHTHOUSE", False), ("fit", "lighthouse", True),
                             ("umbrella", "red umbrella", False), ("missing", "a submarine", False)):
        body += f"""
img = load({canvas!r})
returned = run_pictor("plug-in-pictor-history", img, [img.get_layers()[0]], entry={entry!r},
                      fit_to_canvas={fit})
check({name + ".layers"!r}, [l.get_name() for l in img.get_layers()])
check({name + ".returned"!r}, [l.get_name() for l in returned or []])
if returned:
    check({name + ".rect"!r}, rect(returned[0]))
    export_layer(returned[0], {os.path.join(env.out, name + ".png")!r})
    flatten_and_save(img, {os.path.join(env.out, name + "-flat.png")!r})
"""
    checks = env.run_gimp(body, env.mock.base_url())
    failures.check(checks.get("plug-in-pictor-generate.status") == "success",
                   f"generate failed: {checks.get('plug-in-pictor-generate.error')}")
    for name, layer_name in (("own", "Pictor: a green lighthouse"), ("fit", "Pictor: a green lighthouse"),
                             ("umbrella", "Pictor: a red umbrella")):
        failures.check(checks.get(f"{name}.layers") == [layer_name, "Background"],
                       f"{name}: layers {checks.get(name + '.layers')}")
        failures.check(checks.get(f"{name}.returned") == [layer_name],
                       f"{name}: the procedure returned {checks.get(name + '.returned')}")
    rects = {name: tuple(checks.get(f"{name}.rect") or ()) for name in ("own", "fit", "umbrella")}
    check_history_inserts(env.out, canvas, lighthouse, [p for p in env.history_images() if p != lighthouse], rects,
                          failures)
    missing = checks.get("plug-in-pictor-history.error", "")
    failures.check("No image in Pictor's history matches" in missing and "a submarine" in missing,
                   f"an entry that is not there: {missing!r}")
    failures.check(checks.get("missing.layers") == ["Background"], f"a layer was added for a missing entry: {checks.get('missing.layers')}")
    failures.check(len(env.mock.image_requests()) == 1, "inserting from history sent a request")


def scenario_killed_mid_request(env, failures):
    """GIMP kills the plug-in when the user cancels its progress: kill -9 of the plug-in while its
    request waits. The request goes on in pictor-request-runner (found beside the installed
    libpictor): within the route's wait its image is in history, marked not yet delivered, and
    no runner is left."""
    source, _ = write_pattern(env.work, "canvas.png", 320, 240, 1)
    plugins = glob.glob("/usr/lib/*/gimp/3.0/plug-ins/pictor/pictor") + glob.glob("/usr/lib/gimp/3.0/plug-ins/pictor/pictor")
    runners = glob.glob("/usr/lib/*/pictor/pictor-request-runner") + glob.glob("/usr/lib/pictor/pictor-request-runner")
    if not failures.check(len(plugins) == 1 and len(runners) == 1,
                          f"the installed plug-in and runner: {plugins}, {runners}"):
        return
    plugin, runner = os.path.realpath(plugins[0]), os.path.realpath(runners[0])
    checks = env.run_gimp(f"""
img = load({source!r})
run_pictor("plug-in-pictor-generate", img, [img.get_layers()[0]], prompt="a slow lighthouse", size="1024x1024",
           quality="low", variations=1)
""", env.mock.base_url("openai", "delay=8"),
        during=lambda: kill_plugin_mid_request(env.mock, plugin, runner, env.home, failures))
    failures.check(checks.get("plug-in-pictor-generate.status") not in (None, "success"),
                   f"the killed procedure did not fail: {checks.get('plug-in-pictor-generate.status')}")
    check_undelivered_image_arrives(env.history, runner, env.home, 15, failures)


def scenario_arrivals_batch_notice(env, failures):
    """An image that arrived while GIMP was away (the CLI killed mid-request): the next Pictor
    command run from a script says so in a GIMP message naming its id (no dialog: batch runs
    never wait); a script inserts it by that id with its exact pixels, which clears its mark; the
    next command says nothing more."""
    cli = "/usr/bin/pictor"
    entry = make_arrived_image(cli, env.mock, env.environment(env.mock.base_url()), "a lighthouse in fog")
    canvas, _ = write_pattern(env.work, "canvas.png", 320, 240, 4)
    generate = """
img = load({canvas!r})
run_pictor("plug-in-pictor-generate", img, [img.get_layers()[0]], prompt="a red umbrella",
           size="1024x1024", quality="low", variations=1)
check("stage", {stage!r})
"""
    checks = env.run_gimp(generate.format(canvas=canvas, stage="first-done") + f"""
img = load({canvas!r})
returned = run_pictor("plug-in-pictor-history", img, [img.get_layers()[0]], entry={entry["id"]!r},
                      fit_to_canvas=False)
if returned:
    check("own.rect", rect(returned[0]))
    check("own.name", returned[0].get_name())
    export_layer(returned[0], {os.path.join(env.out, "own.png")!r})
""" + generate.format(canvas=canvas, stage="second-done"), env.mock.base_url())
    failures.check(checks.get("plug-in-pictor-generate.status") == "success" and checks.get("stage") == "second-done",
                   f"generate failed: {checks.get('plug-in-pictor-generate.error')}")
    failures.check(checks.get("plug-in-pictor-history.status") == "success",
                   f"inserting the arrived image failed: {checks.get('plug-in-pictor-history.error')}")
    output = env.gimp_output
    told = output[:output.find('PICTOR-CHECK stage="first-done"')]
    failures.check(ARRIVED_ONE in told, f"the first command did not say {ARRIVED_ONE!r}")
    failures.check(entry["id"] in told and "plug-in-pictor-history" in told,
                   "the message does not name the arrived image's id and how a script inserts it")
    failures.check(output.count("arrived while you were away") == 1,
                   "the notice was repeated after the arrived image was inserted")
    failures.check(checks.get("own.name") == "Pictor: a lighthouse in fog", f"the layer is named {checks.get('own.name')!r}")
    failures.check(tuple(checks.get("own.rect") or ()) == (0, 0, 1024, 1024),
                   f"the arrived image's layer rect is {checks.get('own.rect')}, not its own size")
    own = os.path.join(env.out, "own.png")
    if failures.check(os.path.exists(own), "the arrived image's layer was not exported"):
        failures.check(same_pixels(Image.open(own), Image.open(entry["image_path"])),
                       "the inserted layer's pixels are not the arrived image's")
    listed = {e["id"]: e for e in history_json(cli, env.environment(env.mock.base_url()))}
    failures.check(listed.get(entry["id"], {}).get("delivered") is not False,
                   "the arrived image is still marked not yet delivered after it was inserted")
    failures.check(len(env.mock.image_requests()) == 3, "expected the CLI's request and two generates")


# ---- model choice, upload quality, edit with markup -----------------------------------------

# Each call's outcome under its own key (run_pictor's keys are the procedure's, the last call's).
ATTEMPT = """
def attempt(key, name, img, drawables, **args):
    layers = run_pictor(name, img, drawables, **args)
    check(key, "none" if layers else "failed")
"""


def scenario_model_by_argument(env, failures):
    """The model argument (appended after profile) with a quality only it has and its complexity
    reach the server; the same quality on the default model is refused before sending."""
    write_newer_model_profile(env.home)
    source, _ = write_pattern(env.work, "canvas.png", 320, 240, 1)
    checks = env.run_gimp(ATTEMPT + f"""
img = load({source!r})
base = img.get_layers()[0]
attempt("newer", "plug-in-pictor-generate", img, [base], prompt="a red umbrella", size="1024x1024",
        quality="xhigh", variations=1, model={NEWER_MODEL!r}, complexity="high")
attempt("default", "plug-in-pictor-generate", img, [base], prompt="a red umbrella", size="1024x1024",
        quality="xhigh", variations=1)
""", env.mock.base_url())
    failures.check(checks.get("newer") == "none", "generate with the newer model failed")
    failures.check(checks.get("default") == "failed", "xhigh on the default model was not refused")
    failures.check("xhigh" in str(checks.get("plug-in-pictor-generate.error")),
                   f"the refusal does not name the quality: {checks.get('plug-in-pictor-generate.error')!r}")
    bodies = [r.get("json") or {} for r in env.mock.image_requests()]
    failures.check(len(bodies) == 1, f"expected 1 request (the refused one is never sent), got {len(bodies)}")
    if bodies:
        got = {k: bodies[0].get(k) for k in ("model", "quality", "complexity")}
        failures.check(got == {"model": NEWER_MODEL, "quality": "xhigh", "complexity": "high"},
                       f"the server got {got}")


def scenario_upload_quality_fast(env, failures):
    """upload-quality "fast" sends an opaque layer as JPEG; "" (the saved setting, lossless by
    default) as PNG."""
    source, _ = write_pattern(env.work, "photo.png", 400, 300, 4)
    checks = env.run_gimp(ATTEMPT + f"""
img = load({source!r})
base = img.get_layers()[0]
base.set_visible(True)
attempt("fast", "plug-in-pictor-edit", img, [base], prompt="make it snow", size="canvas", quality="low",
        upload_quality="fast")
attempt("default", "plug-in-pictor-edit", img, [base], prompt="make it snow", size="canvas", quality="low")
""", env.mock.base_url())
    failures.check(checks.get("fast") == "none" and checks.get("default") == "none",
                   f"an edit failed: {checks.get('plug-in-pictor-edit.error')}")
    sent = env.mock.image_requests()
    check_upload_formats(sent, [["jpeg"], ["png"]], failures)


def scenario_edit_with_markup(env, failures):
    """plug-in-pictor-edit-with-markup: the markup layer arrives as the part "markup" at the first
    image's size with alpha, where it was drawn; refused with a selection, or on a model whose
    entry takes no markup, before anything is sent."""
    write_newer_model_profile(env.home)
    source, _ = write_pattern(env.work, "scene.png", 400, 300, 7)
    checks = env.run_gimp(ATTEMPT + f"""
from gi.repository import Gegl as _G
img = load({source!r})
base = img.get_layers()[0]
arrows = Gimp.Layer.new(img, "arrows", 200, 100, Gimp.ImageType.RGBA_IMAGE, 100, Gimp.LayerMode.NORMAL)
img.insert_layer(arrows, None, 0)
arrows.set_offsets(50, 40)
arrows.fill(Gimp.FillType.TRANSPARENT)
Gimp.context_set_foreground(_G.Color.new("red"))
img.select_rectangle(Gimp.ChannelOps.REPLACE, 60, 80, 100, 20)
arrows.edit_fill(Gimp.FillType.FOREGROUND)
args = dict(prompt="turn this into a river", markup_layer=arrows, size="canvas", quality="low")
attempt("selected", "plug-in-pictor-edit-with-markup", img, [base], model={NEWER_MODEL!r}, **args)
Gimp.Selection.none(img)
attempt("no-markup", "plug-in-pictor-edit-with-markup", img, [base], **args)
attempt("markup", "plug-in-pictor-edit-with-markup", img, [base], model={NEWER_MODEL!r}, **args)
check("layer-count", len(img.get_layers()))
""", env.mock.base_url())
    out = env.gimp_output
    failures.check(checks.get("selected") == "failed", "a markup edit with a selection was not refused")
    failures.check(checks.get("no-markup") == "failed", "a markup edit on a model without markup was not refused")
    failures.check(checks.get("markup") == "none", f"edit with markup failed: {checks.get('plug-in-pictor-edit-with-markup.error')}")
    failures.check("remove the selection" in out, "the selection refusal does not say what to do")
    failures.check("takes no markup" in out, "the model refusal does not say the model takes no markup")
    failures.check(checks.get("layer-count") == 3, f"expected 3 layers, got {checks.get('layer-count')}")
    sent = env.mock.image_requests()
    failures.check(len(sent) == 1, f"expected 1 request (the refused ones never sent), got {len(sent)}")
    if sent:
        check_markup_request(env.mock, sent[0], (400, 300), (100, 90), [(100, 60), (10, 10)], failures)


SCENARIOS = {
    "generate_two_variations": scenario_generate_two_variations,
    "inpaint_ellipse_selection": scenario_inpaint_ellipse_selection,
    "inpaint_offset_layer": scenario_inpaint_offset_layer,
    "inpaint_without_selection": scenario_inpaint_without_selection,
    "moderation_block": scenario_moderation_block,
    "edit_selected_references": scenario_edit_selected_references,
    "edit_visible_references": scenario_edit_visible_references,
    "script_fu_keywords": scenario_script_fu_keywords,
    "interactive_dialog": scenario_interactive_dialog,
    "settings_and_key_source": scenario_settings_and_key_source,
    "history_insert": scenario_history_insert,
    "killed_mid_request": scenario_killed_mid_request,
    "arrivals_batch_notice": scenario_arrivals_batch_notice,
    "model_by_argument": scenario_model_by_argument,
    "upload_quality_fast": scenario_upload_quality_fast,
    "edit_with_markup": scenario_edit_with_markup,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    if not shutil.which(GIMP, path="/usr/bin:/bin"):
        print(f"{GIMP} is not installed here: run this inside the chroot of tests/host/gimp3/trixie_chroot.sh")
        return 1 if os.environ.get("CI") == "true" else 77
    env = Environment(args)
    failures = Failures()
    try:
        env.mock.start()
        SCENARIOS[args.scenario](env, failures)
        check_no_key_anywhere(env.home, env.gimp_output, failures, allowed=env.allowed_key_files)
    finally:
        env.mock.stop()
    return report_outcome(args.scenario, failures, GIMP, os.path.join(env.work, "gimp-output.txt"),
                          env.gimp_output)

if __name__ == "__main__":
    sys.exit(main())
