from __future__ import annotations

from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "mash.agencies"
    label = "agencies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import middleware, signals  # noqa: F401  (connect the sign-in receivers)
