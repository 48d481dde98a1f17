"""Enquiries in the Django admin: read only. Enquiries and the people in them change
only through the services, which write the record; the admin is for administrators to
look things up, never to edit around the record."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from mash.agencies.admin import RecordedAdmin
from mash.records.models import Action
from mash.records.services import record_view

from . import permissions
from .models import Enquiry, FeedbackTemplate, NeedLevel, Person


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HonoursRestriction:
    """A restricted enquiry holds in the admin as on every other path (issue 16): an
    object's page is refused, through the restricted page, to staff neither named on its
    enquiry's restriction nor holding a live break of the glass. ``enquiry_path`` is the
    dotted way from the object to its enquiry ("" for an enquiry itself; no default, so
    an admin that forgets it fails loudly). Lists show codes and references only."""

    enquiry_path: str

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is not None:
            enquiry = attrgetter(self.enquiry_path)(obj) if self.enquiry_path else obj
            permissions.check_restriction(request.user, enquiry)
        return super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )


class PersonInline(ReadOnly, admin.TabularInline):  # type: ignore[misc]
    model = Person
    fields = readonly_fields = (
        "kind",
        "first_name",
        "last_name",
        "date_of_birth",
        "estimated_age",
        "date_of_death",
    )
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Enquiry)
class EnquiryAdmin(HonoursRestriction, ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["reference", "hub", "status", "rag", "received_at", "created_at"]
    list_filter = ["status", "rag", "hub"]
    search_fields = ["reference"]  # never names: no personal data in query strings
    date_hierarchy = "created_at"
    inlines = [PersonInline]
    enquiry_path = ""
    fields = readonly_fields = (
        "reference",
        "hub",
        "status",
        "received_at",
        "source",
        "rag",
        "outcome",
        "closed_at",
        "closed_by",
        "created_by",
        "created_at",
        "updated_at",
    )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The enquiry and its people are personal data: the view is recorded."""
        response = super().change_view(request, object_id, form_url, extra_context)
        enquiry = (
            Enquiry.objects.filter(pk=object_id).first() if response.status_code == 200 else None
        )
        if enquiry is not None:
            record_view(
                request,
                action=Action.ENQUIRY_VIEWED,
                obj=enquiry,
                enquiry=enquiry,
                details={"page": "admin"},
            )
        return response


@admin.register(NeedLevel)
class NeedLevelAdmin(RecordedAdmin):
    """The hub's continuum of need: the levels practitioners choose from in the
    threshold decision, lowest first. Retire a level (untick "active") rather than
    delete it: past decisions keep pointing at it."""

    list_display = ("hub", "position", "name", "active")
    list_filter = ("hub", "active")
    ordering = ("hub", "position")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FeedbackTemplate)
class FeedbackTemplateAdmin(RecordedAdmin):
    """The words the referrer is told for each outcome of the threshold decision. The
    templates with no hub are the defaults every hub uses; add one for your hub and an
    outcome to use your own words instead. ``$reference``, ``$referrer_name`` and ``$hub``
    are filled in; the practitioner edits the result before sending."""

    list_display = ("outcome", "hub")
    list_filter = ("hub", "outcome")
    ordering = ("hub", "outcome")
