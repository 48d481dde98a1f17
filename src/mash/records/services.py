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
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from mash.lib.middleware import current_correlation_id

from . import signing
from .chain import GENESIS_HASH, entry_hash, format_time
from .models import Action, Checkpoint, RecordEntry, VerificationResult, VerificationRun
from .verify import Break, WalkResult, walk_database

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
            return entries
        return RecordEntry.objects.bulk_create(entries)


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
    Checkpoint table and record that it was signed. Returns the checkpoint and the
    document to keep outside the hub (statement, signature, key fingerprint)."""
    key = signing.private_key(create=True)
    if key is None:
        raise signing.SigningKeyError("the record's signing key could not be created")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        head = RecordEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, head_hash = head if head else (0, GENESIS_HASH)
        now = timezone.now()
        statement = {
            "type": signing.STATEMENT_TYPE,
            "version": 1,
            "seq": seq,
            "hash": head_hash,
            "at": format_time(now),
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
    return checkpoint, document


def stored_checkpoint_documents() -> list[dict[str, Any]]:
    """The Checkpoint table's rows as the documents they were signed as."""
    out = []
    for row in Checkpoint.objects.order_by("seq", "id"):
        out.append(
            {
                "statement": json.loads(row.statement),
                "signature": row.signature,
                "public_key_fingerprint": row.key_fingerprint,
                "_stored": row,
            }
        )
    return out


def verify_record(
    *,
    documents: list[dict[str, Any]],
    public_keys: list[Any],
    actor: Any = None,
) -> tuple[VerificationRun, WalkResult]:
    """Check each checkpoint's signature, walk the chain against the checkpoints,
    and keep the run (VerificationRun + a ``record.verified`` entry)."""
    started = timezone.now()
    signed: dict[int, str] = {}
    broken: Break | None = None
    for document in documents:
        problem = signing.check(document, public_keys)
        statement = document.get("statement") or {}
        if problem is not None:
            seq = statement.get("seq") if isinstance(statement, dict) else None
            broken = Break(
                int(seq) if isinstance(seq, int) else 0,
                "signature",
                f"the checkpoint at entry {seq} cannot be trusted: {problem}",
            )
            break
        stored = document.get("_stored")
        if stored is not None and (stored.seq, stored.hash) != (
            statement["seq"],
            statement["hash"],
        ):
            broken = Break(
                stored.seq,
                "signature",
                f"checkpoint {stored.pk} in the database does not say what it signed",
            )
            break
        seq, value = int(statement["seq"]), str(statement["hash"])
        if signed.get(seq, value) != value:
            broken = Break(seq, "signature", f"two signed checkpoints disagree at entry {seq}")
            break
        signed[seq] = value
    result = walk_database(checkpoints=signed)
    if broken is not None and result.intact:  # a break in the chain names an entry: first
        result = WalkResult(
            result.entries_checked,
            result.head_seq,
            result.head_hash,
            result.checkpoints_checked,
            broken,
        )
    run = VerificationRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        result=VerificationResult.INTACT if result.intact else VerificationResult.BROKEN,
        entries_checked=result.entries_checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        checkpoints_checked=result.checkpoints_checked,
        break_seq=result.broken.seq if result.broken else None,
        break_kind=result.broken.kind if result.broken else "",
        message=result.broken.message if result.broken else "",
    )
    record(
        action=Action.RECORD_VERIFIED,
        actor=actor,
        object_type="records.verificationrun",
        object_id=str(run.pk),
        details={
            "result": run.result,
            "entries_checked": run.entries_checked,
            "break_seq": run.break_seq,
            "break_kind": run.break_kind,
        },
    )
    return run, result


class _Anonymous:
    is_authenticated = False
