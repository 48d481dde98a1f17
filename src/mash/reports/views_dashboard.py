"""The dashboard and its exports (issue 18). Thin: check access (the hub's managers and
DPO, ``permissions.can_view_performance``), validate the filters (a bad date or agency
is a 400 naming the field), aggregate (``dashboard``), render. Every table downloads as
CSV or XLSX from the same ``Table`` the page shows; each download is recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mash.agencies.models import Agency
from mash.records.models import Action
from mash.records.services import record_view

from . import charts, dashboard, guidance, services
from .forms import DashboardForm
from .tables import Table, cells_for_xlsx, filename
from .views import _reader

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agencies() -> list[tuple[str, str]]:
    """The filter's choices: the agencies whose figures the worker counts ahead."""
    return [(a.code, a.name) for a in services.partners()]


def _form(http: HttpRequest, agencies: list[tuple[str, str]]) -> DashboardForm:
    if any(name in http.GET for name in ("from_day", "to_day", "agency")):
        return DashboardForm(http.GET, agencies=agencies)
    today = timezone.localdate()
    start = today - dt.timedelta(days=27)
    return DashboardForm(
        {
            "from_day": start.day,
            "from_month": start.month,
            "from_year": start.year,
            "to_day": today.day,
            "to_month": today.month,
            "to_year": today.year,
            "agency": "",
        },
        agencies=agencies,
    )


def _query(form: DashboardForm) -> str:
    q = QueryDict(mutable=True)
    for name in form.fields:
        q[name] = str(form.data.get(name, "") or "")
    return q.urlencode()


def _scope(user: Any, form: DashboardForm) -> dashboard.Scope:
    code = form.cleaned_data.get("agency") or ""
    agency = Agency.objects.filter(code=code).first() if code else None
    return dashboard.Scope(
        hub=user.agency,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        agency=agency,
    )


def _errors(form: DashboardForm) -> list[dict[str, str]]:
    return [
        {"href": f"#id_{name}", "text": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def shown(table: Table, link: Callable[[str, str], str] | None = None) -> dict[str, Any]:
    """The table as the template draws it: text of each cell, and its link."""
    rows = []
    for row in table.rows:
        cells = []
        for i, value in enumerate(row.cells):
            target = row.links[i] if i < len(row.links) else ""
            cells.append(
                {
                    "text": table.text(value, i),
                    "numeric": table.columns[i].numeric,
                    "href": link(table.behind, target) if link and target else "",
                }
            )
        rows.append(cells)
    return {
        "key": table.key,
        "title": table.title,
        "description": table.description,
        "columns": table.columns,
        "shown": rows,
        "drawn": charts.draw(table),
        "note": table.note,
    }


def _page(
    http: HttpRequest,
    template: str,
    build: Callable[[dashboard.Scope], list[Table]],
    counted: bool = False,
) -> HttpResponse:
    user = _reader(http)
    form = _form(http, _agencies())
    valid = form.is_valid()
    tables: list[dict[str, Any]] = []
    query = _query(form)
    stored = None
    if valid:
        scope = _scope(user, form)
        base = query

        def link(name: str, target: str) -> str:
            from django.urls import reverse

            return f"{reverse(name)}?{target}&{base}"

        tables = [shown(t, link) for t in build(scope)]
        if counted:
            stored = dashboard.counted_at(scope)
    return render(
        http,
        template,
        {
            "form": form,
            "valid": valid,
            "tables": tables,
            "error_summary": _errors(form),
            "query": query,
            "left_out": dashboard.LEFT_OUT,
            "counted": stored,
            "agency_choices": form.fields["agency"].choices,  # type: ignore[attr-defined]
        },
        status=200 if valid else 400,
    )


@login_required
@require_GET
def dashboard_page(http: HttpRequest) -> HttpResponse:
    """Volumes, ratings, threshold timing, agencies' responses, outcomes and consent."""
    return _page(http, "reports/dashboard.html", dashboard.dashboard, counted=True)


@login_required
@require_GET
def guidance_page(http: HttpRequest) -> HttpResponse:
    """How the information sharing guidance was followed, each figure linked to its list."""
    return _page(http, "reports/guidance.html", guidance.guidance)


TABLES: dict[str, Callable[[dashboard.Scope], Table]] = {
    "contacts-per-week": dashboard.contacts_per_week,
    "repeat-referrals": dashboard.repeat_referrals,
    "rag-mix": dashboard.rag_mix,
    "threshold-timing": dashboard.threshold_timing,
    "agency-responses": dashboard.agency_responses,
    "threshold-outcomes": dashboard.threshold_outcomes,
    "feedback-on-time": dashboard.feedback_on_time,
    "consent-overrides": dashboard.consent_overrides,
    **guidance.TABLES,
}


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header())
    writer.writerows(table.text_rows())
    return out.getvalue().encode("utf-8")


def _xlsx(table: Table, scope: dashboard.Scope) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = table.key[:31]
    sheet.append(table.header())
    for row in cells_for_xlsx(table):
        sheet.append(row)
    notes = book.create_sheet("About")
    notes.append(["Table", table.title])
    notes.append(["Description", table.description])
    notes.append(["Hub", str(scope.hub.name)])
    notes.append(["From", scope.start.isoformat()])
    notes.append(["To", scope.end.isoformat()])
    notes.append(["Agency", scope.agency.name if scope.agency else "All agencies"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@require_GET
def export(http: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table as CSV or XLSX, the same figures as the page; recorded as an export."""
    user = _reader(http)
    build = TABLES.get(table)
    if build is None or fmt not in ("csv", "xlsx"):
        raise Http404
    form = DashboardForm(http.GET, agencies=_agencies())
    if not form.is_valid():
        messages = "; ".join(str(m) for ms in form.errors.values() for m in ms)
        return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
    scope = _scope(user, form)
    result = build(scope)
    body = _csv(result) if fmt == "csv" else _xlsx(result, scope)
    record_view(
        http,
        action=Action.EXPORT_DOWNLOADED,
        details={
            "export": table,
            "format": fmt,
            "from": scope.start.isoformat(),
            "to": scope.end.isoformat(),
            "agency": scope.agency.code if scope.agency else "",
            "rows": len(result.rows),
        },
    )
    kind = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(result, scope.start, scope.end, fmt)}"'
    )
    return response


@login_required
@require_GET
def decisions_behind(http: HttpRequest) -> HttpResponse:
    """The paged list of the decisions behind one figure of the guidance page, with the
    viewer's access rules (the hub sees a decision once it is released): references,
    agencies, dates and outcomes, each linking to its decision record."""
    from mash.lib import paging
    from mash.sharing import permissions as sharing_permissions

    user = _reader(http)
    form = DashboardForm(http.GET, agencies=_agencies())
    figure, value = http.GET.get("figure", ""), http.GET.get("value", "")
    errors = _errors(form) if not form.is_valid() else []
    if value not in guidance.FIGURES.get(figure, {}):
        errors.append({"href": "#figure", "text": "Figure: choose a figure on the report"})
    if errors:
        return render(
            http,
            "reports/decisions.html",
            {"error_summary": errors, "valid": False},
            status=400,
        )
    scope = _scope(user, form)
    counted = guidance.behind(scope, figure, value)
    visible = counted.filter(pk__in=sharing_permissions.visible_decisions(user).values("pk"))
    page = paging.page_of(
        http,
        visible.select_related("agency", "request__enquiry").order_by("-decided_at", "pk"),
        noun="decisions",
        noun_one="decision",
    )
    hidden = counted.count() - page.total
    record_view(
        http,
        action=Action.REPORT_LISTED,
        details={
            "figure": figure,
            "value": value,
            "decisions": [str(d.pk) for d in page.rows],
        },
    )
    return render(
        http,
        "reports/decisions.html",
        {
            "valid": True,
            "label": guidance.FIGURES[figure][value][0],
            "page": page,
            "hidden": hidden,
            "scope": scope,
            "back": f"?{_query(form)}",
        },
    )


@login_required
@require_GET
def feedback_behind(http: HttpRequest) -> HttpResponse:
    """The paged list of the authorised threshold decisions behind one feedback figure of
    the dashboard, with the viewer's access rules (their hub's enquiries): references,
    when authorised, when feedback was due and when sent, each linking to its enquiry."""
    from mash.enquiries import permissions as enquiry_permissions
    from mash.lib import paging

    user = _reader(http)
    form = DashboardForm(http.GET, agencies=_agencies())
    value = http.GET.get("value", "")
    errors = _errors(form) if not form.is_valid() else []
    figures = dashboard.feedback_figures(timezone.now())
    if value not in figures:
        errors.append({"href": "#figure", "text": "Figure: choose a figure on the dashboard"})
    if errors:
        return render(
            http,
            "reports/feedback_decisions.html",
            {"error_summary": errors, "valid": False},
            status=400,
        )
    scope = _scope(user, form)
    counted = dashboard.feedback_behind(scope, value)
    visible = counted.filter(enquiry__in=enquiry_permissions.listed_enquiries(user).values("pk"))
    page = paging.page_of(
        http,
        visible.select_related("enquiry", "feedback").order_by("-reviewed_at", "pk"),
        noun="threshold decisions",
        noun_one="threshold decision",
    )
    hidden = counted.count() - page.total
    record_view(
        http,
        action=Action.REPORT_LISTED,
        details={
            "figure": "feedback",
            "value": value,
            "threshold_decisions": [str(d.pk) for d in page.rows],
        },
    )
    return render(
        http,
        "reports/feedback_decisions.html",
        {
            "valid": True,
            "label": figures[value][0],
            "page": page,
            "hidden": hidden,
            "scope": scope,
            "back": f"?{_query(form)}",
        },
    )
