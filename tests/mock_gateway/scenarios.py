"""The scenario path segment: fault and format injection, e.g. `status=429,times=2,retry_after=1`.

Grammar: pairs `key=value` joined by ','; each value is percent-decoded after splitting, so a
literal ',' inside a value is written %2C. A bare `key` means `key=1`. Unknown keys or bad
values make the URL invalid (404), so a typo never silently turns into a passing test.
"""

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import unquote


class ScenarioError(ValueError):
    pass


def _flag(v):
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected 0 or 1")


def _seconds(v):
    x = float(v)
    if not 0 <= x <= 3600:
        raise ValueError("expected seconds between 0 and 3600")
    return x


def _status(lo):
    def parse(v):
        x = int(v)
        if not lo <= x <= 599:
            raise ValueError(f"expected an HTTP status {lo}-599")
        return x
    return parse


def _count(v):
    x = int(v)
    if x < 0:
        raise ValueError("expected a count >= 0")
    return x


def _one_of(*choices):
    def parse(v):
        if v not in choices:
            raise ValueError("expected one of " + "|".join(choices))
        return v
    return parse


def _header_name(v):
    if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", v):
        raise ValueError("not a valid header name")
    return v.lower()


B64_STYLES = ("raw", "dataurl", "nopad", "dataurl_nopad", "wrapped", "escaped_newlines",
              "escaped_slashes", "truncated")


def _bomb(v):
    if v in ("1", "true", "png"):
        return "png"
    if v in ("jpeg", "webp"):
        return v
    raise ValueError("expected 1, png, jpeg or webp")


def _fixture(v):
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.png", v):
        raise ValueError("expected a file name from tests/data/pngsuite/png, e.g. xc1n0g08.png")
    return v


def _redirect(v):
    x = int(v)
    if x not in (301, 302, 303, 307, 308):
        raise ValueError("expected 301, 302, 303, 307 or 308")
    return x


def _rate(v):
    x = int(v)
    if x < 1:
        raise ValueError("expected bytes per second >= 1")
    return x

# key -> value parser. Keys marked in FAULT_KEYS stop applying once `times` is used up.
_PARSERS = {
    "status": _status(400), "code": str, "message": str, "unwrapped": _flag,
    "times": _count, "retry_after": str, "error_delay": _seconds,
    "delay": _seconds, "heartbeat": _seconds, "leading_ws": _flag,
    "b64": _one_of(*B64_STYLES), "response": _one_of("url", "b64", "both"),
    "url_status": _status(100), "format": _one_of("png", "jpeg", "webp"),
    "malformed": _flag, "not_json": _flag, "empty_data": _flag, "corrupt": _flag,
    "bad_b64": _flag, "drop": _one_of("headers", "body"), "endless": _flag, "bomb": _bomb,
    "fixture": _fixture, "redirect": _redirect, "read_rate": _rate, "trickle": _seconds,
    "request_id_header": _header_name, "no_request_id": _flag, "wrong_endpoint": _flag,
    "sse": _flag, "sse_done": _flag, "sse_error": _flag, "sse_delay": _seconds,
    "answer": _one_of("render", "upload"), "images": _count,
    "error_format": _one_of("route", "new_api", "status_code", "string"), "no_channel": _flag,
    "length_required": _flag,
    "tag": str,  # ignored: lets a test give its segment (and so its `times` counter) a unique name
}

FAULT_KEYS = frozenset({
    "status", "code", "message", "unwrapped", "retry_after", "error_delay", "wrong_endpoint",
    "drop", "malformed", "not_json", "empty_data", "corrupt", "bad_b64", "endless", "bomb",
    "url_status", "sse_error", "fixture", "redirect", "images", "no_channel", "length_required",
})


@dataclass(frozen=True)
class Scenario:
    raw: str = ""
    status: int | None = None
    code: str | None = None
    message: str | None = None
    unwrapped: bool = False
    times: int | None = None
    retry_after: str | None = None
    error_delay: float = 0.0
    delay: float = 0.0
    heartbeat: float | None = None
    leading_ws: bool = False
    b64: str | None = None
    response: str | None = None
    url_status: int | None = None
    format: str | None = None
    malformed: bool = False
    not_json: bool = False
    empty_data: bool = False
    corrupt: bool = False
    bad_b64: bool = False
    drop: str | None = None
    endless: bool = False
    bomb: str | None = None
    fixture: str | None = None
    redirect: int | None = None
    read_rate: int | None = None
    trickle: float = 0.0
    request_id_header: str | None = None
    no_request_id: bool = False
    wrong_endpoint: bool = False
    sse: bool | None = None
    sse_done: bool = True
    sse_error: bool = False
    sse_delay: float = 0.0
    answer: str = "render"
    images: int | None = None
    error_format: str = "route"
    no_channel: bool = False
    length_required: bool = False
    tag: str | None = None

    @property
    def error_status(self):
        """The injected HTTP error, if any (`code` alone implies 400)."""
        if self.status is not None:
            return self.status
        return 400 if self.code is not None else None

    def without_faults(self):
        """This scenario once its `times` budget is spent: presentation keys only."""
        defaults = {f.name: f.default for f in dataclasses.fields(self) if f.name in FAULT_KEYS}
        return dataclasses.replace(self, **defaults)

    def as_dict(self):
        """The keys given in the URL, parsed (for the request log)."""
        given = _given_keys(self.raw)
        return {k: getattr(self, k) for k in given}


def _given_keys(raw):
    return [unquote(item.partition("=")[0]) for item in raw.split(",") if item]


def parse(segment):
    """Parse the raw (still percent-encoded) path segment into a Scenario."""
    values = {}
    for item in segment.split(","):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key = unquote(key)
        if key not in _PARSERS:
            raise ScenarioError(f"unknown scenario key '{key}' (known: {', '.join(_PARSERS)})")
        try:
            values[key] = _PARSERS[key](unquote(value) if sep else "1")
        except ValueError as e:
            raise ScenarioError(f"bad value for scenario key '{key}': {e}") from None
    return Scenario(raw=segment, **values)
