"""Walking the chain: is the record intact, and if not, where and how did it break?

The walk streams rows (``values_list`` + ``iterator(chunk_size=...)``) so a chain of
millions of entries needs memory for one chunk only. ``walk`` is the whole check and
takes any iterable of rows, so the benchmark measures exactly this code.

It walks on past the first break and lists every break it finds (up to ``max_breaks``,
with a count of all of them), each naming the entry, or the range of entries, and how:

- ``changed``: the entry's content no longer gives its stored hash;
- ``missing``: seqs are absent (a gap), or an entry's ``prev_hash`` names no entry (the
  one before it was removed, or rewritten with a new hash);
- ``inserted``: an entry sits between two that were linked to each other;
- ``reordered``: an entry's ``prev_hash`` names another entry than the one before it
  (e.g. two entries swapped places).

It also compares the chain with what was seen from outside it (``known``: seq -> hash
from the witness's heads and from signed checkpoints) and returns the comparison
(``KnownMatch``): which witnessed entries still have the hash the witness saw, the first
that does not, and whether the witness saw entries beyond the chain's end. What those
mean (a tail cut off, a chain rewritten and recomputed, a database rolled back) is
decided in ``services.verify_record``, which also knows the checkpoint table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .chain import FIELDS, GENESIS_HASH, canonical_row

ROW_FIELDS = (*FIELDS, "hash")  # the row the walk reads: the hashed fields, then hash
CHUNK_SIZE = 5000
MAX_BREAKS = 100


@dataclass(frozen=True)
class Break:
    seq: int
    kind: str  # changed | missing | inserted | reordered | truncated | rewritten | ...
    message: str
    end: int | None = None  # the last entry of a range, where the break spans several

    @property
    def where(self) -> str:
        if self.seq == 0:
            return "the checkpoints"
        if self.end is not None and self.end != self.seq:
            return f"entries {self.seq} to {self.end}"
        return f"entry {self.seq}"


@dataclass(frozen=True)
class KnownMatch:
    """The chain against the hashes seen from outside it."""

    last_matched: int = 0  # the highest known seq whose hash still matches
    first_mismatch: int = 0  # the lowest known seq whose hash differs (0: none)
    matched_before_mismatch: int = 0  # the highest matching known seq below it (0: none)
    last_mismatch: int = 0
    mismatches: int = 0
    first_mismatch_at: Any = None  # the chain's own time for that entry
    beyond_end: int = 0  # the highest known seq past the chain's end (0: none)


@dataclass(frozen=True)
class WalkResult:
    entries_checked: int
    head_seq: int | None
    head_hash: str
    checkpoints_checked: int
    breaks: tuple[Break, ...] = ()
    break_count: int = 0
    known: KnownMatch = field(default_factory=KnownMatch)

    @property
    def broken(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    @property
    def intact(self) -> bool:
        return self.break_count == 0


def _link_break(seq: int, prev_hash: str, find_hash: Callable[[str], int | None]) -> Break:
    target = find_hash(prev_hash)
    if target is None:
        return Break(
            seq,
            "missing",
            f"entry {seq} links to a hash no entry has: the entry before it is missing "
            f"(or entry {seq - 1} was rewritten with a new hash)",
        )
    if target == seq - 2:
        return Break(
            seq - 1,
            "inserted",
            f"entry {seq - 1} was inserted: entry {seq} links past it to entry {seq - 2}",
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


def _content_break(row: Sequence[Any]) -> Break:
    """An entry whose content no longer gives its hash: changed, or only renumbered (its
    hash is right for a neighbouring number)."""
    seq, stored = row[0], row[13]
    for moved in (seq + 1, seq - 1):
        if hashlib.sha256(canonical_row((moved, *row[1:]))).hexdigest() == stored:
            return Break(
                seq,
                "reordered",
                f"entry {seq} was entry {moved}: renumbered (its content is otherwise intact)",
            )
    return Break(seq, "changed", f"entry {seq} was changed: its content no longer gives its hash")


def walk(
    rows: Iterable[Sequence[Any]],
    *,
    checkpoints: Mapping[int, str] | None = None,
    known: Mapping[int, str] | None = None,
    find_hash: Callable[[str], int | None] = lambda _hash: None,
    max_breaks: int = MAX_BREAKS,
) -> WalkResult:
    """Check ``rows`` (tuples in ``ROW_FIELDS`` order, ascending seq, from seq 1).

    ``checkpoints`` maps a signed seq to its signed hash (signatures already checked)
    and ``known`` any other seq -> hash seen from outside (the witness); both are
    compared with the chain. ``find_hash`` looks up which seq holds a hash; it is
    called only at a break, to tell a reordering from a missing entry.
    """
    signed = dict(checkpoints or {})
    signed.pop(0, None)  # a checkpoint of the empty chain signs nothing to compare
    expected: Mapping[int, str] = {**known, **signed} if known and signed else known or signed
    sha256 = hashlib.sha256
    breaks: list[Break] = []
    count = 0

    def add(found: Break) -> None:
        nonlocal count
        count += 1
        if len(breaks) < max_breaks:
            breaks.append(found)

    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    last_matched = first_mismatch = before_mismatch = last_mismatch = 0
    mismatches = 0
    first_mismatch_at: Any = None
    for row in rows:
        seq = row[0]
        stored = row[13]
        check_content = True
        if seq != expected_seq:
            add(
                Break(
                    expected_seq,
                    "missing",
                    f"entry {expected_seq} is missing"
                    if seq == expected_seq + 1
                    else f"entries {expected_seq} to {seq - 1} are missing",
                    end=seq - 1,
                )
            )
            # The entry after a gap links to the missing one: not a break of its own.
        elif row[12] != prev:
            if count < max_breaks:
                found = _link_break(seq, row[12], find_hash)
                # A moved entry's content changed with its seq: the move says it all.
                check_content = found.kind == "missing"
            else:
                found = Break(seq, "missing", f"entry {seq} does not link to the one before")
            add(found)
        if check_content and sha256(canonical_row(row)).hexdigest() != stored:
            add(_content_break(row) if count < max_breaks else Break(seq, "changed", ""))
        if expected:
            seen = expected.get(seq)
            if seen is not None:
                if seen == stored:
                    last_matched = seq
                else:
                    mismatches += 1
                    last_mismatch = seq
                    if not first_mismatch:
                        first_mismatch = seq
                        first_mismatch_at = row[1]
                        before_mismatch = last_matched
        prev = stored
        checked += 1
        expected_seq = seq + 1
    last = expected_seq - 1
    beyond = max(expected, default=0)
    # Signed checkpoints matched: those the chain reached before any known hash differed
    # (counted here, not in the loop, which is the verifier's hot path).
    reached = (first_mismatch - 1) if first_mismatch else last
    signed_matched = sum(1 for seq in signed if seq <= reached)
    return WalkResult(
        checked,
        last or None,
        prev,
        signed_matched,
        tuple(breaks),
        count,
        KnownMatch(
            last_matched=last_matched,
            first_mismatch=first_mismatch,
            matched_before_mismatch=before_mismatch,
            last_mismatch=last_mismatch,
            mismatches=mismatches,
            first_mismatch_at=first_mismatch_at,
            beyond_end=beyond if beyond > last else 0,
        ),
    )


def walk_database(
    *,
    checkpoints: Mapping[int, str] | None = None,
    known: Mapping[int, str] | None = None,
    max_breaks: int = MAX_BREAKS,
) -> WalkResult:
    """Walk the record in the database, up to the head as it was when the walk began."""
    from .models import RecordEntry

    head = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    if head is None:
        return walk([], checkpoints=checkpoints, known=known, max_breaks=max_breaks)
    rows = (
        RecordEntry.objects.filter(seq__lte=head)
        .order_by("seq")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )

    def find_hash(value: str) -> int | None:
        return RecordEntry.objects.filter(hash=value).values_list("seq", flat=True).first()

    return walk(
        rows, checkpoints=checkpoints, known=known, find_hash=find_hash, max_breaks=max_breaks
    )
