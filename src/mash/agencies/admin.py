"""Administration of agencies, users and roles (Django admin).

Every change made here lands in the record with the fields that changed (names only,
never values), in the admin's own transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.records.models import Action
from mash.records.services import record

from . import services
from .models import Agency, User

# django-otp's own admin pages show each authenticator's secret key and QR code: an
# administrator resets a person's two-factor sign-in instead (the action below).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class RecordedAdmin(admin.ModelAdmin):
    """Writes a record entry (with the names of the fields changed) for every addition,
    change and deletion made in the admin, inside the admin's own transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            action=Action.ADMIN_CHANGED if change else Action.ADMIN_ADDED,
            actor=request.user,
            obj=obj,
            details={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(action=Action.ADMIN_DELETED, actor=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(action=Action.ADMIN_DELETED, actor=request.user, obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(Agency)
class AgencyAdmin(RecordedAdmin):
    list_display = ["name", "code", "kind", "is_hub", "active"]
    list_filter = ["kind", "is_hub", "active"]
    search_fields = ["name", "code"]


@admin.register(User)
class HubUserAdmin(RecordedAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "role", "is_active"]
    list_filter = ["agency", "role", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Agency and role", {"fields": ("agency", "role", "job_title")}),
    )  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Agency and role", {"fields": ("agency", "role")}))
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (they set it up again and are signed out)")
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        """For someone who lost their phone and their recovery codes: their authenticator
        and recovery codes go, their sessions end, and it is recorded."""
        for user in queryset:
            services.reset_two_factor(user=user, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            f"Two-factor sign-in reset for {queryset.count()} "
            f"{'person' if queryset.count() == 1 else 'people'}. They set it up again at "
            "their next sign-in.",
            messages.SUCCESS,
        )
