from __future__ import annotations

from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "mash.enquiries"
    label = "enquiries"
    default_auto_field = "django.db.models.BigAutoField"
