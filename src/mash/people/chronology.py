"""A child's chronology: everything the hub holds about one indexed person across
enquiries and agencies, newest first, in one list paged in SQL (issue 14, "A chronology
for each child").

Each kind of event is a query shaped to the same columns (when, kind, agency, enquiry
reference, code, detail, source, target), and the kinds are joined with ``UNION ALL``,
ordered and sliced by the database. Filters (agency, kind) apply inside each part.

Who sees what (guidance, Principles: shared only with those who need it):

- the hub (practitioners, managers, its DPO): every enquiry, request, released decision
  with its basis and items, sign-off, consent event, the hub's advice, onward share and
  threshold outcome, leaving out restricted enquiries they may not open;
- a partner agency: the requests sent to it, its own decisions (with their items, advice
  and sign-offs) and what the hub passed on to it, nothing else.

The items show what kind of information was shared (fact or opinion, current or
historical, source, date), not its text: that stays on the decision record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from mash.consent.models import ConsentRecord, ConsentStatus, Giver
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import (
    Enquiry,
    EnquiryStatus,
    Outcome,
    Person,
    Source,
    ThresholdDecision,
    ThresholdOutcome,
)
from mash.sharing.models import (
    AdviceRequest,
    Currency,
    Decision,
    DecisionOutcome,
    DisclosureItem,
    InformationRequest,
    Nature,
    OnwardShare,
    Release,
    RequestStatus,
)

KINDS: dict[str, str] = {
    "enquiry": "Enquiry received",
    "outcome": "Enquiry closed",
    "threshold": "Threshold decision",
    "request": "Request sent",
    "decision": "Decision",
    "item": "Information shared",
    "signoff": "Signed off",
    "advice": "Advice asked",
    "consent": "Consent",
    "onward": "Passed on by the hub",
}

_LABELS: dict[str, dict[str, str]] = {
    "enquiry": {**dict(Source.choices), **dict(EnquiryStatus.choices)},
    "outcome": dict(Outcome.choices),
    "threshold": dict(ThresholdOutcome.choices),
    "request": dict(RequestStatus.choices),
    "decision": dict(DecisionOutcome.choices),
    "item": {**dict(Nature.choices), **dict(Currency.choices)},
    "consent": {**dict(ConsentStatus.choices), **dict(Giver.choices)},
}

_COLUMNS = (
    "c_at",
    "c_kind",
    "c_agency",
    "c_reference",
    "c_code",
    "c_detail",
    "c_source",
    "c_target",
)


def _text(expression: Any) -> Cast:
    return Cast(expression, output_field=CharField())


def _shape(
    qs: QuerySet[Any],
    kind: str,
    *,
    at: Any,
    agency: Any,
    reference: Any,
    code: Any = None,
    detail: Any = None,
    source: Any = None,
    target: Any = None,
) -> QuerySet[Any]:
    blank = Value("", output_field=CharField())
    return (
        qs.order_by()
        .annotate(
            c_at=Cast(at, output_field=DateTimeField()),
            c_kind=Value(kind, output_field=CharField()),
            c_agency=_text(agency),
            c_reference=_text(reference),
            c_code=_text(code) if code is not None else blank,
            c_detail=_text(detail) if detail is not None else blank,
            c_source=_text(source) if source is not None else blank,
            c_target=_text(target if target is not None else F("pk")),
        )
        .values_list(*_COLUMNS)
    )


@dataclass(frozen=True)
class Scope:
    """Whose chronology, seen by whom."""

    people: list[uuid.UUID]  # the enquiries.Person records linked to the indexed person
    enquiries: list[uuid.UUID]  # their enquiries the viewer may open
    agency_id: Any  # a partner's agency, or None for the hub


def scope_for(user: Any, indexed_person: Any, *, partner: bool) -> Scope:
    rows = list(
        Person.objects.filter(index_link__indexed_person=indexed_person).values_list(
            "pk", "enquiry_id"
        )
    )
    people = [pk for pk, _ in rows]
    enquiry_ids = {e for _, e in rows}
    shut = enquiry_permissions.restricted_for(user, enquiry_ids)
    open_ids = sorted(enquiry_ids - shut)
    people = [pk for pk, e in rows if e in open_ids]
    return Scope(people=people, enquiries=open_ids, agency_id=user.agency_id if partner else None)


def events(scope: Scope, *, agency: str = "", kind: str = "") -> QuerySet[Any]:
    """Every event the scope may see, newest first, as one UNION query (unsliced)."""
    people, enquiries, own = scope.people, scope.enquiries, scope.agency_id
    parts: list[QuerySet[Any]] = []
    hub = own is None

    def wanted(k: str) -> bool:
        return not kind or kind == k

    requests = InformationRequest.objects.filter(people__in=people, enquiry_id__in=enquiries)
    decisions = Decision.objects.filter(
        request__people__in=people, request__enquiry_id__in=enquiries
    )
    if hub:
        decisions = decisions.filter(release=Release.RELEASED)
    else:
        requests = requests.filter(agency_id=own)
        decisions = decisions.filter(agency_id=own)
    if agency:
        requests = requests.filter(agency__code=agency)
        decisions = decisions.filter(agency__code=agency)
    if hub and wanted("enquiry") and not agency:
        parts.append(
            _shape(
                Enquiry.objects.filter(pk__in=enquiries),
                "enquiry",
                at=Coalesce("received_at", "created_at"),
                agency=F("hub__name"),
                reference=F("reference"),
                code=F("source"),
                detail=F("status"),
            )
        )
    if hub and wanted("outcome") and not agency:
        parts.append(
            _shape(
                Enquiry.objects.filter(pk__in=enquiries, closed_at__isnull=False),
                "outcome",
                at=F("closed_at"),
                agency=F("hub__name"),
                reference=F("reference"),
                code=F("outcome"),
            )
        )
    if hub and wanted("threshold") and not agency:
        parts.append(
            _shape(
                ThresholdDecision.objects.filter(enquiry_id__in=enquiries),
                "threshold",
                at=F("decided_at"),
                agency=F("enquiry__hub__name"),
                reference=F("enquiry__reference"),
                code=F("status"),
                target=F("pk"),
            )
        )
    if wanted("request"):
        parts.append(
            _shape(
                requests.distinct(),
                "request",
                at=F("created_at"),
                agency=F("agency__name"),
                reference=F("enquiry__reference"),
                code=F("status"),
            )
        )
    if wanted("decision"):
        parts.append(
            _shape(
                decisions.distinct(),
                "decision",
                at=F("decided_at"),
                agency=F("agency__name"),
                reference=F("request__enquiry__reference"),
                code=F("outcome"),
                detail=F("basis"),
            )
        )
    if wanted("signoff"):
        parts.append(
            _shape(
                decisions.filter(signoff_at__isnull=False).distinct(),
                "signoff",
                at=F("signoff_at"),
                agency=F("agency__name"),
                reference=F("request__enquiry__reference"),
                code=F("outcome"),
            )
        )
    if wanted("item"):
        items = DisclosureItem.objects.filter(decision__in=decisions.values("pk"))
        parts.append(
            _shape(
                items,
                "item",
                at=F("decision__decided_at"),
                agency=F("decision__agency__name"),
                reference=F("decision__request__enquiry__reference"),
                code=F("nature"),
                detail=F("currency"),
                source=F("source"),
                target=F("decision_id"),
            )
        )
    if wanted("advice"):
        advice = AdviceRequest.objects.filter(
            request__people__in=people, request__enquiry_id__in=enquiries
        )
        advice = (
            advice.filter(Q(agency__is_hub=True) | Q(adviser_agency__is_hub=True))
            if hub
            else advice.filter(agency_id=own)
        )
        if agency:
            advice = advice.filter(agency__code=agency)
        parts.append(
            _shape(
                advice.distinct(),
                "advice",
                at=F("asked_at"),
                agency=F("agency__name"),
                reference=F("request__enquiry__reference"),
                code=F("adviser_kind"),
            )
        )
    if wanted("consent"):
        consent = ConsentRecord.objects.filter(person_id__in=people)
        if not hub:
            consent = consent.filter(recorded_by_agency_id=own)
        if agency:
            consent = consent.filter(recorded_by_agency__code=agency)
        parts.append(
            _shape(
                consent,
                "consent",
                at=F("recorded_at"),
                agency=F("recorded_by_agency__name"),
                reference=F("person__enquiry__reference"),
                code=F("status"),
                detail=F("giver"),
            )
        )
    if wanted("onward"):
        onward = OnwardShare.objects.filter(items__people__in=people, enquiry_id__in=enquiries)
        if not hub:
            onward = onward.filter(recipient_id=own)
        if agency:
            onward = onward.filter(recipient__code=agency)
        parts.append(
            _shape(
                onward.distinct(),
                "onward",
                at=F("shared_at"),
                agency=F("recipient__name"),
                reference=F("enquiry__reference"),
            )
        )
    if not parts:
        return Enquiry.objects.none().values_list("pk")
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-c_at", "c_kind", "c_target")


@dataclass(frozen=True)
class Event:
    at: Any
    kind: str
    kind_label: str
    agency: str
    reference: str
    what: str
    source: str
    target: str


def describe(row: tuple[Any, ...]) -> Event:
    at, kind, agency, reference, code, detail, source, target = row
    labels = _LABELS.get(kind, {})
    parts = []
    if kind == "decision":
        parts.append(labels.get(code, code))
        if detail:
            parts.append(f"on the basis: {detail.replace('_', ' ')}")
    elif kind == "enquiry":
        parts.append(f"from {str(labels.get(code, code) or 'a source not recorded').lower()}")
        parts.append(f"now {str(labels.get(detail, detail)).lower()}")
    elif kind == "item":
        parts.append(f"{labels.get(code, code)}, {labels.get(detail, detail).lower()}")
    elif kind == "consent":
        parts.append(f"{labels.get(code, code)} by {labels.get(detail, detail).lower()}")
    elif kind == "threshold":
        parts.append(str(code).replace("_", " ").capitalize())
    elif kind == "advice":
        parts.append(f"from the {str(code).replace('_', ' ')}")
    elif code:
        parts.append(labels.get(code, str(code).replace("_", " ")))
    return Event(
        at=at,
        kind=kind,
        kind_label=KINDS.get(kind, kind),
        agency=agency or "",
        reference=reference or "",
        what=", ".join(p for p in parts if p),
        source=source or "",
        target=target or "",
    )
