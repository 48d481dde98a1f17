"""AES-256-GCM for the envelope: wrapping data keys, sealing and opening text.

A sealed value is text: ``mash:1:<enquiry id, 32 hex>:<base64(nonce + ciphertext)>``.
It names the enquiry whose data key sealed it (so reading needs no query to find the
key); the associated data binds it to its table, column, row and enquiry, so a
ciphertext copied into another row, column or table does not open.
"""

from __future__ import annotations

import binascii
import functools
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keyring import MasterKey

PREFIX = "mash:1:"
NONCE_BYTES = 12
DATA_KEY_BYTES = 32


class DecryptionRefused(Exception):
    """A ciphertext was altered, moved from another row or field, or is not one."""


@functools.lru_cache(maxsize=1024)
def _aead(key: bytes) -> AESGCM:
    """One AESGCM object per key in use (emptied with the key cache)."""
    return AESGCM(key)


def forget_keys() -> None:
    _aead.cache_clear()


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _wrap_ad(enquiry_id: uuid.UUID, master_id: str) -> bytes:
    return f"mash.keys.data-key|{enquiry_id}|{master_id}".encode()


def wrap(master: MasterKey, enquiry_id: uuid.UUID, data_key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + _aead(master.key).encrypt(nonce, data_key, _wrap_ad(enquiry_id, master.id))


def unwrap(master: MasterKey, enquiry_id: uuid.UUID, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    try:
        return _aead(master.key).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_ad(enquiry_id, master.id)
        )
    except InvalidTag:
        raise DecryptionRefused(f"the data key of enquiry {enquiry_id} does not unwrap") from None


def _ident(value: object) -> str:
    return value.hex if isinstance(value, uuid.UUID) else str(value)


def associated_data(table: str, column: str, row: object, enquiry_id: object) -> bytes:
    """Binds a sealed value to its table, column, row (primary key) and enquiry (ids as
    32 hex digits)."""
    return f"mash.field|{table}|{column}|{_ident(row)}|{_ident(enquiry_id)}".encode()


def seal(data_key: bytes, enquiry_id: uuid.UUID, plaintext: str, ad: bytes) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = nonce + _aead(data_key).encrypt(nonce, plaintext.encode(), ad)
    return f"{PREFIX}{enquiry_id.hex}:{binascii.b2a_base64(body, newline=False).decode()}"


def sealed_enquiry(value: str) -> uuid.UUID:
    """The enquiry whose key sealed ``value``; ``DecryptionRefused`` if not sealed text."""
    if not value.startswith(PREFIX):
        raise DecryptionRefused("the stored value is not encrypted text")
    try:
        return uuid.UUID(hex=value[len(PREFIX) : len(PREFIX) + 32])
    except ValueError:
        raise DecryptionRefused("the stored value names no enquiry") from None


def open_sealed(data_key: bytes, value: str, ad: bytes) -> str:
    try:
        body = binascii.a2b_base64(value[len(PREFIX) + 33 :], strict_mode=True)
        plaintext = _aead(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], ad)
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionRefused(
            "the stored value does not decrypt: altered, or moved from another row or field"
        ) from None
    return plaintext.decode()


def seal_bytes(data_key: bytes, content: bytes, ad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + _aead(data_key).encrypt(nonce, content, ad)


def open_bytes(data_key: bytes, body: bytes, ad: bytes) -> bytes:
    try:
        return _aead(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], ad)
    except InvalidTag:
        raise DecryptionRefused("the stored file does not decrypt: altered or moved") from None
