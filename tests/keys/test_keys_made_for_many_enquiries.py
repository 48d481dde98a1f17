"""Bulk loads ask for many enquiries' data keys at once (``data_keys_for_writing``):
an enquiry's existing key is the one returned, a new one is made (wrapped, stored) for
an enquiry with none, and a destroyed key is refused, as for one enquiry."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mash.keys import cache
from mash.keys.models import DataKey
from mash.keys.services import (
    KeyDestroyed,
    data_key,
    data_keys_for_writing,
    destroy_enquiry_key,
)

from .helpers import open_enquiry


def test_existing_keys_are_returned_and_missing_ones_made(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="BULK-KEYS-1")
    existing = data_key(enquiry.pk)
    new = [uuid.uuid4(), uuid.uuid4()]

    keys = data_keys_for_writing([enquiry.pk, *new, str(new[0])])
    cache.clear_cache()

    assert set(keys) == {enquiry.pk, *new}
    assert keys[enquiry.pk] == existing
    assert keys[new[0]] != keys[new[1]]
    for enquiry_id in new:
        row = DataKey.objects.get(enquiry_id=enquiry_id)
        assert bytes(row.wrapped_key) and row.master_key_id
        assert keys[enquiry_id] not in bytes(row.wrapped_key)  # stored wrapped only
        assert data_key(enquiry_id) == keys[enquiry_id]


def test_a_destroyed_key_is_refused(cast: dict[str, Any]) -> None:
    gone = uuid.uuid4()
    destroy_enquiry_key(enquiry_id=gone, actor=None)
    cache.clear_cache()
    with pytest.raises(KeyDestroyed):
        data_keys_for_writing([uuid.uuid4(), gone])
