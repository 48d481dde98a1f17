"""The worker's schedule: each periodic run is claimed once, however many workers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django_tasks_db.models import DBTaskResult

from mash.timeliness.scheduler import enqueue_due

LONDON = ZoneInfo("Europe/London")


def _scans(slots: list[str]) -> list[str]:
    return [slot for slot in slots if slot.startswith("scan:")]


def test_a_minute_s_scan_is_enqueued_once_by_two_workers(agencies: dict[str, Any]) -> None:
    now = dt.datetime(2026, 11, 25, 7, 30, 10, tzinfo=LONDON)
    assert _scans(enqueue_due(now)) == ["scan:2026-11-25T07:30"]
    assert enqueue_due(now + dt.timedelta(seconds=20)) == []  # the second worker
    assert DBTaskResult.objects.filter(task_path__endswith="scan_deadlines").count() == 1
    assert enqueue_due(now + dt.timedelta(minutes=1)) == ["scan:2026-11-25T07:31"]


def test_the_digest_waits_for_its_time_and_goes_once_a_day(agencies: dict[str, Any]) -> None:
    from mash.timeliness.config import ensure_defaults

    ensure_defaults(agencies["hub"])
    early = dt.datetime(2026, 11, 25, 7, 59, tzinfo=LONDON)
    assert not [s for s in enqueue_due(early) if s.startswith("digest")]
    later = dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON)
    assert [s for s in enqueue_due(later) if s.startswith("digest")]
    assert not [s for s in enqueue_due(later + dt.timedelta(hours=3)) if s.startswith("digest")]


def test_old_slots_are_cleared_as_new_ones_are_claimed(agencies: dict[str, Any]) -> None:
    from mash.timeliness.models import ScheduledRun

    now = dt.datetime(2026, 11, 25, 7, 30, tzinfo=LONDON)
    enqueue_due(now)
    enqueue_due(now + dt.timedelta(days=4))
    assert list(ScheduledRun.objects.values_list("slot", flat=True).order_by("slot")) == [
        "evidence:2026-11-29",
        "figures:2026-11-29",
        "retention:2026-11-29",
        "scan:2026-11-29T07:30",
        "sessions:2026-11-29",
    ]


def _goes_once_a_day_at_half_past_three(kind: str, task_path: str) -> None:
    """Not at 03:29; at 03:30, the day's ``kind`` slot and one queued task; not again
    later that day."""

    def claimed(now: dt.datetime) -> list[str]:
        return [s for s in enqueue_due(now) if s.startswith(kind)]

    assert not claimed(dt.datetime(2026, 11, 25, 3, 29, tzinfo=LONDON))
    at = dt.datetime(2026, 11, 25, 3, 30, tzinfo=LONDON)
    assert claimed(at) == [f"{kind}:2026-11-25"]
    assert not claimed(at + dt.timedelta(hours=5))
    assert DBTaskResult.objects.filter(task_path=task_path).count() == 1


def test_the_retention_sweep_waits_for_its_time_and_goes_once_a_day(
    agencies: dict[str, Any],
) -> None:
    _goes_once_a_day_at_half_past_three("retention", "mash.retention.tasks.daily_sweep")


def test_the_retention_sweep_can_be_left_to_cron(agencies: dict[str, Any], settings: Any) -> None:
    settings.RETENTION_SWEEP_AT = "off"
    noon = dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)
    assert not [s for s in enqueue_due(noon) if s.startswith("retention")]


def test_the_evidence_sweep_goes_once_a_day_even_with_retention_on_cron(
    agencies: dict[str, Any], settings: Any
) -> None:
    settings.RETENTION_SWEEP_AT = "off"
    _goes_once_a_day_at_half_past_three("evidence", "mash.consent.tasks.daily_evidence_sweep")


def test_expired_sessions_are_cleared_once_a_day(agencies: dict[str, Any]) -> None:
    from django.utils import timezone

    from mash.agencies.models import SignedInSession
    from mash.agencies.tasks import clear_expired_sessions

    now = timezone.now()
    SignedInSession.objects.create(
        session_key="e" * 32, session_data="x", expire_date=now - dt.timedelta(seconds=1)
    )
    SignedInSession.objects.create(
        session_key="l" * 32, session_data="x", expire_date=now + dt.timedelta(minutes=30)
    )
    _goes_once_a_day_at_half_past_three("sessions", "mash.agencies.tasks.clear_expired_sessions")
    clear_expired_sessions.call()
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == ["l" * 32]
