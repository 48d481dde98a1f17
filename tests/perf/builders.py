"""A hub's data at any size, quickly: ``mash generate``'s bulk writer (every narrative
field sealed with its enquiry's key, record entries chained), shaped so that every list
the query-count tests load has rows at every size:

- enquiries alternate open and closed (oldest first: the first is open);
- every enquiry has a request to the police (made here when the generator did not ask
  them), open on open enquiries and answered on closed ones, so both tabs of each inbox
  have rows;
- every fourth open enquiry is owned by ``owner`` (My work's first list), the others
  wait in the team queue.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.db import transaction
from django.utils import timezone

_seeds = itertools.count(1)


def grow_hub(*, to: int, police: Any, owner: Any) -> None:
    """Generate enquiries until the hub has ``to`` of them, then shape them all."""
    from mash.enquiries.models import Enquiry, Person
    from mash.operations.dataset import generate
    from mash.sharing.models import InformationRequest

    missing = to - Enquiry.objects.count()
    if missing > 0:
        generate(enquiries=missing, seed=next(_seeds))
    enquiries = list(Enquiry.objects.order_by("received_at", "pk"))
    asked = set(
        InformationRequest.objects.filter(agency=police).values_list("enquiry_id", flat=True)
    )
    hub_user = enquiries[0].created_by
    now = timezone.now()
    with transaction.atomic():
        made = []
        for enquiry in enquiries:
            if enquiry.pk not in asked:
                request = InformationRequest(
                    enquiry=enquiry,
                    agency=police,
                    purpose="What is known about the family",
                    deadline=now + dt.timedelta(hours=24),
                    created_by=hub_user,
                )
                request.save()
                made.append(request)
        through = InformationRequest.people.through
        children = {p.enquiry_id: p.pk for p in Person.objects.filter(kind="child").order_by("pk")}
        through.objects.bulk_create(
            [through(informationrequest_id=r.pk, person_id=children[r.enquiry_id]) for r in made]
        )
        open_ids = [e.pk for i, e in enumerate(enquiries) if i % 2 == 0]
        closed_ids = [e.pk for i, e in enumerate(enquiries) if i % 2 == 1]
        owned_ids = open_ids[::4]
        Enquiry.objects.filter(pk__in=open_ids).update(status="open", closed_at=None, owner=None)
        Enquiry.objects.filter(pk__in=owned_ids).update(owner=owner)
        Enquiry.objects.filter(pk__in=closed_ids).update(
            status="closed", closed_at=now - dt.timedelta(days=1), owner=None
        )
        InformationRequest.objects.filter(enquiry_id__in=open_ids).update(status="open")
        InformationRequest.objects.filter(enquiry_id__in=closed_ids).update(status="answered")
