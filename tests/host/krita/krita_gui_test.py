#!/usr/bin/python3
"""The Pictor docker in Krita's GUI under Xvfb, against the mock gateway.

    krita_gui_test.py --build-dir DIR --work-dir DIR [--cmake CMAKE]

Installs the plug-in the README's per-user way into a private HOME, enables it the way Krita's
Python Plugin Manager does (kritarc: [python] enable_pictor_krita=true), adds a test-only probe
plug-in (gui_probe/), and starts `krita` under xvfb-run. The probe opens a document, finds the
docker, presses its Generate button, and writes screenshots and result.json, then quits Krita.
Here: the docker is there with its commands, libpictor was found without environment
variables (its profiles are listed), Generate showed a preview layer while the route streamed
and then added one layer, the screenshots are real, and the key is in no file Krita wrote.
Exit status: 0 passed, 1 failed, 77 skipped (krita or xvfb-run missing and CI is not true).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from host_test_support import (CANARY_KEY, Failures, MockGateway, check_no_key_anywhere,  # noqa: E402
                               history_images, pattern_image, report_outcome, same_pixels)
from krita_host_test import bgra, missing_host, mock_rgba  # noqa: E402

KRITA_TIMEOUT_S = 240
MOCK_GATEWAY = os.path.join(HERE, "..", "..", "mock_gateway", "mock_gateway.py")
# As the probe types them.
PROMPT, EDIT_PROMPT, CANCEL_PROMPT = "a paper boat on a pond", "make it snow", "a slow lighthouse"
SLOW_S = 60  # the gateway's delay when the probe presses Cancel, 3 s after Generate
# The key the probe pastes in the docker's key field and stores: then only in the config file.
STORED_KEY = "sk-pictor-krita-stored-7c41e09b"


def check_edit(result, edits, mock, references, failures):
    """Edit with layers from the docker: the active layer (Background, white), then the layers
    selected in the Layers docker, top first; the result directly above the active layer."""
    failures.check(result.get("edit_active") == "Background", f"the active layer was {result.get('edit_active')}")
    failures.check(result.get("edit_layers") == ["ref-top", "ref-mid", "Pictor: " + EDIT_PROMPT, "Background"],
                   f"after Edit with layers the stack is {result.get('edit_layers')} "
                   f"(status: {result.get('edit_status')!r})")
    if not failures.check(len(edits) == 1, f"expected one edits request, the mock got {len(edits)}"):
        return
    parts = [f for f in edits[0].get("files") or [] if f["name"] in ("image", "image[]")]
    expected = [("Background", Image.new("RGBA", (640, 480), (255, 255, 255, 255)))] + \
               [(name, image) for name, image, _ in reversed(references)]
    failures.check(len(parts) == len(expected), f"{len(parts)} images were sent, expected {len(expected)}")
    for (name, image), part in zip(expected, parts):
        failures.check(same_pixels(mock_rgba(mock, part["fetch"]), image),
                       f"image[] #{part.get('index')} is not {name}'s pixels")
    failures.check(not any(f["name"] == "mask" for f in edits[0].get("files") or []),
                   "a mask was sent without a selection")


def check_cancel(result, requests, failures):
    """Cancel while the model paints: the docker stops waiting at once, says the request may
    still be billed, and adds nothing."""
    waiting = result.get("cancel_status_while_waiting") or ""
    failures.check("painting" in waiting, f"3 s after Generate the docker said {waiting!r}, not the waiting phase")
    seconds = result.get("cancel_seconds") or SLOW_S
    failures.check(seconds < 3 + 5, f"after Cancel the docker waited until {seconds:.1f} s")
    failures.check((result.get("cancel_status") or "").count("may still be billed") == 1,
                   f"the cancelled command's message does not say once that it may still be billed: "
                   f"{result.get('cancel_status')!r}")
    failures.check(result.get("cancel_layers") == result.get("edit_layers"),
                   f"Cancel changed the layers: {result.get('cancel_layers')}")
    slow = [r for r in requests if (r.get("json") or {}).get("prompt") == CANCEL_PROMPT]
    failures.check(len(slow) == 1, f"the cancelled request reached the mock {len(slow)} times")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--cmake", default="cmake")
    args = parser.parse_args()
    missing = [t for t in ("krita", "xvfb-run", "Xvfb") if not shutil.which(t, path="/usr/bin:/bin")]
    if missing:
        return missing_host(", ".join(missing), "Debian: apt-get install krita python3-pyqt5 xvfb")

    work = os.path.abspath(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    home, out = os.path.join(work, "home"), os.path.join(work, "out")
    pykrita = os.path.join(home, ".local", "share", "krita", "pykrita")
    config = os.path.join(home, ".config")
    history = os.path.join(home, ".local", "share", "pictor", "history")
    os.makedirs(out)
    os.makedirs(config)
    subprocess.run([args.cmake, "--install", args.build_dir, "--component", "krita", "--prefix", pykrita],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(os.path.join(HERE, "gui_probe"), pykrita, dirs_exist_ok=True)
    # The layers the probe adds for Edit with layers, bottom first (pixels made here, by PIL).
    references = [("ref-mid", pattern_image(100, 80, 12), [300, 200, 100, 80]),
                  ("ref-top", pattern_image(120, 90, 11), [20, 30, 120, 90])]
    for name, image, _ in references:
        with open(os.path.join(out, name + ".bgra"), "wb") as f:
            f.write(bgra(image))
    with open(os.path.join(out, "references.json"), "w") as f:
        json.dump([{"name": n, "file": n + ".bgra", "rect": r} for n, _, r in references], f)
    with open(os.path.join(config, "kritarc"), "w") as f:
        # What Settings > Configure Krita > Python Plugin Manager writes when both are ticked.
        f.write("[python]\nenable_pictor_krita=true\nenable_pictor_gui_probe=true\n")

    failures = Failures()
    mock = MockGateway(MOCK_GATEWAY, work, python="/usr/bin/python3")
    output = ""
    try:
        mock.start()
        env = {
            "PATH": "/usr/bin:/bin", "HOME": home, "XDG_CONFIG_HOME": config,
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "XDG_RUNTIME_DIR": os.path.join(work, "runtime"), "LANG": "C.UTF-8",
            # A second between streamed events, so the preview layer is there long enough to see.
            "PICTOR_API_KEY": CANARY_KEY, "PICTOR_BASE_URL": mock.base_url(scenario_segment="sse_delay=1"),
            "PICTOR_PROFILE": "openai", "PICTOR_HISTORY_DIR": history,
            "PICTOR_GUI_PROBE_DIR": out, "PICTOR_GUI_PROBE_KEY": STORED_KEY,
            "PICTOR_GUI_PROBE_SLOW_URL": mock.base_url(scenario_segment=f"delay={SLOW_S}"),
        }
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
        started = time.time()
        done = subprocess.run(["timeout", str(KRITA_TIMEOUT_S), "xvfb-run", "-a", "-s",
                               "-screen 0 1600x1000x24", "krita", "--nosplash"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=work)
        output = done.stdout.decode("utf-8", "replace")
        with open(os.path.join(work, "krita-output.txt"), "w") as f:
            f.write(output)
        print(f"krita ran {time.time() - started:.1f} s, exit status {done.returncode}")

        result_path = os.path.join(out, "result.json")
        if not failures.check(os.path.exists(result_path), "the probe wrote no result.json: the "
                              "plug-ins were not loaded or Krita's window never came up"):
            raise StopIteration
        result = json.load(open(result_path))
        failures.check(not result.get("probe_error"), f"the probe failed: {result.get('probe_error')}")
        failures.check(result.get("plugin_imported") is True, "Krita did not import pictor_krita")
        failures.check(result.get("docker_found") is True, "no dock widget titled \"Pictor\"")
        for label in ("Generate", "Inpaint selection", "Edit with layers", "Cancel", "Insert as layer", "Store"):
            failures.check(label in (result.get("buttons") or []), f"the docker has no \"{label}\" button")
        installed = sorted(f[:-5] for f in os.listdir(os.path.join(pykrita, "pictor_krita", "share",
                                                                   "pictor", "profiles")))
        failures.check(sorted(result.get("profiles") or []) == installed,
                       f"the docker lists the profiles {result.get('profiles')}, not the installed {installed}")
        failures.check(result.get("inpaint_enabled_without_selection") is False,
                       "Inpaint selection is offered without a selection")
        failures.check(result.get("inpaint_enabled_with_selection") is True,
                       "Inpaint selection is not offered with a selection")
        new = [n for n in result.get("layers") or [] if n.startswith("Pictor: " + PROMPT)]
        failures.check(len(new) == 1, f"Generate did not add one layer: {result.get('layers')} "
                                      f"(status: {result.get('status')!r})")
        requests = mock.image_requests()
        sent = [r for r in requests if r.get("endpoint") == "generations" and
                (r.get("json") or {}).get("prompt") != CANCEL_PROMPT]
        failures.check(len(sent) == 1 and (sent[0].get("json") or {}).get("prompt") == PROMPT,
                       f"the mock did not get one generation with the prompt: {len(sent)} request(s)")
        body = (sent[0].get("json") or {}) if sent else {}
        failures.check(body.get("stream") is True and body.get("partial_images") == 2,
                       f"the docker did not ask for previews on a streaming route: {body}")
        failures.check("Pictor: preview" in (result.get("layers_seen_while_waiting") or []),
                       f"no preview layer appeared while waiting: {result.get('layers_seen_while_waiting')}")
        failures.check(not any(n == "Pictor: preview" for n in result.get("layers") or []),
                       "the preview layer is still there after the result arrived")
        check_edit(result, [r for r in requests if r.get("endpoint") == "edits"], mock, references, failures)
        failures.check(len(history_images(history)) == 2, "the two images are not in Pictor's history")
        check_cancel(result, requests, failures)
        # Undo: the history insert, then the generated layer, one step each; no preview returns.
        failures.check(result.get("after_undo") == [["Pictor: " + PROMPT, "Background"], ["Background"],
                                                    ["Background"]],
                       f"three Undo steps left {result.get('after_undo')}, expected the generated "
                       "layer, then the Background alone")
        failures.check((result.get("history_items") or 0) >= 1, "the history strip shows no image")
        failures.check((result.get("cost") or "").startswith("about $"), f"no cost estimate: {result.get('cost')!r}")
        served = [mock_rgba(mock, img["fetch"]) for r in sent for img in r.get("images") or []] if sent else []
        inserted = os.path.join(out, "inserted.bgra")
        failures.check((result.get("inserted") or {}).get("name", "").startswith("Pictor: " + PROMPT[:20]),
                       f"Insert as layer added {result.get('inserted')}")
        if served and os.path.exists(inserted):
            layer = Image.frombytes("RGBA", (1024, 1024), open(inserted, "rb").read(), "raw", "BGRA")
            failures.check(same_pixels(layer.crop((0, 0) + served[0].size), served[0]),
                           "the layer inserted from history is not the image the mock served")
        config_file = os.path.join(config, "pictor", "config.json")
        stored = json.load(open(config_file)).get("api_key") if os.path.exists(config_file) else None
        failures.check(stored == STORED_KEY, "the key pasted in the docker is not in the config file")
        failures.check(config_file in (result.get("key_note") or ""),
                       f"the docker does not say where the key went: {result.get('key_note')!r}")
        failures.check(result.get("key_field_after") == "", "the key stays in the docker's field")
        for name, least in (("docker.png", (150, 300)), ("krita-window.png", (800, 600))):
            path = os.path.join(out, name)
            if failures.check(os.path.exists(path), f"no screenshot {name}"):
                shot = Image.open(path).convert("RGB")
                colours = shot.getcolors(1 << 20)
                failures.check(shot.width >= least[0] and shot.height >= least[1],
                               f"{name} is only {shot.size}")
                failures.check(colours is None or len(colours) > 20, f"{name} is blank ({len(colours)} colours)")
        print(f"screenshots: {os.path.join(out, 'docker.png')}, {os.path.join(out, 'krita-window.png')}")
        check_no_key_anywhere(home, output, failures)
        check_no_key_anywhere(home, output, failures, key=STORED_KEY, allowed=(config_file,))
    except StopIteration:
        pass
    finally:
        mock.stop()
    return report_outcome("krita_gui_docker", failures, "Krita", os.path.join(work, "krita-output.txt"), output)


if __name__ == "__main__":
    sys.exit(main())
