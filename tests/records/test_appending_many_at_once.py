"""``record_many`` appends several entries in one go (one lock, one read of the head,
one INSERT) and leaves exactly the chain that ``record`` called for each in turn
would: consecutive numbers, each entry naming the hash of the one before, each hash
over its own fields, and ``mash records verify`` passes."""

from __future__ import annotations

import itertools
import uuid

import pytest

from mash.records.chain import entry_hash
from mash.records.models import Action, RecordEntry
from mash.records.services import record, record_many
from mash.records.verify import walk_database

from .helpers import fill

pytestmark = pytest.mark.django_db


def _entries(count: int, enquiry: uuid.UUID) -> list[dict[str, object]]:
    return [
        {
            "action": Action.RETENTION_DELETION,
            "object_type": "enquiries.enquiry",
            "object_id": str(enquiry),
            "enquiry": enquiry,
            "details": {"n": n, "destroyed": {"sharing.decision": n}},
        }
        for n in range(count)
    ]


def test_entries_appended_together_chain_on_from_the_head_in_the_order_given() -> None:
    before = fill(3)
    enquiry = uuid.uuid4()
    appended = record_many(_entries(5, enquiry))
    after = record(action=Action.ENQUIRY_VIEWED, object_type="enquiries.enquiry", object_id="x")

    assert [e.seq for e in appended] == [4, 5, 6, 7, 8]
    assert appended[0].prev_hash == before[-1].hash
    assert after.prev_hash == appended[-1].hash
    stored = list(RecordEntry.objects.filter(seq__in=[e.seq for e in appended]))
    assert [e.details["n"] for e in stored] == [0, 1, 2, 3, 4]
    assert all(e.enquiry_id == enquiry for e in stored)
    for previous, entry in itertools.pairwise(stored):
        assert entry.prev_hash == previous.hash
    fields = [f.name for f in RecordEntry._meta.fields if f.name != "hash"]
    for entry in stored:
        assert entry.hash == entry_hash({name: getattr(entry, name) for name in fields})
    assert walk_database(checkpoints={}).intact


def test_the_first_entries_of_an_empty_record_start_from_the_genesis_hash() -> None:
    appended = record_many(_entries(2, uuid.uuid4()))
    assert [e.seq for e in appended] == [1, 2]
    assert walk_database(checkpoints={}).intact


def test_nothing_to_append_appends_nothing() -> None:
    assert record_many([]) == []
    assert not RecordEntry.objects.exists()


def test_an_unknown_action_appends_none_of_them() -> None:
    entries = [*_entries(2, uuid.uuid4()), {"action": "not.an.action"}]
    with pytest.raises(ValueError):
        record_many(entries)
    assert not RecordEntry.objects.exists()
