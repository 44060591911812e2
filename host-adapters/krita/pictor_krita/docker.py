"""The "Pictor" docker: prompt, the three commands, the route's settings with a cost estimate,
progress with previews on the canvas, a history strip, and the API key.

Jobs run on libpictor's worker thread; a timer on Krita's GUI thread calls pictor_job_dispatch,
so layers, progress and previews are applied here, never from another thread."""

import threading

from krita import DockWidget, Krita
from PyQt5.QtCore import QObject, QSize, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QIcon, QImage, QPixmap
from PyQt5.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                             QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar,
                             QPushButton, QSpinBox, QVBoxLayout, QWidget)

from . import binding
from .document import swap_red_blue
from .jobs import CommandRun, PictorError, describe_progress, estimate_cost, make_client, profile_info

DOCKER_ID = "pictor_krita_docker"
DOCKER_TITLE = "Pictor"
SETTINGS_GROUP = "pictor"  # in kritarc: the docker's last gateway (never the key)
PREVIEW_LAYER = "Pictor: preview"
# Previews while it paints, on routes that stream: each partial image is billed as a little
# output, so a couple.
PREVIEWS_WANTED = 2
DISPATCH_EVERY_MS = 30
THUMBNAIL = 64
# Krita's words for where the key goes, instead of the command line's.
KEY_HINT = "paste one under API key in the Pictor docker"


def host_words(message):
    return (message
            .replace("set PICTOR_API_KEY (or OPENAI_API_KEY), or put \"api_key\" in", KEY_HINT +
                     " (it goes to the desktop keyring or to")
            .replace("Check PICTOR_API_KEY (or OPENAI_API_KEY)", "Paste the right key under API key")
            .replace("leave --size out", "choose Default as Size")
            .replace("leave --quality out or use auto", "choose Default or auto as Quality"))


def stack_top_first(document):
    """Every node as the Layers docker shows it, top first."""
    out = []

    def walk(nodes):
        for node in reversed(nodes):
            out.append(node)
            walk(node.childNodes())

    walk(document.rootNode().childNodes())
    return out


class _KeySaved(QObject):
    done = pyqtSignal(str)


class PictorDocker(DockWidget):
    def __init__(self):
        super().__init__()
        self.setWindowTitle(DOCKER_TITLE)
        self.run = None
        self.preview_node = None
        self.profile = {}
        self.estimate_client = None
        self.key_signal = _KeySaved()
        self.key_signal.done.connect(self._key_stored)
        self._build()
        self._load_profiles()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.watch = QTimer(self)  # the selection and the active document come and go
        self.watch.timeout.connect(self._update_buttons)
        self.watch.start(500)

    # ---- layout ------------------------------------------------------------------------------

    def _build(self):
        root = QWidget(self)
        box = QVBoxLayout(root)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("What the model should paint")
        self.prompt.setMaximumHeight(90)
        self.prompt.textChanged.connect(self._update_cost)
        box.addWidget(self.prompt)

        buttons = QHBoxLayout()
        self.generate_button = QPushButton("Generate")
        self.inpaint_button = QPushButton("Inpaint selection")
        self.edit_button = QPushButton("Edit with layers")
        self.edit_button.setToolTip("The active layer first, then the other layers selected in "
                                    "the Layers docker as references, top first")
        for b, command in ((self.generate_button, "generate"), (self.inpaint_button, "inpaint"),
                           (self.edit_button, "edit")):
            b.clicked.connect(lambda _=False, c=command: self.start(c))
            buttons.addWidget(b)
        box.addLayout(buttons)

        form = QFormLayout()
        self.profile_box = QComboBox()
        self.profile_box.currentIndexChanged.connect(self._profile_changed)
        self.model_label = QLabel()
        self.size_box = QComboBox()
        self.quality_box = QComboBox()
        self.variations = QSpinBox()
        self.variations.setRange(1, 10)
        for w in (self.size_box, self.quality_box):
            w.currentIndexChanged.connect(self._update_cost)
        self.variations.valueChanged.connect(self._update_cost)
        self.cost_label = QLabel()
        form.addRow("Gateway", self.profile_box)
        form.addRow("Model", self.model_label)
        form.addRow("Size", self.size_box)
        form.addRow("Quality", self.quality_box)
        form.addRow("Variations", self.variations)
        form.addRow("Cost", self.cost_label)
        box.addLayout(form)

        progress = QHBoxLayout()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop waiting. A request the gateway already received may "
                                      "still be billed.")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        progress.addWidget(self.progress_bar)
        progress.addWidget(self.cancel_button)
        box.addLayout(progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.status)

        history = QGroupBox("History")
        hbox = QVBoxLayout(history)
        self.history_list = QListWidget()
        self.history_list.setViewMode(QListWidget.IconMode)
        self.history_list.setFlow(QListWidget.LeftToRight)
        self.history_list.setWrapping(False)
        self.history_list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.history_list.setFixedHeight(THUMBNAIL + 34)
        hbox.addWidget(self.history_list)
        hrow = QHBoxLayout()
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.load_history)
        self.insert_button = QPushButton("Insert as layer")
        self.insert_button.clicked.connect(self.insert_history)
        hrow.addWidget(refresh)
        hrow.addWidget(self.insert_button)
        hbox.addLayout(hrow)
        box.addWidget(history)

        key = QGroupBox("API key")
        kbox = QVBoxLayout(key)
        krow = QHBoxLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.Password)
        self.key_edit.setPlaceholderText("Paste the gateway's API key")
        self.key_button = QPushButton("Store")
        self.key_button.clicked.connect(self.store_key)
        krow.addWidget(self.key_edit)
        krow.addWidget(self.key_button)
        kbox.addLayout(krow)
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        kbox.addWidget(self.key_note)
        box.addWidget(key)
        box.addStretch(1)
        self.setWidget(root)

    # ---- the route's settings ------------------------------------------------------------------

    def _client(self):
        return make_client(self.profile_box.currentData() or "")

    def _load_profiles(self):
        try:
            default = self._describe_client(make_client())
            profiles = binding.list_profiles()
        except PictorError as e:
            self.status.setText(str(e))
            return
        self.profile_box.blockSignals(True)
        for p in sorted(profiles, key=lambda p: p.get("name", "")):
            self.profile_box.addItem(p.get("description") or p["name"], p["name"])
        # The gateway chosen last time in this docker, else the one pictor resolves.
        index = self.profile_box.findData(Krita.instance().readSetting(SETTINGS_GROUP, "profile", ""))
        if index < 0:
            index = self.profile_box.findData(default.get("name"))
        self.profile_box.setCurrentIndex(max(index, 0))
        self.profile_box.blockSignals(False)
        self._profile_changed()
        self.load_history()

    def _describe_client(self, client):
        try:
            return profile_info(client)
        finally:
            binding.library().pictor_client_destroy(client)

    def _profile_changed(self):
        # One client per profile for the estimates: making one may ask the desktop keyring, not
        # something to do on every keystroke.
        if self.estimate_client is not None:
            binding.library().pictor_client_destroy(self.estimate_client)
            self.estimate_client = None
        try:
            self.estimate_client = self._client()
        except PictorError as e:
            self.status.setText(host_words(str(e)))
            return
        self.profile = profile_info(self.estimate_client)
        Krita.instance().writeSetting(SETTINGS_GROUP, "profile", self.profile_box.currentData() or "")
        p = self.profile
        self.model_label.setText(p.get("model", ""))
        self.size_box.blockSignals(True)
        self.size_box.clear()
        self.size_box.addItem("Default", "")
        if p.get("size_rule") != "none":
            self.size_box.addItem("Canvas (closest valid size)", "canvas")
            for s in p.get("suggested_sizes") or []:  # the sizes, or the API's presets
                self.size_box.addItem(s, s)
        self.size_box.setEnabled(p.get("size_rule") != "none")
        self.size_box.blockSignals(False)
        self.quality_box.blockSignals(True)
        self.quality_box.clear()
        self.quality_box.addItem("Default", "")
        for q in p.get("qualities") or []:
            self.quality_box.addItem(q, q)
        self.quality_box.blockSignals(False)
        if p.get("api_key_from_environment"):
            self.key_note.setText(f"In use: the key from {p.get('api_key_source')} in Krita's "
                                  "environment; it overrides a stored key.")
        elif p.get("has_api_key"):
            self.key_note.setText(f"In use: the key from {p.get('api_key_source')}.")
        else:
            self.key_note.setText("No API key yet: paste one above.")
        self._update_cost()

    def _update_cost(self):
        if self.estimate_client is None:
            return
        usd, why = estimate_cost(self.estimate_client, "generate", self.prompt.toPlainText(),
                                 self.size_box.currentData() or "",
                                 self.quality_box.currentData() or "", self.variations.value())
        self.cost_label.setText(f"about ${usd:.3f} (generate)" if usd is not None else host_words(why))

    def _update_buttons(self):
        busy = self.run is not None
        doc = Krita.instance().activeDocument()
        has_selection = doc is not None and doc.selection() is not None
        self.generate_button.setEnabled(not busy and doc is not None)
        self.edit_button.setEnabled(not busy and doc is not None)
        self.inpaint_button.setEnabled(not busy and has_selection)

    # ---- running a command ---------------------------------------------------------------------

    def _references(self, doc, active):
        window = Krita.instance().activeWindow()
        view = window.activeView() if window else None
        chosen = {n.uniqueId() for n in (view.selectedNodes() if view else [])}
        # Layers only: masks selected with them have no pixels of their own to send.
        return [n for n in stack_top_first(doc)
                if n.uniqueId() in chosen and n.uniqueId() != active.uniqueId()
                and n.type().endswith("layer")]

    def start(self, command):
        doc = Krita.instance().activeDocument()
        if self.run is not None or doc is None:
            return
        prompt = self.prompt.toPlainText().strip()
        if not prompt:
            self.status.setText("Write a prompt first: it says what the model should draw.")
            return
        active = doc.activeNode()
        refs = self._references(doc, active) if command == "edit" and active else []
        streams = bool((self.profile.get("fields") or {}).get("stream"))
        try:
            self.run = CommandRun(doc, command, prompt, active=active, references=refs,
                                  size=self.size_box.currentData() or "",
                                  quality=self.quality_box.currentData() or "",
                                  variations=self.variations.value(),
                                  profile=self.profile_box.currentData() or "",
                                  partial_images=PREVIEWS_WANTED if streams else 0, listener=self)
            self.run.start()
        except PictorError as e:
            self.run = None
            self.status.setText(host_words(str(e)))
            return
        self.document, self.active = doc, active
        self.status.setText("Sending…")
        self.progress_bar.show()
        self.cancel_button.show()
        self._update_buttons()
        self.timer.start(DISPATCH_EVERY_MS)

    def cancel(self):
        if self.run:
            self.run.cancel()
            self.status.setText("Cancelling… A request the gateway already received may still be "
                                "billed; its image would be in Pictor's history.")

    def _tick(self):
        if self.run.dispatch(0):
            return
        self.timer.stop()
        self._remove_preview()
        added = []
        try:
            added = self.run.finish()
            notes = self.run.notes()
            self.status.setText(f"Added {len(added)} layer(s)." + ("\n" + "\n".join(notes) if notes else ""))
        except PictorError as e:
            self.status.setText(host_words(str(e)))
        except Exception as e:  # an exception escaping a Qt slot would end Krita
            import traceback
            self.status.setText(f"Pictor: {type(e).__name__}: {e}")
            traceback.print_exc()
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.load_history()
        self.run = None
        self._update_buttons()
        if added:  # last: Krita may process events while it switches layers
            self.document.setActiveNode(added[-1])

    # listener callbacks (inside dispatch, on this thread)
    def progress(self, p):
        self.status.setText(describe_progress(p))
        return False

    def preview(self, width, height, rgba, index, total):
        """The partial image on the canvas, as a temporary layer over the active one."""
        doc = self.document
        image = QImage(rgba, width, height, width * 4, QImage.Format_RGBA8888)
        image = image.scaled(doc.width(), doc.height(), Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
        image = image.convertToFormat(QImage.Format_RGBA8888)
        data = swap_red_blue(bytes(image.constBits().asarray(image.sizeInBytes())))
        if self.preview_node is None:
            self.preview_node = doc.createNode(PREVIEW_LAYER, "paintlayer")
            parent = self.active.parentNode() or doc.rootNode()
            parent.addChildNode(self.preview_node, self.active)
        self.preview_node.setPixelData(bytes(data), 0, 0, doc.width(), doc.height())
        doc.refreshProjection()
        self.status.setText(f"preview {index + 1} of {total}")

    def message(self, level, text):
        pass  # collected by the run; shown when it ends

    def take_preview_layer(self):
        """The preview layer, emptied, for the first result (see KritaDocument)."""
        node, self.preview_node = self.preview_node, None
        if node is not None:
            doc = self.document
            node.setPixelData(bytes(doc.width() * doc.height() * 4), 0, 0, doc.width(), doc.height())
        return node

    def _remove_preview(self):
        if self.preview_node is not None:
            self.preview_node.remove()
            self.preview_node = None

    # ---- history ---------------------------------------------------------------------------------

    def load_history(self):
        self.history_list.clear()
        try:
            entries = binding.history_list()
        except (RuntimeError, binding.LibraryNotFound) as e:
            self.status.setText(str(e))
            return
        for entry in reversed(entries[-50:]):  # newest first
            pixmap = QPixmap(entry.get("image_path", ""))
            item = QListWidgetItem(QIcon(pixmap.scaled(THUMBNAIL, THUMBNAIL, Qt.KeepAspectRatio,
                                                       Qt.SmoothTransformation)), "")
            item.setToolTip(f"{entry.get('prompt', '')}\n{entry.get('time', '')} · {entry.get('size', '')}")
            item.setData(Qt.UserRole, entry)
            self.history_list.addItem(item)

    def insert_history(self):
        doc = Krita.instance().activeDocument()
        item = self.history_list.currentItem()
        if doc is None or item is None:
            self.status.setText("Choose an image in the history strip and open a document.")
            return
        entry = item.data(Qt.UserRole)
        try:
            w, h, rgba = binding.history_rgba(entry["id"])
        except RuntimeError as e:
            self.status.setText(str(e))
            return
        node = doc.createNode(f"Pictor: {entry.get('prompt', '')[:60]}", "paintlayer")
        node.setPixelData(bytes(swap_red_blue(rgba)), 0, 0, w, h)
        active = doc.activeNode()
        parent = (active.parentNode() if active else None) or doc.rootNode()
        parent.addChildNode(node, active)
        doc.refreshProjection()

    # ---- the key -----------------------------------------------------------------------------------

    def store_key(self):
        key = self.key_edit.text().strip()
        if not key:
            return
        self.key_button.setEnabled(False)
        self.key_note.setText("Storing the key…")

        def work():  # the desktop may show its unlock prompt: not on the GUI thread
            try:
                where = binding.store_api_key(key)
                self.key_signal.done.emit(f"Stored in {where.get('where', '')}." +
                                          (f" ({where['keyring_problem']})" if where.get("keyring_problem") else ""))
            except RuntimeError as e:
                self.key_signal.done.emit(str(e))

        threading.Thread(target=work, daemon=True).start()

    def _key_stored(self, text):
        self.key_edit.clear()
        self.key_button.setEnabled(True)
        self._profile_changed()
        self.key_note.setText(text + " " + self.key_note.text())

    def canvasChanged(self, canvas):
        self._update_buttons()
