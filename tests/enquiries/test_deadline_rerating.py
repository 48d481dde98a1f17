"""A rating changed mid-enquiry: the new deadline counts from the original receipt,
never earlier than the change, and the caller is reminded to record the reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mash.enquiries.deadlines import DEFAULT_RATINGS, Rating, rerated_deadline

LONDON = ZoneInfo("Europe/London")
RED = DEFAULT_RATINGS["red"]
AMBER = DEFAULT_RATINGS["amber"]
GREEN = DEFAULT_RATINGS["green"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_an_escalation_to_red_after_its_time_has_passed_is_due_at_the_change() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"), changed_at=at("2026-11-23 14:00"), new_rating=RED
    )
    assert result.from_receipt == at("2026-11-23 13:00")
    assert result.due == at("2026-11-23 14:00")
    assert result.held_at_earliest


def test_a_minimum_after_the_change_gives_partners_time_to_respond() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"),
        changed_at=at("2026-11-23 14:00"),
        new_rating=RED,
        minimum=timedelta(hours=1),
    )
    assert result.due == at("2026-11-23 15:00")


def test_an_escalation_from_green_to_amber_counts_from_receipt() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"), changed_at=at("2026-11-24 09:00"), new_rating=AMBER
    )
    assert result.due == at("2026-11-25 17:00")
    assert not result.held_at_earliest


def test_a_downgrade_from_amber_to_green_counts_from_receipt_too() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"), changed_at=at("2026-11-24 12:00"), new_rating=GREEN
    )
    assert result.due == at("2026-12-03 17:00")


def test_a_working_hours_rating_changed_out_of_hours_is_due_at_the_next_opening() -> None:
    four_working_hours = Rating(code="amber", label="Amber", colour="orange", hours=4)
    result = rerated_deadline(
        received=at("2026-11-23 09:00"),
        changed_at=at("2026-11-23 19:00"),
        new_rating=four_working_hours,
    )
    assert result.from_receipt == at("2026-11-23 13:00")
    assert result.due == at("2026-11-24 09:00")


def test_an_escalation_to_red_across_the_march_clock_change_counts_real_hours() -> None:
    result = rerated_deadline(
        received=at("2026-03-28 23:00"), changed_at=at("2026-03-29 00:30"), new_rating=RED
    )
    assert result.due == at("2026-03-29 04:00")


def test_a_change_to_blue_sets_no_deadline() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"),
        changed_at=at("2026-11-23 10:00"),
        new_rating=DEFAULT_RATINGS["blue"],
    )
    assert result.due is None
    assert result.from_receipt is None


def test_it_reminds_the_caller_to_record_why_the_rating_changed() -> None:
    result = rerated_deadline(
        received=at("2026-11-23 09:00"), changed_at=at("2026-11-23 10:00"), new_rating=AMBER
    )
    assert "why" in result.note
    assert result.rating is AMBER


def test_it_refuses_a_change_before_the_contact_was_received() -> None:
    with pytest.raises(ValueError, match="before the contact was received"):
        rerated_deadline(
            received=at("2026-11-23 09:00"), changed_at=at("2026-11-22 09:00"), new_rating=RED
        )


def test_it_refuses_a_negative_minimum() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        rerated_deadline(
            received=at("2026-11-23 09:00"),
            changed_at=at("2026-11-23 10:00"),
            new_rating=RED,
            minimum=timedelta(hours=-1),
        )
