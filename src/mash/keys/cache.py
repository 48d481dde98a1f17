"""Unwrapped data keys, kept briefly so a page that shows many encrypted fields unwraps
each enquiry's key once.

Each thread has a cache of its own: a request's keys (fetched for its whole page in one
query, ``services.prefetch_keys``) stay until that request finishes, whatever other
requests served by other threads of the same process start, finish or fetch meanwhile.
(One cache shared by every thread was emptied whenever any request started, and when
it filled, so under load a page fetched its keys again one row at a time.)

A thread's cache is cleared when each of its requests starts and finishes
(``KeysConfig.ready``) and after ``TTL_SECONDS`` outside requests (commands, background
tasks), so a key destroyed by another process stops working here soon. A key destroyed
in this process is dropped from every thread's cache at once (``forget``), as is
everything by ``clear_cache`` (tests, rotation). Full, a cache drops its least
recently used entries, never everything: the keys of the page being shown were fetched
or asked for last. (Dropping the oldest fetched instead dropped keys a prefetch had just
found cached, and was about to need, to make room for the ones it fetched beside them:
the person index then asked for those keys again one query each.)
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from typing import Any

TTL_SECONDS = 60.0
MAX_ENTRIES = 1024
DESTROYED = object()  # cached fact: this enquiry's key was destroyed


class _Store:
    """One thread's entries: enquiry id (32 hex digits) -> (expiry, key or DESTROYED)."""

    __slots__ = ("__weakref__", "entries")

    def __init__(self) -> None:
        self.entries: dict[str, tuple[float, object]] = {}


_lock = threading.Lock()  # guards _stores and any change to another thread's store
_local = threading.local()
_stores: weakref.WeakSet[_Store] = weakref.WeakSet()


def _store() -> dict[str, tuple[float, object]]:
    store: _Store | None = getattr(_local, "store", None)
    if store is None:
        store = _local.store = _Store()
        with _lock:
            _stores.add(store)
    return store.entries


def _key(enquiry_id: uuid.UUID | str) -> str:
    """Entries are keyed by the enquiry id's 32 hex digits, as sealed values name it."""
    return enquiry_id.hex if isinstance(enquiry_id, uuid.UUID) else enquiry_id


def get(enquiry_id: uuid.UUID | str) -> object | None:
    """The cached key (bytes), ``DESTROYED``, or None when not cached."""
    key = _key(enquiry_id)
    store = _store()
    with _lock:
        entry = store.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del store[key]
            return None
        store[key] = store.pop(key)  # used now: the last to be dropped
        return entry[1]


def put(enquiry_id: uuid.UUID | str, value: object) -> None:
    key = _key(enquiry_id)
    store = _store()
    with _lock:
        store.pop(key, None)  # re-inserted last: the newest survive when it is full
        while len(store) >= MAX_ENTRIES:
            del store[next(iter(store))]
        store[key] = (time.monotonic() + TTL_SECONDS, value)


def size() -> int:
    """How many keys this thread holds (tests)."""
    return len(_store())


def forget(enquiry_id: uuid.UUID) -> None:
    """Drop one enquiry's key from every thread's cache (it was just destroyed)."""
    from .crypto import forget_keys

    key = _key(enquiry_id)
    with _lock:
        for store in list(_stores):
            store.entries.pop(key, None)
    forget_keys()


def clear_cache(*args: Any, **kwargs: Any) -> None:
    """Empty every thread's cache (tests, and after an operator changes the keys)."""
    from .crypto import forget_keys

    with _lock:
        for store in list(_stores):
            store.entries.clear()
    forget_keys()


def clear_this_thread(*args: Any, **kwargs: Any) -> None:
    """Empty this thread's cache: each request starts and ends with nothing cached, so a
    key destroyed by another process is gone here by the next request."""
    store = _store()  # before taking the lock: making a thread's store takes it
    with _lock:
        store.clear()
