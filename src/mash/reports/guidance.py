"""How the information sharing guidance was followed (issue 18): the partner agencies'
current decisions recorded in the period, counted by what the guidance asks of them.

- the basis of each share (When? questions; Consent; Sharing without consent; Public
  Interest), and the decisions not to share;
- shares without consent, and whether the individual was told (How?: "Inform the
  individual that the information has been shared if they were not aware of this as
  long as this would not create or increase risk of harm");
- decisions not to share discussed with the requester (Record: "the reasons must be
  recorded and discussed with the requester");
- advice sought (7 Golden Rules, rule 3 "Seek Advice");
- overrides of a refusal signed off by a manager, and whether by the request's deadline
  (Sharing information when consent has been refused: proportionate; Timely);
- urgent overrides released at once and reviewed by a manager afterwards, and whether
  by the review's due time (Consent to Share Information: "take immediate action");
- items shared, by fact or opinion and current or historical (Accurate).

Each figure is a filter on the decisions (``FIGURES``): the page links every count to
the paged list of the decisions behind it, which applies the viewer's access rules.
Counts are aggregated in SQL: the page counts every decision figure in one pass over
the period's decisions (``counts``), and advice sought by one semi-join (the decisions
whose pk is among the advice requests' decisions, an ``IN`` in ``WHERE``); written as an
``EXISTS`` per decision inside ``COUNT(...) FILTER`` PostgreSQL ran it once a row
(tests/bench/README.md, bench_dashboard). A table alone (its export) counts only its
own figure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Now, TruncDate

from mash.policy.informing import LEAST_TOLD_FIRST, Told
from mash.sharing.models import (
    AdviceRequest,
    Currency,
    Decision,
    DecisionOutcome,
    DisclosureItem,
    Nature,
    PersonInformed,
    Release,
    standing,
)

from .dashboard import Scope, decisions
from .days import Day, Days, Figures, merge, total
from .tables import Chart, Column, Row, Table

BASES = [
    ("consent", "Consent"),
    ("significant_harm", "Risk of significant harm to a child"),
    ("urgent", "Urgent: seeking consent would cause harmful delay"),
    ("public_interest", "Public interest"),
    ("vital_interests", "Vital interests of the individual"),
    ("public_function", "To fulfil a public function"),
    ("legal_obligation", "A legal obligation"),
    ("not_identifying", "The information does not identify anyone"),
    ("not_confidential", "The information is not confidential"),
]

_ADVICE = Exists(AdviceRequest.objects.filter(decision=OuterRef("pk")))
_SHARE = Q(outcome=DecisionOutcome.SHARE)
_WITHOUT = _SHARE & Q(without_consent=True)
_REFUSE = Q(outcome=DecisionOutcome.DO_NOT_SHARE)
# A share held for sign-off (not an urgent one reviewed after release, below).
_HELD = Q(review_due__isnull=True)
_SIGNED = _HELD & Q(signoff_at__isnull=False, release=Release.RELEASED)
_NEEDED_SIGNOFF = _HELD & (
    Q(signoff_at__isnull=False) | Q(release__in=[Release.AWAITING_SIGNOFF, Release.RETURNED])
)
# An urgent override released at once and reviewed by a manager after the event, by
# ``review_due`` on the hub's clock (mash.policy.signoff.releases_before_review).
_REVIEWED = Q(review_due__isnull=False, signoff_at__isnull=False)
_UNREVIEWED = Q(review_due__isnull=False, signoff_at__isnull=True)


# Whether each person was told is one ``PersonInformed`` row each (its answer as it now
# stands, ``sharing.models.standing``: a promised telling since recorded counts as told).
# A decision counts under the least told of its people
# (``mash.policy.informing.LEAST_TOLD_FIRST``). Each test is an uncorrelated set of
# decisions (a hashed semi-join), never an EXISTS per decision.
_TOLD_LABELS = [
    (Told.TOLD, "Told"),
    (Told.WILL_TELL, "Will be told"),
    (Told.NOT_TOLD, "Not told: telling them would create or increase risk of harm"),
    (Told.ALREADY_AWARE, "Already aware"),
]


def _tellings(among: Q | None) -> QuerySet[PersonInformed]:
    """The answers looked at: all, or (counting a period) those of its decisions only,
    so the sets below hold a period's answers, not every answer ever recorded (a pass
    over five weeks hashed all 165,710 of them five times, 474 ms at ten years)."""
    return (
        PersonInformed.objects.filter(among) if among is not None else PersonInformed.objects.all()
    )


def _has_telling(among: Q | None = None) -> Q:
    return Q(pk__in=_tellings(among).values("decision_id"))


def _stands(told: Told, among: Q | None = None) -> Q:
    return Q(pk__in=_tellings(among).filter(standing(told)).values("decision_id"))


def _least_told(told: Told, among: Q | None = None) -> Q:
    """The decisions whose least told person stands at ``told``; a decision recorded
    before each person had their own answer by its one answer (``Decision.informed``)."""
    q = _stands(told, among)
    for earlier in LEAST_TOLD_FIRST[: LEAST_TOLD_FIRST.index(told)]:
        q &= ~_stands(earlier, among)
    return q | (~_has_telling(among) & Q(informed=told.value))


def _informed(among: Q | None = None) -> dict[str, tuple[str, Q]]:
    """The "was the individual told?" figure's values, its sets of answers limited by
    ``among`` (a filter on ``PersonInformed``) where given."""
    return {
        **{
            told.value: (label, _WITHOUT & _least_told(told, among)) for told, label in _TOLD_LABELS
        },
        "not_recorded": ("Not recorded", _WITHOUT & ~_has_telling(among) & Q(informed="")),
    }


def _items(nature: str, currency: str) -> Q:
    return Q(
        Exists(
            DisclosureItem.objects.filter(decision=OuterRef("pk"), nature=nature, currency=currency)
        )
    )


# figure -> value -> (label, the decisions it counts)
FIGURES: dict[str, dict[str, tuple[str, Q]]] = {
    "basis": {
        **{code: (label, _SHARE & Q(basis=code)) for code, label in BASES},
        "do_not_share": ("Not shared", _REFUSE),
    },
    "informed": _informed(),
    "discussed": {
        "yes": ("Discussed with the requester", _REFUSE & Q(discussed_at__isnull=False)),
        "no": ("Not discussed", _REFUSE & Q(discussed_at__isnull=True)),
    },
    "advice": {
        "yes": ("Advice sought before deciding", Q(_ADVICE)),
        "no": ("No advice sought", ~Q(_ADVICE)),
    },
    "signoff": {
        "on_time": (
            "Signed off by the request's deadline",
            _SIGNED & Q(signoff_at__lte=F("request__deadline")),
        ),
        "late": (
            "Signed off after the request's deadline",
            _SIGNED & Q(signoff_at__gt=F("request__deadline")),
        ),
        "returned": ("Returned to the practitioner", Q(release=Release.RETURNED)),
        "waiting": ("Waiting for sign-off", Q(release=Release.AWAITING_SIGNOFF)),
    },
    "review": {
        "on_time": (
            "Reviewed by the due time",
            _REVIEWED & Q(signoff_at__lte=F("review_due")),
        ),
        "late": ("Reviewed after the due time", _REVIEWED & Q(signoff_at__gt=F("review_due"))),
        "overdue": ("Not reviewed, overdue", _UNREVIEWED & Q(review_due__lt=Now())),
        "waiting": ("Not reviewed, not yet due", _UNREVIEWED & Q(review_due__gte=Now())),
        "disagreed": (
            "Reviewed: the manager disagreed with the share",
            _REVIEWED & Q(review_agreed=False),
        ),
    },
    "items": {
        f"{n}-{c}": (f"{nl}, {cl.lower()}", _items(n, c))
        for n, nl in Nature.choices
        for c, cl in Currency.choices
    },
}


def behind(scope: Scope, figure: str, value: str) -> QuerySet[Decision]:
    """The decisions a figure counts (KeyError for a figure or value not listed)."""
    _label, q = FIGURES[figure][value]
    return decisions(scope).filter(q)


# The decisions a figure's table counts among (all the period's when not listed).
_AMONG: dict[str, Q] = {
    "signoff": _NEEDED_SIGNOFF,
    "review": Q(review_due__isnull=False),
}
# The figures counted in the one pass (advice and items are counted their own way).
_PASS = ("basis", "informed", "discussed", "signoff", "review")

Counts = dict[str, dict[str, int]]


def _advised(scope: Scope) -> QuerySet[Decision]:
    """The period's decisions for which advice was sought: an uncorrelated set in
    ``WHERE`` (a semi-join), never an ``EXISTS`` per decision inside a count."""
    asked = AdviceRequest.objects.filter(decision__isnull=False).values("decision_id")
    return decisions(scope).filter(pk__in=asked)


def decisions_by_day(scope: Scope) -> Days:
    """Each day's decisions (by ``decided_at``) counted for every figure of ``_PASS`` in
    one aggregate grouped by day, and those for which advice was sought by one
    semi-join count (``mash.reports.days`` stores the settled days)."""
    first, after = scope.bounds
    # Each answer set of the telling figure limited to the period's decisions.
    figures = {
        **FIGURES,
        "informed": _informed(Q(decision__decided_at__gte=first, decision__decided_at__lt=after)),
    }
    aggregates: dict[str, Any] = {"total": Count("pk")}
    for figure in _PASS:
        among = _AMONG.get(figure)
        for i, (_label, q) in enumerate(figures[figure].values()):
            aggregates[f"{figure}_{i}"] = Count("pk", filter=(among & q) if among else q)
    out: Days = {}
    for row in (
        decisions(scope)
        .annotate(day=TruncDate("decided_at"))
        .values("day")
        .annotate(**aggregates)
        .order_by()
    ):
        day: Day = {"total": int(row["total"])}
        for figure in _PASS:
            day[figure] = {
                value: int(row[f"{figure}_{i}"]) for i, value in enumerate(FIGURES[figure])
            }
        out[row["day"]] = day
    for row in (
        _advised(scope)
        .annotate(day=TruncDate("decided_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        merge(out.setdefault(row["day"], {}), {"advice": {"yes": int(row["n"])}})
    return out


def items_by_day(scope: Scope) -> Days:
    """Each day's items shared (by their decision's ``decided_at``), by fact or opinion
    and current or historical (``nature-currency``)."""
    out: Days = {}
    for row in (
        DisclosureItem.objects.filter(decision__in=decisions(scope))
        .annotate(day=TruncDate("decision__decided_at"))
        .values("day", "nature", "currency")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        merge(out.setdefault(row["day"], {}), {f"{row['nature']}-{row['currency']}": int(row["n"])})
    return out


def counts(
    scope: Scope,
    figures: tuple[str, ...] = (*_PASS, "advice"),
    given: Figures | None = None,
) -> Counts:
    """How many decisions each value of each figure counts, over the period's days
    (``decisions_by_day``, stored or counted live); those not advised are the rest of
    the period's decisions."""
    totals = total((given or Figures(scope)).days("decisions"))
    out: Counts = {
        figure: {value: int(totals.get(figure, {}).get(value, 0)) for value in FIGURES[figure]}
        for figure in figures
        if figure in _PASS
    }
    if "advice" in figures:
        yes = int(totals.get("advice", {}).get("yes", 0))
        out["advice"] = {"yes": yes, "no": int(totals.get("total", 0)) - yes}
    return out


def _table(
    scope: Scope,
    *,
    figure: str,
    given: Counts | None = None,
    key: str,
    title: str,
    description: str,
    first: str,
    unit: str = "decisions",
    skip_empty: bool = False,
) -> Table:
    options = FIGURES[figure]
    counted = (given or counts(scope, (figure,)))[figure]
    rows = []
    for value, (label, _q) in options.items():
        n = counted[value]
        if skip_empty and n == 0:
            continue
        rows.append(Row((label, n), links=("", f"figure={figure}&value={value}")))
    return Table(
        key=key,
        title=title,
        description=description,
        columns=(Column(first, numeric=False), Column(unit.capitalize())),
        rows=tuple(rows),
        chart=Chart(value=1, unit=unit),
    )


def by_basis(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="basis",
        key="decisions-by-basis",
        title="Decisions by basis",
        description="The partner agencies' decisions in the period: each share by the "
        "ground the guidance found for it, and the decisions not to share.",
        first="Basis",
        skip_empty=False,
        given=given,
    )


def without_consent_told(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="informed",
        key="without-consent-told",
        title="Shares without consent: was the individual told?",
        description="Shares made without consent, by whether the person was told that "
        "their information was shared.",
        first="Told",
        unit="shares",
        given=given,
    )


def refusals_discussed(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="discussed",
        key="refusals-discussed",
        title="Decisions not to share discussed with the requester",
        description="Decisions not to share, by whether the reasons were discussed with "
        "the requester.",
        first="Discussed",
        given=given,
    )


def advice_sought(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="advice",
        key="advice-sought",
        title="Advice sought",
        description="Decisions by whether the practitioner sought advice from a manager or "
        "the hub's safeguarding lead before deciding.",
        first="Advice",
        given=given,
    )


def signoffs(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="signoff",
        key="signoffs",
        title="Sign-offs of consent overrides",
        description="Shares overriding a refusal of consent held until a manager of the "
        "sharing agency signed them off, and whether by the request's deadline (urgent "
        "shares reviewed after release are counted below).",
        first="Sign-off",
        given=given,
    )


def reviews_after_release(scope: Scope, given: Counts | None = None) -> Table:
    return _table(
        scope,
        figure="review",
        key="reviews-after-release",
        title="Reviews of urgent shares after release",
        description="Urgent shares overriding a refusal of consent reach the hub at once "
        "and a manager of the sharing agency reviews them after the event: whether the "
        "review was made by its due time, and how many the manager disagreed with (a "
        "share reviewed is counted once by its timing, and again if disagreed with).",
        first="Review",
        unit="shares",
        given=given,
    )


def items_by_kind(scope: Scope, given: Figures | None = None) -> Table:
    """Items (not decisions) by fact or opinion and current or historical; each links to
    the decisions that shared such items."""
    found = total((given or Figures(scope)).days("items"))
    counts = {
        (n, c): found.get(f"{n}-{c}", 0) for n, _nl in Nature.choices for c, _cl in Currency.choices
    }
    rows = tuple(
        Row(
            (f"{nl}, {cl.lower()}", int(counts.get((n, c), 0))),
            links=("", f"figure=items&value={n}-{c}"),
        )
        for n, nl in Nature.choices
        for c, cl in Currency.choices
    )
    return Table(
        key="items-by-kind",
        title="Items shared: fact or opinion, current or historical",
        description="The items the agencies shared, marked as the guidance asks.",
        columns=(Column("Item", numeric=False), Column("Items")),
        rows=rows,
        chart=Chart(value=1, unit="items"),
    )


TABLES: dict[str, Callable[[Scope], Table]] = {
    "decisions-by-basis": by_basis,
    "without-consent-told": without_consent_told,
    "refusals-discussed": refusals_discussed,
    "advice-sought": advice_sought,
    "signoffs": signoffs,
    "reviews-after-release": reviews_after_release,
    "items-by-kind": items_by_kind,
}


def guidance(scope: Scope) -> list[Table]:
    """Every table of the page, the decision figures counted in one pass."""
    figures = Figures(scope)
    given = counts(scope, given=figures)
    return [
        by_basis(scope, given),
        without_consent_told(scope, given),
        refusals_discussed(scope, given),
        advice_sought(scope, given),
        signoffs(scope, given),
        reviews_after_release(scope, given),
        items_by_kind(scope, figures),
    ]
