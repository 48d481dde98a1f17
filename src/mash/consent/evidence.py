"""Evidence of consent: an uploaded consent form (PDF, PNG or JPEG).

Guidance, Secure: "Information should be shared in the most secure way available."
So the file's type is read from its content (magic bytes), never from its name or the
browser's word; it is size-limited (``settings.MASH_CONSENT_EVIDENCE_MAX_BYTES``,
default 5 MB); it is stored under ``settings.MEDIA_ROOT`` (never served directly) with
a random name, encrypted with AES-GCM under the hub's file key; and it is served only
through an access-checked view as an attachment.

The file key comes from ``MASH_FILE_KEY`` (32 bytes, URL-safe base64) or, when that is
unset, from ``$MASH_DATA_DIR/file_key``, created with mode 0600 on first use. (The
security work later moves evidence to per-enquiry data keys.)
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
_FORMAT = b"MASHEV1\n"  # file header: format version, then 12-byte nonce, then ciphertext
_NONCE_BYTES = 12
EXTENSIONS = {content_type: ext for _, content_type, ext in _MAGIC}


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
    configured = os.environ.get("MASH_FILE_KEY", "").strip()
    if configured:
        key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
        if len(key) != 32:
            raise ImproperlyConfigured("MASH_FILE_KEY must be 32 bytes in URL-safe base64")
        return key
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "file_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return base64.urlsafe_b64decode(path.read_text().strip())


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "consent"


def _path(name: str) -> Path:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not an evidence name")
    return evidence_dir() / name


def store(evidence: Evidence) -> str:
    """Encrypt and write the evidence under a random name; return the name."""
    name = secrets.token_hex(20)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    ciphertext = AESGCM(_file_key()).encrypt(nonce, evidence.content, name.encode())
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(_path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(_FORMAT + nonce + ciphertext)
    return name


def load(name: str) -> bytes:
    """Read and decrypt stored evidence (the name binds the ciphertext: a file moved
    under another name does not decrypt)."""
    raw = _path(name).read_bytes()
    if not raw.startswith(_FORMAT):
        raise ValueError("not a stored evidence file")
    body = raw[len(_FORMAT) :]
    nonce, ciphertext = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
    return AESGCM(_file_key()).decrypt(nonce, ciphertext, name.encode())


def discard(name: str) -> None:
    """Remove stored evidence (used when the transaction that referred to it failed)."""
    with contextlib.suppress(FileNotFoundError):
        _path(name).unlink()
