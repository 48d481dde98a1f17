"""Requests with known sending, deadline and answer times, for the report's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mash.sharing import services
from mash.sharing.models import Decision, InformationRequest
from tests.sharing.factories import CONSENTED, an_item, make_enquiry, make_person


def sent(
    cast: Any,
    agency: Any,
    *,
    at: dt.datetime,
    due_hours: float = 24,
    answered_after: float | None = None,
    rag: str = "amber",
) -> InformationRequest:
    """A request sent at ``at``, due ``due_hours`` later, answered (and released)
    ``answered_after`` hours after sending, or not answered."""
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user, rag=rag)
    person = make_person(enquiry)
    [req] = services.send_requests(
        actor=hub_user,
        enquiry=enquiry,
        agencies=[agency],
        people=[person],
        purpose="What is known about the child",
        deadline=timezone.now() + dt.timedelta(hours=1),
    )
    InformationRequest.objects.filter(pk=req.pk).update(
        created_at=at, deadline=at + dt.timedelta(hours=due_hours)
    )
    if answered_after is not None:
        practitioner = "police_practitioner" if agency.code == "police" else "health_practitioner"
        decision = services.record_decision(
            actor=cast[practitioner],
            request=req,
            question=CONSENTED,
            items=[an_item([person])],
            adequacy_confirmed=True,
        )
        when = at + dt.timedelta(hours=answered_after)
        Decision.objects.filter(pk=decision.pk).update(decided_at=when, released_at=when)
    req.refresh_from_db()
    return req
