"""A practitioner asks their agency's manager or the hub's safeguarding lead for advice
from a decision in progress (Guidance, 7 Golden Rules, rule 3 "Seek Advice")."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mash.enquiries.models import EnquiryStatus
from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import AdviceRequest

from .advice_helpers import ask_url
from .factories import make_request
from .pages import TO_SEEK_ADVICE, decision_url, step_url, walk


def test_the_guided_pages_offer_to_ask_for_advice(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SEEK_ADVICE[:2])
    page = client.get(step_url(req, "confidential")).content.decode()
    assert ask_url(req) in page


def test_it_sends_the_question_to_the_agency_managers_and_records_it(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SEEK_ADVICE)
    page = client.get(ask_url(req))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Any manager in Police" in text
    assert "The hub&#x27;s safeguarding lead" in text
    assert "Whether the child is at risk of significant harm".lower() in text.lower()
    response = client.post(
        ask_url(req), {"adviser": "agency_manager", "question": "Is this significant harm?"}
    )
    assert response.status_code == 302
    assert response["Location"] == decision_url(req)
    advice = AdviceRequest.objects.get()
    assert advice.asked_by == cast["police_practitioner"]
    assert advice.adviser_agency == agencies["police"]
    assert advice.addressed_to is None
    assert advice.missing == ["risk.significant_harm"]
    assert advice.outcome_when_asked == "seek_advice"
    entry = RecordEntry.objects.get(action="advice.asked")
    assert entry.object_id == str(advice.pk)
    assert "significant harm?" not in str(entry.details)  # ids and codes only
    followed = client.get(response["Location"]).content.decode()
    assert "Is this significant harm?" in followed
    assert "Waiting for an answer" in followed


def test_it_can_ask_the_hub_safeguarding_lead_or_one_manager_by_name(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    assert client.post(ask_url(req), {"adviser": "hub_lead", "question": "Q1"}).status_code == 302
    named = f"manager:{cast['hub_manager'].pk}"
    assert client.post(ask_url(req), {"adviser": named, "question": "Q2"}).status_code == 302
    first, second = AdviceRequest.objects.order_by("asked_at")
    assert first.adviser_kind == "hub_lead" and first.adviser_agency == agencies["hub"]
    assert second.addressed_to == cast["hub_manager"]
    assert second.adviser_agency == agencies["hub"]


def test_it_refuses_an_empty_question_naming_the_field(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    response = client_for("police_practitioner").post(
        ask_url(req), {"adviser": "agency_manager", "question": "  "}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#id_question"' in text
    assert "Enter your question" in text
    assert not AdviceRequest.objects.exists()
    assert not RecordEntry.objects.filter(action="advice.asked").exists()


def test_it_refuses_an_adviser_not_offered(cast: Any, agencies: Any, client_for: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    for adviser in ("", "someone", f"manager:{cast['outsider'].pk}", "manager:not-a-uuid"):
        response = client.post(ask_url(req), {"adviser": adviser, "question": "Q"})
        assert response.status_code == 400, adviser
        assert "Select who to ask for advice" in response.content.decode()
    assert not AdviceRequest.objects.exists()


def test_a_manager_cannot_ask_themselves(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        services.ask_advice(
            actor=cast["police_manager"], request=req, adviser="agency_manager", question="Q"
        )
    assert "no other manager" in excinfo.value.message_dict["adviser"][0]
    named = f"manager:{cast['police_manager'].pk}"
    with pytest.raises(ValidationError):
        services.ask_advice(actor=cast["police_manager"], request=req, adviser=named, question="Q")


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager"])
def test_hub_staff_do_not_ask_on_an_agency_s_behalf(
    cast: Any, agencies: Any, client_for: Any, who: str
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    assert client_for(who).get(ask_url(req)).status_code == 403
    assert (
        client_for(who).post(ask_url(req), {"adviser": "hub_lead", "question": "Q"}).status_code
        == 403
    )
    assert not AdviceRequest.objects.exists()


@pytest.mark.parametrize("who", ["health_practitioner", "outsider"])
def test_another_agency_gets_not_found(cast: Any, agencies: Any, client_for: Any, who: str) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    assert client_for(who).get(ask_url(req)).status_code == 404
    response = client_for(who).post(ask_url(req), {"adviser": "hub_lead", "question": "Q"})
    assert response.status_code == 404
    assert not AdviceRequest.objects.exists()


def test_it_refuses_on_a_closed_enquiry(cast: Any, agencies: Any, client_for: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    req.enquiry.status = EnquiryStatus.CLOSED
    req.enquiry.save()
    response = client_for("police_practitioner").post(
        ask_url(req), {"adviser": "agency_manager", "question": "Q"}
    )
    assert response.status_code == 302
    assert not AdviceRequest.objects.exists()
    with pytest.raises(ValidationError):
        services.ask_advice(
            actor=cast["police_practitioner"], request=req, adviser="agency_manager", question="Q"
        )
