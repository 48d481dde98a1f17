"""Time left before a deadline, in plain words for the hub's lists (GOV.UK style),
rounded to the nearest sensible unit (see test_due_in_words.py for the rounding)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mash.enquiries.deadlines import DEFAULT_CLOCK, DEFAULT_RATINGS, Rating, time_left_in_words

LONDON = ZoneInfo("Europe/London")
RED = DEFAULT_RATINGS["red"]
AMBER = DEFAULT_RATINGS["amber"]
ELAPSED = Rating(code="green", label="Green", colour="green", hours=48, working_hours=False)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "due", "rating", "words"),
    [
        pytest.param(
            "2026-11-24 10:00",
            "2026-11-24 13:00",
            AMBER,
            "due in 3 working hours",
            id="working hours the same day",
        ),
        pytest.param(
            "2026-11-24 16:00",
            "2026-11-25 10:00",
            AMBER,
            "due in 2 working hours",
            id="working hours across the night",
        ),
        pytest.param(
            "2026-11-27 16:00",
            "2026-11-30 09:30",
            AMBER,
            "due in 1 working hour 30 minutes",
            id="an hour and a half across the weekend",
        ),
        pytest.param(
            "2026-11-23 10:00",
            "2026-11-26 10:00",
            AMBER,
            "due in 3 working days",
            id="whole working days",
        ),
        pytest.param(
            "2026-11-23 10:00",
            "2026-11-24 11:00",
            AMBER,
            "due in 9 working hours",
            id="under two working days is said in hours",
        ),
        pytest.param(
            "2026-11-24 16:45",
            "2026-11-25 09:30",
            AMBER,
            "due in 45 working minutes",
            id="working minutes across the night",
        ),
        pytest.param(
            "2026-11-24 10:00", "2026-11-24 10:45", RED, "due in 45 minutes", id="minutes"
        ),
        pytest.param(
            "2026-11-24 10:00", "2026-11-24 10:01", RED, "due in 1 minute", id="one minute"
        ),
        pytest.param("2026-11-24 10:00", "2026-11-24 11:00", RED, "due in 1 hour", id="one hour"),
        pytest.param(
            "2026-11-23 10:00", "2026-11-25 10:00", ELAPSED, "due in 2 days", id="elapsed days"
        ),
        pytest.param(
            "2026-11-24 11:00",
            "2026-11-23 10:00",
            RED,
            "overdue by 25 hours",
            id="overdue by a day and an hour",
        ),
        pytest.param(
            "2026-11-24 09:00",
            "2026-11-23 10:00",
            RED,
            "overdue by 23 hours",
            id="overdue by hours under a day",
        ),
        pytest.param(
            "2026-11-25 10:00",
            "2026-11-24 16:00",
            AMBER,
            "overdue by 2 working hours",
            id="overdue by working hours",
        ),
        pytest.param(
            "2026-11-30 10:00",
            "2026-11-24 10:00",
            AMBER,
            "overdue by 4 working days",
            id="overdue by working days",
        ),
        pytest.param(
            "2026-11-24 17:30",
            "2026-11-24 17:00",
            AMBER,
            "overdue",
            id="overdue out of hours with no working time passed",
        ),
        pytest.param("2026-11-24 10:00", "2026-11-24 10:00", RED, "due now", id="due this minute"),
    ],
)
def test_it_says_how_long_is_left_in_plain_words(
    now: str, due: str, rating: Rating, words: str
) -> None:
    assert time_left_in_words(at(now), at(due), rating, DEFAULT_CLOCK) == words


def test_it_says_overdue_seconds_after_the_deadline() -> None:
    due = at("2026-11-24 10:00")
    assert time_left_in_words(due + timedelta(seconds=30), due, RED) == "overdue"


def test_it_says_due_now_seconds_before_the_deadline() -> None:
    due = at("2026-11-24 10:00")
    assert time_left_in_words(due - timedelta(seconds=30), due, RED) == "due now"


def test_it_says_no_target_where_the_rating_sets_none() -> None:
    assert time_left_in_words(at("2026-11-24 10:00"), None, DEFAULT_RATINGS["blue"]) == "no target"


def test_it_counts_real_hours_across_the_clock_change() -> None:
    now = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # 00:00 GMT
    due = at("2026-03-29 04:00")  # 04:00 BST is 03:00 UTC
    assert time_left_in_words(now, due, RED) == "due in 3 hours"
