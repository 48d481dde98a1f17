"""Reading requests for the sharing app's list pages. Each list is one page done in the
database (``mash.lib.paging``): the rows shown, what they show loaded with them in a
fixed number of queries (``select_related``, one ``prefetch_related`` query a relation),
and the data keys of every sealed value on the page fetched in one query
(``mash.keys.services.prefetch_keys_for``), so a page costs the same queries for three
requests or three thousand and loads no row it does not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, prefetch_related_objects
from django.http import HttpRequest

from mash.enquiries import permissions as enquiry_permissions
from mash.keys.services import prefetch_keys_for
from mash.lib.paging import Page, page_of, row_count

from . import permissions
from .models import InformationRequest, OnwardAsk, OnwardAskStatus, RequestStatus


@dataclass(frozen=True)
class Inbox:
    """The two tabs of an inbox, each one page: requests awaiting a decision (the
    soonest deadline first, so overdue ones lead) and those answered or withdrawn
    (newest first). Requests about a restricted enquiry the user is not named on carry
    ``redacted = True`` and nothing of the enquiry but its reference was loaded."""

    open: Page[InformationRequest]
    answered: Page[InformationRequest]
    # A partner's inbox: the hub's asks to pass its items on, waiting for its answer,
    # across all its requests (each row shown carries its own ``onward_waiting``).
    onward_waiting: int = 0

    @property
    def shown(self) -> list[InformationRequest]:
        return [*self.open.rows, *self.answered.rows]


def open_requests(user: Any) -> QuerySet[InformationRequest]:
    """Awaiting a decision, most urgent first: deadline soonest (overdue first), then
    the newest (index ``request_agency_due``, ``request_status_due``)."""
    return (
        permissions.visible_requests(user)
        .filter(status=RequestStatus.OPEN)
        .select_related("enquiry", "agency")
        .order_by("deadline", "-created_at", "pk")
    )


def answered_requests(user: Any) -> QuerySet[InformationRequest]:
    """Answered or withdrawn, newest first (index ``request_agency_newest``)."""
    return (
        permissions.visible_requests(user)
        .filter(status__in=[RequestStatus.ANSWERED, RequestStatus.WITHDRAWN])
        .select_related("enquiry", "agency")
        .order_by("-created_at", "pk")
    )


def _with_onward_asks(qs: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    """Each request with the number of the hub's asks to pass its items on that wait
    for the agency's answer (onward sharing by the hub): a count for each row shown.
    (As a grouped count over joins, the database joined and grouped every request of
    the tab before sorting and cutting the page: the police inbox's answered tab took
    a second alone at ten years' size, 16 s p50 under 20 users.)"""
    return qs.annotate(
        onward_waiting=row_count(
            OnwardAsk.objects.filter(
                item__decision__request=OuterRef("pk"), status=OnwardAskStatus.ASKED
            ),
            "item__decision__request",
        )
    )


def inbox(request: HttpRequest, user: Any) -> Inbox:
    """A partner agency's requests, or (hub staff) every request of the hub: two pages
    (``?open=N``, ``?answered=N``) in a fixed number of queries. Each tab is counted on
    its own, only so far past its page (``mash.lib.paging``): one count of both tabs
    in one aggregate read every request the agency ever had, 97,000 for the police at
    ten years' size (about 100 ms of each view)."""
    visible = permissions.visible_requests(user)
    partner = not permissions.is_hub_staff(user)
    opened, answered = open_requests(user), answered_requests(user)
    waiting = 0
    if partner:
        opened, answered = _with_onward_asks(opened), _with_onward_asks(answered)
        waiting = OnwardAsk.objects.filter(
            status=OnwardAskStatus.ASKED, item__decision__request__in=visible
        ).count()
    found = Inbox(
        onward_waiting=waiting,
        open=page_of(
            request,
            opened,
            count=visible.filter(status=RequestStatus.OPEN),
            param="open",
            fragment="open",
            noun="requests",
            noun_one="request",
        ),
        answered=page_of(
            request,
            answered,
            count=visible.filter(status__in=[RequestStatus.ANSWERED, RequestStatus.WITHDRAWN]),
            param="answered",
            fragment="answered",
            noun="requests",
            noun_one="request",
        ),
    )
    rows = found.shown
    hidden = enquiry_permissions.restricted_for(user, {r.enquiry_id for r in rows})
    for row in rows:
        row.redacted = row.enquiry_id in hidden  # type: ignore[attr-defined]
    # Only what is shown: the people and purpose of a redacted request are not loaded.
    readable = [row for row in rows if row.enquiry_id not in hidden]
    prefetch_related_objects(readable, "people")
    prefetch_keys_for(readable)
    return found
