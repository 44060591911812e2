"""What each route accepts: the request checks a real gateway makes, and the job they yield.

Every rejection is an errors.ApiError shaped like the gateway's own reply, so the client's
error handling is exercised against the same status codes, params and codes.
"""

import hashlib
from dataclasses import dataclass, field

import imaging
from errors import ApiError, invalid, missing, no_channel, not_supported, unknown_parameter
from profiles import (ALL, AUTO_EDIT_SIZES, AUTO_SIZE, COMPLEXITY, NEWER_MODELS, OFFICIAL,
                      PRESET_SIZES, REVERSE, RUOLI, VIP, VIP_DEFAULT_SIZE, VIP_SIZES,
                      official_size_problem, parse_size)

MAX_PROMPT = 32000
MAX_IMAGES = 16
IMAGE_MIMES = ("image/png", "image/jpeg", "image/webp")
FILE_FIELDS = ("image", "image[]", "mask", "markup")

QUALITY = ("low", "medium", "high", "auto")
RUOLI_QUALITY = ("standard", "hd", "medium")
BACKGROUND = ("auto", "opaque", "transparent")
MODERATION = ("auto", "low")
OUTPUT_FORMAT = ("png", "jpeg", "webp")
RESPONSE_FORMAT = ("url", "b64_json")

# Parameters the official Images API knows; anything else there is "Unknown parameter".
# The multipart edit form has no `moderation`.
OFFICIAL_GENERATION_FIELDS = {
    "prompt", "model", "n", "quality", "response_format", "output_format", "output_compression",
    "stream", "partial_images", "size", "moderation", "background", "user", "input_fidelity",
}
OFFICIAL_EDIT_FIELDS = OFFICIAL_GENERATION_FIELDS - {"moderation"}


@dataclass
class Job:
    """A validated request: what to render and how to hand it back."""
    prompt: str
    width: int
    height: int
    n_images: int = 1
    billed: int = 1
    quality: str = "auto"
    background: str = "auto"
    output_format: str = "png"
    compression: int | None = None
    delivery: str = "b64"          # "b64" or "url"
    stream: bool = False
    partial_images: int = 0
    input_images: list = field(default_factory=list)
    mask: dict | None = None       # the described mask part of an edit, if one was sent
    markup: dict | None = None     # the described markup part (newer models' edits)
    complexity: str | None = None
    newer_qualities: tuple = ()    # quality values the model takes beyond gpt-image-2's

    @property
    def size(self):
        return f"{self.width}x{self.height}"


class Fields:
    """Request parameters, typed (JSON) or all strings (multipart); null counts as absent."""

    def __init__(self, values, from_form):
        self.values = {k: v for k, v in values.items() if v is not None}
        self.from_form = from_form

    def present(self, name):
        return name in self.values

    def names(self):
        return self.values.keys()

    def string(self, name):
        v = self.values.get(name)
        if v is not None and not isinstance(v, str):
            raise _wrong_type(name, "a string", v)
        return v

    def integer(self, name):
        v = self.values.get(name)
        if v is None:
            return None
        if self.from_form:
            try:
                return int(v.strip())
            except ValueError:
                raise _wrong_type(name, "an integer", v) from None
        if isinstance(v, bool) or not isinstance(v, int):
            raise _wrong_type(name, "an integer", v)
        return v

    def boolean(self, name):
        v = self.values.get(name)
        if v is None:
            return None
        if self.from_form:
            lowered = v.strip().lower()
            if lowered in ("true", "1"):
                return True
            if lowered in ("false", "0"):
                return False
            raise _wrong_type(name, "a boolean", v)
        if not isinstance(v, bool):
            raise _wrong_type(name, "a boolean", v)
        return v


def _wrong_type(name, expected, value):
    got = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
           list: "an array", dict: "an object"}.get(type(value), "another type")
    return ApiError(400, f"Invalid type for '{name}': expected {expected}, but got {got} instead.",
                    param=name, code="invalid_type")


def _enum(fields, name, choices):
    value = fields.string(name)
    if value is not None and value not in choices:
        raise invalid(name, f"Invalid value: '{value}'. Supported values are: "
                            + ", ".join(f"'{c}'" for c in choices) + ".")
    return value


def _in_range(fields, name, lo, hi):
    value = fields.integer(name)
    if value is not None and not lo <= value <= hi:
        side = "below minimum" if value < lo else "above maximum"
        raise invalid(name, f"Invalid '{name}': integer {side} value. Expected a value "
                            f"between {lo} and {hi}, but got {value} instead.",
                      code="integer_below_min_value" if value < lo else "integer_above_max_value")
    return value


def _reject(fields, *names, why="is not supported on this route."):
    for name in names:
        if fields.present(name):
            raise not_supported(name, why)


# ---------------------------------------------------------------- uploads (edits only)

def describe_file(part):
    """The log's view of an uploaded file part (and what validation needs to know)."""
    info = imaging.inspect(part.data) or {}
    described = {"name": part.name, "filename": part.filename, "content_type": part.content_type,
                 "size": len(part.data), "sha256": hashlib.sha256(part.data).hexdigest(),
                 "format": imaging.sniff(part.data), "width": info.get("width"),
                 "height": info.get("height"), "mode": info.get("mode"),
                 "_alpha": info.get("alpha", False), "_readable": bool(info)}
    rgba = imaging.decode_rgba(part.data) if info else None
    described["pixels_sha256"] = described["alpha"] = None
    described["alpha_zero_bbox"] = described["alpha_below_255_bbox"] = None
    if rgba is not None:
        described.update(imaging.pixel_summary(rgba))
    described["_data"] = part.data  # decoded again only if an answer is made from it
    return described


def check_uploads(profile, files, newer=None):
    """Enforce the edit form's file rules; returns (images, mask, markup) as described files."""
    for f in files:
        if f["name"] not in FILE_FIELDS or (f["name"] == "markup" and not (newer and newer.markup)):
            raise unknown_parameter(f["name"])
    singles = [f for f in files if f["name"] == "image"]
    arrays = [f for f in files if f["name"] == "image[]"]
    masks = [f for f in files if f["name"] == "mask"]
    if singles and arrays:
        raise invalid("image", "Send the images either as 'image' or as 'image[]' parts, not both.")
    if len(singles) > 1:
        raise invalid("image", "Several files sent as 'image': use 'image[]' parts for "
                               "more than one image.")
    images = singles or arrays
    if not images:
        raise missing("image")
    if len(images) > MAX_IMAGES:
        raise invalid("image", f"Too many images: {len(images)} given, at most {MAX_IMAGES} "
                               "are supported.", code="too_many_images")
    if len(masks) > 1:
        raise invalid("mask", "Only one mask may be sent.")
    markups = [f for f in files if f["name"] == "markup"]
    if len(markups) > 1:
        raise invalid("markup", "Only one markup image may be sent.")
    if markups and masks:
        raise invalid("markup", "Send either 'markup' or 'mask', not both.")
    for f in images + masks + markups:
        _check_file(profile, f)
    markup = markups[0] if markups else None
    if markup is not None and (markup["format"] != "png" or not markup["_alpha"]
                               or (markup["width"], markup["height"])
                               != (images[0]["width"], images[0]["height"])):
        raise invalid("markup", "Invalid markup image: it must be a PNG with an alpha channel, the "
                                "same size as the first image.", code="invalid_image_format")
    mask = masks[0] if masks else None
    if mask is not None and profile.max_mask_bytes is not None and mask["size"] > profile.max_mask_bytes:
        raise invalid("mask", f"Invalid file 'mask': the mask is {mask['size']} bytes; it must be "
                              "a PNG file less than 4MB.", code="file_too_large")
    if mask is not None:
        first = images[0]
        if mask["format"] != "png" or mask["content_type"] != "image/png":
            raise invalid("mask", "Invalid mask image format - mask image must be a PNG file.",
                          code="invalid_image_format")
        if not mask["_alpha"]:
            raise invalid("mask", "Invalid mask image: the mask must have an alpha channel "
                                  "(transparent areas mark what to edit).",
                          code="invalid_image_format")
        if (mask["width"], mask["height"]) != (first["width"], first["height"]):
            raise invalid("mask", "Invalid mask image: the mask and the image must have the same "
                                  f"dimensions, got {mask['width']}x{mask['height']} and "
                                  f"{first['width']}x{first['height']}.",
                          code="invalid_image_dimensions")
    return images, mask, markup


def _check_file(profile, f):
    name = f["name"]
    if f["size"] > profile.max_file_bytes:
        limit = profile.max_file_bytes // (1024 * 1024)
        raise invalid(name, f"Invalid file '{name}': the file is {f['size']} bytes, the limit is "
                            f"{limit} MB.", code="file_too_large")
    claimed = f["content_type"]
    if claimed not in IMAGE_MIMES:
        raise invalid(name, f"Invalid file '{name}': unsupported mimetype ('{claimed}'). "
                            "Supported file formats are 'image/jpeg', 'image/png', and "
                            "'image/webp'.", code="invalid_image_format")
    if f["format"] is None or imaging.MIME[f["format"]] != claimed:
        actual = imaging.MIME.get(f["format"], "unknown data")
        raise invalid(name, f"Invalid file '{name}': mimetype mismatch, the part says "
                            f"'{claimed}' but the data is {actual}.",
                      code="invalid_image_format")
    if not f["_readable"]:
        raise invalid(name, f"Invalid file '{name}': the image could not be decoded.",
                      code="invalid_image")


# ---------------------------------------------------------------- parameters

def validate(profile, endpoint, fields, files=None):
    """Check a request against `profile`; returns a Job or raises ApiError."""
    model = fields.values.get("model")
    newer = NEWER_MODELS.get(model) if profile.rules == OFFICIAL else None
    if model != profile.model and newer is None:
        if profile.new_api:
            raise no_channel(model if isinstance(model, str) else "")
        if model is None:
            raise missing("model")
        raise invalid("model", f"Invalid value for 'model': '{model}' is not served on this "
                               f"route, use '{profile.model}'.")
    _reject(fields, "input_fidelity",
            why="is not supported with gpt-image-2 (input fidelity is always high).")
    if profile.rules == OFFICIAL:
        allowed = OFFICIAL_EDIT_FIELDS if endpoint == "edits" else OFFICIAL_GENERATION_FIELDS
        if newer and newer.complexity:
            allowed = allowed | {"complexity"}
        for name in fields.names():
            if name not in allowed:
                raise unknown_parameter(name)
    prompt = fields.string("prompt")
    if not prompt:
        raise missing("prompt")
    if len(prompt) > MAX_PROMPT:
        raise invalid("prompt", f"Invalid 'prompt': string too long. Expected a string with "
                                f"maximum length {MAX_PROMPT}, but got a string with length "
                                f"{len(prompt)} instead.", code="string_above_max_length")
    images, mask, markup = (check_uploads(profile, files, newer) if endpoint == "edits"
                            else ([], None, None))

    job = Job(prompt=prompt, width=0, height=0, input_images=images, mask=mask, markup=markup)
    job.newer_qualities = newer.qualities if newer else ()
    if newer and newer.complexity:
        job.complexity = _enum(fields, "complexity", COMPLEXITY)
    {OFFICIAL: _official, VIP: _vip, ALL: _no_size_no_quality, REVERSE: _no_size_no_quality,
     RUOLI: _ruoli}[profile.rules](profile, endpoint, fields, job)
    _common_enums(profile, endpoint, fields, job)
    if not job.width:
        job.width, job.height = _auto_size(images)
    return job


def _auto_size(images):
    """What "auto" becomes: a square for generations, the closest landscape/portrait for edits."""
    if not images or not images[0]["width"]:
        return AUTO_SIZE
    aspect = images[0]["width"] / images[0]["height"]
    return min(AUTO_EDIT_SIZES, key=lambda wh: abs(wh[0] / wh[1] - aspect))


def _common_enums(profile, endpoint, fields, job):
    """Enumerated parameters every route checks when they are sent."""
    job.background = _enum(fields, "background", BACKGROUND) or "auto"
    job.output_format = _enum(fields, "output_format", OUTPUT_FORMAT) or "png"
    if endpoint == "generations":
        _enum(fields, "moderation", MODERATION)
    job.compression = fields.integer("output_compression")
    if job.compression is not None:
        _in_range(fields, "output_compression", 0, 100)


def _response_format(fields, job, default):
    value = _enum(fields, "response_format", RESPONSE_FORMAT)
    job.delivery = {"url": "url", "b64_json": "b64", None: default}[value]


def _official(profile, endpoint, fields, job):
    if fields.present("response_format"):
        raise unknown_parameter("response_format")
    n = _in_range(fields, "n", 1, 10)
    if n is not None and n > profile.n_max:
        raise invalid("n", f"Invalid 'n': n must be 1 on this route (got {n}); send parallel "
                           "requests for more images.")
    job.n_images = job.billed = n or 1
    size = fields.string("size")
    if size is not None and size != "auto":
        problem = official_size_problem(size)
        if problem:
            raise invalid("size", f"Invalid size '{size}': {problem}. Use 'auto', a preset "
                                  "such as 1024x1024, or a valid custom WIDTHxHEIGHT.")
        job.width, job.height = parse_size(size)
    job.quality = _enum(fields, "quality", QUALITY + job.newer_qualities) or "auto"
    background = _enum(fields, "background", BACKGROUND)
    output_format = _enum(fields, "output_format", OUTPUT_FORMAT) or "png"
    if background == "transparent":
        if not profile.transparent_ok:
            raise invalid("background", "Invalid value: 'transparent'. Transparent backgrounds "
                                        "are not supported on this route; use 'opaque' or 'auto'.")
        if output_format == "jpeg":
            raise invalid("background", "Transparent backgrounds need output_format 'png' or "
                                        "'webp'.")
    if fields.present("output_compression") and output_format == "png":
        raise invalid("output_compression", "output_compression is only supported with "
                                            "output_format 'jpeg' or 'webp'.")
    job.stream = bool(fields.boolean("stream"))
    job.partial_images = _in_range(fields, "partial_images", 0, 3) or 0


def _vip(profile, endpoint, fields, job):
    _reject(fields, "quality", "aspect_ratio",
            why="is not supported by gpt-image-2-vip: the output is set by 'size' alone.")
    size = fields.string("size")
    if size is None:
        size = VIP_DEFAULT_SIZE
    if size not in VIP_SIZES:
        raise invalid("size", f"Invalid size '{size}': gpt-image-2-vip accepts only its 30 "
                              "sizes (e.g. 1280x1280, 2048x1152, 3840x2160).")
    job.width, job.height = parse_size(size)
    # The vip routes bill every requested image but render only one.
    n = fields.integer("n")
    job.billed = max(1, n) if n is not None else 1
    _response_format(fields, job, profile.default_delivery)


def _no_size_no_quality(profile, endpoint, fields, job):
    _reject(fields, "size", "quality",
            why="is not supported on this route: it decides the size and quality itself.")
    fields.integer("n")  # accepted and ignored: one image per call
    _response_format(fields, job, profile.default_delivery)


def _ruoli(profile, endpoint, fields, job):
    size = fields.string("size")
    if size is not None:
        if size not in PRESET_SIZES:
            raise invalid("size", f"Invalid size '{size}': use one of " + ", ".join(PRESET_SIZES)
                          + ".")
        job.width, job.height = parse_size(size)
    job.quality = _enum(fields, "quality", RUOLI_QUALITY) or "medium"
    job.n_images = job.billed = _in_range(fields, "n", 1, 10) or 1
    _response_format(fields, job, profile.default_delivery)
