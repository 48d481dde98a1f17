"""System checks: the keyring loads, and in production it is not the development file."""

from __future__ import annotations

from typing import Any

from django.core import checks

from .keyring import KeyringError, keyring


@checks.register("mash")
def keyring_loads(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        keyring()
    except KeyringError as error:
        return [checks.Error(str(error), id="mash.keys.E001")]
    return []


@checks.register("mash", deploy=True)
def keyring_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        ring = keyring()
    except KeyringError:
        return []  # reported by keyring_loads
    if ring.source == "development file":
        return [
            checks.Warning(
                "The master key is the development default in MASH_DATA_DIR, next to the "
                "database: set MASH_MASTER_KEY or MASH_MASTER_KEY_FILE and "
                "MASH_REQUIRE_MASTER_KEY=true (docs/security.md, operator's checklist).",
                id="mash.keys.W001",
            )
        ]
    return []
