"""A person recorded without a date of birth or an age is looked up by their family and
given names together (``fg:`` keys) and their postcode sector, not by every namesake of
their family name; the people indexed before those keys existed get them by migration."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from mash.people import keys as blocking
from mash.people.matching import Person as Record
from mash.people.models import BlockingKey, MatchSuggestion, PersonLink

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def adult(first: str, last: str, address: str = "12 Mill Lane, Hereford HR1 2AB") -> Any:
    return child(first, last, born=None, kind="parent", address=address)


def test_without_a_year_the_names_together_and_the_sector_are_the_block() -> None:
    record = Record(given_name="Sarah", family_name="Smith", postcode="HR1 2AB")
    looked_up = blocking.lookup_keys(record)
    assert looked_up == {"fg:SM0:SR", "pc:HR12"}
    assert "fg:SM0:SR" in blocking.keys_for(record)
    # A nickname shares the formal name's code, as the given-name keys do.
    assert blocking.lookup_keys(Record(given_name="Liv", family_name="Hughes")) == {
        "fg:HKHS:LF",
        "fg:HKHS:OLF",
    }
    # With a year, the year-bearing blocks, as before.
    with_year = Record(given_name="Sarah", family_name="Smith", birth_year=1990)
    assert not any(k.startswith(("fg:", "f:")) for k in blocking.lookup_keys(with_year))


def test_an_adult_without_a_date_of_birth_finds_their_earlier_record_not_a_namesake(
    cast: Any,
) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Amy", "Smith"), adult("Sarah", "Smith"), days_ago=200)
    enquiry_about(
        hana,
        child("Ben", "Smith"),
        adult("Karen", "Smith", address="4 High Street, Leeds LS1 4AA"),
        days_ago=100,
    )
    later = enquiry_about(hana, child("Cara", "Jones"), adult("Sara", "Smith"))
    sara = PersonLink.objects.get(person__enquiry=later, person__first_name="Sara")
    sarah = PersonLink.objects.get(person__first_name="Sarah")
    karen = PersonLink.objects.get(person__first_name="Karen")
    # Without a date of birth the same name at the same address is for a person to
    # confirm, never linked by itself; another Smith elsewhere is not even a candidate.
    found = dict(
        MatchSuggestion.objects.filter(person=sara.person).values_list(
            "indexed_person", "match_class"
        )
    )
    assert found == {sarah.indexed_person_id: "possible"}
    assert karen.indexed_person_id not in found


def test_the_migration_gives_people_indexed_before_it_their_names_keys(cast: Any) -> None:
    enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes-Price"), adult("Liv", "Hughes"))
    expected = set(BlockingKey.objects.filter(key__startswith="fg:").values_list("link", "key"))
    assert {key for _link, key in expected} >= {"fg:HKHS:LF", "fg:PRS:OLF", "fg:HKHSPRS:OLF"}
    BlockingKey.objects.filter(key__startswith="fg:").delete()
    migration = importlib.import_module("mash.people.migrations.0003_names_keys")
    migration.add_names_keys(apps, None)
    restored = set(BlockingKey.objects.filter(key__startswith="fg:").values_list("link", "key"))
    assert restored == expected
    for key in BlockingKey.objects.filter(key__startswith="fg:"):
        assert key.indexed_person_id == key.link.indexed_person_id
    migration.remove_names_keys(apps, None)
    assert not BlockingKey.objects.filter(key__startswith="fg:").exists()
