"""Second-factor secrets kept sealed at rest.

django-otp stores an authenticator's TOTP secret as hex and recovery codes as plain
text. A copy of the database (a backup, a stolen dump) would then let its holder make
any user's codes. Here both are protected by the hub's master key (``mash.keys``),
which lives outside the database:

- a TOTP secret is sealed with AES-SIV under a key derived (HKDF) from the master key,
  bound to the user it belongs to; it fits django-otp's 80-character column
  (16-byte tag + 20-byte secret = 72 hex characters);
- a recovery code is kept only as an HMAC under another derived key, prefixed with
  the first characters of that master key's id (16 hex characters in all, what
  django-otp's token column holds), so the code itself is nowhere.

Each master key in the ring is tried when opening or checking, so a rotation
(``mash keys rotate``) leaves everyone able to sign in; the rotation re-seals TOTP
secrets under the new key. Recovery codes cannot be re-keyed without the codes:
``mash keys status`` counts the users whose codes still need a previous key, which
stays in the ring until they have new codes or are reset (docs/security.md).
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import string
from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mash.keys.keyring import MasterKey, keyring

SEALED_TOTP_LENGTH = 72  # hex characters: 16-byte synthetic IV + 20-byte secret
RAW_TOTP_LENGTH = 40  # django-otp's default: a 20-byte secret as hex
RECOVERY_HASH_LENGTH = 16  # hex characters; django-otp's StaticToken.token is 16 long
_KEY_PREFIX = 4  # of them, the master key id's first characters; the rest, the HMAC


class SecretUnreadable(Exception):
    """A sealed TOTP secret that no master key in the ring opens."""


def _derive(master: MasterKey, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(
        master.key
    )


def _siv(master: MasterKey) -> AESSIV:
    return AESSIV(_derive(master, b"mash.agencies.totp-secret", 64))


def _bound_to(user_id: object) -> list[bytes]:
    return [b"mash.agencies.totp-secret", str(user_id).encode()]


def _ring() -> Iterator[MasterKey]:
    ring = keyring()
    yield ring.current
    yield from ring.previous


def is_sealed(key_hex: str) -> bool:
    return len(key_hex) == SEALED_TOTP_LENGTH and all(c in string.hexdigits for c in key_hex)


def seal_totp(secret: bytes, user_id: object) -> str:
    """The secret sealed under the current master key, as hex for django-otp's column."""
    return _siv(keyring().current).encrypt(secret, _bound_to(user_id)).hex()


def open_totp_with(key_hex: str, user_id: object) -> tuple[bytes, MasterKey]:
    """The secret and the master key that sealed it. A key in django-otp's own raw form
    (written before sealing, or by a tool that bypassed the hub) is returned as is."""
    if not is_sealed(key_hex):
        return binascii.unhexlify(key_hex.encode()), keyring().current
    sealed = bytes.fromhex(key_hex)
    for master in _ring():
        try:
            return _siv(master).decrypt(sealed, _bound_to(user_id)), master
        except InvalidTag:
            continue
    raise SecretUnreadable(
        "an authenticator secret is sealed under a master key that is not in the keyring"
    )


def open_totp(key_hex: str, user_id: object) -> bytes:
    return open_totp_with(key_hex, user_id)[0]


def normalise_recovery_code(code: str) -> str:
    return "".join(code.split()).lower()


def _recovery_hash(master: MasterKey, code: str) -> str:
    key = _derive(master, b"mash.agencies.recovery-code", 32)
    digest = hmac.new(key, normalise_recovery_code(code).encode(), hashlib.sha256).hexdigest()
    return master.id[:_KEY_PREFIX] + digest[: RECOVERY_HASH_LENGTH - _KEY_PREFIX]


def recovery_key_id(stored: str) -> str | None:
    """The id of the master key a stored recovery code was made under, if in the ring."""
    for master in _ring():
        if master.id[:_KEY_PREFIX] == stored[:_KEY_PREFIX]:
            return master.id
    return None


def recovery_hash(code: str) -> str:
    """What is stored for a recovery code: its HMAC under the current master key."""
    return _recovery_hash(keyring().current, code)


def recovery_candidates(code: str) -> list[str]:
    """The stored forms ``code`` could have, one per master key in the ring."""
    return [_recovery_hash(master, code) for master in _ring()]
