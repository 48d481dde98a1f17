"""Retention arithmetic: when a record's retention period ends. Pure Python, no Django.

Guidance, Record: "Information should be kept in line with each organisation's
retention policy." A policy says "keep for N years (or months) from a trigger": the
record's creation, the enquiry's closure, the last activity on it, the child's 18th or
25th birthday, or a date of death.

The calendar rules, written once here and tested as tables (tests/retention/
test_rule_arithmetic.py):

- Adding years or months follows the "corresponding date rule" of English law (Dodds
  v Walker [1981] 1 WLR 1441): the period ends on the same day of the month; when the
  target month has no such day (29 February in a common year, the 31st into a 30-day
  month) it ends on the last day of that month. So 29 February 2008 + 1 year is
  28 February 2009, and 31 August + 6 months is 28 (or 29) February.
- Birthdays: a child born on 29 February reaches an age in a common year on 1 March.
  The anniversary does not exist that year, and the law is not settled on which
  neighbour counts; taking the later one means no record is destroyed before the child
  has certainly reached the age.
- A record may be destroyed from the day *after* its last day of retention: the period
  is inclusive of its end date (``destroy_from``).
- "Last activity": every activity restarts the clock, so the trigger is the latest
  activity date, never the first.
- A trigger that has not happened (an enquiry still open, no date of birth, no date of
  death) means "keep": ``retention_ends`` answers ``None``, and nothing is destroyed
  without a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    YEARS = "years"
    MONTHS = "months"


class Trigger(StrEnum):
    CREATED = "created"
    CLOSED = "closed"
    LAST_ACTIVITY = "last_activity"
    BIRTHDAY_18 = "birthday_18"
    BIRTHDAY_25 = "birthday_25"
    DEATH = "death"


TRIGGER_AGES = {Trigger.BIRTHDAY_18: 18, Trigger.BIRTHDAY_25: 25}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus a whole number of calendar months (negative to go back); the day of
    the month is kept, or clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year < dt.MINYEAR or year > dt.MAXYEAR:
        raise OverflowError("date out of range")
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_period(day: dt.date, amount: int, unit: Unit | str) -> dt.date:
    """``day`` plus ``amount`` years or months (calendar arithmetic, see the module)."""
    if amount < 0:
        raise ValueError("a retention period is never negative")
    months = amount * 12 if Unit(unit) == Unit.YEARS else amount
    return add_months(day, months)


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The day someone born on ``date_of_birth`` reaches ``age`` (29 February births
    reach it on 1 March in a common year: see the module)."""
    day = add_months(date_of_birth, age * 12)
    if day.day != date_of_birth.day:  # only 29 February into a common year
        return day + dt.timedelta(days=1)
    return day


def latest(days: Iterable[dt.date | None]) -> dt.date | None:
    """The latest of some dates (the last activity restarts the clock), ignoring
    unknown ones; None when none is known."""
    known = [day for day in days if day is not None]
    return max(known) if known else None


@dataclass(frozen=True)
class Rule:
    """A retention rule: keep for ``amount`` ``unit`` from ``trigger``."""

    amount: int
    unit: Unit
    trigger: Trigger

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a retention period is never negative")
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "trigger", Trigger(self.trigger))

    def describe(self) -> str:
        unit = self.unit.value if self.amount != 1 else self.unit.value.rstrip("s")
        start = {
            Trigger.CREATED: "creation",
            Trigger.CLOSED: "closure",
            Trigger.LAST_ACTIVITY: "the last activity",
            Trigger.BIRTHDAY_18: "the child's 18th birthday",
            Trigger.BIRTHDAY_25: "the child's 25th birthday",
            Trigger.DEATH: "the child's date of death",
        }[self.trigger]
        return f"{self.amount} {unit} from {start}"


@dataclass(frozen=True)
class Facts:
    """The dates a rule may start from, for one record. ``activity`` is every date
    something happened on the record (the latest restarts the clock)."""

    created: dt.date | None = None
    closed: dt.date | None = None
    activity: tuple[dt.date, ...] = ()
    date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None


def trigger_date(rule: Rule, facts: Facts) -> dt.date | None:
    """The day the rule's clock starts for this record, or None if it has not."""
    if rule.trigger == Trigger.CREATED:
        return facts.created
    if rule.trigger == Trigger.CLOSED:
        return facts.closed
    if rule.trigger == Trigger.LAST_ACTIVITY:
        # Closure and creation are activity too.
        return latest([*facts.activity, facts.created, facts.closed])
    if rule.trigger in TRIGGER_AGES:
        if facts.date_of_birth is None:
            return None
        return birthday(facts.date_of_birth, TRIGGER_AGES[rule.trigger])
    return facts.date_of_death


def retention_ends(rule: Rule, facts: Facts) -> dt.date | None:
    """The last day the record must be kept, or None while its trigger has not come."""
    start = trigger_date(rule, facts)
    if start is None:
        return None
    return add_period(start, rule.amount, rule.unit)


def destroy_from(rule: Rule, facts: Facts) -> dt.date | None:
    """The first day the record may be destroyed (the day after retention ends)."""
    ends = retention_ends(rule, facts)
    return None if ends is None else ends + dt.timedelta(days=1)


def expired(rule: Rule, facts: Facts, today: dt.date) -> bool:
    """Has the record passed its retention on ``today``? Unknown triggers never have."""
    first = destroy_from(rule, facts)
    return first is not None and today >= first
