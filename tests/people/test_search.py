"""Search: the hub finds people by name (with matching's variants), date of birth and
postcode, and enquiries by reference; partners only among people in requests sent to
them; every search recorded with its terms sealed; no result said plainly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.people.models import Search
from mash.people.sealing import open_terms
from mash.records.models import RecordEntry
from tests.enquiries.sharing_helpers import ask

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def search(client: Client, text: str) -> str:
    response = client.post(reverse("people:search"), {"q": text}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def known(cast: Any) -> dict[str, Any]:
    hana = cast["hub_practitioner"]
    return {
        "olivia": enquiry_about(hana, child("Olivia", "Hughes-Price"), days_ago=30),
        "other": enquiry_about(
            hana, child("Oliver", "Smith", date(2012, 1, 1), address="1 High St, Ross HR9 5AA")
        ),
    }


def test_a_nickname_finds_the_child_and_says_why(client_for: Any, known: Any) -> None:
    body = search(client_for("hub_practitioner"), "Livvy Hughes")
    assert "Olivia Hughes-Price" in body
    assert "given name: a known short form" in body
    assert "family name: one is part of the other" in body
    assert "Smith" not in body


def test_a_spelling_variant_and_date_of_birth(client_for: Any, known: Any) -> None:
    body = search(client_for("hub_practitioner"), "Olivia Hughs 7/3/2015")
    assert "Olivia Hughes-Price" in body
    assert "a typing slip" in body
    assert "date of birth: the same" in body
    body = search(client_for("hub_practitioner"), "Olivia Hughes 3/7/2015")
    assert "day and month swapped" in body
    body = search(client_for("hub_practitioner"), "Olivia Hughes 8/3/2015")
    assert "No results" in body


def test_a_postcode_and_a_reference(client_for: Any, known: Any) -> None:
    body = search(client_for("hub_practitioner"), "HR9 5AA")
    assert "Oliver Smith" in body and "Hughes" not in body
    assert "postcode: in the area HR95" in body
    body = search(client_for("hub_practitioner"), known["olivia"].reference)
    assert "the reference is the same" in body


def test_no_result_is_said_plainly(client_for: Any, known: Any) -> None:
    body = search(client_for("hub_practitioner"), "Zebedee Quux")
    assert "No results" in body
    assert "Nobody and no enquiry matched your search" in body


def test_an_nhs_number_is_answered_plainly(client_for: Any, known: Any) -> None:
    body = search(client_for("hub_practitioner"), "943 476 5919")
    assert "Only people whose NHS number was recorded at intake are found by it" in body
    assert "No results" in body


def test_bad_words_get_a_message_naming_the_field(client_for: Any) -> None:
    response = client_for("hub_practitioner").post(reverse("people:search"), {"q": ""})
    assert response.status_code == 400
    assert "Search: enter a name" in response.content.decode()
    assert not Search.objects.exists()


def test_each_search_is_recorded_with_its_terms_sealed(
    cast: Any, client_for: Any, known: Any
) -> None:
    search(client_for("hub_practitioner"), "Livvy Hughes")
    done = Search.objects.get()
    assert "hughes" not in done.sealed_terms.lower()
    assert open_terms(done.sealed_terms, search_id=done.pk)["names"] == ["livvy", "hughes"]
    entries = RecordEntry.objects.filter(action="people.searched").order_by("seq")
    assert [e.object_id for e in entries] == [str(done.pk)] * 2  # the search, its page
    assert "hughes" not in str([e.details for e in entries]).lower()
    assert entries[0].details["results"] == 1


def test_nothing_personal_in_the_results_address(client_for: Any, known: Any) -> None:
    response = client_for("hub_practitioner").post(reverse("people:search"), {"q": "Livvy Hughes"})
    assert response.status_code == 302
    assert "ughes" not in response["Location"].lower()


def test_results_are_the_searchers_own(client_for: Any, known: Any) -> None:
    search(client_for("hub_practitioner"), "Livvy Hughes")
    url = reverse("people:results", kwargs={"search_id": Search.objects.get().pk})
    assert client_for("hub_manager").get(url).status_code == 404


def test_a_partner_finds_only_people_in_requests_to_it(
    cast: Any, client_for: Any, known: Any
) -> None:
    police = client_for("police_practitioner")
    assert "No results" in search(police, "Olivia Hughes")
    assert "among the people in requests sent to your agency" in search(police, "Olivia Hughes")
    ask(known["olivia"], cast["police_practitioner"].agency, cast["hub_practitioner"])
    body = search(police, "Olivia Hughes")
    assert "Olivia Hughes-Price" in body
    assert "Request about Olivia Hughes-Price" in body
    assert "Oliver Smith" not in search(police, "HR9 5AA")
    assert known["olivia"].reference not in search(police, known["olivia"].reference)
    assert (
        "Olivia"
        not in search(client_for("health_practitioner"), "Olivia Hughes").split("Search results")[1]
    )


def test_an_administrator_cannot_search(agencies: Any, client: Client) -> None:
    from mash.agencies.models import User

    admin = User.objects.create_user(
        username="ada", password="x" * 20, agency=agencies["hub"], role="administrator"
    )
    client.force_login(admin)
    assert client.get(reverse("people:search")).status_code == 404


def test_many_found_are_joined_by_a_subquery_with_the_same_answers(
    client_for: Any, known: Any, monkeypatch: Any
) -> None:
    """Up to ``_LISTED`` people the keys find are passed to the page as ids; more, as the
    intersection itself: either way, the same people, in the same order."""
    from mash.people import search as finding

    hub_id = known["olivia"].hub_id
    terms = finding.parse_terms("Olivia Hughes")
    listed = [p.pk for p in finding.people(terms, hub_id=hub_id)]
    monkeypatch.setattr(finding, "_LISTED", 0)
    assert [p.pk for p in finding.people(terms, hub_id=hub_id)] == listed
    assert listed
