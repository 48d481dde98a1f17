"""The master keyring: the keys that wrap (encrypt) the per-enquiry data keys.

Master keys never enter the database. Where they come from, first match wins:

1. ``MASH_MASTER_KEY``: the current master key, 32 random bytes in base64 (standard or
   URL-safe);
2. ``MASH_MASTER_KEY_FILE``: a file holding one key per line, the first the current
   key, any further lines previous keys (``#`` starts a comment);
3. ``$MASH_DATA_DIR/master_key``: the same format, created (mode 0600) with a fresh key
   on first use, so a development install and the tests need no set-up. Set
   ``MASH_REQUIRE_MASTER_KEY=true`` in production to refuse to start without 1 or 2
   (``mash check --deploy`` warns too).

``MASH_MASTER_KEY_PREVIOUS`` (comma-separated) adds previous keys to any source. New
data keys are always wrapped under the current key; previous keys only unwrap, so
during a rotation (``mash keys rotate``) both old and new keys are in the ring and
nothing stops working. A key is named by its id: the first 16 hex digits of a SHA-256
over a fixed label and the key, which names it without revealing it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
DEFAULT_FILE_NAME = "master_key"
_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Keyring] | None = None


class KeyringError(ImproperlyConfigured):
    """The master keyring is missing, malformed or does not hold a needed key."""


@dataclass(frozen=True)
class MasterKey:
    id: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class Keyring:
    current: MasterKey
    previous: tuple[MasterKey, ...]
    source: str  # "environment", "file" or "development file": never the key

    def get(self, key_id: str) -> MasterKey | None:
        for key in (self.current, *self.previous):
            if key.id == key_id:
                return key
        return None

    @property
    def ids(self) -> list[str]:
        return [self.current.id, *(key.id for key in self.previous)]


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"mash.keys.master-key-id\0" + key).hexdigest()[:16]


def generate_key_text() -> str:
    """A new master key, as the configuration takes it (base64 of 32 random bytes)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_key(text: str, where: str) -> MasterKey:
    text = text.strip()
    try:
        raw = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        raise KeyringError(f"{where} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"{where} must be {KEY_BYTES} bytes in base64, not {len(raw)}")
    return MasterKey(id=key_id(raw), key=raw)


def _parse_lines(text: str, where: str) -> list[MasterKey]:
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            keys.append(parse_key(line, f"{where} line {number}"))
    if not keys:
        raise KeyringError(f"{where} holds no master key")
    return keys


def default_key_path() -> Path:
    return Path(settings.DATA_DIR) / DEFAULT_FILE_NAME


def require_configured() -> bool:
    value = os.environ.get("MASH_REQUIRE_MASTER_KEY", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _create_default(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    with os.fdopen(fd, "w") as handle:
        handle.write(
            "# MASH master key (development default). Keep a copy apart from database\n"
            "# backups: without it nothing encrypted can be read. See docs/security.md.\n"
        )
        handle.write(generate_key_text() + "\n")


def _signature() -> tuple[object, ...]:
    path_text = os.environ.get("MASH_MASTER_KEY_FILE", "")
    path = Path(path_text) if path_text else default_key_path()
    try:
        stamp: object = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return (
        os.environ.get("MASH_MASTER_KEY", ""),
        os.environ.get("MASH_MASTER_KEY_PREVIOUS", ""),
        os.environ.get("MASH_REQUIRE_MASTER_KEY", ""),
        str(path),
        stamp,
    )


def _load() -> Keyring:
    value = os.environ.get("MASH_MASTER_KEY", "").strip()
    file_text = os.environ.get("MASH_MASTER_KEY_FILE", "").strip()
    if value:
        keys = [parse_key(value, "MASH_MASTER_KEY")]
        source = "environment"
    elif file_text:
        path = Path(file_text)
        try:
            text = path.read_text()
        except OSError as error:
            raise KeyringError(f"MASH_MASTER_KEY_FILE cannot be read ({error.strerror})") from None
        keys = _parse_lines(text, "MASH_MASTER_KEY_FILE")
        source = "file"
    else:
        if require_configured():
            raise KeyringError(
                "MASH_REQUIRE_MASTER_KEY is on but neither MASH_MASTER_KEY nor "
                "MASH_MASTER_KEY_FILE is set (see docs/operations.md)"
            )
        path = default_key_path()
        if not path.exists():
            _create_default(path)
        keys = _parse_lines(path.read_text(), str(path))
        source = "development file"
    previous_text = os.environ.get("MASH_MASTER_KEY_PREVIOUS", "")
    for number, part in enumerate(previous_text.replace("\n", ",").split(","), start=1):
        if part.strip():
            keys.append(parse_key(part, f"MASH_MASTER_KEY_PREVIOUS item {number}"))
    unique: list[MasterKey] = []
    for key in keys:
        if all(key.id != seen.id for seen in unique):
            unique.append(key)
    return Keyring(current=unique[0], previous=tuple(unique[1:]), source=source)


def keyring() -> Keyring:
    """The configured keyring (re-read when the environment or the key file changes)."""
    global _cached
    signature = _signature()
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        ring = _load()
        _cached = (_signature(), ring)
        return ring


def forget() -> None:
    """Drop the cached keyring (tests, and after an operator changes it)."""
    global _cached
    with _lock:
        _cached = None
