"""The periodic part of background work: which runs are due, claimed once.

Each worker calls ``enqueue_due(now)`` every loop. A run's slot (``scan:<minute>``,
``digest:<hub>:<day>``) is a unique ``ScheduledRun`` row created in the same transaction
as the queued task, so however many workers run, each slot is enqueued once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from mash.agencies.models import Agency

from .config import hub_clock
from .models import ScheduledRun
from .tasks import daily_digest, scan_deadlines

KEEP_SLOTS = timedelta(days=3)


def _claim(slot: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(slot=slot, claimed_at=now)
            if slot.startswith("scan:"):
                scan_deadlines.enqueue()
            else:
                daily_digest.enqueue()
            return True
    except IntegrityError:
        return False


def enqueue_due(now: datetime) -> list[str]:
    """Enqueue the deadline scan once a minute and the digest once a day (after each
    hub's digest time). Returns the slots this call claimed."""
    claimed = []
    slot = f"scan:{now.strftime('%Y-%m-%dT%H:%M')}"
    if _claim(slot, now):
        claimed.append(slot)
        # Slots only need to outlive the minute (or the day) they stand for.
        ScheduledRun.objects.filter(claimed_at__lt=now - KEEP_SLOTS).delete()
    for hub in Agency.objects.filter(is_hub=True, active=True):
        hc = hub_clock(hub)
        local = now.astimezone(hc.clock.zone)
        config = getattr(hub, "timeliness", None)
        at = config.digest_at if config is not None else None
        if at is not None and local.time() < at:
            continue
        if at is None and local.hour < 8:
            continue
        slot = f"digest:{hub.pk}:{local.date().isoformat()}"
        if _claim(slot, now):
            claimed.append(slot)
    return claimed
