"""The dashboard's figures day by day: one rule for each figure, whether the page counts
it live or the worker counted it ahead (issue 18).

Each *part* (``PARTS``) counts, for a scope's days, one dict of figures per day: counts
that add up, and the durations a median or a percentile is taken over (seconds, each
value kept, so the percentiles of any period are exact). The dashboard's tables add
the days of the period up (``merge``) and work out their rows from the sum.

``Figures`` gives a table a part's days for its scope: the days up to the hub's
``FiguresCounted.through`` from the rows the worker stored (``DayFigures``, one query a
part), the days after it counted now (the part's own queries over those days only), so
the ten-year dashboard reads about 3,650 small rows a part instead of every enquiry,
request and decision of ten years. With nothing stored (a new hub, a test), every day
is counted live: the same function, the same answer.

Only settled days are stored: days older than ``SETTLED_DAYS``. The recent weeks, where
threshold decisions, answers and feedback are still being recorded, are always counted
as the page opens. A figure that depends on the clock (waiting and overdue) is counted,
for a stored day, at the time of the count (``FiguresCounted.counted_at``), which the
page shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from mash.enquiries.models import ConsentToRefer, ThresholdOutcome
from mash.enquiries.threshold import DECISION_HOURS
from mash.people.repeats import repeat_enquiries
from mash.sharing.models import DecisionOutcome, InformationRequest

from .sql import list_holds

#: Days younger than this are never stored: their figures still change day by day.
SETTLED_DAYS = 35

Day = dict[str, Any]
Days = dict[dt.date, Day]

# The consent positions a share without consent rests on, read from what the guidance
# required of the decision (codes in ``Decision.requires``, never the encrypted answers).
OVERRIDE_KINDS = [
    ("proportionality_of_override", "Consent refused or withdrawn, and overridden"),
    ("record_reason_consent_not_obtained", "Consent not sought (reason recorded)"),
]
OVERRIDE_CODES = tuple(code for code, _label in OVERRIDE_KINDS)


def merge(into: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Add ``more`` into ``into``: numbers add, lists of durations join, dicts merge
    key by key (a key missing on one side counts as nothing). Returns ``into``."""
    for key, value in more.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            into.setdefault(key, []).extend(value)
        else:
            into[key] = into.get(key, 0) + value
    return into


def total(days: Days, among: Iterable[dt.date] | None = None) -> Day:
    """The days' figures added up (all of them, or those ``among``)."""
    out: Day = {}
    for day, figures in days.items():
        if among is None or day in among:
            merge(out, figures)
    return out


def _local(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def _seconds(later: dt.datetime, earlier: dt.datetime) -> float:
    return (later - earlier).total_seconds()


def _grouped(rows: Iterable[dict[str, Any]]) -> Days:
    """Rows of a query grouped by ``day`` (``TruncDate``), as the part's figures."""
    out: Days = {}
    for row in rows:
        day = row.pop("day")
        out[day] = merge(out.get(day, {}), row)
    return out


def contacts_part(scope: Any) -> Days:
    """Contacts received each day: how many, how many became requests to agencies, how
    many the referrer sent without consent, and each rating's count."""
    from .dashboard import contacts

    asked = Exists(InformationRequest.objects.filter(enquiry=OuterRef("pk")))
    out: Days = {}
    for row in (
        contacts(scope)
        .annotate(day=TruncDate("received_at"))
        .values("day", "rag")
        .annotate(
            n=Count("pk"),
            asked=Count("pk", filter=Q(asked)),
            referred=Count("pk", filter=Q(consent_to_refer=ConsentToRefer.NOT_OBTAINED)),
        )
        .order_by()
    ):
        n = int(row["n"])
        day = {
            "n": n,
            "asked": int(row["asked"]),
            "referred": int(row["referred"]),
            "rag": {row["rag"] or "": n},
        }
        out[row["day"]] = merge(out.get(row["day"], {}), day)
    return out


def repeats_part(scope: Any) -> Days:
    """Contacts received each day that were repeat referrals (``mash.people.repeats``)."""
    from .dashboard import contacts

    first, after = scope.bounds
    return _grouped(
        {"day": r["day"], "n": int(r["n"])}
        for r in contacts(scope)
        .filter(pk__in=repeat_enquiries(scope.hub, first, after))
        .annotate(day=TruncDate("received_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )


def threshold_part(scope: Any) -> Days:
    """Each day's contacts against the threshold decision's clock (``DECISION_HOURS``
    from receipt to the first decision): decided, on time, overdue and waiting, and the
    seconds each decided contact took."""
    from .dashboard import contacts

    due = dt.timedelta(hours=DECISION_HOURS)
    late_from = scope.at - due
    out: Days = defaultdict(dict)
    rows = (
        contacts(scope)
        .annotate(first_decision=Min("threshold_decisions__decided_at"))
        .values_list("received_at", "first_decision")
        .order_by()
    )
    for received, first in rows:
        if received is None:  # never: a contact in a period was received in it
            continue
        day: Day = {"n": 1}
        if first is None:
            day["late_waiting"] = int(received < late_from)
        else:
            day["decided"] = 1
            day["on_time"] = int(first <= received + due)
            day["seconds"] = [_seconds(first, received)]
        merge(out[_local(received)], day)
    return dict(out)


def agencies_part(scope: Any) -> Days:
    """Requests sent each day, by agency (its primary key, as text): answered (a
    decision released to the hub), answered by the deadline, past the deadline, and
    the seconds from sending to the first answer."""
    from .dashboard import requests

    out: Days = defaultdict(dict)
    rows = (
        requests(scope)
        .annotate(first_answer=Min("decisions__released_at"))
        .values_list("created_at", "agency_id", "deadline", "first_answer")
        .order_by()
    )
    for created, agency_id, deadline, first in rows:
        due = deadline is not None and deadline < scope.at
        figures: Day = {"n": 1, "due": int(due)}
        if first is not None:
            figures["answered"] = 1
            figures["due_answered"] = int(due)
            figures["on_time"] = int(deadline is not None and first <= deadline)
            figures["seconds"] = [_seconds(first, created)]
        merge(out[_local(created)], {str(agency_id): figures})
    return dict(out)


def outcomes_part(scope: Any) -> Days:
    """The outcomes of the authorised threshold decisions on each day's contacts."""
    from .dashboard import authorised

    codes = [code for code, _label in ThresholdOutcome.choices]
    return _grouped(
        {"day": r.pop("day"), **{code: int(r[code]) for code in codes}}
        for r in authorised(scope)
        .annotate(day=TruncDate("enquiry__received_at"))
        .values("day")
        .annotate(**{code: Count("pk", filter=list_holds("outcomes", code)) for code in codes})
        .order_by()
    )


def feedback_part(scope: Any) -> Days:
    """Feedback owed on the authorised threshold decisions of each day's contacts (the
    figures of ``dashboard.feedback_figures``, one rule read the same way here) and the
    seconds from authorisation to the feedback sent."""
    from .dashboard import authorised

    out: Days = defaultdict(dict)
    rows = (
        authorised(scope)
        .values_list(
            "enquiry__received_at",
            "feedback_due_at",
            "feedback__pk",
            "feedback__sent_at",
            "reviewed_at",
        )
        .order_by()
    )
    for received, due_at, feedback, sent_at, reviewed_at in rows:
        if received is None:  # never: as above
            continue
        day: Day = {}
        if due_at is None:
            day["not_owed"] = int(feedback is not None)
        else:
            day["owed"] = 1
            if feedback is None:
                day["overdue" if due_at < scope.at else "waiting"] = 1
            else:
                day["on_time" if sent_at <= due_at else "late"] = 1
                if reviewed_at is not None:
                    day["seconds"] = [_seconds(sent_at, reviewed_at)]
        merge(out[_local(received)], day)
    return dict(out)


def shares_part(scope: Any) -> Days:
    """The agencies' current decisions to share without consent recorded each day, and
    how many of them overrode each consent position."""
    from .dashboard import decisions

    return _grouped(
        {"day": r.pop("day"), **{k: int(v) for k, v in r.items()}}
        for r in decisions(scope)
        .filter(outcome=DecisionOutcome.SHARE, without_consent=True)
        .annotate(day=TruncDate("decided_at"))
        .values("day")
        .annotate(
            total=Count("pk"),
            **{code: Count("pk", filter=list_holds("requires", code)) for code in OVERRIDE_CODES},
        )
        .order_by()
    )


def decisions_part(scope: Any) -> Days:
    """The guidance page's decision figures each day (``guidance.decisions_by_day``)."""
    from .guidance import decisions_by_day

    return decisions_by_day(scope)


def items_part(scope: Any) -> Days:
    """The items shared each day by kind (``guidance.items_by_day``)."""
    from .guidance import items_by_day

    return items_by_day(scope)


PARTS: dict[str, Callable[[Any], Days]] = {
    "contacts": contacts_part,
    "repeats": repeats_part,
    "threshold": threshold_part,
    "agencies": agencies_part,
    "outcomes": outcomes_part,
    "feedback": feedback_part,
    "shares": shares_part,
    "decisions": decisions_part,
    "items": items_part,
}


@dataclasses.dataclass
class Figures:
    """The parts' days for one scope of the dashboard, each part read once: stored for
    the days the worker counted (to ``through``), live after them."""

    scope: Any
    _counted: Any = dataclasses.field(default=None, init=False)
    _looked: bool = dataclasses.field(default=False, init=False)
    _parts: dict[str, Days] = dataclasses.field(default_factory=dict, init=False)

    @property
    def counted(self) -> Any:
        """The hub's ``FiguresCounted`` where it covers some of the scope's days."""
        if not self._looked:
            from .models import FiguresCounted

            self._looked = True
            found = FiguresCounted.objects.filter(hub=self.scope.hub).first()
            if found is not None and found.through >= self.scope.start:
                self._counted = found
        return self._counted

    def days(self, part: str) -> Days:
        if part not in self._parts:
            self._parts[part] = self._read(part)
        return self._parts[part]

    def _read(self, part: str) -> Days:
        count = PARTS[part]
        counted = self.counted
        if counted is None:
            return count(self.scope)
        from .models import DayFigures

        code = self.scope.agency.code if self.scope.agency is not None else ""
        stored_to = min(counted.through, self.scope.end)
        out: Days = dict(
            DayFigures.objects.filter(
                hub=self.scope.hub,
                generation=counted.generation,
                agency_code=code,
                part=part,
                day__gte=self.scope.start,
                day__lte=stored_to,
            ).values_list("day", "figures")
        )
        if self.scope.end > counted.through:
            live = dataclasses.replace(self.scope, start=counted.through + dt.timedelta(days=1))
            out.update(count(live))
        return out


__all__ = ["PARTS", "SETTLED_DAYS", "Figures", "merge", "total"]
