"""The NHS number at intake (issue 14): optional, checked (ten digits and the modulus 11
check digit) with a message naming the field, sealed like the address, and fed to the
person index so a record with the same NHS number is linked, and found by search."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.enquiries import services
from mash.enquiries.models import Enquiry, Person
from mash.people.models import BlockingKey, LinkedBy, PersonLink
from tests.people.conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def blank(cast: dict[str, Any]) -> Enquiry:
    return services.start_enquiry(actor=cast["hub_practitioner"])


def _person(**extra: str) -> dict[str, str]:
    return {
        "kind": "child",
        "first_name": "Ada",
        "last_name": "Brook",
        "dob_day": "7",
        "dob_month": "3",
        "dob_year": "2015",
        **extra,
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("943 476 5918", "NHS number is not valid: check each digit"),
        ("94347659", "NHS number must be 10 digits, like 943 476 5919"),
        ("943-476-5919", "NHS number must be 10 digits, like 943 476 5919"),
        ("9" * 21, "NHS number must be 10 digits, like 943 476 5919"),
    ],
)
def test_a_wrong_nhs_number_is_refused_naming_the_field(
    client_for: Any, blank: Enquiry, typed: str, message: str
) -> None:
    response = client_for("hub_practitioner").post(
        f"/enquiries/{blank.pk}/people/add", _person(nhs_number=typed)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert 'href="#id_nhs_number"' in body
    assert blank.people.count() == 0


def test_a_good_nhs_number_is_kept_sealed_and_shown(client_for: Any, blank: Enquiry) -> None:
    client: Client = client_for("hub_practitioner")
    response = client.post(f"/enquiries/{blank.pk}/people/add", _person(nhs_number="943 476 5919"))
    assert response.status_code == 302
    person = blank.people.get()
    assert person.nhs_number == "9434765919"
    stored = Person.objects.filter(pk=person.pk).values_list("nhs_number", flat=True).get()
    assert stored and "9434765919" not in str(stored)
    keys = list(BlockingKey.objects.filter(key__startswith="nhs:").values_list("key", flat=True))
    assert len(keys) == 1 and "9434765919" not in keys[0]
    page = client.get(reverse("enquiries:detail", kwargs={"enquiry_id": blank.pk}), follow=True)
    assert "943 476 5919" in page.content.decode()


def test_no_nhs_number_is_fine(client_for: Any, blank: Enquiry) -> None:
    response = client_for("hub_practitioner").post(f"/enquiries/{blank.pk}/people/add", _person())
    assert response.status_code == 302
    assert blank.people.get().nhs_number == ""


def _with_nhs(details: services.PersonDetails, number: str) -> services.PersonDetails:
    from dataclasses import replace

    return replace(details, nhs_number=number)


def test_the_same_nhs_number_links_what_names_alone_would_not(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(
        hana,
        _with_nhs(child("Olivia", "Hughes", None, estimated_age=10), "9434765919"),
        days_ago=90,
    )
    # A new family name and a date of birth where the first had only an age: without the
    # NHS number, at most a possible match.
    second = enquiry_about(
        hana, _with_nhs(child("Olivia", "Price", date(2015, 3, 7)), "943 476 5919")
    )
    a = PersonLink.objects.get(person__enquiry=first)
    b = PersonLink.objects.get(person__enquiry=second)
    assert b.how == LinkedBy.AUTOMATIC
    assert a.indexed_person_id == b.indexed_person_id
    assert b.score is not None and b.score >= 0.9


def test_different_nhs_numbers_are_never_linked(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, _with_nhs(child("Olivia", "Hughes"), "9434765919"), days_ago=90)
    second = enquiry_about(hana, _with_nhs(child("Olivia", "Hughes"), "4010232137"))
    a = PersonLink.objects.get(person__enquiry=first)
    b = PersonLink.objects.get(person__enquiry=second)
    assert a.indexed_person_id != b.indexed_person_id


def test_search_by_nhs_number_finds_the_child(client_for: Any, cast: Any) -> None:
    enquiry_about(
        cast["hub_practitioner"], _with_nhs(child("Olivia", "Hughes"), "9434765919"), days_ago=9
    )
    enquiry_about(cast["hub_practitioner"], child("Oliver", "Smith", date(2012, 1, 1)))
    response = client_for("hub_practitioner").post(
        reverse("people:search"), {"q": "943 476 5919"}, follow=True
    )
    body = response.content.decode()
    assert "Olivia Hughes" in body and "NHS number: the same" in body
    assert "Smith" not in body
