"""When the guidance's outcome is seek advice, the decision waits for advice and for
the answers it did not know; the question and the advice go on the decision record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import AdviceRequest, Decision

from .advice_helpers import answer, ask
from .factories import NO_GROUND, make_request
from .pages import TO_SEEK_ADVICE, decision_url, not_sharing_form, step_url, walk

UNKNOWN_HARM = {**NO_GROUND, "risk": {"urgent": False}}


def _refusal(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_without_advice_it_refuses_naming_what_is_missing(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(
            actor=cast["police_practitioner"], request=req, question=UNKNOWN_HARM
        )
    refusal = _refusal(excinfo)
    assert "Ask a manager or the hub's safeguarding lead for advice" in refusal["advice"][0]
    assert "whether the child is at risk of significant harm" in refusal["outcome"][0]
    assert not Decision.objects.exists()


def test_a_question_still_waiting_for_its_answer_blocks_the_decision(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    ask(cast, req)
    question = {**NO_GROUND}
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(
            actor=cast["police_practitioner"],
            request=req,
            question=question,
            advice_needed=True,
            not_sharing_reasons="No ground applies",
        )
    assert "Wait for a manager in Police to answer" in _refusal(excinfo)["advice"][0]
    assert not Decision.objects.exists()


def test_with_advice_the_unknown_answers_must_still_be_given(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    answer(cast, ask(cast, req))
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(
            actor=cast["police_practitioner"], request=req, question=UNKNOWN_HARM
        )
    refusal = _refusal(excinfo)
    assert "advice" not in refusal
    assert "whether the child is at risk of significant harm" in refusal["outcome"][0]


def test_in_the_pages_advice_then_answers_then_the_decision_is_recorded_with_the_advice(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SEEK_ADVICE)
    assert client.get(decision_url(req)).status_code == 200
    # Changing the unknown answer does not skip the advice: the guidance asked for it.
    client.post(step_url(req, "harm"), {"significant_harm": "no", "urgent": "no"})
    refused = client.post(decision_url(req), not_sharing_form(req))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'href="#id_advice"' in text
    assert "Ask a manager or the hub" in text
    assert not Decision.objects.exists()
    # Ask, and wait for the answer.
    client.post(
        reverse("sharing:advice-ask", kwargs={"request_id": req.pk}),
        {"adviser": "agency_manager", "question": "Is this significant harm?"},
    )
    waiting = client.post(decision_url(req), not_sharing_form(req))
    assert waiting.status_code == 400
    assert "Wait for a manager in Police to answer" in waiting.content.decode()
    advice = AdviceRequest.objects.get()
    answer(cast, advice)
    recorded = client.post(decision_url(req), not_sharing_form(req))
    assert recorded.status_code == 302, recorded.content.decode()
    decision = Decision.objects.get()
    advice.refresh_from_db()
    assert advice.decision == decision
    entry = RecordEntry.objects.get(action="decision.recorded")
    assert entry.details["advice"] == [str(advice.pk)]
    record_page = client.get(recorded["Location"]).content.decode()
    assert "Advice sought" in record_page
    assert "Is this significant harm?" in record_page
    assert "Three call-outs in a month is a pattern" in record_page
    assert "Priya Tester" in record_page and "Paul Tester" in record_page
    # The hub reads the same advice on the record.
    hub_page = client_for("hub_practitioner").get(recorded["Location"]).content.decode()
    assert "Three call-outs in a month is a pattern" in hub_page


def test_advice_of_an_earlier_decision_does_not_count_for_its_correction(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    answer(cast, ask(cast, req))
    first = services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        question=NO_GROUND,
        not_sharing_reasons="No ground applies",
        discussed_at=req.created_at,
        discussed_with="MASH duty social worker",
        discussion_notes="Explained why not",
    )
    assert first.advice_requests.count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(
            actor=cast["police_practitioner"],
            request=req,
            question=UNKNOWN_HARM,
            supersedes=first,
            correction_reason="New information",
        )
    assert "advice" in _refusal(excinfo)
