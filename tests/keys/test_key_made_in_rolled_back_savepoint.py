"""A data key made in a savepoint since rolled back is never used from the cache: the
next write makes (and stores) another. Once the scan of the pending commit callbacks is
remembered between look-ups (a bulk load seals thousands of fields after making its keys),
a rollback, a new key or a commit still changes the answer."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from mash.keys.models import DataKey
from mash.keys.services import data_key_for_writing, data_keys_for_writing

pytestmark = pytest.mark.django_db


def test_a_key_from_a_rolled_back_savepoint_is_made_again() -> None:
    enquiry_id = uuid.uuid4()
    with transaction.atomic():
        try:
            with transaction.atomic():
                first = data_key_for_writing(enquiry_id)
                assert data_key_for_writing(enquiry_id) == first  # cached, trusted
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        assert not DataKey.objects.filter(enquiry_id=enquiry_id).exists()
        second = data_key_for_writing(enquiry_id)
        assert second != first
        assert DataKey.objects.filter(enquiry_id=enquiry_id).count() == 1
        assert data_key_for_writing(enquiry_id) == second


def test_keys_made_in_bulk_stay_trusted_until_their_savepoint_rolls_back() -> None:
    ids = [uuid.uuid4() for _ in range(30)]
    with transaction.atomic():
        try:
            with transaction.atomic():
                made = data_keys_for_writing(ids)
                for _ in range(3):  # many seals after the keys: the same, from the cache
                    assert all(data_key_for_writing(e) == made[e] for e in ids)
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        again = {e: data_key_for_writing(e) for e in ids}
        assert all(again[e] != made[e] for e in ids)
        assert DataKey.objects.filter(enquiry_id__in=ids).count() == len(ids)
