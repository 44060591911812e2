"""Runs inside Krita (kritarunner -s krita_scenario_runner -f run WORK_DIR): builds the document
spec.json describes, makes one pictor_krita.scripting call, and writes what Krita then holds —
the layer stack, every layer's pixels over the canvas, the composite — as raw files plus
result.json. kritarunner exits 0 whatever happens here, so result.json is the verdict; the
driver (krita_host_test.py) judges the pixels with PIL."""

import json
import os
import traceback


def _write(path, data):
    with open(path, "wb") as f:
        f.write(bytes(data))


def _stack_top_first(document):
    out = []

    def walk(nodes, depth):
        for node in reversed(nodes):
            out.append(node)
            walk(node.childNodes(), depth + 1)

    walk(document.rootNode().childNodes(), 0)
    return out


def _selection_summary(document):
    s = document.selection()
    return None if s is None else [s.x(), s.y(), s.width(), s.height()]


def run(args):
    """kritarunner passes its arguments as one tuple: (WORK_DIR,)."""
    work = args[0]
    result = {"finished": False}
    try:
        _run(work, result)
        result["finished"] = True
    except Exception:  # the driver reports it
        result["harness_error"] = traceback.format_exc()
    with open(os.path.join(work, "result.json"), "w") as f:
        json.dump(result, f, indent=1)


def _run(work, result):
    from krita import Krita, Selection
    spec = json.load(open(os.path.join(work, "spec.json")))
    w, h = spec["canvas"]
    app = Krita.instance()
    doc = app.createDocument(w, h, "pictor-test", spec.get("color_model", "RGBA"),
                             spec.get("depth", "U8"), "", 72.0)
    root = doc.rootNode()
    nodes = {}
    background = root.childNodes()[0]
    previous = None
    for i, layer in enumerate(spec["layers"]):  # bottom first
        node = background if i == 0 else doc.createNode(layer["name"], "paintlayer")
        node.setName(layer["name"])
        if i:
            root.addChildNode(node, previous)
        x, y, lw, lh = layer["rect"]
        node.setPixelData(open(os.path.join(work, layer["file"]), "rb").read(), x, y, lw, lh)
        node.setVisible(layer.get("visible", True))
        nodes[layer["name"]] = node
        previous = node
    doc.setActiveNode(nodes[spec["active"]])
    if spec.get("selection"):
        sel = Selection()
        sel.resize(w, h)
        sel.setPixelData(open(os.path.join(work, spec["selection"]), "rb").read(), 0, 0, w, h)
        doc.setSelection(sel)
    doc.refreshProjection()
    doc.waitForDone()
    result["selection_before"] = _selection_summary(doc)

    call = spec["call"]
    kwargs = dict(call.get("kwargs", {}))
    # Without a view Krita keeps no active layer: name it, as a kritarunner script must.
    kwargs["layer"] = nodes[spec["active"]]
    if "references" in call:
        kwargs["references"] = [nodes[n] for n in call["references"]]
    # Imported here: the package must import without side effects, and this is where a
    # script would import it.
    from pictor_krita import scripting
    try:
        returned = getattr(scripting, call["fn"])(doc, call["prompt"], **kwargs)
        result["returned"] = [n.name() for n in returned]
        result["error"] = None
    except scripting.PictorError as e:
        result["error"] = str(e)
        result["error_type"] = type(e).__name__
        result["error_kind"] = e.kind
    doc.refreshProjection()
    doc.waitForDone()
    result["selection_after"] = _selection_summary(doc)
    result["active"] = doc.activeNode().name() if doc.activeNode() else None
    stack = []
    # The global selection shows up as a selection mask node: not a layer.
    layers = [n for n in _stack_top_first(doc) if n.type() != "selectionmask"]
    for i, node in enumerate(layers):
        b = node.bounds()
        entry = {"name": node.name(), "type": node.type(),
                 "bounds": [b.x(), b.y(), b.width(), b.height()]}
        if node.type() == "paintlayer":
            entry["file"] = f"layer{i}.bgra"
            _write(os.path.join(work, entry["file"]), node.pixelData(0, 0, w, h))
        stack.append(entry)
    result["stack"] = stack
    _write(os.path.join(work, "flat.bgra"), doc.pixelData(0, 0, w, h))
    doc.close()
