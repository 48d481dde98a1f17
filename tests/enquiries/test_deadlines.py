"""Deadline arithmetic on the hub's working clock: weekends, bank holidays, the clock
changes in March and October, out-of-hours Red and local closure days.

All dates are generated fixtures of the calendar, not real enquiries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash.enquiries.deadlines import (
    DEFAULT_CLOCK,
    DEFAULT_RATINGS,
    RESPONSE_HOURS,
    Rating,
    WorkingClock,
    bank_holidays,
    deadline,
    is_working_day,
    is_working_time,
    ratings_from,
    response_deadline,
    working_time_between,
)

LONDON = ZoneInfo("Europe/London")
RED = DEFAULT_RATINGS["red"]
AMBER = DEFAULT_RATINGS["amber"]
GREEN = DEFAULT_RATINGS["green"]
BLUE = DEFAULT_RATINGS["blue"]


def at(text: str) -> datetime:
    """A wall-clock time in London, e.g. ``at("2026-11-24 10:00")``."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def working(hours: float) -> Rating:
    return Rating(code="amber", label="Amber", colour="orange", hours=hours)


def calendar(hours: float) -> Rating:
    return Rating(code="green", label="Green", colour="green", hours=hours, working_hours=False)


CLOSED_ON_WEDNESDAY = WorkingClock(closure_dates=frozenset({date(2026, 11, 25)}))
NO_BANK_HOLIDAYS = WorkingClock(bank_holidays=False)
# Open every day from midnight to 23:00, so a Sunday with a clock change is a working day.
EVERY_DAY = WorkingClock(working_days=frozenset(range(7)), opens=time(0), closes=time(23))

CASES = [
    # (what it shows, start, rating, clock, expected due, London wall clock)
    ("a weekday start in hours", "2026-11-24 10:00", working(4), DEFAULT_CLOCK, "2026-11-24 14:00"),
    (
        "a weekday start running past closing",
        "2026-11-24 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-25 11:00",
    ),
    (
        "a start before opening waits for 09:00",
        "2026-11-24 07:30",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-24 13:00",
    ),
    (
        "a start after closing waits for the next opening",
        "2026-11-24 18:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-25 13:00",
    ),
    (
        "a full day from opening is due at closing",
        "2026-11-24 09:00",
        working(8),
        DEFAULT_CLOCK,
        "2026-11-24 17:00",
    ),
    (
        "a deadline landing on 17:00 stays at 17:00 that day",
        "2026-11-24 13:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-24 17:00",
    ),
    (
        "a start at closing time begins at the next opening",
        "2026-11-24 17:00",
        working(1),
        DEFAULT_CLOCK,
        "2026-11-25 10:00",
    ),
    (
        "Friday afternoon runs into Monday",
        "2026-11-27 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-30 11:00",
    ),
    (
        "a Saturday start begins on Monday",
        "2026-11-28 10:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-30 13:00",
    ),
    (
        "a late Sunday start begins on Monday",
        "2026-11-29 23:59",
        working(4),
        DEFAULT_CLOCK,
        "2026-11-30 13:00",
    ),
    ("Amber is three working days", "2026-11-23 10:00", AMBER, DEFAULT_CLOCK, "2026-11-26 10:00"),
    (
        "Amber from Wednesday crosses the weekend",
        "2026-11-25 10:00",
        AMBER,
        DEFAULT_CLOCK,
        "2026-11-30 10:00",
    ),
    (
        "Green from Monday opening is nine working days",
        "2026-11-09 09:00",
        GREEN,
        DEFAULT_CLOCK,
        "2026-11-19 17:00",
    ),
    (
        "Green from mid-morning ends mid-morning on the tenth day",
        "2026-11-09 10:00",
        GREEN,
        DEFAULT_CLOCK,
        "2026-11-20 10:00",
    ),
    ("Red in hours is four hours", "2026-11-24 10:00", RED, DEFAULT_CLOCK, "2026-11-24 14:00"),
    (
        "Red at 02:00 on a Sunday runs out of hours",
        "2026-11-29 02:00",
        RED,
        DEFAULT_CLOCK,
        "2026-11-29 06:00",
    ),
    (
        "Red late on Friday runs into the evening",
        "2026-11-27 16:00",
        RED,
        DEFAULT_CLOCK,
        "2026-11-27 20:00",
    ),
    (
        "Christmas Eve skips Christmas and the Boxing Day substitute on 28 December",
        "2026-12-24 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-12-29 11:00",
    ),
    ("Amber over Christmas 2026", "2026-12-23 12:00", AMBER, DEFAULT_CLOCK, "2026-12-30 12:00"),
    (
        "New Year's Eve skips New Year's Day and the weekend",
        "2026-12-31 16:00",
        working(4),
        DEFAULT_CLOCK,
        "2027-01-04 12:00",
    ),
    (
        "Christmas 2027 has two substitute days (27 and 28 December)",
        "2027-12-24 17:00",
        working(1),
        DEFAULT_CLOCK,
        "2027-12-29 10:00",
    ),
    (
        "Easter skips Good Friday and Easter Monday",
        "2026-04-02 16:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-04-07 12:00",
    ),
    (
        "a start on Easter Monday begins on Tuesday",
        "2026-04-06 10:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-04-07 13:00",
    ),
    (
        "the early May bank holiday is skipped",
        "2026-05-01 16:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-05-05 12:00",
    ),
    (
        "the late summer bank holiday is skipped",
        "2026-08-28 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-09-01 11:00",
    ),
    (
        "Red across the March change is four real hours (five on the wall)",
        "2026-03-28 23:00",
        RED,
        DEFAULT_CLOCK,
        "2026-03-29 04:00",
    ),
    (
        "24 calendar hours across the March change end at 13:00 BST",
        "2026-03-28 12:00",
        calendar(24),
        DEFAULT_CLOCK,
        "2026-03-29 13:00",
    ),
    (
        "working hours across the March weekend keep wall-clock hours",
        "2026-03-27 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-03-30 11:00",
    ),
    (
        "Red across the October change is four real hours (three on the wall)",
        "2026-10-25 00:00",
        RED,
        DEFAULT_CLOCK,
        "2026-10-25 03:00",
    ),
    (
        "24 calendar hours across the October change end at 11:00 GMT",
        "2026-10-24 12:00",
        calendar(24),
        DEFAULT_CLOCK,
        "2026-10-25 11:00",
    ),
    (
        "working hours across the October weekend keep wall-clock hours",
        "2026-10-23 15:00",
        working(4),
        DEFAULT_CLOCK,
        "2026-10-26 11:00",
    ),
    (
        "a working Sunday in March has 22 real hours",
        "2026-03-29 00:00",
        working(22),
        EVERY_DAY,
        "2026-03-29 23:00",
    ),
    (
        "a working Sunday in March overflows into Monday",
        "2026-03-29 00:00",
        working(23),
        EVERY_DAY,
        "2026-03-30 01:00",
    ),
    (
        "a working Sunday in October has 24 real hours",
        "2026-10-25 00:00",
        working(24),
        EVERY_DAY,
        "2026-10-25 23:00",
    ),
    (
        "a local closure day is skipped",
        "2026-11-24 15:00",
        working(4),
        CLOSED_ON_WEDNESDAY,
        "2026-11-26 11:00",
    ),
    (
        "a hub that works bank holidays counts Christmas Day",
        "2026-12-24 15:00",
        working(4),
        NO_BANK_HOLIDAYS,
        "2026-12-25 11:00",
    ),
    (
        "a London borough's Amber of 6 working hours",
        "2026-11-24 14:00",
        working(6),
        DEFAULT_CLOCK,
        "2026-11-25 12:00",
    ),
    (
        "no time at all out of hours is the next opening",
        "2026-11-28 10:00",
        working(0),
        DEFAULT_CLOCK,
        "2026-11-30 09:00",
    ),
    (
        "three quarters of a working hour late in the day",
        "2026-11-24 16:30",
        working(0.75),
        DEFAULT_CLOCK,
        "2026-11-25 09:15",
    ),
]


@pytest.mark.parametrize(
    ("start", "rating", "clock", "expected"),
    [
        pytest.param(start, rating, clock, expected, id=name)
        for name, start, rating, clock, expected in CASES
    ],
)
def test_it_gives_the_due_time_on_the_working_clock(
    start: str, rating: Rating, clock: WorkingClock, expected: str
) -> None:
    due = deadline(at(start), rating, clock)
    assert due == at(expected)
    assert due is not None and due.tzinfo == LONDON
    assert due.strftime("%Y-%m-%d %H:%M") == expected


def test_the_table_covers_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


def test_the_calendar_dates_in_the_table_fall_on_the_days_they_say() -> None:
    assert date(2026, 11, 27).strftime("%A") == "Friday"
    assert date(2026, 3, 29).strftime("%A") == "Sunday"
    assert date(2026, 10, 25).strftime("%A") == "Sunday"
    assert date(2026, 12, 26).strftime("%A") == "Saturday"
    assert date(2027, 12, 25).strftime("%A") == "Saturday"


def test_the_clock_changes_fall_on_the_last_sundays_of_march_and_october_2026() -> None:
    assert at("2026-03-29 00:30").utcoffset() == timedelta(0)
    assert at("2026-03-29 03:00").utcoffset() == timedelta(hours=1)
    assert at("2026-10-25 00:30").utcoffset() == timedelta(hours=1)
    assert at("2026-10-25 03:00").utcoffset() == timedelta(0)


def test_calendar_and_out_of_hours_ratings_add_real_hours_across_the_clock_change() -> None:
    start = at("2026-03-28 23:00")
    due = deadline(start, RED, DEFAULT_CLOCK)
    assert due is not None
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
    autumn = at("2026-10-24 12:00")
    later = deadline(autumn, calendar(24), DEFAULT_CLOCK)
    assert later is not None
    assert later.astimezone(UTC) - autumn.astimezone(UTC) == timedelta(hours=24)


def test_the_england_and_wales_bank_holidays_include_substitute_days() -> None:
    days_2026 = bank_holidays("GB", "ENG", 2026)
    assert date(2026, 12, 28) in days_2026  # Boxing Day 2026 is a Saturday
    assert date(2026, 4, 6) in days_2026  # Easter Monday: England and Wales, not Scotland
    assert date(2026, 8, 31) in days_2026
    days_2027 = bank_holidays("GB", "ENG", 2027)
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= days_2027
    assert date(2026, 4, 6) not in bank_holidays("GB", "SCT", 2026)


def test_it_looks_up_each_year_of_bank_holidays_once() -> None:
    bank_holidays.cache_clear()
    for _ in range(3):
        deadline(at("2026-12-24 15:00"), AMBER, DEFAULT_CLOCK)
    info = bank_holidays.cache_info()
    assert info.misses == 1
    assert info.hits > 0


def test_blue_sets_no_deadline() -> None:
    assert deadline(at("2026-11-24 10:00"), BLUE, DEFAULT_CLOCK) is None


def test_a_start_in_another_zone_is_counted_on_the_hubs_clock() -> None:
    start = datetime(2026, 6, 2, 8, 30, tzinfo=UTC)  # 09:30 BST
    due = deadline(start, working(4), DEFAULT_CLOCK)
    assert due == at("2026-06-02 13:30")


def test_it_refuses_a_start_without_a_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(datetime(2026, 11, 24, 10, 0), AMBER, DEFAULT_CLOCK)


def test_it_refuses_a_clock_with_no_working_day() -> None:
    with pytest.raises(ValueError, match="working days"):
        WorkingClock(working_days=frozenset())


def test_it_refuses_a_clock_that_closes_before_it_opens() -> None:
    with pytest.raises(ValueError, match="open before it closes"):
        WorkingClock(opens=time(17), closes=time(9))


def test_it_refuses_an_unknown_bank_holiday_region() -> None:
    with pytest.raises(NotImplementedError):
        WorkingClock(bank_holiday_subdivision="XXX")


def test_it_refuses_a_rating_outside_brag() -> None:
    with pytest.raises(ValueError, match="rating code"):
        Rating(code="purple", label="Purple", colour="purple", hours=1)


def test_it_refuses_a_negative_response_time() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        working(-1)


def test_it_refuses_a_colour_govuk_tags_do_not_have() -> None:
    with pytest.raises(ValueError, match=r"GOV\.UK tag colour"):
        Rating(code="red", label="Red", colour="crimson", hours=2)


def test_the_defaults_are_brag_in_order_with_the_published_hours() -> None:
    assert list(DEFAULT_RATINGS) == ["blue", "red", "amber", "green"]
    assert [r.hours for r in DEFAULT_RATINGS.values()] == [None, 4, 24, 72]
    assert RED.runs_out_of_hours and not RED.counts_working_time
    assert AMBER.counts_working_time and GREEN.counts_working_time
    assert dict(RESPONSE_HOURS) == {"red": 4, "amber": 24, "green": 72}
    assert DEFAULT_CLOCK.working_day_length == timedelta(hours=8)


def test_a_hub_can_set_its_own_ratings_over_the_defaults() -> None:
    borough = ratings_from([replace(RED, hours=2), replace(AMBER, hours=6)])
    assert list(borough) == ["blue", "red", "amber", "green"]
    assert borough["red"].hours == 2
    assert borough["green"] is GREEN
    assert deadline(at("2026-11-29 02:00"), borough["red"], DEFAULT_CLOCK) == at("2026-11-29 04:00")


def test_working_time_between_counts_only_working_hours() -> None:
    assert working_time_between(at("2026-11-27 15:00"), at("2026-11-30 11:00")) == timedelta(
        hours=4
    )
    assert working_time_between(at("2026-11-28 10:00"), at("2026-11-29 10:00")) == timedelta(0)
    assert working_time_between(at("2026-12-24 08:00"), at("2026-12-29 18:00")) == timedelta(
        hours=16
    )


def test_working_time_between_is_negative_backwards() -> None:
    a, b = at("2026-11-24 10:00"), at("2026-11-24 13:00")
    assert working_time_between(b, a) == -timedelta(hours=3)


def test_working_time_and_working_days_know_the_calendar() -> None:
    assert is_working_day(date(2026, 11, 24))
    assert not is_working_day(date(2026, 12, 28))
    assert not is_working_day(date(2026, 11, 25), CLOSED_ON_WEDNESDAY)
    assert is_working_time(at("2026-11-24 17:00"))
    assert not is_working_time(at("2026-11-24 17:01"))
    assert not is_working_time(at("2026-11-24 08:59"))


def test_response_deadline_keeps_working_with_the_default_hub_clock() -> None:
    start = at("2026-11-27 15:00")
    assert response_deadline(rating="red", start=start) == start + timedelta(hours=4)
    assert response_deadline(rating="amber", start=start) == at("2026-12-02 15:00")
    assert response_deadline(rating="green", start=start) == at("2026-12-10 15:00")
    assert response_deadline(rating="blue", start=start) is None
    assert response_deadline(rating="unknown", start=start) is None


def test_response_deadline_for_red_is_four_real_hours_in_utc() -> None:
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert response_deadline(rating="red", start=start) == datetime(2026, 3, 29, 4, 30, tzinfo=UTC)


# Properties ---------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
hours = st.one_of(
    st.integers(min_value=0, max_value=120).map(float),
    st.integers(min_value=0, max_value=400).map(lambda quarters: quarters / 4),
)


@st.composite
def clocks(draw: st.DrawFn) -> WorkingClock:
    opens = draw(st.integers(min_value=0, max_value=12))
    closes = draw(st.integers(min_value=opens + 1, max_value=23))
    closed = draw(st.sets(st.dates(date(2025, 1, 1), date(2028, 12, 31)), max_size=5))
    return WorkingClock(
        working_days=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
        opens=time(opens, draw(st.sampled_from([0, 30]))),
        closes=time(closes),
        bank_holidays=draw(st.booleans()),
        closure_dates=frozenset(closed),
    )


ratings = st.builds(
    Rating,
    code=st.sampled_from(["red", "amber", "green"]),
    label=st.just("Rated"),
    colour=st.just("grey"),
    hours=hours,
    working_hours=st.booleans(),
    runs_out_of_hours=st.booleans(),
)


@settings(deadline=None, max_examples=300)
@given(start=starts, rating=ratings, clock=st.one_of(st.just(DEFAULT_CLOCK), clocks()))
def test_a_deadline_is_never_before_its_start(
    start: datetime, rating: Rating, clock: WorkingClock
) -> None:
    due = deadline(start, rating, clock)
    assert due is not None
    assert due >= start


@settings(deadline=None, max_examples=300)
@given(start=starts, amount=hours, clock=st.one_of(st.just(DEFAULT_CLOCK), clocks()))
def test_a_working_hours_deadline_falls_in_working_hours_after_exactly_its_hours(
    start: datetime, amount: float, clock: WorkingClock
) -> None:
    due = deadline(start, working(amount), clock)
    assert due is not None
    assert is_working_time(due, clock)
    assert working_time_between(start, due, clock) == timedelta(hours=amount)


@settings(deadline=None, max_examples=300)
@given(
    first=starts,
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    rating=ratings,
    clock=st.one_of(st.just(DEFAULT_CLOCK), clocks()),
)
def test_a_later_start_never_gives_an_earlier_deadline(
    first: datetime, gap: timedelta, rating: Rating, clock: WorkingClock
) -> None:
    earlier = deadline(first, rating, clock)
    later = deadline(first + gap, rating, clock)
    assert earlier is not None and later is not None
    assert earlier <= later


@settings(deadline=None, max_examples=200)
@given(start=starts, amount=hours)
def test_an_elapsed_hours_deadline_is_exactly_that_many_real_hours(
    start: datetime, amount: float
) -> None:
    due = deadline(start, calendar(amount), DEFAULT_CLOCK)
    assert due is not None
    assert due.astimezone(UTC) - start == timedelta(hours=amount)
