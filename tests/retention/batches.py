"""Helpers for the tests of sweep batches awaiting the DPO's approval: switch the
setting on, and make expired enquiries (closed with no further action long ago, under
a rule of one year from closure) for a sweep to plan into a batch."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

_numbers = itertools.count(1)


def require_approval(hub: Any, required: bool = True) -> Any:
    from mash.retention.models import RetentionSettings

    found, _ = RetentionSettings.objects.update_or_create(
        hub=hub, defaults={"approval_required": required}
    )
    return found


def closed_long_ago(hub: Any, user: Any, *, years: int = 3, reference: str = "") -> Any:
    """An enquiry closed with no further action ``years`` ago, with a child in it, under
    the hub's rule for such enquiries (one year from closure, made if missing)."""
    from mash.enquiries.models import Enquiry, Person
    from mash.retention.models import RetentionRule

    RetentionRule.objects.get_or_create(
        agency=hub,
        kind="enquiry_nfa",
        defaults={
            "amount": 1,
            "unit": "years",
            "trigger": "closed",
            "reason": "Local authority retention schedule, line 4.2",
        },
    )
    closed = timezone.localdate() - dt.timedelta(days=365 * years)
    enquiry = Enquiry.objects.create(
        reference=reference or f"MASH-BATCH-{next(_numbers):04d}",
        hub=hub,
        status="closed",
        outcome="no_further_action",
        closed_at=dt.datetime.combine(closed, dt.time(12), tzinfo=dt.UTC),
        created_by=user,
    )
    Person.objects.create(enquiry=enquiry, kind="child", first_name="Batchchild", last_name="Test")
    return enquiry


def pending_batch(hub: Any, user: Any) -> Any:
    """A new batch awaiting approval: an expired enquiry, the setting on, and a sweep."""
    from mash.retention import services

    require_approval(hub)
    closed_long_ago(hub, user)
    run = services.sweep()
    return run.batches.get()
