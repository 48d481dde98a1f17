"""Evidence of consent: an uploaded consent form (PDF, PNG or JPEG).

Guidance, Secure: "Information should be shared in the most secure way available."
So the file's type is read from its content (magic bytes), never from its name or the
browser's word; it is size-limited (``settings.MASH_CONSENT_EVIDENCE_MAX_BYTES``,
default 5 MB); it is stored under ``settings.MEDIA_ROOT`` (never served directly) with
a random name, encrypted with AES-GCM under the data key of the person's enquiry
(``mash.keys``), so destroying that key under retention makes the file unreadable; and
it is served only through an access-checked view as an attachment.

File format: ``MASHEV2\n``, the enquiry id (16 bytes), a 12-byte nonce, the ciphertext;
the associated data names the file and the enquiry, so a file renamed or moved to
another enquiry does not decrypt. Files of the first format (``MASHEV1``, under the
hub-wide file key of ``MASH_FILE_KEY`` or ``$MASH_DATA_DIR/file_key``) are re-encrypted
by the consent app's migration ``0002_encrypt_narrative_fields``; after it the file key
is no longer used.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from mash.keys.crypto import DecryptionRefused, open_bytes, seal_bytes
from mash.keys.services import data_key, data_key_for_writing

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
_LEGACY_FORMAT = b"MASHEV1\n"  # hub-wide file key: header, 12-byte nonce, ciphertext
_FORMAT = b"MASHEV2\n"  # enquiry data key: header, enquiry id (16 bytes), nonce, ciphertext
_NONCE_BYTES = 12
EXTENSIONS = {content_type: ext for _, content_type, ext in _MAGIC}
_NAME = re.compile(r"[0-9a-f]{40}")  # store()'s names: secrets.token_hex(20)


@dataclass(frozen=True)
class Evidence:
    """A checked upload, ready to store."""

    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(getattr(settings, "MASH_CONSENT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


class SizeLimitedUpload(FileUploadHandler):
    """First in the upload handler chain of the consent forms: stops reading a file as
    soon as it passes the limit (so a huge upload never lands on disk) and marks the
    request, so the form can say the file is too large instead of ignoring it."""

    too_large_attribute = "consent_evidence_too_large"

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, self.too_large_attribute, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large_message() -> str:
    return f"The consent form must be smaller than {_human(max_bytes())}"


def sniff(head: bytes) -> str | None:
    """The content type told by the file's first bytes, or None."""
    for magic, content_type, _ in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(upload: Any) -> Evidence:
    """Read and check an uploaded file. Raises ``ValidationError`` (field ``evidence``)
    with a message a user can act on; reads at most the limit plus one byte."""
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError({"evidence": too_large_message()})
    handle: IO[bytes] = upload
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = handle.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({"evidence": too_large_message()})
    if not content:
        raise ValidationError({"evidence": "The selected consent form is empty"})
    content_type = sniff(content[:16])
    if content_type is None:
        raise ValidationError({"evidence": "The consent form must be a PDF, PNG or JPEG"})
    return Evidence(
        content=content, content_type=content_type, sha256=hashlib.sha256(content).hexdigest()
    )


# Storage -------------------------------------------------------------------------


def _file_key() -> bytes:
    """The first format's hub-wide key: only read, to re-encrypt old files."""
    configured = os.environ.get("MASH_FILE_KEY", "").strip()
    if configured:
        key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
        if len(key) != 32:
            raise ImproperlyConfigured("MASH_FILE_KEY must be 32 bytes in URL-safe base64")
        return key
    path = Path(settings.DATA_DIR) / "file_key"
    try:
        return base64.urlsafe_b64decode(path.read_text().strip())
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"old consent evidence needs its file key: set MASH_FILE_KEY or restore {path}"
        ) from None


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "consent"


def _path(name: str) -> Path:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not an evidence name")
    return evidence_dir() / name


def _ad(name: str, enquiry_id: uuid.UUID) -> bytes:
    return f"mash.consent.evidence|{name}|{enquiry_id}".encode()


PENDING_PREFIX = ".pending-"


def _pending_path(name: str) -> Path:
    _path(name)  # the same checks on the name
    return evidence_dir() / f"{PENDING_PREFIX}{name}"


def _write(
    name: str,
    enquiry_id: uuid.UUID,
    content: bytes,
    *,
    replace: bool = False,
    pending: bool = False,
) -> None:
    body = seal_bytes(data_key_for_writing(enquiry_id), content, _ad(name, enquiry_id))
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = _pending_path(name) if pending else _path(name)
    temporary = target.with_name(f".{name}.new") if replace else target
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(_FORMAT + enquiry_id.bytes + body)
        handle.flush()
        os.fsync(handle.fileno())
    if replace:
        os.replace(temporary, target)


def store(evidence: Evidence, *, enquiry_id: uuid.UUID | str) -> str:
    """Encrypt the evidence under the enquiry's data key and write it under a random
    name, as *pending* (``.pending-<name>``); return the name. The caller makes it final
    with ``promote`` once the row naming it has committed (``transaction.on_commit``),
    so a writer killed before its commit leaves only a pending file, which the daily
    ``sweep`` removes (and a row committed just before a crash finds its file pending:
    ``load`` reads it, the sweep promotes it)."""
    name = secrets.token_hex(20)
    enquiry = enquiry_id if isinstance(enquiry_id, uuid.UUID) else uuid.UUID(str(enquiry_id))
    _write(name, enquiry, evidence.content, pending=True)
    return name


def stored_path(name: str) -> Path:
    """Where the file of ``name`` is now: final, or still pending."""
    final = _path(name)
    return final if final.exists() else _pending_path(name)


def promote(name: str) -> None:
    """Make a pending file final (atomic rename); nothing to do if it already is."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(_pending_path(name), _path(name))


def load(name: str) -> bytes:
    """Read and decrypt stored evidence. Raises ``FileNotFoundError``;
    ``mash.keys.services.KeyDestroyed`` once the enquiry's data key was destroyed under
    retention; ``DecryptionRefused`` when the file was altered, renamed or moved."""
    try:
        raw = _path(name).read_bytes()
    except FileNotFoundError:
        raw = _pending_path(name).read_bytes()  # committed, not yet promoted
    if not raw.startswith(_FORMAT) or len(raw) < len(_FORMAT) + 16:
        raise DecryptionRefused("not a stored evidence file of the current format")
    body = raw[len(_FORMAT) :]
    enquiry_id = uuid.UUID(bytes=body[:16])
    return open_bytes(data_key(enquiry_id), body[16:], _ad(name, enquiry_id))


def reencrypt_legacy(name: str, enquiry_id: uuid.UUID) -> bool:
    """Move a first-format file (hub-wide file key) onto the enquiry's data key, in
    place. False when the file is missing or already moved (safe to run again)."""
    try:
        raw = _path(name).read_bytes()
    except FileNotFoundError:
        return False
    if not raw.startswith(_LEGACY_FORMAT):
        return False
    body = raw[len(_LEGACY_FORMAT) :]
    content = AESGCM(_file_key()).decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], name.encode())
    _write(name, enquiry_id, content, replace=True)
    return True


def discard(name: str) -> None:
    """Remove stored evidence, final or pending (used when the transaction that referred
    to it failed, and when retention destroys the row)."""
    for path in (_path(name), _pending_path(name)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@dataclass(frozen=True)
class SweepResult:
    removed: int  # final files no row names
    pending_removed: int  # pending files no row names (a writer died before its commit)
    promoted: int  # pending files a committed row names (a crash before the rename)

    @property
    def changed(self) -> int:
        return self.removed + self.pending_removed + self.promoted


DEFAULT_GRACE = dt.timedelta(hours=1)


def sweep(
    referenced: set[str], *, grace: dt.timedelta = DEFAULT_GRACE, now: float | None = None
) -> SweepResult:
    """Tidy the evidence directory against the names rows hold (``referenced``): a
    pending file a row names is promoted; a file (final or pending) no row names is
    removed once older than ``grace`` (an upload in flight is younger). Files that are
    not evidence (another name shape) are left alone."""
    directory = evidence_dir()
    if not directory.is_dir():
        return SweepResult(0, 0, 0)
    now = time.time() if now is None else now
    removed = pending_removed = promoted = 0
    for path in directory.iterdir():
        pending = path.name.startswith(PENDING_PREFIX)
        name = path.name.removeprefix(PENDING_PREFIX) if pending else path.name
        if not _NAME.fullmatch(name):
            continue
        if name in referenced:
            if pending:
                promote(name)
                promoted += 1
            continue
        try:
            old = now - path.stat().st_mtime >= grace.total_seconds()
        except FileNotFoundError:
            continue
        if old:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                if pending:
                    pending_removed += 1
                else:
                    removed += 1
    return SweepResult(removed, pending_removed, promoted)
