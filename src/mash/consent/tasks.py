"""The consent register's background work: ``mash worker`` enqueues it once a day
(``mash.timeliness.scheduler``) and runs it like any task."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def daily_evidence_sweep() -> dict[str, int]:
    """Remove consent form files no record names; promote committed pending ones."""
    result = services.sweep_evidence()
    return {
        "removed": result.removed,
        "pending_removed": result.pending_removed,
        "promoted": result.promoted,
    }
