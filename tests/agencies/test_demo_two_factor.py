"""The demo's users come with an authenticator set up, and their secrets are printed, so a
tester can sign in with an authenticator app or ``oathtool``."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from mash.agencies.models import User
from mash.agencies.services import base32_secret, confirmed_totp_device
from tests.two_factor import code_from_secret


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_every_demo_user_has_an_authenticator_and_its_secret_is_printed(db: Any) -> None:
    output = run_demo()
    for user in User.objects.all():
        device = confirmed_totp_device(user)
        assert device is not None, user.username
        line = next(line for line in output.splitlines() if f" {user.username} " in line)
        assert base32_secret(device) in line
    assert "oathtool --totp -b SECRET" in output


def test_running_it_again_keeps_the_secrets(db: Any) -> None:
    first = run_demo()
    assert run_demo().splitlines()[:16] == first.splitlines()[:16]


def test_a_tester_signs_in_with_the_printed_secret(db: Any) -> None:
    from mash.agencies.management.commands.demo import DEFAULT_PASSWORD

    output = run_demo()
    line = next(line for line in output.splitlines() if " police-practitioner " in line)
    secret = re.search(r"\b([A-Z2-7]{32})\b", line).group(1)  # type: ignore[union-attr]
    client = Client()
    client.post("/sign-in", {"username": "police-practitioner", "password": DEFAULT_PASSWORD})
    response = client.post("/sign-in/two-factor", {"code": code_from_secret(secret)})
    assert response.status_code == 302
    assert client.get("/requests/").status_code == 200
