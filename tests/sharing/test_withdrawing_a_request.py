"""Hub staff withdraw an outstanding request, with a reason, so the enquiry can close."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.records.models import Action, RecordEntry
from mash.sharing.models import InformationRequest, RequestStatus

from .factories import make_request


def _withdraw_url(req: InformationRequest) -> str:
    return reverse("sharing:withdraw", kwargs={"request_id": req.pk})


def test_hub_staff_withdraw_an_open_request_from_the_enquiry_page(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    hub = client_for("hub_practitioner")
    enquiry_page = hub.get(reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id}))
    assert _withdraw_url(req) in enquiry_page.content.decode()

    response = hub.post(_withdraw_url(req), {"withdrawal_reason": "Obtained from health."})

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    assert req.withdrawal_reason == "Obtained from health."
    assert req.withdrawn_by == cast["hub_practitioner"]
    entry = RecordEntry.objects.filter(action=Action.REQUEST_WITHDRAWN).get()
    assert entry.object_id == str(req.pk)
    assert "Obtained" not in str(entry.details)
    page = hub.get(reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id}))
    assert "Obtained from health." in page.content.decode()


def test_it_refuses_a_withdrawal_without_a_reason(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])

    response = client_for("hub_practitioner").post(_withdraw_url(req), {"withdrawal_reason": " "})

    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert 'href="#id_withdrawal_reason"' in body
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN


def test_the_agency_sees_the_request_as_withdrawn_and_cannot_answer_it(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client_for("hub_practitioner").post(_withdraw_url(req), {"withdrawal_reason": "Not needed"})
    police = client_for("police_practitioner")

    inbox = police.get(reverse("sharing:inbox")).content.decode()
    assert "Withdrawn" in inbox
    page = police.get(reverse("sharing:request", kwargs={"request_id": req.pk})).content.decode()
    assert "withdrawn by the hub" in page
    start = police.post(reverse("sharing:answer-start", kwargs={"request_id": req.pk}))
    assert start.status_code == 302
    assert start.url == reverse("sharing:request", kwargs={"request_id": req.pk})


def test_only_an_open_request_can_be_withdrawn(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    hub = client_for("hub_practitioner")
    hub.post(_withdraw_url(req), {"withdrawal_reason": "Not needed"})

    again = hub.post(_withdraw_url(req), {"withdrawal_reason": "Twice"})

    assert again.status_code == 400
    req.refresh_from_db()
    assert req.withdrawal_reason == "Not needed"


def test_agencies_cannot_withdraw_a_request(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])

    response = client_for("police_practitioner").post(
        _withdraw_url(req), {"withdrawal_reason": "Not ours"}
    )

    assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN


def test_a_withdrawn_request_no_longer_holds_the_enquiry_open(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    hub = client_for("hub_manager")
    close_url = reverse("enquiries:close", kwargs={"enquiry_id": req.enquiry_id})
    assert "still awaiting a decision" in hub.get(close_url).content.decode()

    hub.post(_withdraw_url(req), {"withdrawal_reason": "Not needed"})

    assert "still awaiting a decision" not in hub.get(close_url).content.decode()
