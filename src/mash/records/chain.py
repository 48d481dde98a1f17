"""The hash chain: canonical bytes of an entry and its SHA-256.

Pure Python (no Django), so the writer, the verifier and the benchmark share exactly
the code that wrote the chain.

The canonical encoding of an entry is compact JSON (``,`` and ``:`` separators, no
spaces) of the thirteen ``FIELDS`` with sorted keys, UTF-8, non-ASCII kept as is;
times are UTC with microseconds and ``Z``; user and enquiry ids are hyphenated UUID
strings. ``hash`` = SHA-256 (hex) of those bytes, and since ``prev_hash`` is one of the
fields, each entry's hash covers the whole chain before it. The first entry's
``prev_hash`` is ``GENESIS_HASH``.

``canonical_bytes`` builds the JSON from a template rather than a dict, because the
verifier re-encodes every entry and the encoding dominates its cost; the result is
byte for byte what ``json.dumps(body, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` gives (a test holds the two together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

GENESIS_HASH = "0" * 64

# The order ``values_list(*FIELDS)`` returns a row in.
FIELDS = (
    "seq",
    "at",
    "actor_user_id",
    "actor_username",
    "actor_agency",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "enquiry_id",
    "correlation_id",
    "details",
    "prev_hash",
)

_encode_details = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_sha256 = hashlib.sha256
# The keys in sorted order; %-formatting is the fastest way to fill it in CPython.
_TEMPLATE = (
    '{"action":%s,"actor_agency":%s,"actor_role":%s,"actor_user_id":%s,'
    '"actor_username":%s,"at":%s,"correlation_id":%s,"details":%s,"enquiry_id":%s,'
    '"object_id":%s,"object_type":%s,"prev_hash":%s,"seq":%s}'
)


def format_time(value: datetime) -> str:
    """UTC, microseconds, ``Z``: one spelling per instant."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")[:-6] + "Z"


def _text(value: Any) -> str:
    return "null" if value is None else encode_basestring(str(value))


def canonical_row(row: Sequence[Any]) -> bytes:
    """Canonical bytes of an entry given as a tuple in ``FIELDS`` order (a
    ``values_list`` row; items after the thirteenth, such as the stored hash, are
    ignored): the verifier's hot path."""
    at = row[1]
    if isinstance(at, datetime):
        at = format_time(at)
    return (
        _TEMPLATE
        % (
            _text(row[6]),  # action
            _text(row[4]),  # actor_agency
            _text(row[5]),  # actor_role
            _text(row[2]),  # actor_user_id
            _text(row[3]),  # actor_username
            _text(at),
            _text(row[10]),  # correlation_id
            _encode_details(row[11]),  # details
            _text(row[9]),  # enquiry_id
            _text(row[8]),  # object_id
            _text(row[7]),  # object_type
            _text(row[12]),  # prev_hash
            "null" if row[0] is None else int(row[0]),  # seq
        )
    ).encode()


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """The entry as compact JSON with sorted keys: the same bytes on every machine."""
    return canonical_row(tuple(entry.get(name) for name in FIELDS))


def entry_hash(entry: Mapping[str, Any]) -> str:
    return _sha256(canonical_bytes(entry)).hexdigest()


def row_hash(row: Sequence[Any]) -> str:
    return _sha256(canonical_row(row)).hexdigest()


def reference_bytes(entry: Mapping[str, Any]) -> bytes:
    """The definition the template above must match: the slow, obvious encoding."""
    body: dict[str, Any] = {}
    for name in FIELDS:
        value = entry.get(name)
        if isinstance(value, datetime):
            value = format_time(value)
        elif value is not None and name in {"actor_user_id", "enquiry_id"}:
            value = str(value)
        body[name] = value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
