"""Unwrapped data keys, kept briefly so a page that shows many encrypted fields of one
enquiry unwraps its key once.

Cleared when every request starts and finishes (``KeysConfig.ready``), when a key is
destroyed in this process, and after ``TTL_SECONDS`` outside requests (commands,
background tasks), so a key destroyed by another process stops working here soon.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

TTL_SECONDS = 60.0
MAX_ENTRIES = 1024
DESTROYED = object()  # cached fact: this enquiry's key was destroyed
_lock = threading.Lock()
_entries: dict[uuid.UUID, tuple[float, object]] = {}


def get(enquiry_id: uuid.UUID) -> object | None:
    """The cached key (bytes), ``DESTROYED``, or None when not cached."""
    with _lock:
        entry = _entries.get(enquiry_id)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _entries[enquiry_id]
            return None
        return entry[1]


def put(enquiry_id: uuid.UUID, value: object) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[enquiry_id] = (time.monotonic() + TTL_SECONDS, value)


def forget(enquiry_id: uuid.UUID) -> None:
    with _lock:
        _entries.pop(enquiry_id, None)


def clear_cache(*args: Any, **kwargs: Any) -> None:
    with _lock:
        _entries.clear()
