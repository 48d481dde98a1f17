"""An indexed person's date of birth is the best the hub knows (issue 14): after a merge
whose latest record has only an estimated age, the pages and the API show the date of
birth an earlier record gave (the latest record that has one), never "Not known"; where
no record has one, the estimated age, labelled as such, with when it was estimated."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.people import services
from mash.people.models import PersonLink
from tests.enquiries.sharing_helpers import ask

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(cast: Any) -> dict[str, Any]:
    """Olivia with a date of birth (90 days ago), then Olivia with only an estimated
    age (the latest record): merged into one person."""
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Olivia", "Hughes", None, estimated_age=11))
    a = PersonLink.objects.get(person__enquiry=first).indexed_person
    b = PersonLink.objects.get(person__enquiry=second).indexed_person
    assert a.pk != b.pk
    services.merge(kept=a, merged=b, actor=hana)
    a.refresh_from_db()
    assert a.latest_person.enquiry_id == second.pk  # the latest record: no date of birth
    return {"ip": a, "first": first, "second": second}


def _date_row(body: str) -> str:
    """The text of the summary list's "Date of birth" value."""
    found = re.search(r"Date of birth</dt><dd[^>]*>([^<]*)</dd>", body)
    assert found, body
    return found.group(1)


def test_the_search_result_shows_the_earlier_date_of_birth(client_for: Any, merged: Any) -> None:
    client: Client = client_for("hub_practitioner")
    body = client.post(reverse("people:search"), {"q": "Olivia Hughes"}, follow=True)
    text = body.content.decode()
    assert "Olivia Hughes" in text
    assert "7 March 2015" in text
    assert "Not known" not in text


def test_the_api_search_gives_the_earlier_date_of_birth(client_for: Any, merged: Any) -> None:
    response = client_for("hub_practitioner").post(
        "/api/v1/people/search", json.dumps({"q": "Olivia Hughes"}), content_type="application/json"
    )
    assert response.status_code == 200
    (found,) = response.json()["people"]
    assert found["date_of_birth"] == "2015-03-07"
    assert found["estimated_age"] is None


def test_the_chronology_header_shows_the_earlier_date_of_birth(
    client_for: Any, merged: Any
) -> None:
    url = reverse("people:chronology", kwargs={"indexed_person_id": merged["ip"].pk})
    body = client_for("hub_practitioner").get(url).content.decode()
    assert "Born 7 March 2015." in body


def test_the_merge_pages_show_the_earlier_date_of_birth(client_for: Any, merged: Any) -> None:
    client = client_for("hub_practitioner")
    for name in ("people:merge", "people:merges"):
        body = client.get(reverse(name, kwargs={"indexed_person_id": merged["ip"].pk}))
        assert _date_row(body.content.decode()) == "7 March 2015", name


def test_a_partner_sees_the_best_date_in_its_own_requests(
    client_for: Any, merged: Any, cast: Any, agencies: Any
) -> None:
    hana = cast["hub_practitioner"]
    ask(merged["first"], agencies["police"], hana)
    ask(merged["second"], agencies["police"], hana)
    response = client_for("police_practitioner").post(
        "/api/v1/people/search", json.dumps({"q": "Olivia Hughes"}), content_type="application/json"
    )
    (found,) = response.json()["people"]
    assert found["date_of_birth"] == "2015-03-07"


def test_only_an_estimated_age_is_shown_labelled(client_for: Any, cast: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry = enquiry_about(hana, child("Amara", "Okafor", None, estimated_age=9))
    ip = PersonLink.objects.get(person__enquiry=enquiry).indexed_person
    client = client_for("hub_practitioner")
    text = client.post(reverse("people:search"), {"q": "Amara Okafor"}, follow=True)
    assert "estimated age 9" in text.content.decode()
    chronology = client.get(reverse("people:chronology", kwargs={"indexed_person_id": ip.pk}))
    assert "estimated age 9" in chronology.content.decode()
    merges = client.get(reverse("people:merges", kwargs={"indexed_person_id": ip.pk}))
    assert _date_row(merges.content.decode()).startswith("Not known (estimated age 9 on ")
    response = client.post(
        "/api/v1/people/search", json.dumps({"q": "Amara Okafor"}), content_type="application/json"
    )
    (found,) = response.json()["people"]
    assert found["date_of_birth"] is None
    assert found["estimated_age"] == 9
