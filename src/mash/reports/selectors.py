"""Performance of the partner agencies in answering the hub's requests (Guidance,
Timely: "Information should be shared in a timely fashion to reduce the risk of harm").

For the requests a hub sent in a date range (by the day they were sent, in the hub's
time zone), per agency and per rating of the enquiry:

- requests: how many were sent (withdrawn ones are left out: nobody needs their answer);
- answered: how many had an answer released to the hub (the first released decision;
  a share held for a manager's sign-off reaches the hub when it is approved);
- median and 90th percentile response time, in hours elapsed from sending to the first
  released answer, over the answered requests;
- answered on time: the answered requests whose first answer came by the deadline, as a
  share of the requests that are answered or already past their deadline (a request
  still open and not yet due has not been late or on time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Min
from django.utils import timezone

from mash.sharing.models import InformationRequest, RequestStatus

from .stats import median, percentile, share

RATING_ORDER = ["red", "amber", "green", "blue", ""]


@dataclasses.dataclass(frozen=True)
class Row:
    agency: str
    rating: str
    requests: int
    answered: int
    median_hours: float | None
    p90_hours: float | None
    on_time: int
    counted_for_on_time: int

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.counted_for_on_time)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def performance(
    *, hub: Any, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> list[Row]:
    """The rows of the report, agencies by name, ratings Red, Amber, Green, Blue."""
    now = now or timezone.now()
    first, after = _bounds(start, end)
    requests = (
        InformationRequest.objects.filter(
            enquiry__hub=hub, created_at__gte=first, created_at__lt=after
        )
        .exclude(status=RequestStatus.WITHDRAWN)
        .annotate(
            first_answer=Min("decisions__released_at"),
        )
        .values("agency__name", "enquiry__rag", "created_at", "deadline", "first_answer")
    )
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in requests:
        groups[(row["agency__name"], row["enquiry__rag"] or "")].append(row)
    out = []
    for (agency, rating), rows in groups.items():
        hours = []
        on_time = counted = 0
        for r in rows:
            answered_at = r["first_answer"]
            if answered_at is not None:
                hours.append((answered_at - r["created_at"]).total_seconds() / 3600)
                counted += 1
                on_time += answered_at <= r["deadline"]
            elif r["deadline"] < now:
                counted += 1
        out.append(
            Row(
                agency=agency,
                rating=rating,
                requests=len(rows),
                answered=len(hours),
                median_hours=median(hours),
                p90_hours=percentile(hours, 0.9),
                on_time=on_time,
                counted_for_on_time=counted,
            )
        )
    rank = {r: i for i, r in enumerate(RATING_ORDER)}
    return sorted(out, key=lambda r: (r.agency, rank.get(r.rating, len(rank))))


__all__ = ["Row", "performance"]
