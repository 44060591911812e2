"""A small multipart/form-data parser (RFC 7578), binary-safe, without the deprecated cgi module."""

from dataclasses import dataclass, field
from urllib.parse import unquote


class MultipartError(ValueError):
    pass


@dataclass
class Part:
    name: str
    filename: str | None        # None when the part carries no filename parameter
    content_type: str | None    # None when the part has no Content-Type header
    data: bytes
    headers: dict = field(default_factory=dict)

    def text(self):
        return self.data.decode("utf-8", errors="replace")


def parse_header_params(value):
    """'form-data; name="a"; filename="b.png"' -> ('form-data', {'name': 'a', 'filename': 'b.png'}).

    Handles quoted strings with backslash escapes and ';' inside quotes.
    """
    items, buf, quoted, escaped = [], [], False, False
    for ch in value:
        if escaped:
            buf.append(ch)
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif ch == ";" and not quoted:
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    items.append("".join(buf))
    main = items[0].strip().lower()
    params = {}
    for item in items[1:]:
        key, sep, val = item.partition("=")
        if not sep:
            continue
        key, val = key.strip().lower(), val.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1]
        if key.endswith("*") and "''" in val:  # RFC 5987: charset''percent-encoded
            charset, _, encoded = val.partition("''")
            key, val = key[:-1], unquote(encoded, encoding=charset or "utf-8", errors="replace")
        params[key] = val
    return main, params


def boundary_of(content_type):
    main, params = parse_header_params(content_type or "")
    if main != "multipart/form-data":
        raise MultipartError(f"expected multipart/form-data, got {main or 'no Content-Type'}")
    boundary = params.get("boundary", "")
    if not 1 <= len(boundary) <= 200:
        raise MultipartError("multipart boundary missing or too long")
    return boundary.encode("latin-1")


def parse(body, content_type):
    """Split a multipart/form-data body into Parts, in order."""
    delimiter = b"--" + boundary_of(content_type)
    # The first delimiter may open the body directly or follow a preamble line.
    if body.startswith(delimiter):
        pos = len(delimiter)
    else:
        start = body.find(b"\r\n" + delimiter)
        if start < 0:
            raise MultipartError("multipart body has no opening boundary")
        pos = start + 2 + len(delimiter)
    parts = []
    while True:
        if body.startswith(b"--", pos):
            return parts  # closing delimiter; the epilogue is ignored
        if not body.startswith(b"\r\n", pos):
            raise MultipartError("boundary not followed by CRLF")
        pos += 2
        head_end = body.find(b"\r\n\r\n", pos)
        if head_end < 0:
            raise MultipartError("part headers not terminated")
        headers = _parse_part_headers(body[pos:head_end])
        data_start = head_end + 4
        # A boundary only counts when it starts a line, so binary data may contain it otherwise.
        data_end = body.find(b"\r\n" + delimiter, data_start)
        if data_end < 0:
            raise MultipartError("multipart body is truncated (no closing boundary)")
        parts.append(_make_part(headers, body[data_start:data_end]))
        pos = data_end + 2 + len(delimiter)


def _parse_part_headers(raw):
    headers = {}
    for line in raw.split(b"\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            raise MultipartError(f"malformed part header {line[:60]!r}")
        headers[name.decode("latin-1").strip().lower()] = value.decode("utf-8", "replace").strip()
    return headers


def _make_part(headers, data):
    disposition, params = parse_header_params(headers.get("content-disposition", ""))
    if disposition != "form-data" or "name" not in params:
        raise MultipartError("part without Content-Disposition: form-data; name=...")
    content_type = headers.get("content-type")
    if content_type is not None:
        content_type = content_type.split(";")[0].strip().lower()
    return Part(params["name"], params.get("filename"), content_type, data, headers)
