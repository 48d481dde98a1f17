"""Administration of the hub's timeliness: BRAG ratings, working hours, closure days and
reminder points (docs/admin-guide.md, "Timeliness"). Every change is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.http import HttpRequest

from mash.agencies.admin import RecordedAdmin
from mash.records.models import Action
from mash.records.services import record

from .models import ClosureDay, HubTimeliness, RatingSetting


class RatingInline(admin.TabularInline):
    model = RatingSetting
    extra = 0
    max_num = 4
    fields = ["code", "label", "colour", "hours", "counting", "runs_out_of_hours"]


class ClosureInline(admin.TabularInline):
    model = ClosureDay
    extra = 1
    fields = ["day", "description"]


@admin.register(HubTimeliness)
class HubTimelinessAdmin(RecordedAdmin):
    list_display = ["hub", "opens", "closes", "timezone", "reminder_points"]
    inlines = [RatingInline, ClosureInline]
    fieldsets = (
        (None, {"fields": ("hub",)}),
        (
            "Working hours",
            {
                "fields": (
                    ("monday", "tuesday", "wednesday", "thursday", "friday"),
                    ("saturday", "sunday"),
                    ("opens", "closes"),
                    "timezone",
                    ("bank_holidays", "bank_holiday_region"),
                )
            },
        ),
        ("Reminders", {"fields": ("reminder_points", "digest_at")}),
    )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(action=Action.ADMIN_ADDED, actor=request.user, obj=obj, details={})
        for obj, fields in formset.changed_objects:
            record(
                action=Action.ADMIN_CHANGED,
                actor=request.user,
                obj=obj,
                details={"fields": sorted(fields)},
            )
        for obj in formset.deleted_objects:
            record(
                action=Action.ADMIN_DELETED,
                actor=request.user,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
            )


def _hide_task_results() -> None:
    """The task queue's own admin pages are for developers; operators use the worker's
    log (docs/operations.md)."""
    try:
        from django_tasks_db.models import DBTaskResult

        admin.site.unregister(DBTaskResult)
    except (ImportError, NotRegistered):
        pass


_hide_task_results()
