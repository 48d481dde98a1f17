"""The background worker's heartbeat: written every loop, read by the admin and by a
health endpoint (``worker_health``).

A beat is a row per worker (``WorkerHeartbeat``), so any number of workers on any
number of machines each show. A worker is *alive* if it beat within
``STALE_AFTER_INTERVALS`` of its own interval (plus a margin for one slow loop); the
hub's background work is healthy if at least one worker is alive.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat

STALE_AFTER_INTERVALS = 6
MARGIN = dt.timedelta(seconds=60)


def beat(
    *,
    worker_id: str,
    started_at: dt.datetime,
    interval: float,
    faults: int,
    last_fault: str = "",
    last_fault_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Write this worker's beat (one row, updated in place)."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=now,
        interval_seconds=interval,
        faults=faults,
        last_fault=last_fault[:200],
        last_fault_at=last_fault_at,
        loops=F("loops") + 1,
    )
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:80],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
            interval_seconds=interval,
            loops=1,
            faults=faults,
            last_fault=last_fault[:200],
            last_fault_at=last_fault_at,
        )


def is_alive(heartbeat: WorkerHeartbeat, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    allowed = dt.timedelta(seconds=heartbeat.interval_seconds * STALE_AFTER_INTERVALS) + MARGIN
    return now - heartbeat.beat_at <= allowed


def worker_health(now: dt.datetime | None = None) -> dict[str, Any]:
    """For a health endpoint: ``{"status": "ok" | "stale" | "none", "alive": N,
    "workers": N, "last_beat_at": ISO or None}``. ``ok``: at least one worker beat
    recently; ``stale``: workers have run but none beat recently (stopped, or cut off
    from the database); ``none``: no worker has ever run against this database."""
    now = now or timezone.now()
    beats = list(WorkerHeartbeat.objects.order_by("-beat_at")[:50])
    alive = [b for b in beats if is_alive(b, now)]
    if not beats:
        status = "none"
    elif alive:
        status = "ok"
    else:
        status = "stale"
    return {
        "status": status,
        "alive": len(alive),
        "workers": len(beats),
        "last_beat_at": beats[0].beat_at.isoformat() if beats else None,
    }


def forget_stopped(
    now: dt.datetime | None = None, older_than: dt.timedelta = dt.timedelta(days=7)
) -> int:
    """Drop beats of workers gone for a week (restarts get new ids)."""
    now = now or timezone.now()
    deleted, _ = WorkerHeartbeat.objects.filter(beat_at__lt=now - older_than).delete()
    return deleted
