"""Walking the guided decision through the pages, as a practitioner would."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

# Page answers that lead to "share, without consent, significant harm" (consent refused).
TO_SIGNIFICANT_HARM = [
    ("purpose", {"legitimate": "yes"}),
    ("identifies", {"identifies_individual": "yes"}),
    ("confidential", {"confidential": "yes", "sensitive": "no"}),
    ("consent", {"status": "refused"}),
    ("harm", {"significant_harm": "yes", "urgent": "no"}),
]
# Page answers that lead to "do not share": no ground applies.
TO_DO_NOT_SHARE = [
    ("purpose", {"legitimate": "yes"}),
    ("identifies", {"identifies_individual": "yes"}),
    ("confidential", {"confidential": "yes", "sensitive": "no"}),
    ("consent", {"status": "refused"}),
    ("harm", {"significant_harm": "no", "urgent": "no"}),
    ("other_basis", {"vital_interests": "no", "public_function": "no"}),
    ("public_interest", {}),
]
# Page answers that lead to "share, without consent, to fulfil a public function": an
# override of a refusal that is not urgent, so it waits for a manager's sign-off.
TO_PUBLIC_FUNCTION = [
    ("purpose", {"legitimate": "yes"}),
    ("identifies", {"identifies_individual": "yes"}),
    ("confidential", {"confidential": "yes", "sensitive": "no"}),
    ("consent", {"status": "refused"}),
    ("harm", {"significant_harm": "no", "urgent": "no"}),
    ("other_basis", {"vital_interests": "no", "public_function": "yes"}),
]
# Page answers that lead to "seek advice": significant harm not known.
TO_SEEK_ADVICE = [
    ("purpose", {"legitimate": "yes"}),
    ("identifies", {"identifies_individual": "yes"}),
    ("confidential", {"confidential": "yes", "sensitive": "no"}),
    ("consent", {"status": "refused"}),
    ("harm", {"significant_harm": "unknown", "urgent": "no"}),
    ("other_basis", {"vital_interests": "no", "public_function": "no"}),
    ("public_interest", {}),
]


def step_url(req: Any, step: str) -> str:
    return reverse("sharing:answer", kwargs={"request_id": req.pk, "step": step})


def decision_url(req: Any) -> str:
    return reverse("sharing:answer-decision", kwargs={"request_id": req.pk})


def walk(client: Any, req: Any, answers: list[tuple[str, dict[str, Any]]]) -> Any:
    """Start answering and post each page; return the last response."""
    response = client.post(reverse("sharing:answer-start", kwargs={"request_id": req.pk}))
    assert response.status_code == 302, response.status_code
    for step, data in answers:
        response = client.post(step_url(req, step), data)
        assert response.status_code == 302, response.content.decode()
    return response


def everyone_answered(enquiry: Any, *, consent: str = "register", harm: str = "yes") -> dict:
    """The questions asked for each person on the decision page, all answered: keep the
    consent register's position and, for each adult, the child's risk of significant
    harm makes sharing their information necessary. Nothing is pre-selected on the page,
    so a complete form answers them; a test overrides one to leave it out or change it."""
    data: dict[str, Any] = {}
    for person in enquiry.people.all():
        data[f"person-{person.pk}-consent"] = consent
        if person.kind != "child":
            data[f"person-{person.pk}-harm"] = harm
    return data


def date_boxes(name: str, iso: str) -> dict[str, str]:
    """A date as the page's GOV.UK date input posts it: ``<name>_day``, ``_month`` and
    ``_year`` ("" for a date left empty)."""
    year, month, day = iso.split("-") if iso else ("", "", "")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def share_form(person: Any, **overrides: Any) -> dict[str, Any]:
    """A complete record form for a share without consent over a refusal."""
    data: dict[str, Any] = {
        **everyone_answered(person.enquiry),
        "action": "record",
        "item_count": "1",
        "item-1-text": "Two call-outs to the address for domestic incidents",
        "item-1-nature": "fact",
        **date_boxes("item-1-recorded_on", "2026-01-10"),
        "item-1-source": "Police command and control log",
        "item-1-currency": "current",
        "item-1-sensitive": "no",
        "item-1-people": [str(person.pk)],
        "item-1-onward_sharing": "ask_first",
        "justification": "The child is at risk of significant harm; the hub needs this now.",
        "informed": "not_told",
        "not_informed_ground": "risk_of_harm",
        "adequacy_confirmed": "yes",
        "not_informed_reason": "Telling the father could increase the risk to the child.",
        "proportionality": "The risk of harm to the child outweighs the refusal.",
        **v2_share_answers(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def v2_share_answers(
    article_6: str = "6(1)(e)", article_9: str = "none", schedule_1: str = "none"
) -> dict[str, str]:
    """What the decision page asks of every share (contract version 2): how it is
    shared, why it is necessary and proportionate, and the lawful basis confirmed (by
    default the public task, as the guidance proposes for a share without consent)."""
    return {
        "how": "hub",
        "necessary": "The hub needs the call-outs to judge the risk to the child.",
        "proportionate": "Only the two recent call-outs, not the whole history.",
        "article_6": article_6,
        "article_9": article_9,
        "schedule_1": schedule_1,
    }


def not_sharing_form(req: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **everyone_answered(req.enquiry),
        "action": "record",
        "item_count": "0",
        "not_sharing_reasons": "Nothing we hold is relevant to the purpose.",
        # Today, now: a discussion can be neither in the future nor before the request.
        **date_boxes("discussed_date", timezone.localdate().isoformat()),
        "discussed_time": timezone.localtime().strftime("%H:%M"),
        "discussed_with": "MASH duty social worker",
        "discussion_notes": "Agreed nothing held is relevant.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def at_decision_page(cast: Any, agencies: Any, client_for: Any, answers: Any) -> tuple[Any, Any]:
    """A request to the police, and the police practitioner's client walked through the
    guidance's pages with ``answers`` up to the decision page."""
    from .factories import make_request

    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, answers)
    return req, client
