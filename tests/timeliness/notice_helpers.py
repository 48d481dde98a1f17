"""Reading who was told what, for the advice and sign-off notice tests."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import timezone

from mash.timeliness import services
from mash.timeliness.models import Notification


def told(kind: str) -> set[str]:
    """The usernames with a notification of this kind."""
    return set(
        Notification.objects.filter(notice__kind=kind).values_list("user__username", flat=True)
    )


def everyone_told() -> set[str]:
    return set(Notification.objects.values_list("user__username", flat=True))


def email_all() -> list[Any]:
    """Run the e-mail tasks' work now (the locmem backend keeps the messages)."""
    for notice_id in set(Notification.objects.values_list("notice_id", flat=True)):
        services.send_notice_emails(notice_id=str(notice_id), now=timezone.now())
    return list(mail.outbox)
