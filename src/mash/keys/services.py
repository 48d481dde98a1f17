"""The only code that reads, creates, re-wraps and destroys data keys.

- ``data_key(enquiry_id)``: the enquiry's data key, to decrypt;
- ``data_key_for_writing(enquiry_id)``: the same, created on first use;
- ``prefetch_keys(enquiry_ids)`` / ``prefetch_keys_for(rows)``: a page's keys in one
  query, before it is rendered (every list selector calls one);
- ``destroy_enquiry_key(enquiry_id=..., actor=...)``: crypto-shredding, for retention;
- ``rotate(...)``: ``mash keys rotate``, re-wrap every data key under the current
  master key;
- ``status()``: how many data keys each master key wraps.

Unwrapped keys are cached (``mash.keys.cache``); a writer trusts the cache for a key
only once the row that holds it has committed, so a key made in a transaction that
rolls back is never used to encrypt anything that is kept.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from mash.records.models import Action
from mash.records.services import record, record_many

from . import cache
from .crypto import DecryptionRefused, new_data_key, unwrap, wrap
from .keyring import Keyring, KeyringError, keyring
from .models import DataKey


class KeyDestroyed(Exception):
    """The enquiry's data key was destroyed under retention: its content is gone."""


class KeyMissing(DecryptionRefused):
    """Encrypted content names an enquiry that has no data key."""


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DecryptionRefused("not an enquiry id") from None


# Keys created in a transaction that has not committed yet, with the on-commit callback
# that marks them committed: while that callback is still queued on the connection, the
# savepoint that made the row has not been rolled back, so the cached key is good.
# Once it is gone without having run, the row was rolled back: writers look again.
_pending: dict[uuid.UUID, Callable[[], None]] = {}
_pending_lock = threading.Lock()
# Enquiries named by ciphertexts just loaded from the database (per thread): the first
# key fetched after a query fetches theirs too, in one query, so a page listing many
# enquiries' requests costs the same number of queries for two as for twelve.
_seen = threading.local()
_SEEN_MAX = 5000
_IN_CHUNK = 500


def _mark_pending(enquiry_id: uuid.UUID) -> None:
    def committed() -> None:
        with _pending_lock:
            if _pending.get(enquiry_id) is committed:
                del _pending[enquiry_id]

    with _pending_lock:
        if len(_pending) > 10_000:
            _pending.clear()
        _pending[enquiry_id] = committed
    transaction.on_commit(committed)


# Per thread: the ids of the callbacks in ``connection.run_on_commit`` as last scanned,
# with the list itself and its length. Django only appends to that list in place; a
# savepoint's rollback or a commit replaces it with a new list. So the same list object
# (held here, so its id cannot be reused) at the same length holds the same callbacks,
# and a bulk load sealing thousands of fields after making its keys scans it once
# instead of once per field.
_scanned = threading.local()


def _pending_callbacks() -> set[int]:
    hooks = connection.run_on_commit
    last = getattr(_scanned, "last", None)
    if last is not None and last[0] is hooks and last[1] == len(hooks):
        return last[2]  # type: ignore[no-any-return]
    ids = {id(entry[1]) for entry in hooks}
    _scanned.last = (hooks, len(hooks), ids)
    return ids


def _cache_trusted(enquiry_id: uuid.UUID) -> bool:
    """False when the key was made in a savepoint or transaction since rolled back."""
    with _pending_lock:
        callback = _pending.get(enquiry_id)
    if callback is None:
        return True
    return id(callback) in _pending_callbacks()


def note_sealed(enquiry_hex: str) -> None:
    """Called for each ciphertext loaded (``EncryptedTextField.from_db_value``)."""
    seen: set[str] | None = getattr(_seen, "ids", None)
    if seen is None:
        seen = _seen.ids = set()
    if len(seen) < _SEEN_MAX:
        seen.add(enquiry_hex)


def forget_seen(*args: Any, **kwargs: Any) -> None:
    """Forget the ciphertexts this thread has loaded: each request starts with none, so
    a look-up never fetches the keys of rows an earlier request loaded (pages that
    fetch their keys first, ``prefetch_keys_for``, rarely look one up at all)."""
    _seen.ids = set()


def _take_seen() -> set[uuid.UUID]:
    seen: set[str] = getattr(_seen, "ids", None) or set()
    _seen.ids = set()
    found = set()
    for text in seen:
        try:
            found.add(uuid.UUID(hex=text))
        except ValueError:
            continue
    return found


def _from_row(row: DataKey, ring: Keyring | None = None) -> bytes:
    if row.destroyed:
        cache.put(row.enquiry_id, cache.DESTROYED)
        raise KeyDestroyed(str(row.enquiry_id))
    master = (ring or keyring()).get(row.master_key_id)
    if master is None:
        raise KeyringError(
            f"a data key is wrapped by master key {row.master_key_id}, which is not in the "
            "keyring: add it to MASH_MASTER_KEY_PREVIOUS (docs/security.md, rotation)"
        )
    key = unwrap(master, row.enquiry_id, row.wrapped_key)
    cache.put(row.enquiry_id, key)
    return key


def _cached(enquiry_id: uuid.UUID | str) -> bytes | None:
    value = cache.get(enquiry_id)
    if value is cache.DESTROYED:
        raise KeyDestroyed(str(enquiry_id))
    return value if isinstance(value, bytes) else None


def _fetch_rows(enquiry_ids: list[uuid.UUID]) -> dict[uuid.UUID, DataKey]:
    """The key rows of these enquiries: one query per ``_IN_CHUNK`` of them."""
    rows: dict[uuid.UUID, DataKey] = {}
    for start in range(0, len(enquiry_ids), _IN_CHUNK):
        chunk = enquiry_ids[start : start + _IN_CHUNK]
        rows.update((r.enquiry_id, r) for r in DataKey.objects.filter(enquiry_id__in=chunk))
    return rows


def _unwrap_quietly(rows: Iterable[DataKey], ring: Keyring) -> None:
    """Cache each row's key; failures are reported when that enquiry's text is read."""
    for row in rows:
        with contextlib.suppress(KeyDestroyed, KeyringError, DecryptionRefused):
            _from_row(row, ring)


def data_key(enquiry_id: uuid.UUID | str) -> bytes:
    """The enquiry's data key. Raises ``KeyDestroyed`` after crypto-shredding and
    ``KeyMissing`` when the enquiry never had one. ``enquiry_id`` may be the 32 hex
    digits a sealed value names."""
    found = _cached(enquiry_id)
    if found is not None:
        return found
    enquiry_id = _as_uuid(enquiry_id)
    wanted = sorted(({enquiry_id} | _take_seen()) - {enquiry_id}, key=str)
    others = [e for e in wanted if cache.get(e) is None]
    rows = _fetch_rows([enquiry_id, *others])
    ring = keyring()
    _unwrap_quietly((rows[other] for other in others if other in rows), ring)
    row = rows.get(enquiry_id)
    if row is None:
        raise KeyMissing(f"enquiry {enquiry_id} has no data key")
    return _from_row(row, ring)


def prefetch_keys(enquiry_ids: Iterable[uuid.UUID | str | None]) -> int:
    """Fetch and unwrap, in one query, the data keys of these enquiries that this
    thread has not cached yet, so reading their sealed fields afterwards asks the
    database nothing. For list selectors: call it with the page's enquiries (or use
    ``prefetch_keys_for`` with the page's rows) before the page is rendered. Returns
    how many keys it fetched. Destroyed and missing keys are left for the read to
    report, as ``data_key`` does."""
    wanted: set[uuid.UUID] = set()
    for value in enquiry_ids:
        if value is None:
            continue
        try:
            enquiry_id = _as_uuid(value)
        except DecryptionRefused:
            continue
        # Asking the cache marks a cached key as just used, so fetching the others
        # beside it does not push it out.
        if enquiry_id not in wanted and cache.get(enquiry_id) is None:
            wanted.add(enquiry_id)
    if not wanted:
        return 0
    rows = _fetch_rows(sorted(wanted, key=str))
    _unwrap_quietly(rows.values(), keyring())
    return len(rows)


def sealed_enquiries(rows: Iterable[Any]) -> set[str]:
    """The enquiries (32 hex digits) named by the sealed values loaded on these model
    instances and on everything loaded with them (``select_related``,
    ``prefetch_related``, including ``to_attr`` lists), whether or not read yet."""
    from django.db.models import Model

    from .fields import _HEX_END, _HEX_START, Ciphertext

    found: set[str] = set()
    seen: set[int] = set()
    pending: list[Any] = list(rows)
    while pending:
        obj = pending.pop()
        if not isinstance(obj, Model) or id(obj) in seen:
            continue
        seen.add(id(obj))
        values = obj.__dict__
        sealed, columns = _columns(type(obj))
        for attname in sealed:
            raw = values.get(attname)
            if isinstance(raw, Ciphertext):
                found.add(raw[_HEX_START:_HEX_END])
        pending.extend(obj._state.fields_cache.values())
        for related in getattr(obj, "_prefetched_objects_cache", {}).values():
            pending.extend(getattr(related, "_result_cache", None) or ())
        # What else the instance holds (``to_attr`` lists, objects set on it): a
        # column's value is never a model instance, so the columns are not looked at.
        for name in values.keys() - columns:
            value = values[name]
            if isinstance(value, Model):
                pending.append(value)
            elif isinstance(value, (list, tuple)) and value and isinstance(value[0], Model):
                pending.extend(value)
    return found


@functools.cache
def _columns(model: type) -> tuple[tuple[str, ...], frozenset[str]]:
    """A model's sealed columns (``EncryptedTextField``) and all its columns, by their
    attribute names, as ``sealed_enquiries`` reads an instance: found once a model, not
    field by field for every row."""
    from .fields import EncryptedTextField

    fields = model._meta.concrete_fields  # type: ignore[attr-defined]
    return (
        tuple(f.attname for f in fields if isinstance(f, EncryptedTextField)),
        frozenset(f.attname for f in fields),
    )


def prefetch_keys_for(rows: Iterable[Any]) -> int:
    """``prefetch_keys`` for the enquiries whose sealed values these rows (and what was
    loaded with them) hold: one query for a whole page's keys, whatever its size."""
    return prefetch_keys(sealed_enquiries(rows))


def data_key_for_writing(enquiry_id: uuid.UUID | str) -> bytes:
    """The enquiry's data key, created (wrapped under the current master key) if it has
    none. Raises ``KeyDestroyed`` when it was destroyed: nothing new is written to a
    shredded enquiry."""
    enquiry_id = _as_uuid(enquiry_id)
    if _cache_trusted(enquiry_id):
        found = _cached(enquiry_id)
        if found is not None:
            return found
    row = DataKey.objects.filter(enquiry_id=enquiry_id).first()
    if row is not None:
        return _from_row(row)
    current = keyring().current
    key = new_data_key()
    try:
        with transaction.atomic():
            DataKey.objects.create(
                enquiry_id=enquiry_id,
                wrapped_key=wrap(current, enquiry_id, key),
                master_key_id=current.id,
            )
    except IntegrityError:  # another writer made it first: use theirs
        return _from_row(DataKey.objects.get(enquiry_id=enquiry_id))
    _mark_pending(enquiry_id)
    cache.put(enquiry_id, key)
    return key


def data_keys_for_writing(enquiry_ids: Iterable[uuid.UUID | str]) -> dict[uuid.UUID, bytes]:
    """``data_key_for_writing`` for many enquiries at once, for bulk loads (imports,
    generated data sets): one query for the keys that exist and one INSERT for those
    that do not. Raises ``KeyDestroyed`` if any was destroyed. Each key is left in the
    cache, so the rows saved next find it there (the cache keeps ``cache.MAX_ENTRIES``:
    ask for fewer at a time)."""
    ids = list(dict.fromkeys(_as_uuid(value) for value in enquiry_ids))
    rows = _fetch_rows(ids)
    ring = keyring()
    out = {e: _from_row(row, ring) for e, row in rows.items()}
    current = ring.current
    made: dict[uuid.UUID, bytes] = {e: new_data_key() for e in ids if e not in rows}
    try:
        with transaction.atomic():
            DataKey.objects.bulk_create(
                [
                    DataKey(
                        enquiry_id=e, wrapped_key=wrap(current, e, key), master_key_id=current.id
                    )
                    for e, key in made.items()
                ]
            )
    except IntegrityError:  # another writer made some first: take them one by one
        return {e: data_key_for_writing(e) for e in ids}
    for enquiry_id, key in made.items():
        _mark_pending(enquiry_id)
        cache.put(enquiry_id, key)
    return out | made


def destroy_enquiry_key(*, enquiry_id: uuid.UUID | str, actor: Any = None) -> bool:
    """Crypto-shred an enquiry: destroy its data key, so its narrative text and consent
    evidence can never again be read (pages show "destroyed under retention" in their
    place). Recorded in the record (``keys.destroyed``) in the same transaction.
    Idempotent: returns False when the key was already destroyed. An enquiry with no
    key yet gets a destroyed one, so nothing can be encrypted for it afterwards.

    Copies of the wrapped key in database backups stay unreadable without the master
    key; retire the master key (rotate) once those backups expire (docs/security.md).
    """
    return bool(destroy_enquiry_keys(enquiry_ids=[enquiry_id], actor=actor))


def destroy_enquiry_keys(
    *, enquiry_ids: Iterable[uuid.UUID | str], actor: Any = None
) -> list[uuid.UUID]:
    """``destroy_enquiry_key`` for many enquiries in one transaction (the retention
    sweep destroys a few dozen enquiries at a time): a few queries for them all, one
    ``keys.destroyed`` entry each. Returns the enquiries whose key this destroyed (not
    those already destroyed)."""
    ids = list(dict.fromkeys(_as_uuid(value) for value in enquiry_ids))
    if not ids:
        return []
    now = timezone.now()
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        rows = {
            row.enquiry_id: row
            for row in DataKey.objects.select_for_update()
            .filter(enquiry_id__in=ids)
            .only("id", "enquiry_id", "destroyed_at")
        }
        live = [rows[e].pk for e in ids if e in rows and not rows[e].destroyed]
        if live:
            DataKey.objects.filter(pk__in=live).update(
                wrapped_key=b"", master_key_id="", destroyed_at=now, destroyed_by=actor_id
            )
        made = [
            DataKey(enquiry_id=e, destroyed_at=now, destroyed_by=actor_id)
            for e in ids
            if e not in rows
        ]
        DataKey.objects.bulk_create(made)
        for row in made:
            rows[row.enquiry_id] = row
        live_ids = set(live)
        changed = live_ids | {row.pk for row in made}
        destroyed = [e for e in ids if rows[e].pk in changed]
        record_many(
            {
                "action": Action.KEY_DESTROYED,
                "actor": actor,
                "object_type": DataKey._meta.label_lower,
                "object_id": rows[e].pk,
                "enquiry": e,
                "details": {"had_key": rows[e].pk in live_ids},
            }
            for e in destroyed
        )
    for enquiry_id in destroyed:
        cache.forget(enquiry_id)

    def remember_destroyed() -> None:
        for enquiry_id in destroyed:
            cache.put(enquiry_id, cache.DESTROYED)

    transaction.on_commit(remember_destroyed)
    return destroyed


@dataclass(frozen=True)
class RotationReport:
    master_key_id: str
    rewrapped: int
    batches: int
    already_current: int
    destroyed: int


def rotate(
    *,
    batch_size: int = 500,
    actor: Any = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> RotationReport:
    """Re-wrap every live data key not yet under the current master key.

    Batches of ``batch_size`` rows, each in its own transaction, so the hub keeps
    working (readers unwrap with whichever key is named; both old and new master keys
    are in the ring). A run that stops part way leaves every row readable; run it
    again and it carries on. Refuses, before changing anything, when a data key is
    wrapped by a master key that is not in the ring. Records ``keys.rotated`` with the
    counts (never a key).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ring = keyring()
    current = ring.current
    live = DataKey.objects.filter(destroyed_at__isnull=True)
    unknown = sorted(
        {
            key_id
            for key_id in live.exclude(master_key_id=current.id)
            .values_list("master_key_id", flat=True)
            .distinct()
            if ring.get(key_id) is None
        }
    )
    if unknown:
        raise KeyringError(
            "data keys are wrapped by master keys not in the keyring: "
            f"{', '.join(unknown)}; add them to MASH_MASTER_KEY_PREVIOUS and run again"
        )
    rewrapped = batches = 0
    last: uuid.UUID | None = None
    while True:
        with transaction.atomic():
            pending = live.select_for_update().exclude(master_key_id=current.id).order_by("pk")
            if last is not None:
                pending = pending.filter(pk__gt=last)
            batch = list(pending[:batch_size])
            if not batch:
                break
            now = timezone.now()
            for row in batch:
                master = ring.get(row.master_key_id)
                if master is None:  # written during the run by a differently configured process
                    raise KeyringError(
                        f"a data key is wrapped by master key {row.master_key_id}, which is "
                        "not in the keyring: add it to MASH_MASTER_KEY_PREVIOUS and run again"
                    )
                plain = unwrap(master, row.enquiry_id, row.wrapped_key)
                rewrapped += DataKey.objects.filter(
                    pk=row.pk, master_key_id=row.master_key_id, destroyed_at__isnull=True
                ).update(
                    wrapped_key=wrap(current, row.enquiry_id, plain),
                    master_key_id=current.id,
                    rewrapped_at=now,
                )
            last = batch[-1].pk
            batches += 1
        if on_batch is not None:
            on_batch(batches, rewrapped)
    counts = status()
    report = RotationReport(
        master_key_id=current.id,
        rewrapped=rewrapped,
        batches=batches,
        already_current=counts["by_master_key"].get(current.id, 0) - rewrapped,
        destroyed=counts["destroyed"],
    )
    record(
        action=Action.KEYS_ROTATED,
        actor=actor,
        object_type="keys.masterkey",
        object_id=current.id,
        details={
            "master_key_id": current.id,
            "rewrapped": report.rewrapped,
            "batches": report.batches,
            "already_current": report.already_current,
            "destroyed": report.destroyed,
            "still_under_other_keys": counts["live"] - counts["by_master_key"].get(current.id, 0),
        },
    )
    return report


def status() -> dict[str, Any]:
    """Counts only: data keys per master key id, destroyed keys, and which previous
    master keys are still needed (none once a rotation has finished)."""
    ring = keyring()
    by_master: Counter[str] = Counter(
        DataKey.objects.filter(destroyed_at__isnull=True).values_list("master_key_id", flat=True)
    )
    return {
        "current": ring.current.id,
        "keyring": ring.ids,
        "source": ring.source,
        "by_master_key": dict(by_master),
        "live": sum(by_master.values()),
        "destroyed": DataKey.objects.filter(destroyed_at__isnull=False).count(),
        "previous_still_needed": sorted(k for k in by_master if k != ring.current.id),
    }
