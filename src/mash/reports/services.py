"""The one writer of the dashboard's stored figures (``mash.reports.models``).

``count_figures(now)`` counts, for each active hub, every part of the dashboard's
figures (``mash.reports.days.PARTS``) for each settled day (older than ``SETTLED_DAYS``),
over every agency and for each partner agency the dashboard can be filtered by, with the
same functions the page counts live days with. Each part's rows are written in a
transaction of their own under a new *generation*, then ``FiguresCounted`` switches to
that generation in one short transaction and the old generation's rows are deleted: a
page reads the old count or the new one whole, never a mixture; no transaction holds
the database's write lock for the whole count (SQLite has one for the whole database);
and only one part's figures are in memory at a time. The worker runs it once a night
(``mash.timeliness.scheduler``); ``mash reports count-figures`` runs it by hand.

Nothing is recorded in the record: the rows name nobody (counts and durations), and
counting them is not a view of anyone's data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency

from .dashboard import Scope
from .days import PARTS, SETTLED_DAYS
from .models import DayFigures, FiguresCounted

# Before any hub's first contact: the start of the counted days.
EPOCH = dt.date(2000, 1, 1)


@dataclasses.dataclass(frozen=True)
class Counted:
    hub: str
    through: dt.date
    rows: int


def partners() -> list[Any]:
    """The agencies the dashboard's filter offers, by name: the scopes counted ahead."""
    return list(Agency.objects.filter(is_hub=False, active=True).order_by("name"))


def count_hub(hub: Any, now: dt.datetime) -> Counted:
    through = timezone.localdate(now) - dt.timedelta(days=SETTLED_DAYS)
    current = FiguresCounted.objects.filter(hub=hub).first()
    generation = (current.generation if current is not None else 0) + 1
    # Rows of a count that never finished (killed mid-way) are no generation's.
    DayFigures.objects.filter(hub=hub, generation__gte=generation).delete()
    stored = 0
    for agency in [None, *partners()]:
        scope = Scope(hub=hub, start=EPOCH, end=through, agency=agency, now=now)
        code = agency.code if agency is not None else ""
        for part, count in PARTS.items():
            rows = [
                DayFigures(
                    hub=hub,
                    generation=generation,
                    agency_code=code,
                    part=part,
                    day=day,
                    figures=figures,
                )
                for day, figures in count(scope).items()
            ]
            with transaction.atomic():
                DayFigures.objects.bulk_create(rows, batch_size=2000)
            stored += len(rows)
    with transaction.atomic():
        FiguresCounted.objects.update_or_create(
            hub=hub,
            defaults={"through": through, "counted_at": now, "generation": generation},
        )
    DayFigures.objects.filter(hub=hub, generation__lt=generation).delete()
    return Counted(hub=hub.code, through=through, rows=stored)


def count_figures(now: dt.datetime | None = None) -> list[Counted]:
    """Count the settled days' figures of every active hub (see the module)."""
    at = now or timezone.now()
    return [
        count_hub(hub, at)
        for hub in Agency.objects.filter(is_hub=True, active=True).order_by("code")
    ]


__all__ = ["Counted", "count_figures", "count_hub"]
