"""The record's pages for the DPO and managers: its health, who has viewed or changed
an enquiry's or a person's information, and refused access. Thin: parse, select,
record the view, render.

Guidance, Record and 7 Golden Rules, rule 7 "Keep a Record". Reading the record is
itself recorded (``record.viewed``; the CSV download as ``export.downloaded``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from mash.agencies.models import Agency, User

from . import permissions, selectors
from .chain import format_time
from .forms import ActivityFilterForm
from .models import Action, RecordEntry
from .services import record_view

PAGE_SIZE = 50


CSV_COLUMNS = (
    "seq",
    "at",
    "actor_user_id",
    "actor_username",
    "actor_agency",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "enquiry_id",
    "correlation_id",
    "hash",
)


def _reader(request: HttpRequest) -> Any:
    if not permissions.can_read_record(request.user):
        raise PermissionDenied  # the 403 is recorded by the record middleware
    return request.user


def _page(request: HttpRequest, entries: QuerySet[RecordEntry]) -> Page:
    return Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))


def _filter_form(request: HttpRequest, user: Any) -> ActivityFilterForm:
    codes = permissions.visible_agency_codes(user)
    agencies = Agency.objects.all()
    people = User.objects.select_related("agency").order_by("username")
    if codes is not None:
        agencies = agencies.filter(code__in=codes)
        people = people.filter(agency__code__in=codes)
    return ActivityFilterForm(
        request.GET or None,
        users=[
            (str(person.pk), f"{person.username} ({person.agency or 'no agency'})")
            for person in people
        ],
        agencies=[(agency.code, agency.name) for agency in agencies],
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    health = selectors.health()
    record_view(request, action=Action.RECORD_VIEWED, details={"page": "dashboard"})
    return render(
        request,
        "records/dashboard.html",
        {**health, "whole_record": permissions.sees_whole_record(user)},
    )


@login_required
def activity(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _filter_form(request, user)
    if form.is_bound and not form.is_valid():
        record_view(request, action=Action.RECORD_VIEWED, details={"page": "activity"})
        return render(
            request,
            "records/activity.html",
            {"form": form, "whole_record": permissions.sees_whole_record(user)},
            status=400,
        )
    filters = form.cleaned_data if form.is_bound else {}
    page = _page(request, selectors.activity(user, filters))
    record_view(
        request,
        action=Action.RECORD_VIEWED,
        enquiry=filters.get("enquiry"),
        details={"page": "activity", "filters": form.filters() if form.is_bound else {}},
    )
    return render(
        request,
        "records/activity.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "searched": form.is_bound,
            "whole_record": permissions.sees_whole_record(user),
        },
    )


def _csv_safe(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: QuerySet[RecordEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in entries.values_list(*CSV_COLUMNS).iterator(chunk_size=2000):
        cells = list(row)
        cells[1] = format_time(cells[1])
        yield writer.writerow([_csv_safe(cell) for cell in cells])


@login_required
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = _reader(request)
    form = _filter_form(request, user)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "records/activity.html",
            {"form": form, "whole_record": permissions.sees_whole_record(user)},
            status=400,
        )
    filters = form.cleaned_data if form.is_bound else {}
    entries = selectors.activity(user, filters)
    record_view(
        request,
        action=Action.EXPORT_DOWNLOADED,
        enquiry=filters.get("enquiry"),
        details={
            "page": "activity",
            "format": "csv",
            "filters": form.filters() if form.is_bound else {},
            "rows": entries.count(),
        },
    )
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="record-{stamp}.csv"'
    return response


@login_required
def denied(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    page = _page(request, selectors.denied(user))
    record_view(request, action=Action.RECORD_VIEWED, details={"page": "denied"})
    return render(
        request,
        "records/denied.html",
        {"page": page, "query": "", "whole_record": permissions.sees_whole_record(user)},
    )
