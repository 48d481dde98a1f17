"""The witness: the chain's heads and signed checkpoints leave the database as each
transaction commits, and ``mash records verify`` catches what someone who owns the
database can do to the chain alone (issue 16): a tail cut off, a chain rewritten and
recomputed, the checkpoint table deleted, the database rolled back to an older backup.
Each is named with its kind and the range of entries concerned."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from mash.records import services, witness
from mash.records.chain import FIELDS, entry_hash
from mash.records.models import Action, Checkpoint, RecordEntry, VerificationRun
from mash.records.services import record, sign_checkpoint, sign_checkpoint_if_due
from tests.records.helpers import run_records, without_triggers

Capture = Callable[..., Any]


@pytest.fixture
def witness_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "witness"
    settings.MASH_RECORD_WITNESS_DIR = str(path)
    return path


def _heads(directory: Path) -> list[tuple[int, str]]:
    lines = []
    for path in sorted(directory.glob("heads-*.log")):
        for line in path.read_text().splitlines():
            seq, hash_, _at = line.split(" ")
            lines.append((int(seq), hash_))
    return lines


def _view(n: int) -> RecordEntry:
    return record(
        action=Action.ENQUIRY_VIEWED,
        object_type="enquiries.enquiry",
        object_id=f"object-{n}",
        details={"n": n},
    )


def fill_witnessed(capture: Capture, count: int) -> list[RecordEntry]:
    """``count`` entries, each its own committed transaction (as each request is)."""
    entries = []
    for n in range(count):
        with capture(execute=True):
            entries.append(_view(n))
    return entries


def checkpoint_witnessed(capture: Capture) -> Checkpoint:
    with capture(execute=True):
        checkpoint, _document = sign_checkpoint()
    return checkpoint


def _recorded_verified() -> int:
    return RecordEntry.objects.filter(action=Action.RECORD_VERIFIED).count()


def test_each_committed_transaction_hands_its_head_to_the_witness_once(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _view(1)
        _view(2)
        last = _view(3)
        assert _heads(witness_dir) == []  # nothing leaves before the commit
    assert _heads(witness_dir) == [(3, last.hash)]  # the last head covers the others


def test_a_head_rolled_back_with_its_savepoint_is_never_witnessed(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        kept = _view(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _view(2)
            raise RuntimeError("the service failed after appending")
    assert _heads(witness_dir) == [(1, kept.hash)]


def test_a_clean_record_is_intact_verified_and_recorded_as_verified(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 12)
    checkpoint_witnessed(django_capture_on_commit_callbacks)
    assert len((witness_dir / witness.CHECKPOINTS_FILE).read_text().splitlines()) == 1
    code, output = run_records("verify")
    assert code == 0, output
    assert "The record is intact: 13 entries checked" in output
    assert "Not yet witnessed: 0 entries." in output
    assert "seen up to entry 13" in output
    assert _recorded_verified() == 1


def test_what_the_witness_has_not_seen_is_stated_and_not_blessed(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 5)
    for n in range(3):  # committed, but the process died before the witness write
        _view(n)
    code, output = run_records("verify")
    assert code == 0, output
    assert "Not yet witnessed: 3 entries (6 to 8)" in output
    assert _recorded_verified() == 1  # entries 1 to 5 matched the witness

    # A witness that has seen nothing blesses nothing:
    code, output = run_records("verify", "--witness", str(witness_dir.parent / "empty"))
    assert code == 2 and "no witness directory" in output
    (witness_dir.parent / "empty").mkdir()
    code, output = run_records("verify", "--witness", str(witness_dir.parent / "empty"))
    assert code == 0
    assert "Not yet witnessed: 9 entries (1 to 9)" in output
    assert "Not recorded as verified" in output
    assert _recorded_verified() == 1


def test_a_tail_cut_off_after_the_latest_checkpoint_is_named_with_its_range(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 10)
    checkpoint_witnessed(django_capture_on_commit_callbacks)  # signs 10, entry 11
    fill_witnessed(django_capture_on_commit_callbacks, 9)  # 12 to 20
    with without_triggers():
        RecordEntry.objects.filter(seq__gte=15).delete()
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entries 15 to 20 (truncated)" in output
    assert "the witness saw entry 20" in output
    assert _recorded_verified() == 0
    run = VerificationRun.objects.get()
    assert (run.result, run.break_seq, run.break_kind) == ("broken", 15, "truncated")


def test_a_rewritten_and_recomputed_chain_with_its_checkpoints_deleted_is_named_at_the_change(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 20)
    checkpoint_witnessed(django_capture_on_commit_callbacks)  # signs 20, entry 21
    fill_witnessed(django_capture_on_commit_callbacks, 10)  # 22 to 31
    checkpoint_witnessed(django_capture_on_commit_callbacks)  # signs 31, entry 32
    # The attacker changes entry 8, recomputes every hash from there and deletes the
    # checkpoint table's rows: the chain alone is consistent again.
    with without_triggers():
        Checkpoint.objects.all().delete()
        prev = RecordEntry.objects.get(seq=7).hash
        for entry in RecordEntry.objects.filter(seq__gte=8).order_by("seq"):
            fields = {name: getattr(entry, name) for name in FIELDS}
            if entry.seq == 8:
                fields["details"] = {"n": 7, "fields": ["address"]}
            fields["prev_hash"] = prev
            fields["hash"] = prev = entry_hash(fields)
            RecordEntry.objects.filter(seq=entry.seq).update(
                details=fields["details"], prev_hash=fields["prev_hash"], hash=fields["hash"]
            )
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entries 8 to 32 (rewritten)" in output
    assert "the first changed entry is entry 8 (entry 7 still matches)" in output
    assert "entries 20 to 31 (checkpoints_deleted): 2 signed checkpoint(s)" in output
    assert "2 break(s) found" in output
    assert _recorded_verified() == 0


def test_a_dropped_checkpoint_table_is_named(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    from mash.records import triggers

    fill_witnessed(django_capture_on_commit_callbacks, 4)
    checkpoint_witnessed(django_capture_on_commit_callbacks)
    # Inside the test's transaction: rolled back (table and triggers) when it ends.
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE records_checkpoint")
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at the checkpoints (checkpoints_deleted)" in output
    assert "the checkpoint table cannot be read" in output


def _restore(backup_head: int) -> None:
    """Put the database back as a backup taken when the chain ended at ``backup_head``."""
    with without_triggers():
        RecordEntry.objects.filter(seq__gt=backup_head).delete()
        Checkpoint.objects.filter(seq__gte=backup_head).delete()


def test_a_database_rolled_back_to_an_older_backup_is_named(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 20)
    checkpoint_witnessed(django_capture_on_commit_callbacks)  # signs 20, entry 21
    fill_witnessed(django_capture_on_commit_callbacks, 10)  # 22 to 31
    checkpoint_witnessed(django_capture_on_commit_callbacks)  # signs 31, entry 32
    _restore(21)  # the backup was taken after the first checkpoint
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entries 22 to 32 (rolled_back)" in output
    assert "lacks the signed checkpoint(s) at entry 31 that the witness holds" in output

    # The hub carries on from the restored backup: new entries take numbers the witness
    # already saw with other hashes.
    fill_witnessed(django_capture_on_commit_callbacks, 3)  # 22 to 24, again
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entries 22 to 32 (rolled_back)" in output
    assert "the witness itself saw 3 entry number(s) twice" in output
    assert _recorded_verified() == 0


def test_every_break_is_listed_with_a_cap_and_a_count(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 15)
    with without_triggers():
        for seq in (3, 7, 12):
            RecordEntry.objects.filter(seq=seq).update(details={"n": 0, "edited": True})
        RecordEntry.objects.filter(seq=9).delete()
    code, output = run_records("verify")
    assert code == 1
    assert "4 break(s) found; 14 entries checked:" in output
    for line in (
        "  - entry 3 (changed)",
        "  - entry 7 (changed)",
        "  - entry 9 (missing)",
        "  - entry 12 (changed)",
    ):
        assert line in output
    code, output = run_records("verify", "--max-breaks", "2")
    assert "4 break(s) found, the first 2 listed" in output
    assert "entry 9 (missing)" not in output


def test_the_worker_signs_a_checkpoint_when_due_and_hands_it_to_the_witness(
    db: Any, witness_dir: Path, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    from mash.timeliness.scheduler import enqueue_due

    settings.MASH_RECORD_CHECKPOINT_MINUTES = 5
    fill_witnessed(django_capture_on_commit_callbacks, 3)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due(now)  # the worker's loop
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.seq == 3
    [line] = (witness_dir / witness.CHECKPOINTS_FILE).read_text().splitlines()
    assert json.loads(line)["statement"]["seq"] == 3
    fill_witnessed(django_capture_on_commit_callbacks, 2)
    assert sign_checkpoint_if_due(now=now + dt.timedelta(minutes=4)) is None  # not yet
    assert sign_checkpoint_if_due(now=now + dt.timedelta(minutes=6)) is not None
    later = now + dt.timedelta(minutes=20)
    assert sign_checkpoint_if_due(now=later) is None  # nothing new since: an idle hub
    settings.MASH_RECORD_CHECKPOINT_MINUTES = 0
    fill_witnessed(django_capture_on_commit_callbacks, 2)
    assert sign_checkpoint_if_due(now=later) is None  # off
    assert run_records("verify")[0] == 0


def test_a_torn_last_line_in_the_witness_is_skipped_and_counted(
    db: Any, witness_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    fill_witnessed(django_capture_on_commit_callbacks, 3)
    [path] = witness_dir.glob("heads-*.log")
    with path.open("ab") as handle:
        handle.write(b"4 abc")  # the process died mid-write
    code, output = run_records("verify")
    assert code == 0, output
    assert "1 unreadable line(s) in the witness were skipped" in output


def test_a_checkpoint_signed_while_verify_reads_is_no_false_alarm(
    db: Any,
    witness_dir: Path,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hub carries on while verify runs: a checkpoint that commits (and reaches the
    witness) part-way through a verification is not a deleted checkpoint."""
    from mash.records import signing
    from mash.records.services import verify_record

    fill_witnessed(django_capture_on_commit_callbacks, 5)
    checkpoint_witnessed(django_capture_on_commit_callbacks)
    reads: list[str] = []
    real_read, real_documents = witness.read, services.stored_checkpoint_documents

    def read(directory: Path) -> witness.Witness:
        reads.append("witness")
        return real_read(directory)

    def documents(*args: Any) -> list[dict[str, Any]]:
        reads.append("table")
        found = real_documents(*args)
        checkpoint_witnessed(django_capture_on_commit_callbacks)  # the hub carries on
        return found

    monkeypatch.setattr(witness, "read", read)
    monkeypatch.setattr(services, "stored_checkpoint_documents", documents)
    key = signing.private_key(create=True)
    assert key is not None
    _run, found = verify_record(public_keys=[key.public_key()], witness_dir=witness_dir)
    assert reads == ["witness", "table"]
    assert found.breaks == ()
    assert run_records("verify")[0] == 0  # and the next run sees both checkpoints
