"""Test only (tests/host/krita/krita_gui_test.py): once Krita's window is up, opens a document
and drives the Pictor docker through its widgets against the mock gateway — Generate (with
previews), the history strip, the API key, Undo, Edit with layers, Cancel — recording what
Krita shows in result.json and screenshots in $PICTOR_GUI_PROBE_DIR, then quits Krita."""

import json
import os
import sys
import time
import traceback

from krita import Krita, Selection
from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QDockWidget, QPushButton

OUT = os.environ.get("PICTOR_GUI_PROBE_DIR", "")
PROMPT = "a paper boat on a pond"
EDIT_PROMPT = "make it snow"
CANCEL_PROMPT = "a slow lighthouse"
TIME_LIMIT_S = 200  # then the probe stops waiting and reports what it has
result = {"finished": False}
started = time.time()


def write_and_quit():
    with open(os.path.join(OUT, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    QTimer.singleShot(500, quit_krita)


def quit_krita():
    # As File > Quit does, without the "save changes?" question.
    for doc in Krita.instance().documents():
        doc.setModified(False)
    Krita.instance().action("file_quit").trigger()


def docker():
    window = Krita.instance().activeWindow()
    docks = window.qwindow().findChildren(QDockWidget) if window else []
    return next((d for d in docks if d.windowTitle() == "Pictor"), None)


def document():
    return Krita.instance().activeDocument()


def layer_names(doc):
    """The layers, top first (the global selection's mask node is not one)."""
    return [n.name() for n in reversed(doc.topLevelNodes()) if n.type() != "selectionmask"]


def step(fn):
    """A step of the probe, run from a timer: an exception ends the probe with its traceback."""
    def run():
        try:
            fn()
        except Exception:
            result["probe_error"] = traceback.format_exc()
            write_and_quit()
    return run


def when(done, then, every_ms=100):
    """Runs the step `then` once done() is true (or the time is up), asking every every_ms."""
    @step
    def poll():
        if not done() and time.time() - started < TIME_LIMIT_S:
            QTimer.singleShot(every_ms, poll)
            return
        then()
    poll()


def command_over():
    return docker().run is None


@step
def step_open():
    app = Krita.instance()
    window = app.activeWindow()
    result["plugin_imported"] = "pictor_krita" in sys.modules
    doc = app.createDocument(640, 480, "pictor-gui-test", "RGBA", "U8", "", 72.0)
    window.addView(doc)
    dock = docker()
    result["docker_found"] = dock is not None
    if dock is None:
        return write_and_quit()
    result["docker_visible_at_start"] = dock.isVisible()
    dock.show()  # a new docker may start hidden (Settings > Dockers)
    dock.raise_()
    result["buttons"] = [b.text() for b in dock.findChildren(QPushButton)]
    # The docker's own object (a Python subclass): its widgets are attributes.
    result["profiles"] = [dock.profile_box.itemData(i) for i in range(dock.profile_box.count())]
    QTimer.singleShot(1500, step_generate)


@step
def step_generate():
    dock = docker()
    result["inpaint_enabled_without_selection"] = dock.inpaint_button.isEnabled()
    selection = Selection()
    selection.select(100, 100, 200, 150, 255)
    document().setSelection(selection)  # Generate ignores it; Inpaint selection must now be offered
    dock.prompt.setPlainText(PROMPT)
    dock.generate_button.click()
    result["status_after_click"] = dock.status.text()
    seen = result["layers_seen_while_waiting"] = []

    def watched_until_over():
        seen.extend(n for n in layer_names(document()) if n not in seen)
        return command_over()

    when(watched_until_over, after_generate, 200)


@step
def after_generate():
    dock, doc = docker(), document()
    result["inpaint_enabled_with_selection"] = dock.inpaint_button.isEnabled()
    result["status"] = dock.status.text()
    result["cost"] = dock.cost_label.text()
    result["layers"] = layer_names(doc)
    result["history_items"] = dock.history_list.count()
    # History strip: the newest image, inserted as a layer.
    dock.history_list.setCurrentRow(0)
    dock.insert_button.click()
    inserted = next(n for n in reversed(doc.topLevelNodes()) if n.type() == "paintlayer")
    result["inserted"] = {"name": inserted.name(), "width": doc.width(), "height": doc.height()}
    with open(os.path.join(OUT, "inserted.bgra"), "wb") as f:
        f.write(bytes(inserted.pixelData(0, 0, 1024, 1024)))
    # The key pasted in the docker and stored (no desktop keyring here: the config file).
    dock.key_edit.setText(os.environ.get("PICTOR_GUI_PROBE_KEY", ""))
    dock.key_button.click()
    when(lambda: docker().key_button.isEnabled(), after_key_stored)


@step
def after_key_stored():
    dock = docker()
    result["key_note"] = dock.key_note.text()
    result["key_field_after"] = dock.key_edit.text()
    QTimer.singleShot(1000, step_shoot)


@step
def step_shoot():
    window = Krita.instance().activeWindow().qwindow()
    window.grab().save(os.path.join(OUT, "krita-window.png"))
    docker().grab().save(os.path.join(OUT, "docker.png"))
    QTimer.singleShot(200, step_undo)


@step
def step_undo():
    # Edit > Undo, as the user would: the inserted history layer, the generated one, then the
    # selection the probe made (no preview layer may come back on the way).
    doc = document()
    undo = Krita.instance().action("edit_undo")
    result["after_undo"] = []
    for _ in range(3):
        undo.trigger()
        doc.waitForDone()
        result["after_undo"].append(layer_names(doc))
    QTimer.singleShot(200, step_edit)


@step
def step_edit():
    """Edit with layers: the references are the layers selected in the Layers docker (here all,
    with Select > Select All Layers), sent top first after the active one."""
    app, doc = Krita.instance(), document()
    app.action("deselect").trigger()
    root, background = doc.rootNode(), doc.nodeByName("Background")
    below = background
    for ref in json.load(open(os.path.join(OUT, "references.json"))):  # bottom first
        node = doc.createNode(ref["name"], "paintlayer")
        root.addChildNode(node, below)
        x, y, w, h = ref["rect"]
        node.setPixelData(open(os.path.join(OUT, ref["file"]), "rb").read(), x, y, w, h)
        below = node
    doc.setActiveNode(background)
    doc.waitForDone()
    app.action("select_all_layers").trigger()
    result["edit_selected_layers"] = [n.name() for n in app.activeWindow().activeView().selectedNodes()]
    result["edit_active"] = doc.activeNode().name()
    dock = docker()
    dock.prompt.setPlainText(EDIT_PROMPT)
    dock.edit_button.click()
    when(command_over, after_edit, 200)


@step
def after_edit():
    dock = docker()
    result["edit_status"] = dock.status.text()
    result["edit_layers"] = layer_names(document())
    # Cancel: a gateway that takes long (the client reads the URL when a command starts).
    os.environ["PICTOR_BASE_URL"] = os.environ["PICTOR_GUI_PROBE_SLOW_URL"]
    dock.prompt.setPlainText(CANCEL_PROMPT)
    dock.generate_button.click()
    result["cancel_clicked_at"] = time.time()
    QTimer.singleShot(3000, step_cancel)


@step
def step_cancel():
    dock = docker()
    result["cancel_status_while_waiting"] = dock.status.text()
    dock.cancel_button.click()
    when(command_over, after_cancel)


@step
def after_cancel():
    result["cancel_seconds"] = time.time() - result["cancel_clicked_at"]
    result["cancel_status"] = docker().status.text()
    result["cancel_layers"] = layer_names(document())
    result["finished"] = True
    write_and_quit()


def on_window_created():
    QTimer.singleShot(3000, step_open)


if OUT:
    Krita.instance().notifier().windowCreated.connect(on_window_created)
