"""The strategy discussion: when the authorised threshold decision's outcomes include a
strategy discussion (Children Act 1989, section 47), the hub records it: when it was
held, who chaired, the agencies that attended and what each contributed, the decisions,
and the actions agreed, each with an owner, their agency and a due date. Actions are in
their owners' work until marked done. Each write is one transaction with its record
entry (Guidance, Keep a Record); details hold ids and codes, never the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mash.agencies.models import Agency, User
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .models import (
    StrategyAction,
    StrategyAttendance,
    StrategyDiscussion,
    ThresholdDecision,
    ThresholdOutcome,
    ThresholdStatus,
)
from .services import EnquiryError

TEXT_MAX = 10000


@dataclass(frozen=True, kw_only=True)
class Attendance:
    agency_id: str
    attendees: str
    contribution: str


@dataclass(frozen=True, kw_only=True)
class ActionInput:
    description: str
    owner_id: str
    due_on: date
    row: int = 0  # the form's row, so an error names the action the user sees


@dataclass(frozen=True, kw_only=True)
class Meeting:
    """The strategy discussion as the form gives it, validated once by the service."""

    held_at: datetime
    chair_id: str
    decisions: str
    attendances: Sequence[Attendance]
    actions: Sequence[ActionInput]


def calls_for_discussion(decision: ThresholdDecision | None) -> bool:
    return (
        decision is not None
        and decision.status == ThresholdStatus.AUTHORISED
        and ThresholdOutcome.STRATEGY_DISCUSSION in decision.outcomes
    )


def chairs(hub_id: Any) -> list[User]:
    """Who may chair: the hub's active practitioners and managers."""
    return list(
        User.objects.filter(
            agency_id=hub_id, is_active=True, role__in=["practitioner", "manager"]
        ).order_by("last_name", "first_name", "username")
    )


def agencies() -> list[Agency]:
    """The agencies that may attend: every active agency, the hub first."""
    return list(Agency.objects.filter(active=True).order_by("-is_hub", "name"))


def action_owners(hub_id: Any) -> list[User]:
    """Who may own an action: active practitioners and managers of any active agency."""
    return list(
        User.objects.filter(
            Q(agency__active=True) | Q(agency_id=hub_id),
            is_active=True,
            role__in=["practitioner", "manager"],
        )
        .select_related("agency")
        .order_by("-agency__is_hub", "agency__name", "last_name", "first_name", "username")
    )


def _validate(decision: ThresholdDecision, meeting: Meeting) -> dict[str, str]:
    errors: dict[str, str] = {}
    hub_id = decision.enquiry.hub_id
    if meeting.held_at > timezone.now():
        errors["held_date"] = "The strategy discussion must have been held already"
    if meeting.chair_id not in {str(u.pk) for u in chairs(hub_id)}:
        errors["chair"] = "Select who chaired the strategy discussion"
    if not meeting.decisions.strip():
        errors["decisions"] = "Enter the decisions made"
    elif len(meeting.decisions) > TEXT_MAX:
        errors["decisions"] = f"The decisions must be {TEXT_MAX:,} characters or fewer"
    known = {str(a.pk) for a in agencies()}
    if not meeting.attendances:
        errors["attended"] = "Select the agencies that attended"
    for a in meeting.attendances:
        if a.agency_id not in known:
            errors["attended"] = "Select the agencies that attended"
        elif not a.attendees.strip():
            errors[f"attendees_{a.agency_id}"] = "Enter who attended for the agency"
        elif len(a.attendees) > 300:
            errors[f"attendees_{a.agency_id}"] = "Who attended must be 300 characters or fewer"
        if len(a.contribution) > TEXT_MAX:
            errors[f"contribution_{a.agency_id}"] = "The contribution is too long"
    owners = {str(u.pk): u for u in action_owners(hub_id)}
    attended = {a.agency_id for a in meeting.attendances} | {str(hub_id)}
    for i, action in enumerate(meeting.actions, start=1):
        n = action.row or i
        owner = owners.get(action.owner_id)
        if not action.description.strip():
            errors[f"action_{n}_description"] = f"Enter action {n}"
        if owner is None:
            errors[f"action_{n}_owner"] = f"Select who owns action {n}"
        elif str(owner.agency_id) not in attended:
            errors[f"action_{n}_owner"] = (
                f"The owner of action {n} must be in the hub or an agency that attended"
            )
        if action.due_on < timezone.localdate():
            errors[f"action_{n}_due"] = f"The due date of action {n} must be today or later"
    return errors


def record_strategy_discussion(
    *, decision: ThresholdDecision, actor: User, meeting: Meeting
) -> StrategyDiscussion:
    """Record the strategy discussion the authorised decision called for (once)."""
    enquiry = decision.enquiry
    if not permissions.can_record_strategy(actor, enquiry):
        raise PermissionDenied
    if not calls_for_discussion(decision):
        raise EnquiryError("Only an authorised decision for a strategy discussion has one.")
    errors = _validate(decision, meeting)
    if errors:
        raise ValidationError(errors)
    owners = {str(u.pk): u for u in action_owners(enquiry.hub_id)}
    with transaction.atomic():
        current = ThresholdDecision.objects.select_for_update().get(pk=decision.pk)
        if StrategyDiscussion.objects.filter(decision_id=current.pk).exists():
            raise EnquiryError("The strategy discussion has already been recorded.")
        discussion = StrategyDiscussion.objects.create(
            enquiry=enquiry,
            decision=current,
            held_at=meeting.held_at,
            chair_id=meeting.chair_id,
            decisions=meeting.decisions.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        for a in meeting.attendances:
            StrategyAttendance.objects.create(
                discussion=discussion,
                enquiry=enquiry,
                agency_id=a.agency_id,
                attendees=a.attendees.strip(),
                contribution=a.contribution.strip(),
            )
        made = [
            StrategyAction.objects.create(
                discussion=discussion,
                enquiry=enquiry,
                description=action.description.strip(),
                owner=owners[action.owner_id],
                agency_id=int(owners[action.owner_id].agency_id or 0),
                due_on=action.due_on,
            )
            for action in meeting.actions
        ]
        record(
            action=Action.STRATEGY_RECORDED,
            actor=actor,
            obj=discussion,
            enquiry=enquiry,
            details={
                "threshold_decision": str(current.pk),
                "agencies": sorted(a.agency_id for a in meeting.attendances),
                "actions": [str(a.pk) for a in made],
                "owners": [str(a.owner_id) for a in made],
            },
        )
        return discussion


def complete_action(*, action: StrategyAction, actor: User) -> StrategyAction:
    """The owner marks the action done; recorded."""
    with transaction.atomic():
        fresh = StrategyAction.objects.select_for_update().get(pk=action.pk)
        if fresh.done_at is not None:
            raise EnquiryError("This action is already done.")
        if not permissions.can_complete_action(actor, fresh):
            raise PermissionDenied
        fresh.done_at = timezone.now()
        fresh.done_by = actor
        fresh.save(update_fields=["done_at", "done_by"])
        record(
            action=Action.STRATEGY_ACTION_DONE,
            actor=actor,
            obj=fresh,
            enquiry=fresh.enquiry_id,
            details={"discussion": str(fresh.discussion_id), "agency": str(fresh.agency_id)},
        )
    action.done_at, action.done_by = fresh.done_at, actor
    return action


def open_actions_of(user: Any) -> Any:
    """The user's actions still to do, the soonest due first (My work; a partner's
    strategy discussions page)."""
    return (
        StrategyAction.objects.filter(owner_id=user.pk, done_at__isnull=True)
        .select_related("enquiry", "agency")
        .order_by("due_on", "pk")
    )
