from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The cast signs in with force_login; a slow hasher buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_signoff(agencies: dict[str, Any]) -> None:
    """The hub turned the manager's sign-off of consent overrides off, for tests about
    something else that share over a refusal (sign-off is tested in test_signoff_*.py)."""
    from mash.sharing.models import SharingSettings

    SharingSettings.objects.create(hub=agencies["hub"], signoff_for_consent_overrides=False)
