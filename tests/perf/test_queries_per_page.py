"""Every list and record page costs the same number of queries with a hub of N
enquiries as with 10N, and shows one page of rows, never the whole list (issue 13,
"a hub's years of data"; DESIGN.md, after Data Hub's checklist). A page that grew a
query per row, or loaded every row to show 25, fails here.

Each page is loaded once to warm what a signed-in person's first request sets up
(their two-factor device, the hub's clock), then counted at N and again at 10N.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.lib.paging import PER_PAGE
from tests.enquiries.sharing_helpers import ask, decide, disclose

from .builders import grow_hub

N = 3


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response.content.decode()


def rows_in(body: str, table_id: str = "") -> int:
    """Table rows in the page's bodies (or in the tab panel with this id)."""
    if table_id:
        start = body.index(f'id="{table_id}"')
        end = body.find('class="govuk-tabs__panel', start + 1)
        body = body[start : end if end > 0 else len(body)]
    return len(re.findall(r'<tbody class="govuk-table__body">|<tr class="govuk-table__row">', body))


def same_at_n_and_10n(
    client: Client, url: str, grow: Callable[[int], None], *, panel: str = ""
) -> tuple[int, int, int]:
    """Queries at N and 10N, and the rows shown at 10N (after checking more show)."""
    grow(N)
    client.get(url)
    few, small = queries(client, url)
    grow(10 * N)
    many, large = queries(client, url)
    assert many == few, f"{url}: {few} queries at {N} enquiries, {many} at {10 * N}"
    print(f"{url} #{panel}: {few} queries at {N} and {10 * N} enquiries")
    shown_few, shown_many = rows_in(small, panel), rows_in(large, panel)
    assert shown_many > shown_few, (shown_few, shown_many)
    return few, many, shown_many


@pytest.fixture
def grow(cast: dict[str, Any], agencies: dict[str, Any]) -> Callable[[int], None]:
    def to(size: int) -> None:
        grow_hub(to=size, police=agencies["police"], owner=cast["hub_practitioner"])

    return to


@pytest.mark.parametrize(
    ("who", "url", "panel"),
    [
        ("police_practitioner", "/requests/", "open"),
        ("police_practitioner", "/requests/", "answered"),
        ("hub_practitioner", "/requests/", "open"),
        ("hub_practitioner", "/requests/", "answered"),
        ("hub_practitioner", "/enquiries/", ""),
        ("hub_practitioner", "/enquiries/?show=closed", ""),
        ("hub_practitioner", "/my-work", ""),
        ("hub_manager", "/my-work", ""),
    ],
)
def test_a_list_costs_the_same_queries_at_n_and_10n_enquiries(
    client_for: Any, grow: Callable[[int], None], who: str, url: str, panel: str
) -> None:
    few, _many, _shown = same_at_n_and_10n(client_for(who), url, grow, panel=panel)
    assert few <= 30, f"{url} costs {few} queries"


def test_a_list_shows_one_page_not_every_row(
    client_for: Any, grow: Callable[[int], None], settings: Any
) -> None:
    grow(2 * PER_PAGE + 2)  # 26 open and 26 closed enquiries: two pages each
    client = client_for("hub_practitioner")
    for url in ("/enquiries/", "/enquiries/?show=closed", "/requests/"):
        body = client.get(url).content.decode()
        tables = body.count('<tbody class="govuk-table__body">')
        assert rows_in(body) <= tables * (PER_PAGE + 2), url
        assert 'class="govuk-pagination"' in body, url
    body = client.get("/enquiries/?page=2").content.decode()
    assert "Showing 26 to 26 of 26 enquiries" in body


def test_the_enquiry_page_costs_the_same_queries_with_3_or_30_agencies_answering(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.agencies.models import Agency
    from mash.enquiries.models import Enquiry, Person

    grow_hub(to=1, police=agencies["police"], owner=cast["hub_practitioner"])
    enquiry = Enquiry.objects.get()
    child = Person.objects.filter(enquiry=enquiry, kind="child").first()
    client = client_for("hub_practitioner")
    url = f"/enquiries/{enquiry.pk}/"
    made = iter(range(1000))

    def answered_by(count: int) -> None:
        for _ in range(count):
            n = next(made)
            agency = Agency.objects.create(code=f"agency-{n}", name=f"Agency {n}", kind="other")
            request = ask(enquiry, agency, cast["hub_practitioner"], status="answered")
            decision = decide(request, cast["hub_practitioner"])
            disclose(decision, [child], text=f"ITEM-{n} shared")

    answered_by(3)
    client.get(url)
    few, small = queries(client, url)
    answered_by(27)
    many, large = queries(client, url)
    assert large.count(" shared") > small.count(" shared") >= 3
    assert many == few, (few, many)


def test_the_decision_record_costs_the_same_queries_with_3_or_30_items(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.enquiries.models import Enquiry, Person

    grow_hub(to=1, police=agencies["police"], owner=cast["hub_practitioner"])
    enquiry = Enquiry.objects.get()
    child = Person.objects.filter(enquiry=enquiry, kind="child").first()
    request = ask(enquiry, agencies["health"], cast["hub_practitioner"], status="answered")
    decision = decide(request, cast["health_practitioner"])
    url = f"/requests/decisions/{decision.pk}"
    for n in range(3):
        disclose(decision, [child], text=f"ITEM-{n} shared")
    client = client_for("hub_practitioner")
    client.get(url)
    few, small = queries(client, url)
    for n in range(3, 30):
        disclose(decision, [child], text=f"ITEM-{n} shared")
    many, large = queries(client, url)
    assert "ITEM-29 shared" in large and "ITEM-29 shared" not in small
    assert many == few, (few, many)


@pytest.mark.parametrize("url", ["/record/", "/record/activity", "/record/denied"])
def test_a_record_page_costs_the_same_queries_at_n_and_10n_entries(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], url: str
) -> None:
    from mash.records.models import Action
    from mash.records.services import record_many

    client = client_for("dpo")

    def grow(size: int) -> None:
        grow_hub(to=size, police=agencies["police"], owner=cast["hub_practitioner"])
        record_many(
            {
                "action": Action.ACCESS_DENIED,
                "actor": cast["outsider"],
                "object_type": "page",
                "object_id": "enquiries:detail",
                "details": {"at": str(timezone.now() - dt.timedelta(minutes=n))},
            }
            for n in range(size)
        )

    grow(N)
    client.get(url)
    few, _ = queries(client, url)
    grow(10 * N)
    many, _ = queries(client, url)
    assert many == few, (few, many)
