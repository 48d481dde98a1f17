"""RFC 3161 timestamps of signed checkpoints, from a time-stamping authority (TSA).

A checkpoint is signed with the hub's own key, so it shows the record was not rewritten
since, but its time (``at``) is the hub's word: whoever keeps the hub could sign a
checkpoint later and date it earlier. A timestamp token from a TSA the operator names
is a third party's signed word that the checkpoint's statement existed at the time the
token gives, which the hub's keeper cannot forge.

The token is for the SHA-256 of the checkpoint's statement bytes (the canonical JSON
that the hub signs, ``signing.statement_bytes``). It is asked for once the checkpoint
commits (never under the chain's lock), kept in the ``CheckpointTimestamp`` table and
in the checkpoint's document in the witness (``"timestamp"``), and checked by
``mash records verify``: its message imprint must be the statement's hash and its
signature must check against the TSA certificate configured (the TSA's own, or the CA
that issued it). The protocol (requests, replies, CMS signature and certificate checks)
is ``rfc3161-client`` (docs/decisions/0006-checkpoint-timestamps.md).

Settings: ``MASH_RECORD_TSA_URL`` (off when empty), ``MASH_RECORD_TSA_CERT_FILE``,
``MASH_RECORD_TSA_TIMEOUT`` (seconds).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from django.conf import settings
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from .chain import format_time

SHA256_OID = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
MAX_REPLY_BYTES = 1024 * 1024
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


class TimestampError(Exception):
    """No token: the TSA could not be reached, refused, or answered something that is not
    a good token for the statement. The message names no personal data (there is none in
    a statement) and not the TSA's address (it may carry credentials)."""


def configured_url() -> str | None:
    value = str(getattr(settings, "MASH_RECORD_TSA_URL", "") or "").strip()
    return value or None


def certificates_from(path: Path) -> list[x509.Certificate]:
    """The PEM certificates in ``path`` (a TSA's certificate, or the CA that issued it)."""
    try:
        found = x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as error:
        raise TimestampError(
            f"the TSA certificate file {path} cannot be read as PEM ({error})"
        ) from None
    return found


def configured_certificates() -> list[x509.Certificate]:
    value = str(getattr(settings, "MASH_RECORD_TSA_CERT_FILE", "") or "").strip()
    return certificates_from(Path(value)) if value else []


@dataclass(frozen=True)
class Token:
    """A token the TSA granted: the whole reply (DER ``TimeStampResp``) and its time."""

    reply: bytes
    time: datetime

    @property
    def encoded(self) -> str:
        return base64.b64encode(self.reply).decode()

    def document(self) -> dict[str, str]:
        """What the checkpoint's document carries (in the witness and in files)."""
        return {"type": "rfc3161", "token": self.encoded, "time": format_time(self.time)}


def _digest(statement: bytes) -> bytes:
    return hashlib.sha256(statement).digest()


def _signature_problem(
    reply: TimeStampResponse, digest: bytes, certificates: Sequence[x509.Certificate]
) -> str | None:
    """None when the token's signature checks against one of ``certificates``."""
    reason = ""
    for certificate in certificates:
        try:
            VerifierBuilder(roots=[certificate]).build().verify(reply, digest)
        except (VerificationError, ValueError) as error:
            reason = str(error)
            continue
        return None
    if "signature failure" in reason or "digest failure" in reason:
        return "its signature does not verify: the token was altered"
    if "Mismatch between messages" in reason:
        return "its message imprint is not the checkpoint statement's hash"
    return (
        "its signature does not check against the TSA certificate given: another TSA "
        "signed it, or the token was altered"
    )


def _imprint_problem(reply: TimeStampResponse, statement: bytes) -> str | None:
    if reply.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        return "the TSA did not grant it"
    imprint = reply.tst_info.message_imprint
    if imprint.hash_algorithm != SHA256_OID:
        return "its message imprint is not a SHA-256 hash"
    if imprint.message != _digest(statement):
        return (
            "its message imprint is not the checkpoint statement's hash: the token is for "
            "something else"
        )
    return None


@dataclass(frozen=True)
class TokenCheck:
    problem: str | None  # None: good
    time: datetime | None  # the TSA's time, when the token could be read
    signature_checked: bool


def check(encoded: Any, statement: bytes, certificates: Sequence[x509.Certificate]) -> TokenCheck:
    """Is ``encoded`` (base64 of the TSA's reply) a token for ``statement``, signed by the
    TSA one of ``certificates`` names? With no certificates only the imprint is checked
    (``signature_checked`` False)."""
    try:
        raw = base64.b64decode(str(encoded), validate=True)
        reply = decode_timestamp_response(raw)
        when = reply.tst_info.gen_time
    except (binascii.Error, ValueError, TypeError):
        return TokenCheck("it is not an RFC 3161 timestamp token", None, False)
    problem = _imprint_problem(reply, statement)
    if problem is None and certificates:
        problem = _signature_problem(reply, _digest(statement), certificates)
    return TokenCheck(problem, when, bool(certificates))


def _post(url: str, body: bytes, timeout: float) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise TimestampError("the TSA's address is not http:// or https://")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": QUERY_TYPE, "Accept": REPLY_TYPE},
    )
    try:
        # The scheme is http(s), checked above (and in settings).
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # nosec B310 # noqa: S310
            data: bytes = answer.read(MAX_REPLY_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise TimestampError(f"the TSA answered HTTP {error.code}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        text = getattr(reason, "strerror", None) or type(reason).__name__
        raise TimestampError(f"the TSA could not be reached ({text})") from None
    except (OSError, http.client.HTTPException) as error:
        text = getattr(error, "strerror", None) or type(error).__name__
        raise TimestampError(f"the TSA could not be reached ({text})") from None
    if len(data) > MAX_REPLY_BYTES:
        raise TimestampError(f"the TSA's reply is over {MAX_REPLY_BYTES} bytes")
    return data


def obtain(
    statement: bytes,
    *,
    url: str,
    certificates: Sequence[x509.Certificate] = (),
    timeout: float = 10.0,
) -> Token:
    """Ask the TSA at ``url`` for a token over ``statement`` (SHA-256, with a nonce and
    the TSA's certificate asked for). The reply is checked before it is kept: granted,
    the nonce sent, the statement's hash, and (given ``certificates``) its signature."""
    request = (
        TimestampRequestBuilder()
        .data(statement)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    raw = _post(url, request.as_bytes(), timeout)
    try:
        reply = decode_timestamp_response(raw)
        if reply.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
            raise TimestampError(f"the TSA refused the request (status {reply.status})")
        when = reply.tst_info.gen_time
        nonce = reply.tst_info.nonce
    except ValueError:
        raise TimestampError("the TSA's reply is not an RFC 3161 timestamp reply") from None
    if nonce != request.nonce:
        raise TimestampError("the TSA's reply does not answer this request (nonce)")
    problem = _imprint_problem(reply, statement)
    if problem is None and certificates:
        problem = _signature_problem(reply, _digest(statement), certificates)
    if problem is not None:
        raise TimestampError(f"the TSA's token cannot be kept: {problem}")
    return Token(reply=raw, time=when)
