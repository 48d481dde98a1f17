"""Re-indexing one person (``reindex_person``, run when their details are corrected)
costs the same number of queries whether the index holds N or 10N people: candidates
come from blocking keys (at most ``CANDIDATES``, each read in one query), never a scan
nor a query per person in the index."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.enquiries.models import Person
from mash.people import services
from mash.people.models import LinkedBy, MatchSuggestion, PersonLink

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db

N = 3


def _grow(actor: Any, count: int, start: int) -> None:
    """``count`` more enquiries, each about a child who may be Olivia Hughes (the same
    family name, other dates of birth, short forms) and an unrelated adult."""
    for i in range(start, start + count):
        enquiry_about(
            actor,
            child(
                ("Olivia", "Livvy", "Olive", "Liv")[i % 4],
                ("Hughes", "Hughes-Price", "Hughs")[i % 3],
                date(2015, 1 + i % 12, 1 + i % 27),
            ),
            child("Tom", f"Price{i}", None, kind="parent", estimated_age=30 + i % 9),
            days_ago=400 - i,
        )


def _target(actor: Any) -> Person:
    """A new enquiry about Olivia Hughes, linked automatically to the first one."""
    enquiry = enquiry_about(actor, child("Olivia", "Hughes"), days_ago=1)
    person = Person.objects.select_related("enquiry").get(enquiry=enquiry)
    assert PersonLink.objects.get(person=person).how == LinkedBy.AUTOMATIC
    return person


def _queries(person: Any, actor: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.reindex_person(person=person, actor=actor)
    return len(queries)


@pytest.mark.parametrize("change", ["unchanged", "no longer matching"])
def test_reindexing_one_person_costs_the_same_at_n_and_10n(cast: Any, change: str) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=500)

    def measure(people: int) -> int:
        _grow(hana, people - Person.objects.count() // 2, Person.objects.count())
        person = _target(hana)
        if change == "no longer matching":
            # A correction (only an age is known): the automatic link no longer holds,
            # the person stands alone, and the one they left is suggested.
            Person.objects.filter(pk=person.pk).update(date_of_birth=None, estimated_age=11)
            person.refresh_from_db()
        count = _queries(person, hana)
        detached = PersonLink.objects.get(person=person).how == LinkedBy.NEW
        assert detached == (change == "no longer matching")
        return count, MatchSuggestion.objects.filter(person=person).count()

    small, few = measure(N)
    large, many = measure(10 * N)
    assert PersonLink.objects.count() >= 20 * N
    # More candidates compared at 10N (e.g. 4 suggestions, then 29), the same queries
    # (17 unchanged, 22 when the person stands alone again, on SQLite).
    assert 0 < few <= many
    assert small == large, (small, large)
