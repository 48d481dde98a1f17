"""The person index: certain matches link, possible ones are suggested, none are new;
confirm, reject, merge and unmerge, each recorded in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mash.enquiries.models import Person
from mash.people import services
from mash.people.models import (
    BlockingKey,
    IndexedPerson,
    LinkedBy,
    MatchSuggestion,
    PersonLink,
    Relationship,
    SuggestionStatus,
)
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def the_link(enquiry: Any, first: str) -> PersonLink:
    return PersonLink.objects.get(person__enquiry=enquiry, person__first_name=first)


def test_a_person_recorded_at_intake_is_indexed_in_the_same_transaction(cast: Any) -> None:
    enquiry = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    link = the_link(enquiry, "Olivia")
    assert link.how == LinkedBy.NEW
    entry = RecordEntry.objects.get(action="people.indexed")
    assert entry.object_id == str(link.pk)
    assert entry.details["how"] == "new"
    assert entry.enquiry_id == enquiry.pk


def test_it_stores_keys_not_names(cast: Any) -> None:
    enquiry = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes-Price"))
    keys = set(
        BlockingKey.objects.filter(link=the_link(enquiry, "Olivia")).values_list("key", flat=True)
    )
    assert {"fy:HKHS:2015", "fy:PRS:2015", "gy:OLF:2015", "y:2015", "pc:HR12"} <= keys
    assert not any("hughes" in k.lower() or "olivia" in k.lower() or "2AB" in k for k in keys)


def test_a_certain_match_links_automatically(cast: Any) -> None:
    first = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    a, b = the_link(first, "Olivia"), the_link(second, "Olivia")
    assert b.how == LinkedBy.AUTOMATIC
    assert a.indexed_person_id == b.indexed_person_id
    assert not MatchSuggestion.objects.exists()


def test_a_possible_match_is_suggested_never_linked(cast: Any) -> None:
    first = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(
        cast["hub_practitioner"], child("Livvy", "Hughes-Price", date(2015, 7, 3))
    )
    a, b = the_link(first, "Olivia"), the_link(second, "Livvy")
    assert b.how == LinkedBy.NEW
    assert a.indexed_person_id != b.indexed_person_id
    suggestion = MatchSuggestion.objects.get(person=b.person)
    assert suggestion.indexed_person_id == a.indexed_person_id
    assert suggestion.match_class == "possible"
    assert "date of birth: day and month swapped" in suggestion.reasons


def test_twins_are_never_linked(cast: Any) -> None:
    first = enquiry_about(cast["hub_practitioner"], child("Amy", "Hughes"), days_ago=30)
    second = enquiry_about(cast["hub_practitioner"], child("Zoe", "Hughes"))
    assert the_link(first, "Amy").indexed_person_id != the_link(second, "Zoe").indexed_person_id
    assert not PersonLink.objects.filter(how=LinkedBy.AUTOMATIC).exists()


def test_two_people_of_one_enquiry_are_never_candidates_for_each_other(cast: Any) -> None:
    enquiry = enquiry_about(
        cast["hub_practitioner"], child("Olivia", "Hughes"), child("Olivia", "Hughes")
    )
    links = PersonLink.objects.filter(person__enquiry=enquiry)
    assert len({link.indexed_person_id for link in links}) == 2
    assert not MatchSuggestion.objects.exists()


def test_parents_are_related_to_the_children_of_their_enquiry(cast: Any) -> None:
    enquiry = enquiry_about(
        cast["hub_practitioner"],
        child("Olivia", "Hughes"),
        child("Sarah", "Hughes", date(1990, 1, 2), kind="parent"),
    )
    rel = Relationship.objects.get()
    assert rel.kind == "parent"
    assert rel.from_person_id == the_link(enquiry, "Sarah").indexed_person_id
    assert rel.to_person_id == the_link(enquiry, "Olivia").indexed_person_id


def test_confirming_moves_the_person_to_the_match_and_records_it(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Livvy", "Hughes-Price", date(2015, 7, 3)))
    suggestion = MatchSuggestion.objects.get()
    link = services.confirm_suggestion(suggestion=suggestion, actor=hana)
    assert link.indexed_person_id == the_link(first, "Olivia").indexed_person_id
    assert link.how == LinkedBy.CONFIRMED and link.linked_by == hana
    # Its keys moved with it: the next Livvy finds the one person.
    assert BlockingKey.objects.filter(link=link, indexed_person=link.indexed_person).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
    entry = RecordEntry.objects.get(action="people.match_confirmed")
    assert entry.enquiry_id == second.pk
    with pytest.raises(services.IndexError_):
        services.confirm_suggestion(suggestion=suggestion, actor=hana)


def test_rejecting_keeps_them_apart_and_records_it(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Livvy", "Hughes-Price", date(2015, 7, 3)))
    services.reject_suggestion(suggestion=MatchSuggestion.objects.get(), actor=hana)
    assert (
        the_link(first, "Olivia").indexed_person_id != the_link(second, "Livvy").indexed_person_id
    )
    assert MatchSuggestion.objects.get().status == SuggestionStatus.REJECTED
    assert RecordEntry.objects.filter(action="people.match_rejected").count() == 1


def state() -> dict[str, list[Any]]:
    return {
        "links": sorted(
            PersonLink.objects.values_list("id", "indexed_person_id", "how", "linked_by")
        ),
        "keys": sorted(BlockingKey.objects.values_list("id", "indexed_person_id")),
        "rels": sorted(Relationship.objects.values_list("id", "from_person_id", "to_person_id")),
    }


def test_unmerge_restores_what_was_before(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(
        hana,
        child("Olivia", "Hughes"),
        child("Sarah", "Hughes", date(1990, 1, 2), kind="parent"),
        days_ago=90,
    )
    second = enquiry_about(
        hana,
        child("Zed", "Jones", date(2016, 1, 1), address="1 High St, Leominster HR6 8AA"),
        child("Sarah", "Hughes", date(1990, 1, 2), kind="parent", address=""),
    )
    kept = the_link(first, "Olivia").indexed_person
    merged = the_link(second, "Zed").indexed_person
    before = state()
    done = services.merge(kept=kept, merged=merged, actor=hana)
    assert the_link(second, "Zed").indexed_person_id == kept.pk
    assert IndexedPerson.objects.get(pk=merged.pk).merged_into_id == kept.pk
    services.unmerge(merge=done, actor=hana)
    after = state()
    assert after == before
    assert IndexedPerson.objects.get(pk=merged.pk).merged_into_id is None
    assert [
        e.action
        for e in RecordEntry.objects.filter(action__startswith="people.")
        if "merge" in e.action
    ] == [
        "people.merged",
        "people.unmerged",
    ]
    with pytest.raises(services.IndexError_):
        services.unmerge(merge=done, actor=hana)


def test_a_person_cannot_be_merged_with_themself(cast: Any) -> None:
    enquiry = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    ip = the_link(enquiry, "Olivia").indexed_person
    with pytest.raises(services.IndexError_):
        services.merge(kept=ip, merged=ip, actor=cast["hub_practitioner"])


def test_indexing_is_idempotent(cast: Any) -> None:
    enquiry = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    person = Person.objects.get(enquiry=enquiry)
    again = services.index_person(person=person)
    assert again == the_link(enquiry, "Olivia")
    assert PersonLink.objects.count() == 1
    assert RecordEntry.objects.filter(action="people.indexed").count() == 1
