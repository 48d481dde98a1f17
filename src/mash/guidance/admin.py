"""Loading a new version of the guidance (text and review date) without code; the hub's
purposes list; the lawful bases each agency may rely on; the advice contacts (changes recorded).

A version once loaded is never changed or deleted: decisions made under it link to its
text. The list says which is current and whether its review date has passed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from mash.agencies.admin import RecordedAdmin
from mash.policy import LAWFUL_BASIS_WORDS

from . import services
from .models import AdviceContact, AgencyLawfulBases, GuidanceVersion, SharingPurpose


@admin.register(GuidanceVersion)
class GuidanceVersionAdmin(admin.ModelAdmin):
    list_display = (
        "version_id",
        "title",
        "version",
        "issued",
        "review_date",
        "past_review",
        "loaded_at",
    )
    fields = ("version_id", "title", "publisher", "version", "issued", "review_date", "text")

    @admin.display(boolean=True, description="Past its review date")
    def past_review(self, obj: GuidanceVersion) -> bool:
        return obj.is_past_review()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.load_version(actor=request.user, version=obj)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        current = GuidanceVersion.objects.order_by("-loaded_at").first()
        if current is not None and current.is_past_review():
            messages.warning(
                request,
                f"The current guidance ({current}) is past its review date "
                f"({current.review_date:%d %B %Y}). Load the reviewed version when the "
                "partnership publishes it.",
            )
        return super().changelist_view(request, extra_context)


class AgencyLawfulBasesForm(forms.ModelForm):
    codes = forms.MultipleChoiceField(
        choices=list(LAWFUL_BASIS_WORDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Lawful bases this agency may rely on",
    )

    class Meta:
        model = AgencyLawfulBases
        fields = ("agency", "codes")


@admin.register(AgencyLawfulBases)
class AgencyLawfulBasesAdmin(RecordedAdmin):
    form = AgencyLawfulBasesForm
    list_display = ("agency", "bases")

    @admin.display(description="Lawful bases")
    def bases(self, obj: AgencyLawfulBases) -> str:
        return ", ".join(obj.codes)


@admin.register(SharingPurpose)
class SharingPurposeAdmin(RecordedAdmin):
    list_display = ("name", "code", "active", "order")
    list_filter = ("active",)
    fields = ("code", "name", "description", "active", "order")


@admin.register(AdviceContact)
class AdviceContactAdmin(RecordedAdmin):
    """The hub's MASH helpline and safeguarding leads, shown wherever the guidance says to
    seek advice (decision pages, the check page, the golden rules). Changes recorded."""

    list_display = ("name", "kind", "role", "phone", "email", "hours", "active", "order")
    list_filter = ("kind", "active")
    fields = ("kind", "name", "role", "phone", "email", "hours", "active", "order")
