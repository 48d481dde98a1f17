"""Indexing in bulk (``index_people``) gives the same index as indexing each person in
turn: the same people linked together, the same suggestions (class, score and reasons)
and the same relationships, in a constant number of queries for the batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.enquiries.models import Person
from mash.people import services
from mash.people.models import (
    BlockingKey,
    IndexedPerson,
    MatchSuggestion,
    PersonLink,
    Relationship,
)
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def _forget_the_index() -> None:
    MatchSuggestion.objects.all().delete()
    Relationship.objects.all().delete()
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    IndexedPerson.objects.all().delete()


def _people() -> list[Person]:
    return list(Person.objects.order_by("created_at", "id").select_related("enquiry"))


def _snapshot() -> dict[str, Any]:
    """The index with its indexed people named by the people linked to them (their ids
    differ from run to run)."""
    members: dict[Any, set[str]] = {}
    for person_id, ip_id in PersonLink.objects.values_list("person_id", "indexed_person_id"):
        members.setdefault(ip_id, set()).add(str(person_id))
    who = {ip: frozenset(people) for ip, people in members.items()}
    return {
        "links": sorted(
            (str(p), how, score, sorted(who[ip]))
            for p, ip, how, score in PersonLink.objects.values_list(
                "person_id", "indexed_person_id", "how", "score"
            )
        ),
        "keys": sorted(
            (str(p), key) for p, key in BlockingKey.objects.values_list("link__person_id", "key")
        ),
        "suggestions": sorted(
            (str(p), sorted(who[ip]), klass, score, reasons)
            for p, ip, klass, score, reasons in MatchSuggestion.objects.values_list(
                "person_id", "indexed_person_id", "match_class", "score", "reasons"
            )
        ),
        "relationships": sorted(
            (sorted(who[a]), sorted(who[b]), kind, str(e))
            for a, b, kind, e in Relationship.objects.values_list(
                "from_person_id", "to_person_id", "kind", "enquiry_id"
            )
        ),
    }


def generated_with_repeats(cast: Any, *, enquiries: int, repeats: tuple[int, ...]) -> None:
    """Generated enquiries, and people the generator does not make: a household's twins,
    a parent and child of one name, the same child again ``repeats`` days ago each (so a
    batch links to its own people, or to the batch before's)."""
    from mash.operations.dataset import generate

    generate(enquiries=enquiries, seed=14)
    hana = cast["hub_practitioner"]
    for days in repeats:
        enquiry_about(
            hana,
            child("Amy", "Hughes"),
            child("Zoe", "Hughes"),
            child("Olivia", "Hughes", None, kind="parent", estimated_age=35),
            days_ago=days,
        )
    enquiry_about(hana, child("Livvy", "Hughes-Price"), days_ago=50)


def test_a_batch_gives_the_same_index_as_one_at_a_time(cast: Any) -> None:
    generated_with_repeats(cast, enquiries=60, repeats=(300, 200, 100))
    _forget_the_index()
    people = _people()
    for person in people:
        services.index_people(people=[person])
    one_at_a_time = _snapshot()
    assert any(how == "automatic" for _, how, _, _ in one_at_a_time["links"])
    assert one_at_a_time["suggestions"]
    assert one_at_a_time["relationships"]

    _forget_the_index()
    assert services.index_people(people=_people()) == len(people)
    assert _snapshot() == one_at_a_time


def test_a_batch_costs_the_same_queries_at_n_and_10n_people(cast: Any) -> None:
    hana = cast["hub_practitioner"]

    def run(count: int) -> int:
        for i in range(count):
            enquiry_about(
                hana,
                child("Olivia", f"Hughes{'x' * (i % 3)}"),
                child("Tom", "Price", kind="parent", born=None, estimated_age=30 + i % 5),
                days_ago=200 - i,
            )
        _forget_the_index()
        with CaptureQueriesContext(connection) as queries:
            services.index_people(people=_people())
        return len(queries)

    small = run(2)
    large = run(18)
    # Not a query a person: the same reads, and one INSERT a table (SQLite splits a long
    # INSERT at its limit of parameters: the keys of 40 people take two).
    assert small <= large <= small + 2
    assert RecordEntry.objects.filter(action="people.indexed").count() >= 40
