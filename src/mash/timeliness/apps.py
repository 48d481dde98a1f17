from __future__ import annotations

from django.apps import AppConfig


class TimelinessConfig(AppConfig):
    name = "mash.timeliness"
    verbose_name = "Timeliness: ratings, deadlines and notices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import config
        from .models import ClosureDay, HubTimeliness, RatingSetting

        request_started.connect(config.start_remembering, dispatch_uid="mash_clocks_start")
        request_finished.connect(config.stop_remembering, dispatch_uid="mash_clocks_stop")
        for model in (HubTimeliness, RatingSetting, ClosureDay):
            for signal in (post_save, post_delete):
                signal.connect(
                    config.forget_clocks,
                    sender=model,
                    dispatch_uid=f"mash_clocks_forget_{model.__name__}_{signal is post_save}",
                )
