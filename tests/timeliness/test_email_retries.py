"""An e-mail the relay refuses is tried again later, with a growing wait, up to a limit;
then the notice is marked failed, recorded, and shown to the administrator, who sends
it again once the relay works. Against a real SMTP server on localhost (aiosmtpd) that
refuses, then accepts."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mash.agencies.models import User
from mash.records.models import RecordEntry
from mash.timeliness import services
from mash.timeliness.models import Notification
from tests.timeliness.conftest import Inbox, after, run_worker


def _email_tasks() -> Any:
    return DBTaskResult.objects.filter(task_path__endswith="email_notice")


def test_a_refused_e_mail_is_sent_when_the_relay_accepts_again(
    smtp: Inbox, request_to_police: Any, settings: Any
) -> None:
    settings.MASH_EMAIL_RETRY_SECONDS = 0  # no wait, so one worker pass sees it through
    smtp.refuse = 2
    [notice] = services.scan(now=after(request_to_police, hours=2, minutes=30)).reminders
    run_worker()
    assert smtp.refused == 2
    assert sorted(r[0] for r, _m in smtp.messages) == [
        "paul@police.example",
        "priya@police.example",
    ]
    notice.refresh_from_db()
    assert notice.email_attempts == 2
    assert notice.email_failed_at is None and notice.email_retry_at is None
    assert notice.email_error == "SMTPDataError 451"
    assert not Notification.objects.filter(notice=notice, emailed_at__isnull=True).exists()
    failures = RecordEntry.objects.filter(action="notice.email_failed", object_id=str(notice.pk))
    assert [e.details["attempt"] for e in failures.order_by("seq")] == [1, 2]
    assert "police.example" not in str([e.details for e in failures])
    assert [t.status for t in _email_tasks()] == ["SUCCESSFUL"] * 3
    run_worker()  # nothing more to send
    assert len(smtp.messages) == 2


def test_it_gives_up_after_the_last_attempt_and_marks_the_notice_failed(
    smtp: Inbox, request_to_police: Any, settings: Any
) -> None:
    settings.MASH_EMAIL_RETRY_SECONDS = 0
    settings.MASH_EMAIL_MAX_ATTEMPTS = 3
    smtp.refuse = 100
    [notice] = services.scan(now=after(request_to_police, hours=2, minutes=30)).reminders
    run_worker()
    assert smtp.refused == 3 and smtp.messages == []
    notice.refresh_from_db()
    assert notice.email_attempts == 3
    assert notice.email_failed_at is not None and notice.email_retry_at is None
    assert _email_tasks().count() == 3
    last = RecordEntry.objects.filter(action="notice.email_failed").order_by("seq").last()
    assert last is not None and last.details["gave_up"] is True
    # The in-app notifications were delivered all along.
    assert Notification.objects.filter(notice=notice).count() == 2


def test_the_administrator_sees_the_failure_and_sends_it_again(
    smtp: Inbox, request_to_police: Any, settings: Any, agencies: Any
) -> None:
    settings.MASH_EMAIL_RETRY_SECONDS = 0
    settings.MASH_EMAIL_MAX_ATTEMPTS = 2
    smtp.refuse = 2
    [notice] = services.scan(now=after(request_to_police, hours=2, minutes=30)).reminders
    run_worker()
    admin = User.objects.create_superuser(
        username="ada", password="x", agency=agencies["hub"], role="administrator"
    )
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/timeliness/notice/?email=failed").content.decode()
    assert "SMTPDataError 451" in page and "Failed" in page
    response = client.post(
        "/admin/timeliness/notice/",
        {"action": "send_again", "_selected_action": [str(notice.pk)]},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.email_failed_at is None and notice.email_attempts == 0
    resent = RecordEntry.objects.filter(action="notice.email_retried", actor_username="ada")
    assert resent.count() == 1
    run_worker()
    assert len(smtp.messages) == 2
    assert client.get("/admin/timeliness/notice/?email=failed").context["cl"].result_count == 0


def test_the_wait_doubles_after_each_failure(police_request: Any, settings: Any) -> None:
    """No relay listening at all (the connection is refused): each attempt queues the
    next after 60 s, then 2 min, then 4 min; the worker does not run it early."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # closed again: nothing listens
    settings.MASH_EMAIL_RETRY_SECONDS = 60
    [notice] = services.scan(now=after(police_request, hours=2, minutes=30)).reminders
    now = timezone.now()
    waits = []
    for attempt in (1, 2, 3):
        assert services.email_notice_with_retry(notice_id=str(notice.pk), now=now) == 0
        notice.refresh_from_db()
        assert notice.email_attempts == attempt
        assert notice.email_error == "ConnectionRefusedError"
        queued = _email_tasks().order_by("-enqueued_at").first()
        assert queued is not None and queued.run_after == notice.email_retry_at
        waits.append(notice.email_retry_at - now)
    assert waits == [dt.timedelta(seconds=s) for s in (60, 120, 240)]
    assert services.retry_wait(30) == dt.timedelta(days=1)
