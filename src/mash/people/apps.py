from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mash.people"
    label = "people"
    verbose_name = "Person index"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .trigrams import register_on_sqlite

        connection_created.connect(register_on_sqlite, dispatch_uid="mash.people.trigrams")
