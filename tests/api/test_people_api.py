"""The person index's API: search (posted, recorded, terms sealed) and a chronology,
with the pages' access rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mash.people.models import PersonLink, Search
from mash.records.models import RecordEntry
from tests.enquiries.sharing_helpers import ask, decide, disclose
from tests.people.conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(cast: Any, agencies: Any) -> dict[str, Any]:
    hana = cast["hub_practitioner"]
    enquiry = enquiry_about(hana, child("Olivia", "Hughes-Price"), days_ago=30)
    request = ask(enquiry, agencies["police"], hana, status="answered")
    disclose(decide(request, cast["police_practitioner"]), list(enquiry.people.all()))
    health = ask(enquiry, agencies["health"], hana, status="answered")
    decide(health, cast["health_practitioner"], outcome="do_not_share")
    return {"enquiry": enquiry, "ip": PersonLink.objects.get().indexed_person_id}


def post(client: Any, body: Any) -> Any:
    return client.post("/api/v1/people/search", json.dumps(body), content_type="application/json")


def test_the_hub_searches_with_variants_and_each_result_says_why(
    client_for: Any, known: Any
) -> None:
    response = post(client_for("hub_practitioner"), {"q": "Livvy Hughes"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1 and data["message"] == ""
    [person] = data["people"]
    assert person["given_name"] == "Olivia"
    assert person["indexed_person"] == str(known["ip"])
    assert "given name: a known short form" in person["why"]
    done = Search.objects.get(pk=data["search"])
    assert "hughes" not in done.sealed_terms.lower()
    assert RecordEntry.objects.filter(action="people.searched", object_id=str(done.pk)).exists()


def test_no_results_and_bad_words(client_for: Any, known: Any) -> None:
    client = client_for("hub_practitioner")
    assert post(client, {"q": "Zebedee Quux"}).json()["message"] == "No results"
    response = post(client, {"q": "Olivia 31/2/2015"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "q"] and "Search:" in problem["msg"]


def test_a_partner_finds_only_its_own_and_outsiders_nobody(client_for: Any, known: Any) -> None:
    assert post(client_for("police_practitioner"), {"q": "Olivia Hughes"}).json()["total"] == 1
    assert post(client_for("outsider"), {"q": "Olivia Hughes"}).json()["total"] == 0
    reference = known["enquiry"].reference
    assert post(client_for("police_practitioner"), {"q": reference}).json()["enquiries"] == []


def test_the_chronology_shows_each_caller_their_part(client_for: Any, known: Any) -> None:
    url = f"/api/v1/people/{known['ip']}/chronology"
    hub = client_for("hub_practitioner").get(url).json()
    kinds = {e["kind"] for e in hub["events"]}
    assert {"enquiry", "request", "decision", "item"} <= kinds
    police = client_for("police_practitioner").get(url).json()
    assert {e["agency"] for e in police["events"]} == {"Police"}
    assert client_for("outsider").get(url).status_code == 404
    health = client_for("health_practitioner").get(url + "?kind=decision").json()
    assert [e["what"] for e in health["events"]] == ["Do not share"]
    assert RecordEntry.objects.filter(action="people.chronology_viewed").count() == 3


def test_signed_out_is_401(client: Any, known: Any) -> None:
    assert post(client, {"q": "Olivia"}).status_code == 401
    assert client.get(f"/api/v1/people/{known['ip']}/chronology").status_code == 401
