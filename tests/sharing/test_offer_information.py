"""A partner offers what it holds without being asked (issue 17, "partners raise
concerns": "They can also share information proactively on an open enquiry of theirs";
Guidance, 7 Golden Rules: be proactive). The agency that raised a concern opens an offer
on the enquiry it started, about the child it named, and answers it through the
guidance like any request: the hub sees what it shares, and the record says it was
offered. Nobody else can, a closed enquiry cannot take one, and an agency the hub has
already asked answers that request instead."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.enquiries.models import EnquiryStatus
from mash.records.models import RecordEntry
from mash.sharing.models import Decision, InformationRequest
from tests.enquiries.concern_helpers import raise_one

from .factories import make_request
from .pages import TO_SIGNIFICANT_HARM, decision_url, share_form, walk


def _offer_url(concern: Any) -> str:
    return reverse("sharing:offer", kwargs={"concern_id": concern.pk})


def test_the_raising_agency_offers_and_the_hub_receives_what_it_shares(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    police = client_for("police_practitioner")
    page = police.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk}))
    assert "Share information with the hub" in page.content.decode()

    response = police.post(_offer_url(concern))
    offered = InformationRequest.objects.get(enquiry=concern.enquiry)
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:request", kwargs={"request_id": offered.pk})
    assert offered.offered is True
    assert offered.agency == agencies["police"]
    assert offered.created_by == cast["police_practitioner"]
    [child] = offered.people.all()
    assert child.first_name == "Amy"
    entry = RecordEntry.objects.get(action="request.offered")
    assert entry.object_id == str(offered.pk)
    assert entry.details["people"] == [str(child.pk)]
    assert "Amy" not in str(entry.details)
    request_page = police.get(response["Location"]).content.decode()
    assert "without being asked" in request_page

    # Answered through the guidance like any request; the hub receives the item.
    walk(police, offered, TO_SIGNIFICANT_HARM)
    recorded = police.post(decision_url(offered), share_form(child))
    assert recorded.status_code == 302, recorded.content.decode()[:2000]
    decision = Decision.objects.get(request=offered)
    assert decision.outcome == "share"
    hub_page = client_for("hub_practitioner").get(
        reverse("enquiries:detail", kwargs={"enquiry_id": concern.enquiry_id})
    )
    assert "Two call-outs to the address for domestic incidents" in hub_page.content.decode()

    # Once offered, the concern page links to it instead of offering again.
    again = police.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk}))
    assert "Share information with the hub" not in again.content.decode()
    assert "The information your agency offered on this enquiry" in again.content.decode()


def test_a_second_offer_shows_the_first_and_makes_nothing(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    police = client_for("police_practitioner")
    first = police.post(_offer_url(concern))
    second = police.post(_offer_url(concern))
    assert second["Location"] == first["Location"]
    assert InformationRequest.objects.filter(enquiry=concern.enquiry).count() == 1


def test_an_agency_already_asked_answers_the_hubs_request_instead(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    asked = make_request(
        cast=cast,
        agency=agencies["police"],
        enquiry=concern.enquiry,
        people=list(concern.enquiry.people.all()),
    )
    police = client_for("police_practitioner")
    response = police.post(_offer_url(concern))
    assert response["Location"] == reverse("sharing:request", kwargs={"request_id": asked.pk})
    assert not InformationRequest.objects.filter(offered=True).exists()
    page = police.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk}))
    assert "request to your agency on this enquiry" in page.content.decode()


def test_nobody_but_the_raising_agency_can_offer(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    for who in ("health_practitioner", "hub_practitioner", "hub_manager"):
        response = client_for(who).post(_offer_url(concern))
        assert response.status_code == 404, who
    assert not InformationRequest.objects.exists()
    assert not RecordEntry.objects.filter(action="request.offered").exists()


def test_a_closed_enquiry_takes_no_offer_and_says_why(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    concern.enquiry.status = EnquiryStatus.CLOSED
    concern.enquiry.save(update_fields=["status"])
    police = client_for("police_practitioner")
    page = police.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk}))
    assert "Share information with the hub" not in page.content.decode()
    response = police.post(_offer_url(concern), follow=True)
    assert "The hub has closed this enquiry" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_offering_is_a_post(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    concern = raise_one(cast["police_practitioner"], agencies["hub"])
    assert client_for("police_practitioner").get(_offer_url(concern)).status_code == 405
    assert not InformationRequest.objects.exists()
