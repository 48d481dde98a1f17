"""Reading deadlines for the pages: each enquiry's deadline and each agency's gauge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Subquery

from mash.enquiries.models import Enquiry
from mash.sharing.models import Decision, InformationRequest, RequestStatus

from .config import HubClock, hub_clock
from .models import Notice, NoticeKind, Notification


@dataclass(frozen=True)
class Gauge:
    """One agency's position on one enquiry: a status in words with a tag colour (the
    words carry the meaning; the colour only repeats it) and the time left."""

    request: InformationRequest
    status: str
    colour: str
    deadline: datetime
    words: str
    escalated: bool


def _status(
    req: InformationRequest, hc: HubClock, now: datetime, answered_at: datetime | None
) -> tuple[str, str, str]:
    code = req.enquiry.rag
    if req.status == RequestStatus.WITHDRAWN:
        return "Withdrawn", "grey", ""
    if req.status == RequestStatus.ANSWERED:
        late = answered_at is not None and answered_at > req.deadline
        return ("Answered late", "pink", "") if late else ("Answered on time", "green", "")
    words = hc.time_left_words(now, req.deadline, code)  # the due time is beside it
    if now > req.deadline:
        return "Overdue", "red", words
    from .services import _due_points

    if _due_points(req, hc, now):
        return "Due soon", "orange", words
    return "On time", "turquoise", words


def enquiry_gauge(enquiry: Enquiry, *, now: datetime) -> list[Gauge]:
    """Each agency asked, most urgent first: overdue, then by deadline."""
    hc = hub_clock(enquiry.hub_id)
    # When each was first answered: the earliest decision's time, read with the request
    # (any decision counts, one awaiting sign-off too), not every decision's row.
    first_decided = (
        Decision.objects.filter(request=OuterRef("pk")).order_by("decided_at").values("decided_at")
    )
    requests = list(
        InformationRequest.objects.filter(enquiry=enquiry)
        .select_related("agency", "enquiry")
        .annotate(first_decided_at=Subquery(first_decided[:1]))
        .order_by("deadline", "agency__name")
    )
    escalated = set(
        Notice.objects.filter(
            request__enquiry=enquiry, kind=NoticeKind.ESCALATION, sent=True
        ).values_list("request_id", flat=True)
    )
    rows = []
    for req in requests:
        status, colour, words = _status(req, hc, now, req.first_decided_at)  # type: ignore[attr-defined]
        rows.append(
            Gauge(
                request=req,
                status=status,
                colour=colour,
                deadline=req.deadline,
                words=words,
                escalated=req.pk in escalated,
            )
        )
    order = {"Overdue": 0, "Due soon": 1, "On time": 2}
    return sorted(rows, key=lambda g: (order.get(g.status, 3), g.deadline))


@dataclass(frozen=True)
class EnquiryDeadline:
    label: str
    colour: str
    deadline: datetime | None
    words: str


def enquiry_deadline(enquiry: Enquiry, *, now: datetime) -> EnquiryDeadline | None:
    """The enquiry's own response deadline, from when it was received and its rating."""
    if enquiry.received_at is None or not enquiry.rag:
        return None
    hc = hub_clock(enquiry.hub_id)
    rating = hc.rating(enquiry.rag)
    due = hc.deadline(enquiry.received_at, enquiry.rag)
    words = "" if enquiry.status == "closed" else hc.words(now, due, enquiry.rag)
    return EnquiryDeadline(label=rating.label, colour=rating.colour, deadline=due, words=words)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
