from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "mash.records"
    label = "records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in receivers)
