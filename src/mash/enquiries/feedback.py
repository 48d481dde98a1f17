"""Feedback to the referrer: once a manager authorises the threshold decision, the
referrer is told the outcome in words fit for them, by e-mail through the hub's mail
(or, for a referrer with no e-mail address, by telephone, recorded with the time).

Local MASH procedures: feedback to professional referrers within one working day of the
decision (``FEEDBACK_WORKING_DAYS`` on the hub's working clock). Guidance, Principles,
Relevant: nothing a partner agency shared goes to the referrer unless the agency marked
the item as one the hub may pass on and the practitioner chose it. Each sending is one
transaction with its record entry (Guidance, Keep a Record); the details hold ids and
codes, never the words sent or the address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from string import Template
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mash.agencies.models import User
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .deadlines import Rating, deadline
from .feedback_defaults import DEFAULT_TEMPLATES, GREETING, SIGN_OFF
from .models import (
    Enquiry,
    Feedback,
    FeedbackMethod,
    FeedbackTemplate,
    Source,
    ThresholdDecision,
    ThresholdOutcome,
    ThresholdStatus,
)
from .services import EnquiryError

FEEDBACK_WORKING_DAYS = float(getattr(settings, "MASH_FEEDBACK_WORKING_DAYS", 1))
TEXT_MAX = 10000


class FeedbackNotSent(EnquiryError):
    """The hub's mail refused the message: nothing was recorded."""

    def __init__(self) -> None:
        super().__init__(
            "The e-mail could not be sent, so nothing was recorded. Try again, or tell the "
            "referrer by telephone and record that instead."
        )


def feedback_due(hub_id: Any, decided: datetime) -> datetime:
    """One working day (``FEEDBACK_WORKING_DAYS``) after ``decided`` on the hub's clock."""
    from mash.timeliness.config import hub_clock

    clock = hub_clock(hub_id).clock
    hours = clock.working_day_length.total_seconds() / 3600 * FEEDBACK_WORKING_DAYS
    rating = Rating(code="green", label="Feedback", colour="blue", hours=hours)
    due = deadline(decided, rating, clock)
    if due is None:  # pragma: no cover - a rating with hours always has a deadline
        raise ValueError("no feedback deadline")
    return due


def feedback_owed(enquiry: Enquiry) -> bool:
    """Professional referrers are owed feedback on the hub's clock; a member of the
    public may be told (the hub chooses); an anonymous referrer cannot be."""
    return enquiry.source == Source.PROFESSIONAL


def can_be_told(enquiry: Enquiry) -> bool:
    return enquiry.source in {Source.PROFESSIONAL, Source.PUBLIC}


def email_of(enquiry: Enquiry) -> str:
    """The referrer's contact, if it is an e-mail address."""
    contact = (enquiry.referrer_contact or "").strip()
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def templates_for(hub_id: Any) -> dict[str, str]:
    """The words for each outcome: the hub's own template, else the default one, else
    the built-in default (a database the seeding migration never reached)."""
    found = dict(DEFAULT_TEMPLATES)
    rows = FeedbackTemplate.objects.filter(hub_id__isnull=True) | FeedbackTemplate.objects.filter(
        hub_id=hub_id
    )
    for row in sorted(rows, key=lambda r: r.hub_id is not None):
        found[row.outcome] = row.text
    return found


def draft_text(decision: ThresholdDecision, enquiry: Enquiry) -> str:
    """The feedback's first draft: a greeting, the template of each outcome, a sign-off."""
    words = templates_for(enquiry.hub_id)
    parts = [GREETING]
    for code in decision.outcomes:
        text = words.get(code, "")
        if code == ThresholdOutcome.REFERRAL and decision.referral_service:
            text = f"{text} The service is: {decision.referral_service}."
        if text:
            parts.append(text)
    parts.append(SIGN_OFF)
    values = {
        "reference": enquiry.reference,
        "referrer_name": enquiry.referrer_name or "referrer",
        "hub": enquiry.hub.name,
    }
    return "\n\n".join(Template(p).safe_substitute(values) for p in parts)


def items_that_may_be_passed_on(enquiry: Enquiry) -> list[Any]:
    """The items the agencies shared under their current decisions and marked as ones
    the hub may pass on outside the hub: the only partner information the referrer may
    be given."""
    from mash.sharing.models import OnwardSharing

    from .selectors import answers

    found = []
    for decision in answers(enquiry).decisions:
        for item in decision.items.all():
            if item.onward_sharing == OnwardSharing.MAY_PASS_ON:
                item.agency_name = decision.agency.name  # type: ignore[attr-defined]
                found.append(item)
    return found


def _body(text: str, items: Sequence[Any]) -> str:
    if not items:
        return text
    lines = [text, "", "Information the agencies agreed may be passed on to you:"]
    for item in items:
        lines.append(f"- {item.text} ({item.agency_name}, recorded {item.recorded_on:%d %B %Y})")
    return "\n".join(lines)


def send_feedback(
    *,
    decision: ThresholdDecision,
    actor: User,
    method: str,
    email: str,
    text: str,
    item_ids: Sequence[str],
) -> Feedback:
    """Tell the referrer the outcome: by e-mail (validated; sent through Django's mail
    inside the transaction, so a refusal records nothing) or, for a referrer without
    e-mail, recorded as told by telephone now. Once per authorised decision."""
    enquiry = decision.enquiry
    if not permissions.can_send_feedback(actor, enquiry):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if method not in FeedbackMethod.values:
        errors["method"] = "Select how you are telling the referrer"
    email = email.strip()
    if method == FeedbackMethod.EMAIL:
        if not email:
            errors["email"] = "Enter the referrer's e-mail address"
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = (
                    "Enter an e-mail address in the correct format, like name@example.org"
                )
    text = text.strip()
    if not text:
        errors["text"] = "Enter what the referrer is told"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"The feedback must be {TEXT_MAX:,} characters or fewer"
    allowed = {str(i.pk): i for i in items_that_may_be_passed_on(enquiry)}
    chosen = [allowed[i] for i in dict.fromkeys(item_ids) if i in allowed]
    if len(chosen) != len(set(item_ids)):
        errors["items"] = "Select only items the agencies marked as ones the hub may pass on"
    if not can_be_told(enquiry):
        errors["method"] = "An anonymous referrer cannot be told the outcome"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = ThresholdDecision.objects.select_for_update().get(pk=decision.pk)
        if current.status != ThresholdStatus.AUTHORISED:
            raise EnquiryError("Feedback is sent once a manager has authorised the decision.")
        if Feedback.objects.filter(decision_id=current.pk).exists():
            raise EnquiryError("Feedback on this decision has already been sent.")
        feedback = Feedback.objects.create(
            decision=current,
            enquiry=enquiry,
            method=method,
            sent_to=email if method == FeedbackMethod.EMAIL else "",
            text=text,
            sent_by=actor,
            sent_at=timezone.now(),
        )
        feedback.items.set(chosen)
        due = current.feedback_due_at
        record(
            action=Action.FEEDBACK_SENT,
            actor=actor,
            obj=feedback,
            enquiry=enquiry,
            details={
                "threshold_decision": str(current.pk),
                "method": method,
                "items": [str(i.pk) for i in chosen],
                "late": bool(due and feedback.sent_at > due),
            },
        )
        if method == FeedbackMethod.EMAIL:
            message = EmailMessage(
                subject=f"The outcome of your referral {enquiry.reference}",
                body=_body(text, chosen),
                to=[email],
            )
            try:
                message.send(fail_silently=False)
            except Exception as failure:  # any mail failure: nothing is saved
                raise FeedbackNotSent() from failure
        return feedback
