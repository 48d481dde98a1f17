"""The retention sweep as a background task: ``mash worker`` enqueues it once a day
(``RETENTION_SWEEP_AT``, see mash.timeliness.scheduler) and runs it like any task."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def daily_sweep(today: str | None = None) -> dict[str, int]:
    """Destroy what has passed its retention and no hold keeps (or, where the DPO must
    approve each batch, destroy the approved batches and plan the next one). Safe to
    run twice and to kill at any point: see ``services.sweep``. ``today`` (ISO date) is
    for tests; the schedule leaves it to the day the task runs."""
    run = services.sweep(today=dt.date.fromisoformat(today) if today else None)
    return {
        "enquiries_examined": run.enquiries_examined,
        "records_destroyed": run.records_destroyed,
        "enquiries_destroyed": run.enquiries_destroyed,
    }
