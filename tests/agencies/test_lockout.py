"""Repeated wrong passwords lock the username out from that address (django-axes), with
a clear message; an administrator can unlock; the failures and the lockout are recorded."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.test import Client

from mash.records.models import RecordEntry
from tests.conftest import PASSWORD
from tests.two_factor import give_password


@pytest.fixture(autouse=True)
def _limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3


def _fail(client: Client, times: int) -> Any:
    response = None
    for _ in range(times):
        response = give_password(client, "hana", "not the passphrase")
    return response


def test_it_locks_out_after_repeated_failures_with_a_clear_message(
    client: Client, cast: dict[str, Any]
) -> None:
    assert _fail(client, 2).status_code == 200
    locked = _fail(client, 1)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "There is a problem" in html
    assert "This account is locked after 3 failed sign-ins" in html
    assert "ask your hub&#x27;s administrator to unlock it" in html


def test_the_right_password_is_refused_while_locked_out(
    client: Client, cast: dict[str, Any]
) -> None:
    _fail(client, 3)
    response = give_password(client, "hana", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_and_the_lockout_are_recorded_without_what_was_typed(
    client: Client, cast: dict[str, Any]
) -> None:
    _fail(client, 3)
    failed = RecordEntry.objects.filter(action="auth.sign_in_failed")
    assert failed.count() == 3
    lockout = RecordEntry.objects.filter(action="auth.locked_out").get()
    assert lockout.object_id == str(cast["hub_practitioner"].pk)
    for entry in [*failed, lockout]:
        assert "not the passphrase" not in str(entry.details)


def test_an_administrator_unlocks_by_clearing_the_attempts(
    client: Client, cast: dict[str, Any]
) -> None:
    _fail(client, 3)
    assert AccessAttempt.objects.filter(username="hana").exists()
    reset(username="hana")  # what `mash axes_reset_username hana` and the admin do
    response = give_password(client, "hana", PASSWORD)
    assert response.status_code == 302


def test_the_lockout_is_per_username_so_others_still_sign_in(
    client: Client, cast: dict[str, Any]
) -> None:
    _fail(client, 3)
    assert give_password(client, "priya", PASSWORD).status_code == 302


def test_a_success_clears_the_count(client: Client, cast: dict[str, Any]) -> None:
    _fail(client, 2)
    assert give_password(client, "hana", PASSWORD).status_code == 302
    client.post("/sign-out")
    assert _fail(client, 2).status_code == 200
