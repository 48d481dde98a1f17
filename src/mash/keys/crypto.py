"""AES-256-GCM for the envelope: wrapping data keys, sealing and opening text.

A sealed value is text: ``mash:1:<enquiry id, 32 hex>:<base64url(nonce + ciphertext)>``.
It names the enquiry whose data key sealed it (so reading needs no query to find the
key); the associated data binds it to its table, column, row and enquiry, so a
ciphertext copied into another row, column or table does not open.
"""

from __future__ import annotations

import base64
import binascii
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


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _wrap_ad(enquiry_id: uuid.UUID, master_id: str) -> bytes:
    return f"mash.keys.data-key|{enquiry_id}|{master_id}".encode()


def wrap(master: MasterKey, enquiry_id: uuid.UUID, data_key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(master.key).encrypt(nonce, data_key, _wrap_ad(enquiry_id, master.id))


def unwrap(master: MasterKey, enquiry_id: uuid.UUID, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master.key).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_ad(enquiry_id, master.id)
        )
    except InvalidTag:
        raise DecryptionRefused(f"the data key of enquiry {enquiry_id} does not unwrap") from None


def associated_data(table: str, column: str, row: object, enquiry_id: uuid.UUID) -> bytes:
    return f"mash.field|{table}|{column}|{row}|{enquiry_id}".encode()


def seal(data_key: bytes, enquiry_id: uuid.UUID, plaintext: str, ad: bytes) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), ad)
    return f"{PREFIX}{enquiry_id.hex}:{base64.urlsafe_b64encode(body).decode().rstrip('=')}"


def sealed_enquiry(value: str) -> uuid.UUID:
    """The enquiry whose key sealed ``value``; ``DecryptionRefused`` if not sealed text."""
    if not value.startswith(PREFIX):
        raise DecryptionRefused("the stored value is not encrypted text")
    try:
        return uuid.UUID(hex=value[len(PREFIX) : len(PREFIX) + 32])
    except ValueError:
        raise DecryptionRefused("the stored value names no enquiry") from None


def open_sealed(data_key: bytes, value: str, ad: bytes) -> str:
    body_text = value[len(PREFIX) + 33 :]
    try:
        body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
        plaintext = AESGCM(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], ad)
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionRefused(
            "the stored value does not decrypt: altered, or moved from another row or field"
        ) from None
    return plaintext.decode()


def seal_bytes(data_key: bytes, content: bytes, ad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, content, ad)


def open_bytes(data_key: bytes, body: bytes, ad: bytes) -> bytes:
    try:
        return AESGCM(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], ad)
    except InvalidTag:
        raise DecryptionRefused("the stored file does not decrypt: altered or moved") from None
