"""What has passed its retention, and what holds keep: read only (the selectors of the
sweep and of the DPO's preview). The sweep in ``services`` destroys what this plans.

How a record's retention is found (docs/retention.md):

- The hub's own records (enquiries, requests, consent records, evidence files) follow
  the hub's schedule; decisions and disclosures follow the deciding agency's schedule,
  or the hub's where the agency has no rule for that kind.
- A record with no rule for its kind, or whose trigger has not happened (an open
  enquiry and "closure", a child with no date of birth, no date of death recorded),
  is kept.
- "The date of death" is the child's (the enquiry's children's: the last of their
  deaths, and none while any child of the enquiry has no date of death recorded); a
  child's consent records start from that child's own.
- A record that holds others goes only when everything it holds has gone too: a request
  goes with its decisions and their disclosures, so its last day is the latest of
  theirs and its own; an enquiry's is the latest of everything in it. So nothing is
  destroyed before its own rule says, whatever holds it.
- Decisions of one request go together (a correction points at what it corrects); so do
  the consent records of one person (a withdrawal points at the consent it withdraws).
- A hold on the hub or the enquiry keeps everything in the enquiry; a hold on a person
  keeps the enquiry whole and every request, decision, disclosure and consent record
  that concerns them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from mash.consent.models import ConsentRecord
from mash.enquiries.models import (
    Enquiry,
    EnquiryStatus,
    Outcome,
    Person,
    PersonKind,
    ThresholdDecision,
    ThresholdStatus,
)
from mash.records.models import Action, RecordEntry
from mash.sharing.models import Decision, DisclosureItem, InformationRequest

from . import rules
from .models import Hold, RecordKind, RetentionRule

# Record entries that are not activity on an enquiry: reading it, being refused it,
# exporting it, and retention itself.
NOT_ACTIVITY = frozenset(
    {a.value for a in Action if a.value.endswith((".viewed", ".listed"))}
    | {Action.ACCESS_DENIED.value, Action.EXPORT_DOWNLOADED.value, Action.RETENTION_DELETION.value}
)


@dataclass(frozen=True)
class Target:
    """One record to destroy, the rule that applies to it and its last day."""

    kind: str
    object_type: str
    object_id: uuid.UUID
    rule: RetentionRule
    ends: dt.date


@dataclass
class EnquiryPlan:
    enquiry_id: uuid.UUID
    hub_id: int
    reference: str
    whole: bool = False
    targets: list[Target] = field(default_factory=list)
    # Expired records kept by a hold, and the holds keeping them.
    held: list[Target] = field(default_factory=list)
    holds: set[uuid.UUID] = field(default_factory=set)
    # Groups of rows for the sweep to delete together.
    request_ids: list[uuid.UUID] = field(default_factory=list)
    decision_request_ids: list[uuid.UUID] = field(default_factory=list)
    item_ids: list[uuid.UUID] = field(default_factory=list)
    consent_person_ids: list[uuid.UUID] = field(default_factory=list)
    evidence_consent_ids: list[uuid.UUID] = field(default_factory=list)

    @property
    def destroys_anything(self) -> bool:
        return bool(self.targets)


class Schedules:
    """Every agency's rules, looked up as the module says."""

    def __init__(self, rows: Iterable[RetentionRule] | None = None) -> None:
        rows = RetentionRule.objects.all() if rows is None else rows
        self._rules = {(rule.agency_id, rule.kind): rule for rule in rows}

    def rule(self, kind: str, *, agency_id: int | None, hub_id: int) -> RetentionRule | None:
        if agency_id is not None and (agency_id, kind) in self._rules:
            return self._rules[(agency_id, kind)]
        return self._rules.get((hub_id, kind))


class Holds:
    """The holds in force."""

    def __init__(self, rows: Iterable[Hold] | None = None) -> None:
        rows = Hold.objects.filter(released_at__isnull=True) if rows is None else rows
        self.hubs: dict[int, set[uuid.UUID]] = defaultdict(set)
        self.enquiries: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        self.people: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for hold in rows:
            if hold.scope == "hub" and hold.hub_id is not None:
                self.hubs[hold.hub_id].add(hold.id)
            elif hold.scope == "enquiry" and hold.enquiry_id is not None:
                self.enquiries[hold.enquiry_id].add(hold.id)
            elif hold.scope == "person" and hold.person_id is not None:
                self.people[hold.person_id].add(hold.id)

    def on_people(self, people: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        for person in people:
            found |= self.people.get(person, set())
        return found


def _day(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _latest_end(ends: Iterable[dt.date | None]) -> dt.date | None:
    """The latest of some last days; None (keep) if any is unknown."""
    out: dt.date | None = None
    for end in ends:
        if end is None:
            return None
        out = end if out is None or end > out else out
    return out


@dataclass
class _Batch:
    """The rows of a batch of enquiries that planning needs (ids and dates only)."""

    enquiries: list[dict[str, Any]]
    people: dict[uuid.UUID, list[dict[str, Any]]]
    requests: dict[uuid.UUID, list[dict[str, Any]]]
    request_people: dict[uuid.UUID, set[uuid.UUID]]
    decisions: dict[uuid.UUID, list[dict[str, Any]]]
    items: dict[uuid.UUID, list[dict[str, Any]]]
    item_people: dict[uuid.UUID, set[uuid.UUID]]
    consents: dict[uuid.UUID, list[dict[str, Any]]]
    activity: dict[uuid.UUID, dt.datetime]


def _group(rows: Iterable[Any], key: str) -> dict[uuid.UUID, list[dict[str, Any]]]:
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def load(enquiry_ids: Sequence[uuid.UUID]) -> _Batch:
    """One query per table for the whole batch."""
    ids = list(enquiry_ids)
    enquiry_rows: Any = (
        Enquiry.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "id",
            "hub_id",
            "reference",
            "status",
            "outcome",
            "created_at",
            "closed_at",
            "updated_at",
        )
    )
    enquiries: list[dict[str, Any]] = list(enquiry_rows)
    authorised = dict(
        ThresholdDecision.objects.filter(
            enquiry_id__in=ids, status=ThresholdStatus.AUTHORISED
        ).values_list("enquiry_id", "outcomes")
    )
    for row in enquiries:
        row["outcomes"] = list(authorised.get(row["id"]) or [])
    # Each table by the ids found in the one before (an indexed lookup each): a filter
    # through joins lets SQLite's planner scan a whole table per batch, which made a
    # sweep quadratic in the number of enquiries (found by tests/bench/bench_retention).
    person_rows = list(
        Person.objects.filter(enquiry_id__in=ids).values(
            "id",
            "enquiry_id",
            "kind",
            "date_of_birth",
            "estimated_age",
            "date_of_death",
            "created_at",
        )
    )
    people = _group(person_rows, "enquiry_id")
    request_rows = list(
        InformationRequest.objects.filter(enquiry_id__in=ids).values(
            "id", "enquiry_id", "agency_id", "created_at", "withdrawn_at"
        )
    )
    requests = _group(request_rows, "enquiry_id")
    request_ids = [row["id"] for row in request_rows]
    request_people: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for request_id, person_id in InformationRequest.people.through.objects.filter(
        informationrequest_id__in=request_ids
    ).values_list("informationrequest_id", "person_id"):
        request_people[request_id].add(person_id)
    decision_rows = list(
        Decision.objects.filter(request_id__in=request_ids).values(
            "id", "request_id", "agency_id", "decided_at"
        )
    )
    decisions = _group(decision_rows, "request_id")
    item_rows = list(
        DisclosureItem.objects.filter(decision_id__in=[row["id"] for row in decision_rows]).values(
            "id", "decision_id", "created_at"
        )
    )
    items = _group(item_rows, "decision_id")
    item_people: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for item_id, person_id in DisclosureItem.people.through.objects.filter(
        disclosureitem_id__in=[row["id"] for row in item_rows]
    ).values_list("disclosureitem_id", "person_id"):
        item_people[item_id].add(person_id)
    consents = _group(
        ConsentRecord.objects.filter(person_id__in=[row["id"] for row in person_rows]).values(
            "id", "person_id", "recorded_at", "evidence_name"
        ),
        "person_id",
    )
    activity_rows: Any = (
        RecordEntry.objects.filter(enquiry_id__in=ids)
        .exclude(action__in=NOT_ACTIVITY)
        .values("enquiry_id")
        .annotate(last=Max("at"))
        .values_list("enquiry_id", "last")
    )
    activity: dict[uuid.UUID, dt.datetime] = dict(activity_rows)
    return _Batch(
        enquiries,
        people,
        requests,
        request_people,
        decisions,
        items,
        item_people,
        consents,
        activity,
    )


def _birth(person: dict[str, Any]) -> dt.date | None:
    """The date of birth, or the latest it can be from an estimated age at the time the
    person was recorded (so an estimate never shortens retention)."""
    if person["date_of_birth"] is not None:
        return person["date_of_birth"]
    recorded = _day(person["created_at"])
    if person["estimated_age"] is not None and recorded is not None:
        return rules.add_months(recorded, -12 * int(person["estimated_age"]))
    return None


def _youngest_child(people: Iterable[dict[str, Any]]) -> dt.date | None:
    """The child whose birthday comes last keeps the record longest. Unknown if any
    child's date of birth is unknown (then the record is kept)."""
    births = []
    for person in people:
        if person["kind"] == PersonKind.CHILD:
            born = _birth(person)
            if born is None:
                return None
            births.append(born)
    return max(births) if births else None


def _children_died(people: Iterable[dict[str, Any]]) -> dt.date | None:
    """The last of the children's dates of death: None (keep) while any child of the
    enquiry has none recorded, or the enquiry has no child."""
    deaths = []
    for person in people:
        if person["kind"] == PersonKind.CHILD:
            if person["date_of_death"] is None:
                return None
            deaths.append(person["date_of_death"])
    return max(deaths) if deaths else None


def enquiry_kind(status: str, outcome: str, outcomes: Sequence[str] = ()) -> str | None:
    """The kind of a closed enquiry; None for one still open (never destroyed whole).
    ``outcomes`` are those of the authorised threshold decision that closed it (one or
    more); ``outcome`` the single label an enquiry closed before threshold decisions
    carries. No further action means that and nothing else."""
    if status != EnquiryStatus.CLOSED or not (outcome or outcomes):
        return None
    if (outcome or Outcome.NO_FURTHER_ACTION) == Outcome.NO_FURTHER_ACTION and set(
        outcomes or [Outcome.NO_FURTHER_ACTION]
    ) == {Outcome.NO_FURTHER_ACTION}:
        return RecordKind.ENQUIRY_NO_FURTHER_ACTION
    return RecordKind.ENQUIRY_FURTHER_ACTION


def plan_batch(
    batch: _Batch, *, schedules: Schedules, holds: Holds, today: dt.date
) -> list[EnquiryPlan]:
    return [
        plan_enquiry(row, batch, schedules=schedules, holds=holds, today=today)
        for row in batch.enquiries
    ]


def plan_enquiry(
    row: dict[str, Any], batch: _Batch, *, schedules: Schedules, holds: Holds, today: dt.date
) -> EnquiryPlan:
    enquiry_id: uuid.UUID = row["id"]
    hub_id: int = row["hub_id"]
    plan = EnquiryPlan(enquiry_id=enquiry_id, hub_id=hub_id, reference=row["reference"])
    people = batch.people.get(enquiry_id, [])
    people_ids = {p["id"] for p in people}
    child_born = _youngest_child(people)
    child_died = _children_died(people)
    closed = _day(row["closed_at"])
    enquiry_activity = [_day(row["updated_at"]), _day(batch.activity.get(enquiry_id))]

    def end(
        kind: str, agency_id: int | None, facts: rules.Facts
    ) -> tuple[RetentionRule | None, dt.date | None]:
        rule = schedules.rule(kind, agency_id=agency_id, hub_id=hub_id)
        if rule is None:
            return None, None
        return rule, rules.retention_ends(rule.as_rule(), facts)

    def facts(
        created: Any,
        activity: Iterable[Any] = (),
        born: dt.date | None = child_born,
        died: dt.date | None = child_died,
    ) -> rules.Facts:
        return rules.Facts(
            created=_day(created),
            closed=closed,
            activity=tuple(d for d in (_day(a) for a in activity) if d is not None),
            date_of_birth=born,
            date_of_death=died,
        )

    def expired(ends: dt.date | None) -> bool:
        return ends is not None and today > ends

    whole_held = holds.hubs.get(hub_id, set()) | holds.enquiries.get(enquiry_id, set())
    people_held = holds.on_people(people_ids)

    # Every record in the enquiry, with its own rule and last day; and each group's.
    group_ends: list[dt.date | None] = []
    request_groups: list[tuple[uuid.UUID, dt.date | None, set[uuid.UUID]]] = []
    decision_groups: list[tuple[uuid.UUID, dt.date | None, set[uuid.UUID]]] = []
    item_targets: list[tuple[Target | None, set[uuid.UUID]]] = []
    all_targets: list[Target | None] = []

    def target(
        kind: str,
        object_type: str,
        object_id: uuid.UUID,
        rule: RetentionRule | None,
        ends: dt.date | None,
    ) -> Target | None:
        if rule is None or ends is None:
            return None
        return Target(kind, object_type, object_id, rule, ends)

    for request in batch.requests.get(enquiry_id, []):
        concerned = batch.request_people.get(request["id"], set())
        decision_ends: list[dt.date | None] = []
        request_activity = [request["created_at"], request["withdrawn_at"]]
        for decision in batch.decisions.get(request["id"], []):
            item_ends = []
            for item in batch.items.get(decision["id"], []):
                item_people = batch.item_people.get(item["id"], set()) | concerned
                rule, ends = end(
                    RecordKind.DISCLOSURE, decision["agency_id"], facts(item["created_at"])
                )
                t = target(RecordKind.DISCLOSURE, "sharing.disclosureitem", item["id"], rule, ends)
                item_targets.append((t, item_people))
                all_targets.append(t)
                item_ends.append(ends)
                request_activity.append(item["created_at"])
            rule, ends = end(
                RecordKind.DECISION,
                decision["agency_id"],
                facts(decision["decided_at"], [decision["decided_at"]]),
            )
            all_targets.append(
                target(RecordKind.DECISION, "sharing.decision", decision["id"], rule, ends)
            )
            decision_ends.append(_latest_end([ends, *item_ends]))
            request_activity.append(decision["decided_at"])
        decisions_end = _latest_end(decision_ends)
        if decision_ends:
            decision_groups.append((request["id"], decisions_end, concerned))
        rule, ends = end(RecordKind.REQUEST, hub_id, facts(request["created_at"], request_activity))
        all_targets.append(
            target(RecordKind.REQUEST, "sharing.informationrequest", request["id"], rule, ends)
        )
        request_end = _latest_end([ends, decisions_end])
        request_groups.append((request["id"], request_end, concerned))
        group_ends.append(request_end)
        enquiry_activity.extend(_day(a) for a in request_activity)

    consent_groups: list[tuple[uuid.UUID, dt.date | None]] = []
    evidence_targets: list[tuple[Target | None, uuid.UUID]] = []
    by_id = {p["id"]: p for p in people}
    for person_id, consents in batch.consents.items():
        if person_id not in by_id:
            continue
        person = by_id[person_id]
        is_child = person["kind"] == PersonKind.CHILD
        born = _birth(person) if is_child else child_born
        died = person["date_of_death"] if is_child else child_died
        ends_here: list[dt.date | None] = []
        for consent in consents:
            rule, ends = end(
                RecordKind.CONSENT, hub_id, facts(consent["recorded_at"], born=born, died=died)
            )
            all_targets.append(
                target(RecordKind.CONSENT, "consent.consentrecord", consent["id"], rule, ends)
            )
            ends_here.append(ends)
            enquiry_activity.append(_day(consent["recorded_at"]))
            if consent["evidence_name"]:
                rule, evidence_ends = end(
                    RecordKind.EVIDENCE,
                    hub_id,
                    facts(consent["recorded_at"], born=born, died=died),
                )
                t = target(
                    RecordKind.EVIDENCE, "consent.evidence", consent["id"], rule, evidence_ends
                )
                evidence_targets.append((t, person_id))
                all_targets.append(t)
                ends_here.append(evidence_ends)
        group_end = _latest_end(ends_here)
        consent_groups.append((person_id, group_end))
        group_ends.append(group_end)

    # The enquiry as a whole.
    kind = enquiry_kind(row["status"], row["outcome"], row["outcomes"])
    if kind is not None:
        rule, ends = end(kind, hub_id, facts(row["created_at"], enquiry_activity))
        enquiry_target = target(kind, "enquiries.enquiry", enquiry_id, rule, ends)
        whole_end = _latest_end([ends, *group_ends])
        if enquiry_target is not None and expired(whole_end):
            blocking = whole_held | people_held
            contents = [t for t in all_targets if t is not None]
            person_targets = [
                Target(kind, "enquiries.person", p["id"], enquiry_target.rule, enquiry_target.ends)
                for p in people
            ]
            everything = [enquiry_target, *person_targets, *contents]
            if blocking:
                plan.held.extend(everything)
                plan.holds |= blocking
                return plan
            plan.whole = True
            plan.targets = everything
            plan.request_ids = [r for r, _, _ in request_groups]
            plan.consent_person_ids = [p for p, _ in consent_groups]
            return plan

    # Parts of the enquiry, each as its own rule says.
    def take(t: Target | None, held_by: set[uuid.UUID]) -> bool:
        if t is None or not expired(t.ends):
            return False
        if held_by:
            plan.held.append(t)
            plan.holds |= held_by
            return False
        plan.targets.append(t)
        return True

    gone_requests: set[uuid.UUID] = set()
    for request_id, request_end, concerned in request_groups:
        if expired(request_end):
            held_by = whole_held | holds.on_people(concerned)
            members = [
                t
                for t in all_targets
                if t is not None and _belongs_to_request(t, request_id, batch)
            ]
            if held_by:
                plan.held.extend(members)
                plan.holds |= held_by
            else:
                plan.targets.extend(members)
                plan.request_ids.append(request_id)
            gone_requests.add(request_id)
    for request_id, decisions_end, concerned in decision_groups:
        if request_id in gone_requests or not expired(decisions_end):
            continue
        held_by = whole_held | holds.on_people(concerned)
        members = [
            t
            for t in all_targets
            if t is not None
            and t.object_type != "sharing.informationrequest"
            and _belongs_to_request(t, request_id, batch)
        ]
        gone_requests.add(request_id)
        if held_by:
            plan.held.extend(members)
            plan.holds |= held_by
        else:
            plan.targets.extend(members)
            plan.decision_request_ids.append(request_id)
    items_gone = {t.object_id for t in plan.targets} | {t.object_id for t in plan.held}
    for t, item_people in item_targets:
        if t is None or t.object_id in items_gone:
            continue
        if take(t, whole_held | holds.on_people(item_people)):
            plan.item_ids.append(t.object_id)
    consents_gone: set[uuid.UUID] = set()
    for person_id, group_end in consent_groups:
        if not expired(group_end):
            continue
        held_by = whole_held | holds.on_people([person_id])
        ids = {c["id"] for c in batch.consents[person_id]}
        members = [
            t
            for t in all_targets
            if t is not None
            and t.object_type in {"consent.consentrecord", "consent.evidence"}
            and t.object_id in ids
        ]
        consents_gone |= ids
        if held_by:
            plan.held.extend(members)
            plan.holds |= held_by
        else:
            plan.targets.extend(members)
            plan.consent_person_ids.append(person_id)
    for t, person_id in evidence_targets:
        if t is None or t.object_id in consents_gone:
            continue
        if take(t, whole_held | holds.on_people([person_id])):
            plan.evidence_consent_ids.append(t.object_id)
    return plan


def _belongs_to_request(t: Target, request_id: uuid.UUID, batch: _Batch) -> bool:
    if t.object_type == "sharing.informationrequest":
        return t.object_id == request_id
    decisions = batch.decisions.get(request_id, [])
    if t.object_type == "sharing.decision":
        return any(d["id"] == t.object_id for d in decisions)
    if t.object_type == "sharing.disclosureitem":
        return any(i["id"] == t.object_id for d in decisions for i in batch.items.get(d["id"], []))
    return False


def enquiry_ids_after(after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
    """The next ``limit`` enquiry ids in id order (keyset pagination: a batch never
    shifts when earlier enquiries are destroyed)."""
    query = Enquiry.objects.order_by("pk")
    if after is not None:
        query = query.filter(pk__gt=after)
    return list(query.values_list("pk", flat=True)[:limit])


def plan_enquiries(
    enquiry_ids: Sequence[uuid.UUID],
    *,
    today: dt.date,
    schedules: Schedules | None = None,
    holds: Holds | None = None,
) -> list[EnquiryPlan]:
    return plan_batch(
        load(enquiry_ids),
        schedules=schedules or Schedules(),
        holds=holds or Holds(),
        today=today,
    )


@dataclass
class PreviewGroup:
    """What one rule will destroy by the horizon."""

    rule: RetentionRule
    kinds: dict[str, int] = field(default_factory=dict)
    enquiries: dict[uuid.UUID, tuple[str, dt.date, bool]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


@dataclass
class Preview:
    horizon: dt.date
    groups: list[PreviewGroup]
    held: list[EnquiryPlan]
    examined: int


def preview(*, today: dt.date, days: int, batch_size: int = 1000) -> Preview:
    """What the sweep will destroy between now and ``days`` from now if nothing changes,
    grouped by the rule that destroys it; and the enquiries holds keep."""
    horizon = today + dt.timedelta(days=days)
    schedules, holds = Schedules(), Holds()
    groups: dict[uuid.UUID, PreviewGroup] = {}
    held: list[EnquiryPlan] = []
    examined = 0
    after: uuid.UUID | None = None
    while True:
        ids = enquiry_ids_after(after, batch_size)
        if not ids:
            break
        after = ids[-1]
        examined += len(ids)
        for plan in plan_enquiries(ids, today=horizon, schedules=schedules, holds=holds):
            if plan.held:
                held.append(plan)
            for target in plan.targets:
                group = groups.setdefault(target.rule.pk, PreviewGroup(rule=target.rule))
                group.kinds[target.kind] = group.kinds.get(target.kind, 0) + 1
                first = target.ends + dt.timedelta(days=1)
                known = group.enquiries.get(plan.enquiry_id)
                if known is None or first < known[1]:
                    group.enquiries[plan.enquiry_id] = (
                        plan.reference,
                        max(first, today),
                        plan.whole,
                    )
    ordered = sorted(groups.values(), key=lambda g: (g.rule.agency.name, g.rule.get_kind_display()))
    return Preview(horizon=horizon, groups=ordered, held=held, examined=examined)


def holds_on(enquiries: Iterable[tuple[uuid.UUID, int]]) -> Holds:
    """The holds in force on these enquiries (given as id and hub id), their hubs or
    their people (read inside the sweep's transaction for the enquiries it is about to
    destroy: only those, not every hold of the hub)."""
    by_id = dict(enquiries)
    people = list(Person.objects.filter(enquiry_id__in=list(by_id)).values_list("pk", flat=True))
    return Holds(
        Hold.objects.filter(released_at__isnull=True).filter(
            Q(scope="hub", hub_id__in=set(by_id.values()))
            | Q(scope="enquiry", enquiry_id__in=list(by_id))
            | Q(scope="person", person_id__in=people)
        )
    )


def approved_part(plan: EnquiryPlan, approved: set[tuple[str, uuid.UUID]]) -> EnquiryPlan:
    """The part of ``plan`` (made again when an approved batch is destroyed) that the DPO
    approved: ``approved`` holds the (object type, id) of each record in the batch.

    Records that go together still go together: a request with its decisions and
    disclosures, the decisions of one request, a person's consent records, a whole
    enquiry; so a group goes only if every record of it the plan now finds is approved.
    What the plan no longer finds (held since, or no longer past its retention) is not
    destroyed, whatever was approved; what it finds that was not approved (it passed its
    retention since the batch was planned) waits for the next batch."""
    out = EnquiryPlan(
        enquiry_id=plan.enquiry_id,
        hub_id=plan.hub_id,
        reference=plan.reference,
        held=plan.held,
        holds=plan.holds,
    )

    def key(t: Target) -> tuple[str, uuid.UUID]:
        return (t.object_type, t.object_id)

    planned = {key(t): t for t in plan.targets}
    if plan.whole:
        if set(planned) <= approved:
            return plan
        return out

    def take(keys: set[tuple[str, uuid.UUID]]) -> bool:
        """Take the group if everything of it the plan holds was approved."""
        found = keys & set(planned)
        if not found or not found <= approved:
            return False
        out.targets.extend(planned[k] for k in sorted(found, key=str))
        return True

    request_ids = [*plan.request_ids, *plan.decision_request_ids]
    decisions: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = defaultdict(set)
    by_decision: dict[uuid.UUID, uuid.UUID] = {}
    for decision_id, request_id in Decision.objects.filter(request_id__in=request_ids).values_list(
        "id", "request_id"
    ):
        decisions[request_id].add(("sharing.decision", decision_id))
        by_decision[decision_id] = request_id
    for item_id, decision_id in DisclosureItem.objects.filter(
        decision_id__in=list(by_decision)
    ).values_list("id", "decision_id"):
        decisions[by_decision[decision_id]].add(("sharing.disclosureitem", item_id))
    for request_id in plan.request_ids:
        if take({("sharing.informationrequest", request_id), *decisions[request_id]}):
            out.request_ids.append(request_id)
    for request_id in plan.decision_request_ids:
        if take(decisions[request_id]):
            out.decision_request_ids.append(request_id)
    for item_id in plan.item_ids:
        if take({("sharing.disclosureitem", item_id)}):
            out.item_ids.append(item_id)
    consents: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = defaultdict(set)
    for consent_id, person_id in ConsentRecord.objects.filter(
        person_id__in=plan.consent_person_ids
    ).values_list("id", "person_id"):
        consents[person_id] |= {
            ("consent.consentrecord", consent_id),
            ("consent.evidence", consent_id),
        }
    for person_id in plan.consent_person_ids:
        if take(consents[person_id]):
            out.consent_person_ids.append(person_id)
    for consent_id in plan.evidence_consent_ids:
        if take({("consent.evidence", consent_id)}):
            out.evidence_consent_ids.append(consent_id)
    return out


# How the batch page counts the people of a whole enquiry (they have no kind of their
# own in the schedules: they go with the enquiry, under its rule).
PERSON_IN_BATCH = "person"


@dataclass
class BatchEnquiry:
    """One enquiry of a sweep batch, as the DPO's page shows it."""

    enquiry_id: uuid.UUID
    reference: str | None  # None once the enquiry itself was destroyed
    first_day: dt.date
    whole: bool
    held_now: bool


@dataclass
class BatchGroup:
    """What one rule destroys in a sweep batch."""

    rule: RetentionRule | None
    rule_applied: str
    kinds: dict[str, int] = field(default_factory=dict)
    enquiries: dict[uuid.UUID, BatchEnquiry] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def batch_groups(batch: Any) -> list[BatchGroup]:
    """A sweep batch's records grouped by the rule that destroys them, each with the
    enquiries it touches (by reference), whether the whole enquiry goes, and whether a
    hold now keeps it (the sweep will then keep it, approved or not)."""
    from .models import SweepBatchItem

    rows = list(
        SweepBatchItem.objects.filter(batch=batch)
        .select_related("rule__agency")
        .order_by("retention_ended", "enquiry_id")
    )
    ids = sorted({row.enquiry_id for row in rows}, key=str)
    references: dict[uuid.UUID, str] = {}
    people: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        references.update(Enquiry.objects.filter(pk__in=chunk).values_list("pk", "reference"))
        for enquiry_id, person_id in Person.objects.filter(enquiry_id__in=chunk).values_list(
            "enquiry_id", "pk"
        ):
            people[enquiry_id].append(person_id)
    holds = Holds()
    hub_held = bool(holds.hubs.get(batch.hub_id))
    whole = {row.enquiry_id for row in rows if row.object_type == "enquiries.enquiry"}
    groups: dict[Any, BatchGroup] = {}
    for row in rows:
        key = row.rule_id or row.rule_applied
        group = groups.setdefault(key, BatchGroup(rule=row.rule, rule_applied=row.rule_applied))
        # A whole enquiry's people go under the enquiry's rule: counted as people.
        kind = PERSON_IN_BATCH if row.object_type == "enquiries.person" else row.kind
        group.kinds[kind] = group.kinds.get(kind, 0) + 1
        if row.enquiry_id not in group.enquiries:
            group.enquiries[row.enquiry_id] = BatchEnquiry(
                enquiry_id=row.enquiry_id,
                reference=references.get(row.enquiry_id),
                first_day=row.retention_ended + dt.timedelta(days=1),
                whole=row.enquiry_id in whole,
                held_now=hub_held
                or bool(holds.enquiries.get(row.enquiry_id))
                or bool(holds.on_people(people.get(row.enquiry_id, []))),
            )

    def order(group: BatchGroup) -> tuple[str, str]:
        if group.rule is None:
            return ("~", group.rule_applied)
        return (group.rule.agency.name, group.rule.get_kind_display())

    kind_order = [*RecordKind.values, PERSON_IN_BATCH]
    for group in groups.values():
        group.kinds = dict(sorted(group.kinds.items(), key=lambda pair: kind_order.index(pair[0])))
        group.enquiries = dict(
            sorted(
                group.enquiries.items(),
                key=lambda pair: (pair[1].first_day, pair[1].reference or "~"),
            )
        )
    return sorted(groups.values(), key=order)
