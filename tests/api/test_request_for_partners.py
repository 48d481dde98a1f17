"""Partners see what they need to match and to hurry (issue 12): the request's page, the
agency's inbox and ``GET /api/v1/requests/{id}`` show the enquiry's urgency (RAG) and the
deadline in words, and for each person asked about their date of birth (or estimated
age), address and other names as the hub recorded them; nothing else of the enquiry,
and only to the asked agency (and the hub)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from mash.enquiries.models import Person
from mash.records.models import RecordEntry
from tests.sharing.factories import make_enquiry, make_request


def _request(cast: Any, agencies: Any, *, rag: str = "red") -> Any:
    hub = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub.agency, created_by=hub, rag=rag)
    child = Person.objects.create(
        enquiry=enquiry,
        kind="child",
        first_name="Maisie",
        last_name="Thorne",
        other_names="Maisie Price",
        date_of_birth=dt.date(2017, 4, 9),
        address="12 Bridge Street, Hereford HR4 9DG",
        nhs_number="9434765919",
        role_in_concern="ROLE-SECRET",
    )
    adult = Person.objects.create(
        enquiry=enquiry,
        kind="parent",
        first_name="Dean",
        last_name="Thorne",
        estimated_age=35,
        address="Unknown, believed Leominster",
    )
    Person.objects.create(enquiry=enquiry, kind="other", first_name="Not", last_name="Asked")
    return make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, adult]
    )


def _shows_what_to_match(html: str) -> None:
    assert "Red: urgent" in html
    assert "Maisie Thorne" in html
    assert "born 9 April 2017" in html
    assert "Other names: Maisie Price" in html
    assert "Address: 12 Bridge Street, Hereford HR4 9DG" in html
    assert "NHS number: 943 476 5919" in html
    assert "estimated age 35" in html
    assert "Address: Unknown, believed Leominster" in html
    assert "due by" in html.lower()


def _nothing_else(html: str, req: Any) -> None:
    assert "CONCERN-SECRET" not in html
    assert "ROLE-SECRET" not in html
    assert "Not Asked" not in html
    assert req.enquiry.referrer_name not in html


def test_the_request_page_shows_urgency_deadline_and_what_to_match(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = _request(cast, agencies)
    response = client_for("police_practitioner").get(
        reverse("sharing:request", kwargs={"request_id": req.pk})
    )
    assert response.status_code == 200
    html = response.content.decode()
    _shows_what_to_match(html)
    _nothing_else(html, req)


def test_the_guided_pages_carry_the_same_summary(cast: Any, agencies: Any, client_for: Any) -> None:
    from tests.sharing.pages import step_url, walk

    req = _request(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, [])
    html = client.get(step_url(req, "purpose")).content.decode()
    _shows_what_to_match(html)
    _nothing_else(html, req)


def test_the_inbox_shows_urgency_deadline_and_ages(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = _request(cast, agencies, rag="amber")
    html = client_for("police_practitioner").get(reverse("sharing:inbox")).content.decode()
    assert ">Urgency<" in html
    assert "Amber" in html
    assert "Maisie Thorne (born 9 Apr 2017)" in html
    assert "Dean Thorne (estimated age 35)" in html
    # The deadline and the time left: "Due by ... (in ...)", or "Due now (by ...)" where
    # no working time is left before it (made on a Friday evening, due on Saturday).
    assert re.search(r"Due (by|now \(by) \d\d:\d\d", html)
    _nothing_else(html, req)


def test_the_api_gives_the_request_with_urgency_deadline_and_people_to_match(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = _request(cast, agencies)
    response = client_for("police_practitioner").get(f"/api/v1/requests/{req.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rag"] == "red"
    assert body["reference"] == req.enquiry.reference
    assert body["agency"] == "police"
    assert body["status"] == "open"
    assert body["due"].startswith("due by ")
    assert body["overdue"] is False
    people = {p["first_name"]: p for p in body["people"]}
    assert set(people) == {"Maisie", "Dean"}
    assert people["Maisie"]["date_of_birth"] == "2017-04-09"
    assert people["Maisie"]["other_names"] == "Maisie Price"
    assert people["Maisie"]["address"] == "12 Bridge Street, Hereford HR4 9DG"
    assert people["Maisie"]["nhs_number"] == "9434765919"
    assert people["Dean"]["nhs_number"] == ""
    assert people["Dean"]["estimated_age"] == 35
    assert people["Dean"]["date_of_birth"] is None
    text = response.content.decode()
    _nothing_else(text, req)
    assert "concern" not in body and "rag_rationale" not in body
    entry = RecordEntry.objects.filter(action="request.viewed").latest("pk")
    assert entry.details == {"view": "api"}


def test_only_the_asked_agency_and_the_hub_see_it(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = _request(cast, agencies)
    url = f"/api/v1/requests/{req.pk}"
    assert client_for("hub_practitioner").get(url).status_code == 200
    assert client_for("health_practitioner").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    assert (
        client_for("police_practitioner")
        .get("/api/v1/requests/00000000-0000-0000-0000-000000000000")
        .status_code
        == 404
    )
    page = reverse("sharing:request", kwargs={"request_id": req.pk})
    assert client_for("health_practitioner").get(page).status_code == 404


def test_the_openapi_document_lists_it_with_its_errors(client: Client, db: Any) -> None:
    responses = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/requests/{request_id}"][
        "get"
    ]["responses"]
    assert {"200", "401", "404", "422"} <= set(responses)
