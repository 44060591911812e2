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
