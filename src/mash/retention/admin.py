"""Retention in the Django admin. Administrators keep each agency's retention schedule
and each hub's retention settings here (every change recorded, with the fields
changed); holds, tombstones and sweep runs
are shown read only (holds are placed and released by the DPO, whose pages record it;
tombstones and runs are written by the sweep alone)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mash.agencies.admin import RecordedAdmin

from .models import Hold, RetentionRule, RetentionSettings, SweepRun, Tombstone


@admin.register(RetentionRule)
class RetentionRuleAdmin(RecordedAdmin):
    list_display = ["agency", "kind", "amount", "unit", "trigger", "updated_at"]
    list_filter = ["agency", "kind", "trigger"]
    fields = ["agency", "kind", "amount", "unit", "trigger", "reason"]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(RecordedAdmin):
    """The hub's retention settings: whether the DPO approves each batch of the sweep
    before anything in it is destroyed (off by default; a hub without settings uses the
    default). Every change is recorded, with the fields changed."""

    list_display = ["hub", "approval_required"]
    fields = ["hub", "approval_required"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Hold)
class HoldAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["scope", "hub", "review_on", "placed_at", "released_at"]
    list_filter = ["scope", "released_at"]
    fields = readonly_fields = (
        "scope",
        "person_id",
        "enquiry_id",
        "hub",
        "reason",
        "review_on",
        "placed_by",
        "placed_at",
        "released_by",
        "released_at",
    )


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["kind", "object_type", "rule_applied", "retention_ended", "destroyed_at"]
    list_filter = ["kind", "hub"]
    fields = readonly_fields = (
        "kind",
        "object_type",
        "object_id",
        "enquiry_id",
        "hub",
        "rule_agency",
        "rule",
        "rule_applied",
        "retention_ended",
        "destroyed_at",
        "sweep",
    )


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = [
        "started_at",
        "finished_at",
        "dry_run",
        "enquiries_examined",
        "records_destroyed",
        "held",
    ]
    fields = readonly_fields = (
        "started_at",
        "finished_at",
        "dry_run",
        "today",
        "enquiries_examined",
        "enquiries_destroyed",
        "records_destroyed",
        "held",
    )
