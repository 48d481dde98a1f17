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
        from .cache import clear_this_thread
        from .keyring import keyring, require_configured

        # MASH_REQUIRE_MASTER_KEY: no configured key, no start, whatever the server
        # (except to make the first key with ``mash keys generate``).
        if require_configured() and sys.argv[1:3] != ["keys", "generate"]:
            keyring()

        # Unwrapped data keys live for one request at most (and a short time outside
        # requests): a key destroyed by another process is gone here by the next request.
        # Each thread clears its own: a request starting in another thread leaves the
        # keys of the page this one is showing alone.
        request_started.connect(clear_this_thread, dispatch_uid="mash_keys_clear_on_start")
        request_finished.connect(clear_this_thread, dispatch_uid="mash_keys_clear_on_finish")
        from .services import forget_seen

        request_started.connect(forget_seen, dispatch_uid="mash_keys_forget_seen_on_start")
