"""Response bodies: image JSON in each gateway's dialect, injected errors, and SSE events."""

import base64
import json
import time

import imaging
from errors import ApiError
from profiles import APIYI_ERRORS, NEW_API_ERRORS, OFFICIAL

MODERATION_MESSAGE = ("Your request was rejected by the safety system. If you believe this is "
                      "an error, contact us at help.openai.com and include the request ID {rid}.")

APIYI_403_MESSAGE = ("Content moderation block: the request was refused for its content. Adjust "
                     "the prompt or pass moderation: low.")

_DEFAULT_MESSAGES = {
    400: "Bad request.",
    401: "Incorrect API key provided.",
    403: "You are not allowed to perform this request.",
    404: "Not found.",
    408: "Request timed out.",
    413: "Request entity too large.",
    429: "Rate limit reached for gpt-image-2 in organization org-mock on requests per min "
         "(RPM): Limit 100, Used 100, Requested 1. Please try again in 1s.",
    500: "The server had an error while processing your request. Sorry about that!",
    502: "Bad gateway.",
    503: "The server is overloaded or not ready yet.",
    504: "Gateway timeout.",
}
_DEFAULT_CODES = {401: "invalid_api_key", 429: "rate_limit_exceeded"}


def _openai_type(status, code):
    if code == "moderation_blocked":
        return "image_generation_user_error"
    if status == 429:
        return "insufficient_quota" if code == "insufficient_quota" else "requests"
    return "server_error" if status >= 500 else "invalid_request_error"


def injected_error(profile, scenario, request_id, default_status=None):
    """The error a `status=`/`code=` scenario asks for, typed the way the route types errors."""
    status = scenario.status or default_status or scenario.error_status
    code = scenario.code if scenario.code is not None else _DEFAULT_CODES.get(status)
    if scenario.message is not None:
        message = scenario.message
    elif code == "moderation_blocked":
        message = MODERATION_MESSAGE.format(rid=request_id)
    elif status == 403 and profile is not None and profile.errors == APIYI_ERRORS:
        # APIYI documents its 403 as a content-moderation block, not a key problem.
        message = APIYI_403_MESSAGE
    else:
        message = _DEFAULT_MESSAGES.get(status, f"HTTP {status} (injected by the mock).")
    if profile is None or profile.errors not in (APIYI_ERRORS, NEW_API_ERRORS):
        type_ = _openai_type(status, code)
    else:
        type_ = "shell_api_error" if profile.errors == APIYI_ERRORS else "new_api_error"
    headers = {}
    if scenario.retry_after is not None:
        headers["Retry-After"] = scenario.retry_after
    return ApiError(status, message, type_=type_, param=None, code=code, headers=headers)


def wrong_endpoint_error(profile=None):
    # What new-api answers when an image model is reached through a protocol it does not serve.
    endpoints = profile.endpoints if profile is not None else ("generations", "edits")
    return ApiError(503, "", body={
        "message": "bad response status code 503, this model only supports the "
                   + " and ".join(f"/v1/images/{e}" for e in endpoints)
                   + (" endpoint" if len(endpoints) == 1 else " endpoints"),
        "type": "new_api_error"})


def reformat_error(error, style, request_id):
    """The same error in another gateway's dialect (scenario `error_format=`):
    new_api: new-api's relay error, message suffixed "(request id: …)", param "", a string code;
    status_code: APIYI's documented {"status_code": N, "error": {…}};
    string: {"error": "message"}, the whole error as one string."""
    obj = error.error_object()
    message = obj.get("message") or ""
    if style == "new_api":
        body = {"message": f"{message} (request id: {request_id})", "type": "new_api_error",
                "param": "", "code": obj.get("code") or f"bad_response_status_code_{error.status}"}
        return ApiError(error.status, body["message"], body=body, headers=error.headers)
    if style == "status_code":
        return _WholeBody(error, {"status_code": error.status, "error": obj})
    return _WholeBody(error, {"error": message})


class _WholeBody(ApiError):
    """An error whose JSON is given whole (not wrapped in {"error": …} again)."""

    def __init__(self, error, whole):
        super().__init__(error.status, error.message, body=error.error_object(),
                         headers=error.headers)
        self._whole = whole

    def to_json(self, unwrapped=False):
        return json.dumps(self._whole).encode()


# ---------------------------------------------------------------- base64 dialects

def b64_literal(data, fmt, style, bad=False):
    """The JSON string literal (with quotes) carrying `data` in the given base64 style."""
    text = base64.b64encode(data).decode("ascii")
    if bad:
        # Characters outside the alphabet; a decoder that skips them is then misaligned too.
        mid = len(text) // 2
        text = text[:mid] + "*?!" + text[mid + 3:]
    if style in ("nopad", "dataurl_nopad"):
        text = text.rstrip("=")
    if style == "truncated":
        # Cut mid-value, at a length no padding rule accepts (4k + 1 characters).
        cut = max(5, len(text) // 2)
        text = text[: cut - (cut % 4) + 1]
    if style in ("dataurl", "dataurl_nopad"):
        text = f"data:{imaging.MIME[fmt]};base64,{text}"
    elif style in ("wrapped", "escaped_newlines"):
        # Written as JSON escapes: a JSON parser hands the client real line breaks.
        sep = "\\n" if style == "wrapped" else "\\r\\n"
        text = sep.join(text[i:i + 76] for i in range(0, len(text), 76))
    elif style == "escaped_slashes":
        text = text.replace("/", "\\/")
    return f'"{text}"'


def dumps_with_literals(obj, literals):
    """json.dumps, then splice pre-encoded string literals in place of their placeholders."""
    text = json.dumps(obj)
    for placeholder, literal in literals.items():
        text = text.replace(json.dumps(placeholder), literal, 1)
    return text.encode()


# ---------------------------------------------------------------- JSON bodies

def usage(job):
    """Token usage in OpenAI's shape, roughly proportional to what the real API reports."""
    text_tokens = max(1, len(job.prompt) // 4)
    image_tokens = 323 * len(job.input_images)
    per_image = {"low": 272, "medium": 1056, "high": 4160}.get(job.quality, 1056)
    output = round(per_image * job.width * job.height / (1024 * 1024)) * job.n_images
    output += 100 * job.partial_images
    return {"input_tokens": text_tokens + image_tokens, "output_tokens": output,
            "total_tokens": text_tokens + image_tokens + output,
            "input_tokens_details": {"text_tokens": text_tokens, "image_tokens": image_tokens}}


def resolved(job):
    """The quality/background a real route reports after resolving 'auto'."""
    quality = job.quality if job.quality in ("low", "medium", "high") else "medium"
    background = "transparent" if job.background == "transparent" else "opaque"
    return quality, background


def images_body(profile, job, served, b64_style, bad_b64=False, empty=False):
    """{"created", "data": [...], ...} for the served images, in the route's dialect.

    `served` items: {"data": bytes, "format": str, "delivery": "b64"|"url", "url": str|None}.
    """
    literals = {}
    data = []
    for i, item in enumerate(served):
        entry = {}
        if item["delivery"] in ("url", "both"):
            entry["url"] = item["url"]
        if item["delivery"] in ("b64", "both"):
            placeholder = f"\0b64-{i}\0"
            literals[placeholder] = b64_literal(item["data"], item["format"], b64_style, bad_b64)
            entry["b64_json"] = placeholder
        data.append(entry)
    body = {}
    if profile.official_body:
        body["created"] = int(time.time())
    body["data"] = [] if empty else data
    if profile.rules == OFFICIAL:
        quality, background = resolved(job)
        body.update(background=background, output_format=served[0]["format"] if served else
                    job.output_format, quality=quality, size=job.size)
    if profile.official_body:
        body["usage"] = usage(job)
    return dumps_with_literals(body, {} if empty else literals)


# ---------------------------------------------------------------- server-sent events

def sse_event(event, payload_bytes):
    return b"event: " + event.encode() + b"\ndata: " + payload_bytes + b"\n\n"


def sse_image_event(kind, endpoint, job, data, fmt, b64_style, bad_b64, index=None):
    """One partial_image or completed event, as bytes."""
    prefix = "image_edit" if endpoint == "edits" else "image_generation"
    event_type = f"{prefix}.{kind}"
    quality, background = resolved(job)
    payload = {"type": event_type, "b64_json": "\0b64\0", "created_at": int(time.time()),
               "size": job.size, "quality": quality, "background": background,
               "output_format": fmt}
    if kind == "partial_image":
        payload["partial_image_index"] = index
    else:
        payload["usage"] = usage(job)
    body = dumps_with_literals(payload, {"\0b64\0": b64_literal(data, fmt, b64_style, bad_b64)})
    return sse_event(event_type, body)


def sse_error_event(error):
    body = json.dumps({"type": "error", "error": error.error_object()}).encode()
    return sse_event("error", body)


SSE_DONE = b"data: [DONE]\n\n"
SSE_KEEPALIVE = b": keep-alive\n\n"

NOT_JSON_PAGE = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                 b"<body><center><h1>502 Bad Gateway</h1></center><hr>"
                 b"<center>nginx</center></body></html>\n")
LEADING_WHITESPACE = b"\n\n  \r\n\t \n"
