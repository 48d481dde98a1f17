"""The world every access test asks about (tests/access/matrix.py), made once a module.

A thousand cells ask about the same case, so the case is made once, in a transaction
that stays open for the whole module and is rolled back at its end. Each test runs, as
every database test does, in a savepoint inside it (pytest-django's ``db``): whatever a
cell's request writes (a refusal, a form posted) is undone before the next cell asks,
and every cell still asks the real page about real objects with the planted markers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.access.matrix import World

_FAST_PASSWORDS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _uploads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the world's consent form is stored, for as long as the world lasts."""
    return tmp_path_factory.mktemp("access-uploads")


@pytest.fixture(scope="module")
def _shared_world(django_db_setup: Any, django_db_blocker: Any, _uploads: Path) -> Iterator[World]:
    from django.db import transaction
    from django.test import override_settings

    from tests.conftest import create_agencies

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=_FAST_PASSWORDS, MEDIA_ROOT=_uploads):
                world = World(create_agencies())
                world.prepare()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The matrix's users sign in with force_login; their passwords hash quickly."""
    settings.PASSWORD_HASHERS = _FAST_PASSWORDS


@pytest.fixture(autouse=True)
def _media_root(settings: Any, _uploads: Path) -> None:
    """The world's uploads (tests/conftest.py gives each test its own elsewhere)."""
    settings.MEDIA_ROOT = _uploads


@pytest.fixture
def world(db: Any, _shared_world: World) -> World:
    return _shared_world
