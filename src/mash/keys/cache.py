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
_entries: dict[str, tuple[float, object]] = {}


def _key(enquiry_id: uuid.UUID | str) -> str:
    """Entries are keyed by the enquiry id's 32 hex digits, as sealed values name it."""
    return enquiry_id.hex if isinstance(enquiry_id, uuid.UUID) else enquiry_id


def get(enquiry_id: uuid.UUID | str) -> object | None:
    """The cached key (bytes), ``DESTROYED``, or None when not cached."""
    key = _key(enquiry_id)
    with _lock:
        entry = _entries.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _entries[key]
            return None
        return entry[1]


def put(enquiry_id: uuid.UUID | str, value: object) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[_key(enquiry_id)] = (time.monotonic() + TTL_SECONDS, value)


def forget(enquiry_id: uuid.UUID) -> None:
    from .crypto import forget_keys

    with _lock:
        _entries.pop(_key(enquiry_id), None)
    forget_keys()


def clear_cache(*args: Any, **kwargs: Any) -> None:
    from .crypto import forget_keys

    with _lock:
        _entries.clear()
    forget_keys()
