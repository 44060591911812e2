#!/usr/bin/python3
"""Mock image gateway for pictor's tests and demo: OpenAI's Images API and the relays we ship.

    /usr/bin/python3 tests/mock_gateway/mock_gateway.py [--port 0] [--port-file FILE]
                                                        [--lifetime 3600] [--quiet]

Serves http://127.0.0.1:PORT/<profile>[/<scenario>]/v1/images/{generations,edits} plus the
/_mock/ control endpoints; see README.md next to this file for the full grammar.
Run it with Debian's /usr/bin/python3, which has PIL.
"""

import argparse
import hashlib
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import errors
import imaging
import multipart_form
import payloads
import scenarios
import validation
from errors import ApiError
from profiles import PROFILES
from state import BlobStore, Counters, FileStore, RequestLog

MAX_BODY = 1024 * 1024 * 1024        # 16 uploads of 50 MB fit; anything bigger is a client bug
ENDLESS_SECONDS = 60
ENDLESS_BYTES = 2 * 1024 * 1024 * 1024
ENDPOINTS = ("generations", "edits")
PNGSUITE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "pngsuite", "png")


class ClientGone(Exception):
    """The client closed the connection (or stopped reading) while we were answering."""


class RequestError(Exception):
    """The HTTP request itself is unusable (bad length, truncated body)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def parse_route(path):
    """'/openai/delay=1/v1/images/edits' -> ('openai', 'delay=1', 'edits'), '/openai/v1/models'
    -> ('openai', '', 'models'), or None."""
    parts = path.split("/")
    if parts[-2:] == ["v1", "models"] and len(parts) in (4, 5) and parts[1] in PROFILES:
        return parts[1], parts[2] if len(parts) == 5 else "", "models"  # GET: the model list
    if len(parts) == 5:
        profile, segment, rest = parts[1], "", parts[2:]
    elif len(parts) == 6:
        profile, segment, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    if rest[:2] != ["v1", "images"] or rest[2] not in ENDPOINTS or profile not in PROFILES:
        return None
    return profile, segment, rest[2]


class MockServer(ThreadingHTTPServer):
    daemon_threads = True        # an endless stream must never hold up shutdown
    allow_reuse_address = True

    def __init__(self, address, quiet, tls_context=None):
        super().__init__(address, Handler)
        self.quiet = quiet
        # With TLS, each connection is wrapped in its handler's thread (see Handler.setup), so a
        # client that refuses our certificate never blocks the accept loop.
        self.tls_context = tls_context
        self.scheme = "https" if tls_context is not None else "http"
        self.log = RequestLog()
        self.counters = Counters()
        self.files = FileStore()
        self.uploads = BlobStore()   # each edit's file parts, as sent
        self.served = BlobStore()    # each answer's images, as served

    @property
    def port(self):
        return self.server_address[1]


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 gives keep-alive and makes BaseHTTPRequestHandler answer Expect: 100-continue.
    protocol_version = "HTTP/1.1"
    server_version = "pictor-mock-gateway/1"
    timeout = 120  # an idle keep-alive connection or a stalled client frees its thread eventually

    def setup(self):
        self._tls_failed = None
        self._plain_on_tls = False
        if self.server.tls_context is not None:
            # A TLS ClientHello starts with 0x16. Anything else is plain HTTP: served for the
            # /_mock/ control endpoints (the tests' helper), refused and logged for the API.
            self.request.settimeout(10)
            try:
                first = self.request.recv(1, socket.MSG_PEEK)
            except OSError:
                first = b""
            if first == b"\x16":
                try:
                    self.request = self.server.tls_context.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    # Logged, so a test can prove the client gave up before sending any header.
                    self._tls_failed = str(e)
                    self.server.log.open(method=None, path=None, endpoint="tls",
                                         outcome=f"handshake failed: {e}", authorization=None)
            else:
                self._plain_on_tls = True
        super().setup()

    def handle(self):
        if self._tls_failed is None:
            super().handle()

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write(f"mock_gateway: {self.address_string()} {fmt % args}\n")

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    do_PUT = do_DELETE = do_PATCH = do_POST

    # ------------------------------------------------------------ plumbing

    def _dispatch(self):
        self._chunked = False     # True once a chunked 200 has been started (heartbeat, SSE)
        self._sse = False         # True when answering with text/event-stream
        self._entry = None
        path = urlsplit(self.path).path
        self._received_at = time.time()  # the request's headers are in: its body starts
        try:
            body = self._read_body(self._read_rate(path))
            self._body_read_at = time.time()
        except RequestError as e:
            self.close_connection = True
            self._send(e.status, ApiError(e.status, str(e)).to_json())
            return
        except ClientGone:
            self.close_connection = True
            return
        try:
            if path.startswith("/_mock/"):
                self._control(path)
            else:
                self._api(path, body)
        except ClientGone:
            self.close_connection = True
        except Exception:
            # A bug in the mock: say so loudly rather than leave the client with an empty reply.
            traceback.print_exc()
            self.close_connection = True
            if not self._chunked:
                try:
                    self._send(500, ApiError(500, "mock gateway internal error (see its stderr)",
                                             type_="mock_error").to_json())
                except ClientGone:
                    pass

    @staticmethod
    def _read_rate(path):
        """`read_rate=` of the scenario in `path`, if any: read the upload that slowly."""
        route = parse_route(path)
        if route is None or not route[1]:
            return None
        try:
            return scenarios.parse(route[1]).read_rate
        except scenarios.ScenarioError:
            return None  # reported properly once the body is read

    def _read_body(self, rate=None):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise RequestError(400, "Invalid Content-Length header.") from None
        if n < 0:
            raise RequestError(400, "Invalid Content-Length header.")
        if n > MAX_BODY:
            raise RequestError(413, "Request body too large for the mock gateway.")
        if rate:
            data = self._read_slowly(n, rate)
        else:
            data = self.rfile.read(n)
        if len(data) < n:
            raise ClientGone()
        return data

    def _read_slowly(self, n, rate):
        """n bytes at about `rate` bytes a second: a slow uplink, to cancel an upload mid-way."""
        out = bytearray()
        step = max(1, rate // 10)
        while len(out) < n:
            chunk = self.rfile.read(min(step, n - len(out)))
            if not chunk:
                break
            out += chunk
            time.sleep(0.1)
        return bytes(out)

    def _read_chunked(self):
        out = bytearray()
        while True:
            line = self.rfile.readline(1024)
            if not line:
                raise ClientGone()
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise RequestError(400, "Malformed chunked request body.") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(out)
            if len(out) + size > MAX_BODY:
                raise RequestError(413, "Request body too large for the mock gateway.")
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise ClientGone()
            out += chunk
            self.rfile.readline(1024)  # CRLF after the chunk

    def _send(self, status, body, content_type="application/json", headers=None, outcome=None):
        """A complete response with Content-Length (or the tail of an already started stream).

        The log is updated before the last byte goes out, so a client that reads the log as
        soon as it has its answer always finds the entry complete.
        """
        if outcome:
            self._record(outcome=outcome)
        if self._chunked:
            self._chunk(body)
            self._end_chunked()
            return
        self._record(status=status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(body)

    def _begin_chunked(self, status, content_type, headers=None):
        self._record(status=status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._flush()
        self._chunked = True

    def _chunk(self, data):
        if data:
            self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def _end_chunked(self):
        self._write(b"0\r\n\r\n")

    def _write(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError as e:  # broken pipe, reset, or a send timeout on a stalled client
            raise ClientGone() from e

    def _flush(self):
        try:
            self.wfile.flush()
        except OSError as e:
            raise ClientGone() from e

    def _record(self, **fields):
        if self._entry is not None:
            self.server.log.update(self._entry, **fields)

    # ------------------------------------------------------------ /_mock/ control endpoints

    def _control(self, path):
        method = self.command
        if method == "GET" and path == "/_mock/health":
            self._send(200, b"ok", "text/plain")
        elif method == "GET" and path == "/_mock/requests":
            self._send(200, self.server.log.to_json())
        elif method == "POST" and path == "/_mock/reset":
            self.server.log.clear()
            self.server.counters.reset()
            self.server.uploads.clear()
            self.server.served.clear()
            self._send(200, b'{"ok":true}')
        elif method == "GET" and path.startswith(("/_mock/uploads/", "/_mock/images/")):
            self._serve_blob(path)
        elif method == "GET" and path.startswith("/_mock/files/"):
            self._serve_file(path)
        else:
            self._send(404, b"unknown mock control endpoint\n", "text/plain")

    def _serve_file(self, path):
        # Logged with its Authorization header: tests prove the API key never reaches the CDN.
        self._entry = self.server.log.open(
            method=self.command, path=self.path, endpoint="file",
            authorization=self.headers.get("Authorization"), headers=self._plain_headers(),
            status=None)
        stored = self.server.files.get(path.rsplit("/", 1)[-1])
        if stored is None:
            self._send(404, b"no such file\n", "text/plain")
            return
        data, mime, status = stored
        if status in (301, 302, 303, 307, 308) and "hop=1" not in self.path:
            # Another host name for the same server: where a client must not send the key.
            name = path.rsplit("/", 1)[-1]
            location = f"{self.server.scheme}://localhost:{self.server.port}/_mock/files/{name}?hop=1"
            self._send(status, b"moved\n", "text/plain", headers={"Location": location})
            return
        if status in (301, 302, 303, 307, 308):
            self._send(200, data, mime)
            return
        if status != 200:
            self._send(status, f"HTTP {status} (injected by url_status)\n".encode(), "text/plain")
            return
        self._send(200, data, mime)

    def _serve_blob(self, path):
        """/_mock/uploads/SEQ/INDEX (a file part as sent) or /_mock/images/SEQ/INDEX (an image as
        served); with `.rgba`, its pixels decoded by PIL as RGBA8 rows, top first, the size in
        X-Width / X-Height: tests compare pixels without pictor's own decoder."""
        kind, seq, name = path.split("/")[2:5] if path.count("/") == 4 else (None, None, None)
        index, _, suffix = (name or "").partition(".")
        store = {"uploads": self.server.uploads, "images": self.server.served}.get(kind)
        blob = (store.get(int(seq), int(index))
                if store is not None and seq.isdigit() and index.isdigit() and suffix in ("", "rgba")
                else None)
        if blob is None:
            self._send(404, b"no such upload or image (see the request log's files / images)\n",
                       "text/plain")
            return
        data, content_type = blob
        if suffix == "":
            self._send(200, data, content_type or "application/octet-stream")
            return
        rgba = imaging.decode_rgba(data)
        if rgba is None:
            self._send(422, b"not decodable by PIL (or too large)\n", "text/plain")
            return
        self._send(200, rgba.tobytes(), "application/octet-stream",
                   headers={"X-Width": str(rgba.width), "X-Height": str(rgba.height)})

    def _plain_headers(self):
        headers = {}
        for name, value in self.headers.items():
            name = name.lower()
            if name != "authorization":
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return headers

    # ------------------------------------------------------------ the image API

    def _api(self, path, body):
        server = self.server
        request_id = server.counters.next_request_id()
        route = parse_route(path)
        self._entry = server.log.open(
            method=self.command, path=self.path, profile=route[0] if route else None,
            scenario={}, endpoint=route[2] if route else None,
            authorization=self.headers.get("Authorization"), headers=self._plain_headers(),
            json=None, fields={}, files=[], status=None, images=[], billed_images=0,
            request_id=request_id, received_at=self._received_at, body_read_at=self._body_read_at)
        id_header = {"x-request-id": request_id}
        scenario = None
        try:
            if self._plain_on_tls:
                raise ApiError(400, "Plain HTTP sent to a TLS gateway (the mock was started with "
                                    "--tls-cert).", type_="mock_error")
            if route is None or self.command != ("GET" if route[2] == "models" else "POST"):
                raise errors.invalid_url(self.command, path)
            profile_name, segment, endpoint = route
            try:
                scenario = scenarios.parse(segment)
            except scenarios.ScenarioError as e:
                raise ApiError(404, f"mock gateway: {e}", type_="mock_error") from None
            self._record(scenario=scenario.as_dict())
            if scenario.times is not None and server.counters.hit(segment) > scenario.times:
                scenario = scenario.without_faults()
                self._record(faults="spent")
            profile = PROFILES[profile_name]
            id_header = self._request_id_header(profile, scenario, request_id)
            if endpoint == "models":
                self._models(profile, scenario, id_header, request_id)
            else:
                self._answer(profile, endpoint, scenario, body, id_header, request_id)
        except ApiError as e:
            self._send_error(e, id_header, scenario)
        except ClientGone:
            self.close_connection = True
            self._record(outcome="client disconnected")

    @staticmethod
    def _request_id_header(profile, scenario, request_id):
        if scenario.no_request_id:
            return {}
        return {scenario.request_id_header or profile.request_id_header: request_id}

    def _send_error(self, error, id_header, scenario=None):
        unwrapped = bool(scenario and scenario.unwrapped)
        body = error.to_json(unwrapped=unwrapped)
        if scenario is not None and scenario.error_format != "route":
            error = payloads.reformat_error(error, scenario.error_format,
                                            self._entry.get("request_id") if self._entry else "")
            body = error.to_json(unwrapped=unwrapped)
        self._record(error=error.error_object())
        if self._chunked and self._sse:
            body = payloads.sse_error_event(error)
        self._send(error.status, body, headers={**id_header, **error.headers}, outcome="error")

    def _answer(self, profile, endpoint, sc, body, id_header, request_id):
        # The body is parsed (and logged) first, but a parse error is only reported where a
        # real server would, after the key check.
        try:
            fields, files = self._parse_request(endpoint, body)
            parse_error = None
        except ApiError as e:
            parse_error = e
        # Gateway-level faults come first: they do not depend on the request being valid.
        if sc.drop == "headers":
            self.close_connection = True
            self._record(outcome="dropped before headers")
            return
        if sc.wrong_endpoint:
            raise payloads.wrong_endpoint_error(profile)
        if sc.no_channel:
            model = (fields.values.get("model") if parse_error is None else None) or profile.model
            raise errors.no_channel(model if isinstance(model, str) else profile.model)
        if sc.length_required and "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise ApiError(411, "Length Required: send the request with a Content-Length.")
        if sc.redirect:
            # Same server, another host name, no scenario: if a client followed with its key,
            # the log would show the key arriving there.
            location = (f"{self.server.scheme}://localhost:{self.server.port}/{profile.name}"
                        f"/v1/images/{endpoint}")
            self._send(sc.redirect, b'{"moved": true}', headers={**id_header, "Location": location},
                       outcome="redirected")
            return
        # An injected status is an immediate reply, unless it has to wait for a committed 200
        # (heartbeat) or describes the mid-stream error event (sse_error).
        if sc.error_status and sc.heartbeat is None and not sc.sse_error:
            time.sleep(sc.error_delay)
            raise payloads.injected_error(profile, sc, request_id)

        self._check_auth()
        if endpoint not in profile.endpoints:
            # The route does not serve this endpoint: what its gateway answers (see profiles.py).
            raise payloads.wrong_endpoint_error(profile)
        if parse_error:
            raise parse_error
        job = validation.validate(profile, endpoint, fields, files)
        sse = self._sse = job.stream and (profile.streams if sc.sse is None else sc.sse)

        keepalive = payloads.SSE_KEEPALIVE if sse else b" "
        if sc.heartbeat is not None:
            self._begin_chunked(200, "text/event-stream" if sse else "application/json",
                                id_header)
        if sc.error_status and not (sse and sc.sse_error):
            self._wait(sc.error_delay, sc.heartbeat, keepalive)
            raise payloads.injected_error(profile, sc, request_id)
        self._wait(sc.delay, sc.heartbeat, keepalive)

        if sc.endless:
            self._endless(id_header)
            return
        served, renders = self._make_images(profile, endpoint, job, sc)
        self._record(billed_images=job.billed, images=[
            {k: item[k] for k in ("sha256", "format", "width", "height", "delivery", "fetch")}
            for item in served])
        b64_style = sc.b64 or profile.b64_style
        if sse:
            self._stream_events(endpoint, job, sc, served, renders, b64_style, id_header,
                                request_id, profile)
            return
        self._send_images(profile, job, sc, served, b64_style, id_header)

    def _models(self, profile, sc, id_header, request_id):
        """GET /v1/models as OpenAI serves it: the key is checked, nothing is billed. An
        injected status (status=404: a route without a model list) answers instead."""
        if sc.error_status:
            raise payloads.injected_error(profile, sc, request_id)
        self._check_auth()
        listing = {"object": "list", "data": [
            {"id": profile.model, "object": "model", "created": 1745971200, "owned_by": "openai"}]}
        self._send(200, json.dumps(listing).encode(), headers=id_header, outcome="model list")

    def _check_auth(self):
        value = self.headers.get("Authorization") or ""
        scheme, _, key = value.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or key.startswith("sk-bad"):
            raise errors.bad_api_key()

    def _parse_request(self, endpoint, body):
        """Typed fields plus described uploads; both go to the request log as they are parsed."""
        if endpoint == "generations":
            try:
                data = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                data = None
            if not isinstance(data, dict):
                raise ApiError(400, "We could not parse the JSON body of your request. The "
                                    "OpenAI API expects a JSON payload.", code=None)
            self._record(json=data)
            return validation.Fields(data, from_form=False), []
        content_type = self.headers.get("Content-Type", "")
        try:
            parts = multipart_form.parse(body, content_type)
        except multipart_form.MultipartError as e:
            raise ApiError(400, f"Invalid multipart/form-data request ({e}). Image edits expect "
                                "multipart/form-data with image or image[] parts.") from None
        texts, files = {}, []
        seq = self._entry["seq"]
        for part in parts:
            if part.filename is not None or part.name in validation.FILE_FIELDS:
                described = validation.describe_file(part)
                described["index"] = len(files)
                described["fetch"] = f"/_mock/uploads/{seq}/{len(files)}"
                self.server.uploads.put(seq, len(files), part.data, part.content_type)
                files.append(described)
            else:
                texts[part.name] = part.text()
        self._record(fields=texts, files=[{k: v for k, v in f.items() if not k.startswith("_")}
                                          for f in files])
        return validation.Fields(texts, from_form=True), files

    def _wait(self, seconds, heartbeat, keepalive):
        """Sleep, sending a keep-alive chunk every `heartbeat` seconds (None: silently)."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if heartbeat is None or heartbeat <= 0 or heartbeat > left:
                time.sleep(left)
                return
            time.sleep(heartbeat)
            self._chunk(keepalive)

    def _make_images(self, profile, endpoint, job, sc):
        """Render and encode the job's images; url deliveries are stored for /_mock/files."""
        served, renders = [], []
        count = job.n_images if sc.images is None else min(sc.images, job.n_images)
        seq = self._entry["seq"]
        for index in range(count):
            fmt = sc.format or job.output_format
            width, height = job.width, job.height
            image = None
            if sc.bomb:
                fmt = sc.bomb
                data = imaging.BOMBS[fmt]()
                width, height = {"png": (50000, 50000), "jpeg": (65500, 65500),
                                 "webp": (16384, 16384)}[fmt]
            elif sc.fixture:
                # PngSuite's files as they are, the corrupt x*.png among them.
                with open(os.path.join(PNGSUITE_DIR, sc.fixture), "rb") as f:
                    data = f.read()
                fmt, width, height = "png", 0, 0
            elif (sc.answer == "upload" and endpoint == "edits"
                  and (first := imaging.decode_rgba(job.input_images[0]["_data"])) is not None):
                mask = imaging.decode_rgba(job.mask["_data"]) if job.mask else None
                image = imaging.answer_from_upload(first, mask, job.prompt, index, width, height)
                data = imaging.encode(image, fmt, job.compression)
            else:
                transparent = job.background == "transparent" and fmt != "jpeg"
                image = imaging.render(job.prompt, index, width, height, transparent)
                data = imaging.encode(image, fmt, job.compression)
            if sc.corrupt:
                data = imaging.truncated(data)
            delivery = sc.response or job.delivery
            url = None
            if delivery in ("url", "both"):
                name = self.server.files.put(data, imaging.MIME[fmt], imaging.EXT[fmt],
                                             status=sc.url_status or 200)
                url = f"{self.server.scheme}://127.0.0.1:{self.server.port}/_mock/files/{name}"
            self.server.served.put(seq, index, data, imaging.MIME[fmt])
            served.append({"data": data, "format": fmt, "width": width, "height": height,
                           "delivery": delivery, "url": url, "fetch": f"/_mock/images/{seq}/{index}",
                           "sha256": hashlib.sha256(data).hexdigest()})
            renders.append(image)
        return served, renders

    def _send_images(self, profile, job, sc, served, b64_style, id_header):
        if sc.not_json:
            self._send(200, payloads.NOT_JSON_PAGE, "text/html; charset=utf-8", id_header, "ok")
            return
        body = payloads.images_body(profile, job, served, b64_style, sc.bad_b64, sc.empty_data)
        if sc.malformed:
            body = body[: max(1, min(len(body) // 2, 200))]  # cut inside the object
        if sc.leading_ws:
            body = payloads.LEADING_WHITESPACE + body
        if sc.drop == "body":
            self._drop_mid_body(200, body, "application/json", id_header)
            return
        if sc.trickle and not self._chunked:
            self._send_slowly(200, body, "application/json", id_header, sc.trickle)
            return
        self._send(200, body, headers=id_header, outcome="ok")

    def _send_slowly(self, status, body, content_type, headers, seconds):
        """The whole body, spread over `seconds` in 20 pieces: a slow download to cancel."""
        self._record(status=status, outcome="ok")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        step = max(1, -(-len(body) // 20))
        for at in range(0, len(body), step):
            self._write(body[at:at + step])
            time.sleep(seconds / 20)

    def _drop_mid_body(self, status, body, content_type, headers):
        self._record(outcome="dropped mid-body")
        self.close_connection = True
        half = body[: len(body) // 2]
        if self._chunked:
            self._chunk(half)
            return
        self._record(status=status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self._write(half)

    def _stream_events(self, endpoint, job, sc, served, renders, b64_style, id_header,
                       request_id, profile):
        """text/event-stream: partial images, then completed, then [DONE] (unless sse_done=0)."""
        if not self._chunked:
            self._begin_chunked(200, "text/event-stream", id_header)
        sent_any = False
        for kind, event in self._sse_image_events(endpoint, job, sc, served, renders, b64_style):
            if sc.sse_error and (sent_any or kind == "completed"):
                # After the first partial, or before completed when there are no partials.
                time.sleep(sc.sse_delay)
                error = payloads.injected_error(profile, sc, request_id, default_status=500)
                self._record(outcome="sse error", error=error.error_object())
                self._chunk(payloads.sse_error_event(error))
                self._end_chunked()
                return
            if sent_any:
                time.sleep(sc.sse_delay)
            if kind == "completed" and sc.drop == "body":
                self._drop_mid_body(200, event, "text/event-stream", id_header)
                return
            self._chunk(event)
            sent_any = True
        if sc.sse_done:
            time.sleep(sc.sse_delay)
            self._chunk(payloads.SSE_DONE)
        self._record(outcome="ok")
        self._end_chunked()

    @staticmethod
    def _sse_image_events(endpoint, job, sc, served, renders, b64_style):
        """(kind, event bytes) per image: its partials (blurred renders), then its completed."""
        for item, image in zip(served, renders):
            fmt = item["format"]
            for step in range(job.partial_images):
                data = item["data"] if image is None else imaging.encode(
                    imaging.partial(image, step, job.partial_images), fmt, job.compression)
                yield "partial", payloads.sse_image_event(
                    "partial_image", endpoint, job, data, fmt, b64_style, sc.bad_b64, step)
            yield "completed", payloads.sse_image_event(
                "completed", endpoint, job, item["data"], fmt, b64_style, sc.bad_b64)

    def _endless(self, id_header):
        """A 200 whose base64 never ends: stops after 60 s, 2 GiB, or when the client leaves."""
        if not self._chunked:
            self._begin_chunked(200, "application/json", id_header)
        self.connection.settimeout(5)  # a client that stops reading counts as gone
        block = (b"iVBORw0KGgoAAAANSUhEUgAA" * 2731)[:65536]
        deadline, sent = time.monotonic() + ENDLESS_SECONDS, 0
        self.close_connection = True
        try:
            self._chunk(b'{"data":[{"b64_json":"')
            while time.monotonic() < deadline and sent < ENDLESS_BYTES:
                self._chunk(block)
                sent += len(block)
            outcome = "endless: limit reached"
        except ClientGone:
            outcome = "endless: client disconnected"
        self._record(outcome=outcome, bytes_sent=sent)


def write_port_file(path, port):
    """Write via a temporary file and rename, so a reader never sees a partial number."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="also write the port number to this file")
    parser.add_argument("--lifetime", type=float, default=3600,
                        help="exit by itself after this many seconds (default 3600)")
    parser.add_argument("--quiet", action="store_true", help="no per-request log on stderr")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain)")
    parser.add_argument("--tls-key", help="the certificate's PEM private key")
    args = parser.parse_args(argv)
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    # Handlers go in before the port is announced: a caller may signal as soon as it reads it.
    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(True))
    server = MockServer(("127.0.0.1", args.port), args.quiet, tls_context)
    print(f"PORT {server.port}", flush=True)
    if args.port_file:
        write_port_file(args.port_file, server.port)

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    # Polling keeps signal handling trivial: a handler only appends, the loop notices within 0.1 s.
    deadline = time.monotonic() + args.lifetime
    while not stopping and time.monotonic() < deadline:
        time.sleep(0.1)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
