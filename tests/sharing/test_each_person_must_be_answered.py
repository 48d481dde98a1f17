"""The questions asked for each person on the decision page are the practitioner's to
answer: nothing is pre-selected, and a decision with one left unanswered is refused
with a message naming the person and the question, and nothing is saved. The page
shows consent positions in words, and its conditional reveals have unique, valid ids."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import Decision
from tests.sharing.factories import told_today

from .factories import SIGNIFICANT_HARM, an_item, make_request
from .pages import (
    TO_DO_NOT_SHARE,
    TO_SIGNIFICANT_HARM,
    decision_url,
    not_sharing_form,
    share_form,
    walk,
)

NOT_SOUGHT = [
    *TO_SIGNIFICANT_HARM[:3],
    (
        "consent",
        {"status": "not_sought", "reason_not_sought": "Asking would alert the father."},
    ),
    TO_SIGNIFICANT_HARM[4],
]


def _ready(cast: Any, agencies: Any, client_for: Any, answers: Any) -> tuple[Any, Any, Any, Any]:
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.get(kind="child")
    parent = req.people.get(kind="parent")
    client = client_for("police_practitioner")
    walk(client, req, answers)
    return req, client, child, parent


def _person_inputs(page: str, person: Any) -> list[str]:
    return re.findall(rf'<input[^>]*name="person-{person.pk}-[a-z]+"[^>]*>', page)


def test_no_answer_for_a_person_is_pre_selected(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client, child, parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)

    page = client.get(decision_url(req)).content.decode()

    inputs = _person_inputs(page, child) + _person_inputs(page, parent)
    assert any(f'name="person-{parent.pk}-harm"' in i for i in inputs)
    assert any(f'name="person-{child.pk}-consent"' in i for i in inputs)
    assert [i for i in inputs if " checked" in i] == []


def test_an_unanswered_harm_question_is_refused_naming_the_person(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, child, parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    entries = RecordEntry.objects.count()

    response = client.post(
        decision_url(req), share_form(child, **{f"person-{parent.pk}-harm": None})
    )

    assert response.status_code == 400
    body = response.content.decode()
    message = (
        f"Select whether sharing {escape(parent.full_name)}&#x27;s own information is necessary "
        "because the child is at risk of significant harm"
    )
    assert message in body
    assert f'href="#id_person-{parent.pk}-harm"' in body
    assert not Decision.objects.exists()
    # Only the page view was recorded: nothing half saved.
    assert not RecordEntry.objects.filter(action="decision.recorded").exists()
    assert RecordEntry.objects.count() == entries + 1


def test_an_unanswered_consent_answer_is_refused_naming_the_person(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, child, _parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)

    response = client.post(
        decision_url(req), share_form(child, **{f"person-{child.pk}-consent": None})
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert f"Select the consent answer for {escape(child.full_name)}" in body
    assert f'href="#id_person-{child.pk}-consent"' in body
    assert not Decision.objects.exists()


def test_not_sharing_also_needs_each_persons_consent_answer(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, _child, parent = _ready(cast, agencies, client_for, TO_DO_NOT_SHARE)

    response = client.post(
        decision_url(req), not_sharing_form(req, **{f"person-{parent.pk}-consent": None})
    )

    assert response.status_code == 400
    assert f"Select the consent answer for {escape(parent.full_name)}" in response.content.decode()
    # The harm question is not asked when the child is not at risk: no message for it.
    assert "own information is necessary" not in response.content.decode()
    assert not Decision.objects.exists()


def test_the_answers_given_are_kept_when_the_form_comes_back_with_errors(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, child, parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)

    response = client.post(
        decision_url(req),
        share_form(
            child,
            **{f"person-{parent.pk}-harm": "no", f"person-{child.pk}-consent": None},
        ),
    )

    assert response.status_code == 400
    inputs = _person_inputs(response.content.decode(), parent)
    checked = [i for i in inputs if " checked" in i]
    assert len(checked) == 2  # the parent's consent (register) and harm (no) answers
    assert any('value="no"' in i for i in checked)
    assert not any(" checked" in i for i in _person_inputs(response.content.decode(), child))


def test_a_complete_form_records_the_decision(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client, child, parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)

    response = client.post(
        decision_url(req), share_form(child, **{f"person-{parent.pk}-harm": "no"})
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    by_person = {r["person"]: r for r in decision.people_decisions}
    assert by_person[str(parent.pk)]["harm_applies"] is False
    assert by_person[str(child.pk)]["harm_applies"] is True


def test_the_service_refuses_a_per_person_answer_left_unanswered(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.get(kind="child")
    parent = req.people.get(kind="parent")

    with pytest.raises(ValidationError) as refused:
        services.record_decision(
            actor=cast["police_practitioner"],
            request=req,
            question=SIGNIFICANT_HARM,
            justification="The child is at risk of significant harm.",
            informed=told_today(),
            adequacy_confirmed=True,
            proportionality="The risk to the child outweighs the refusal.",
            items=[an_item([child])],
            people_answers={
                str(child.pk): services.PersonAnswer(consent_status=""),
                str(parent.pk): services.PersonAnswer(consent_status=""),
            },
        )

    assert set(refused.value.message_dict) == {f"person-{parent.pk}-harm"}
    assert parent.full_name in refused.value.message_dict[f"person-{parent.pk}-harm"][0]
    assert not Decision.objects.exists()


def test_consent_is_shown_in_words_on_the_decision_page(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, _child, _parent = _ready(cast, agencies, client_for, NOT_SOUGHT)

    page = client.get(decision_url(req)).content.decode()

    assert "Your answer on the consent page: Not sought" in page
    assert "notsought" not in page
    assert "not_sought</dd>" not in page


def test_conditional_reveals_have_unique_valid_ids(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, _child, _parent = _ready(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    client.post(decision_url(req), {"action": "add_item", "item_count": "1"})

    page = client.get(decision_url(req)).content.decode()

    ids = re.findall(r'\sid="([^"]*)"', page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert all(re.fullmatch(r"[A-Za-z][\w\-:.]*", i) for i in ids), ids
    controls = re.findall(r'data-aria-controls="([^"]*)"', page)
    assert len(controls) >= 3  # informed "not told", and each item's "historical"
    for target in controls:
        assert target.startswith("conditional-")
        assert f'id="{target}"' in page
