"""Repeat referrals: the national measure, defined once (issues 14 and 18).

An enquiry is a **repeat referral** when a child recorded in it (``PersonKind.CHILD``),
linked in the person index, was also a child in another of the hub's enquiries received
in the twelve months before it: ``earlier.received_at`` in ``[received - 365 days,
received)``. Only enquiries the hub received count (a draft is not a contact yet), only
children count (an adult's earlier enquiry is not a referral about a child), and only
earlier enquiries (a later one makes *that* one the repeat). A person not linked in the
index (not yet indexed, or only a possible match) cannot make a repeat: a suggestion is
never a link.

Two readings of the one rule (``_earlier``):

- ``repeat_referrals(enquiry)``: for the enquiry page, each child of one enquiry with the
  number of earlier enquiries; one grouped query.
- ``repeat_enquiries(hub, ...)``: the ids of the hub's repeat referrals, for
  ``pk__in`` (the reports count them per period). Not an ``Exists`` per enquiry: inside
  a ``COUNT(...) FILTER`` PostgreSQL runs a correlated ``EXISTS`` once a row, which took
  over a minute at 5,000 enquiries (tests/bench/README.md).

Every step is on an index: the enquiry's people (``enquiries_person.enquiry_id``), their
link (``people_personlink.person_id``, unique), the indexed person's other links
(``indexed_person, linked_at``), and each earlier person's enquiry (its primary key).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Max,
    QuerySet,
)

from mash.enquiries.models import Enquiry, EnquiryStatus, Person, PersonKind

#: The national measure of a repeat referral: another within twelve months.
REPEAT_WITHIN = dt.timedelta(days=365)

# Enquiries the hub received (a draft is not yet a contact).
RECEIVED = [EnquiryStatus.OPEN, EnquiryStatus.CLOSED]


def _earlier(prefix: str, *, hub: Any, received: Any) -> dict[str, Any]:
    """The rule's filter on the *earlier* side: the path ``prefix`` reaches the earlier
    record of the same indexed person (an ``enquiries.Person``); ``hub`` and ``received``
    are the later enquiry's hub and receipt (values, or expressions such as ``F()``)."""
    if isinstance(received, dt.datetime):
        since: Any = received - REPEAT_WITHIN
    else:
        since = ExpressionWrapper(received - REPEAT_WITHIN, output_field=DateTimeField())
    return {
        f"{prefix}__kind": PersonKind.CHILD,
        f"{prefix}__enquiry__hub": hub,
        f"{prefix}__enquiry__status__in": RECEIVED,
        f"{prefix}__enquiry__received_at__lt": received,
        f"{prefix}__enquiry__received_at__gte": since,
    }


def repeat_enquiries(
    hub: Any, received_from: dt.datetime | None = None, received_before: dt.datetime | None = None
) -> QuerySet[Person, Any]:
    """The ids (``enquiry_id``) of the hub's repeat referrals, received in
    ``[received_from, received_before)`` when given: one self-join of the index's links
    (each child to the earlier records of the same indexed person), not a subquery per
    enquiry. Use it as ``pk__in`` in a WHERE clause (PostgreSQL plans a semi-join)."""
    later = Person.objects.filter(
        kind=PersonKind.CHILD, enquiry__hub=hub, enquiry__status__in=RECEIVED
    )
    if received_from is not None:
        later = later.filter(enquiry__received_at__gte=received_from)
    if received_before is not None:
        later = later.filter(enquiry__received_at__lt=received_before)
    return later.filter(
        **_earlier(
            "index_link__indexed_person__links__person",
            hub=hub,
            received=F("enquiry__received_at"),
        )
    ).values("enquiry_id")


@dataclasses.dataclass(frozen=True)
class Repeat:
    """One child of the enquiry referred before within twelve months."""

    person_id: uuid.UUID
    name: str
    indexed_person_id: uuid.UUID
    earlier: int
    last: dt.datetime


def received(enquiry: Enquiry) -> dt.datetime:
    """When the enquiry counts from: its receipt (a draft at intake: when it was begun)."""
    return enquiry.received_at or enquiry.created_at


def repeat_referrals(enquiry: Enquiry) -> list[Repeat]:
    """Each child of ``enquiry`` who makes it a repeat referral, with the number of
    earlier enquiries about them in the twelve months before it and the latest one's
    receipt. One query whatever the history's length."""
    rows = (
        Person.objects.filter(
            enquiry=enquiry,
            kind=PersonKind.CHILD,
            **_earlier(
                "index_link__indexed_person__links__person",
                hub=enquiry.hub_id,
                received=received(enquiry),
            ),
        )
        .values("pk", "first_name", "last_name", "index_link__indexed_person_id")
        .annotate(
            earlier=Count("index_link__indexed_person__links__person__enquiry", distinct=True),
            last=Max("index_link__indexed_person__links__person__enquiry__received_at"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    return [
        Repeat(
            person_id=r["pk"],
            name=f"{r['first_name']} {r['last_name']}".strip(),
            indexed_person_id=r["index_link__indexed_person_id"],
            earlier=int(r["earlier"]),
            last=r["last"],
        )
        for r in rows
    ]


__all__ = ["REPEAT_WITHIN", "Repeat", "repeat_enquiries", "repeat_referrals"]
