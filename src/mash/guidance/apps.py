from __future__ import annotations

from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Versions of the hub's guidance loaded without code (admin), and the text pages."""

    name = "mash.guidance"
    label = "guidance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mash.policy import versions

        from .selectors import current_version

        # mash.policy.versions.current_version() answers from the hub's loaded versions.
        versions.set_provider(current_version)
