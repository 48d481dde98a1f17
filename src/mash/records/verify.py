"""Walking the chain: is the record intact, and if not, where and how did it break?

The walk streams rows (``values_list`` + ``iterator(chunk_size=...)``) so a chain of
millions of entries needs memory for one chunk only. ``walk`` is the whole check and
takes any iterable of rows, so the benchmark measures exactly this code.

Kinds of break, each naming the FIRST entry where the chain stops being provable:

- ``changed``: the entry's content no longer gives its stored hash;
- ``missing``: a seq is absent (gap), or an entry's ``prev_hash`` names no entry;
- ``reordered``: an entry's ``prev_hash`` names another entry than the one before it
  (e.g. two entries swapped places);
- ``truncated``: the chain ends before a signed checkpoint's seq, or the entry at a
  checkpoint's seq no longer has the hash the checkpoint signed.

``services.verify_record`` adds one more, found before the walk: ``signature``, a
checkpoint whose signature does not verify with the keys given (reported only if the
walk itself finds nothing, since a broken entry is the more specific finding).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .chain import FIELDS, GENESIS_HASH, canonical_row

ROW_FIELDS = (*FIELDS, "hash")  # the row the walk reads: the hashed fields, then hash
CHUNK_SIZE = 5000


@dataclass(frozen=True)
class Break:
    seq: int
    kind: str  # changed | missing | reordered | truncated
    message: str


@dataclass(frozen=True)
class WalkResult:
    entries_checked: int
    head_seq: int | None
    head_hash: str
    checkpoints_checked: int
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _link_break(seq: int, prev_hash: str, find_hash: Callable[[str], int | None]) -> Break:
    target = find_hash(prev_hash)
    if target is None:
        return Break(
            seq,
            "missing",
            f"entry {seq} links to a hash no entry has: the entry before it is missing "
            f"(or entry {seq - 1} was rewritten with a new hash)",
        )
    if target > seq:
        return Break(
            seq,
            "reordered",
            f"entry {seq} links to entry {target}, which comes after it: entries were reordered",
        )
    return Break(
        seq,
        "reordered",
        f"entry {seq} links to entry {target}, not to entry {seq - 1}: entries were reordered",
    )


def walk(
    rows: Iterable[Sequence[Any]],
    *,
    checkpoints: Mapping[int, str] | None = None,
    find_hash: Callable[[str], int | None] = lambda _hash: None,
) -> WalkResult:
    """Check ``rows`` (tuples in ``ROW_FIELDS`` order, ascending seq, from seq 1).

    ``checkpoints`` maps a signed seq to its signed hash (signatures already checked).
    ``find_hash`` looks up which seq holds a hash; it is called only at a break, to
    tell a reordering from a missing entry.
    """
    signed = dict(checkpoints or {})
    signed.pop(0, None)  # a checkpoint of the empty chain signs nothing to compare
    sha256 = hashlib.sha256
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    matched = 0
    for row in rows:
        seq = row[0]
        stored = row[13]
        if seq != expected_seq:
            broken = Break(
                expected_seq,
                "missing",
                f"entry {expected_seq} is missing"
                if seq == expected_seq + 1
                else f"entries {expected_seq} to {seq - 1} are missing",
            )
            return WalkResult(checked, expected_seq - 1, prev, matched, broken)
        if row[12] != prev:
            return WalkResult(checked, seq - 1, prev, matched, _link_break(seq, row[12], find_hash))
        if sha256(canonical_row(row)).hexdigest() != stored:
            broken = Break(
                seq, "changed", f"entry {seq} was changed: its content no longer gives its hash"
            )
            return WalkResult(checked, seq - 1, prev, matched, broken)
        if signed and seq in signed:
            if signed[seq] != stored:
                broken = Break(
                    seq,
                    "truncated",
                    f"entry {seq} is not the entry the checkpoint signed: the chain was cut "
                    "back and written again from there",
                )
                return WalkResult(checked, seq - 1, prev, matched, broken)
            matched += 1
        prev = stored
        checked += 1
        expected_seq += 1
    last = expected_seq - 1
    if signed and max(signed) > last:
        broken = Break(
            last + 1,
            "truncated",
            f"the chain ends at entry {last} but a checkpoint signed entry {max(signed)}: "
            "entries were removed from the end",
        )
        return WalkResult(checked, last or None, prev, matched, broken)
    return WalkResult(checked, last or None, prev, matched, None)


def walk_database(*, checkpoints: Mapping[int, str] | None = None) -> WalkResult:
    """Walk the record in the database, up to the head as it was when the walk began."""
    from .models import RecordEntry

    head = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    if head is None:
        return walk([], checkpoints=checkpoints)
    rows = (
        RecordEntry.objects.filter(seq__lte=head)
        .order_by("seq")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )

    def find_hash(value: str) -> int | None:
        return RecordEntry.objects.filter(hash=value).values_list("seq", flat=True).first()

    return walk(rows, checkpoints=checkpoints, find_hash=find_hash)
