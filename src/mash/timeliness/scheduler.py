"""The periodic part of background work: which runs are due, claimed once.

Each worker calls ``enqueue_due(now)`` every loop. A run's slot (``scan:<minute>``,
``digest:<hub>:<day>``, ``retention:<day>``) is a unique ``ScheduledRun`` row created in
the same transaction as the queued task, so however many workers run, each slot is
enqueued once. The record's scheduled checkpoint is signed in the loop itself (it is
decided under the chain's lock, so it too is signed once however many workers run).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from mash.agencies.models import Agency
from mash.agencies.tasks import clear_expired_sessions
from mash.consent.tasks import daily_evidence_sweep
from mash.records.services import sign_checkpoint_if_due
from mash.records.signing import SigningKeyError
from mash.reports.tasks import count_dashboard_figures
from mash.retention.tasks import daily_sweep

from .config import hub_clock
from .models import ScheduledRun
from .tasks import daily_digest, scan_deadlines

KEEP_SLOTS = timedelta(days=3)
log = logging.getLogger("mash.timeliness.scheduler")


def _claim(slot: str, now: datetime, task: Any) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(slot=slot, claimed_at=now)
            task.enqueue()
            return True
    except IntegrityError:
        return False


def retention_sweep_at() -> time | None:
    """When the daily retention sweep is due (``RETENTION_SWEEP_AT``, hub time, e.g.
    ``03:30``); ``None`` when an operator runs it from cron instead (``off``)."""
    text = str(getattr(settings, "RETENTION_SWEEP_AT", "03:30")).strip().lower()
    if text in ("", "off", "none"):
        return None
    return time.fromisoformat(text)


def report_figures_at() -> time | None:
    """When the nightly count of the dashboard's settled days is due
    (``REPORT_FIGURES_AT``, hub time, default ``02:30``); ``None`` (``off``) where an
    operator runs ``mash reports count-figures`` from cron instead."""
    text = str(getattr(settings, "REPORT_FIGURES_AT", "02:30")).strip().lower()
    if text in ("", "off", "none"):
        return None
    return time.fromisoformat(text)


def scheduled_checkpoint(now: datetime) -> None:
    """Sign the record's checkpoint when due (``MASH_RECORD_CHECKPOINT_MINUTES``) and
    hand it to the witness (mash.records.witness). A bad signing key is logged, not
    fatal: the rest of the schedule still runs."""
    try:
        sign_checkpoint_if_due(now=now)
    except SigningKeyError as error:
        log.error("record checkpoint not signed: %s", error)


def enqueue_due(now: datetime) -> list[str]:
    """Enqueue the deadline scan once a minute, the digest once a day (after each hub's
    digest time), the retention sweep once a day (after ``RETENTION_SWEEP_AT``), the
    count of the dashboard's figures once a day (after ``REPORT_FIGURES_AT``), and the
    tidy of consent forms and of expired sessions once a day. Returns the slots this
    call claimed."""
    claimed = []
    slot = f"scan:{now.strftime('%Y-%m-%dT%H:%M')}"
    if _claim(slot, now, scan_deadlines):
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
        if _claim(slot, now, daily_digest):
            claimed.append(slot)
    scheduled_checkpoint(now)
    sweep_at = retention_sweep_at()
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    if sweep_at is not None and local.time() >= sweep_at:
        slot = f"retention:{local.date().isoformat()}"
        if _claim(slot, now, daily_sweep):
            claimed.append(slot)
    figures_at = report_figures_at()
    if figures_at is not None and local.time() >= figures_at:
        slot = f"figures:{local.date().isoformat()}"
        if _claim(slot, now, count_dashboard_figures):
            claimed.append(slot)
    # Consent form files no record names (a writer killed mid-upload): once a day, at
    # the retention sweep's time (03:30 when that runs from cron).
    if local.time() >= (sweep_at or time(3, 30)):
        slot = f"evidence:{local.date().isoformat()}"
        if _claim(slot, now, daily_evidence_sweep):
            claimed.append(slot)
        # Sessions past their expiry, which no request can use any more.
        slot = f"sessions:{local.date().isoformat()}"
        if _claim(slot, now, clear_expired_sessions):
            claimed.append(slot)
    return claimed
