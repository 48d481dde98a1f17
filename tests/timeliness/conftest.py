"""A Red enquiry with a request to the police, for the timeliness tests.

Time is controlled, not waited for: every service takes ``now``, and the tests pass
moments relative to when the request was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

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
