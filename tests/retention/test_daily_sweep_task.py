"""The worker runs the retention sweep as a daily background task: the schedule
enqueues it once a day (tests/timeliness/test_scheduler.py) and ``mash worker`` runs it,
destroying exactly what the command would."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from mash.retention.models import SweepRun
from mash.retention.tasks import daily_sweep
from tests.retention.dataset import TODAY
from tests.retention.helpers import wrong_rows


def test_the_worker_runs_the_queued_sweep(transactional_db: Any, generated: Any) -> None:
    # Transactional: the worker closes its connection after a pass, as a real one does.
    daily_sweep.enqueue(today=TODAY.isoformat())

    call_command("worker", "--once", "--no-schedule")

    run = SweepRun.objects.get()
    assert run.finished_at is not None and not run.dry_run
    assert run.records_destroyed > 0
    assert wrong_rows(generated) == []


def test_a_second_days_run_finds_nothing_more(generated: Any) -> None:
    first = daily_sweep.call(today=TODAY.isoformat())
    again = daily_sweep.call(today=TODAY.isoformat())

    assert first["records_destroyed"] > 0
    assert again["records_destroyed"] == 0
    assert wrong_rows(generated) == []
