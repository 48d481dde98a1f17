"""Answering a request through the guidance's questions, page by page, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing.models import Decision, RequestStatus

from .factories import make_request
from .pages import TO_SIGNIFICANT_HARM, date_boxes, decision_url, share_form, step_url, walk

# Shares over a refusal are released at once here: sign-off is tested on its own.
pytestmark = pytest.mark.usefixtures("no_signoff")

# The pages before the consent question, answered: information that identifies the
# person and is confidential (the consent question comes next).
TO_CONSENT = TO_SIGNIFICANT_HARM[:3]
TO_SENSITIVE_CONSENT = [
    *TO_CONSENT[:2],
    ("confidential", {"confidential": "yes", "sensitive": "yes"}),
]


@pytest.fixture
def req(cast: Any, agencies: Any) -> Any:
    """A request to the police about a child and a parent."""
    return make_request(cast=cast, agency=agencies["police"])


@pytest.fixture
def police(client_for: Any) -> Any:
    """The police practitioner who answers it."""
    return client_for("police_practitioner")


@pytest.fixture
def started(police: Any, req: Any) -> Any:
    """The police practitioner, having started answering (on the first page)."""
    walk(police, req, [])
    return police


@pytest.fixture
def at_consent(police: Any, req: Any) -> Any:
    """The police practitioner, having answered every page up to the consent question."""
    walk(police, req, TO_CONSENT)
    return police


def _start(client: Any, req: Any) -> Any:
    return client.post(reverse("sharing:answer-start", kwargs={"request_id": req.pk}))


def _answer(client: Any, req: Any, step: str, data: dict[str, Any]) -> Any:
    return client.post(step_url(req, step), data)


def _share_form(req: Any, **fields: Any) -> dict[str, Any]:
    """The decision page's form sharing one item about the request's first person (the
    child): ``share_form``'s item with ``fields`` (``item-1-…``, or None to leave one out)."""
    return share_form(req.people.first(), **fields)


# What a share on consent does not need: the override's justification and its telling.
_NO_OVERRIDE = {
    "justification": None,
    "informed": None,
    "not_informed_reason": None,
    "proportionality": None,
}


def test_the_first_page_asks_about_a_legitimate_purpose_and_shows_the_request(
    req: Any, police: Any
) -> None:
    response = _start(police, req)
    assert response.status_code == 302
    assert response["Location"] == step_url(req, "purpose")
    page = police.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Is there a clear and legitimate purpose for sharing information?" in text
    assert escape(req.purpose) in text
    for person in req.people.all():
        assert escape(person.full_name) in text
    assert req.enquiry.concern not in text


def test_no_to_identifying_skips_straight_to_the_outcome(req: Any, started: Any) -> None:
    response = _answer(started, req, "purpose", {"legitimate": "yes"})
    assert response["Location"] == step_url(req, "identifies")
    response = _answer(started, req, "identifies", {"identifies_individual": "no"})
    assert response["Location"] == decision_url(req)
    page = started.get(decision_url(req))
    text = page.content.decode()
    assert "Share" in text
    assert "Share only what is necessary for the purpose" in text
    # The pages no longer needed are skipped: asking for them goes on to the outcome.
    assert started.get(step_url(req, "consent"))["Location"] == decision_url(req)


def test_the_panel_waits_until_the_answers_decide(req: Any, police: Any) -> None:
    # Issue 12, item 8: it used to say "Seek advice" before the questions that decide
    # were even asked. It says nothing about the outcome until the answers decide it.
    walk(police, req, TO_CONSENT[:1])
    page = police.get(step_url(req, "identifies")).content.decode()
    panel = page.split('id="outcome-title"', 1)[1].split("</section>", 1)[0]
    assert "The guidance so far" in panel
    assert "depends on the questions still to come" in panel
    for outcome in ("Seek advice", "Do not share", "Share"):
        assert outcome not in panel


def test_a_whole_walk_to_share_on_significant_harm_records_the_decision_and_items(
    req: Any, at_consent: Any
) -> None:
    client = at_consent
    response = _answer(client, req, "consent", {"status": "refused"})
    assert response["Location"] == step_url(req, "harm")
    response = _answer(client, req, "harm", {"significant_harm": "yes", "urgent": "no"})
    assert response["Location"] == decision_url(req)
    response = client.post(decision_url(req), _share_form(req))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(request=req)
    assert response["Location"] == reverse("sharing:decision", kwargs={"decision_id": decision.pk})
    assert decision.outcome == "share"
    assert decision.basis == "significant_harm"
    assert decision.without_consent
    assert decision.items.count() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    actions = list(RecordEntry.objects.values_list("action", flat=True))
    assert "decision.recorded" in actions
    assert "disclosure.made" in actions
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Two call-outs to the address" in page.content.decode()


def test_a_page_without_an_answer_says_what_to_answer(req: Any, started: Any) -> None:
    response = _answer(started, req, "purpose", {})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert 'href="#id_legitimate"' in text
    assert "Select whether there is a legitimate purpose" in text


def test_no_legitimate_purpose_goes_straight_to_do_not_share(req: Any, started: Any) -> None:
    response = _answer(started, req, "purpose", {"legitimate": "no"})
    assert response["Location"] == decision_url(req)
    text = started.get(decision_url(req)).content.decode()
    assert "What the guidance says: Do not share" in text
    assert "Why you are not sharing" in text


def test_valid_consent_skips_the_questions_about_sharing_without_consent(
    req: Any, at_consent: Any
) -> None:
    response = _answer(
        at_consent, req, "consent", {"status": "given", "coverage": "all", "explicit": "no"}
    )
    assert response["Location"] == decision_url(req)
    assert at_consent.get(step_url(req, "harm"))["Location"] == decision_url(req)
    text = at_consent.get(decision_url(req)).content.decode()
    assert "Basis:</strong> Consent" in text


def _partial_consent(client: Any, req: Any, agencies: list[str]) -> Any:
    consent = {"status": "given", "coverage": "some", "agencies": agencies, "explicit": "no"}
    return _answer(client, req, "consent", consent)


def test_partial_consent_that_leaves_out_the_hub_is_not_consent(req: Any, at_consent: Any) -> None:
    response = _partial_consent(at_consent, req, ["health"])
    assert response["Location"] == step_url(req, "harm")


def test_partial_consent_must_name_known_agencies(req: Any, at_consent: Any) -> None:
    response = _partial_consent(at_consent, req, ["nowhere"])
    assert response.status_code == 400
    assert "Select agencies from the list" in response.content.decode()


def test_explicit_consent_needs_its_date_time_and_what_it_covers(req: Any, police: Any) -> None:
    walk(police, req, TO_SENSITIVE_CONSENT)
    consent = {"status": "given", "coverage": "all", "explicit": "yes"}
    response = _answer(police, req, "consent", consent)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter the date consent was given" in text
    assert "Enter the time consent was given" in text
    assert "Enter how explicit consent was given and what information it covers" in text
    response = _answer(
        police,
        req,
        "consent",
        {
            **consent,
            **date_boxes("recorded_date", "2026-01-05"),
            "recorded_time": "10:15",
            "details": "Signed consent form covering health records.",
        },
    )
    assert response["Location"] == decision_url(req)
    item = {
        "item-1-text": "Seen by the health visitor",
        "item-1-source": "Health visitor notes",
        "item-1-sensitive": "yes",
    }
    # Explicit consent to share sensitive information: UK GDPR 6(1)(a) with 9(2)(a).
    basis = {"article_6": "6(1)(a)", "article_9": "9(2)(a)"}
    response = police.post(decision_url(req), _share_form(req, **item, **_NO_OVERRIDE, **basis))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.basis == "consent"
    assert decision.consent_details == "Signed consent form covering health records."
    assert decision.question["consent"]["recorded_at"].startswith("2026-01-05T10:15")


def test_consent_not_sought_needs_the_reason(req: Any, at_consent: Any) -> None:
    response = _answer(at_consent, req, "consent", {"status": "not_sought"})
    assert response.status_code == 400
    assert "Enter the reason consent was not obtained" in response.content.decode()


def test_public_interest_can_be_the_ground_to_share(req: Any, police: Any) -> None:
    walk(
        police,
        req,
        [
            *TO_CONSENT,
            ("consent", {"status": "refused"}),
            ("harm", {"significant_harm": "no", "urgent": "no"}),
            ("other_basis", {"vital_interests": "no", "public_function": "no"}),
        ],
    )
    response = _answer(police, req, "public_interest", {"criteria": ["detection_of_crime"]})
    assert response.status_code == 400
    assert "Select whether the disclosure is proportionate to the aim" in response.content.decode()
    response = _answer(
        police,
        req,
        "public_interest",
        {
            "criteria": ["detection_of_crime"],
            "proportionate": "yes",
            "alternative_means": "no",
            "necessary_to_prevent_or_detect_crime": "yes",
            "necessary_to_protect_others": "no",
            "vulnerability": "high",
            "impact_on_individual": "Low: the father already knows of the investigation.",
        },
    )
    assert response["Location"] == decision_url(req)
    assert "Basis:</strong> Public interest" in police.get(decision_url(req)).content.decode()


def test_changing_an_earlier_answer_drops_the_pages_no_longer_needed(req: Any, police: Any) -> None:
    walk(police, req, TO_SIGNIFICANT_HARM)
    text = police.get(decision_url(req)).content.decode()
    assert "Basis:</strong> Risk of significant harm" in text
    # Back to Q3: not confidential after all.
    response = _answer(police, req, "confidential", {"confidential": "no", "sensitive": "no"})
    assert response["Location"] == decision_url(req)
    text = police.get(decision_url(req)).content.decode()
    assert "The information is not confidential" in text
    assert "Do you have consent" not in text


def test_nothing_personal_goes_in_the_urls_of_the_flow(req: Any, started: Any) -> None:
    response = _answer(started, req, "purpose", {"legitimate": "yes"})
    location = response["Location"]
    for person in req.people.all():
        assert person.first_name not in location
        assert person.last_name not in location
    assert "?" not in location


def test_hub_staff_cannot_answer_on_an_agencys_behalf(req: Any, client_for: Any) -> None:
    client = client_for("hub_practitioner")
    assert _start(client, req).status_code == 403
    assert client.get(step_url(req, "purpose")).status_code == 403
    assert client.get(decision_url(req)).status_code == 403
    page = client.get(reverse("sharing:request", kwargs={"request_id": req.pk}))
    assert page.status_code == 200
    assert "Start answering" not in page.content.decode()


def test_an_unknown_page_is_not_found(req: Any, started: Any) -> None:
    assert started.get(step_url(req, "nonsense")).status_code == 404


def test_the_reason_consent_was_not_obtained_reaches_the_decision(
    req: Any, at_consent: Any
) -> None:
    response = _answer(
        at_consent,
        req,
        "consent",
        {"status": "not_sought", "reason_not_sought": "Seeking it would alert the father."},
    )
    assert response["Location"] == step_url(req, "harm")
    _answer(at_consent, req, "harm", {"significant_harm": "yes", "urgent": "yes"})
    form = _share_form(
        req,
        **{
            **_NO_OVERRIDE,
            "item-1-text": "Known to police",
            "item-1-source": "PNC",
            "item-1-sensitive": None,
            "justification": "Urgent: significant harm.",
            "informed": "told",
            **date_boxes("told_on", timezone.localdate().isoformat()),
        },
    )
    response = at_consent.post(decision_url(req), form)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.question["consent"]["reason_not_sought"] == (
        "Seeking it would alert the father."
    )
    assert "record_reason_consent_not_obtained" in decision.requires
    assert "proportionality_of_override" not in decision.requires
