"""The world every access test asks about (tests/access/matrix.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.access.matrix import World


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The matrix's users sign in with force_login; their passwords hash quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(agencies: dict[str, Any]) -> World:
    return World(agencies)
