"""Read-only admin for requests and decisions: codes, dates and statuses only.

Decisions are never edited (corrections are new decisions), and the text of requests,
decisions and disclosures is personal data shown only on the access-checked, recorded
pages, so the admin shows none of it and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from mash.enquiries.admin import HonoursRestriction

from .models import Decision, InformationRequest, SharingSettings


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(InformationRequest)
class InformationRequestAdmin(HonoursRestriction, _ReadOnly):  # type: ignore[misc]
    list_display = ("id", "enquiry", "agency", "status", "deadline", "created_at")
    enquiry_path = "enquiry"
    list_filter = ("status", "agency")
    fields = ("id", "enquiry", "agency", "status", "deadline", "created_by", "created_at")
    readonly_fields = fields


@admin.register(Decision)
class DecisionAdmin(HonoursRestriction, _ReadOnly):  # type: ignore[misc]
    list_display = ("id", "agency", "outcome", "basis", "decided_at", "guidance_version")
    enquiry_path = "request.enquiry"
    list_filter = ("outcome", "agency", "basis")
    fields = (
        "id",
        "request",
        "agency",
        "decided_by",
        "decided_at",
        "guidance_version",
        "outcome",
        "basis",
        "without_consent",
        "supersedes",
    )
    readonly_fields = fields


@admin.register(SharingSettings)
class SharingSettingsAdmin(admin.ModelAdmin):
    """The hub's sharing settings: whether a manager of the disclosing agency signs off a
    share that overrides a refusal of consent before the hub sees it (on by default; a
    hub without settings uses the default). Changes are recorded by the admin's record
    middleware."""

    list_display = ("hub", "signoff_for_consent_overrides")
    fields = ("hub", "signoff_for_consent_overrides")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
