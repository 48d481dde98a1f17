"""Destroying the data keys of many enquiries at once (the retention sweep's way):
each live key is destroyed, an enquiry with no key gets a destroyed one, a key already
destroyed is left alone, and each key destroyed has its own record entry."""

from __future__ import annotations

import uuid
from typing import Any

from mash.enquiries.models import Enquiry
from mash.keys import cache
from mash.keys.fields import DESTROYED_TEXT
from mash.keys.models import DataKey
from mash.keys.services import destroy_enquiry_key, destroy_enquiry_keys
from mash.records.models import RecordEntry
from mash.records.verify import walk_database

from .helpers import open_enquiry


def test_many_keys_are_destroyed_together_each_recorded_once(cast: dict[str, Any]) -> None:
    live = [open_enquiry(cast["hub_practitioner"], concern=f"MANY-{n}") for n in range(3)]
    gone = open_enquiry(cast["hub_practitioner"], concern="MANY-gone")
    kept = open_enquiry(cast["hub_practitioner"], concern="MANY-kept")
    destroy_enquiry_key(enquiry_id=gone.pk, actor=None)
    keyless = uuid.uuid4()

    asked = [live[0].pk, gone.pk, keyless, live[1].pk, str(live[2].pk), live[0].pk]
    destroyed = destroy_enquiry_keys(enquiry_ids=asked, actor=cast["dpo"])
    cache.clear_cache()

    assert destroyed == [live[0].pk, keyless, live[1].pk, live[2].pk]
    for enquiry in live:
        assert Enquiry.objects.get(pk=enquiry.pk).concern == DESTROYED_TEXT
        row = DataKey.objects.get(enquiry_id=enquiry.pk)
        assert bytes(row.wrapped_key) == b"" and row.master_key_id == ""
        assert row.destroyed_by == cast["dpo"].pk
    assert DataKey.objects.get(enquiry_id=keyless).destroyed
    assert Enquiry.objects.get(pk=kept.pk).concern == "MANY-kept"

    entries = RecordEntry.objects.filter(action="keys.destroyed").exclude(enquiry_id=gone.pk)
    assert {e.enquiry_id: e.details["had_key"] for e in entries} == {
        live[0].pk: True,
        live[1].pk: True,
        live[2].pk: True,
        keyless: False,
    }
    assert all(e.object_type == "keys.datakey" for e in entries)
    assert walk_database(checkpoints={}).intact


def test_destroying_none_does_nothing(cast: dict[str, Any]) -> None:
    count = RecordEntry.objects.count()
    assert destroy_enquiry_keys(enquiry_ids=[], actor=None) == []
    assert RecordEntry.objects.count() == count
