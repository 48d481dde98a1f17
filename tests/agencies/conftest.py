"""The sign-in tests hash the cast's seven passwords for every test; argon2 would be most
of their run time on a small machine. The hasher is not what they test (the argon2 setting
itself is checked in test_passwords.py, against the settings module)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
