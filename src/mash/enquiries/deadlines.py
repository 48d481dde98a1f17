"""BRAG response deadlines on the hub's working clock. Pure Python: no Django import.

Guidance, section 6 and "Principles of information sharing", Timely: "Information
should be shared in a timely fashion to reduce the risk of harm. Timeliness is key in
emergency situations." Every hub rates each contact Blue, Red, Amber or Green (BRAG)
and holds partners to a response time for that rating. Published hub policies differ
(one county: Red 4 working hours, Amber 24, Green 72, Blue no target; a London borough:
Red 2 hours, Amber 6, Green 24; Red is worked to completion even out of hours), so the
ratings and the clock are data, and this module only does the arithmetic.

Conventions (each one is tested in ``tests/enquiries/test_deadlines.py``):

- All arithmetic on real time is done in UTC, so an elapsed-hours rating across the
  clock change in March or October adds real hours, not wall-clock hours. Results are
  given back in the clock's time zone.
- Working hours are the wall-clock span ``opens``..``closes`` in the clock's zone on a
  working day that is neither a bank holiday nor a local closure day. A day whose span
  crosses a clock change counts the real hours in it.
- A working-hours rating counts only time inside working hours. A start outside working
  hours starts the clock at the next opening.
- End of day: a working span includes its closing instant. A deadline that uses up the
  last minute of a day is due at closing time that day (17:00), never at the next
  opening (09:00 the next working day), which would be the same amount of working time
  but a later instant on the wall.
- A rating that runs out of hours, or is set in calendar hours, counts elapsed time
  around the clock (default Red: 4 elapsed hours, at 02:00 on a Sunday as at noon on a
  Tuesday).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_CLOCK",
    "DEFAULT_RATINGS",
    "RATING_CODES",
    "RESPONSE_HOURS",
    "TAG_COLOURS",
    "Rating",
    "Rerating",
    "WorkingClock",
    "bank_holidays",
    "deadline",
    "due_in_words",
    "is_working_day",
    "is_working_time",
    "ratings_from",
    "rerated_deadline",
    "response_deadline",
    "time_left_in_words",
    "when_in_words",
    "working_time_between",
]

RATING_CODES = ("blue", "red", "amber", "green")

# GOV.UK Frontend tag colour modifiers (govuk-tag--<colour>).
TAG_COLOURS = frozenset(
    {
        "grey",
        "green",
        "turquoise",
        "blue",
        "light-blue",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
    }
)

# How far ahead the arithmetic looks for working time before it gives up: a clock
# with no working day in ten years is misconfigured, not busy.
_HORIZON_DAYS = 3660


@dataclass(frozen=True)
class Rating:
    """One BRAG rating as a hub configures it.

    ``hours`` is the response time (``None``: no target, the default for Blue).
    ``working_hours`` says the hours are counted on the hub's working clock rather than
    as calendar (elapsed) hours. ``runs_out_of_hours`` says the rating is worked around
    the clock (Red), so its hours count as elapsed time even when set in working hours.
    ``colour`` is a GOV.UK tag colour (``govuk-tag--<colour>``).
    """

    code: str
    label: str
    colour: str
    hours: float | None
    working_hours: bool = True
    runs_out_of_hours: bool = False

    def __post_init__(self) -> None:
        if self.code not in RATING_CODES:
            raise ValueError(f"rating code must be one of {', '.join(RATING_CODES)}")
        if not self.label.strip():
            raise ValueError("rating label must not be empty")
        if self.colour not in TAG_COLOURS:
            raise ValueError("rating colour must be a GOV.UK tag colour")
        if self.hours is not None and not (0 <= self.hours < 24 * _HORIZON_DAYS):
            raise ValueError("rating hours must be zero or more, and under ten years")

    @property
    def counts_working_time(self) -> bool:
        """True where only time inside the hub's working hours counts."""
        return self.working_hours and not self.runs_out_of_hours

    @property
    def response_time(self) -> timedelta | None:
        return None if self.hours is None else timedelta(hours=self.hours)


DEFAULT_RATINGS: Mapping[str, Rating] = MappingProxyType(
    {
        "blue": Rating(code="blue", label="Blue", colour="blue", hours=None),
        "red": Rating(
            code="red",
            label="Red",
            colour="red",
            hours=4,
            working_hours=True,
            runs_out_of_hours=True,
        ),
        "amber": Rating(code="amber", label="Amber", colour="orange", hours=24),
        "green": Rating(code="green", label="Green", colour="green", hours=72),
    }
)

# Nominal response hours per rating code (kept for callers of the first version).
RESPONSE_HOURS: Mapping[str, float] = MappingProxyType(
    {code: r.hours for code, r in DEFAULT_RATINGS.items() if r.hours is not None}
)


@dataclass(frozen=True)
class WorkingClock:
    """The hub's working week: when the clock runs for working-hours ratings.

    ``working_days`` are ``date.weekday()`` numbers (Monday is 0). ``opens`` and
    ``closes`` are wall-clock times in ``timezone`` on the same day (no overnight
    shifts). Bank holidays come from the ``holidays`` package for
    ``bank_holiday_country``/``bank_holiday_subdivision`` (``GB``/``ENG`` gives the
    England and Wales bank holidays, substitute days included); ``closure_dates`` adds
    local closure days (a training day, an office move).
    """

    timezone: str = "Europe/London"
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    bank_holidays: bool = True
    bank_holiday_country: str = "GB"
    bank_holiday_subdivision: str | None = "ENG"
    closure_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # raises for an unknown zone
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "closure_dates", frozenset(self.closure_dates))
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working days must be weekday numbers 0 (Monday) to 6 (Sunday)")
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opening and closing times are wall-clock times without a zone")
        if not self.opens < self.closes:
            raise ValueError("the hub must open before it closes on the same day")
        if self.bank_holidays:  # raises NotImplementedError for an unknown region
            holidays.country_holidays(
                self.bank_holiday_country, subdiv=self.bank_holiday_subdivision
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def working_day_length(self) -> timedelta:
        """The nominal length of a working day (8 hours for 09:00 to 17:00)."""
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)


DEFAULT_CLOCK = WorkingClock()


@lru_cache(maxsize=256)
def bank_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The bank holidays of one year, looked up once per region and year."""
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(found.keys())


def is_working_day(day: date, clock: WorkingClock = DEFAULT_CLOCK) -> bool:
    if day.weekday() not in clock.working_days or day in clock.closure_dates:
        return False
    return not (
        clock.bank_holidays
        and day
        in bank_holidays(clock.bank_holiday_country, clock.bank_holiday_subdivision, day.year)
    )


def _window(day: date, clock: WorkingClock) -> tuple[datetime, datetime]:
    """The working span of ``day`` in UTC (opening, closing)."""
    zone = clock.zone
    opens = datetime.combine(day, clock.opens, tzinfo=zone).astimezone(UTC)
    closes = datetime.combine(day, clock.closes, tzinfo=zone).astimezone(UTC)
    return opens, closes


def _windows_from(moment: datetime, clock: WorkingClock) -> Iterator[tuple[datetime, datetime]]:
    """Working spans from the local day of ``moment`` onwards, bounded by the horizon."""
    day = moment.astimezone(clock.zone).date()
    for offset in range(_HORIZON_DAYS):
        current = day + timedelta(days=offset)
        if is_working_day(current, clock):
            yield _window(current, clock)
    raise ValueError("the working clock has no working time within ten years")


def _aware_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment.astimezone(UTC)


def is_working_time(moment: datetime, clock: WorkingClock = DEFAULT_CLOCK) -> bool:
    """True when ``moment`` falls inside working hours (closing instant included)."""
    at = _aware_utc(moment, "moment")
    day = at.astimezone(clock.zone).date()
    if not is_working_day(day, clock):
        return False
    opens, closes = _window(day, clock)
    return opens <= at <= closes


def _add(start: datetime, amount: timedelta, *, working: bool, clock: WorkingClock) -> datetime:
    """``start`` plus ``amount`` of working time (or of elapsed time), in UTC."""
    if not working:
        return start + amount
    remaining = amount
    for opens, closes in _windows_from(start, clock):
        cursor = max(start, opens)
        if cursor > closes:
            continue
        available = closes - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
    raise AssertionError("unreachable: _windows_from raises at the horizon")  # pragma: no cover


def deadline(
    start: datetime, rating: Rating, clock: WorkingClock = DEFAULT_CLOCK
) -> datetime | None:
    """When a response is due for a contact received at ``start`` and rated ``rating``.

    ``None`` where the rating sets no target (Blue by default). Working-hours ratings
    count only working time (a start out of hours waits for the next opening);
    out-of-hours and calendar ratings add elapsed hours. Never before ``start``; a
    working-hours deadline is always inside working hours, at 17:00 rather than 09:00
    the next day when it uses up a day exactly. The result is in the clock's zone.
    """
    begins = _aware_utc(start, "start")
    amount = rating.response_time
    if amount is None:
        return None
    due = _add(begins, amount, working=rating.counts_working_time, clock=clock)
    return due.astimezone(clock.zone)


def working_time_between(
    a: datetime, b: datetime, clock: WorkingClock = DEFAULT_CLOCK
) -> timedelta:
    """The working time from ``a`` to ``b`` on ``clock``; negative when ``b`` is before ``a``."""
    first, last = _aware_utc(a, "a"), _aware_utc(b, "b")
    if last < first:
        return -working_time_between(b, a, clock)
    total = timedelta(0)
    day = first.astimezone(clock.zone).date()
    final_day = last.astimezone(clock.zone).date()
    while day <= final_day:
        if is_working_day(day, clock):
            opens, closes = _window(day, clock)
            overlap = min(last, closes) - max(first, opens)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _nearest(amount: timedelta, unit: timedelta) -> int:
    """``amount`` in whole ``unit``s, halves rounded up (never floor: a 4-hour deadline
    one second after it is set is 4 hours away, not 3)."""
    return int((amount + unit / 2) // unit)


def _amount_in_words(amount: timedelta, *, working: bool, clock: WorkingClock) -> str | None:
    """The amount rounded to the nearest sensible unit. ``None`` under one minute.

    Under an hour: minutes. Under two hours: hours and minutes to the nearest five
    minutes ("1 hour 25 minutes"). Under two days: hours. Then days. For working time
    a day is the hub's working day (8 hours for 09:00 to 17:00) and every unit says
    "working".
    """
    prefix = "working " if working else ""
    day_length = clock.working_day_length if working else timedelta(days=1)
    if amount < timedelta(minutes=1):
        return None
    minutes = _nearest(amount, timedelta(minutes=1))
    if minutes < 60:
        return _plural(minutes, f"{prefix}minute")
    if amount < timedelta(hours=2) - timedelta(minutes=2, seconds=30):
        fives = _nearest(amount, timedelta(minutes=5)) * 5
        hours, rest = divmod(fives, 60)
        words = _plural(hours, f"{prefix}hour")
        return f"{words} {_plural(rest, 'minute')}" if rest else words
    if amount < 2 * day_length - timedelta(minutes=30):
        return _plural(_nearest(amount, timedelta(hours=1)), f"{prefix}hour")
    return _plural(_nearest(amount, day_length), f"{prefix}day")


def time_left_in_words(
    now: datetime, due: datetime | None, rating: Rating, clock: WorkingClock = DEFAULT_CLOCK
) -> str:
    """The time left alone, GOV.UK style: "due in 3 working hours", "due in 2 days",
    "due in 45 minutes", "overdue by 1 day", "overdue by 2 working hours".

    Working-hours ratings measure on the working clock and say so ("working hours",
    "working days", a working day being the hub's opening hours); other ratings measure
    elapsed time. Amounts are rounded to the nearest sensible unit (see
    ``_amount_in_words``), never down: a 4-hour Red deadline reads "due in 4 hours" a
    second after it is set. Under a minute: "due now", or "overdue" once ``due`` has
    passed (also when no working time has passed since, for example at 17:30 for a
    deadline at 17:00). ``due=None``: "no target". Lists and e-mails use
    ``due_in_words``, which also says when.
    """
    if due is None:
        return "no target"
    at, until = _aware_utc(now, "now"), _aware_utc(due, "due")
    overdue = at > until
    working = rating.counts_working_time
    amount = abs(working_time_between(at, until, clock) if working else until - at)
    words = _amount_in_words(amount, working=working, clock=clock)
    if words is None:
        return "overdue" if overdue else "due now"
    return f"overdue by {words}" if overdue else f"due in {words}"


def when_in_words(due: datetime, now: datetime, clock: WorkingClock = DEFAULT_CLOCK) -> str:
    """The due time on the hub's wall clock, relative to ``now``'s day: "18:24 today",
    "09:00 tomorrow", "17:00 yesterday", "16:30 on Wednesday 9 December" (the year
    added when it is not this year's)."""
    local = _aware_utc(due, "due").astimezone(clock.zone)
    today = _aware_utc(now, "now").astimezone(clock.zone).date()
    hhmm = f"{local:%H:%M}"
    days = (local.date() - today).days
    if days == 0:
        return f"{hhmm} today"
    if days == 1:
        return f"{hhmm} tomorrow"
    if days == -1:
        return f"{hhmm} yesterday"
    year = "" if local.year == today.year else f" {local.year}"
    return f"{hhmm} on {local:%A} {local.day} {local:%B}{year}"


def due_in_words(
    now: datetime, due: datetime | None, rating: Rating, clock: WorkingClock = DEFAULT_CLOCK
) -> str:
    """The due time itself and the time left, for every list, page and e-mail:
    "due by 18:24 today (in 4 hours)", "due by 16:30 on Wednesday 9 December (in
    3 working days)", "overdue by 2 hours (was due by 14:00 today)", "due now (by 10:00
    today)". ``due=None``: "no target". (Guidance, Timely.)"""
    if due is None:
        return "no target"
    when = when_in_words(due, now, clock)
    left = time_left_in_words(now, due, rating, clock)
    if left == "due now":
        return f"due now (by {when})"
    if left.startswith("overdue"):
        return f"{left} (was due by {when})"
    return f"due by {when} ({left.removeprefix('due ')})"


@dataclass(frozen=True)
class Rerating:
    """A deadline recalculated after a rating changed mid-enquiry.

    ``due`` is the deadline to hold partners to; ``from_receipt`` what the new rating
    gives counted from the original receipt; ``earliest`` the floor from the change;
    ``held_at_earliest`` whether the floor decided. ``note`` reminds the caller that
    the reason for the change must be recorded with it.
    """

    rating: Rating
    received: datetime
    changed_at: datetime
    due: datetime | None
    from_receipt: datetime | None
    earliest: datetime | None
    held_at_earliest: bool
    note: str


RERATING_NOTE = (
    "The rating was changed after the contact was received: record who changed it, "
    "when and why (Guidance, Keep a Record)."
)


def rerated_deadline(
    *,
    received: datetime,
    changed_at: datetime,
    new_rating: Rating,
    clock: WorkingClock = DEFAULT_CLOCK,
    minimum: timedelta = timedelta(0),
) -> Rerating:
    """The deadline after an enquiry is re-rated at ``changed_at`` to ``new_rating``.

    Policy: the new rating's response time counts from the original receipt, not from
    the change. The child's need dates from when the hub learnt of it, so escalating a
    Green contact to Red after five hours does not buy the partners another four; and
    a downgrade does not shorten time already given. Because a deadline from receipt
    can already have passed when the rating goes up, it is never earlier than the
    change plus ``minimum`` (counted the way the new rating counts: working time for a
    working-hours rating, elapsed time otherwise; ``timedelta(0)`` means "due now", or
    at the next opening for a working-hours rating changed out of hours).

    Pure arithmetic: the caller records the change and its rationale (``note``) in
    the same transaction as the new rating.
    """
    received_utc = _aware_utc(received, "received")
    changed_utc = _aware_utc(changed_at, "changed_at")
    if changed_utc < received_utc:
        raise ValueError("a rating cannot change before the contact was received")
    if minimum < timedelta(0):
        raise ValueError("the minimum time after a change must be zero or more")
    zone = clock.zone
    if new_rating.response_time is None:
        return Rerating(
            rating=new_rating,
            received=received,
            changed_at=changed_at,
            due=None,
            from_receipt=None,
            earliest=None,
            held_at_earliest=False,
            note=RERATING_NOTE,
        )
    working = new_rating.counts_working_time
    from_receipt = _add(received_utc, new_rating.response_time, working=working, clock=clock)
    earliest = _add(changed_utc, minimum, working=working, clock=clock)
    held = earliest > from_receipt
    return Rerating(
        rating=new_rating,
        received=received,
        changed_at=changed_at,
        due=(earliest if held else from_receipt).astimezone(zone),
        from_receipt=from_receipt.astimezone(zone),
        earliest=earliest.astimezone(zone),
        held_at_earliest=held,
        note=RERATING_NOTE,
    )


def ratings_from(configured: Iterable[Rating]) -> Mapping[str, Rating]:
    """A hub's ratings by code, in BRAG order, defaults filling any code not configured."""
    given = {r.code: r for r in configured}
    return MappingProxyType({code: given.get(code, DEFAULT_RATINGS[code]) for code in RATING_CODES})


def response_deadline(*, rating: str, start: datetime) -> datetime | None:
    """When a request made at ``start`` about an enquiry rated ``rating`` is due, on the
    default ratings and the default hub clock. ``None`` where the rating sets no target
    (Blue) or is not a BRAG code."""
    found = DEFAULT_RATINGS.get(rating)
    return None if found is None else deadline(start, found, DEFAULT_CLOCK)
