"""Partners raise concerns: a partner agency's practitioner tells the hub about a child
(the Multi-Agency Referral Form's questions, the same the hub's intake asks and the same
services write), and it lands in the hub's team queue as a new contact.

Guidance, 7 Golden Rules: partners share proactively. Guidance, Consent to Share
Information: where consent to refer was not obtained the reason is documented. The
contact's clock is the hub's triage deadline: until the hub rates the contact, it is
measured as the hub's Red rating is (``HubClock.rating(None)``), so nothing a partner
raises waits for office hours to be looked at. One transaction, with record entries.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mash.agencies.models import Agency, User
from mash.records.models import Action
from mash.records.services import record

from . import permissions, services
from .models import Concern, Enquiry, EnquiryStatus, PersonKind, Source


@dataclass(frozen=True, kw_only=True)
class ConcernDetails:
    """What the partner's form asks: the referrer's role and contact (their name and
    agency come from their account), the concern in their words, immediate danger, the
    child, and consent to refer (from whom, or why not)."""

    role: str
    contact: str
    concern: str
    immediate_danger: bool
    child: services.PersonDetails
    consent: str
    obtained_from: str = ""
    reason_not_obtained: str = ""


def hubs() -> list[Agency]:
    """The hubs a partner can raise a concern with (usually one)."""
    return list(Agency.objects.filter(is_hub=True, active=True).order_by("name"))


def _new_contact(actor: User, hub: Agency) -> Enquiry:
    year = timezone.localdate().year
    for _attempt in range(10):
        try:
            with transaction.atomic():
                enquiry = Enquiry.objects.create(
                    reference=f"MASH-{year}-{secrets.randbelow(90000) + 10000:05d}",
                    hub=hub,
                    status=EnquiryStatus.DRAFT,
                    created_by=actor,
                )
                record(
                    action=Action.ENQUIRY_CREATED,
                    actor=actor,
                    obj=enquiry,
                    enquiry=enquiry,
                    details={"reference": enquiry.reference, "hub": hub.code, "concern": True},
                )
                return enquiry
        except IntegrityError:
            continue
    raise services.EnquiryError("Could not give the concern a reference number. Try again.")


def raise_concern(*, actor: User, hub: Agency, details: ConcernDetails) -> Concern:
    """Raise the concern: a new contact in ``hub``'s team queue, received now, with the
    hub's triage deadline. Bad input raises ``ValidationError`` naming the field, and
    nothing is saved."""
    if not permissions.can_raise_concern(actor) or not hub.is_hub or not hub.active:
        raise PermissionDenied
    if details.child.kind != PersonKind.CHILD:
        raise ValidationError({"kind": "The concern is about a child"})
    agency = actor.agency
    if agency is None:  # pragma: no cover - can_raise_concern needs an agency
        raise PermissionDenied
    with transaction.atomic():
        enquiry = _new_contact(actor, hub)
        services.update_source(enquiry=enquiry, actor=actor, source=Source.PROFESSIONAL)
        services.update_referrer(
            enquiry=enquiry,
            actor=actor,
            name=actor.get_full_name() or actor.username,
            role=details.role,
            organisation=agency.name,
            contact=details.contact,
        )
        services.update_concern(enquiry=enquiry, actor=actor, concern=details.concern)
        services.update_immediate_danger(
            enquiry=enquiry, actor=actor, immediate_danger=details.immediate_danger
        )
        services.add_person(enquiry=enquiry, actor=actor, details=details.child)
        services.update_consent_to_refer(
            enquiry=enquiry,
            actor=actor,
            consent=details.consent,
            obtained_from=details.obtained_from,
            reason_not_obtained=details.reason_not_obtained,
        )
        from mash.timeliness.config import hub_clock

        now = timezone.now()
        fresh = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        fresh.status = EnquiryStatus.OPEN
        fresh.received_at = now
        fresh.hub_due_at = hub_clock(hub).deadline(now, None)  # triage, until rated
        fresh.save(update_fields=["status", "received_at", "hub_due_at", "updated_at"])
        concern = Concern.objects.create(
            enquiry=fresh, agency=agency, raised_by=actor, raised_at=now
        )
        record(
            action=Action.CONCERN_RAISED,
            actor=actor,
            obj=concern,
            enquiry=fresh,
            details={"reference": fresh.reference, "agency": agency.code, "hub": hub.code},
        )
        record(
            action=Action.ENQUIRY_SUBMITTED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={"reference": fresh.reference, "rag": "", "source": fresh.source, "people": 1},
        )
        return concern


@dataclass(frozen=True)
class Progress:
    """What the raising agency is told of its concern: a state, and the outcome in the
    words the referrer was told, once the hub has sent them."""

    state: str
    colour: str
    outcome: str = ""
    told_at: Any = None


def progress(concern: Concern, feedback: Any = None) -> Progress:
    """``feedback``: the ``Feedback`` sent on the enquiry's authorised decision, if any."""
    enquiry = concern.enquiry
    if feedback is not None:
        return Progress("Outcome sent", "green", outcome=feedback.text, told_at=feedback.sent_at)
    if enquiry.status == EnquiryStatus.CLOSED:
        return Progress("Decision made: the hub will tell you the outcome", "blue")
    if enquiry.owner_id is not None:
        return Progress("Enquiry opened: the hub is looking into it", "light-blue")
    return Progress("Received: waiting in the hub's queue", "grey")


def concern_page(request: Any, user: Any) -> Any:
    """One page of the user's agency's concerns, newest first, each with its progress:
    a COUNT, the page's rows, and one query for the page's feedback (and its keys)."""
    from dataclasses import replace

    from mash.keys.services import prefetch_keys_for
    from mash.lib.paging import page_of

    from .models import Feedback, Person

    page = page_of(
        request,
        permissions.visible_concerns(user)
        .select_related("enquiry", "raised_by")
        .order_by("-raised_at", "pk"),
        per_page=25,
        noun="concerns",
        noun_one="concern",
    )
    ids = [c.enquiry_id for c in page.rows]
    told = {}
    children: dict[Any, list[str]] = {}
    if ids:
        sent = list(Feedback.objects.filter(enquiry_id__in=ids).order_by("sent_at"))
        prefetch_keys_for(sent)
        told = {f.enquiry_id: f for f in sent}
        for p in Person.objects.filter(enquiry_id__in=ids, kind=PersonKind.CHILD):
            children.setdefault(p.enquiry_id, []).append(p.full_name)
    rows = [
        ConcernRow(
            concern=c,
            progress=progress(c, told.get(c.enquiry_id)),
            children=children.get(c.enquiry_id, []),
        )
        for c in page.rows
    ]
    return replace(page, rows=rows)


@dataclass(frozen=True)
class ConcernRow:
    concern: Concern
    progress: Progress
    children: list[str]
