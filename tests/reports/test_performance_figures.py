"""The report's figures per agency and rating, against values worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mash.reports.selectors import performance
from mash.sharing import services
from tests.sharing.factories import will_tell

from .figures import sent


@pytest.fixture
def week(cast: Any, agencies: Any) -> dict[str, Any]:
    now = timezone.now()
    t0 = now - dt.timedelta(days=3)
    police, health = agencies["police"], agencies["health"]
    # Police, Amber: answered after 2, 4, 10 and 30 hours, due after 24.
    for hours in (2, 4, 10, 30):
        sent(cast, police, at=t0, answered_after=hours)
    # Police, Amber: one overdue and unanswered, one not yet due, one withdrawn.
    sent(cast, police, at=t0)
    sent(cast, police, at=now - dt.timedelta(hours=1), due_hours=48)
    withdrawn = sent(cast, police, at=t0)
    services.withdraw_request(actor=cast["hub_practitioner"], request=withdrawn, reason="Resolved")
    # Police, Red: one answered after 1 hour, due after 4.
    sent(cast, police, at=t0, due_hours=4, answered_after=1, rag="red")
    # Health, Amber: nothing answered, nothing due yet.
    sent(cast, health, at=now - dt.timedelta(hours=2), due_hours=48)
    # Sent before the range: left out.
    sent(cast, police, at=now - dt.timedelta(days=40), answered_after=500)
    return {"start": timezone.localdate(t0) - dt.timedelta(days=1), "end": timezone.localdate()}


def _rows(agencies: Any, week: dict[str, Any]) -> dict[tuple[str, str], Any]:
    rows = performance(hub=agencies["hub"], start=week["start"], end=week["end"])
    return {(r.agency, r.rating): r for r in rows}


def test_police_amber(agencies: Any, week: dict[str, Any]) -> None:
    row = _rows(agencies, week)[("Police", "amber")]
    assert row.requests == 6  # four answered, one overdue, one not yet due
    assert row.answered == 4
    assert row.median_hours == pytest.approx(7.0)  # (4 + 10) / 2
    assert row.p90_hours == pytest.approx(24.0)  # 10 + (30 - 10) * 0.7
    assert row.on_time == 3
    assert row.counted_for_on_time == 5  # the not-yet-due request is neither
    assert row.on_time_share == pytest.approx(0.6)


def test_police_red(agencies: Any, week: dict[str, Any]) -> None:
    row = _rows(agencies, week)[("Police", "red")]
    assert (row.requests, row.answered, row.on_time, row.counted_for_on_time) == (1, 1, 1, 1)
    assert row.median_hours == pytest.approx(1.0)
    assert row.p90_hours == pytest.approx(1.0)


def test_an_agency_with_nothing_answered_has_no_times(agencies: Any, week: dict[str, Any]) -> None:
    row = _rows(agencies, week)[("NHS health", "amber")]
    assert row.requests == 1 and row.answered == 0
    assert row.median_hours is None and row.p90_hours is None
    assert row.on_time_share is None


def test_rows_come_by_agency_then_rating(agencies: Any, week: dict[str, Any]) -> None:
    rows = performance(hub=agencies["hub"], start=week["start"], end=week["end"])
    assert [(r.agency, r.rating) for r in rows] == [
        ("NHS health", "amber"),
        ("Police", "red"),
        ("Police", "amber"),
    ]


def test_a_share_waiting_for_sign_off_has_not_been_answered(cast: Any, agencies: Any) -> None:
    from tests.sharing.factories import PUBLIC_FUNCTION_OVERRIDE, an_item

    req = sent(cast, agencies["police"], at=timezone.now() - dt.timedelta(hours=30))
    services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        # Not urgent: an urgent share is released at once and reviewed after (Guidance:
        # "If the need to share is urgent ... take immediate action").
        question=PUBLIC_FUNCTION_OVERRIDE,
        justification="Significant harm",
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality="Outweighs the refusal",
        items=[an_item([req.people.first()])],
    )
    [row] = performance(
        hub=agencies["hub"],
        start=timezone.localdate() - dt.timedelta(days=2),
        end=timezone.localdate(),
    )
    assert row.answered == 0
    assert row.counted_for_on_time == 1 and row.on_time == 0


def test_another_hub_s_requests_are_not_counted(cast: Any, agencies: Any, week: Any) -> None:
    from mash.agencies.models import Agency

    other = Agency.objects.create(
        code="other-hub", name="Other hub", kind="childrens_social_care", is_hub=True
    )
    assert performance(hub=other, start=week["start"], end=week["end"]) == []
