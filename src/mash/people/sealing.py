"""Search terms sealed at rest, like the hub's other narrative.

A search names a person: what was typed is personal data. It is kept (the DPO may need
to know who looked for whom) but sealed with AES-GCM under a key derived (HKDF) from
the current master key, tagged with that key's id so a rotated keyring still opens it.
The record entry names the ``Search`` row, never the terms.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mash.keys.keyring import MasterKey, keyring

_PURPOSE = b"mash.people.search-terms"
PREFIX = "st1:"


def _aead(master: MasterKey) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(master.key)
    return AESGCM(key)


def seal_terms(terms: dict[str, Any], *, search_id: object) -> str:
    """``st1:<master key id>:<base64 nonce + ciphertext>``, bound to the search's id."""
    master = keyring().current
    nonce = os.urandom(12)
    plain = json.dumps(terms, sort_keys=True, default=str).encode()
    body = _aead(master).encrypt(nonce, plain, _PURPOSE + str(search_id).encode())
    return f"{PREFIX}{master.id}:{base64.b64encode(nonce + body).decode()}"


def open_terms(sealed: str, *, search_id: object) -> dict[str, Any]:
    """The terms, for the DPO; raises ``ValueError`` if no key in the ring opens them."""
    if not sealed.startswith(PREFIX):
        raise ValueError("not sealed search terms")
    key_id, _, encoded = sealed[len(PREFIX) :].partition(":")
    master = keyring().get(key_id)
    if master is None:
        raise ValueError("sealed under a master key that is not in the keyring")
    raw = base64.b64decode(encoded)
    plain = _aead(master).decrypt(raw[:12], raw[12:], _PURPOSE + str(search_id).encode())
    value = json.loads(plain)
    if not isinstance(value, dict):
        raise ValueError("sealed search terms are not a mapping")
    return value
