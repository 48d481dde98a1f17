from __future__ import annotations

from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "mash.consent"
    label = "consent"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the evidence clean-up)
