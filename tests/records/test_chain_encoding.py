from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mash.records.chain import FIELDS, GENESIS_HASH, canonical_bytes, entry_hash, reference_bytes
from mash.records.models import Action, RecordEntry
from mash.records.services import record

text = st.text(max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


@given(
    seq=st.integers(min_value=1, max_value=10**12),
    at=st.datetimes(min_value=dt.datetime(2000, 1, 1), timezones=st.just(dt.UTC)),
    user=st.none() | st.uuids(),
    username=text,
    details=st.dictionaries(text, json_values, max_size=4),
    object_id=text,
)
def test_the_fast_encoding_gives_exactly_the_bytes_of_sorted_compact_json(
    seq: int, at: dt.datetime, user: Any, username: str, details: Any, object_id: str
) -> None:
    entry = {
        "seq": seq,
        "at": at,
        "actor_user_id": user,
        "actor_username": username,
        "actor_agency": "police",
        "actor_role": "practitioner",
        "action": "enquiry.viewed",
        "object_type": "enquiries.person",
        "object_id": object_id,
        "enquiry_id": uuid.UUID(int=seq),
        "correlation_id": "-",
        "details": details,
        "prev_hash": GENESIS_HASH,
    }
    assert canonical_bytes(entry) == reference_bytes(entry)


def test_each_entry_hashes_its_content_and_the_hash_before_it(db: Any) -> None:
    first = record(action=Action.ENQUIRY_VIEWED, object_type="enquiries.enquiry", object_id="a")
    second = record(action=Action.ENQUIRY_VIEWED, object_type="enquiries.enquiry", object_id="b")
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    stored = RecordEntry.objects.values(*FIELDS).get(seq=2)
    assert entry_hash(stored) == second.hash


def test_details_are_stored_as_the_database_gives_them_back(db: Any) -> None:
    some_id = uuid.uuid4()
    entry = record(
        action=Action.DECISION_RECORDED,
        object_type="sharing.decision",
        object_id=some_id,
        details={"request_id": some_id, "fields": ("outcome", "reasons")},
    )
    stored = RecordEntry.objects.values(*FIELDS).get(seq=entry.seq)
    assert stored["details"] == {"request_id": str(some_id), "fields": ["outcome", "reasons"]}
    assert entry_hash(stored) == entry.hash


def test_a_system_entry_names_the_system_as_its_actor(db: Any) -> None:
    entry = record(action=Action.RETENTION_DELETION, object_type="enquiries.enquiry", object_id="x")
    assert (entry.actor_user_id, entry.actor_username) == (None, "system")
