"""The register in the admin: read-only. Consent is recorded through the pages or the
API (``services.py``), which also write the record; the admin never edits an event."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mash.enquiries.admin import HonoursRestriction

from .models import ConsentRecord


@admin.register(ConsentRecord)
class ConsentRecordAdmin(HonoursRestriction, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["id", "status", "method", "given_on", "all_agencies", "recorded_at"]
    list_filter = ["status", "method", "all_agencies", "all_categories"]
    date_hierarchy = "given_on"
    enquiry_path = "person.enquiry"
    readonly_fields = [field.name for field in ConsentRecord._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
