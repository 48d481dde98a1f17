"""The retention arithmetic (mash.retention.rules) as tables: years and months from
each trigger, leap days, 29 February birthdays, and the last activity restarting the
clock."""

from __future__ import annotations

from datetime import date

import pytest

from mash.retention.rules import (
    Facts,
    Rule,
    Trigger,
    Unit,
    add_period,
    birthday,
    destroy_from,
    expired,
    retention_ends,
)

D = date


@pytest.mark.parametrize(
    ("start", "amount", "unit", "ends"),
    [
        (D(2020, 3, 14), 6, "years", D(2026, 3, 14)),
        (D(2020, 2, 29), 1, "years", D(2021, 2, 28)),  # no 29 Feb: last day of February
        (D(2020, 2, 29), 4, "years", D(2024, 2, 29)),  # a leap year again
        (D(2019, 2, 28), 1, "years", D(2020, 2, 28)),  # not the 29th just because it can
        (D(2021, 8, 31), 6, "months", D(2022, 2, 28)),
        (D(2023, 8, 31), 6, "months", D(2024, 2, 29)),
        (D(2021, 1, 31), 1, "months", D(2021, 2, 28)),
        (D(2021, 3, 31), 1, "months", D(2021, 4, 30)),
        (D(2021, 12, 15), 1, "months", D(2022, 1, 15)),  # across a year
        (D(2021, 11, 30), 15, "months", D(2023, 2, 28)),
        (D(2026, 1, 1), 0, "years", D(2026, 1, 1)),
        (D(1950, 6, 1), 100, "years", D(2050, 6, 1)),
    ],
)
def test_a_period_ends_on_the_corresponding_day_or_the_months_last(
    start: date, amount: int, unit: str, ends: date
) -> None:
    assert add_period(start, amount, unit) == ends


@pytest.mark.parametrize(
    ("born", "age", "on"),
    [
        (D(2008, 5, 17), 18, D(2026, 5, 17)),
        (D(2008, 2, 29), 18, D(2026, 3, 1)),  # 2026 has no 29 February: the day after 28th
        (D(2000, 2, 29), 18, D(2018, 3, 1)),
        (D(2000, 2, 29), 24, D(2024, 2, 29)),  # a leap year: the day itself
        (D(2004, 2, 29), 25, D(2029, 3, 1)),
        (D(2007, 12, 31), 18, D(2025, 12, 31)),
        (D(2008, 2, 28), 18, D(2026, 2, 28)),
    ],
)
def test_birthdays(born: date, age: int, on: date) -> None:
    assert birthday(born, age) == on


CLOSED_2019 = Facts(created=D(2019, 5, 1), closed=D(2019, 6, 30))


@pytest.mark.parametrize(
    ("rule", "facts", "ends"),
    [
        (Rule(6, Unit.YEARS, Trigger.CREATED), CLOSED_2019, D(2025, 5, 1)),
        (Rule(6, Unit.YEARS, Trigger.CLOSED), CLOSED_2019, D(2025, 6, 30)),
        (Rule(6, Unit.YEARS, Trigger.CLOSED), Facts(created=D(2019, 5, 1)), None),  # open
        (
            Rule(3, Unit.YEARS, Trigger.BIRTHDAY_18),
            Facts(date_of_birth=D(2008, 2, 29)),
            D(2029, 3, 1),
        ),
        (
            Rule(0, Unit.YEARS, Trigger.BIRTHDAY_25),
            Facts(date_of_birth=D(2001, 7, 4)),
            D(2026, 7, 4),
        ),
        (Rule(1, Unit.YEARS, Trigger.BIRTHDAY_18), Facts(created=D(2019, 5, 1)), None),  # no DOB
        (Rule(100, Unit.YEARS, Trigger.DEATH), CLOSED_2019, None),  # not dead: kept
        (Rule(8, Unit.YEARS, Trigger.DEATH), Facts(date_of_death=D(2020, 1, 9)), D(2028, 1, 9)),
        (Rule(18, Unit.MONTHS, Trigger.CREATED), CLOSED_2019, D(2020, 11, 1)),
    ],
)
def test_each_trigger(rule: Rule, facts: Facts, ends: date | None) -> None:
    assert retention_ends(rule, facts) == ends


@pytest.mark.parametrize(
    ("activity", "ends"),
    [
        ((), D(2022, 6, 30)),  # closure is the last activity
        ((D(2019, 1, 1),), D(2022, 6, 30)),  # an earlier activity changes nothing
        ((D(2021, 3, 2),), D(2024, 3, 2)),  # a later one restarts the clock
        ((D(2021, 3, 2), D(2020, 1, 1), D(2023, 12, 31)), D(2026, 12, 31)),  # the latest
    ],
)
def test_every_activity_restarts_the_clock(activity: tuple[date, ...], ends: date) -> None:
    facts = Facts(created=D(2019, 5, 1), closed=D(2019, 6, 30), activity=activity)
    assert retention_ends(Rule(3, Unit.YEARS, Trigger.LAST_ACTIVITY), facts) == ends


@pytest.mark.parametrize(
    ("today", "gone"),
    [(D(2025, 6, 29), False), (D(2025, 6, 30), False), (D(2025, 7, 1), True)],
)
def test_a_record_goes_the_day_after_its_last_day(today: date, gone: bool) -> None:
    rule = Rule(6, Unit.YEARS, Trigger.CLOSED)
    assert destroy_from(rule, CLOSED_2019) == D(2025, 7, 1)
    assert expired(rule, CLOSED_2019, today) is gone


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(ValueError):
        Rule(-1, Unit.YEARS, Trigger.CREATED)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (Rule(1, Unit.YEARS, Trigger.CREATED), "1 year from creation"),
        (Rule(6, Unit.MONTHS, Trigger.CLOSED), "6 months from closure"),
        (Rule(3, Unit.YEARS, Trigger.BIRTHDAY_18), "3 years from the child's 18th birthday"),
    ],
)
def test_a_rule_says_itself_in_words(rule: Rule, words: str) -> None:
    assert rule.describe() == words
