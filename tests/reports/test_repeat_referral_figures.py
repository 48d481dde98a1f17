"""The dashboard's repeat referrals (issue 18) against contacts and linked children made
in the test, worked out by hand: a contact is a repeat when a child in it was a child in
another of the hub's contacts received in the 365 days before it (mash.people.repeats)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mash.reports import dashboard
from mash.reports.dashboard import Scope

from . import builders as b
from .builders import at
from .world import END, QUERY, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(cast: dict[str, Any]) -> None:
    hub = cast["hub_practitioner"]

    def contact(when: Any, **kw: Any) -> Any:
        return b.contact(hub, received=when, **kw)

    # A: referred in December, then twice in the period: both are repeats.
    a = b.child_in(contact(at(1, month=12, year=2025)))
    b.child_in(contact(at(6)), a)
    b.child_in(contact(at(13)), a)
    # B: 366 days between the two contacts: not a repeat.
    bee = b.child_in(contact(at(7, year=2025)))
    b.child_in(contact(at(8)), bee)
    # F: exactly 365 days: a repeat.
    f = b.child_in(contact(at(21, year=2025)))
    b.child_in(contact(at(21)), f)
    # C: an adult in both contacts (with a new child each time): not a repeat.
    c = b.child_in(contact(at(2, month=12, year=2025)), kind="parent")
    later = contact(at(14))
    b.child_in(later)
    b.child_in(later, c, kind="parent")
    # D: an earlier draft is not a contact: not a repeat.
    d = b.child_in(contact(at(3, month=12, year=2025), status="draft"))
    b.child_in(contact(at(20)), d)
    # E: a child new to the hub.
    b.child_in(contact(at(20, hour=11)))
    # A later contact about A (after the period) does not make the earlier ones repeats
    # of it, and is not counted in the period.
    b.child_in(contact(at(2, month=2)), a)


EXPECTED = [
    ("2026-01-05", 2, 1, 50.0),
    ("2026-01-12", 2, 1, 50.0),
    ("2026-01-19", 3, 1, pytest.approx(100 / 3)),
    ("All the period", 7, 3, pytest.approx(300 / 7)),
]


def test_repeat_referrals_each_week_and_in_all(linked: None, agencies: Any) -> None:
    table = dashboard.repeat_referrals(Scope(hub=agencies["hub"], start=START, end=END))
    assert [r.cells for r in table.rows] == EXPECTED
    assert table.text_rows()[-1] == ["All the period", "7", "3", "43"]


def test_an_agency_chosen_counts_only_the_contacts_it_was_asked_about(
    linked: None, cast: Any, agencies: Any
) -> None:
    from mash.enquiries.models import Enquiry

    # The police were asked about the contact of 13 January (a repeat) only.
    b.ask(Enquiry.objects.get(received_at=at(13)), agencies["police"], cast["hub_practitioner"])
    scope = Scope(hub=agencies["hub"], start=START, end=END, agency=agencies["police"])
    rows = [r.cells for r in dashboard.repeat_referrals(scope).rows]
    assert rows[-1] == ("All the period", 1, 1, 100.0)


def test_the_page_and_both_exports_hold_the_same_figures(linked: None, client_for: Any) -> None:
    client = client_for("hub_manager")
    body = client.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "Repeat referrals within 12 months" in body
    assert "All the period: 43% repeat referrals" in body  # the chart's description
    url = reverse("reports:export", kwargs={"table": "repeat-referrals", "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(client.get(url, QUERY).content.decode())))
    assert rows[0] == ["Week beginning", "Contacts", "Repeat referrals", "Repeat referrals %"]
    assert rows[1:] == [
        ["2026-01-05", "2", "1", "50"],
        ["2026-01-12", "2", "1", "50"],
        ["2026-01-19", "3", "1", "33"],
        ["All the period", "7", "3", "43"],
    ]
    url = reverse("reports:export", kwargs={"table": "repeat-referrals", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url, QUERY).content)).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["2026-01-05", 2, 1, 50],
        ["2026-01-12", 2, 1, 50],
        ["2026-01-19", 3, 1, 33],
        ["All the period", 7, 3, 43],
    ]
