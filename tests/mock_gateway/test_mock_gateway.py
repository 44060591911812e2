"""Self-test of the mock gateway: a real server in a subprocess, driven over HTTP.

    /usr/bin/python3 -m unittest discover -s tests/mock_gateway
"""

import base64
import binascii
import hashlib
import http.client
import io
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest
import uuid
import zlib

from PIL import Image

PYTHON = "/usr/bin/python3"
SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mock_gateway.py")
KEY = "sk-test-123"


def start_server(*extra):
    proc = subprocess.Popen([PYTHON, SERVER, "--port", "0", "--quiet", *extra],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"mock gateway did not start: {line!r}")
    return proc, int(line.split()[1])


def png_bytes(size=(64, 48), mode="RGB", colour=None):
    buf = io.BytesIO()
    Image.new(mode, size, colour or ((10, 20, 30, 0) if "A" in mode else (10, 20, 30))[
        :len(mode)]).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes(size=(64, 48)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buf, "JPEG")
    return buf.getvalue()


def multipart(fields=(), files=()):
    """(body, content_type). files: (name, filename, content_type, data)."""
    boundary = "----pictor" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    for name, filename, ctype, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\n").encode()
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def decode_b64(value):
    """Decode the way a tolerant client must: strip a data-URL prefix, restore padding."""
    if value.startswith("data:"):
        value = value.split(",", 1)[1]
    value = "".join(value.split())
    value += "=" * (-len(value) % 4)
    return base64.b64decode(value, validate=True)


def image_of(data):
    return Image.open(io.BytesIO(data))


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class MockGatewayCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port_file = tempfile.NamedTemporaryFile(delete=False).name
        cls.proc, cls.port = start_server("--port-file", cls.port_file, "--lifetime", "300")

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(5)
        cls.proc.stdout.close()
        os.unlink(cls.port_file)

    def setUp(self):
        self.request("POST", "/_mock/reset")

    # ------------------------------------------------------------ helpers

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def base(self, profile, scenario=None):
        return f"/{profile}/{scenario}/v1" if scenario else f"/{profile}/v1"

    def gen(self, profile, body, scenario=None, key=KEY, raw=None):
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        data = raw if raw is not None else json.dumps(body).encode()
        return self.request("POST", self.base(profile, scenario) + "/images/generations",
                            data, headers)

    def edit(self, profile, fields, files, scenario=None, key=KEY):
        body, ctype = multipart(fields, files)
        headers = {"Content-Type": ctype, "Authorization": f"Bearer {key}"}
        return self.request("POST", self.base(profile, scenario) + "/images/edits", body, headers)

    def log(self):
        return self.request("GET", "/_mock/requests").json()

    def assertError(self, reply, status, param=None, code=None, contains=None):
        self.assertEqual(reply.status, status, reply.body[:300])
        err = reply.json()["error"]
        if param is not None:
            self.assertEqual(err.get("param"), param, err)
        if code is not None:
            self.assertEqual(err.get("code"), code, err)
        if contains is not None:
            self.assertIn(contains, err["message"])
        return err

    def raw_exchange(self, request_bytes, read_limit=None):
        """Send bytes on a fresh socket; return everything read until EOF (or read_limit)."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        try:
            sock.sendall(request_bytes)
            data = bytearray()
            while read_limit is None or len(data) < read_limit:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            return bytes(data)
        finally:
            sock.close()

    def raw_gen_request(self, scenario, body=None):
        body = json.dumps(body or {"model": "gpt-image-2", "prompt": "raw"}).encode()
        return (f"POST /openai/{scenario}/v1/images/generations HTTP/1.1\r\n"
                f"Host: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode() + body


class ServerBasics(MockGatewayCase):
    def test_health_and_port_file(self):
        self.assertEqual(self.request("GET", "/_mock/health").body, b"ok")
        with open(self.port_file) as f:
            self.assertEqual(int(f.read()), self.port)

    def test_unknown_routes_are_openai_404(self):
        self.assertError(self.gen("nosuch", {}), 404, contains="Invalid URL")
        r = self.request("POST", "/openai/v1/images/variations", b"{}")
        self.assertError(r, 404, contains="Invalid URL")
        self.assertError(self.request("GET", "/openai/v1/images/generations"), 404)
        self.assertError(self.gen("openai", {}, scenario="nonsense=1"), 404, contains="nonsense")
        self.assertError(self.gen("openai", {}, scenario="delay=soon"), 404, contains="delay")

    def test_expect_100_continue(self):
        body, ctype = multipart([("model", "gpt-image-2"), ("prompt", "p")],
                                [("image", "a.png", "image/png", png_bytes())])
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        try:
            sock.sendall((f"POST /openai/v1/images/edits HTTP/1.1\r\nHost: x\r\n"
                          f"Authorization: Bearer {KEY}\r\nContent-Type: {ctype}\r\n"
                          f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n"
                          "Connection: close\r\n\r\n").encode())
            interim = sock.recv(100)
            self.assertTrue(interim.startswith(b"HTTP/1.1 100 Continue"), interim)
            sock.sendall(body)
            rest = bytearray()
            while chunk := sock.recv(65536):
                rest += chunk
        finally:
            sock.close()
        self.assertIn(b"HTTP/1.1 200 OK", bytes(rest))

    def test_keep_alive_serves_several_requests(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            for _ in range(3):
                conn.request("POST", "/openai/v1/images/generations",
                             json.dumps({"model": "gpt-image-2", "prompt": "k"}),
                             {"Authorization": f"Bearer {KEY}"})
                resp = conn.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200)
        finally:
            conn.close()

    def test_4k_png_is_fast(self):
        start = time.monotonic()
        r = self.gen("openai", {"model": "gpt-image-2", "prompt": "big", "size": "3840x2160"})
        elapsed = time.monotonic() - start
        self.assertEqual(r.status, 200)
        self.assertEqual(image_of(decode_b64(r.json()["data"][0]["b64_json"])).size, (3840, 2160))
        self.assertLess(elapsed, 1.5)


class Lifecycle(unittest.TestCase):
    def test_lifetime_and_sigterm(self):
        short, _ = start_server("--lifetime", "0.5")
        term, _ = start_server()
        try:
            term.send_signal(signal.SIGTERM)
            start = time.monotonic()
            self.assertEqual(term.wait(5), 0)
            self.assertLess(time.monotonic() - start, 1)
            self.assertEqual(short.wait(5), 0)
        finally:
            for p in (short, term):
                if p.poll() is None:
                    p.kill()
                    p.wait()
                p.stdout.close()


class Profiles(MockGatewayCase):
    def test_openai_success(self):
        r = self.gen("openai", {"model": "gpt-image-2", "prompt": "two cats", "n": 2,
                                "size": "1536x1024", "quality": "low"})
        self.assertEqual(r.status, 200)
        self.assertRegex(r.header("x-request-id"), r"^req_\d+$")
        body = r.json()
        self.assertIsInstance(body["created"], int)
        self.assertEqual(set(body["usage"]), {"input_tokens", "output_tokens", "total_tokens",
                                              "input_tokens_details"})
        self.assertEqual(set(body["usage"]["input_tokens_details"]), {"text_tokens",
                                                                      "image_tokens"})
        images = [decode_b64(d["b64_json"]) for d in body["data"]]
        self.assertEqual(len(images), 2)
        self.assertNotEqual(images[0], images[1])
        for data in images:
            self.assertTrue(data.startswith(b"\x89PNG"))
            self.assertEqual(image_of(data).size, (1536, 1024))
        # Deterministic: the same request gives the same pixels.
        again = self.gen("openai", {"model": "gpt-image-2", "prompt": "two cats", "n": 2,
                                    "size": "1536x1024", "quality": "low"})
        self.assertEqual(decode_b64(again.json()["data"][0]["b64_json"]), images[0])

    def test_openai_formats_and_transparency(self):
        r = self.gen("openai", {"model": "gpt-image-2", "prompt": "j", "output_format": "jpeg",
                                "output_compression": 50})
        self.assertTrue(decode_b64(r.json()["data"][0]["b64_json"]).startswith(b"\xff\xd8\xff"))
        r = self.gen("openai", {"model": "gpt-image-2", "prompt": "w", "output_format": "webp"})
        self.assertEqual(image_of(decode_b64(r.json()["data"][0]["b64_json"])).format, "WEBP")
        r = self.gen("openai", {"model": "gpt-image-2", "prompt": "t", "background": "transparent",
                                "size": "1024x1024"})
        im = image_of(decode_b64(r.json()["data"][0]["b64_json"]))
        self.assertEqual((im.mode, im.size), ("RGBA", (1024, 1024)))
        self.assertEqual(im.getpixel((0, 0))[3], 0)

    def test_official_size_rules(self):
        for size in ("auto", "1024x1024", "1600x1200", "1792x1024", "2048x1536", "3840x1280",
                     "2160x3840"):
            r = self.gen("openai", {"model": "gpt-image-2", "prompt": "s", "size": size,
                                    "quality": "low"})
            self.assertEqual(r.status, 200, size)
        # 3200x1800 is listed as valid in GATEWAYS.md (copied from apiyi's docs), but 1800 is
        # not a multiple of 16, so the stated rule (and OpenAI's own) rejects it.
        for size in ("1000x1000", "4000x4000", "3840x1000", "512x512", "1024X1024", "big",
                     "3200x1800", "3840x2176"):
            self.assertError(self.gen("openai", {"model": "gpt-image-2", "prompt": "s",
                                                 "size": size}),
                             400, param="size", contains="Invalid size")

    def test_official_rejections(self):
        ok = {"model": "gpt-image-2", "prompt": "p"}
        cases = [
            ({"prompt": "p"}, "model"),
            ({**ok, "model": "gpt-image-1"}, "model"),
            ({"model": "gpt-image-2"}, "prompt"),
            ({**ok, "prompt": "x" * 32001}, "prompt"),
            ({**ok, "input_fidelity": "high"}, "input_fidelity"),
            ({**ok, "response_format": "b64_json"}, "response_format"),
            ({**ok, "quality": "hd"}, "quality"),
            ({**ok, "background": "green"}, "background"),
            ({**ok, "moderation": "none"}, "moderation"),
            ({**ok, "output_format": "gif"}, "output_format"),
            ({**ok, "output_compression": 80}, "output_compression"),
            ({**ok, "output_format": "jpeg", "output_compression": 101}, "output_compression"),
            ({**ok, "background": "transparent", "output_format": "jpeg"}, "background"),
            ({**ok, "n": 11}, "n"),
            ({**ok, "n": 0}, "n"),
            ({**ok, "n": "2"}, "n"),
            ({**ok, "partial_images": 4, "stream": True}, "partial_images"),
            ({**ok, "style": "vivid"}, "style"),
        ]
        for profile in ("openai", "laozhang-official"):
            for body, param in cases:
                with self.subTest(profile=profile, param=param):
                    r = self.gen(profile, body)
                    if profile == "laozhang-official" and param == "model":
                        self.assertEqual(r.status, 503)  # new-api: no channel for the model
                    else:
                        self.assertError(r, 400, param=param)
        self.assertEqual(self.gen("openai", {**ok, "prompt": "x" * 32000}).status, 200)
        self.assertEqual(self.gen("openai", {**ok, "prompt": "中文提示词"}).status, 200)
        self.assertError(self.gen("openai", None, raw=b"{not json"), 400)

    def test_auth(self):
        body = {"model": "gpt-image-2", "prompt": "p"}
        for key in (None, "", "sk-bad-123"):
            self.assertError(self.gen("openai", body, key=key), 401, code="invalid_api_key")
        r = self.request("POST", "/ruoli/v1/images/generations", json.dumps(body).encode(),
                         {"Authorization": "Basic c2s6eA=="})
        self.assertError(r, 401, code="invalid_api_key", contains="Incorrect API key")

    def test_apiyi(self):
        r = self.gen("apiyi", {"model": "gpt-image-2", "prompt": "p", "size": "2048x1152",
                               "quality": "high", "background": "opaque"})
        self.assertEqual(r.status, 200)
        self.assertIn("x-request-id", r.headers)
        self.assertTrue(decode_b64(r.json()["data"][0]["b64_json"]).startswith(b"\x89PNG"))
        self.assertFalse(r.json()["data"][0]["b64_json"].startswith("data:"))
        self.assertError(self.gen("apiyi", {"model": "gpt-image-2", "prompt": "p", "n": 2}), 400,
                         param="n", contains="n must be 1")
        self.assertError(self.gen("apiyi", {"model": "gpt-image-2", "prompt": "p",
                                            "background": "transparent"}), 400, param="background")
        self.assertError(self.gen("apiyi", {"model": "gpt-image-2-vip", "prompt": "p"}), 400,
                         param="model")

    def test_vip_routes(self):
        for profile, id_header in (("apiyi-vip", "x-request-id"),
                                   ("laozhang-vip", "x-api-request-id")):
            with self.subTest(profile=profile):
                self.request("POST", "/_mock/reset")
                r = self.gen(profile, {"model": "gpt-image-2-vip", "prompt": "v",
                                       "size": "2048x1152"})
                self.assertEqual(r.status, 200)
                self.assertIn(id_header, r.headers)
                body = r.json()
                self.assertNotIn("usage", body)
                url = body["data"][0]["url"]
                self.assertTrue(url.startswith(f"http://127.0.0.1:{self.port}/_mock/files/"))
                fetched = self.request("GET", url.split(str(self.port), 1)[1])
                self.assertEqual(fetched.header("content-type"), "image/png")
                self.assertEqual(image_of(fetched.body).size, (2048, 1152))
                file_entry = self.log()[-1]
                self.assertEqual((file_entry["endpoint"], file_entry["authorization"]),
                                 ("file", None))

                r = self.gen(profile, {"model": "gpt-image-2-vip", "prompt": "v", "n": 3,
                                       "response_format": "b64_json"})
                value = r.json()["data"][0]["b64_json"]
                self.assertTrue(value.startswith("data:image/png;base64,"))
                self.assertEqual(image_of(decode_b64(value)).size, (1280, 1280))  # default tier
                self.assertEqual(len(r.json()["data"]), 1)
                self.assertEqual(self.log()[-1]["billed_images"], 3)

                for extra, param in (({"size": "1024x1024"}, "size"), ({"size": "auto"}, "size"),
                                     ({"quality": "high"}, "quality"),
                                     ({"aspect_ratio": "16:9"}, "aspect_ratio"),
                                     ({"input_fidelity": "low"}, "input_fidelity"),
                                     ({"response_format": "png"}, "response_format")):
                    self.assertError(self.gen(profile, {"model": "gpt-image-2-vip",
                                                        "prompt": "v", **extra}), 400, param=param)
                r = self.gen(profile, {"model": "gpt-image-2-vip", "prompt": "v",
                                       "response_format": "b64_json", "output_format": "jpeg"})
                self.assertTrue(r.json()["data"][0]["b64_json"].startswith(
                    "data:image/jpeg;base64,"))

    def test_apiyi_all(self):
        r = self.gen("apiyi-all", {"model": "gpt-image-2-all", "prompt": "a"})
        self.assertEqual(r.status, 200)
        value = r.json()["data"][0]["b64_json"]
        self.assertTrue(value.startswith("data:image/png;base64,"))
        self.assertEqual(image_of(decode_b64(value)).size, (1024, 1024))
        for extra in ({"size": "1024x1024"}, {"quality": "low"}):
            self.assertError(self.gen("apiyi-all", {"model": "gpt-image-2-all", "prompt": "a",
                                                    **extra}), 400, param=next(iter(extra)))
        self.assertError(self.gen("apiyi-all", {"model": "gpt-image-2", "prompt": "a"}), 400,
                         param="model")

    def test_laozhang_reverse(self):
        r = self.gen("laozhang", {"model": "gpt-image-2", "prompt": "l"})
        self.assertEqual(r.status, 200)
        self.assertIn("x-api-request-id", r.headers)
        self.assertNotIn("x-request-id", r.headers)
        value = r.json()["data"][0]["b64_json"]
        self.assertTrue(value.startswith("data:image/png;base64,"))
        self.assertFalse(value.endswith("="))
        self.assertTrue(decode_b64(value).startswith(b"\x89PNG"))
        for extra in ({"size": "1024x1024"}, {"quality": "high"}):
            self.assertError(self.gen("laozhang", {"model": "gpt-image-2", "prompt": "l",
                                                   **extra}), 400, param=next(iter(extra)))
        r = self.gen("laozhang", {"model": "gpt-image-2-vip", "prompt": "l"})
        self.assertEqual(r.status, 503)
        self.assertEqual(r.json(), {"error": {
            "message": "No available channel for model gpt-image-2-vip under group default "
                       "(distributor)", "type": "new_api_error"}})
        r = self.gen("laozhang", {"model": "gpt-image-2", "prompt": "l", "response_format": "url"})
        self.assertIn("url", r.json()["data"][0])

    def test_laozhang_official(self):
        r = self.gen("laozhang-official", {"model": "gpt-image-2", "prompt": "o",
                                           "size": "1024x1536", "quality": "medium", "n": 2})
        self.assertEqual(r.status, 200)
        self.assertIn("x-request-id", r.headers)
        self.assertEqual(len(r.json()["data"]), 2)
        self.assertIn("usage", r.json())

    def test_ruoli(self):
        r = self.gen("ruoli", {"model": "gpt-image-2", "prompt": "r", "size": "2048x1152",
                               "quality": "hd", "n": 2})
        self.assertEqual(r.status, 200)
        data = r.json()["data"]
        self.assertEqual(len(data), 2)
        self.assertEqual(image_of(decode_b64(data[0]["b64_json"])).size, (2048, 1152))
        r = self.gen("ruoli", {"model": "gpt-image-2", "prompt": "r", "response_format": "url"})
        self.assertIn("url", r.json()["data"][0])
        for extra, param in (({"quality": "high"}, "quality"), ({"quality": "auto"}, "quality"),
                             ({"size": "1600x1200"}, "size"), ({"size": "auto"}, "size"),
                             ({"n": 11}, "n")):
            self.assertError(self.gen("ruoli", {"model": "gpt-image-2", "prompt": "r", **extra}),
                             400, param=param)
        self.assertEqual(self.gen("ruoli", {"model": "x", "prompt": "r"}).json()["error"]["type"],
                         "new_api_error")

    def test_input_fidelity_rejected_everywhere(self):
        models = {"apiyi-vip": "gpt-image-2-vip", "laozhang-vip": "gpt-image-2-vip",
                  "apiyi-all": "gpt-image-2-all"}
        for profile in ("openai", "apiyi", "apiyi-vip", "apiyi-all", "laozhang", "laozhang-vip",
                        "laozhang-official", "ruoli"):
            r = self.gen(profile, {"model": models.get(profile, "gpt-image-2"), "prompt": "p",
                                   "input_fidelity": "high"})
            self.assertError(r, 400, param="input_fidelity")


class Edits(MockGatewayCase):
    FIELDS = [("model", "gpt-image-2"), ("prompt", "make it blue")]

    def test_single_image_and_auto_size(self):
        r = self.edit("openai", self.FIELDS, [("image", "a.png", "image/png",
                                               png_bytes((1200, 800)))])
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(image_of(decode_b64(r.json()["data"][0]["b64_json"])).size, (1536, 1024))
        entry = self.log()[-1]
        self.assertEqual(entry["endpoint"], "edits")
        self.assertEqual(entry["fields"], dict(self.FIELDS))
        f = entry["files"][0]
        self.assertEqual((f["name"], f["filename"], f["content_type"], f["format"], f["width"],
                          f["height"], f["mode"]), ("image", "a.png", "image/png", "png", 1200,
                                                    800, "RGB"))
        self.assertEqual(f["sha256"], hashlib.sha256(png_bytes((1200, 800))).hexdigest())

    def test_image_array_and_mask(self):
        files = [("image[]", "a.png", "image/png", png_bytes((64, 48))),
                 ("image[]", "b.jpg", "image/jpeg", jpeg_bytes()),
                 ("image[]", "c.png", "image/png", png_bytes((32, 32))),
                 ("mask", "m.png", "image/png", png_bytes((64, 48), "RGBA"))]
        r = self.edit("openai", self.FIELDS + [("size", "1024x1024")], files)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(len(self.log()[-1]["files"]), 4)
        single = self.edit("openai", self.FIELDS, files[:1])
        self.assertEqual(single.status, 200)

    def test_upload_rejections(self):
        png, jpg = png_bytes(), jpeg_bytes()
        cases = [
            ([], "image", None),
            ([("image", "a.bin", "application/octet-stream", png)], "image",
             "unsupported mimetype"),
            ([("image", "a.png", None, png)], "image", "unsupported mimetype"),
            ([("image", "a.png", "image/png", jpg)], "image", "mismatch"),
            ([("image[]", "a.png", "image/jpeg", png)], "image[]", "mismatch"),
            ([("image", "a.png", "image/png", png), ("image[]", "b.png", "image/png", png)],
             "image", None),
            ([("image", "a.png", "image/png", png)] * 2, "image", None),
            ([("image[]", "a.png", "image/png", png)] * 17, "image", None),
            ([("image", "a.png", "image/png", png), ("mask", "m.png", "image/png", png)],
             "mask", "must have an alpha"),
            ([("image", "a.png", "image/png", png),
              ("mask", "m.png", "image/png", png_bytes((32, 32), "RGBA"))],
             "mask", "same dimensions"),
            ([("image", "a.png", "image/png", png), ("mask", "m.jpg", "image/jpeg", jpg)],
             "mask", "PNG"),
            ([("image", "a.png", "image/png", png), ("file", "x.png", "image/png", png)],
             "file", None),
        ]
        for files, param, contains in cases:
            with self.subTest(param=param, contains=contains, n=len(files)):
                self.assertError(self.edit("openai", self.FIELDS, files), 400, param=param,
                                 contains=contains)
        r = self.edit("openai", self.FIELDS + [("moderation", "low")],
                      [("image", "a.png", "image/png", png)])
        self.assertError(r, 400, param="moderation", code="unknown_parameter")
        r = self.edit("openai", self.FIELDS + [("n", "two")],
                      [("image", "a.png", "image/png", png)])
        self.assertError(r, 400, param="n")

    def test_file_size_limits(self):
        big = png_bytes() + b"\0" * (10 * 1024 * 1024)  # trailing bytes after IEND: still a PNG
        files = [("image", "big.png", "image/png", big)]
        self.assertError(self.edit("apiyi", self.FIELDS, files), 400, param="image",
                         contains="10 MB")
        self.assertEqual(self.edit("openai", self.FIELDS, files).status, 200)

    def test_edit_rules_follow_the_route(self):
        png = [("image", "a.png", "image/png", png_bytes((720, 1280)))]
        r = self.edit("apiyi-vip", [("model", "gpt-image-2-vip"), ("prompt", "v"),
                                    ("size", "720x1280")], png)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn("url", r.json()["data"][0])
        self.assertError(self.edit("apiyi-vip", [("model", "gpt-image-2-vip"), ("prompt", "v"),
                                                 ("quality", "low")], png), 400, param="quality")
        self.assertError(self.edit("laozhang", self.FIELDS + [("size", "1024x1024")], png), 400,
                         param="size")
        self.assertError(self.edit("apiyi", self.FIELDS + [("n", "2")], png), 400, param="n")

    def test_edit_stream(self):
        r = self.edit("openai", self.FIELDS + [("stream", "true"), ("partial_images", "1")],
                      [("image", "a.png", "image/png", png_bytes())])
        self.assertEqual(r.header("content-type"), "text/event-stream")
        events = [block.split("\n")[0] for block in r.body.decode().strip().split("\n\n")]
        self.assertEqual(events, ["event: image_edit.partial_image", "event: image_edit.completed",
                                  "data: [DONE]"])


def sse_events(body):
    """[(event, data)] from a text/event-stream body."""
    out = []
    for block in body.decode().strip().split("\n\n"):
        event, data = None, None
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
        out.append((event, data))
    return out


class Scenarios(MockGatewayCase):
    BODY = {"model": "gpt-image-2", "prompt": "scenario"}

    def test_status_times_retry_after_and_reset(self):
        scenario = "status=429,times=2,retry_after=1,tag=a"
        for _ in range(2):
            r = self.gen("openai", self.BODY, scenario)
            self.assertError(r, 429, code="rate_limit_exceeded")
            self.assertEqual(r.header("retry-after"), "1")
        self.assertEqual(self.gen("openai", self.BODY, scenario).status, 200)
        self.request("POST", "/_mock/reset")
        self.assertEqual(self.gen("openai", self.BODY, scenario).status, 429)
        date = "Wed%2C%2021%20Oct%202015%2007:28:00%20GMT"
        r = self.gen("openai", self.BODY, f"status=503,retry_after={date}")
        self.assertEqual(r.header("retry-after"), "Wed, 21 Oct 2015 07:28:00 GMT")

    def test_error_shapes(self):
        r = self.gen("openai", self.BODY, "status=403,code=moderation_blocked,error_delay=0.1")
        err = self.assertError(r, 403, code="moderation_blocked")
        self.assertTrue(err["message"].startswith("Your request was rejected by the safety"))
        r = self.gen("apiyi", self.BODY, "code=moderation_blocked")
        self.assertEqual(self.assertError(r, 400)["type"], "shell_api_error")
        r = self.gen("laozhang-official", self.BODY,
                     "status=500,message=upstream%20broke%2C%20sorry")
        self.assertEqual(self.assertError(r, 500)["type"], "new_api_error")
        self.assertEqual(r.json()["error"]["message"], "upstream broke, sorry")
        r = self.gen("openai", self.BODY, "status=502,unwrapped=1")
        self.assertEqual(r.status, 502)
        self.assertEqual(set(r.json()), {"message", "type", "param", "code"})
        r = self.gen("ruoli", self.BODY, "wrong_endpoint=1")
        self.assertEqual(r.status, 503)
        self.assertIn("/images/generations", r.json()["error"]["message"])

    def test_b64_styles_decode_to_the_same_image(self):
        reference = decode_b64(self.gen("openai", self.BODY).json()["data"][0]["b64_json"])
        for style in ("raw", "dataurl", "nopad", "dataurl_nopad", "wrapped", "escaped_newlines",
                      "escaped_slashes"):
            with self.subTest(style=style):
                r = self.gen("openai", self.BODY, f"b64={style}")
                value = r.json()["data"][0]["b64_json"]
                self.assertEqual(decode_b64(value), reference)
                if style == "wrapped":
                    self.assertIn(b"\\n", r.body)
                    self.assertIn("\n", value)
                if style == "escaped_newlines":
                    self.assertIn(b"\\r\\n", r.body)
                if style == "escaped_slashes":
                    self.assertIn(b"\\/", r.body)
                    self.assertNotIn(b"\\/", r.body.replace(b"\\/", b""))

    def test_broken_bodies(self):
        r = self.gen("openai", self.BODY, "malformed=1")
        self.assertEqual(r.status, 200)
        self.assertRaises(ValueError, json.loads, r.body)
        r = self.gen("openai", self.BODY, "not_json=1")
        self.assertEqual((r.status, r.header("content-type")), (200, "text/html; charset=utf-8"))
        self.assertEqual(self.gen("openai", self.BODY, "empty_data=1").json()["data"], [])
        data = decode_b64(self.gen("openai", self.BODY, "corrupt=1").json()["data"][0]["b64_json"])
        self.assertTrue(data.startswith(b"\x89PNG"))
        self.assertRaises(Exception, lambda: image_of(data).load())
        value = self.gen("openai", self.BODY, "bad_b64=1").json()["data"][0]["b64_json"]
        self.assertRaises(binascii.Error, decode_b64, value)
        r = self.gen("openai", self.BODY, "leading_ws=1")
        self.assertIn(r.body[:1], (b"\n", b" ", b"\r", b"\t"))
        self.assertEqual(len(r.json()["data"]), 1)

    def test_format_response_and_url_status(self):
        r = self.gen("openai", {**self.BODY, "output_format": "png"}, "format=webp")
        self.assertTrue(decode_b64(r.json()["data"][0]["b64_json"])[8:12] == b"WEBP")
        r = self.gen("apiyi-vip", {"model": "gpt-image-2-vip", "prompt": "p",
                                   "response_format": "b64_json"}, "format=jpeg")
        self.assertTrue(r.json()["data"][0]["b64_json"].startswith("data:image/jpeg;base64,"))
        url = self.gen("openai", self.BODY, "response=url,url_status=404").json()["data"][0]["url"]
        self.assertEqual(self.request("GET", url.split(str(self.port), 1)[1]).status, 404)
        r = self.gen("apiyi-vip", {"model": "gpt-image-2-vip", "prompt": "p"}, "response=b64")
        self.assertIn("b64_json", r.json()["data"][0])

    def test_request_id_header(self):
        r = self.gen("openai", self.BODY, "request_id_header=X-Oneapi-Request-Id")
        self.assertIn("x-oneapi-request-id", r.headers)
        self.assertNotIn("x-request-id", r.headers)
        r = self.gen("openai", self.BODY, "no_request_id=1")
        self.assertFalse([h for h in r.headers if "request-id" in h])

    def test_delay_and_heartbeat(self):
        start = time.monotonic()
        self.assertEqual(self.gen("openai", self.BODY, "delay=0.3").status, 200)
        self.assertGreaterEqual(time.monotonic() - start, 0.3)
        r = self.gen("openai", self.BODY, "heartbeat=0.1,delay=0.35")
        self.assertEqual((r.status, r.header("transfer-encoding")), (200, "chunked"))
        self.assertTrue(r.body.startswith(b"   "))
        self.assertEqual(len(r.json()["data"]), 1)
        r = self.gen("openai", self.BODY, "heartbeat=0.1,status=500,error_delay=0.2")
        self.assertEqual(r.status, 200)  # committed before the failure, as real gateways do
        self.assertIn("error", r.json())

    def test_drop_headers_and_body(self):
        self.assertEqual(self.raw_exchange(self.raw_gen_request("drop=headers")), b"")
        reply = self.raw_exchange(self.raw_gen_request("drop=body"))
        head, _, body = reply.partition(b"\r\n\r\n")
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        self.assertTrue(head.startswith(b"HTTP/1.1 200"))
        self.assertEqual(len(body), length // 2)
        self.assertEqual([e.get("outcome") for e in self.log()],
                         ["dropped before headers", "dropped mid-body"])

    def test_endless_stops_when_client_leaves(self):
        data = self.raw_exchange(self.raw_gen_request("endless=1"), read_limit=1_000_000)
        self.assertIn(b'{"data":[{"b64_json":"', data)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            outcome = self.log()[0].get("outcome")
            if outcome:
                break
            time.sleep(0.1)
        self.assertEqual(outcome, "endless: client disconnected")

    def test_bomb(self):
        data = decode_b64(self.gen("openai", self.BODY, "bomb=1").json()["data"][0]["b64_json"])
        self.assertLess(len(data), 100_000)
        self.assertEqual(data[12:16], b"IHDR")
        self.assertEqual(struct.unpack(">II", data[16:24]), (50000, 50000))
        pos = 8
        while pos < len(data):  # every chunk's CRC is right
            (length,) = struct.unpack(">I", data[pos:pos + 4])
            kind_and_payload = data[pos + 4:pos + 8 + length]
            (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
            self.assertEqual(zlib.crc32(kind_and_payload) & 0xFFFFFFFF, crc)
            pos += 12 + length
        self.assertEqual(self.log()[-1]["images"][0]["width"], 50000)

    def test_bombs_in_every_format(self):
        for fmt, size in (("jpeg", (65500, 65500)), ("webp", (16384, 16384))):
            data = decode_b64(self.gen("openai", self.BODY, f"bomb={fmt}").json()["data"][0]["b64_json"])
            self.assertLess(len(data), 10_000)
            Image.MAX_IMAGE_PIXELS = None
            try:
                self.assertEqual(Image.open(io.BytesIO(data)).size, size)
            finally:
                Image.MAX_IMAGE_PIXELS = 178956970

    def test_fixture_truncated_b64_and_redirect(self):
        data = decode_b64(self.gen("openai", self.BODY, "fixture=xc1n0g08.png").json()["data"][0]["b64_json"])
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "../data/pngsuite/png/xc1n0g08.png"), "rb") as f:
            self.assertEqual(data, f.read())
        text = self.gen("openai", self.BODY, "b64=truncated").json()["data"][0]["b64_json"]
        self.assertEqual(len(text) % 4, 1)
        r = self.gen("openai", self.BODY, "redirect=307")
        self.assertEqual(r.status, 307)
        self.assertTrue(r.header("location").startswith("http://localhost:"))
        self.assertTrue(r.header("location").endswith("/openai/v1/images/generations"))

    def test_sse(self):
        body = {**self.BODY, "stream": True, "partial_images": 2, "size": "1024x1024"}
        r = self.gen("openai", body, "sse_delay=0.05")
        self.assertEqual(r.header("content-type"), "text/event-stream")
        events = sse_events(r.body)
        self.assertEqual([e for e, _ in events], ["image_generation.partial_image",
                                                  "image_generation.partial_image",
                                                  "image_generation.completed", None])
        self.assertEqual(events[-1][1], "[DONE]")
        partials = [json.loads(d) for _, d in events[:2]]
        self.assertEqual([p["partial_image_index"] for p in partials], [0, 1])
        for p in partials:
            self.assertEqual((p["size"], p["output_format"]), ("1024x1024", "png"))
        completed = json.loads(events[2][1])
        self.assertIn("usage", completed)
        final = decode_b64(completed["b64_json"])
        self.assertNotEqual(decode_b64(partials[0]["b64_json"]), final)

        events = sse_events(self.gen("openai", body, "sse_done=0").body)
        self.assertEqual(events[-1][0], "image_generation.completed")
        events = sse_events(self.gen("openai", body, "sse_error=1,code=moderation_blocked").body)
        self.assertEqual([e for e, _ in events], ["image_generation.partial_image", "error"])
        self.assertEqual(json.loads(events[1][1])["error"]["code"], "moderation_blocked")
        # Routes that do not stream answer plain JSON; sse=0 forces that anywhere.
        self.assertIn("data", self.gen("openai", body, "sse=0").json())
        r = self.gen("ruoli", body)
        self.assertEqual(r.header("content-type"), "application/json")


class RequestLogTests(MockGatewayCase):
    def test_entries(self):
        self.gen("openai", {"model": "gpt-image-2", "prompt": "logged"}, key="sk-bad-1")
        self.gen("apiyi-vip", {"model": "gpt-image-2-vip", "prompt": "logged", "n": 2},
                 scenario="delay=0,tag=x")
        entries = self.log()
        self.assertEqual([e["seq"] for e in entries], [1, 2])
        first, second = entries
        self.assertEqual((first["status"], first["authorization"], first["billed_images"]),
                         (401, "Bearer sk-bad-1", 0))
        self.assertEqual(first["json"], {"model": "gpt-image-2", "prompt": "logged"})
        self.assertNotIn("authorization", first["headers"])
        self.assertEqual(first["headers"]["content-type"], "application/json")
        self.assertEqual((second["profile"], second["endpoint"], second["status"]),
                         ("apiyi-vip", "generations", 200))
        self.assertEqual(second["scenario"], {"delay": 0.0, "tag": "x"})
        self.assertEqual(second["json"]["n"], 2)
        self.assertEqual(second["billed_images"], 2)
        self.assertEqual(second["images"][0]["delivery"], "url")
        self.assertEqual((second["images"][0]["width"], second["images"][0]["height"]),
                         (1280, 1280))
        self.assertRegex(second["request_id"], r"^req_\d+$")


if __name__ == "__main__":
    unittest.main()
