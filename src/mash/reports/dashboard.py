"""The dashboard's tables (issue 18). Each figure is counted day by day in SQL
(``mash.reports.days``: grouped counts, and the durations a median is taken over); a
table adds up the days of its period. The worker stores the settled days' figures each
night and the page counts only the recent weeks live, so the page costs the same
queries at ten years of data as at ten days (tests/reports/test_dashboard_queries.py)
and reads one small row a day for each part, not every row of ten years.

The scope: the hub's contacts received in the period (by ``received_at``, in the hub's
time zone), its requests sent in the period (by ``created_at``), and with an agency
chosen, only the contacts on which that agency was asked and that agency's requests and
decisions. Drafts are not contacts yet; withdrawn requests need nobody's answer.

Repeat referrals are counted by the one definition in ``mash.people.repeats`` (the
person index's links), the same rule the enquiry page flags.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import (
    Enquiry,
    EnquiryStatus,
    ThresholdDecision,
    ThresholdOutcome,
    ThresholdStatus,
)
from mash.enquiries.threshold import DECISION_HOURS
from mash.sharing.models import Decision, InformationRequest, RequestStatus

from .days import OVERRIDE_KINDS, Day, Days, Figures, merge, total
from .stats import percentile, share
from .tables import Chart, Column, Row, Table

RATINGS = [
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("blue", "Blue"),
    ("", "Not rated"),
]

LEFT_OUT: list[str] = []


@dataclasses.dataclass(frozen=True)
class Scope:
    hub: Any
    start: dt.date
    end: dt.date
    agency: Any = None
    now: dt.datetime | None = None

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return first, after

    @property
    def at(self) -> dt.datetime:
        return self.now or timezone.now()


def contacts(scope: Scope) -> QuerySet[Enquiry]:
    first, after = scope.bounds
    qs = Enquiry.objects.filter(
        hub=scope.hub, received_at__gte=first, received_at__lt=after
    ).exclude(status=EnquiryStatus.DRAFT)
    if scope.agency is not None:
        qs = qs.filter(
            Exists(InformationRequest.objects.filter(enquiry=OuterRef("pk"), agency=scope.agency))
        )
    return qs


def requests(scope: Scope) -> QuerySet[InformationRequest]:
    first, after = scope.bounds
    qs = InformationRequest.objects.filter(
        enquiry__hub=scope.hub, created_at__gte=first, created_at__lt=after
    ).exclude(status=RequestStatus.WITHDRAWN)
    if scope.agency is not None:
        qs = qs.filter(agency=scope.agency)
    return qs


def decisions(scope: Scope) -> QuerySet[Decision]:
    """The current decisions (no correction supersedes them) recorded in the period on
    the hub's requests, held ones included: a count names nobody."""
    first, after = scope.bounds
    # Not superseded as a NOT EXISTS in WHERE (an anti-join on ``supersedes_id``):
    # written ``superseded_by__isnull=True`` Django joins the correction and tests its
    # primary key for NULL, which PostgreSQL cannot turn into an anti-join and estimates
    # as one row, so it planned every join after it as nested loops (tests/bench/README.md).
    qs = Decision.objects.filter(
        ~Exists(Decision.objects.filter(supersedes=OuterRef("pk"))),
        request__enquiry__hub=scope.hub,
        decided_at__gte=first,
        decided_at__lt=after,
    )
    if scope.agency is not None:
        qs = qs.filter(agency=scope.agency)
    return qs


def _weeks(start: dt.date, end: dt.date) -> list[dt.date]:
    monday = start - dt.timedelta(days=start.weekday())
    out = []
    while monday <= end:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    first = start.replace(day=1)
    out = []
    while first <= end:
        out.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return out


# Weeks up to a year; a longer period is counted by month (520 weekly bars are neither
# readable nor quick to draw: tests/bench/README.md).
MAX_WEEKS = 53


def _periods(scope: Scope) -> tuple[bool, list[dt.date]]:
    """Whether the period is counted by month, and the periods' first days."""
    weeks = _weeks(scope.start, scope.end)
    if len(weeks) > MAX_WEEKS:
        return True, _months(scope.start, scope.end)
    return False, weeks


def _period_of(day: dt.date, by_month: bool) -> dt.date:
    return day.replace(day=1) if by_month else day - dt.timedelta(days=day.weekday())


def _per_period(days: Days, by_month: bool) -> dict[dt.date, Day]:
    out: dict[dt.date, Day] = defaultdict(dict)
    for day, figures in days.items():
        merge(out[_period_of(day, by_month)], figures)
    return out


def _figures(scope: Scope, given: Figures | None) -> Figures:
    return given if given is not None else Figures(scope)


def contacts_per_week(scope: Scope, given: Figures | None = None) -> Table:
    by_month, periods = _periods(scope)
    found = _per_period(_figures(scope, given).days("contacts"), by_month)
    rows = tuple(
        Row(
            (
                period.isoformat(),
                int(found.get(period, {}).get("n", 0)),
                int(found.get(period, {}).get("asked", 0)),
            )
        )
        for period in periods
    )
    unit = "month" if by_month else "week"
    return Table(
        key="contacts-per-week",
        title=f"Contacts received each {unit}",
        description=f"Contacts the hub received each {unit}"
        + ("" if by_month else " (weeks begin on Monday)")
        + ", and how many of them became enquiries of partner agencies (requests sent)."
        + (" Periods over a year are counted by month." if by_month else ""),
        columns=(
            Column(f"{unit.capitalize()} beginning", numeric=False),
            Column("Contacts"),
            Column("Enquiries to agencies"),
        ),
        rows=rows,
        chart=Chart(value=1, unit="contacts"),
    )


def repeat_referrals(scope: Scope, given: Figures | None = None) -> Table:
    """Per week (or month): the contacts received, how many were repeat referrals (a
    child in them was in another of the hub's enquiries received in the twelve months
    before: ``mash.people.repeats``), and their share."""
    by_month, periods = _periods(scope)
    figures = _figures(scope, given)
    counted = _per_period(figures.days("contacts"), by_month)
    repeated = _per_period(figures.days("repeats"), by_month)
    rows = []
    for period in periods:
        n = int(counted.get(period, {}).get("n", 0))
        repeats = int(repeated.get(period, {}).get("n", 0))
        rows.append(Row((period.isoformat(), n, repeats, _percent(share(repeats, n)))))
    total_n = sum(int(c.get("n", 0)) for c in counted.values())
    total_repeats = sum(int(c.get("n", 0)) for c in repeated.values())
    rows.append(
        Row(("All the period", total_n, total_repeats, _percent(share(total_repeats, total_n))))
    )
    unit = "month" if by_month else "week"
    return Table(
        key="repeat-referrals",
        title="Repeat referrals within 12 months",
        description=f"Contacts received each {unit}, and how many were repeat referrals: "
        "a child in the contact was in another of the hub's contacts received in the 12 "
        "months before it (the national measure). Counted from the person index: a child "
        "not linked to an earlier record (or only a possible match) is not counted.",
        columns=(
            Column(f"{unit.capitalize()} beginning", numeric=False),
            Column("Contacts"),
            Column("Repeat referrals"),
            Column("Repeat referrals %", places=0),
        ),
        rows=tuple(rows),
        chart=Chart(value=3, unit="% repeat referrals", percent=True),
    )


def rag_mix(scope: Scope, given: Figures | None = None) -> Table:
    found = total(_figures(scope, given).days("contacts")).get("rag", {})
    count = sum(found.values())
    rows = tuple(
        Row((label, int(found.get(code, 0)), _percent(share(found.get(code, 0), count))))
        for code, label in RATINGS
    )
    return Table(
        key="rag-mix",
        title="Contacts by rating (RAG)",
        description="How urgent the hub rated the contacts it received in the period.",
        columns=(Column("Rating", numeric=False), Column("Contacts"), Column("Share %", places=0)),
        rows=rows,
        chart=Chart(value=1, unit="contacts"),
    )


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _hours(seconds: list[float], ps: tuple[float, ...] = (0.5, 0.9)) -> list[float | None]:
    ordered = sorted(seconds)
    return [None if not ordered else percentile(ordered, p) / 3600 for p in ps]  # type: ignore[operator]


def threshold_timing(scope: Scope, given: Figures | None = None) -> Table:
    """From receipt to the hub's first threshold decision, against the hub's clock
    (``DECISION_HOURS`` from receipt)."""
    totals = total(_figures(scope, given).days("threshold"))
    n_all = int(totals.get("n", 0))
    n = int(totals.get("decided", 0))
    median, p90 = _hours(totals.get("seconds", []))
    counted = n + int(totals.get("late_waiting", 0))
    on_time = int(totals.get("on_time", 0))
    hours = f"{DECISION_HOURS:g}"
    rows = (
        Row(("Contacts received", n_all)),
        Row(("Decided", n)),
        Row((f"Decided within {hours} hours", on_time)),
        Row((f"Decided after {hours} hours", n - on_time)),
        Row(("Waiting for a decision", n_all - n)),
        Row(("Median hours to decision", median)),
        Row(("90th percentile hours to decision", p90)),
        Row(
            (
                f"On time % (of the decided and the overdue: {counted})",
                _percent(share(on_time, counted)),
            )
        ),
    )
    return Table(
        key="threshold-timing",
        title="Time to the threshold decision",
        description=f"From receiving a contact to the hub's first threshold decision, "
        f"against the {hours}-hour target.",
        columns=(Column("Measure", numeric=False), Column("Value")),
        rows=rows,
        chart=Chart(value=1, unit="contacts", only=(2, 3, 4)),
    )


def agency_responses(scope: Scope, given: Figures | None = None) -> Table:
    """Per agency: requests sent, answered (the first released answer), the median and
    90th percentile hours from sending to it, and the share answered by the deadline out
    of those answered or already past it (as the performance report counts them)."""
    by_agency = total(_figures(scope, given).days("agencies"))
    names = dict(
        Agency.objects.filter(pk__in=[int(pk) for pk in by_agency]).values_list("pk", "name")
    )
    rows = []
    for pk in sorted(by_agency, key=lambda pk: (names.get(int(pk), ""), int(pk))):
        g = by_agency[pk]
        n = int(g.get("answered", 0))
        counted = n + int(g.get("due", 0)) - int(g.get("due_answered", 0))
        median, p90 = _hours(g.get("seconds", []))
        on_time = int(g.get("on_time", 0))
        rows.append(
            Row(
                (
                    names.get(int(pk), ""),
                    int(g.get("n", 0)),
                    n,
                    median,
                    p90,
                    on_time,
                    counted,
                    _percent(share(on_time, counted)),
                )
            )
        )
    return Table(
        key="agency-responses",
        title="Each agency's response to requests",
        description="Requests the hub sent each agency in the period, how long the answers "
        "took to reach the hub, and the share answered by the deadline.",
        columns=(
            Column("Agency", numeric=False),
            Column("Requests"),
            Column("Answered"),
            Column("Median hours"),
            Column("90th percentile hours"),
            Column("Answered on time"),
            Column("Due or answered"),
            Column("On time %", places=0),
        ),
        rows=tuple(rows),
        chart=Chart(value=7, unit="% on time", percent=True),
    )


def threshold_outcomes(scope: Scope, given: Figures | None = None) -> Table:
    """Outcomes of the authorised threshold decisions on the period's contacts (a
    decision may have several)."""
    counts = total(_figures(scope, given).days("outcomes"))
    rows = tuple(
        Row((str(label), int(counts.get(code, 0)))) for code, label in ThresholdOutcome.choices
    )
    return Table(
        key="threshold-outcomes",
        title="Threshold outcomes",
        description="What the hub's authorised threshold decisions said happens next for "
        "the child (a decision may name several outcomes).",
        columns=(Column("Outcome", numeric=False), Column("Decisions")),
        rows=rows,
        chart=Chart(value=1, unit="decisions"),
    )


def authorised(scope: Scope) -> QuerySet[ThresholdDecision]:
    """The authorised threshold decisions on the period's contacts."""
    return ThresholdDecision.objects.filter(
        enquiry__in=contacts(scope), status=ThresholdStatus.AUTHORISED
    )


_OWED = Q(feedback_due_at__isnull=False)


def feedback_figures(at: dt.datetime) -> dict[str, tuple[str, Q]]:
    """Each feedback figure: its label and the authorised threshold decisions it counts
    (overdue and not yet due by the clock ``at``). The table counts them and links
    each count to the paged list of the decisions behind it (``feedback_behind``)."""
    unsent = _OWED & Q(feedback__isnull=True)
    return {
        "owed": ("Feedback owed to professional referrers", _OWED),
        "on_time": ("Sent by the due time", _OWED & Q(feedback__sent_at__lte=F("feedback_due_at"))),
        "late": ("Sent after the due time", _OWED & Q(feedback__sent_at__gt=F("feedback_due_at"))),
        "overdue": ("Not sent, overdue", unsent & Q(feedback_due_at__lt=at)),
        "waiting": ("Not sent, not yet due", unsent & Q(feedback_due_at__gte=at)),
        "not_owed": (
            "Members of the public told (not owed on the clock)",
            Q(feedback_due_at__isnull=True, feedback__isnull=False),
        ),
    }


def feedback_behind(scope: Scope, value: str) -> QuerySet[ThresholdDecision]:
    """The threshold decisions a feedback figure counts (KeyError for a value not
    listed)."""
    _label, q = feedback_figures(scope.at)[value]
    return authorised(scope).filter(q)


def feedback_on_time(scope: Scope, given: Figures | None = None) -> Table:
    """Feedback to the referrer on the authorised threshold decisions of the period's
    contacts: owed to professional referrers within one working day of authorisation
    (``feedback_due_at``, mash.enquiries.feedback), and whether it was sent by then.
    Each count links to the threshold decisions behind it."""
    figures = feedback_figures(scope.at)
    totals = total(_figures(scope, given).days("feedback"))
    n = {value: int(totals.get(value, 0)) for value in figures}
    sent = n["on_time"] + n["late"]
    counted = sent + n["overdue"]
    median, p90 = _hours(totals.get("seconds", []))

    def counts(value: str) -> Row:
        return Row((figures[value][0], n[value]), links=("", f"value={value}"))

    rows = (
        counts("owed"),
        counts("on_time"),
        counts("late"),
        counts("overdue"),
        counts("waiting"),
        Row(
            (
                "Median hours from authorisation to feedback",
                median,
            )
        ),
        Row(
            (
                "90th percentile hours from authorisation to feedback",
                p90,
            )
        ),
        Row(
            (
                f"On time % (of the sent and the overdue: {counted})",
                _percent(share(n["on_time"], counted)),
            )
        ),
        counts("not_owed"),
    )
    return Table(
        key="feedback-on-time",
        title="Feedback to the referrer on time",
        description="Once a manager authorises the threshold decision, a professional "
        "referrer is owed feedback within one working day on the hub's clock: whether it "
        "was sent by then, for the authorised decisions on the period's contacts.",
        columns=(Column("Measure", numeric=False), Column("Value")),
        rows=rows,
        chart=Chart(value=1, unit="decisions", only=(1, 2, 3, 4)),
        behind="reports:feedback",
    )


def consent_overrides(scope: Scope, given: Figures | None = None) -> Table:
    """Contacts referred without consent, and the partner agencies' shares without
    consent by the consent position they overrode."""
    figures = _figures(scope, given)
    referred = int(total(figures.days("contacts")).get("referred", 0))
    found = total(figures.days("shares"))
    kinds = {code: int(found.get(code, 0)) for code in ("total", *(c for c, _ in OVERRIDE_KINDS))}
    known = sum(int(kinds[code]) for code, _ in OVERRIDE_KINDS)
    rows = [Row(("Contacts referred to the hub without consent", referred))]
    rows += [Row((label, int(kinds[code]))) for code, label in OVERRIDE_KINDS]
    rows.append(
        Row(
            (
                "Other shares without consent (consent not needed or not possible)",
                max(0, int(kinds["total"]) - known),
            )
        )
    )
    return Table(
        key="consent-overrides",
        title="Consent overrides and their kinds",
        description="Contacts referred without the family's consent, and agencies' shares "
        "made without consent, by what happened to consent.",
        columns=(Column("Kind", numeric=False), Column("Number")),
        rows=tuple(rows),
        chart=Chart(value=1),
    )


def dashboard(scope: Scope) -> list[Table]:
    """Every table of the page, each part of the figures read once for them all."""
    given = Figures(scope)
    return [
        contacts_per_week(scope, given),
        repeat_referrals(scope, given),
        rag_mix(scope, given),
        threshold_timing(scope, given),
        agency_responses(scope, given),
        threshold_outcomes(scope, given),
        feedback_on_time(scope, given),
        consent_overrides(scope, given),
    ]


def counted_at(scope: Scope) -> Any:
    """When the stored figures this scope reads were counted, and their last day (None
    when every day is counted live)."""
    return Figures(scope).counted


__all__ = ["LEFT_OUT", "Scope", "dashboard"]
