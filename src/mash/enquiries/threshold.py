"""The threshold decision: the hub decides the child's level of need on its continuum
and what happens next (one or more outcomes), with its rationale; a manager authorises
it, and only then does the enquiry close, or sends it back with a reason.

Local MASH procedures: a decision within 24 hours of the contact
(``DECISION_HOURS``, from the enquiry's receipt), authorised by a manager. Each
operation is one transaction with its record entry (Guidance, Keep a Record); record
details hold ids and codes, never the rationale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.models import User
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .models import (
    Enquiry,
    EnquiryStatus,
    NeedLevel,
    ThresholdDecision,
    ThresholdOutcome,
    ThresholdStatus,
)
from .services import EnquiryError, RequestsOutstanding, _locked, _refresh

# The hub's clock for the decision, from receipt (hours, elapsed).
DECISION_HOURS = float(getattr(settings, "MASH_THRESHOLD_DECISION_HOURS", 24))

# A four-level continuum of need, as many local authorities publish it; a hub changes
# the names and descriptions in the admin.
DEFAULT_CONTINUUM = [
    (
        "Universal",
        "Needs met by universal services (school, GP, health visitor): no additional "
        "support needed.",
    ),
    (
        "Early help",
        "Additional needs best met by a coordinated early help offer, with the family's agreement.",
    ),
    (
        "Targeted: child in need",
        "Complex needs: the child is unlikely to reach a reasonable standard of health or "
        "development without services (Children Act 1989, section 17).",
    ),
    (
        "Specialist: child protection",
        "Acute needs: reasonable cause to suspect the child is suffering, or likely to "
        "suffer, significant harm (Children Act 1989, section 47).",
    ),
]

RATIONALE_MAX = 10000


def decision_due(enquiry: Enquiry) -> datetime | None:
    """When the hub's threshold decision is due: ``DECISION_HOURS`` after receipt."""
    if enquiry.received_at is None:
        return None
    return enquiry.received_at + timedelta(hours=DECISION_HOURS)


def levels_for(hub: Any) -> list[NeedLevel]:
    """The hub's active levels of need, lowest first. A hub that has configured none is
    given the default four-level continuum (then changed in the admin)."""
    hub_id = getattr(hub, "pk", hub)
    levels = list(NeedLevel.objects.filter(hub_id=hub_id, active=True).order_by("position"))
    if levels or NeedLevel.objects.filter(hub_id=hub_id).exists():
        return levels
    return ensure_default_continuum(hub_id)


def ensure_default_continuum(hub: Any) -> list[NeedLevel]:
    """Give the hub the default four levels if it has none (``mash demo`` calls this)."""
    hub_id = getattr(hub, "pk", hub)
    with transaction.atomic():
        if not NeedLevel.objects.filter(hub_id=hub_id).exists():
            NeedLevel.objects.bulk_create(
                NeedLevel(hub_id=hub_id, position=n, name=name, description=text)
                for n, (name, text) in enumerate(DEFAULT_CONTINUUM, start=1)
            )
    return list(NeedLevel.objects.filter(hub_id=hub_id, active=True).order_by("position"))


def current_decision(enquiry: Enquiry) -> ThresholdDecision | None:
    """The latest threshold decision of the enquiry, if any."""
    return (
        ThresholdDecision.objects.filter(enquiry_id=enquiry.pk)
        .select_related("level", "decided_by", "reviewed_by")
        .order_by("-decided_at")
        .first()
    )


def _outstanding(fresh: Enquiry) -> None:
    from mash.sharing.models import RequestStatus

    waiting = sorted({r.agency.name for r in fresh.requests.filter(status=RequestStatus.OPEN)})
    if waiting:
        raise RequestsOutstanding(waiting)


def _validate(
    *, hub_id: Any, level_id: str, outcomes: Sequence[str], referral_service: str, rationale: str
) -> tuple[NeedLevel | None, list[str], dict[str, str]]:
    errors: dict[str, str] = {}
    level = (
        NeedLevel.objects.filter(hub_id=hub_id, active=True, pk=level_id).first()
        if str(level_id).isdigit()
        else None
    )
    if level is None:
        errors["level"] = "Select the child's level of need"
    chosen = [c for c in ThresholdOutcome.values if c in set(outcomes)]
    if not chosen or len(chosen) != len(set(outcomes)):
        errors["outcomes"] = "Select at least one outcome"
    elif ThresholdOutcome.NO_FURTHER_ACTION in chosen and len(chosen) > 1:
        errors["outcomes"] = "No further action cannot be chosen with another outcome"
    if ThresholdOutcome.REFERRAL in chosen and not referral_service.strip():
        errors["referral_service"] = "Enter the service the child is referred to"
    if len(referral_service) > 200:
        errors["referral_service"] = "The service must be 200 characters or fewer"
    if not rationale.strip():
        errors["rationale"] = "Enter the rationale for the decision"
    elif len(rationale) > RATIONALE_MAX:
        errors["rationale"] = f"The rationale must be {RATIONALE_MAX} characters or fewer"
    return level, chosen, errors


def record_threshold_decision(
    *,
    enquiry: Enquiry,
    actor: User,
    level_id: str,
    outcomes: Sequence[str],
    referral_service: str,
    rationale: str,
) -> ThresholdDecision:
    """Record the hub's threshold decision; it waits for a manager's authorisation.
    Refused while a request awaits an agency's decision, or while an earlier decision
    still waits for authorisation."""
    if not permissions.can_close_enquiry(actor, enquiry):
        raise PermissionDenied
    level, chosen, errors = _validate(
        hub_id=enquiry.hub_id,
        level_id=level_id,
        outcomes=outcomes,
        referral_service=referral_service,
        rationale=rationale,
    )
    if errors or level is None:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(enquiry)
        if fresh.status != EnquiryStatus.OPEN:
            raise EnquiryError("Submit the enquiry before you record the threshold decision.")
        _outstanding(fresh)
        if ThresholdDecision.objects.filter(
            enquiry_id=fresh.pk, status=ThresholdStatus.AWAITING
        ).exists():
            raise EnquiryError("A threshold decision is already waiting for a manager.")
        decision = ThresholdDecision.objects.create(
            enquiry=fresh,
            level=level,
            outcomes=chosen,
            referral_service=referral_service.strip()
            if ThresholdOutcome.REFERRAL in chosen
            else "",
            rationale=rationale.strip(),
            decided_by=actor,
            decided_at=timezone.now(),
        )
        record(
            action=Action.THRESHOLD_RECORDED,
            actor=actor,
            obj=decision,
            enquiry=fresh,
            details={"level": level.position, "outcomes": chosen},
        )
        _refresh(enquiry, fresh)
        return decision


def _for_review(decision: ThresholdDecision, actor: User) -> Enquiry:
    fresh = _locked(decision.enquiry)
    current = ThresholdDecision.objects.select_for_update().get(pk=decision.pk)
    if current.status != ThresholdStatus.AWAITING:
        raise EnquiryError("This threshold decision has already been reviewed.")
    if not permissions.can_authorise_threshold(actor, current):
        raise PermissionDenied
    return fresh


def authorise_threshold_decision(*, decision: ThresholdDecision, actor: User) -> ThresholdDecision:
    """A manager (not the one who decided) authorises the decision, and the enquiry
    closes with it."""
    with transaction.atomic():
        fresh = _for_review(decision, actor)
        _outstanding(fresh)
        now = timezone.now()
        decision.status = ThresholdStatus.AUTHORISED
        decision.reviewed_by = actor
        decision.reviewed_at = now
        # Feedback to a professional referrer is due a working day after the decision.
        from .feedback import feedback_due, feedback_owed

        decision.feedback_due_at = feedback_due(fresh.hub_id, now) if feedback_owed(fresh) else None
        decision.save(update_fields=["status", "reviewed_by", "reviewed_at", "feedback_due_at"])
        fresh.status = EnquiryStatus.CLOSED
        fresh.closed_at = now
        fresh.closed_by = actor
        fresh.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
        record(
            action=Action.THRESHOLD_AUTHORISED,
            actor=actor,
            obj=decision,
            enquiry=fresh,
            details={"outcomes": list(decision.outcomes)},
        )
        record(
            action=Action.ENQUIRY_CLOSED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={
                "reference": fresh.reference,
                "threshold_decision": str(decision.pk),
                "outcomes": list(decision.outcomes),
            },
        )
        _refresh(decision.enquiry, fresh)
        return decision


def return_threshold_decision(
    *, decision: ThresholdDecision, actor: User, reason: str
) -> ThresholdDecision:
    """A manager sends the decision back with a reason; the hub records a new one."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are sending the decision back"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "The reason must be 2000 characters or fewer"})
    with transaction.atomic():
        fresh = _for_review(decision, actor)
        decision.status = ThresholdStatus.RETURNED
        decision.reviewed_by = actor
        decision.reviewed_at = timezone.now()
        decision.return_reason = reason.strip()
        decision.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
        record(action=Action.THRESHOLD_RETURNED, actor=actor, obj=decision, enquiry=fresh)
        return decision
