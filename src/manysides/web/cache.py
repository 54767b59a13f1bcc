"""A small thread-safe LRU of prepared responses, keyed on the stored data's version (so a
newly stored briefing or perspective is a new key), and ``Prepared``: a body compressed
and validated once, when it is cached, not per request."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
GZIP_MIN_BYTES = 500  # smaller bodies gain nothing from compression
GZIP_LEVEL = 6  # zlib's default: most of level 9's gain at a fraction of its CPU


class PageCache:
    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        if self.size == 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Hashable, page: Any) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], T]) -> T:
        if self.size == 0:
            return render()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
        page = render()
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return page


@dataclass(frozen=True, slots=True)
class Prepared:
    """A response body made once per stored version: the identity bytes, their gzip
    (None when compression gains nothing) and a weak ETag of the identity bytes, so a
    cache hit costs neither compression nor hashing."""

    body: bytes
    gzipped: bytes | None
    etag: str

    @classmethod
    def of(cls, body: bytes | str) -> Prepared:
        data = body.encode("utf-8") if isinstance(body, str) else body
        packed = None
        if len(data) >= GZIP_MIN_BYTES:
            # mtime=0: the same body always gives the same bytes
            packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
            if len(packed) >= len(data):
                packed = None
        return cls(data, packed, weak_etag(data))


def weak_etag(body: bytes) -> str:
    """The weak validator of a body (the same for every encoding of it)."""
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
