"""The witness: what the record looked like, kept where the database's owners cannot reach.

Guidance, 7 Golden Rules, rule 7: "Keep a Record". Hash chaining shows an entry changed
in place, and signed checkpoints show a chain rewritten with fresh hashes, but only if
something outside the database remembers them: someone who owns the database can cut
off the tail, rewrite and recompute the chain, delete the checkpoint table or restore
an older backup, and the chain alone still looks whole. The witness remembers.

Every transaction that appends to the record hands the chain's new head (entry number
and hash) to the witness once it commits (``transaction.on_commit``, from the one append
path in ``services``), and the worker's scheduled signed checkpoints go there too.
``mash records verify`` reads it back and compares.

On disk (``MASH_RECORD_WITNESS_DIR``, default ``$MASH_DATA_DIR/witness``): plain text,
append-only, nothing personal.

- ``heads-YYYY-MM-DD.log`` (one file per UTC day): one line per committed head,
  ``SEQ HASH TIME\\n`` (``TIME`` the UTC instant the head was witnessed). Each line is one
  ``write()`` to a file opened ``O_APPEND``, so lines from many processes never interleave
  on a local file system. Not fsynced by default (``MASH_RECORD_WITNESS_FSYNC=true`` to
  fsync every line): a machine that loses power may lose the last lines, which
  ``verify`` then reports as "not yet witnessed", never as a break.
- ``checkpoints.jsonl``: one signed checkpoint document per line (compact JSON), always
  fsynced; with its RFC 3161 timestamp (``"timestamp"``) when a TSA gave one (the line
  is written once the TSA answered or failed: ``services.timestamp_checkpoint``).

A torn last line (a crash mid-write) is skipped and counted. A head the witness never
received (a crash between commit and the write, a full disk) is not a break: verify
states how many entries are "not yet witnessed". A failure to write is logged (no
personal data: only the entry number) and never fails the request that committed.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from .chain import format_time

log = logging.getLogger("mash.records.witness")

CHECKPOINTS_FILE = "checkpoints.jsonl"
_HEADS_FILE = re.compile(r"^heads-\d{4}-\d{2}-\d{2}\.log$")


def configured_dir() -> Path | None:
    """The witness directory from settings, or ``None`` when witnessing is off."""
    value = str(getattr(settings, "MASH_RECORD_WITNESS_DIR", "") or "").strip()
    if value.lower() in ("", "off", "none"):
        return None
    return Path(value)


def _fsync_heads() -> bool:
    return bool(getattr(settings, "MASH_RECORD_WITNESS_FSYNC", False))


def _append_line(path: Path, line: bytes, *, sync: bool) -> None:
    """One ``write()`` of one line to ``path`` opened ``O_APPEND`` (created 0640)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def write_head(seq: int, hash_: str, *, directory: Path | None = None) -> bool:
    """Append the head ``seq``/``hash_`` to today's heads file. False if witnessing is
    off or the write failed (logged)."""
    directory = directory if directory is not None else configured_dir()
    if directory is None:
        return False
    now = datetime.now(UTC)
    line = f"{int(seq)} {hash_} {format_time(now)}\n".encode()
    try:
        _append_line(directory / f"heads-{now:%Y-%m-%d}.log", line, sync=_fsync_heads())
    except OSError as error:
        log.error("record witness: head %s not written: %s", seq, error.strerror or error)
        return False
    return True


def write_checkpoint(document: dict[str, Any], *, directory: Path | None = None) -> bool:
    """Append a signed checkpoint document (always fsynced)."""
    directory = directory if directory is not None else configured_dir()
    if directory is None:
        return False
    line = json.dumps(document, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    try:
        _append_line(directory / CHECKPOINTS_FILE, line, sync=True)
    except OSError as error:
        seq = document.get("statement", {}).get("seq")
        log.error("record witness: checkpoint %s not written: %s", seq, error.strerror or error)
        return False
    return True


class _Head:
    """The on-commit callback that witnesses one head (unless a later head of the same
    transaction, sure to commit with it, made it redundant)."""

    __slots__ = ("hash", "seq", "superseded")

    def __init__(self, seq: int, hash_: str) -> None:
        self.seq = seq
        self.hash = hash_
        self.superseded = False

    def __call__(self) -> None:
        if not self.superseded:
            write_head(self.seq, self.hash)


def witness_on_commit(seq: int, hash_: str) -> None:
    """Witness the head ``seq``/``hash_`` once (and only if) the transaction commits.

    Called by the append path after its own atomic block. A savepoint rolled back
    drops its callbacks with it (Django's ``on_commit``), so no head that did not
    commit is ever witnessed. When a transaction appends several times, an earlier
    head's callback is made a no-op where the new one is registered under the same or
    fewer savepoints (whenever the earlier would run, the new one runs too): one line
    per transaction, since the chain links the last head to the ones before it.
    """
    if configured_dir() is None:
        return
    if connection.in_atomic_block:
        sids = set(connection.savepoint_ids)
        for item in connection.run_on_commit:
            if isinstance(item[1], _Head) and sids <= item[0]:
                item[1].superseded = True
    transaction.on_commit(_Head(seq, hash_), robust=True)


# Reading


@dataclass(frozen=True)
class Conflict:
    """The witness saw two different entries under one number: the chain was cut back
    (or the database restored) and written again."""

    seq: int
    first_hash: str
    later_hash: str
    later_at: str


@dataclass
class Witness:
    directory: Path
    # seq -> hash, the first one seen for each seq.
    heads: dict[int, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_count: int = 0
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    unreadable_lines: int = 0
    head_files: int = 0

    @property
    def exists(self) -> bool:
        return self.directory.is_dir()

    @property
    def latest_head(self) -> int:
        return max(self.heads, default=0)

    def _head_files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if _HEADS_FILE.match(p.name))

    def times(self, seqs: set[int]) -> dict[int, str]:
        """When each of ``seqs`` was first witnessed (a second reading of the files, only
        when verify needs it: the times are not kept in memory)."""
        found: dict[int, str] = {}
        for seq, _hash, at in _lines(self._head_files(), lambda: None):
            if seq in seqs and seq not in found:
                found[seq] = at
        return found


def _lines(files: list[Path], on_bad: Any) -> Iterator[tuple[int, str, str]]:
    for path in files:
        with path.open("rb") as handle:
            for raw in handle:
                parts = raw.split(b" ")
                if len(parts) != 3 or len(parts[1]) != 64 or not raw.endswith(b"\n"):
                    on_bad()
                    continue
                try:
                    seq = int(parts[0])
                    hash_ = parts[1].decode("ascii")
                except (ValueError, UnicodeDecodeError):
                    on_bad()
                    continue
                if seq < 1:
                    on_bad()
                    continue
                yield seq, hash_, parts[2].rstrip().decode("ascii", "replace")


MAX_CONFLICTS_KEPT = 100


def read(directory: Path) -> Witness:
    """Everything the witness holds. Heads are kept as seq -> hash (the first hash seen
    for a seq; a later, different one is a ``Conflict``)."""
    witness = Witness(directory=directory)
    files = witness._head_files()
    witness.head_files = len(files)
    heads = witness.heads

    def bad() -> None:
        witness.unreadable_lines += 1

    for seq, hash_, at in _lines(files, bad):
        seen = heads.get(seq)
        if seen is None:
            heads[seq] = hash_
        elif seen != hash_:
            witness.conflict_count += 1
            if len(witness.conflicts) < MAX_CONFLICTS_KEPT:
                witness.conflicts.append(Conflict(seq, seen, hash_, at))
    path = directory / CHECKPOINTS_FILE
    if path.is_file():
        with path.open("rb") as handle:
            for raw in handle:
                try:
                    document = json.loads(raw)
                except ValueError:
                    witness.unreadable_lines += 1
                    continue
                if isinstance(document, dict):
                    witness.checkpoints.append(document)
                else:
                    witness.unreadable_lines += 1
    return witness
