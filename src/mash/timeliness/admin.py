"""Administration of the hub's timeliness: BRAG ratings, working hours, closure days and
reminder points (docs/admin-guide.md, "Timeliness"). Every change is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.http import HttpRequest
from django.utils import timezone

from mash.agencies.admin import RecordedAdmin
from mash.records.models import Action
from mash.records.services import record

from . import services
from .heartbeat import is_alive
from .models import ClosureDay, HubTimeliness, Notice, RatingSetting, WorkerHeartbeat


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


class EmailFilter(admin.SimpleListFilter):
    title = "e-mail"
    parameter_name = "email"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("failed", "Failed (gave up)"), ("retrying", "Being tried again")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "failed":
            return queryset.filter(email_failed_at__isnull=False)
        if self.value() == "retrying":
            return queryset.filter(email_failed_at__isnull=True, email_retry_at__isnull=False)
        return queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The notices sent, read only, so the administrator sees an e-mail that failed
    (docs/operations.md, "If e-mail fails") and sends it again once the relay works.
    A notice holds ids, kinds and times only; its texts are in the notifications."""

    list_display = [
        "created_at",
        "kind",
        "email_state",
        "email_attempts",
        "email_error",
        "email_failed_at",
    ]
    list_filter = [EmailFilter, "kind"]
    readonly_fields = (
        "key",
        "kind",
        "point",
        "created_at",
        "sent",
        "email_attempts",
        "email_error",
        "email_retry_at",
        "email_failed_at",
    )
    fields = readonly_fields
    actions = ["send_again"]

    @admin.display(description="E-mail")
    def email_state(self, obj: Notice) -> str:
        if obj.email_failed_at is not None:
            return "Failed"
        if obj.email_retry_at is not None:
            return "Being tried again"
        return "No failure" if obj.email_attempts == 0 else "Sent after a failure"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send the failed e-mails again", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(
            services.retry_failed_email(notice=notice, actor=request.user, now=timezone.now())
            for notice in queryset
        )
        self.message_user(
            request,
            f"{count} notice{'s' if count != 1 else ''} queued to be e-mailed again. "
            "Notices whose e-mail had not failed were left as they were.",
            messages.SUCCESS,
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


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(RecordedAdmin):
    """The background workers and when each last beat (read only: the workers write)."""

    list_display = ["worker_id", "hostname", "beat_at", "alive", "loops", "faults", "last_fault_at"]
    readonly_fields = [
        "worker_id",
        "hostname",
        "pid",
        "started_at",
        "beat_at",
        "interval_seconds",
        "loops",
        "faults",
        "last_fault_at",
        "last_fault",
    ]

    @admin.display(boolean=True, description="Alive")
    def alive(self, obj: WorkerHeartbeat) -> bool:
        return is_alive(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
