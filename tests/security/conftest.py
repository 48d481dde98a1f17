"""The fuzz tests set the shared cast up once per operation or form; hashing its seven
passwords with argon2 each time would be most of their run time. Nobody signs in with a
password here (the clients use ``force_login``, sign-in is fuzzed with junk only), so a
fast hasher changes nothing that is tested."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
