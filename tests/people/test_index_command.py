"""``mash people index`` links people recorded before the index, in batches, and is
safe to run again."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mash.people.models import BlockingKey, PersonLink
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def test_it_indexes_people_recorded_before_the_index_and_is_idempotent(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60)
    enquiry_about(hana, child("Olivia", "Hughes"))
    # As if recorded before the index existed.
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("people", "index", "--batch", "1", stdout=out, stderr=err)
    assert "2 people indexed" in out.getvalue()
    assert "2/2 people" in err.getvalue()
    links = list(PersonLink.objects.order_by("linked_at"))
    assert [link.how for link in links] == ["new", "automatic"]
    assert links[0].indexed_person_id == links[1].indexed_person_id
    entries = RecordEntry.objects.filter(action="people.indexed").count()
    out = StringIO()
    call_command("people", "index", stdout=out, stderr=StringIO())
    assert "0 people indexed" in out.getvalue()
    assert PersonLink.objects.count() == 2
    assert RecordEntry.objects.filter(action="people.indexed").count() == entries


def test_it_refuses_a_batch_size_out_of_range(cast: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch"):
        call_command("people", "index", "--batch", "0", stdout=StringIO(), stderr=StringIO())
