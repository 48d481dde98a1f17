"""The dashboard page: who may open it, the filters (a bad date or agency is a 400
naming the field, never a 500), each chart an accessible SVG with its table beside it,
and every table's CSV and XLSX holding the page's figures, each download recorded."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mash.records.models import RecordEntry

from .world import QUERY, make

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def world(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    return make(cast, agencies)


@pytest.mark.parametrize("who", ["hub_manager", "dpo"])
def test_the_hubs_managers_and_dpo_see_it(client_for: Any, who: str) -> None:
    assert client_for(who).get(URL).status_code == 200


@pytest.mark.parametrize(
    "who", ["hub_practitioner", "police_practitioner", "police_manager", "outsider"]
)
def test_everyone_else_is_refused(client_for: Any, who: str) -> None:
    assert client_for(who).get(URL).status_code == 403
    assert client_for(who).get(reverse("reports:guidance")).status_code == 403
    export = reverse("reports:export", kwargs={"table": "rag-mix", "fmt": "csv"})
    assert client_for(who).get(export, QUERY).status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"from_month": "13"}, "Date from must be a real date"),
        ({"to_day": ""}, "Date to must include a day"),
        ({"to_year": "20260"}, "Date to: the year must be 4 digits or fewer"),
        ({"to_year": "2025"}, "Date to must be the same as or after date from"),
        ({"agency": "nope"}, "Agency: choose one of the agencies listed"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(
    client_for: Any, changes: dict[str, str], message: str
) -> None:
    response = client_for("hub_manager").get(URL, {**QUERY, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    export = reverse("reports:export", kwargs={"table": "rag-mix", "fmt": "xlsx"})
    bad = client_for("hub_manager").get(export, {**QUERY, **changes})
    assert bad.status_code == 400
    assert message in bad.content.decode()


def test_each_chart_is_an_svg_named_by_its_title_with_its_table_beside_it(
    client_for: Any, world: Any
) -> None:
    body = client_for("hub_manager").get(URL, QUERY).content.decode()
    for key in (
        "contacts-per-week",
        "repeat-referrals",
        "rag-mix",
        "threshold-timing",
        "agency-responses",
    ):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in body
        assert f'<title id="chart-{key}-title">' in body
        assert f'id="table-{key}"' in body
    assert "<svg" in body and "style=" not in body.split("<main", 1)[1]
    assert "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    # The figures are on the page as text too (the RAG mix and a median).
    assert "Median hours to decision" in body and "15.0" in body
    assert "Repeat referrals within 12 months" in body


def _table_on_page(body: str, key: str) -> list[list[str]]:
    import re

    start = body.index(f'id="table-{key}"')
    table = body[start : body.index("</table>", start)]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
    out = []
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        out.append([re.sub(r"<[^>]+>|: list the decisions", "", c).strip() for c in cells])
    return out


@pytest.mark.parametrize(
    "key",
    [
        "contacts-per-week",
        "repeat-referrals",
        "rag-mix",
        "threshold-timing",
        "agency-responses",
        "consent-overrides",
        "decisions-by-basis",
        "items-by-kind",
    ],
)
def test_the_csv_and_xlsx_hold_the_figures_on_the_page(
    client_for: Any, world: Any, key: str, cast: Any
) -> None:
    client = client_for("dpo")
    page = (
        "reports:guidance"
        if key in ("decisions-by-basis", "items-by-kind")
        else "reports:dashboard"
    )
    shown = _table_on_page(client.get(reverse(page), QUERY).content.decode(), key)
    shown = [[c if c != "No figure" else "" for c in row] for row in shown]

    got = client.get(reverse("reports:export", kwargs={"table": key, "fmt": "csv"}), QUERY)
    assert got.status_code == 200
    assert (
        got["Content-Disposition"] == f'attachment; filename="{key}-2026-01-05-to-2026-01-25.csv"'
    )
    assert list(csv.reader(io.StringIO(got.content.decode()))) == shown

    got = client.get(reverse("reports:export", kwargs={"table": key, "fmt": "xlsx"}), QUERY)
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.content)).worksheets[0]
    values = [[_norm(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values == [[_norm(c) for c in row] for row in shown]
    entries = RecordEntry.objects.filter(action="export.downloaded").order_by("seq")
    assert [e.details["format"] for e in entries] == ["csv", "xlsx"]
    assert entries.last().details["export"] == key  # type: ignore[union-attr]


def _norm(value: Any) -> Any:
    """A cell as a number where it is one (a spreadsheet keeps 15.0 as 15), else text."""
    if value is None:
        return ""
    try:
        return round(float(value), 1)
    except ValueError:
        return str(value)


def test_an_unknown_table_or_format_is_not_found(client_for: Any) -> None:
    client = client_for("hub_manager")
    assert (
        client.get(
            reverse("reports:export", kwargs={"table": "nope", "fmt": "csv"}), QUERY
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("reports:export", kwargs={"table": "rag-mix", "fmt": "ods"}), QUERY
        ).status_code
        == 404
    )
