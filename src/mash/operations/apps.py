from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the hub: the production server (``mash serve``), the health check for
    load balancers (``/healthz``) and the generated data set (``mash generate``)."""

    name = "mash.operations"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
