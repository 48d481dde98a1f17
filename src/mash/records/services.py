"""Writing to the record. Every service that changes personal data calls ``record``
inside its own transaction, so the change and its entry commit together or not at all.

Guidance, 7 Golden Rules, rule 7: "Keep a Record"; Guidance, Record: decisions are
recorded "whether or not the decision is taken to share".

Appends are serialised so concurrent writers never fork the chain: on PostgreSQL a
transaction-scoped advisory lock is taken before the chain's head is read (and held
until the caller's transaction commits); on SQLite every transaction begins
``IMMEDIATE`` (settings), which takes the single write lock at ``BEGIN``. The unique
constraint on ``prev_hash`` is the backstop: a fork needs two entries with the same
predecessor, and the database refuses the second.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from mash.lib.middleware import current_correlation_id

from . import merkle, signing, timestamping, witness
from .chain import GENESIS_HASH, canonical_row, entry_hash, format_time
from .models import (
    Action,
    Checkpoint,
    CheckpointTimestamp,
    RecordEntry,
    VerificationResult,
    VerificationRun,
)
from .verify import CHUNK_SIZE, MAX_BREAKS, ROW_FIELDS, Break, WalkResult, walk_database

log = logging.getLogger("mash.records.timestamps")

# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x4D415348  # "MASH"

# Set on a request once its refusal is recorded, so the 403 middleware does not record
# it a second time.
DENIED_RECORDED_ATTR = "_mash_access_denied_recorded"


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {
            "actor_user_id": None,
            "actor_username": "system" if actor is None else "anonymous",
            "actor_agency": "",
            "actor_role": "",
        }
    agency = getattr(actor, "agency", None)
    return {
        "actor_user_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_agency": agency.code if agency is not None else "",
        "actor_role": getattr(actor, "role", ""),
    }


def _plain_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """Details as the database will give them back (ids become strings, tuples lists),
    so the hash written now is the hash the verifier computes later."""
    if not details:
        return {}
    if not all(isinstance(key, str) for key in details):
        raise TypeError("record details need string keys")
    plain = json.loads(json.dumps(details, default=str))
    if not isinstance(plain, dict):
        raise TypeError("record details need to be a mapping")
    return plain


def _append(fields: dict[str, Any]) -> RecordEntry:
    """Give ``fields`` the next seq and the head's hash, hash them, insert: under the
    chain lock, in the caller's transaction (or a new one)."""
    [entry] = _append_many([fields])
    return entry


def _append_many(many: list[dict[str, Any]]) -> list[RecordEntry]:
    """Append entries in the order given, each chained to the one before: one lock, one
    read of the head and one INSERT for them all (the same chain, byte for byte, as
    appending them one at a time)."""
    if not many:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        head = RecordEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        correlation_id = current_correlation_id()
        entries = []
        for fields in many:
            fields = {
                "seq": seq,
                "at": timezone.now(),
                **fields,
                "correlation_id": correlation_id,
                "prev_hash": prev_hash,
            }
            fields["hash"] = prev_hash = entry_hash(fields)
            seq += 1
            entries.append(RecordEntry(**fields))
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            entries = RecordEntry.objects.bulk_create(entries)
    # Outside the atomic block above, so the callback hangs on the caller's savepoints
    # only: the head leaves the building once the caller's transaction commits.
    witness.witness_on_commit(entries[-1].seq, entries[-1].hash)
    return entries


def _fields(
    *,
    action: Action | str,
    actor: Any = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | uuid.UUID | None = None,
    enquiry: Model | uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    action = Action(action)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    enquiry_id = enquiry.pk if isinstance(enquiry, Model) else enquiry
    if enquiry_id is not None and not isinstance(enquiry_id, uuid.UUID):
        enquiry_id = uuid.UUID(str(enquiry_id))
    return {
        **_actor_fields(actor),
        "action": action.value,
        "object_type": object_type,
        "object_id": str(object_id) if object_id is not None else "",
        "enquiry_id": enquiry_id,
        "details": _plain_details(details),
    }


def record(
    *,
    action: Action | str,
    actor: Any = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | uuid.UUID | None = None,
    enquiry: Model | uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> RecordEntry:
    """Append one entry to the chain.

    ``actor`` is the signed-in user, or ``None`` for the system. ``obj`` names the
    object acted on (or give ``object_type``/``object_id``). ``details`` holds ids,
    field names and codes only: never free text about a person.
    """
    return _append(
        _fields(
            action=action,
            actor=actor,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            enquiry=enquiry,
            details=details,
        )
    )


def record_many(entries: Iterable[dict[str, Any]]) -> list[RecordEntry]:
    """Append several entries at once, in the order given: each a mapping of
    ``record``'s keyword arguments. For services that act on many objects in one
    transaction (the retention sweep): one lock, one read of the chain's head and one
    INSERT, where ``record`` in a loop pays those for every entry. The chain is the
    same as ``record`` called for each in turn."""
    return _append_many([_fields(**entry) for entry in entries])


def record_view(
    request: Any,
    *,
    action: Action | str,
    obj: Model | None = None,
    enquiry: Model | uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> RecordEntry:
    """Every page and API endpoint that shows personal data calls this once per
    response, naming what was shown (e.g. ``Action.ENQUIRY_VIEWED`` and the enquiry)."""
    return record(action=action, actor=request.user, obj=obj, enquiry=enquiry, details=details)


def record_views(request: Any, views: Iterable[dict[str, Any]]) -> list[RecordEntry]:
    """``record_view`` for each of ``views`` (each a mapping of its keyword arguments:
    ``action``, ``obj``, ``enquiry``, ``details``), in the order given, appended at once:
    for a page that shows several things each recorded under its own action (the
    enquiry page and its consent table). One lock, one read of the chain's head, one
    INSERT and one commit, where a ``record_view`` for each pays those every time; the
    entries are those ``record_view`` would have written one by one."""
    return record_many({**view, "actor": request.user} for view in views)


def _url_name(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else ""


def record_denied(
    request: Any,
    *,
    object_type: str,
    object_id: str | uuid.UUID | None,
    enquiry: Model | uuid.UUID | None = None,
) -> RecordEntry:
    """Apps call this when they refuse someone access to an object (whether they then
    answer 403, or 404 as if it did not exist), so the DPO can see who tried.

    Records the page's url name and the method, never the path or query string.
    """
    entry = record(
        action=Action.ACCESS_DENIED,
        actor=getattr(request, "user", None) or _Anonymous(),
        object_type=object_type,
        object_id=object_id,
        enquiry=enquiry,
        details={"url_name": _url_name(request), "method": request.method},
    )
    setattr(request, DENIED_RECORDED_ATTR, True)
    return entry


def object_ids_in_url(request: Any) -> dict[str, str]:
    """The ids a page's URL names (UUIDs and numbers; never other text, which could be
    personal)."""
    match = getattr(request, "resolver_match", None)
    ids: dict[str, str] = {}
    for key, value in match.kwargs.items() if match is not None else []:
        if isinstance(value, uuid.UUID | int):
            ids[key] = str(value)
        elif isinstance(value, str):
            try:
                ids[key] = str(uuid.UUID(value))
            except ValueError:
                continue
    return ids


def record_forbidden_response(request: Any, *, status: int) -> RecordEntry:
    """The middleware's generic entry for a 403 nobody recorded more precisely, or a 404
    for an object someone asked for by id (hidden from them, or not there at all)."""
    ids = object_ids_in_url(request)
    return record(
        action=Action.ACCESS_DENIED,
        actor=getattr(request, "user", None) or _Anonymous(),
        object_type="page",
        object_id=_url_name(request)[:64],
        details={"url_name": _url_name(request), "method": request.method, "status": status}
        | ({"ids": ids} if ids else {}),
    )


def record_sign_in_failed(*, user_id: uuid.UUID | None) -> RecordEntry:
    """A failed sign-in. The typed username is not kept (people type passwords into
    it); only whether it named a real account, and that account's id."""
    return _append(
        {
            **_actor_fields(_Anonymous()),
            "action": Action.SIGN_IN_FAILED.value,
            "object_type": "agencies.user" if user_id is not None else "",
            "object_id": str(user_id) if user_id is not None else "",
            "enquiry_id": None,
            "details": {"username_matched": user_id is not None},
        }
    )


def sign_checkpoint(*, actor: Any = None) -> tuple[Checkpoint, dict[str, Any]]:
    """Sign "the record had ``seq`` entries ending in ``hash``" now, keep it in the
    Checkpoint table, record that it was signed and hand it to the witness once it
    commits. Returns the checkpoint and the document to keep outside the hub
    (statement, signature, key fingerprint)."""
    signed = _sign_checkpoint(actor=actor, due=None)
    if signed is None:  # only a scheduled checkpoint (due given) may be skipped
        raise RuntimeError("a checkpoint asked for now was not signed")
    return signed


def sign_checkpoint_if_due(*, now: datetime) -> Checkpoint | None:
    """The worker's scheduled checkpoint: signed when the last one is older than
    ``MASH_RECORD_CHECKPOINT_MINUTES`` and the chain has moved since (an idle hub adds
    nothing). Decided under the chain's lock, so many workers sign it once."""
    minutes = float(getattr(settings, "MASH_RECORD_CHECKPOINT_MINUTES", 0) or 0)
    if minutes <= 0:
        return None

    def due(head: tuple[int, str] | None) -> bool:
        if head is None:
            return False
        last = Checkpoint.objects.order_by("-id").values_list("seq", "at").first()
        if last is None:
            return True
        if last[1] > now - timedelta(minutes=minutes):
            return False
        # Only the last checkpoint's own entry since: nothing new to sign.
        return head[0] > last[0] + 1

    with transaction.atomic():
        if not due(RecordEntry.objects.order_by("-seq").values_list("seq", "hash").first()):
            return None  # the cheap look, before any work; decided again under the lock
    signed = _sign_checkpoint(actor=None, due=due)
    return signed[0] if signed is not None else None


def _leaves(first: int, last: int) -> Iterator[bytes]:
    """The Merkle leaves of entries ``first..last``, streamed."""
    rows = (
        RecordEntry.objects.filter(seq__gte=first, seq__lte=last)
        .order_by("seq")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
        yield merkle.leaf_hash(canonical_row(row))


def merkle_frontier(seq: int) -> merkle.Frontier:
    """The Merkle tree over entries ``1..seq``: extended from the latest checkpoint's
    frontier when it is no larger, else built from the first entry."""
    frontier = merkle.Frontier()
    last = Checkpoint.objects.order_by("-id").values_list("statement", flat=True).first()
    if last:
        try:
            statement = json.loads(last)
            size = int(statement["tree_size"])
            hashes = [bytes.fromhex(value) for value in statement["frontier"]]
            if size <= seq:
                frontier = merkle.Frontier(size, hashes)
        except (KeyError, TypeError, ValueError):
            pass
    frontier.extend(_leaves(frontier.size + 1, seq))
    return frontier


def _sign_checkpoint(
    *, actor: Any, due: Callable[[tuple[int, str] | None], bool] | None
) -> tuple[Checkpoint, dict[str, Any]] | None:
    key = signing.private_key(create=True)
    if key is None:
        raise signing.SigningKeyError("the record's signing key could not be created")
    # The Merkle tree up to the head as it is now, outside the lock (a first checkpoint
    # of a long record reads it all); under the lock only the entries since are added.
    with transaction.atomic():
        start = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
        frontier = merkle_frontier(start or 0)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        head = RecordEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        if due is not None and not due(head):
            return None
        seq, head_hash = head if head else (0, GENESIS_HASH)
        if seq < frontier.size:  # the chain shrank meanwhile: build it again
            frontier = merkle.Frontier()
        frontier.extend(_leaves(frontier.size + 1, seq))
        now = timezone.now()
        statement = {
            "type": signing.STATEMENT_TYPE,
            "version": 2,
            "seq": seq,
            "hash": head_hash,
            "at": format_time(now),
            "tree_size": frontier.size,
            "merkle_root": frontier.root().hex(),
            "frontier": [node.hex() for node in frontier.hashes],
        }
        document = signing.sign(key, statement)
        checkpoint = Checkpoint.objects.create(
            seq=seq,
            hash=head_hash,
            at=now,
            statement=signing.statement_bytes(statement).decode(),
            signature=document["signature"],
            key_fingerprint=document["public_key_fingerprint"],
        )
        record(
            action=Action.CHECKPOINT_SIGNED,
            actor=actor,
            object_type="records.checkpoint",
            object_id=str(checkpoint.pk),
            details={"seq": seq, "key_fingerprint": document["public_key_fingerprint"]},
        )
    if timestamping.configured_url() is not None or witness.configured_dir() is not None:
        pk = checkpoint.pk
        transaction.on_commit(lambda: _timestamp_and_witness(pk, document), robust=True)
    return checkpoint, document


def _timestamp_and_witness(checkpoint_id: int, document: dict[str, Any]) -> None:
    """Once the checkpoint commits: its RFC 3161 timestamp (when a TSA is configured),
    then the witness. A TSA that fails never stops the witness."""
    timestamp_checkpoint(checkpoint_id=checkpoint_id, document=document)
    witness.write_checkpoint(document)


def timestamp_checkpoint(
    *, checkpoint_id: int, document: dict[str, Any]
) -> CheckpointTimestamp | None:
    """Ask the configured TSA for a token over the checkpoint's statement and keep it
    (``CheckpointTimestamp``, and ``document["timestamp"]`` for the witness and files).

    Called after the checkpoint commits, outside the chain's lock. ``None`` when no TSA
    is configured or it failed: a failure (down, slow, a bad answer) is logged with the
    checkpoint's number only and the checkpoint stands untimestamped; the next checkpoint
    asks again (and its token covers every entry this one did)."""
    url = timestamping.configured_url()
    if url is None:
        return None
    seq = document["statement"].get("seq")
    try:
        token = timestamping.obtain(
            signing.statement_bytes(document["statement"]),
            url=url,
            certificates=timestamping.configured_certificates(),
            timeout=float(getattr(settings, "MASH_RECORD_TSA_TIMEOUT", 10.0)),
        )
    except timestamping.TimestampError as error:
        log.warning(
            "record checkpoint %s (entry %s) not timestamped: %s; the next checkpoint asks again",
            checkpoint_id,
            seq,
            error,
        )
        return None
    try:
        with transaction.atomic():
            stamp = CheckpointTimestamp.objects.create(
                checkpoint_id=checkpoint_id,
                token=token.encoded,
                time=token.time,
                obtained_at=timezone.now(),
            )
    except DatabaseError as error:
        log.error(
            "record checkpoint %s (entry %s): timestamp not kept in the database (%s)",
            checkpoint_id,
            seq,
            type(error).__name__,
        )
        stamp = None
    document["timestamp"] = token.document()
    return stamp


class ProofError(Exception):
    """No inclusion proof can be given (no such entry, no checkpoint covering it, or the
    chain no longer matches the checkpoint's Merkle root)."""


def inclusion_proof(
    *, seq: int, document: dict[str, Any] | None, public_keys: list[Any]
) -> dict[str, Any]:
    """An RFC 9162 inclusion proof that entry ``seq`` is in the tree a signed checkpoint
    covers (the latest stored one covering it, unless ``document`` is given). Checked
    here before it is handed out: the checkpoint's signature, and the root rebuilt from
    the chain as it is now."""
    if document is None:
        document = _latest_rooted_checkpoint(seq)
        if document is None:
            raise ProofError(
                f"no signed checkpoint with a Merkle root covers entry {seq} yet: sign one "
                "(mash records checkpoint) and try again"
            )
    size = _trusted_tree(document, public_keys)
    statement = document["statement"]
    if not 1 <= seq <= size:
        raise ProofError(f"the checkpoint covers entries 1 to {size}, not entry {seq}")
    leaves = list(_leaves(1, size))
    frontier = merkle.Frontier()
    frontier.extend(leaves)
    if len(leaves) != size or frontier.root().hex() != statement["merkle_root"]:
        raise ProofError(
            f"the chain no longer matches the Merkle root the checkpoint at entry "
            f"{statement['seq']} signed: run mash records verify"
        )
    row = RecordEntry.objects.values_list(*ROW_FIELDS).get(seq=seq)
    return {
        "type": "mash.record.inclusion_proof",
        "entry": json.loads(canonical_row(row)),
        "entry_hash": row[13],
        "leaf_index": seq - 1,
        "tree_size": size,
        "audit_path": [node.hex() for node in merkle.inclusion_path(seq - 1, leaves)],
        "checkpoint": {
            key: document[key] for key in ("statement", "signature", "public_key_fingerprint")
        },
    }


def _latest_rooted_checkpoint(at_least: int) -> dict[str, Any] | None:
    for row in Checkpoint.objects.filter(seq__gte=at_least).order_by("-seq", "-id"):
        statement = json.loads(row.statement)
        if "merkle_root" in statement:
            return {
                "statement": statement,
                "signature": row.signature,
                "public_key_fingerprint": row.key_fingerprint,
            }
    return None


def _trusted_tree(document: dict[str, Any], public_keys: list[Any]) -> int:
    """The tree size a checkpoint signed, once its signature and root are checked."""
    problem = signing.check(document, public_keys)
    if problem is not None:
        raise ProofError(f"the checkpoint cannot be trusted: {problem}")
    statement = document["statement"]
    if "merkle_root" not in statement or "tree_size" not in statement:
        raise ProofError("the checkpoint has no Merkle root (signed before roots were kept)")
    return int(statement["tree_size"])


def consistency_proof(
    *, old: dict[str, Any], new: dict[str, Any] | None, public_keys: list[Any]
) -> dict[str, Any]:
    """An RFC 9162 consistency proof that the tree an older checkpoint signed is a prefix
    of the tree a newer one signed (the latest stored one, unless ``new`` is given):
    nothing the older one covered was changed, removed or reordered since."""
    first = _trusted_tree(old, public_keys)
    if new is None:
        new = _latest_rooted_checkpoint(first)
        if new is None:
            raise ProofError("no signed checkpoint with a Merkle root is newer than this one")
    second = _trusted_tree(new, public_keys)
    if not 0 < first <= second:
        raise ProofError(
            f"the older checkpoint must cover between 1 and {second} entries, not {first}"
        )
    leaves = list(_leaves(1, second))
    for size, document in ((first, old), (second, new)):
        frontier = merkle.Frontier()
        frontier.extend(leaves[:size])
        if len(leaves) != second or frontier.root().hex() != document["statement"]["merkle_root"]:
            raise ProofError(
                f"the chain no longer matches the Merkle root the checkpoint at entry "
                f"{document['statement']['seq']} signed: run mash records verify"
            )
    keys = ("statement", "signature", "public_key_fingerprint")
    return {
        "type": "mash.record.consistency_proof",
        "old": {key: old[key] for key in keys},
        "new": {key: new[key] for key in keys},
        "consistency_path": [node.hex() for node in merkle.consistency_path(first, leaves)],
    }


def stored_checkpoint_documents(
    timestamps: dict[int, dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """The Checkpoint table's rows as the documents they were signed as, each with its
    RFC 3161 timestamp from ``timestamps`` (checkpoint id -> the document's
    ``"timestamp"``), where it has one."""
    out = []
    for row in Checkpoint.objects.order_by("seq", "id"):
        document = {
            "statement": json.loads(row.statement),
            "signature": row.signature,
            "public_key_fingerprint": row.key_fingerprint,
            "_stored": row,
        }
        if timestamps and row.pk in timestamps:
            document["timestamp"] = timestamps[row.pk]
        out.append(document)
    return out


def stored_timestamps() -> dict[int, dict[str, str]]:
    """The CheckpointTimestamp table: checkpoint id -> the timestamp as documents carry it."""
    return {
        checkpoint_id: {"type": "rfc3161", "token": token, "time": format_time(time)}
        for checkpoint_id, token, time in CheckpointTimestamp.objects.order_by("id").values_list(
            "checkpoint_id", "token", "time"
        )
    }


@dataclass(frozen=True)
class Timestamps:
    """What ``verify_record`` found of the checkpoints' RFC 3161 timestamps."""

    checkpoints: int = 0  # checkpoints checked (signature good)
    timestamped: int = 0  # of those, with a token that checks
    signatures_checked: bool = False  # against a TSA certificate, or the imprint only
    latest_seq: int | None = None  # the latest checkpoint with a good token
    latest_time: str = ""  # the TSA's time in that token


def _checked_timestamps(
    documents: list[tuple[dict[str, Any], str]], certificates: list[Any]
) -> tuple[Timestamps, list[Break]]:
    """Check every timestamp token the good checkpoint documents carry: its imprint is the
    statement's hash, and (with ``certificates``) the TSA's signature. A token that does
    not check is a break (kind ``timestamp``): the evidence was altered."""
    bad: list[Break] = []
    checked: set[tuple[str, str]] = set()
    checkpoints: set[str] = set()
    timestamped: set[str] = set()
    latest: tuple[int, str] | None = None
    for document, source in documents:
        checkpoints.add(str(document["signature"]))
        stamp = document.get("timestamp")
        if stamp is None:
            continue
        statement = document["statement"]
        seq = int(statement["seq"])
        token = stamp.get("token") if isinstance(stamp, dict) else None
        if not isinstance(token, str):
            token = repr(stamp)
        # The same token for the same checkpoint (the table, the witness, a file) is
        # checked once; a token carried by another checkpoint is checked for that one.
        pair = (token, str(document["signature"]))
        if pair in checked:
            continue
        checked.add(pair)
        found = timestamping.check(token, signing.statement_bytes(statement), certificates)
        if found.problem is not None:
            bad.append(
                Break(
                    seq if seq > 0 else 0,
                    "timestamp",
                    f"the timestamp of the checkpoint at entry {seq} ({source}) cannot be "
                    f"trusted: {found.problem}",
                )
            )
            continue
        timestamped.add(str(document["signature"]))
        if found.time is not None and (latest is None or seq >= latest[0]):
            latest = (seq, format_time(found.time))
    return (
        Timestamps(
            checkpoints=len(checkpoints),
            timestamped=len(timestamped),
            signatures_checked=bool(certificates),
            latest_seq=latest[0] if latest else None,
            latest_time=latest[1] if latest else "",
        ),
        bad,
    )


@dataclass(frozen=True)
class Verification:
    """What ``verify_record`` found: the walk (with every break, located) and what it
    could and could not check against the witness."""

    walk: WalkResult
    breaks: tuple[Break, ...]
    break_count: int
    witness_dir: Path | None
    witnessed_heads: int
    witnessed_checkpoints: int
    witnessed_up_to: int  # the last entry seen from outside (witness or files); 0: none
    not_yet_witnessed: int
    blessed: bool  # a record.verified entry was appended
    notes: tuple[str, ...]
    last_checkpoint: dict[str, Any] | None = None  # the latest good signed statement
    timestamps: Timestamps = Timestamps()

    @property
    def intact(self) -> bool:
        return self.break_count == 0

    @property
    def broken(self) -> Break | None:
        return self.breaks[0] if self.breaks else None


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _checked_documents(
    documents: list[dict[str, Any]], public_keys: list[Any], source: str
) -> tuple[list[dict[str, Any]], list[Break]]:
    """The documents whose signature verifies, and a break for each that does not."""
    good, bad = [], []
    for document in documents:
        problem = signing.check(document, public_keys)
        statement = document.get("statement") if isinstance(document, dict) else None
        if not isinstance(statement, dict):
            statement = {}
        seq = statement.get("seq")
        where = int(seq) if isinstance(seq, int) and seq > 0 else 0
        if problem is not None:
            bad.append(
                Break(
                    where,
                    "signature",
                    f"the checkpoint at entry {seq} ({source}) cannot be trusted: {problem}",
                )
            )
            continue
        stored = document.get("_stored")
        if stored is not None and (stored.seq, stored.hash) != (
            statement["seq"],
            statement["hash"],
        ):
            bad.append(
                Break(
                    stored.seq,
                    "signature",
                    f"checkpoint {stored.pk} in the database does not say what it signed",
                )
            )
            continue
        good.append(document)
    return good, bad


def _seqs(numbers: list[int], cap: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:cap])
    shown = ("entry " if len(numbers) == 1 else "entries ") + shown
    return shown + (f" and {len(numbers) - cap} more" if len(numbers) > cap else "")


def verify_record(
    *,
    files: list[dict[str, Any]] | None = None,
    public_keys: list[Any],
    witness_dir: Path | None = None,
    tsa_certificates: list[Any] | None = None,
    actor: Any = None,
    max_breaks: int = MAX_BREAKS,
) -> tuple[VerificationRun, Verification]:
    """Check every checkpoint's signature (the table's, the files' and the witness's),
    walk the chain against them and the witness's heads, and say what is broken: every
    break, located. Keeps the run (VerificationRun); appends a ``record.verified``
    entry only when the chain is intact and matches what the witness saw last."""
    started = timezone.now()
    breaks: list[Break] = []
    notes: list[str] = []
    # The witness first, then the checkpoint table, then the chain: the hub writes the
    # other way round (the chain and the table commit, then the witness hears of it), so
    # whatever the witness has seen is in the table and the chain by the time they are
    # read. Read the other way, a checkpoint signed between the two reads would be in
    # the witness but not in the table read before it: a false "checkpoints deleted".
    seen = witness.read(witness_dir) if witness_dir is not None else None
    timestamps: dict[int, dict[str, str]] = {}
    try:
        with transaction.atomic():  # a savepoint: a missing table must not spoil the rest
            timestamps = stored_timestamps()
    except DatabaseError as error:
        notes.append(
            f"the checkpoint timestamps table cannot be read ({type(error).__name__}): "
            "timestamps were checked in the witness and files only"
        )
    try:
        with transaction.atomic():  # a savepoint: a missing table must not spoil the rest
            stored = stored_checkpoint_documents(timestamps)
    except DatabaseError as error:
        stored = []
        breaks.append(
            Break(
                0,
                "checkpoints_deleted",
                f"the checkpoint table cannot be read ({type(error).__name__}): it was dropped "
                "or damaged",
            )
        )
    if seen is not None and seen.unreadable_lines:
        notes.append(f"{seen.unreadable_lines} unreadable line(s) in the witness were skipped")
    good_stored, bad = _checked_documents(stored, public_keys, "in the database")
    breaks += bad
    good_files, bad = _checked_documents(list(files or []), public_keys, "in a file")
    breaks += bad
    good_witness, bad = _checked_documents(
        seen.checkpoints if seen is not None else [], public_keys, "in the witness"
    )
    breaks += bad
    stamps, bad = _checked_timestamps(
        [(d, "in the database") for d in good_stored]
        + [(d, "in a file") for d in good_files]
        + [(d, "in the witness") for d in good_witness],
        list(tsa_certificates or []),
    )
    breaks += bad
    signed: dict[int, str] = {}
    signed_at: dict[int, str] = {}
    for document in good_stored + good_files + good_witness:
        statement = document["statement"]
        seq, value = int(statement["seq"]), str(statement["hash"])
        if signed.get(seq, value) != value:
            breaks.append(
                Break(seq, "signature", f"two signed checkpoints disagree at entry {seq}")
            )
            continue
        signed[seq] = value
        signed_at.setdefault(seq, str(statement.get("at", "")))
    heads = seen.heads if seen is not None else {}
    for seq, value in signed.items():
        if heads.get(seq, value) != value:
            notes.append(f"the witness's head and a signed checkpoint disagree at entry {seq}")
    result = walk_database(checkpoints=signed, known=heads, max_breaks=max_breaks)
    last = result.head_seq or 0
    known = result.known
    outside = [seq for seq in (max(heads, default=0),) if seq]
    outside += [int(d["statement"]["seq"]) for d in good_files + good_witness]
    witnessed_up_to = max(outside, default=0)

    # A witnessed entry whose hash is no longer the one seen: rewritten, or rolled back.
    rolled_back_from = 0
    if known.first_mismatch:
        first, before = known.first_mismatch, known.matched_before_mismatch
        seen_at = signed_at.get(first) or (
            seen.times({first}).get(first) if seen is not None else None
        )
        source = "a signed checkpoint" if first in signed_at else "the witness"
        seen_time, chain_time = _parse_time(seen_at), _parse_time(known.first_mismatch_at)
        conflicts = seen.conflicts if seen is not None else []
        span = f"entry {first}" if before == first - 1 else f"entries {before + 1} to {first}"
        end = max(known.last_mismatch, known.beyond_end) or first
        if (seen_time and chain_time and chain_time > seen_time) or conflicts:
            rolled_back_from = first
            breaks.append(
                Break(
                    first,
                    "rolled_back",
                    f"entry {first} is not the entry {source} saw at {seen_at}: it was "
                    f"written later ({format_time(chain_time) if chain_time else 'unknown'}). "
                    f"The database was rolled back (restored from an older backup, or cut "
                    f"back) to before {span} and written again from there; "
                    f"{known.mismatches} witnessed entries up to {end} differ"
                    + (
                        f", and the witness itself saw {len(conflicts)} entry number(s) "
                        "twice with different hashes"
                        if conflicts
                        else ""
                    ),
                    end=end,
                )
            )
        else:
            breaks.append(
                Break(
                    first,
                    "rewritten",
                    f"entry {first} no longer has the hash {source} saw at {seen_at}: "
                    f"the chain was rewritten and its hashes recomputed; the first changed "
                    f"entry is {span}"
                    + (f" (entry {before} still matches)" if before else "")
                    + f"; {known.mismatches} witnessed entries from {first} to "
                    f"{known.last_mismatch} differ",
                    end=known.last_mismatch,
                )
            )
    elif seen is not None and seen.conflicts:
        conflict = seen.conflicts[0]
        rolled_back_from = conflict.seq
        breaks.append(
            Break(
                conflict.seq,
                "rolled_back",
                f"the witness saw two different entries numbered {conflict.seq} (the second "
                f"at {conflict.later_at}): the database was rolled back or cut back and "
                "written again from there",
            )
        )

    # The witness saw entries past the chain's end: cut off, or rolled back.
    stored_seqs = {int(d["statement"]["seq"]) for d in good_stored}
    stored_signatures = {d["signature"] for d in good_stored}
    if known.beyond_end and not rolled_back_from:
        beyond = known.beyond_end
        lost_checkpoints = sorted(
            int(d["statement"]["seq"])
            for d in good_witness
            if d["signature"] not in stored_signatures and int(d["statement"]["seq"]) >= last
        )
        if any(seq > last for seq in stored_seqs):
            breaks.append(
                Break(
                    last + 1,
                    "truncated",
                    f"the chain ends at entry {last} but a checkpoint signed entry "
                    f"{max(stored_seqs)} and the witness saw entry {beyond}: entries "
                    f"{last + 1} to {beyond} were removed from the end",
                    end=beyond,
                )
            )
        elif lost_checkpoints:
            breaks.append(
                Break(
                    last + 1,
                    "rolled_back",
                    f"the database is older than the witness: the chain ends at entry {last} "
                    f"and the checkpoint table lacks the signed checkpoint(s) at "
                    f"{_seqs(lost_checkpoints)} that the witness holds. The database was "
                    f"restored from an older backup (or its tail and checkpoints were cut "
                    f"off): entries {last + 1} to {beyond} are missing",
                    end=beyond,
                )
            )
        else:
            breaks.append(
                Break(
                    last + 1,
                    "truncated",
                    f"the chain ends at entry {last} but the witness saw entry {beyond}"
                    + (f" (a checkpoint signed entry {beyond})" if beyond in signed else "")
                    + f": entries {last + 1} to {beyond} were cut off the end (or the "
                    "database was restored from a backup older than them)",
                    end=beyond,
                )
            )

    # Signed checkpoints the witness holds, gone from the table (and not by a rollback).
    limit = min(last, (known.matched_before_mismatch or 0) if rolled_back_from else last)
    deleted = sorted(
        int(d["statement"]["seq"])
        for d in good_witness
        if d["signature"] not in stored_signatures and int(d["statement"]["seq"]) + 1 <= limit
    )
    if deleted and not any(b.kind == "checkpoints_deleted" for b in breaks):
        breaks.append(
            Break(
                deleted[0],
                "checkpoints_deleted",
                f"{len(deleted)} signed checkpoint(s) the witness holds are missing from the "
                f"database's checkpoint table (at {_seqs(deleted)}): the table "
                "was emptied or rows deleted",
                end=deleted[-1] if len(deleted) > 1 else None,
            )
        )

    extra = len(breaks)
    found = sorted([*result.breaks, *breaks], key=lambda b: b.seq)[:max_breaks]
    count = result.break_count + extra
    not_yet = max(0, last - witnessed_up_to)
    blessed = count == 0 and witnessed_up_to > 0
    first_break = found[0] if found else None
    run = VerificationRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        result=VerificationResult.INTACT if count == 0 else VerificationResult.BROKEN,
        entries_checked=result.entries_checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        checkpoints_checked=result.checkpoints_checked,
        break_seq=first_break.seq if first_break else None,
        break_kind=first_break.kind if first_break else "",
        message=(
            first_break.message + (f" ({count} breaks in all)" if count > 1 else "")
            if first_break
            else ""
        ),
    )
    if blessed:
        record(
            action=Action.RECORD_VERIFIED,
            actor=actor,
            object_type="records.verificationrun",
            object_id=str(run.pk),
            details={
                "result": run.result,
                "entries_checked": run.entries_checked,
                "witnessed_up_to": witnessed_up_to,
                "not_yet_witnessed": not_yet,
            },
        )
    return run, Verification(
        walk=result,
        breaks=tuple(found),
        break_count=count,
        witness_dir=witness_dir,
        witnessed_heads=len(heads),
        witnessed_checkpoints=len(good_witness),
        witnessed_up_to=witnessed_up_to,
        not_yet_witnessed=not_yet,
        blessed=blessed,
        notes=tuple(notes),
        last_checkpoint=max(
            (d["statement"] for d in good_stored + good_files + good_witness),
            key=lambda statement: int(statement["seq"]),
            default=None,
        ),
        timestamps=stamps,
    )


class _Anonymous:
    is_authenticated = False
