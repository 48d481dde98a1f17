"""Candidates ranked in the database (``mash.people.ranking``) are the ones counting
every shared key in Python gave, in the same order (ties by id, as the database orders
UUIDs), and a batch cut short at the best few still gives the same index as one person
at a time: what the batch adds is counted on top of the database's ranking."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from typing import Any

import pytest

from mash.enquiries.models import Person
from mash.people import ranking, services
from mash.people.models import BlockingKey, IndexedPerson

from .conftest import child, enquiry_about
from .test_index_batch import _forget_the_index, _people, _snapshot

pytestmark = pytest.mark.django_db


def _counted_in_python(hub_id: Any, keys: set[str], limit: int) -> list[tuple[Any, int]]:
    """The ranking as the index first made it: every holder of every key, counted."""
    shared: dict[Any, int] = defaultdict(int)
    for ip_id, key in BlockingKey.objects.filter(
        key__in=sorted(keys),
        indexed_person__hub_id=hub_id,
        indexed_person__merged_into__isnull=True,
    ).values_list("indexed_person_id", "key"):
        shared[ip_id] += services._weight(key)
    return sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _namesakes(cast: Any) -> Any:
    """Generated enquiries, with the same household three times (the first before the
    generated ones, so that a batch of the later people links to someone indexed before
    it) and namesakes born within a year of each other (many ties)."""
    from mash.operations.dataset import generate

    hana = cast["hub_practitioner"]

    def household(days: int) -> Any:
        return enquiry_about(
            hana,
            child("Amy", "Hughes"),
            child("Zoe", "Hughes"),
            child("Olivia", "Hughes", None, kind="parent", estimated_age=35),
            days_ago=days,
        )

    household(300)
    generate(enquiries=60, seed=14)
    again = household(200)
    household(100)
    for day in range(1, 9):
        enquiry_about(hana, child("Amy", "Hughes", None, estimated_age=11), days_ago=90 - day)
    return again


@pytest.mark.parametrize("one_hub", [True, False])
def test_the_database_ranks_as_counting_in_python(
    cast: Any, monkeypatch: Any, one_hub: bool
) -> None:
    """With one hub, the holders' hubs are not looked up (``ranking.alone``); with more,
    each is: both rank as counting in Python does."""
    _namesakes(cast)
    assert ranking.alone(Person.objects.first().enquiry.hub_id)  # type: ignore[union-attr]
    monkeypatch.setattr(ranking, "alone", lambda hub_id: one_hub)
    people = list(Person.objects.select_related("enquiry"))
    assert len(people) > 100
    wanted = {}
    for n, person in enumerate(people):
        keys = services.lookup_keys(services.as_match_person(person))
        wanted[n] = [(key, services._weight(key)) for key in keys]
    hub_id = people[0].enquiry.hub_id
    for limit in (1, 3, 30):
        ranked = ranking.top(hub_id, wanted, limit)
        for n, person in enumerate(people):
            keys = {key for key, _ in wanted[n]}
            assert ranked[n] == _counted_in_python(hub_id, keys, limit), person.pk
    assert any(len(r) == 3 for r in ranking.top(hub_id, wanted, 3).values())


@pytest.mark.parametrize("best", [1, 2, 5])
def test_a_batch_cut_short_gives_the_same_index_as_one_at_a_time(
    cast: Any, monkeypatch: Any, best: int
) -> None:
    """Only the best one, two or five candidates compared: which are the best decides the
    links, so the batch's ranking (the database's before it, what the batch has added
    since, and the keys of someone indexed before the batch that the batch linked to)
    must be exactly one at a time's."""
    monkeypatch.setattr(services, "CANDIDATES", best)
    again = _namesakes(cast)
    # Ties are broken by the indexed person's id: the same ids, made in the same order,
    # in both runs.
    made = itertools.count(1)
    monkeypatch.setattr(
        IndexedPerson._meta.get_field("id"), "_get_default", lambda: uuid.UUID(int=next(made))
    )
    people = _people()
    # Those before the household's second enquiry indexed first; the rest in one batch.
    half = next(n for n, p in enumerate(people) if p.enquiry_id == again.pk)

    def index(batched: bool) -> dict[str, Any]:
        nonlocal made
        made = itertools.count(1)
        _forget_the_index()
        for person in people[:half]:
            services.index_people(people=[person])
        if batched:
            services.index_people(people=people[half:])
        else:
            for person in people[half:]:
                services.index_people(people=[person])
        return _snapshot()

    one_at_a_time = index(batched=False)
    assert any(how == "automatic" for _, how, _, _ in one_at_a_time["links"])
    assert index(batched=True) == one_at_a_time


def test_another_hubs_people_are_never_candidates(cast: Any) -> None:
    """Keys are the same words in every hub: a second hub's namesake holds the same keys,
    and is ranked for nobody of the first."""
    from mash.agencies.models import Agency

    _namesakes(cast)
    person = Person.objects.select_related("enquiry").filter(last_name="Hughes").first()
    assert person is not None
    hub_id = person.enquiry.hub_id
    other_hub = Agency.objects.create(code="another-hub", name="Another hub", kind="hub")
    stranger = IndexedPerson.objects.create(hub=other_hub)
    link = services.PersonLink.objects.filter(person=person).get()
    for key in services.lookup_keys(services.as_match_person(person)):
        BlockingKey.objects.create(link=link, indexed_person=stranger, key=key)
    assert not ranking.alone(hub_id)
    wanted = {
        0: [
            (k, services._weight(k)) for k in services.lookup_keys(services.as_match_person(person))
        ]
    }
    ranked = ranking.top(hub_id, wanted, 30)[0]
    assert ranked and stranger.pk not in [ip for ip, _ in ranked]
    assert ranked == _counted_in_python(hub_id, {k for k, _ in wanted[0]}, 30)


def test_a_candidate_read_as_values_is_seen_as_its_model_is(cast: Any) -> None:
    """The batch reads candidates' records as values (names and dates, then the sealed
    fields of those that could match): the matcher sees each as ``as_match_person``
    sees the model, an estimated age's year from when its enquiry was received."""
    hana = cast["hub_practitioner"]
    enquiry_about(
        hana,
        child("Olivia", "Hughes", None, kind="parent", estimated_age=35),
        child("Amy", "Hughes", address="3 Broad Street, Hereford HR4 9AB"),
        days_ago=800,
    )
    people = list(Person.objects.select_related("enquiry"))
    batch = services._Batch(people[:1], {people[0].pk: services.as_match_person(people[0])})
    batch._load([link.indexed_person_id for link in services.PersonLink.objects.all()])
    for person in people:
        record = next(
            x for links in batch.links.values() for x in links if x.person_id == person.pk
        )
        assert record.subject == services.as_match_person(person)
        assert record.unsealed.year == services.as_match_person(person).year
    parent = next(p for p in people if p.estimated_age)
    assert services.as_match_person(parent).year == parent.enquiry.received_at.year - 35
