"""The record says only what happened (issue 12, items 6 and 7).

Guidance, Record: "Information sharing decisions should be recorded whether or not the
decision is taken to share. If the decision is to share, reasons should be cited
including what information has been shared and with whom"; Accurate. So a question
never asked is not shown as answered, a decision not to share never says "shared
with", and dates of things that happened are neither in the future nor before the
request was sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.sharing import services
from mash.sharing.models import Decision

from .factories import make_request
from .pages import TO_DO_NOT_SHARE, at_decision_page, date_boxes, decision_url, not_sharing_form

PI_QUESTIONS = (
    "Is the intended disclosure proportionate to the intended aim?",
    "I do not know",
)


def test_a_do_not_share_record_shows_no_public_interest_answers_and_no_shared_with(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(decision_url(req), not_sharing_form(req))
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.url).content.decode()
    assert "Information sharing decision record" in page
    for words in PI_QUESTIONS:
        assert words not in page
    assert "Shared with" not in page
    assert "nothing was shared" in page


def test_a_discussion_in_the_future_is_refused_naming_the_field(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        decision_url(req),
        not_sharing_form(req, **date_boxes("discussed_date", tomorrow.isoformat())),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "discussed the decision with the requester must be now or in the past" in text
    assert 'href="#id_discussed_date"' in text
    assert not Decision.objects.exists()


def test_a_discussion_before_the_request_was_sent_is_refused(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(
        decision_url(req), not_sharing_form(req, **date_boxes("discussed_date", "2026-01-12"))
    )
    assert response.status_code == 400
    assert "cannot be before the request was sent" in response.content.decode()
    assert not Decision.objects.exists()


def test_explicit_consent_given_in_the_future_is_refused(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    later = timezone.now() + dt.timedelta(hours=3)
    question = {
        "purpose": {"legitimate": True},
        "identifies_individual": True,
        "confidential": True,
        "sensitive": False,
        "consent": {
            "status": "given",
            "agencies": None,
            "explicit": True,
            "recorded_at": later.isoformat(),
        },
    }
    with pytest.raises(ValidationError) as caught:
        services.record_decision(
            actor=cast["police_practitioner"],
            request=req,
            question=question,
            consent_details="Signed form",
        )
    assert "consent_recorded_at" in caught.value.message_dict
    assert not Decision.objects.exists()
