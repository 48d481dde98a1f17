"""Allocation: each open enquiry has an owner (a hub practitioner or manager) or waits
in the hub's team queue. Three operations, each one transaction with its record entry
(Guidance, 7 Golden Rules, rule 7: "Keep a Record"):

- ``take_enquiry``: a practitioner takes an enquiry from the queue for themself;
- ``assign_enquiry``: a manager gives an enquiry in the queue to a practitioner;
- ``reassign_enquiry``: a manager (or the owner) gives an owned enquiry to someone else,
  or back to the queue.

Who may is decided in ``permissions``; these services check it again, so no caller can
skip it. Record details hold user ids only, never names.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mash.agencies.models import Role, User
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .models import Enquiry, EnquiryStatus
from .services import EnquiryError, _locked, _refresh


def owner_candidates(enquiry: Enquiry) -> list[User]:
    """Who may own the enquiry: active practitioners and managers of its hub (named on
    its restriction, if it has one), by name."""
    users = User.objects.filter(
        agency_id=enquiry.hub_id,
        is_active=True,
        role__in=[Role.PRACTITIONER, Role.MANAGER],
    ).select_related("agency")
    if permissions.is_restricted(enquiry):
        users = users.filter(pk__in=enquiry.restriction.users.values("pk"))
    return [u for u in users.order_by("first_name", "last_name", "username")]


def _open(fresh: Enquiry) -> None:
    if fresh.status != EnquiryStatus.OPEN:
        raise EnquiryError(f"Submit enquiry {fresh.reference} before it is allocated.")


def _entry(action: str, *, actor: User, fresh: Enquiry, previous: Any) -> None:
    record(
        action=action,
        actor=actor,
        obj=fresh,
        enquiry=fresh,
        details={
            "owner": str(fresh.owner_id) if fresh.owner_id else None,
            "previous_owner": str(previous) if previous else None,
        },
    )


def _check_owner(owner: User, fresh: Enquiry) -> None:
    if not permissions.can_own_enquiry(owner, fresh):
        raise ValidationError({"owner": "Select a practitioner or manager of the hub"})


def take_enquiry(*, enquiry: Enquiry, actor: User) -> Enquiry:
    """``actor`` takes an open enquiry from the team queue."""
    with transaction.atomic():
        fresh = _locked(enquiry)
        _open(fresh)
        if fresh.owner_id is not None:
            if fresh.owner_id == actor.pk:
                raise EnquiryError(f"You already own enquiry {fresh.reference}.")
            holder = fresh.owner.display_name if fresh.owner else "a colleague"
            raise EnquiryError(
                f"Enquiry {fresh.reference} is already owned by {holder}. "
                "Ask a manager to reassign it."
            )
        if not permissions.can_take_enquiry(actor, fresh):
            raise PermissionDenied
        fresh.owner = actor
        fresh.save(update_fields=["owner", "updated_at"])
        _entry(Action.ENQUIRY_TAKEN, actor=actor, fresh=fresh, previous=None)
        _refresh(enquiry, fresh)
        return enquiry


def assign_enquiry(*, enquiry: Enquiry, actor: User, owner: User) -> Enquiry:
    """A manager gives an open enquiry waiting in the team queue to ``owner``."""
    with transaction.atomic():
        fresh = _locked(enquiry)
        _open(fresh)
        if not permissions.can_allocate_enquiry(actor, fresh):
            raise PermissionDenied
        if fresh.owner_id is not None:
            raise EnquiryError(
                f"Enquiry {fresh.reference} has been allocated already: reassign it instead."
            )
        _check_owner(owner, fresh)
        fresh.owner = owner
        fresh.save(update_fields=["owner", "updated_at"])
        _entry(Action.ENQUIRY_ASSIGNED, actor=actor, fresh=fresh, previous=None)
        _refresh(enquiry, fresh)
        return enquiry


def reassign_enquiry(*, enquiry: Enquiry, actor: User, owner: User | None) -> Enquiry:
    """A manager, or the owner, gives an owned enquiry to ``owner``, or back to the team
    queue (``owner=None``)."""
    with transaction.atomic():
        fresh = _locked(enquiry)
        _open(fresh)
        if not permissions.can_allocate_enquiry(actor, fresh):
            raise PermissionDenied
        previous = fresh.owner_id
        if previous is None:
            raise EnquiryError(f"Enquiry {fresh.reference} is in the team queue: assign it.")
        if owner is not None:
            _check_owner(owner, fresh)
        if (owner.pk if owner else None) == previous:
            raise ValidationError({"owner": "Select someone other than the current owner"})
        fresh.owner = owner
        fresh.save(update_fields=["owner", "updated_at"])
        _entry(Action.ENQUIRY_REASSIGNED, actor=actor, fresh=fresh, previous=previous)
        _refresh(enquiry, fresh)
        return enquiry
