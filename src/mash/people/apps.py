from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mash.people"
    label = "people"
    verbose_name = "Person index"
    default_auto_field = "django.db.models.BigAutoField"
