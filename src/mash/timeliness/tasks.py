"""Background tasks (the Django tasks API, ``django-tasks`` backport, database backend).

``mash worker`` runs them; any number of workers on any number of machines share the
queue in the database. Each task is safe to run twice (see ``services``).
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def scan_deadlines() -> dict[str, int]:
    """Remind before deadlines and escalate overdue requests."""
    result = services.scan(now=timezone.now())
    return {"reminders": len(result.reminders), "escalations": len(result.escalations)}


@task()
def daily_digest() -> int:
    return len(services.digest(now=timezone.now()))


@task()
def email_notice(notice_id: str) -> int:
    """E-mail a notice; when sending fails, try again later (``services``)."""
    return services.email_notice_with_retry(notice_id=notice_id, now=timezone.now())
