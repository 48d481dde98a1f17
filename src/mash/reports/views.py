"""The performance report: a page and the same figures as CSV. Thin: check access,
validate the dates, select, render. The CSV download is recorded as an export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mash.records.models import Action
from mash.records.services import record_view

from . import permissions, selectors
from .forms import DateRangeForm

RATING_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", "": "Not rated"}
CSV_COLUMNS = (
    "agency",
    "rating",
    "requests",
    "answered",
    "median_response_hours",
    "p90_response_hours",
    "answered_on_time",
    "counted_for_on_time",
    "on_time_percent",
)


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


def _form(http: HttpRequest) -> DateRangeForm:
    if http.GET:
        return DateRangeForm(http.GET)
    today = timezone.localdate()
    start = today - dt.timedelta(days=27)
    return DateRangeForm(
        {
            "from_day": start.day,
            "from_month": start.month,
            "from_year": start.year,
            "to_day": today.day,
            "to_month": today.month,
            "to_year": today.year,
        }
    )


def _reader(http: HttpRequest) -> Any:
    if not permissions.can_view_performance(http.user):
        raise PermissionDenied  # the 403 is recorded by the record middleware
    return http.user


@login_required
@require_GET
def performance(http: HttpRequest) -> HttpResponse:
    """Per agency and rating: requests, response times and the share answered on time."""
    user = _reader(http)
    form = _form(http)
    rows: list[selectors.Row] = []
    valid = form.is_valid()
    if valid:
        rows = selectors.performance(
            hub=user.agency, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    errors = [
        {"href": f"#id_{name}", "text": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return render(
        http,
        "reports/performance.html",
        {
            "form": form,
            "rows": [
                {
                    "row": r,
                    "rating": RATING_LABELS.get(r.rating, r.rating),
                    "median": _hours(r.median_hours),
                    "p90": _hours(r.p90_hours),
                    "on_time": _percent(r.on_time_share),
                }
                for r in rows
            ],
            "valid": valid,
            "error_summary": errors,
            "query": http.GET.urlencode() if valid and http.GET else _query(form),
        },
        status=200 if valid else 400,
    )


def _query(form: DateRangeForm) -> str:
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for name in form.fields:
        q[name] = str(form.data.get(name, "") or "")
    return q.urlencode()


@login_required
@require_GET
def performance_csv(http: HttpRequest) -> HttpResponse:
    """The same figures as CSV, recorded as an export."""
    user = _reader(http)
    form = DateRangeForm(http.GET)
    if not form.is_valid():
        messages = "; ".join(str(m) for ms in form.errors.values() for m in ms)
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = selectors.performance(hub=user.agency, start=start, end=end)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.agency,
                RATING_LABELS.get(r.rating, r.rating),
                r.requests,
                r.answered,
                _hours(r.median_hours),
                _hours(r.p90_hours),
                r.on_time,
                r.counted_for_on_time,
                _percent(r.on_time_share),
            ]
        )
    record_view(
        http,
        action=Action.EXPORT_DOWNLOADED,
        details={
            "export": "performance",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "rows": len(rows),
        },
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{start.isoformat()}-to-{end.isoformat()}.csv"'
    )
    return response
