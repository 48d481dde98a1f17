"""The decision record and the enquiry summary as PDF: the text extracted with pypdf
holds the hub's name, the guidance version, the hash of the record entry that logged
the print and the date printed, and the record itself; access is the page's own."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mash.records.models import RecordEntry
from tests.sharing.factories import make_enquiry, make_person

from . import builders as b
from .builders import at

pytestmark = pytest.mark.django_db


def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(value: str) -> str:
    return "".join(value.split())


@pytest.fixture
def decision(cast: Any, agencies: Any) -> Any:
    e = b.contact(cast["hub_practitioner"], received=at(5))
    req = b.ask(e, agencies["health"], cast["hub_practitioner"])
    return b.decide(req, cast["health_practitioner"], after_hours=2, basis="consent")


def test_the_decision_record_prints_with_its_record_entry(
    client_for: Any, decision: Any, cast: Any
) -> None:
    response = client_for("health_practitioner").get(
        reverse("reports:print-decision", kwargs={"decision_id": decision.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    entry = RecordEntry.objects.filter(action="record.printed").get()
    assert entry.object_id == str(decision.pk)
    assert entry.actor_user_id == cast["health_practitioner"].pk
    words = text(response.content)
    assert "Children's social care MASH" in words
    assert "herefordshire-mash-v4-2023-05" in words
    assert entry.hash in flat(words)
    assert timezone.localdate().strftime("%B %Y") in words
    assert decision.request.enquiry.reference in words
    assert "NHS health" in words and "An item" in words


def test_the_enquiry_summary_prints_with_its_record_entry(client_for: Any, cast: Any) -> None:
    enquiry = make_enquiry(hub=cast["hub_practitioner"].agency, created_by=cast["hub_practitioner"])
    child = make_person(enquiry)
    response = client_for("hub_manager").get(
        reverse("reports:print-enquiry", kwargs={"enquiry_id": enquiry.pk})
    )
    assert response.status_code == 200
    entry = RecordEntry.objects.filter(action="record.printed").get()
    assert entry.details["printed"] == "enquiry"
    words = text(response.content)
    assert enquiry.reference in words and child.full_name in words
    assert entry.hash in flat(words)
    assert "Enquiry summary" in words


@pytest.mark.parametrize("who", ["police_practitioner", "outsider"])
def test_who_may_not_open_the_decision_may_not_print_it(
    client_for: Any, decision: Any, who: str
) -> None:
    url = reverse("reports:print-decision", kwargs={"decision_id": decision.pk})
    assert client_for(who).get(url).status_code == 404
    assert not RecordEntry.objects.filter(action="record.printed").exists()


def test_a_partner_agency_may_not_print_the_enquiry(client_for: Any, cast: Any) -> None:
    enquiry = make_enquiry(hub=cast["hub_practitioner"].agency, created_by=cast["hub_practitioner"])
    url = reverse("reports:print-enquiry", kwargs={"enquiry_id": enquiry.pk})
    assert client_for("police_practitioner").get(url).status_code == 404
