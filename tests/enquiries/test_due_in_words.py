"""The due time itself and the time left, rounded to the nearest sensible unit: never
down, so a 4-hour Red deadline does not read "3 hours" a second after it is set."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mash.enquiries.deadlines import (
    DEFAULT_CLOCK,
    DEFAULT_RATINGS,
    Rating,
    deadline,
    due_in_words,
    time_left_in_words,
    when_in_words,
)

LONDON = ZoneInfo("Europe/London")
RED = DEFAULT_RATINGS["red"]
AMBER = DEFAULT_RATINGS["amber"]
GREEN = DEFAULT_RATINGS["green"]
ELAPSED = Rating(code="green", label="Green", colour="green", hours=48, working_hours=False)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


# 2026-12-02 is a Wednesday.
@pytest.mark.parametrize(
    ("now", "due", "rating", "words"),
    [
        ("2026-12-02 14:24:01", "2026-12-02 18:24", RED, "due by 18:24 today (in 4 hours)"),
        ("2026-12-02 14:54", "2026-12-02 18:24", RED, "due by 18:24 today (in 4 hours)"),
        ("2026-12-02 14:55", "2026-12-02 18:24", RED, "due by 18:24 today (in 3 hours)"),
        ("2026-12-02 17:00", "2026-12-02 18:24", RED, "due by 18:24 today (in 1 hour 25 minutes)"),
        ("2026-12-02 16:25", "2026-12-02 18:24", RED, "due by 18:24 today (in 2 hours)"),
        ("2026-12-02 17:39:31", "2026-12-02 18:24", RED, "due by 18:24 today (in 44 minutes)"),
        ("2026-12-02 18:23:20", "2026-12-02 18:24", RED, "due now (by 18:24 today)"),
        ("2026-12-02 22:00", "2026-12-03 02:00", RED, "due by 02:00 tomorrow (in 4 hours)"),
        (
            "2026-12-02 19:00",
            "2026-12-02 18:24",
            RED,
            "overdue by 36 minutes (was due by 18:24 today)",
        ),
        (
            "2026-12-03 09:00",
            "2026-12-02 18:24",
            RED,
            "overdue by 15 hours (was due by 18:24 yesterday)",
        ),
        (
            "2026-12-02 18:24:20",
            "2026-12-02 18:24",
            RED,
            "overdue (was due by 18:24 today)",
        ),
        # A new Amber deadline (24 working hours) is three working days away, not two.
        (
            "2026-12-02 13:30:01",
            "2026-12-07 13:30",
            AMBER,
            "due by 13:30 on Monday 7 December (in 3 working days)",
        ),
        (
            "2026-12-04 16:30",
            "2026-12-07 13:30",
            AMBER,
            "due by 13:30 on Monday 7 December (in 5 working hours)",
        ),
        (
            "2026-12-02 10:00",
            "2026-12-09 16:30",
            ELAPSED,
            "due by 16:30 on Wednesday 9 December (in 7 days)",
        ),
        (
            "2026-12-30 10:00",
            "2027-01-04 16:30",
            ELAPSED,
            "due by 16:30 on Monday 4 January 2027 (in 5 days)",
        ),
        (
            "2026-12-09 17:00",
            "2026-12-07 13:30",
            AMBER,
            "overdue by 2 working days (was due by 13:30 on Monday 7 December)",
        ),
    ],
)
def test_it_says_when_and_how_long_is_left(now: str, due: str, rating: Rating, words: str) -> None:
    assert due_in_words(at(now), at(due), rating, DEFAULT_CLOCK) == words


def test_no_target_is_said_plainly() -> None:
    assert due_in_words(at("2026-12-02 10:00"), None, RED) == "no target"


@pytest.mark.parametrize(
    ("rating", "words"),
    [(RED, "due in 4 hours"), (AMBER, "due in 3 working days"), (GREEN, "due in 9 working days")],
)
def test_a_new_deadline_reads_its_full_length_a_second_after_it_is_set(
    rating: Rating, words: str
) -> None:
    received = at("2026-12-02 10:00")
    due = deadline(received, rating)
    assert time_left_in_words(received + timedelta(seconds=1), due, rating) == words


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(seconds=59), "due now"),
        (timedelta(seconds=61), "due in 1 minute"),
        (timedelta(minutes=59, seconds=29), "due in 59 minutes"),
        (timedelta(minutes=59, seconds=31), "due in 1 hour"),
        (timedelta(hours=1, minutes=2, seconds=29), "due in 1 hour"),
        (timedelta(hours=1, minutes=7, seconds=31), "due in 1 hour 10 minutes"),
        (timedelta(hours=1, minutes=58), "due in 2 hours"),
        (timedelta(hours=23, minutes=29), "due in 23 hours"),
        (timedelta(hours=36), "due in 36 hours"),
        (timedelta(hours=47, minutes=31), "due in 2 days"),
        (timedelta(days=2, hours=11), "due in 2 days"),
        (timedelta(days=2, hours=12), "due in 3 days"),
    ],
)
def test_elapsed_amounts_round_to_the_nearest_sensible_unit(left: timedelta, words: str) -> None:
    now = at("2026-12-02 10:00")
    assert time_left_in_words(now, now + left, ELAPSED) == words


@pytest.mark.parametrize(
    ("due", "words"),
    [
        ("2026-12-02 00:30", "00:30 today"),
        ("2026-12-03 23:59", "23:59 tomorrow"),
        ("2026-12-01 09:00", "09:00 yesterday"),
        ("2026-12-04 09:00", "09:00 on Friday 4 December"),
        ("2025-11-28 09:00", "09:00 on Friday 28 November 2025"),
    ],
)
def test_the_due_time_is_said_on_the_hubs_wall_clock(due: str, words: str) -> None:
    assert when_in_words(at(due), at("2026-12-02 12:00"), DEFAULT_CLOCK) == words


def test_the_day_is_the_hubs_day_not_utcs() -> None:
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC: still "today" in London.
    now = at("2026-07-01 00:10")
    assert when_in_words(at("2026-07-01 00:30"), now) == "00:30 today"
