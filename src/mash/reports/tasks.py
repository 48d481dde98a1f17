"""The reports' background task: the nightly count of the dashboard's settled days
(``mash.reports.services.count_figures``), enqueued by ``mash.timeliness.scheduler``."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def count_dashboard_figures() -> int:
    """Count every hub's settled days; returns how many rows were stored."""
    return sum(c.rows for c in services.count_figures(timezone.now()))
