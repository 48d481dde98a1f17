"""A Red enquiry with a request to the police, for the timeliness tests.

Time is controlled, not waited for: every service takes ``now``, and the tests pass
moments relative to when the request was sent.
"""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from tests.sharing.factories import make_enquiry, make_person, make_request


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mail_cast(cast: dict[str, Any]) -> dict[str, Any]:
    """The cast with work e-mail addresses (generated, nothing real)."""
    for key, user in cast.items():
        user.email = f"{user.username}@{key.split('_')[0]}.example"
        user.save(update_fields=["email"])
    return cast


def red_request(cast: dict[str, Any], agencies: dict[str, Any], *, rag: str = "red") -> Any:
    """An open ``rag`` enquiry with an open request to the police, due on the hub's
    default clock (Red: 4 elapsed hours from when it was sent)."""
    from mash.timeliness.config import hub_clock

    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=agencies["hub"], created_by=hub_user, rag=rag)
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[make_person(enquiry)]
    )
    due = hub_clock(agencies["hub"]).deadline(req.created_at, rag)
    assert due is not None
    req.deadline = due
    req.save(update_fields=["deadline"])
    return req


@pytest.fixture
def police_request(mail_cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    return red_request(mail_cast, agencies)


def after(req: Any, **delta: float) -> dt.datetime:
    """A moment ``delta`` after the request was sent."""
    return req.created_at + dt.timedelta(**delta)


class Inbox:
    """aiosmtpd handler keeping every message it is given. While ``refuse`` is above
    nothing, it refuses that many messages more (a relay that is failing for now)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.Message]] = []
        self.refuse = 0
        self.refused = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[str]:
        return [str(m["Subject"]) for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on localhost
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def request_to_police(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    for key, user in cast.items():
        user.email = f"{user.username}@{key.split('_')[0]}.example"
        user.save(update_fields=["email"])
    return red_request(cast, agencies)


def run_worker() -> None:
    """One pass of ``mash worker``: run everything queued, then stop (as if restarted)."""
    call_command("worker", "--once", "--no-schedule")
