"""One Pictor command on a Krita document, through pictor_job_start: the library reads the
document on this thread, sends the request on its own worker thread, and its write callbacks
(new layers, progress, previews) run inside dispatch(), on the thread that calls it — Krita's
GUI thread in the docker, the script's thread under kritarunner."""

import ctypes
import json

from . import binding
from .document import KritaDocument, is_rgba8

COMMANDS = {"generate": binding.COMMAND_GENERATE, "inpaint": binding.COMMAND_INPAINT,
            "edit": binding.COMMAND_EDIT}


class PictorError(Exception):
    """A command failed; str(error) is pictor's message. Nothing was added to the document.
    kind: pictor's status name ("auth", "moderation_blocked", ...); request_sent: False when
    nothing left the machine; may_be_billed: True when the server may have billed an image."""

    def __init__(self, message, kind="", request_id="", request_sent=False, may_be_billed=False):
        super().__init__(message)
        self.kind, self.request_id = kind, request_id
        self.request_sent, self.may_be_billed = request_sent, may_be_billed


def _error_from(info, extra=""):
    # The library's message already ends with whether the request may still be billed and its
    # request id, worded once from the error's fields.
    message = info["message"] or info["kind"]
    return PictorError(message + extra, info["kind"], info["request_id"], info["request_sent"],
                       info["may_be_billed"])


def make_client(profile=""):
    """A client resolved like the CLI's (environment, config file, keyring); raises PictorError."""
    try:
        lib = binding.library()
    except binding.LibraryNotFound as e:
        raise PictorError(str(e), "library") from None
    config = binding.new_client_config()
    keep = profile.encode() if profile else None
    config.profile = keep
    # The request lives in a helper process: closing Krita mid-request keeps the paid image in history.
    config.run_in_helper = 1
    client = ctypes.c_void_p()
    if lib.pictor_client_create(ctypes.byref(config), ctypes.byref(client)) != binding.OK:
        raise _error_from(binding.thread_error())
    return client


def profile_info(client):
    return json.loads(binding.text(binding.library().pictor_client_profile_json(client)) or "{}")


def fill_request(command, prompt, size="", quality="", variations=1, partial_images=0):
    """The request as pictor takes it, and the byte strings it points to (keep them alive)."""
    request = binding.new_request()
    keep = [prompt.encode()]
    request.prompt = keep[0]
    # Inpaint sends the size that fits the selection; the library picks it.
    if size and command != "inpaint":
        keep.append(size.encode())
        request.size = keep[-1]
    if quality:
        keep.append(quality.encode())
        request.quality = keep[-1]
    request.n = variations if command == "generate" else 1
    request.partial_images = partial_images
    return request, keep


def estimate_cost(client, command, prompt, size="", quality="", variations=1):
    """US dollars, or None when the request would be refused (the reason is then returned too)."""
    lib = binding.library()
    # "canvas" becomes a real size only once the job knows the canvas.
    request, keep = fill_request(command, prompt or " ", "" if size == "canvas" else size,
                                 quality, variations)
    usd = ctypes.c_double()
    edit = 0 if command == "generate" else 1
    if lib.pictor_estimate_cost(client, ctypes.byref(request), edit, ctypes.byref(usd)) != binding.OK:
        return None, binding.error_dict(lib.pictor_client_last_error(client))["message"]
    del keep
    return usd.value, ""


class CommandRun:
    """start(), then dispatch() until it returns False, then finish(). cancel() from the GUI."""

    def __init__(self, document, command, prompt, active=None, references=(), size="", quality="",
                 variations=1, grow=-1, feather=-1, context=-1, profile="", partial_images=0,
                 listener=None):
        if command not in COMMANDS:
            raise ValueError(f"unknown command {command!r}")
        if document is None:
            raise PictorError("Open a document first.", "invalid_request")
        if not is_rgba8(document):
            raise PictorError(f"Pictor works on 8-bit RGBA documents; this one is "
                              f"{document.colorModel()} {document.colorDepth()}: convert it with "
                              "Image > Convert Image Color Space.", "invalid_request")
        active = active or document.activeNode()
        if active is None or active.type() != "paintlayer":
            raise PictorError("Choose a paint layer first (a script without a window passes "
                              "layer=): Pictor reads and adds paint layers.", "invalid_request")
        for ref in references:
            if ref.type() not in ("paintlayer", "grouplayer", "filelayer", "vectorlayer"):
                raise PictorError(f"\"{ref.name()}\" is not a layer with pixels to send.",
                                  "invalid_request")
        self.command = command
        self.host_doc = KritaDocument(document, active, references, listener)
        self.request, self._keep = fill_request(command, prompt, size, quality, variations,
                                                partial_images)
        self.options = binding.new_command_options()
        self.options.command = COMMANDS[command]
        self.options.request = ctypes.pointer(self.request)
        self.options.layer = 0
        refs = (ctypes.c_int32 * max(len(references), 1))(*range(1, len(references) + 1))
        self._keep.append(refs)
        self.options.reference_layers = refs if references else None
        self.options.reference_count = len(references)
        self.options.grow_px, self.options.feather_px, self.options.context_px = grow, feather, context
        self.options.callback_thread = binding.CALLBACKS_ON_DISPATCH
        self.profile = profile
        self.job = None
        self.result = {}

    def start(self):
        """Reads the document and sends the request; raises PictorError when refused (nothing
        sent). The client belongs to the job from here on."""
        lib = binding.library()
        client = make_client(self.profile)
        job = ctypes.c_void_p()
        if lib.pictor_job_start(client, ctypes.byref(self.host_doc.host), ctypes.byref(self.options),
                                ctypes.byref(job)) != binding.OK:
            info = binding.error_dict(lib.pictor_client_last_error(client))
            lib.pictor_client_destroy(client)
            if self.host_doc.failure:
                info["message"] = f"{self.host_doc.failure} {info['message']}"
            raise _error_from(info)
        self.job = job

    def dispatch(self, timeout_ms):
        """Delivers the job's callbacks here; False once it is over."""
        return bool(binding.library().pictor_job_dispatch(self.job, timeout_ms))

    def cancel(self):
        if self.job:
            binding.library().pictor_job_cancel(self.job)

    def finish(self):
        """The new nodes, bottom first; raises PictorError (and removes what was added)."""
        lib = binding.library()
        try:
            status = lib.pictor_job_status(self.job)
            self.result = json.loads(binding.text(lib.pictor_job_result_json(self.job)) or "{}")
            doc = self.host_doc
            if status != binding.OK:
                info = binding.error_dict(lib.pictor_job_error(self.job))
                if doc.failure:  # what Krita said, then the library's sentence about it
                    info["message"] = f"{doc.failure} {info['message'][:1].upper()}{info['message'][1:]}"
                raise _error_from(info)
            if doc.failure:
                raise PictorError(f"{doc.failure} The image is in Pictor's history folder.",
                                  "host", request_sent=True, may_be_billed=True)
            if not doc.added:
                raise PictorError("The gateway answered without an image; nothing was added.",
                                  "bad_response", request_sent=True)
            nodes = list(doc.added)
            doc.document.refreshProjection()
            return nodes
        except PictorError:
            self.host_doc.remove_added()
            raise
        finally:
            lib.pictor_job_destroy(self.job)  # also destroys the client
            self.job = None

    def notes(self):
        """Warnings the library sent (the final error excepted), for the user."""
        return [t for level, t in self.host_doc.messages if level != binding.MESSAGE_ERROR and t]


def describe_progress(p):
    """What a status line says for a pictor_progress."""
    mb = lambda n: f"{n / 1e6:.1f} MB"  # noqa: E731
    phase = p.phase
    if phase == binding.PHASE_PREPARING:
        what = "preparing the request"
    elif phase == binding.PHASE_CONNECTING:
        what = "connecting to the gateway"
    elif phase == binding.PHASE_UPLOADING:
        # No total while the later references are still being encoded (they go up as they come).
        what = (f"uploading {mb(p.bytes_sent)} of {mb(p.bytes_to_send)}" if p.bytes_to_send
                else f"uploading {mb(p.bytes_sent)}")
    elif phase == binding.PHASE_WAITING:
        # The server sends nothing while it paints: say how long so far, and that it is normal.
        what = f"the model is painting ({p.elapsed_s:.0f} s; 30 s to 5 min is normal)"
    elif phase == binding.PHASE_DOWNLOADING:
        what = f"downloading the image ({mb(p.bytes_received)})"
    elif phase == binding.PHASE_DECODING:
        what = "decoding the image"
    elif phase == binding.PHASE_RETRY_WAIT:
        what = f"the gateway is busy: trying again in {p.retry_in_s:.0f} s (attempt {p.attempt + 1})"
    elif phase == binding.PHASE_SAVING:
        what = "saving the image to Pictor's history"
    else:
        what = "working"
    if p.requests_total > 1:
        return f"{what} - {p.requests_done} of {p.requests_total} images done"
    return what
