"""Shared, thread-safe server state: the request log, `times` counters and url-delivered files."""

import copy
import json
import threading
import uuid
from collections import OrderedDict


class RequestLog:
    """Entries in arrival order. Handlers fill their entry in while answering."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def open(self, **fields):
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, **fields}
            self._entries.append(entry)
            return entry

    def update(self, entry, **fields):
        with self._lock:
            entry.update(fields)

    def append_to(self, entry, key, item):
        with self._lock:
            entry.setdefault(key, []).append(item)

    def to_json(self):
        with self._lock:
            return json.dumps(self._entries).encode()

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()


class Counters:
    """How many requests each scenario segment has seen (drives `times=K`), and request ids."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hits = {}
        self._request_ids = 0

    def hit(self, segment):
        with self._lock:
            self._hits[segment] = self._hits.get(segment, 0) + 1
            return self._hits[segment]

    def next_request_id(self):
        with self._lock:
            self._request_ids += 1
            return f"req_{self._request_ids}"

    def reset(self):
        with self._lock:
            self._hits.clear()


class FileStore:
    """Images handed out by URL. Bounded, oldest first out, so a long demo cannot grow forever.

    Files survive /_mock/reset: a URL already given to a client stays valid, like a CDN link.
    """

    def __init__(self, capacity=256):
        self._lock = threading.Lock()
        self._files = OrderedDict()
        self._capacity = capacity

    def put(self, data, mime, ext, status=200):
        name = f"{uuid.uuid4().hex}.{ext}"
        with self._lock:
            self._files[name] = (data, mime, status)
            while len(self._files) > self._capacity:
                self._files.popitem(last=False)
        return name

    def get(self, name):
        with self._lock:
            return self._files.get(name)


class BlobStore:
    """Request bodies' parts kept for tests to fetch: (seq, index) -> (bytes, content type).

    Bounded by total bytes, oldest request first out; /_mock/reset empties it with the log.
    """

    def __init__(self, max_bytes=256 * 1024 * 1024):
        self._lock = threading.Lock()
        self._blobs = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes

    def put(self, seq, index, data, content_type):
        with self._lock:
            old = self._blobs.pop((seq, index), None)
            if old is not None:
                self._bytes -= len(old[0])
            self._blobs[(seq, index)] = (data, content_type)
            self._bytes += len(data)
            while self._bytes > self._max_bytes and len(self._blobs) > 1:
                _, (dropped, _) = self._blobs.popitem(last=False)
                self._bytes -= len(dropped)

    def get(self, seq, index):
        with self._lock:
            return self._blobs.get((seq, index))

    def clear(self):
        with self._lock:
            self._blobs.clear()
            self._bytes = 0
