"""The key that signs checkpoints of the record (Ed25519, from ``cryptography``).

Where the private key comes from, first match wins:

1. ``MASH_RECORD_SIGNING_KEY``: the key itself, base64 of the raw 32 bytes or PEM;
2. ``MASH_RECORD_SIGNING_KEY_FILE``: a file holding either;
3. ``$MASH_DATA_DIR/record_signing_key``: created (PEM, mode 0600) on first use.

Verifying needs only the public key (``mash records public-key``), which should be
kept away from the hub's servers, with the checkpoint files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

STATEMENT_TYPE = "mash.record.checkpoint"


class SigningKeyError(Exception):
    """The signing or verifying key is missing or unreadable."""


def _parse_private(text: str, where: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = base64.b64decode(text, validate=True)
            if len(raw) != 32:
                raise ValueError("not 32 bytes")
            key = Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"{where} does not hold an Ed25519 private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{where} holds a key that is not Ed25519")
    return key


def key_path() -> Path:
    configured = os.environ.get("MASH_RECORD_SIGNING_KEY_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "record_signing_key"


def private_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    """The signing key; created in the data directory on first use if ``create``."""
    value = os.environ.get("MASH_RECORD_SIGNING_KEY")
    if value:
        return _parse_private(value, "MASH_RECORD_SIGNING_KEY")
    path = key_path()
    if path.exists():
        return _parse_private(path.read_text(), str(path))
    if not create:
        return None
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise SigningKeyError(f"{path} does not hold a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path} holds a key that is not Ed25519")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: names the key in checkpoints."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def statement_bytes(statement: dict[str, Any]) -> bytes:
    return json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()


def sign(key: Ed25519PrivateKey, statement: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint document: statement, signature and the key's fingerprint."""
    return {
        "statement": statement,
        "signature": base64.b64encode(key.sign(statement_bytes(statement))).decode(),
        "public_key_fingerprint": fingerprint(key.public_key()),
    }


def check(document: dict[str, Any], keys: list[Ed25519PublicKey]) -> str | None:
    """None if ``document`` is a checkpoint signed by one of ``keys``, else why not."""
    try:
        statement = document["statement"]
        signature = base64.b64decode(document["signature"], validate=True)
        named = document["public_key_fingerprint"]
        if statement["type"] != STATEMENT_TYPE:
            return "it is not a checkpoint of the record"
        int(statement["seq"])
        str(statement["hash"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        return "it is not a well-formed checkpoint"
    for key in keys:
        if fingerprint(key) != named:
            continue
        try:
            key.verify(signature, statement_bytes(statement))
        except InvalidSignature:
            return "its signature does not verify: the checkpoint was altered"
        return None
    return f"it was signed by key {named[:16]}..., which is not a key given to check it"
