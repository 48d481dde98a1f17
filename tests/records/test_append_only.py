from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from mash.records.models import RecordEntry
from mash.records.services import sign_checkpoint
from tests.records.helpers import fill


def test_the_database_refuses_to_change_an_entry(db: Any) -> None:
    fill(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.filter(seq=1).update(details={"n": 99})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry = RecordEntry.objects.get(seq=2)
        entry.actor_username = "someone-else"
        entry.save()
    assert RecordEntry.objects.get(seq=1).details == {"n": 0, "fields": ["rag"]}


def test_the_database_refuses_to_delete_an_entry(db: Any) -> None:
    fill(3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.filter(seq=2).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.all().delete()
    assert RecordEntry.objects.count() == 3


def test_the_database_refuses_raw_sql_that_changes_or_removes_entries(db: Any) -> None:
    fill(1)
    for sql in (
        "UPDATE records_recordentry SET object_id = 'x'",
        "DELETE FROM records_recordentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert RecordEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
def test_postgresql_refuses_to_truncate_the_record(db: Any) -> None:
    fill(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE records_recordentry")
    assert RecordEntry.objects.count() == 1


def test_checkpoints_cannot_be_changed_or_removed_either(db: Any) -> None:
    fill(1)
    checkpoint, _document = sign_checkpoint()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        type(checkpoint).objects.filter(pk=checkpoint.pk).update(seq=99)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        checkpoint.delete()


def test_the_chain_cannot_fork_two_entries_cannot_follow_the_same_one(db: Any) -> None:
    first, _second = fill(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordEntry.objects.create(
            seq=99,
            at=first.at,
            action=first.action,
            details={},
            prev_hash=first.hash,  # entry 2 already follows entry 1
            hash="f" * 64,
        )
