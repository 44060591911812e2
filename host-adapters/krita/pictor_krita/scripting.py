"""Pictor from Krita scripts (Scripter, kritarunner):

    from pictor_krita import scripting
    doc = Krita.instance().activeDocument()
    nodes = scripting.generate(doc, "a lighthouse at dusk", size="canvas", quality="low")
    scripting.inpaint(doc, "a red kite")            # the document's selection, on the active layer
    scripting.edit(doc, "make it snow", references=[doc.nodeByName("sketch")])

`layer` (a paint layer node) is the layer worked on and placed above; None: the document's
active layer. Without a window (kritarunner) Krita has no active layer: pass `layer`.
Each call blocks until the image arrived, adds the new layers above the active one and returns
them (bottom first); on failure it raises PictorError with pictor's message, and nothing is
added. The gateway, key and history come from where the command line takes them
(PICTOR_API_KEY, PICTOR_BASE_URL, PICTOR_PROFILE, PICTOR_HISTORY_DIR, the config file, the
keyring). Importing this module does nothing else."""

from .jobs import CommandRun, PictorError

__all__ = ["generate", "inpaint", "edit", "PictorError"]

# How long one dispatch waits for the worker before Krita's events get a turn.
_DISPATCH_MS = 50


def _run(run):
    try:
        from PyQt5.QtCore import QCoreApplication
        app = QCoreApplication.instance()
    except ImportError:
        app = None
    run.start()
    while run.dispatch(_DISPATCH_MS):
        if app is not None:  # Scripter: Krita keeps repainting while the call blocks
            app.processEvents()
    return run.finish()


def generate(document, prompt, size="", quality="", variations=1, profile="", layer=None):
    """New layers from a prompt. size: "" (the route's default), "auto", "WxH" or "canvas" (the
    valid size closest to the canvas, the result scaled to it)."""
    return _run(CommandRun(document, "generate", prompt, active=layer, size=size,
                           quality=quality, variations=variations, profile=profile))


def inpaint(document, prompt, grow=-1, feather=-1, context=-1, quality="", profile="", layer=None):
    """Repaints the document's selection of the active layer. -1: the defaults (grow 4, feather
    8, context 64 pixels). The new layer is opaque only inside the feathered selection."""
    return _run(CommandRun(document, "inpaint", prompt, active=layer, quality=quality, grow=grow,
                           feather=feather, context=context, profile=profile))


def edit(document, prompt, references=None, size="", quality="", profile="", layer=None):
    """Edits the active layer with other layers (Krita nodes) as references, sent in the order
    given; a selection, if any, is the mask."""
    return _run(CommandRun(document, "edit", prompt, active=layer,
                           references=list(references or ()), size=size, quality=quality,
                           profile=profile))
