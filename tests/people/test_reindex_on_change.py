"""A person's details corrected (enquiries' change_person) re-index them in the same
transaction (issue 14): their blocking keys follow the new details, the open
suggestions are made again, an automatic link that no longer matches is undone (the
person stands alone again), and a link a practitioner made stays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from mash.enquiries import services as enquiries
from mash.people import services
from mash.people.models import (
    BlockingKey,
    IndexedPerson,
    LinkedBy,
    MatchSuggestion,
    PersonLink,
    SuggestionStatus,
)
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db

#: 943 476 5919 passes the modulus 11 check.
NHS = "9434765919"


def _change(person: Any, actor: Any, **changes: Any) -> None:
    details = enquiries.PersonDetails(
        kind=person.kind,
        first_name=person.first_name,
        last_name=person.last_name,
        other_names=person.other_names,
        date_of_birth=person.date_of_birth,
        estimated_age=person.estimated_age,
        address=str(person.address or ""),
        relationship=person.relationship,
        nhs_number=person.nhs_number or "",
    )
    enquiries.change_person(person=person, actor=actor, details=replace(details, **changes))


def _keys(person: Any) -> set[str]:
    return set(BlockingKey.objects.filter(link__person=person).values_list("key", flat=True))


def _link(person: Any) -> PersonLink:
    return PersonLink.objects.get(person=person)


def test_a_changed_name_and_postcode_change_the_keys(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    person = enquiry_about(hana, child("Olivia", "Hughes")).people.get()
    before = _keys(person)

    _change(person, hana, last_name="Quill", address="3 Dock Road, Leeds LS1 4AP")

    after = _keys(person)
    assert after != before
    assert any("KL" in k for k in after) and not any("HKS" in k for k in after)
    assert any("LS14" in k for k in after) and not any("HR12" in k for k in after)
    # The keys are the link's indexed person's.
    assert set(
        BlockingKey.objects.filter(link__person=person).values_list("indexed_person", flat=True)
    ) == {_link(person).indexed_person_id}
    entries = RecordEntry.objects.filter(action="people.indexed", object_id=str(_link(person).pk))
    assert [e.details.get("reindexed") for e in entries.order_by("at")] == [None, True]


def test_an_nhs_number_added_later_is_a_key_and_finds_the_person(cast: Any) -> None:
    from mash.people import search as finding

    hana = cast["hub_practitioner"]
    person = enquiry_about(hana, child("Olivia", "Hughes")).people.get()
    assert not any(k.startswith(services.NHS_KEY) for k in _keys(person))

    _change(person, hana, nhs_number="943 476 5919")

    assert any(k.startswith(services.NHS_KEY) for k in _keys(person))
    found = finding.people(finding.parse_terms(NHS), hub_id=hana.agency_id, agency_id=None)
    assert [row.pk for row in found] == [_link(person).indexed_person_id]


def test_an_automatic_link_that_no_longer_matches_stands_alone_again(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    earlier = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60).people.get()
    later = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=1).people.get()
    shared = _link(earlier).indexed_person_id
    assert _link(later).indexed_person_id == shared and _link(later).how == LinkedBy.AUTOMATIC

    _change(later, hana, first_name="Zara", last_name="Quill", date_of_birth=date(2009, 11, 2))

    moved = _link(later)
    assert moved.indexed_person_id != shared and moved.how == LinkedBy.NEW
    assert _link(earlier).indexed_person_id == shared
    # Each indexed person's latest record is right again.
    assert IndexedPerson.objects.get(pk=shared).latest_person_id == earlier.pk
    assert IndexedPerson.objects.get(pk=moved.indexed_person_id).latest_person_id == later.pk
    assert set(BlockingKey.objects.filter(link=moved).values_list("indexed_person", flat=True)) == {
        moved.indexed_person_id
    }


def test_a_correction_that_still_matches_keeps_the_automatic_link(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    earlier = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60).people.get()
    later = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=1).people.get()
    shared = _link(earlier).indexed_person_id

    _change(later, hana, other_names="Liv", address="14 Mill Lane, Hereford HR1 2AB")

    assert _link(later).indexed_person_id == shared
    assert _link(later).how == LinkedBy.AUTOMATIC


def test_a_confirmed_link_stays_whatever_the_change(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    earlier = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60).people.get()
    later = enquiry_about(
        hana, child("Olivia", "Hughes", None, estimated_age=11), days_ago=1
    ).people.get()
    suggestion = MatchSuggestion.objects.get(person=later)
    services.confirm_suggestion(suggestion=suggestion, actor=hana)
    shared = _link(earlier).indexed_person_id
    assert _link(later).indexed_person_id == shared

    _change(later, hana, first_name="Zara", last_name="Quill", estimated_age=16)

    assert _link(later).indexed_person_id == shared
    assert _link(later).how == LinkedBy.CONFIRMED
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.CONFIRMED


def test_a_new_certain_match_elsewhere_is_suggested_never_merged(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    known = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60).people.get()
    other = enquiry_about(
        hana, child("Zara", "Quill", date(2009, 11, 2), address="3 Dock Road, Leeds LS1 4AP")
    ).people.get()
    alone = _link(other).indexed_person_id
    assert alone != _link(known).indexed_person_id
    assert not MatchSuggestion.objects.filter(person=other).exists()

    _change(
        other,
        hana,
        first_name="Olivia",
        last_name="Hughes",
        date_of_birth=date(2015, 3, 7),
        address="12 Mill Lane, Hereford HR1 2AB",
    )

    assert _link(other).indexed_person_id == alone
    suggestion = MatchSuggestion.objects.get(person=other)
    assert suggestion.indexed_person_id == _link(known).indexed_person_id
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.match_class == "match"


def test_open_suggestions_no_longer_possible_go_and_rejected_pairs_stay(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    enquiry_about(hana, child("Olivia", "Hughes", date(2015, 7, 3)), days_ago=60)
    later = enquiry_about(
        hana, child("Olivia", "Hughes", None, estimated_age=11), days_ago=1
    ).people.get()
    first, second = MatchSuggestion.objects.filter(person=later).order_by("created_at", "pk")[:2]
    services.reject_suggestion(suggestion=first, actor=hana)

    _change(later, hana, first_name="Zara", last_name="Quill", estimated_age=40)

    left = MatchSuggestion.objects.filter(person=later)
    assert list(left.values_list("pk", "status")) == [(first.pk, SuggestionStatus.REJECTED)]
    assert not left.filter(pk=second.pk).exists()


def test_a_change_the_matching_does_not_read_leaves_the_index_alone(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    person = enquiry_about(hana, child("Olivia", "Hughes")).people.get()
    keys = set(BlockingKey.objects.filter(link__person=person).values_list("pk", flat=True))

    _change(person, hana, relationship="", kind="child")
    enquiries.change_person(
        person=person,
        actor=hana,
        details=enquiries.PersonDetails(
            kind="child",
            first_name="Olivia",
            last_name="Hughes",
            date_of_birth=date(2015, 3, 7),
            address="12 Mill Lane, Hereford HR1 2AB",
            school_or_setting="Mill Lane Primary",
        ),
    )

    assert set(BlockingKey.objects.filter(link__person=person).values_list("pk", flat=True)) == keys
    entries = RecordEntry.objects.filter(action="people.indexed")
    assert entries.count() == 1 and not entries.get().details.get("reindexed")
