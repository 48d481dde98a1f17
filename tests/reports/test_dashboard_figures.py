"""Each dashboard table's figures against the world made in tests/reports/world.py,
worked out by hand; the agency filter; the percentiles against the Python definition."""

from __future__ import annotations

from typing import Any

import pytest

from mash.reports import dashboard
from mash.reports.dashboard import Scope
from mash.reports.stats import percentile

from .world import END, START, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    return make(cast, agencies)


def _scope(agencies: dict[str, Any], agency: Any = None) -> Scope:
    return Scope(hub=agencies["hub"], start=START, end=END, agency=agency)


def cells(table: Any) -> list[tuple[Any, ...]]:
    return [r.cells for r in table.rows]


def test_it_counts_contacts_each_week_and_those_sent_to_agencies(world: Any, agencies: Any) -> None:
    table = dashboard.contacts_per_week(_scope(agencies))
    assert cells(table) == [("2026-01-05", 2, 2), ("2026-01-12", 2, 2), ("2026-01-19", 1, 0)]


def test_the_rag_mix_counts_each_rating_once(world: Any, agencies: Any) -> None:
    table = dashboard.rag_mix(_scope(agencies))
    assert cells(table) == [
        ("Red", 1, 20.0),
        ("Amber", 1, 20.0),
        ("Green", 1, 20.0),
        ("Blue", 1, 20.0),
        ("Not rated", 1, 20.0),
    ]


def test_time_to_the_threshold_decision(world: Any, agencies: Any) -> None:
    rows = dict(cells(dashboard.threshold_timing(_scope(agencies))))
    # Hours to the first decision: 2, 30, 10, 20 (one contact waits, long overdue).
    assert rows["Contacts received"] == 5
    assert rows["Decided"] == 4
    assert rows["Decided within 24 hours"] == 3
    assert rows["Decided after 24 hours"] == 1
    assert rows["Waiting for a decision"] == 1
    assert rows["Median hours to decision"] == pytest.approx(15.0)
    assert rows["Median hours to decision"] == pytest.approx(percentile([2, 30, 10, 20], 0.5))
    assert rows["90th percentile hours to decision"] == pytest.approx(27.0)
    assert rows["On time % (of the decided and the overdue: 5)"] == pytest.approx(60.0)


def test_each_agencys_response_times(world: Any, agencies: Any) -> None:
    table = dashboard.agency_responses(_scope(agencies))
    [health, police] = cells(table)
    # Health: answers after 10 and 2 hours, both on time.
    assert health[:3] == ("NHS health", 2, 2)
    assert health[3] == pytest.approx(6.0)
    assert health[4] == pytest.approx(9.2)
    assert health[5:] == (2, 2, 100.0)
    # Police: 3 hours (the first answer released; its correction came at 4), 30
    # (released at sign-off), one unanswered and overdue (its held share has not
    # reached the hub).
    assert police[:3] == ("Police", 3, 2)
    assert police[3] == pytest.approx(16.5)
    assert police[4] == pytest.approx(27.3)
    assert police[5:7] == (1, 3)
    assert police[7] == pytest.approx(100 / 3)
    assert table.text_rows()[1][7] == "33"


def test_threshold_outcomes_count_authorised_decisions_only(world: Any, agencies: Any) -> None:
    counts = dict(cells(dashboard.threshold_outcomes(_scope(agencies))))
    assert counts == {
        "No further action": 0,
        "Advice and information": 1,
        "Early help": 1,
        "Child in need assessment (section 17)": 0,
        "Strategy discussion (section 47)": 1,
        "Police investigation": 1,
        "Referral to another service": 0,
    }


def test_consent_overrides_by_kind(world: Any, agencies: Any) -> None:
    counts = dict(cells(dashboard.consent_overrides(_scope(agencies))))
    assert counts == {
        "Contacts referred to the hub without consent": 1,
        # Police's share over a refusal, and its held one on another request.
        "Consent refused or withdrawn, and overridden": 2,
        "Consent not sought (reason recorded)": 1,
        "Other shares without consent (consent not needed or not possible)": 0,
    }


def test_one_agency_chosen_counts_its_contacts_requests_and_decisions(
    world: Any, agencies: Any
) -> None:
    scope = _scope(agencies, agencies["police"])
    assert [r[0] for r in cells(dashboard.agency_responses(scope))] == ["Police"]
    assert sum(r[1] for r in cells(dashboard.contacts_per_week(scope))) == 3
    mix = {r[0]: r[1] for r in cells(dashboard.rag_mix(scope))}
    assert mix == {"Red": 1, "Amber": 1, "Green": 0, "Blue": 1, "Not rated": 0}
    kinds = dict(cells(dashboard.consent_overrides(scope)))
    assert kinds["Consent not sought (reason recorded)"] == 0
    assert kinds["Consent refused or withdrawn, and overridden"] == 2


def test_an_empty_period_has_no_figures_but_no_error(agencies: Any) -> None:
    scope = _scope(agencies)
    rows = dict(cells(dashboard.threshold_timing(scope)))
    assert rows["Median hours to decision"] is None
    assert cells(dashboard.agency_responses(scope)) == []


def test_a_period_over_a_year_is_counted_by_month(world: Any, agencies: Any) -> None:
    import datetime as dt

    scope = Scope(hub=agencies["hub"], start=dt.date(2025, 11, 15), end=dt.date(2026, 12, 31))
    table = dashboard.contacts_per_week(scope)
    assert table.title == "Contacts received each month"
    rows = {r.cells[0]: r.cells[1:] for r in table.rows}
    assert len(rows) == 14
    assert rows["2025-12-01"] == (1, 0)  # the December contact, asked nobody
    assert rows["2026-01-01"] == (5, 4)
    assert rows["2026-02-01"] == (0, 0)
