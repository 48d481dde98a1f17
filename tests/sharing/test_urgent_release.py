"""Urgency releases, review follows (issue 12, item 5).

Guidance, Consent to Share Information: "If the need to share is urgent, and seeking
consent will lead to unjustified delay in making enquiries about allegations of
significant harm to a child, or if safeguarding is paramount, take immediate action and
share the information without consent, but remember to record the reason for the
decision." So a share over a refusal on significant harm or urgency, or on a Red
enquiry, reaches the hub at once and the manager's sign-off becomes a review after the
event, due on the hub's clock; a non-urgent override still waits for sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import Decision, RequestStatus
from mash.timeliness import services as timeliness
from mash.timeliness.config import hub_clock
from mash.timeliness.models import Notice, Notification

from .advice_helpers import signoff_url
from .factories import SIGNIFICANT_HARM, make_enquiry, make_person, make_request, share_over_refusal

LIST = reverse("sharing:signoff-list")


def _decision_url(decision: Decision) -> str:
    return reverse("sharing:decision", kwargs={"decision_id": decision.pk})


def _enquiry_url(req: Any) -> str:
    return reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})


@pytest.fixture
def req(cast: Any, agencies: Any) -> Any:
    """A police request about a child and a parent, on an Amber enquiry."""
    return make_request(cast=cast, agency=agencies["police"])


@pytest.fixture
def urgent(cast: Any, req: Any) -> Decision:
    """The police practitioner's share over a refusal, on significant harm."""
    return share_over_refusal(
        cast["police_practitioner"], req, people=[req.people.first()], question=SIGNIFICANT_HARM
    )


def test_an_urgent_share_over_a_refusal_reaches_the_hub_at_once(
    req: Any, urgent: Decision, client_for: Any
) -> None:
    assert urgent.release == "released"
    assert urgent.released_at == urgent.decided_at
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    assert not RecordEntry.objects.filter(action="decision.held").exists()
    assert RecordEntry.objects.filter(action="disclosure.made").count() == 1
    entry = RecordEntry.objects.get(action="decision.recorded")
    assert entry.details["review_due"] == urgent.review_due.isoformat()
    hub = client_for("hub_practitioner")
    assert "Two call-outs for domestic incidents" in hub.get(_enquiry_url(req)).content.decode()
    record_page = hub.get(_decision_url(urgent)).content.decode()
    assert "review after release" in record_page
    assert "Review after release" in record_page


def test_the_review_is_due_on_the_hub_s_clock_for_the_enquiry_s_rating(
    agencies: Any, urgent: Decision
) -> None:
    due = hub_clock(agencies["hub"]).deadline(urgent.decided_at, "amber")
    assert urgent.review_due == due
    assert urgent.review_due > urgent.decided_at


def test_a_red_enquiry_releases_a_non_urgent_override_at_once(cast: Any, agencies: Any) -> None:
    enquiry = make_enquiry(hub=agencies["hub"], created_by=cast["hub_practitioner"], rag="red")
    red = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[make_person(enquiry)]
    )
    decision = share_over_refusal(cast["police_practitioner"], red)
    assert decision.basis == "public_function"
    assert decision.release == "released"
    assert decision.review_due == hub_clock(agencies["hub"]).deadline(decision.decided_at, "red")


def test_a_non_urgent_override_still_waits_for_sign_off(cast: Any, req: Any) -> None:
    decision = share_over_refusal(cast["police_practitioner"], req)
    assert decision.release == "awaiting_signoff"
    assert decision.review_due is None


def test_the_managers_are_told_to_review_it(urgent: Decision) -> None:
    notice = Notice.objects.get(key=f"review-awaited:{urgent.pk}")
    users = set(notice.notifications.values_list("user__username", flat=True))
    assert users and "priya" not in users
    [note] = Notification.objects.filter(notice=notice)[:1]
    assert note.link == signoff_url(urgent)
    assert "released to the" in note.body


def test_the_manager_sees_it_in_the_queue_as_review_after_release_and_agrees(
    cast: Any, urgent: Decision, client_for: Any
) -> None:
    manager = client_for("police_manager")
    listing = manager.get(LIST).content.decode()
    assert signoff_url(urgent) in listing
    assert "Review after release" in listing
    page = manager.get(signoff_url(urgent)).content.decode()
    assert "Review sharing without consent after release" in page
    assert "Do you agree with sharing this without consent?" in page
    response = manager.post(signoff_url(urgent), {"review": "agree"})
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.review_agreed is True
    assert urgent.signoff_by == cast["police_manager"]
    assert urgent.release == "released"
    entry = RecordEntry.objects.get(action="decision.reviewed")
    assert entry.details["agreed"] is True
    assert signoff_url(urgent) not in manager.get(LIST).content.decode()
    record_page = client_for("hub_practitioner").get(_decision_url(urgent)).content.decode()
    assert "Reviewed by Paul Tester" in record_page
    assert "agreed" in record_page


def test_a_disagreement_needs_a_note_and_is_shown_on_the_record(
    urgent: Decision, client_for: Any
) -> None:
    manager = client_for("police_manager")
    for data, field in (({}, "review"), ({"review": "disagree"}, "review_note")):
        response = manager.post(signoff_url(urgent), data)
        assert response.status_code == 400
        assert f'href="#id_{field}"' in response.content.decode()
    assert not RecordEntry.objects.filter(action="decision.reviewed").exists()
    response = manager.post(
        signoff_url(urgent), {"review": "disagree", "review_note": "Only the dates were needed."}
    )
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.review_agreed is False
    entry = RecordEntry.objects.get(action="decision.reviewed")
    assert "dates" not in str(entry.details)
    page = client_for("police_practitioner").get(_decision_url(urgent)).content.decode()
    assert "Disagreed" in page and "Only the dates were needed." in page


def test_sign_off_is_refused_for_a_decision_released_before_review(
    cast: Any, urgent: Decision
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.sign_off(actor=cast["police_manager"], decision=urgent, approve=True)


def test_an_overdue_review_is_escalated_once(urgent: Decision) -> None:
    later = urgent.review_due + dt.timedelta(minutes=1)
    timeliness.scan(now=later)
    timeliness.scan(now=later + dt.timedelta(minutes=5))
    assert Notice.objects.filter(key=f"review-overdue:{urgent.pk}").count() == 1


def test_a_review_in_time_is_not_escalated(cast: Any, urgent: Decision) -> None:
    services.review_release(actor=cast["police_manager"], decision=urgent, agree=True)
    timeliness.scan(now=urgent.review_due + dt.timedelta(hours=1))
    assert not Notice.objects.filter(key=f"review-overdue:{urgent.pk}").exists()
    assert timezone.now() < urgent.review_due
