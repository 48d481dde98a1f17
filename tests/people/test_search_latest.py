"""Search's page is one join: the index keeps each person's latest record (through
indexing, merges and unmerges), and family names spelt alike are found by trigram
similarity, the same on SQLite as pg_trgm on PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mash.people import search as finding
from mash.people import services, trigrams
from mash.people.models import IndexedPerson, PersonLink

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def the_link(enquiry: Any, first: str) -> PersonLink:
    return PersonLink.objects.get(person__enquiry=enquiry, person__first_name=first)


def test_similarity_is_pg_trgms() -> None:
    # The PostgreSQL manual's example (F.35, pg_trgm): similarity('word', 'two words').
    assert round(trigrams.similarity("word", "two words"), 6) == 0.363636
    assert trigrams.similarity("Hughes", "hughes") == 1.0
    assert trigrams.similarity("Hughes-Price", "") == 0.0
    assert trigrams.trigrams("Hughes") == {"  h", " hu", "hug", "ugh", "ghe", "hes", "es "}


def test_a_slip_in_the_first_letter_is_found_by_its_spelling(cast: Any) -> None:
    hub = cast["hub_practitioner"].agency_id
    enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    # "Ughes" shares neither a sound (UKHS) nor its first four letters with "Hughes".
    found = list(finding.people(finding.parse_terms("Olivia Ughes"), hub_id=hub))
    assert [(r.first_name, r.last_name) for r in found] == [("Olivia", "Hughes")]
    assert not finding.people(finding.parse_terms("Olivia Zzyzx"), hub_id=hub).exists()


def test_the_latest_record_is_kept_through_linking_merging_and_unmerging(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=30)
    ip = the_link(first, "Olivia").indexed_person
    ip.refresh_from_db()
    newer = the_link(second, "Olivia").person
    assert ip.latest_person_id == newer.pk and ip.latest_at == newer.created_at

    third = enquiry_about(hana, child("Zed", "Hughes", date(2015, 3, 8)))
    other = the_link(third, "Zed").indexed_person
    done = services.merge(kept=ip, merged=other, actor=hana)
    ip.refresh_from_db()
    assert ip.latest_person_id == the_link(third, "Zed").person_id
    row = finding.people(finding.parse_terms("Hughes"), hub_id=hana.agency_id).get(pk=ip.pk)
    assert (row.first_name, row.latest_reference) == ("Zed", third.reference)

    services.unmerge(merge=done, actor=hana)
    ip.refresh_from_db()
    other.refresh_from_db()
    assert ip.latest_person_id == newer.pk
    assert other.latest_person_id == the_link(third, "Zed").person_id


def test_a_latest_record_destroyed_since_falls_back_to_the_one_left(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=30)
    ip_id = the_link(first, "Olivia").indexed_person_id
    # As retention would: the newer record goes, its link with it.
    IndexedPerson.objects.filter(pk=ip_id).update(latest_person=None)
    PersonLink.objects.filter(person__enquiry=second).delete()
    row = finding.people(finding.parse_terms("Olivia Hughes"), hub_id=hana.agency_id).get(pk=ip_id)
    assert (row.first_name, row.latest_reference) == ("Olivia", first.reference)


def test_removing_a_person_added_in_error_reads_the_latest_record_again(cast: Any) -> None:
    """A person removed from a draft (added in error) is no longer anyone's latest."""
    from mash.enquiries import services as enquiries

    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=30)
    draft = enquiry_about(hana, child("Olivia", "Hughes"), submit=False, days_ago=0)
    earlier = first.people.get()
    added = draft.people.get()
    ip = PersonLink.objects.get(person=earlier).indexed_person
    assert PersonLink.objects.get(person=added).indexed_person_id == ip.pk
    assert IndexedPerson.objects.get(pk=ip.pk).latest_person_id == added.pk

    enquiries.remove_person(person=added, actor=hana)

    ip.refresh_from_db()
    assert ip.latest_person_id == earlier.pk and ip.latest_at == earlier.created_at
