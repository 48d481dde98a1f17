"""When retention destroys a person's records, the person index's pointer to their latest
record (search's page sorts by it) is read again in the same transaction: never the
date of a record that no longer exists (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mash.enquiries.models import Enquiry, Person
from mash.people import services as index
from mash.people.models import IndexedPerson, PersonLink
from mash.retention import services
from tests.retention.dataset import TODAY, generate

REVIEW = dt.date.today() + dt.timedelta(days=60)


@pytest.fixture
def one_child_in_two(db: Any, agencies: dict[str, Any], cast: dict[str, Any]) -> Any:
    """Two generated enquiries past their retention, their first people indexed and
    merged as one person in the index."""
    old = [g for g in generate(40) if g.fate == "old"][:2]
    people = [
        Person.objects.filter(enquiry_id=g.enquiry_id).order_by("created_at").first() for g in old
    ]
    index.index_people(people=people)
    a, b = (PersonLink.objects.get(person=p).indexed_person for p in people)
    if a.pk != b.pk:
        index.merge(kept=a, merged=b, actor=cast["hub_practitioner"])
    kept = IndexedPerson.objects.get(pk=a.pk)
    latest = Person.objects.get(pk=kept.latest_person_id)
    earlier = next(p for p in people if p.pk != latest.pk)
    return kept, latest, earlier


def test_destroying_the_latest_record_points_the_index_at_the_one_left(
    one_child_in_two: Any, cast: dict[str, Any]
) -> None:
    kept, latest, earlier = one_child_in_two
    assert kept.latest_at == latest.created_at
    services.place_hold(
        actor=cast["dpo"],
        scope="enquiry",
        enquiry=Enquiry.objects.get(pk=earlier.enquiry_id),
        reason="Claim",
        review_on=REVIEW,
    )

    services.sweep(today=TODAY)

    assert not Person.objects.filter(pk=latest.pk).exists()
    kept.refresh_from_db()
    assert kept.latest_person_id == earlier.pk
    assert kept.latest_at == earlier.created_at


def test_destroying_every_record_leaves_no_date_behind(one_child_in_two: Any) -> None:
    kept, latest, earlier = one_child_in_two

    services.sweep(today=TODAY)

    assert not Person.objects.filter(pk__in=[latest.pk, earlier.pk]).exists()
    kept.refresh_from_db()
    assert kept.latest_person_id is None and kept.latest_at is None
