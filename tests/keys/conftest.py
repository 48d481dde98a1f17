"""Fixtures for the encryption-at-rest tests: a fresh cache of unwrapped keys for every
test, and master keys put in the environment as an operator would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mash.keys import cache, keyring


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    cache.clear_cache()
    keyring.forget()
    yield
    cache.clear_cache()
    keyring.forget()


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class MasterKeys:
    """Sets ``MASH_MASTER_KEY`` and ``MASH_MASTER_KEY_PREVIOUS`` (and forgets what the
    process had cached, as a restart would)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def use(self, current: str, *previous: str) -> None:
        self.monkeypatch.setenv("MASH_MASTER_KEY", current)
        self.monkeypatch.setenv("MASH_MASTER_KEY_PREVIOUS", ",".join(previous))
        self.restart()

    def restart(self) -> None:
        keyring.forget()
        cache.clear_cache()


@pytest.fixture
def master_keys(monkeypatch: pytest.MonkeyPatch) -> MasterKeys:
    keys = MasterKeys(monkeypatch)
    keys.use(keyring.generate_key_text())
    return keys
