"""A Krita document as libpictor's pictor_host table: the library reads the layers and the
selection through these callbacks and hands back finished layers; all geometry, codecs and HTTP
stay in the library.

Krita's 8-bit RGBA documents store pixels as BGRA with straight alpha; the library speaks RGBA,
so only the red and blue bytes trade places here. Layer ids are indexes into `layers`: 0 is the
active layer, then the references in the order given."""

import ctypes

from . import binding


def swap_red_blue(data):
    """BGRA <-> RGBA (the same swap both ways)."""
    out = bytearray(data)
    out[0::4] = data[2::4]
    out[2::4] = data[0::4]
    return out


def is_rgba8(document):
    return document.colorModel() == "RGBA" and document.colorDepth() == "U8"


class KritaDocument:
    """The callbacks for one job on `document`. listener: an object with optional progress(p)
    -> bool (True: cancel), preview(width, height, rgba, index, total), message(level, text)
    and take_preview_layer() (an empty layer above the active one for the first result, or
    None)."""

    def __init__(self, document, active, references=(), listener=None):
        self.document = document
        self.layers = [active] + list(references)
        self.listener = listener
        self.added = []           # the Krita nodes made, bottom first
        self.failure = None       # the first callback failure, as text
        self.messages = []        # (level, text) the library wanted the user to read
        self._keep = []           # ctypes callbacks must outlive the job
        self.host = self._make_host()

    # ---- what the library reads (inside pictor_job_start, on this thread) --------------------

    def _rect(self, layer_id):
        """(x, y, width, height) in canvas space the library sees for a layer. Krita layers have
        no size of their own: the active layer is the canvas; a reference is its painted
        extent inside the canvas (so a small pasted reference is sent at its own size)."""
        w, h = self.document.width(), self.document.height()
        if layer_id == 0:
            return 0, 0, w, h
        b = self.layers[layer_id].bounds()
        x0, y0 = max(b.x(), 0), max(b.y(), 0)
        x1, y1 = min(b.x() + b.width(), w), min(b.y() + b.height(), h)
        if x1 <= x0 or y1 <= y0:
            return 0, 0, w, h
        return x0, y0, x1 - x0, y1 - y0

    def _canvas_size(self, _, width, height):
        width[0], height[0] = self.document.width(), self.document.height()
        return 0

    def _describe_layer(self, _, layer_id, desc):
        if not 0 <= layer_id < len(self.layers):
            return 1
        x, y, w, h = self._rect(layer_id)
        d = desc.contents
        d.width, d.height, d.offset_x, d.offset_y = w, h, x, y
        self._keep.append(self.layers[layer_id].name().encode())
        d.name = self._keep[-1]
        return 0

    def _read_layer(self, _, layer_id, x, y, width, height, rgba, stride):
        ox, oy, _, _ = self._rect(layer_id)
        data = swap_red_blue(bytes(self.layers[layer_id].pixelData(ox + x, oy + y, width, height)))
        if len(data) != width * height * 4:
            self.failure = f"Krita gave no pixels for the layer \"{self.layers[layer_id].name()}\"."
            return 1
        row = width * 4
        address = ctypes.addressof(rgba.contents)
        if stride == row:
            ctypes.memmove(address, bytes(data), len(data))
        else:
            for r in range(height):
                ctypes.memmove(address + r * stride, bytes(data[r * row:(r + 1) * row]), row)
        return 0

    def _describe_selection(self, _, desc):
        d = desc.contents
        selection = self.document.selection()
        w, h = self.document.width(), self.document.height()
        if selection is None:
            d.is_empty = 1
            return 0
        x0, y0 = max(selection.x(), 0), max(selection.y(), 0)
        x1 = min(selection.x() + selection.width(), w)
        y1 = min(selection.y() + selection.height(), h)
        if x1 <= x0 or y1 <= y0:
            d.is_empty = 1
            return 0
        d.is_empty, d.x, d.y, d.width, d.height = 0, x0, y0, x1 - x0, y1 - y0
        return 0

    def _read_selection(self, _, x, y, width, height, coverage, stride):
        selection = self.document.selection()
        data = bytes(selection.pixelData(x, y, width, height)) if selection else b""
        if len(data) != width * height:
            self.failure = "Krita gave no coverage for the selection."
            return 1
        address = ctypes.addressof(coverage.contents)
        for r in range(height):
            ctypes.memmove(address + r * stride, data[r * width:(r + 1) * width], width)
        return 0

    # ---- what the library writes (inside pictor_job_dispatch, on this thread) -----------------

    def _add_layer(self, _, layer_ptr):
        layer = layer_ptr.contents
        w, h = layer.width, layer.height
        # Krita 5.1's scripting API cannot give a transparency mask pixels, so an inpainted layer
        # carries the feathered selection in its alpha (masked_rgba == rgba when there is none):
        # on the canvas the same, and nothing outside the selection changes.
        pixels = ctypes.string_at(layer.masked_rgba, w * h * 4)
        # The docker's preview layer (emptied) becomes the first result: it is already where
        # results go, and Undo then takes the result away without bringing a preview back.
        node = None
        if not self.added and self.listener and hasattr(self.listener, "take_preview_layer"):
            node = self.listener.take_preview_layer()
        if node is not None:
            node.setName(binding.text(layer.name))
        else:
            node = self.document.createNode(binding.text(layer.name), "paintlayer")
            below = self.added[-1] if self.added else self.layers[0]
            parent = below.parentNode() or self.document.rootNode()
            if not parent.addChildNode(node, below):
                self.failure = "Krita did not insert the new layer."
                return 1
        self.added.append(node)
        # Krita 5.1 returns None here, later versions a bool: only False is a refusal.
        if node.setPixelData(bytes(swap_red_blue(pixels)), layer.offset_x, layer.offset_y, w, h) is False:
            self.failure = "Krita refused the new layer's pixels."
            return 1
        return 0

    def _progress(self, _, progress):
        if self.listener and hasattr(self.listener, "progress"):
            return 1 if self.listener.progress(progress.contents) else 0
        return 0

    def _preview(self, _, image, index, total):
        if self.listener and hasattr(self.listener, "preview"):
            w, h, rgba = binding.image_rgba(image)
            self.listener.preview(w, h, rgba, index, total)

    def _message(self, _, level, text):
        self.messages.append((level, binding.text(text)))
        if self.listener and hasattr(self.listener, "message"):
            self.listener.message(level, binding.text(text))

    def _make_host(self):
        def guarded(fn, failed):
            # An exception must not cross into C: it becomes the callback's failure.
            def call(*args):
                try:
                    return fn(*args)
                except Exception as e:  # noqa: BLE001 - reported to the user as the failure
                    if self.failure is None:
                        self.failure = f"{type(e).__name__}: {e}"
                    return failed
            return call

        host = binding.Host()
        host.struct_size = ctypes.sizeof(binding.Host)
        callbacks = {
            "canvas_size": binding.CANVAS_SIZE_FN(guarded(self._canvas_size, 1)),
            "describe_layer": binding.DESCRIBE_LAYER_FN(guarded(self._describe_layer, 1)),
            "read_layer": binding.READ_LAYER_FN(guarded(self._read_layer, 1)),
            "describe_selection": binding.DESCRIBE_SELECTION_FN(guarded(self._describe_selection, 1)),
            "read_selection": binding.READ_SELECTION_FN(guarded(self._read_selection, 1)),
            "add_layer": binding.ADD_LAYER_FN(guarded(self._add_layer, 1)),
            "progress": binding.HOST_PROGRESS_FN(guarded(self._progress, 1)),
            "preview": binding.PREVIEW_FN(guarded(self._preview, None)),
            "message": binding.MESSAGE_FN(guarded(self._message, None)),
        }
        for name, fn in callbacks.items():
            setattr(host, name, fn)
        self._keep.extend(callbacks.values())
        return host

    def remove_added(self):
        for node in self.added:
            node.remove()
        self.added = []
