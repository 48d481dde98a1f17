from __future__ import annotations

from django.apps import AppConfig


class TimelinessConfig(AppConfig):
    name = "mash.timeliness"
    verbose_name = "Timeliness: ratings, deadlines and notices"
    default_auto_field = "django.db.models.BigAutoField"
