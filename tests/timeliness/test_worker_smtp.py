"""The worker end to end: a real SMTP server on localhost (aiosmtpd) receives the
reminder and the escalation that ``mash worker`` sends, and a restarted worker sends
neither again."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from mash.timeliness import services
from tests.timeliness.conftest import Inbox, after, run_worker


def test_the_worker_e_mails_the_reminder_and_the_escalation_once(
    smtp: Inbox, request_to_police: Any
) -> None:
    req = request_to_police
    ref = req.enquiry.reference

    services.scan(now=after(req, hours=2, minutes=30))
    run_worker()
    [reminder] = smtp.to("priya@police.example")
    assert reminder.startswith(f"{ref}: response due by ")
    assert "(in 1 hour 30 minutes)" in reminder
    assert smtp.to("paul@police.example") == [reminder]
    assert smtp.to("harriet@hub.example") == []

    services.scan(now=after(req, hours=4, minutes=5))
    run_worker()
    [escalation] = smtp.to("harriet@hub.example")
    assert escalation.startswith(f"{ref}: response overdue by")
    assert len(smtp.to("paul@police.example")) == 2
    body = next(m for r, m in smtp.messages if "harriet@hub.example" in r).get_payload()
    assert f"/enquiries/{req.enquiry_id}/" in body
    assert req.enquiry.concern not in body

    # A restart: the scan runs again (twice, as two workers would) and the worker again.
    count = len(smtp.messages)
    services.scan(now=after(req, hours=4, minutes=6))
    services.scan(now=after(req, hours=4, minutes=6))
    run_worker()
    run_worker()
    assert len(smtp.messages) == count


def test_the_worker_schedules_its_own_runs_once(smtp: Inbox, request_to_police: Any) -> None:
    """Without --no-schedule the worker enqueues the minute's scan (and the day's digest
    once the hub's digest time has passed) itself. The request made just now has no
    reminder due; a second worker pass in the same minute and day adds nothing."""
    from django_tasks_db.models import DBTaskResult

    call_command("worker", "--once")
    scans = DBTaskResult.objects.filter(task_path__endswith="scan_deadlines")
    assert [s.status for s in scans] == ["SUCCESSFUL"]
    assert not [m for _r, m in smtp.messages if "response due" in str(m["Subject"])]
    sent = len(smtp.messages)  # the digest, when this runs after 08:00 London time
    assert sent in (0, 3)
    call_command("worker", "--once")
    assert len(smtp.messages) == sent
