from __future__ import annotations

import sys

from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "mash.keys"
    label = "keys"
    verbose_name = "Encryption keys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from . import checks  # noqa: F401  (registers the system checks)
        from .cache import clear_cache
        from .keyring import keyring, require_configured

        # MASH_REQUIRE_MASTER_KEY: no configured key, no start, whatever the server
        # (except to make the first key with ``mash keys generate``).
        if require_configured() and sys.argv[1:3] != ["keys", "generate"]:
            keyring()

        # Unwrapped data keys live for one request at most (and a short time outside
        # requests): a key destroyed by another process is gone here by the next request.
        request_started.connect(clear_cache, dispatch_uid="mash_keys_clear_on_start")
        request_finished.connect(clear_cache, dispatch_uid="mash_keys_clear_on_finish")
