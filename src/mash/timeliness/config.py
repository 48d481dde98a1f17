"""The hub's configuration as the pure deadline module's values.

``hub_clock(hub)`` returns the ratings and the working clock for a hub (defaults where
the hub has configured nothing); every deadline in the hub is computed from them by
``mash.enquiries.deadlines``, which stays pure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mash.enquiries.deadlines import (
    DEFAULT_CLOCK,
    DEFAULT_RATINGS,
    Rating,
    WorkingClock,
    deadline,
    due_in_words,
    ratings_from,
    time_left_in_words,
    working_time_between,
)

from .models import HubTimeliness, ReminderPoint, parse_reminder_points

DEFAULT_REMINDER_POINTS = "50%, 1h"

# The defaults a new hub is given (the defaults; deadlines.DEFAULT_RATINGS).
DEFAULT_SETTINGS: list[dict[str, Any]] = [
    {
        "code": r.code,
        "label": r.label,
        "colour": r.colour,
        "hours": r.hours,
        "counting": "working" if r.working_hours else "calendar",
        "runs_out_of_hours": r.runs_out_of_hours,
    }
    for r in DEFAULT_RATINGS.values()
]


def clock_for(config: HubTimeliness, *, closures: Iterable[date] | None = None) -> WorkingClock:
    days = closures if closures is not None else config.closures.values_list("day", flat=True)
    return WorkingClock(
        timezone=config.timezone,
        working_days=config.working_days,
        opens=config.opens,
        closes=config.closes,
        bank_holidays=config.bank_holidays,
        bank_holiday_country="GB",
        bank_holiday_subdivision=config.bank_holiday_region or None,
        closure_dates=frozenset(days),
    )


@dataclass(frozen=True)
class HubClock:
    """A hub's ratings (by code, BRAG order), working clock and reminder points."""

    ratings: Mapping[str, Rating]
    clock: WorkingClock
    points: tuple[ReminderPoint, ...]

    def rating(self, code: str | None) -> Rating:
        """The rating for ``code``; an unrated enquiry is measured as Red is (elapsed
        time), so nothing unrated waits for office hours."""
        return self.ratings.get(code or "", self.ratings["red"])

    def deadline(self, start: datetime, code: str | None) -> datetime | None:
        return deadline(start, self.rating(code), self.clock)

    def words(self, now: datetime, due: datetime | None, code: str | None) -> str:
        """ "due by 18:24 today (in 4 hours)": the due time and the time left."""
        return due_in_words(now, due, self.rating(code), self.clock)

    def time_left_words(self, now: datetime, due: datetime | None, code: str | None) -> str:
        """ "due in 4 hours" alone, where the due time is shown beside it."""
        return time_left_in_words(now, due, self.rating(code), self.clock)

    def time_left(self, now: datetime, due: datetime, code: str | None) -> timedelta:
        """Time left until ``due`` as the rating counts it (negative once passed)."""
        if self.rating(code).counts_working_time:
            return working_time_between(now, due, self.clock)
        return due - now


# Within a request, each hub's clock is read once (a page that shows several deadlines
# asked three times, three queries each): the clocks read by this thread's request, by
# hub id, or None outside a request (a command or the worker reads afresh each time).
# Emptied when a request starts and ends, and whenever a hub's settings, ratings or
# closures are saved or deleted, so a request that changes them reads them again.
_this_request = threading.local()


def start_remembering(**kwargs: Any) -> None:
    _this_request.clocks = {}


def stop_remembering(**kwargs: Any) -> None:
    _this_request.clocks = None


def forget_clocks(**kwargs: Any) -> None:
    if getattr(_this_request, "clocks", None) is not None:
        _this_request.clocks = {}


def hub_clock(hub: Any) -> HubClock:
    """The configured ratings and clock of ``hub`` (an Agency or its id)."""
    hub_id = getattr(hub, "pk", hub)
    clocks = getattr(_this_request, "clocks", None)
    if clocks is None:
        return _read_hub_clock(hub_id)
    clock = clocks.get(hub_id)
    if clock is None:
        clock = clocks[hub_id] = _read_hub_clock(hub_id)
    return clock


def _read_hub_clock(hub_id: Any) -> HubClock:
    config = (
        HubTimeliness.objects.filter(hub_id=hub_id).prefetch_related("ratings", "closures").first()
    )
    if config is None:
        return HubClock(
            ratings=ratings_from(()),
            clock=DEFAULT_CLOCK,
            points=tuple(parse_reminder_points(DEFAULT_REMINDER_POINTS)),
        )
    ratings = [
        Rating(
            code=s.code,
            label=s.label,
            colour=s.colour,
            hours=None if s.hours is None else float(s.hours),
            working_hours=s.counting == "working",
            runs_out_of_hours=s.runs_out_of_hours,
        )
        for s in config.ratings.all()
    ]
    return HubClock(
        ratings=ratings_from(ratings),
        clock=clock_for(config, closures=[c.day for c in config.closures.all()]),
        points=tuple(config.points()),
    )


def ensure_defaults(hub: Any) -> HubTimeliness:
    """Give ``hub`` its default settings if it has none (the data migration and
    ``mash demo`` use this). Existing settings are left as they are."""
    from .models import RatingSetting

    config, _created = HubTimeliness.objects.get_or_create(hub=hub)
    for values in DEFAULT_SETTINGS:
        RatingSetting.objects.get_or_create(
            config=config, code=values["code"], defaults={k: v for k, v in values.items()}
        )
    return config
