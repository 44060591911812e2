"""Loopback server for tests/bench: answers POST .../images/generations with a prepared JSON
answer, at full speed or throttled, optionally after a delay (a server that "generates").
POST .../images/edits reads the upload at `rate` instead (an uplink of that speed) and answers
only after its last byte, at full speed.

    bench_server.py FIXTURE_DIR [--port-file FILE]

URL: http://127.0.0.1:PORT/<fixture>/<rate>/<delay_ms>/v1/images/generations
  fixture   a file FIXTURE_DIR/<fixture> (e.g. 3840x2160.png.json)
  rate      bytes per second, 0 = as fast as the socket takes it
  delay_ms  wait before answering
"""

import argparse
import http.server
import os
import socketserver
import sys
import time

CHUNK = 64 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fixtures = {}

    def log_message(self, *args):
        pass

    def _read_throttled(self, length, rate_in, start, done):
        """`length` body bytes at `rate_in` bytes a second overall (`done` already read since
        `start`); returns the new total."""
        for at in range(0, length, CHUNK):
            if rate_in > 0:
                due = start + (done + at) / rate_in
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
            self.rfile.read(min(CHUNK, length - at))
        return done + length

    def do_POST(self):
        parts = self.path.strip("/").split("/")
        upload = self.path.endswith("/images/edits")
        rate_in = int(parts[1]) if upload and len(parts) >= 6 else 0
        start = time.monotonic()
        # Throttled: the upload takes its time at `rate`, with a length or chunked (a body
        # sent while its later parts are still being encoded).
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            done = 0
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                done = self._read_throttled(size, rate_in, start, done)
                self.rfile.readline(1024)  # the CRLF after the chunk
        else:
            self._read_throttled(int(self.headers.get("Content-Length") or 0), rate_in, start, 0)
        if len(parts) < 6 or parts[3] != "v1":
            self.send_error(404)
            return
        name, rate, delay_ms = parts[0], 0 if upload else int(parts[1]), int(parts[2])
        body = self.fixtures.get(name)
        if body is None:
            path = os.path.join(self.server.fixture_dir, os.path.basename(name))
            with open(path, "rb") as f:
                body = self.fixtures[name] = f.read()
        time.sleep(delay_ms / 1000)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", "req_bench")
        self.end_headers()
        view = memoryview(body)
        if rate <= 0:
            self.wfile.write(view)
            return
        # Throttled: keep to the byte budget of the time elapsed so far.
        start = time.monotonic()
        for at in range(0, len(body), CHUNK):
            due = start + at / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            self.wfile.write(view[at:at + CHUNK])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("fixture_dir")
    parser.add_argument("--port-file")
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.fixture_dir = args.fixture_dir
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"PORT {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
