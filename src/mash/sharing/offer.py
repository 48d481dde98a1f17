"""Information offered without being asked (issue 17: partners raise concerns).

Guidance, 7 Golden Rules, rule 4: "Be proactive: Share with informed consent where
appropriate ... be proactive in sharing information". A partner agency that raised a
concern about a child knows the child it named, and may hold more than it put in the
concern. While the enquiry the concern opened is open, and the agency has not been asked
(the hub asks each agency once per enquiry), the agency can offer what it holds: the
offer is a request of its own agency's, about the people it named in the concern, which
it then answers through the guidance's questions like any request, so the decision, its
consent answers, its items and its record are the same as when the hub asks. Where the
hub has already asked, the agency answers (or corrects its decision on) that request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mash.enquiries.models import Concern, EnquiryStatus
from mash.records.models import Action
from mash.records.services import record
from mash.timeliness.config import hub_clock

from . import permissions
from .models import InformationRequest

OFFER_PURPOSE = (
    "Offered by {agency} without being asked, after raising the concern: what it holds "
    "that the hub should know"
)


def existing_request(concern: Concern) -> InformationRequest | None:
    """The raising agency's request on the concern's enquiry, offered or asked, if any."""
    return InformationRequest.objects.filter(
        enquiry_id=concern.enquiry_id, agency_id=concern.agency_id
    ).first()


def offer_state(user: Any, concern: Concern) -> dict[str, Any]:
    """For the concern's page: the agency's request on the enquiry (``own_request``, or
    None), and whether the user can offer now (``can_offer``: open, not yet asked, and
    one of the raising agency's practitioners or managers)."""
    existing = existing_request(concern)
    return {
        "own_request": existing,
        "can_offer": (
            existing is None
            and concern.enquiry.status == EnquiryStatus.OPEN
            and permissions.can_offer_information(user, concern)
        ),
    }


def offer_information(*, actor: Any, concern: Concern) -> InformationRequest:
    """Open a request of the actor's own agency on the concern's enquiry, about the
    people the agency named in the concern, for the agency to answer at once.

    Refused (PermissionDenied) unless the actor is a practitioner or manager of the
    agency that raised the concern; refused naming the field while the enquiry is not
    open, or where the agency already has a request on it (answer that one instead).
    The deadline is the hub's own for the enquiry's urgency, as if the hub had asked.
    """
    if not permissions.can_offer_information(actor, concern):
        raise PermissionDenied
    enquiry = concern.enquiry
    if enquiry.status != EnquiryStatus.OPEN:
        raise ValidationError(
            {"enquiry": "The hub has closed this enquiry, so nothing more can be offered on it"}
        )
    if existing_request(concern) is not None:
        raise ValidationError(
            {"enquiry": "Your agency already has a request on this enquiry: answer that one"}
        )
    people = list(enquiry.people.filter(created_at__lte=concern.raised_at))
    now = timezone.now()
    due = hub_clock(enquiry.hub).deadline(now, enquiry.rag or None) or now + dt.timedelta(days=1)
    try:
        with transaction.atomic():
            offered = InformationRequest.objects.create(
                enquiry=enquiry,
                agency=concern.agency,
                purpose=OFFER_PURPOSE.format(agency=concern.agency.name),
                deadline=due,
                created_by=actor,
                offered=True,
            )
            offered.people.set(people)
            record(
                action=Action.REQUEST_OFFERED,
                actor=actor,
                obj=offered,
                enquiry=enquiry,
                details={
                    "agency": concern.agency.code,
                    "concern": str(concern.pk),
                    "people": sorted(str(p.pk) for p in people),
                },
            )
    except IntegrityError:  # another practitioner of the agency offered meanwhile
        raise ValidationError(
            {"enquiry": "Your agency already has a request on this enquiry: answer that one"}
        ) from None
    return offered
