"""A child's chronology: newest first across enquiries and agencies, filterable, paged
in SQL, each viewer seeing only what they may, recorded; a PDF of it for the hub."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from mash.enquiries import services as enquiry_services
from mash.people.models import PersonLink
from mash.records.models import RecordEntry
from tests.enquiries.sharing_helpers import ask, decide, disclose

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast: Any, agencies: Any) -> dict[str, Any]:
    """Olivia: an enquiry 200 days ago (police shared a fact; closed early help), and one
    now (health decided not to share)."""
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=200)
    police = ask(first, agencies["police"], hana, status="answered")
    decision = decide(police, cast["police_practitioner"], minutes_ago=60 * 24 * 150)
    disclose(decision, list(first.people.all()), source="Police national database")
    enquiry_services.close_enquiry(
        enquiry=first, actor=hana, outcome="early_help", rationale="Early help agreed."
    )
    second = enquiry_about(hana, child("Olivia", "Hughes"))
    health = ask(second, agencies["health"], hana, status="answered")
    decide(health, cast["health_practitioner"], outcome="do_not_share")
    link = PersonLink.objects.get(person__enquiry=second)
    return {"first": first, "second": second, "ip": link.indexed_person_id}


def url(ip: Any, **query: str) -> str:
    base = reverse("people:chronology", kwargs={"indexed_person_id": ip})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_hub_sees_both_enquiries_and_both_agencies_newest_first(
    client_for: Any, history: Any
) -> None:
    body = client_for("hub_practitioner").get(url(history["ip"])).content.decode()
    assert "Olivia Hughes" in body
    for words in (
        history["first"].reference,
        history["second"].reference,
        "Decision</strong>: Share, on the basis: significant harm",
        "Decision</strong>: Do not share",
        "Information shared</strong>: Fact, current",
        "Source: Police national database",
        "Enquiry closed</strong>: Early help",
        "Police",
        "NHS health",
    ):
        assert words in body, words
    table = body[body.index("<tbody") :]
    assert table.index("Do not share") < table.index("Share, on the basis")  # newest first
    assert "Attended A&amp;E" not in body  # the item's text stays on the decision record
    entry = RecordEntry.objects.get(action="people.chronology_viewed")
    assert entry.object_id == str(history["ip"])


def test_filters_by_agency_and_kind(client_for: Any, history: Any) -> None:
    client = client_for("hub_practitioner")
    body = client.get(url(history["ip"], agency="health")).content.decode()
    assert "Do not share" in body and "Police national database" not in body
    body = client.get(url(history["ip"], kind="item")).content.decode()
    assert "Police national database" in body and "Do not share" not in body
    body = client.get(url(history["ip"], kind="nonsense", agency="nowhere")).content.decode()
    assert "Do not share" in body and "Police national database" in body


def test_a_partner_sees_only_its_own(client_for: Any, history: Any) -> None:
    body = client_for("police_practitioner").get(url(history["ip"])).content.decode()
    assert "Police national database" in body
    assert "Do not share" not in body
    assert "Early help" not in body
    assert "Print or save as PDF" not in body
    body = client_for("health_practitioner").get(url(history["ip"])).content.decode()
    assert "Do not share" in body and "Police national database" not in body


def test_others_get_404(client_for: Any, history: Any) -> None:
    assert client_for("outsider").get(url(history["ip"])).status_code == 404
    pdf = reverse("people:chronology-pdf", kwargs={"indexed_person_id": history["ip"]})
    assert client_for("police_practitioner").get(pdf).status_code == 404


def test_the_pdf_says_the_same_and_the_print_is_recorded(client_for: Any, history: Any) -> None:
    pdf_url = reverse("people:chronology-pdf", kwargs={"indexed_person_id": history["ip"]})
    response = client_for("hub_practitioner").get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Chronology: Olivia Hughes" in text
    assert history["first"].reference in text and history["second"].reference in text
    assert "Police national database" in text
    entry = RecordEntry.objects.get(action="people.chronology_printed")
    assert entry.hash in text.replace("\n", "")


def test_the_page_costs_the_same_queries_with_more_history(
    cast: Any, agencies: Any, client_for: Any, history: Any
) -> None:
    client = client_for("hub_practitioner")
    client.get(url(history["ip"]))
    with CaptureQueriesContext(connection) as few:
        client.get(url(history["ip"]))
    hana = cast["hub_practitioner"]
    for days in range(30, 130, 10):
        more = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=days)
        decide(ask(more, agencies["police"], hana), cast["police_practitioner"])
    with CaptureQueriesContext(connection) as many:
        body = client.get(url(history["ip"])).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "govuk-pagination" in body
