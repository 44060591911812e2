"""libpictor's C ABI (abi/include/pictor/pictor.h) through ctypes: the structs and functions the
Krita adapter calls, declared once. Nothing here knows about Krita.

The library is found without environment variables: first beside this package (a per-user
install puts it in pictor_krita/lib/), then in the library folder baked in at install time
(_install_paths.py, written by CMake)."""

import ctypes
import glob
import json
import os

# The header this binding mirrors (PICTOR_ABI_VERSION, PICTOR_VERSION_NUMBER): the library
# says whether it can serve it (pictor_library_accepts); the structs below grow only at their
# end, and struct_size tells the library which fields we know.
ABI_VERSION = 0x0100
VERSION_NUMBER = 100

# pictor_status
OK = 0
ERR_INVALID_REQUEST = 2
ERR_CANCELLED = 12

# pictor_phase
PHASE_PREPARING, PHASE_CONNECTING, PHASE_UPLOADING, PHASE_WAITING, PHASE_DOWNLOADING, \
    PHASE_DECODING, PHASE_RETRY_WAIT, PHASE_SAVING = range(8)

# pictor_message_level
MESSAGE_INFO, MESSAGE_WARNING, MESSAGE_ERROR = range(3)

# pictor_command
COMMAND_GENERATE = 1
COMMAND_INPAINT = 2
COMMAND_EDIT = 3

CALLBACKS_ON_DISPATCH = 0

# pictor_key_store
KEY_STORE_AUTO = 0

c_char_p, c_void_p, c_int, c_uint32, c_int32, c_uint64, c_double, c_size_t = (
    ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32, ctypes.c_int32,
    ctypes.c_uint64, ctypes.c_double, ctypes.c_size_t)
u8_p = ctypes.POINTER(ctypes.c_uint8)


class Error(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("status", c_int), ("kind", c_char_p),
                ("message", c_char_p), ("code", c_char_p), ("request_id", c_char_p),
                ("http_status", c_int), ("request_sent", c_int), ("may_be_billed", c_int)]


LOG_FN = ctypes.CFUNCTYPE(None, c_int, c_char_p, c_void_p)


class ClientConfig(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("profile", c_char_p), ("base_url", c_char_p),
                ("api_key", c_char_p), ("model", c_char_p), ("history_dir", c_char_p),
                ("profile_dir", c_char_p), ("ca_file", c_char_p),
                ("connect_timeout_s", c_double), ("max_response_bytes", c_uint64),
                ("max_pixels", c_uint64), ("max_retries", c_int), ("use_environment", c_int),
                ("log", LOG_FN), ("log_user_data", c_void_p),
                ("run_in_helper", c_int), ("abandon_on_cancel", c_int)]


class Progress(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("phase", c_int), ("elapsed_s", c_double),
                ("bytes_sent", c_uint64), ("bytes_to_send", c_uint64),
                ("bytes_received", c_uint64), ("bytes_to_receive", c_uint64),
                ("requests_total", c_int), ("requests_done", c_int), ("attempt", c_int),
                ("retry_in_s", c_double)]


class InputImage(ctypes.Structure):
    _fields_ = [("data", u8_p), ("size", c_size_t), ("filename", c_char_p)]


PROGRESS_FN = ctypes.CFUNCTYPE(c_int, ctypes.POINTER(Progress), c_void_p)
PARTIAL_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_int, c_void_p)


class Request(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("prompt", c_char_p), ("size", c_char_p),
                ("quality", c_char_p), ("output_format", c_char_p),
                ("output_compression", c_int), ("background", c_char_p),
                ("moderation", c_char_p), ("n", c_int), ("timeout_s", c_double),
                ("images", ctypes.POINTER(InputImage)), ("image_count", c_size_t),
                ("mask", ctypes.POINTER(InputImage)), ("progress", PROGRESS_FN),
                ("progress_user_data", c_void_p), ("partial_images", c_int),
                ("partial_image", PARTIAL_FN), ("partial_image_user_data", c_void_p)]


class LayerDesc(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("width", c_uint32), ("height", c_uint32),
                ("offset_x", c_int32), ("offset_y", c_int32), ("name", c_char_p)]


class SelectionDesc(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("is_empty", c_int), ("x", c_int32), ("y", c_int32),
                ("width", c_uint32), ("height", c_uint32)]


class NewLayer(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("name", c_char_p), ("offset_x", c_int32),
                ("offset_y", c_int32), ("width", c_uint32), ("height", c_uint32),
                ("rgba", u8_p), ("mask", u8_p), ("masked_rgba", u8_p),
                ("composited_rgba", u8_p), ("above_layer", c_int32), ("variation", c_int),
                ("variation_count", c_int), ("history_path", c_char_p), ("request_id", c_char_p)]


CANVAS_SIZE_FN = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.POINTER(c_uint32), ctypes.POINTER(c_uint32))
DESCRIBE_LAYER_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int32, ctypes.POINTER(LayerDesc))
READ_LAYER_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int32, c_int32, c_int32, c_uint32, c_uint32,
                                 u8_p, c_size_t)
DESCRIBE_SELECTION_FN = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.POINTER(SelectionDesc))
READ_SELECTION_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int32, c_int32, c_uint32, c_uint32, u8_p,
                                     c_size_t)
ADD_LAYER_FN = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.POINTER(NewLayer))
HOST_PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.POINTER(Progress))
PREVIEW_FN = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_int, c_int)
MESSAGE_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p)


class Host(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("user_data", c_void_p),
                ("canvas_size", CANVAS_SIZE_FN), ("describe_layer", DESCRIBE_LAYER_FN),
                ("read_layer", READ_LAYER_FN), ("describe_selection", DESCRIBE_SELECTION_FN),
                ("read_selection", READ_SELECTION_FN), ("add_layer", ADD_LAYER_FN),
                ("progress", HOST_PROGRESS_FN), ("preview", PREVIEW_FN),
                ("message", MESSAGE_FN)]


class CommandOptions(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("command", c_int),
                ("request", ctypes.POINTER(Request)), ("layer", c_int32),
                ("reference_layers", ctypes.POINTER(c_int32)), ("reference_count", c_size_t),
                ("grow_px", c_int), ("feather_px", c_int), ("context_px", c_int),
                ("callback_thread", c_int)]


class LibraryNotFound(RuntimeError):
    pass


def _candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    # Per-user install: the library travels in the package's lib/ folder.
    found = sorted(glob.glob(os.path.join(here, "lib", "libpictor.so.*")), key=len)
    try:
        from . import _install_paths
        found.append(os.path.join(_install_paths.LIBDIR, _install_paths.SONAME))
    except ImportError:  # a source checkout: only the package's own lib/
        pass
    return found


def _declare(lib):
    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype, f.argtypes = restype, list(argtypes)

    p = c_void_p
    fn("pictor_version_string", c_char_p)
    fn("pictor_abi_version", c_int)
    fn("pictor_status_string", c_char_p, c_int)
    fn("pictor_client_last_error", ctypes.POINTER(Error), p)
    fn("pictor_thread_last_error", ctypes.POINTER(Error))
    fn("pictor_client_config_init_abi", c_int, ctypes.POINTER(ClientConfig), c_size_t, c_int)
    fn("pictor_client_create", c_int, ctypes.POINTER(ClientConfig), ctypes.POINTER(p))
    fn("pictor_client_destroy", None, p)
    fn("pictor_client_profile_json", c_char_p, p)
    fn("pictor_list_profiles", c_int, c_char_p, ctypes.POINTER(p))
    fn("pictor_request_init_abi", c_int, ctypes.POINTER(Request), c_size_t, c_int)
    fn("pictor_check_request", c_int, p, ctypes.POINTER(Request), c_int)
    fn("pictor_estimate_cost", c_int, p, ctypes.POINTER(Request), c_int, ctypes.POINTER(c_double))
    fn("pictor_image_width", c_uint32, p)
    fn("pictor_image_height", c_uint32, p)
    fn("pictor_image_rgba", u8_p, p)
    fn("pictor_image_free", None, p)
    fn("pictor_command_options_init_abi", c_int, ctypes.POINTER(CommandOptions), c_size_t, c_int)
    fn("pictor_job_start", c_int, p, ctypes.POINTER(Host), ctypes.POINTER(CommandOptions),
       ctypes.POINTER(p))
    fn("pictor_job_dispatch", c_int, p, c_int)
    fn("pictor_job_cancel", None, p)
    fn("pictor_job_status", c_int, p)
    fn("pictor_job_error", ctypes.POINTER(Error), p)
    fn("pictor_job_result_json", c_char_p, p)
    fn("pictor_job_destroy", None, p)
    fn("pictor_history_list", c_int, c_char_p, ctypes.POINTER(p))
    fn("pictor_history_load", c_int, c_char_p, c_char_p, c_uint64, ctypes.POINTER(p))
    fn("pictor_store_api_key", c_int, c_char_p, c_int, ctypes.POINTER(p))
    fn("pictor_free", None, p)


_lib = None


def library():
    """libpictor, loaded and declared on first use (importing this module loads nothing)."""
    global _lib
    if _lib is not None:
        return _lib
    tried = []
    for path in _candidates():
        if not os.path.exists(path):
            tried.append(path)
            continue
        lib = ctypes.CDLL(path)
        accepts = getattr(lib, "pictor_library_accepts", None)  # libraries before 0.1 lack it
        if accepts is None or accepts(c_int(VERSION_NUMBER), c_int(ABI_VERSION)) != 1:
            lib.pictor_version_string.restype = c_char_p
            raise LibraryNotFound(
                f"{path} is libpictor {lib.pictor_version_string().decode()}, which does not "
                "match this plug-in: install the plug-in and the library from the same build.")
        _declare(lib)
        _lib = lib
        return lib
    raise LibraryNotFound("libpictor was not found (looked for " + ", ".join(tried) +
                          "): install the plug-in with cmake --install as the README says.")


def text(raw):
    return raw.decode("utf-8", "replace") if raw else ""


def error_dict(error_ptr):
    e = error_ptr.contents
    return {"status": e.status, "kind": text(e.kind), "message": text(e.message),
            "code": text(e.code), "request_id": text(e.request_id),
            "request_sent": bool(e.request_sent), "may_be_billed": bool(e.may_be_billed)}


def thread_error():
    return error_dict(library().pictor_thread_last_error())


def take_string(pointer):
    """A string the library allocated, decoded and freed."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", "replace")
    finally:
        library().pictor_free(pointer)


def new_request():
    request = Request()
    library().pictor_request_init_abi(ctypes.byref(request), ctypes.sizeof(Request), ABI_VERSION)
    return request


def new_client_config():
    config = ClientConfig()
    library().pictor_client_config_init_abi(ctypes.byref(config), ctypes.sizeof(ClientConfig),
                                            ABI_VERSION)
    return config


def new_command_options():
    options = CommandOptions()
    library().pictor_command_options_init_abi(ctypes.byref(options), ctypes.sizeof(CommandOptions),
                                              ABI_VERSION)
    return options


def list_profiles():
    out = c_void_p()
    if library().pictor_list_profiles(None, ctypes.byref(out)) != OK:
        return []
    return json.loads(take_string(out) or "[]")


def history_list():
    out = c_void_p()
    if library().pictor_history_list(None, ctypes.byref(out)) != OK:
        raise RuntimeError(thread_error()["message"])
    return json.loads(take_string(out) or "[]")


def history_rgba(entry_id):
    """(width, height, RGBA8 bytes) of a history entry."""
    lib = library()
    image = c_void_p()
    if lib.pictor_history_load(None, entry_id.encode(), 0, ctypes.byref(image)) != OK:
        raise RuntimeError(thread_error()["message"])
    try:
        return image_rgba(image)
    finally:
        lib.pictor_image_free(image)


def image_rgba(image):
    lib = library()
    w, h = lib.pictor_image_width(image), lib.pictor_image_height(image)
    return w, h, ctypes.string_at(lib.pictor_image_rgba(image), w * h * 4)


def store_api_key(key):
    """Where the key went (JSON object); raises with the library's message. May block on the
    desktop's unlock prompt: call it off the GUI thread."""
    out = c_void_p()
    if library().pictor_store_api_key(key.encode(), KEY_STORE_AUTO, ctypes.byref(out)) != OK:
        raise RuntimeError(thread_error()["message"])
    return json.loads(take_string(out) or "{}")
