"""Retention operations: the sweep that destroys what has passed its retention, and
holds. The only code that writes retention's tables or destroys personal data.

Guidance, Record: "Information should be kept in line with each organisation's
retention policy"; and DESIGN.md: deletions happen only through retention, and are
recorded.

The sweep's guarantees (tests/retention):

- it destroys only what ``planning`` finds past its retention and not held, checked
  again inside the transaction that destroys it (a hold placed mid-sweep counts);
- each enquiry is destroyed whole or not at all: a transaction covers a few dozen
  whole enquiries (``ENQUIRIES_PER_TRANSACTION``), and their rows, tombstones and
  record entries commit together or not at all, so a run killed at any point never
  leaves a half-deleted enquiry, and the next run finishes the job;
- it is idempotent: what is gone is not found again, and tombstones are unique per
  record;
- content is deleted (rows, and on SQLite the pages they used are overwritten:
  ``PRAGMA secure_delete``, then the write-ahead log is truncated); the enquiry's
  data keys are destroyed (``destroy_enquiry_data_keys``); the record entry names ids
  and codes only, never a person;
- in a hub whose settings require the DPO's approval of each batch it destroys only
  what the DPO approved (``approve_batch``), and of that only what the plan made
  again at destruction still finds (a hold placed after approval counts).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mash.agencies.models import Agency
from mash.consent import evidence as evidence_store
from mash.consent.models import ConsentRecord
from mash.enquiries.models import Enquiry, Person
from mash.records.models import Action
from mash.records.services import record, record_many
from mash.sharing.models import Decision, DisclosureItem, InformationRequest

from . import permissions, planning, sar
from .models import (
    OPEN_BATCH_STATUSES,
    BatchStatus,
    Dispute,
    DisputeStatus,
    Hold,
    HoldScope,
    ItemCorrection,
    ItemOutcome,
    ProposalDecision,
    RedactionProposal,
    RetentionRule,
    ReviewStatus,
    SubjectAccessReview,
    SweepBatch,
    SweepBatchItem,
    SweepRun,
    Tombstone,
    hubs_requiring_approval,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
# Enquiries destroyed in one transaction. Each is still all or nothing (the transaction
# covers whole enquiries); more per transaction means fewer round trips and commits,
# but a longer hold on the write lock (on SQLite, every other writer waits).
ENQUIRIES_PER_TRANSACTION = 50
# A batch's ids go into SQL IN lists (SQLite allows 32,766 parameters per query).
MAX_BATCH_SIZE = 2000


# Crypto-shredding -------------------------------------------------------------------


def destroy_enquiry_data_keys(*, enquiry_ids: list[uuid.UUID]) -> None:
    """Destroy these enquiries' data keys (crypto-shredding), inside the transaction
    that deletes their content: whatever copy of their ciphertext survives (a backup, a
    page the database has not yet reused) can never again be read. ``mash.keys``
    records it (``keys.destroyed``, each enquiry's id only); destroying twice is a
    no-op.
    """
    from mash.keys.services import destroy_enquiry_keys

    destroy_enquiry_keys(enquiry_ids=enquiry_ids, actor=None)


# The sweep --------------------------------------------------------------------------


@dataclass
class Progress:
    """Where a sweep has got to, for the command's progress lines."""

    run: SweepRun
    examined: int
    total: int


def sweep(
    *,
    today: dt.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> SweepRun:
    """Destroy everything past its retention that no hold keeps; a dry run only counts.

    Plans a batch of enquiries at a time (ids in order), then destroys the expired
    records of up to ``ENQUIRIES_PER_TRANSACTION`` enquiries in one transaction after
    planning them again inside it. Returns the run, with its counts (also kept in the
    database, updated after each batch so a killed run shows how far it got).

    In a hub whose settings require the DPO's approval of each batch
    (``RetentionSettings.approval_required``) it destroys nothing it has just found:
    it first destroys the batches the DPO has approved (``destroy_approved``), then
    stores what it finds as a new batch awaiting approval (``run.batches``), leaving
    out what an earlier batch still waiting (or approved) already holds.
    """
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ValueError(f"batch size must be from 1 to {MAX_BATCH_SIZE}")
    today = today or timezone.localdate()
    run = SweepRun.objects.create(started_at=timezone.now(), dry_run=dry_run, today=today)
    total = Enquiry.objects.count()
    schedules = planning.Schedules()
    approval_hubs = hubs_requiring_approval()
    proposed: dict[int, list[tuple[uuid.UUID, planning.Target]]] = {}
    if not dry_run:
        approved = list(
            SweepBatch.objects.filter(status=BatchStatus.APPROVED).order_by("decided_at")
        )
        if approved:
            done = destroy_approved(approved, today=today, run=run, schedules=schedules)
            run.records_destroyed += done.records
            run.enquiries_destroyed += done.whole_enquiries
    after: uuid.UUID | None = None
    while True:
        ids = planning.enquiry_ids_after(after, batch_size)
        if not ids:
            break
        after = ids[-1]
        plans = planning.plan_enquiries(ids, today=today, schedules=schedules)
        run.enquiries_examined += len(ids)
        due: list[uuid.UUID] = []
        for plan in plans:
            if plan.held:
                run.held += 1
            if not plan.destroys_anything:
                continue
            if dry_run:
                run.records_destroyed += len(plan.targets)
                run.enquiries_destroyed += int(plan.whole)
                continue
            if plan.hub_id in approval_hubs:
                proposed.setdefault(plan.hub_id, []).extend(
                    (plan.enquiry_id, target) for target in plan.targets
                )
                continue
            due.append(plan.enquiry_id)
        for start in range(0, len(due), ENQUIRIES_PER_TRANSACTION):
            destroyed = _destroy(
                due[start : start + ENQUIRIES_PER_TRANSACTION],
                today=today,
                run=run,
                schedules=schedules,
            )
            run.records_destroyed += destroyed.records
            run.enquiries_destroyed += destroyed.whole
        SweepRun.objects.filter(pk=run.pk).update(
            enquiries_examined=run.enquiries_examined,
            enquiries_destroyed=run.enquiries_destroyed,
            records_destroyed=run.records_destroyed,
            held=run.held,
        )
        if progress is not None:
            progress(Progress(run=run, examined=run.enquiries_examined, total=total))
    for hub_id, targets in sorted(proposed.items()):
        _plan_batch(hub_id=hub_id, targets=targets, today=today, run=run)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    if not dry_run:
        release_free_space()
    return run


@dataclass(frozen=True)
class Destroyed:
    whole: int  # enquiries destroyed whole
    records: int


def _destroy(
    enquiry_ids: list[uuid.UUID],
    *,
    today: dt.date,
    run: SweepRun,
    schedules: planning.Schedules,
    approved: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] | None = None,
    batches: dict[uuid.UUID, list[str]] | None = None,
) -> Destroyed:
    """Plan some enquiries again inside one transaction and destroy what the plans say:
    every enquiry's rows, tombstones and record entry commit together or not at all.
    With ``approved`` (per enquiry), only the part of each plan the DPO approved
    (``planning.approved_part``).

    One statement per table for all of them (not one per enquiry): a transaction's cost
    is mostly its round trips, so this is what lets a sweep of 100,000 enquiries finish
    in minutes.
    """
    with transaction.atomic():
        # Take the write lock before reading (PostgreSQL; SQLite's BEGIN IMMEDIATE has it).
        locked = list(
            Enquiry.objects.select_for_update()
            .filter(pk__in=enquiry_ids)
            .order_by("pk")
            .values_list("pk", "hub_id")
        )
        if not locked:
            return Destroyed(whole=0, records=0)
        fresh = planning.plan_enquiries(
            [pk for pk, _ in locked],
            today=today,
            schedules=schedules,
            holds=planning.holds_on(locked),
        )
        if approved is not None:
            fresh = [
                planning.approved_part(plan, approved.get(plan.enquiry_id, set())) for plan in fresh
            ]
        plans = [plan for plan in fresh if plan.destroys_anything]
        if not plans:
            return Destroyed(whole=0, records=0)
        now = timezone.now()
        whole = [plan for plan in plans if plan.whole]
        parts = [plan for plan in plans if not plan.whole]
        checkpoint("planned")
        _delete_requests([pk for plan in plans for pk in plan.request_ids])
        checkpoint("requests deleted")
        _delete_decisions([pk for plan in parts for pk in plan.decision_request_ids])
        items = [pk for plan in parts for pk in plan.item_ids]
        if items:
            DisclosureItem.objects.filter(pk__in=items).delete()
        checkpoint("items deleted")
        _delete_consents([pk for plan in plans for pk in plan.consent_person_ids])
        _delete_evidence([pk for plan in parts for pk in plan.evidence_consent_ids])
        checkpoint("consent deleted")
        if whole:
            from mash.people.models import PersonLink
            from mash.people.services import keep_latest

            whole_ids = [plan.enquiry_id for plan in whole]
            # The index's people who lose a record here: their latest record is read
            # again once it is gone (search sorts by it), in this transaction.
            indexed = {
                ip_id
                for chunk in _chunks(whole_ids)
                for ip_id in PersonLink.objects.filter(person__enquiry_id__in=chunk)
                .values_list("indexed_person_id", flat=True)
                .distinct()
            }
            Enquiry.objects.filter(pk__in=whole_ids).delete()
            checkpoint("enquiry deleted")
            keep_latest(indexed_person_ids=indexed)
            destroy_enquiry_data_keys(enquiry_ids=whole_ids)
        Tombstone.objects.bulk_create(
            [
                Tombstone(
                    kind=target.kind,
                    object_type=target.object_type,
                    object_id=target.object_id,
                    enquiry_id=plan.enquiry_id,
                    hub_id=plan.hub_id,
                    rule_agency_id=target.rule.agency_id,
                    rule=target.rule,
                    rule_applied=target.rule.describe()[:200],
                    retention_ended=target.ends,
                    destroyed_at=now,
                    sweep=run,
                )
                for plan in plans
                for target in plan.targets
            ],
            batch_size=500,
        )
        checkpoint("tombstones written")
        record_many(
            {
                "action": Action.RETENTION_DELETION,
                "actor": None,
                "object_type": "enquiries.enquiry" if plan.whole else "retention.sweeprun",
                "object_id": str(plan.enquiry_id) if plan.whole else str(run.pk),
                "enquiry": plan.enquiry_id,
                "details": {
                    "sweep": run.pk,
                    "whole_enquiry": plan.whole,
                    "destroyed": dict(
                        sorted(Counter(target.object_type for target in plan.targets).items())
                    ),
                    "rules": sorted({str(target.rule.pk) for target in plan.targets}),
                    **(
                        {"batches": batches.get(plan.enquiry_id, [])} if batches is not None else {}
                    ),
                },
            }
            for plan in plans
        )
        checkpoint("recorded")
    return Destroyed(whole=len(whole), records=sum(len(plan.targets) for plan in plans))


def checkpoint(name: str) -> None:
    """A named point inside an enquiry's destruction. Does nothing; the tests replace
    it to kill the sweep there and check that nothing was half done."""
    return None


def _delete_requests(request_ids: list[uuid.UUID]) -> None:
    if not request_ids:
        return
    _delete_decisions(request_ids)
    InformationRequest.objects.filter(pk__in=request_ids).delete()


def _delete_decisions(request_ids: list[uuid.UUID]) -> None:
    """The decisions of these requests and their disclosures. A correction points at
    the decision it corrects (PROTECT), so the links go first: they all go together."""
    if not request_ids:
        return
    decisions = Decision.objects.filter(request_id__in=request_ids)
    decisions.exclude(supersedes=None).update(supersedes=None)
    decision_ids = list(decisions.values_list("pk", flat=True))
    DisclosureItem.objects.filter(decision_id__in=decision_ids).delete()
    decisions.delete()


def _delete_consents(person_ids: list[uuid.UUID]) -> None:
    """Every consent record of these people (a withdrawal points at what it withdraws,
    so they go together); their evidence files go when the deletion commits."""
    if not person_ids:
        return
    records = ConsentRecord.objects.filter(person_id__in=person_ids)
    records.exclude(withdraws=None).update(withdraws=None)
    records.delete()  # the consent app's post_delete signal removes the files on commit


def _delete_evidence(consent_ids: list[uuid.UUID]) -> None:
    """An evidence file past its own retention, while its consent record stays: the
    file is removed once the transaction commits, and the record forgets it."""
    if not consent_ids:
        return
    records = ConsentRecord.objects.filter(pk__in=consent_ids).exclude(evidence_name="")
    names = list(records.values_list("evidence_name", flat=True))
    records.update(
        evidence_name="", evidence_content_type="", evidence_size=None, evidence_sha256=""
    )
    for name in names:
        transaction.on_commit(_discarder(name))


def _discarder(name: str) -> Callable[[], None]:
    return lambda: evidence_store.discard(name)


def release_free_space() -> None:
    """After a sweep: on SQLite, write the log back into the database and truncate it
    to nothing, so no copy of a deleted page stays in ``mash.sqlite3-wal`` (deleted
    pages in the database file itself are already zeroed: ``PRAGMA secure_delete``).
    On PostgreSQL deleted rows stay in their pages until VACUUM reuses them, and
    crypto-shredding is what makes them unreadable (docs/operations.md)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# The tables that hold people's text: rewritten by ``vacuum_full``.
PERSONAL_TABLES = (
    "enquiries_enquiry",
    "enquiries_person",
    "sharing_informationrequest",
    "sharing_decision",
    "sharing_disclosureitem",
    "consent_consentrecord",
)


def vacuum_full() -> None:
    """Rewrite the tables that held destroyed text, so no page of the database keeps
    it. On PostgreSQL a DELETE (and a plain VACUUM) leaves the deleted row's bytes in
    its page until something overwrites them; ``VACUUM FULL`` copies the live rows
    to a new file and drops the old one (it locks each table while it runs: a
    maintenance window, docs/operations.md). On SQLite ``secure_delete`` has already
    zeroed the freed space; ``VACUUM`` also gives it back to the file system."""
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM cannot run inside a transaction")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in PERSONAL_TABLES:
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        else:
            cursor.execute("VACUUM")
    release_free_space()


# Batches awaiting the DPO's approval -------------------------------------------------

# Ids go into SQL IN lists a chunk at a time (SQLite allows 32,766 parameters a query).
_CHUNK = 1000


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]


def _plan_batch(
    *,
    hub_id: int,
    targets: list[tuple[uuid.UUID, planning.Target]],
    today: dt.date,
    run: SweepRun,
) -> SweepBatch | None:
    """Store what a sweep found past its retention in a hub that requires the DPO's
    approval, as one batch awaiting it: every record not already in a batch still
    waiting or approved (so running the sweep again plans nothing twice). One
    transaction: the batch, its items and the record entry, or nothing."""
    with transaction.atomic():
        # One planner per hub at a time (PostgreSQL; SQLite's BEGIN IMMEDIATE has it).
        Agency.objects.select_for_update().filter(pk=hub_id).first()
        waiting = set(
            SweepBatchItem.objects.filter(
                batch__hub_id=hub_id, batch__status__in=OPEN_BATCH_STATUSES
            ).values_list("object_type", "object_id")
        )
        new: dict[tuple[str, uuid.UUID], tuple[uuid.UUID, planning.Target]] = {}
        for enquiry_id, target in targets:
            key = (target.object_type, target.object_id)
            if key not in waiting:
                new.setdefault(key, (enquiry_id, target))
        if not new:
            return None
        batch = SweepBatch.objects.create(
            hub_id=hub_id, planned_on=today, created_at=timezone.now(), planned_by=run
        )
        SweepBatchItem.objects.bulk_create(
            [
                SweepBatchItem(
                    batch=batch,
                    enquiry_id=enquiry_id,
                    kind=target.kind,
                    object_type=target.object_type,
                    object_id=target.object_id,
                    rule=target.rule,
                    rule_applied=target.rule.describe()[:200],
                    retention_ended=target.ends,
                )
                for enquiry_id, target in new.values()
            ],
            batch_size=_CHUNK,
        )
        kinds = Counter(target.kind for _, target in new.values())
        record(
            action=Action.BATCH_PLANNED,
            actor=None,
            obj=batch,
            details={
                "sweep": run.pk,
                "records": len(new),
                "enquiries": len({enquiry_id for enquiry_id, _ in new.values()}),
                "kinds": dict(sorted(kinds.items())),
                "rules": sorted({str(target.rule.pk) for _, target in new.values()}),
            },
        )
    return batch


def _decide(*, actor: Any, batch: SweepBatch, status: str, reason: str = "") -> SweepBatch:
    if not permissions.can_decide_batch(actor, batch):
        raise PermissionDenied
    with transaction.atomic():
        fresh = SweepBatch.objects.select_for_update().get(pk=batch.pk)
        if fresh.status != BatchStatus.PENDING:
            state = fresh.get_status_display().lower()
            raise ValidationError(
                {"decision": f"This batch is no longer awaiting approval: {state}"}
            )
        fresh.status = status
        fresh.decided_by = actor
        fresh.decided_at = timezone.now()
        fresh.rejection_reason = reason
        fresh.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        items = SweepBatchItem.objects.filter(batch=fresh)
        record(
            action=Action.BATCH_APPROVED
            if status == BatchStatus.APPROVED
            else Action.BATCH_REJECTED,
            actor=actor,
            obj=fresh,
            details={
                "records": items.count(),
                "enquiries": items.values("enquiry_id").distinct().count(),
            },
        )
    return fresh


def approve_batch(*, actor: Any, batch: SweepBatch) -> SweepBatch:
    """The DPO approves a batch: the next sweep destroys it (``destroy_approved``), or
    ``destroy_batch`` does now. Recorded, with who and when."""
    return _decide(actor=actor, batch=batch, status=BatchStatus.APPROVED)


def reject_batch(*, actor: Any, batch: SweepBatch, reason: str) -> SweepBatch:
    """The DPO rejects a batch: nothing in it is destroyed, and its records come back in
    the next sweep's planning (place a hold to keep them for good). The reason is
    required; it is kept sealed in the batch, and the record entry does not hold it."""
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why you are rejecting the batch"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    return _decide(actor=actor, batch=batch, status=BatchStatus.REJECTED, reason=reason.strip())


def destroy_approved(
    batches: list[SweepBatch],
    *,
    today: dt.date,
    run: SweepRun,
    schedules: planning.Schedules | None = None,
) -> Totals:
    """Destroy approved batches: each of their enquiries is planned again inside its own
    transaction and only the part of the new plan that an approved batch holds is
    destroyed (``planning.approved_part``): nothing held since, or no longer past its
    retention. Then each batch is marked destroyed, item by item (destroyed or kept),
    with a record entry. Safe to kill and run again, like the sweep."""
    schedules = schedules or planning.Schedules()
    ids = [batch.pk for batch in batches if batch.status == BatchStatus.APPROVED]
    approved: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = {}
    in_batches: dict[uuid.UUID, set[str]] = {}
    rows = SweepBatchItem.objects.filter(batch_id__in=ids).values_list(
        "enquiry_id", "object_type", "object_id", "batch_id"
    )
    for enquiry_id, object_type, object_id, batch_id in rows:
        approved.setdefault(enquiry_id, set()).add((object_type, object_id))
        in_batches.setdefault(enquiry_id, set()).add(str(batch_id))
    records = whole = 0
    due = sorted(approved)
    for start in range(0, len(due), ENQUIRIES_PER_TRANSACTION):
        done = _destroy(
            due[start : start + ENQUIRIES_PER_TRANSACTION],
            today=today,
            run=run,
            schedules=schedules,
            approved=approved,
            batches={enquiry_id: sorted(ids) for enquiry_id, ids in in_batches.items()},
        )
        records += done.records
        whole += done.whole
    for batch_id in ids:
        _close_batch(batch_id, run=run)
    return Totals(records=records, whole_enquiries=whole)


@dataclass(frozen=True)
class Totals:
    """What destroying approved batches destroyed: records, and whole enquiries."""

    records: int
    whole_enquiries: int


def _close_batch(batch_id: uuid.UUID, *, run: SweepRun) -> None:
    """Mark an approved batch destroyed: each item destroyed (it has a tombstone) or kept."""
    with transaction.atomic():
        batch = SweepBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != BatchStatus.APPROVED:
            return  # another sweep closed it
        items = list(
            SweepBatchItem.objects.filter(batch=batch).values_list("pk", "object_type", "object_id")
        )
        gone: set[tuple[str, uuid.UUID]] = set()
        for chunk in _chunks([object_id for _, _, object_id in items]):
            gone |= set(
                Tombstone.objects.filter(object_id__in=chunk).values_list(
                    "object_type", "object_id"
                )
            )
        destroyed = [pk for pk, object_type, object_id in items if (object_type, object_id) in gone]
        kept = [pk for pk, object_type, object_id in items if (object_type, object_id) not in gone]
        for chunk in _chunks(destroyed):
            SweepBatchItem.objects.filter(pk__in=chunk).update(outcome=ItemOutcome.DESTROYED)
        for chunk in _chunks(kept):
            SweepBatchItem.objects.filter(pk__in=chunk).update(outcome=ItemOutcome.KEPT)
        batch.status = BatchStatus.DESTROYED
        batch.destroyed_at = timezone.now()
        batch.destroyed_by = run
        batch.records_destroyed = len(destroyed)
        batch.records_kept = len(kept)
        batch.save(
            update_fields=[
                "status",
                "destroyed_at",
                "destroyed_by",
                "records_destroyed",
                "records_kept",
            ]
        )
        record(
            action=Action.BATCH_DESTROYED,
            actor=None,
            obj=batch,
            details={"sweep": run.pk, "destroyed": len(destroyed), "kept": len(kept)},
        )


def destroy_batch(*, batch: SweepBatch, today: dt.date | None = None) -> SweepBatch:
    """Destroy one approved batch now, without waiting for the next sweep (a run of its
    own is kept, like a sweep's). What has been held since it was approved, or is no
    longer past its retention, is kept."""
    if batch.status != BatchStatus.APPROVED:
        raise ValidationError({"batch": "Only an approved batch can be destroyed"})
    today = today or timezone.localdate()
    run = SweepRun.objects.create(started_at=timezone.now(), today=today)
    done = destroy_approved([batch], today=today, run=run)
    run.records_destroyed = done.records
    run.enquiries_destroyed = done.whole_enquiries
    run.finished_at = timezone.now()
    run.save(update_fields=["records_destroyed", "enquiries_destroyed", "finished_at"])
    release_free_space()
    return SweepBatch.objects.get(pk=batch.pk)


# Schedules --------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One line of a schedule: keep ``kind`` for ``amount`` ``unit`` from ``trigger``,
    because ``reason``."""

    kind: str
    amount: int
    unit: str
    trigger: str
    reason: str


def ensure_rules(*, agency: Agency, rules: list[RuleSpec], actor: Any = None) -> int:
    """Give ``agency`` each rule it does not have yet (a rule the agency already has for
    that kind is left as it is: an administrator may have changed it). Idempotent.
    Returns how many were added; each addition is recorded (kind and period, codes
    only) in the same transaction. Used by ``mash demo``; administrators keep schedules
    in the admin."""
    added = 0
    with transaction.atomic():
        have = set(RetentionRule.objects.filter(agency=agency).values_list("kind", flat=True))
        for spec in rules:
            if spec.kind in have:
                continue
            rule = RetentionRule(
                agency=agency,
                kind=spec.kind,
                amount=spec.amount,
                unit=spec.unit,
                trigger=spec.trigger,
                reason=spec.reason,
            )
            rule.full_clean()
            rule.save()
            have.add(spec.kind)
            added += 1
            record(
                action=Action.RETENTION_RULE_SET,
                actor=actor,
                obj=rule,
                details={
                    "agency": agency.code,
                    "kind": spec.kind,
                    "amount": spec.amount,
                    "unit": spec.unit,
                    "trigger": spec.trigger,
                },
            )
    return added


# Holds ------------------------------------------------------------------------------


def place_hold(
    *,
    actor: Any,
    scope: str,
    reason: str,
    review_on: dt.date,
    person: Person | None = None,
    enquiry: Enquiry | None = None,
    hub: Agency | None = None,
) -> Hold:
    """Stop any destruction of a person's, an enquiry's or a whole hub's records until
    the hold is released. Recorded (ids and the scope only: the reason stays in the
    hold)."""
    errors: dict[str, str] = {}
    if scope not in HoldScope.values:
        errors["scope"] = "Select what the hold is on"
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the hold"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    if review_on is None:
        errors["review_on"] = "Enter the date the hold is next reviewed"
    elif review_on < timezone.localdate():
        errors["review_on"] = "The review date must be today or in the future"
    target = {"person": person, "enquiry": enquiry, "hub": hub}.get(scope)
    if scope in HoldScope.values and target is None:
        errors["scope"] = f"Select the {scope} the hold is on"
    if hub is not None and not hub.is_hub:
        errors["scope"] = "A hold on a whole hub names the hub"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        hold = Hold.objects.create(
            scope=scope,
            person_id=person.pk if scope == HoldScope.PERSON and person else None,
            enquiry_id=(
                enquiry.pk
                if scope == HoldScope.ENQUIRY and enquiry
                else person.enquiry_id
                if scope == HoldScope.PERSON and person
                else None
            ),
            hub=hub if scope == HoldScope.HUB else None,
            reason=reason.strip(),
            review_on=review_on,
            placed_by=actor,
            placed_at=timezone.now(),
        )
        record(
            action=Action.HOLD_PLACED,
            actor=actor,
            obj=hold,
            enquiry=hold.enquiry_id,
            details={
                "scope": scope,
                "person_id": hold.person_id,
                "hub": hub.code if hub is not None and scope == HoldScope.HUB else None,
                "review_on": review_on.isoformat(),
            },
        )
    return hold


def release_hold(*, actor: Any, hold: Hold) -> Hold:
    """End a hold (it stays, with who released it and when). Recorded."""
    with transaction.atomic():
        fresh = Hold.objects.select_for_update().get(pk=hold.pk)
        if fresh.released_at is not None:
            raise ValidationError({"hold": "This hold has already been released"})
        fresh.released_at = timezone.now()
        fresh.released_by = actor
        fresh.save(update_fields=["released_at", "released_by"])
        record(
            action=Action.HOLD_RELEASED,
            actor=actor,
            obj=fresh,
            enquiry=fresh.enquiry_id,
            details={"scope": fresh.scope},
        )
    return fresh


# Rectification ----------------------------------------------------------------------


def record_dispute(
    *, actor: Any, item: DisclosureItem, person: Person, statement: str, received_on: dt.date
) -> Dispute:
    """Record a person's challenge to an item's accuracy. The item is then shown as
    disputed wherever it appears. Recorded (ids only: the statement stays here)."""
    errors: dict[str, str] = {}
    if not item.people.filter(pk=person.pk).exists():
        errors["person"] = "Select the person the item is about who challenges it"
    if not (statement or "").strip():
        errors["statement"] = "Enter what the person says is wrong"
    elif len(statement) > 5000:
        errors["statement"] = "The challenge must be 5000 characters or fewer"
    if received_on is None:
        errors["received_on"] = "Enter the date the challenge was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date the challenge was received must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dispute = Dispute.objects.create(
            item=item,
            person=person,
            statement=statement.strip(),
            received_on=received_on,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        record(
            action=Action.DISCLOSURE_DISPUTED,
            actor=actor,
            obj=item,
            enquiry=person.enquiry_id,
            details={"dispute": str(dispute.pk), "person": str(person.pk)},
        )
    return dispute


def correct_item(
    *, actor: Any, item: DisclosureItem, text: str, reason: str, dispute: Dispute | None = None
) -> ItemCorrection:
    """A corrected version of the item: a new version, the item as shared kept. Closes
    the challenge it answers. Recorded."""
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = "Enter the corrected information"
    elif len(text) > 5000:
        errors["text"] = "The corrected information must be 5000 characters or fewer"
    if not (reason or "").strip():
        errors["reason"] = "Enter why the item is corrected, and who at the agency said so"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    if dispute is not None and dispute.item_id != item.pk:
        errors["dispute"] = "Select a challenge to this item"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        DisclosureItem.objects.select_for_update().filter(pk=item.pk).first()
        latest = ItemCorrection.objects.filter(item=item).order_by("-version").first()
        correction = ItemCorrection.objects.create(
            item=item,
            version=(latest.version + 1) if latest else 1,
            text=text.strip(),
            reason=reason.strip(),
            dispute=dispute,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        open_disputes = Dispute.objects.filter(item=item, status=DisputeStatus.OPEN)
        if dispute is not None:
            open_disputes = open_disputes.filter(pk=dispute.pk)
        closed = [str(pk) for pk in open_disputes.values_list("pk", flat=True)]
        open_disputes.update(
            status=DisputeStatus.CORRECTED, resolved_by=actor, resolved_at=timezone.now()
        )
        enquiry_id = (
            InformationRequest.objects.filter(decisions__items=item)
            .values_list("enquiry_id", flat=True)
            .first()
        )
        record(
            action=Action.DISCLOSURE_CORRECTED,
            actor=actor,
            obj=item,
            enquiry=enquiry_id,
            details={"version": correction.version, "disputes_closed": closed},
        )
    return correction


def close_dispute_item_stands(*, actor: Any, dispute: Dispute, reason: str) -> Dispute:
    """Close a challenge with the decision that the item stands as shared (UK GDPR
    Article 16 does not oblige a change to what is accurate, or to an opinion fairly
    recorded as one), giving the reason. The challenge stays with the item, which is
    then shown as "challenged; the item stands" with the reason, instead of disputed.
    Recorded (ids and the outcome only: the reason is sealed in the challenge)."""
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the item stands"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if fresh.status != DisputeStatus.OPEN:
            raise ValidationError({"dispute": "This challenge has already been closed"})
        fresh.status = DisputeStatus.STANDS
        fresh.resolution = reason.strip()
        fresh.resolved_by = actor
        fresh.resolved_at = timezone.now()
        fresh.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        record(
            action=Action.DISPUTE_RESOLVED,
            actor=actor,
            obj=fresh.item,
            enquiry=fresh.person.enquiry_id,
            details={"dispute": str(fresh.pk), "outcome": DisputeStatus.STANDS.value},
        )
    return fresh


# Subject access: the DPO's review of proposed redactions ---------------------------


class ReviewOutOfDate(ValueError):
    """The records changed since the proposals were made: they were made again (the
    DPO's decisions kept where the same text is still in the same place), and the DPO
    reviews the new ones (in ``review``) before the export is released."""

    def __init__(self, review: SubjectAccessReview) -> None:
        self.review = review
        super().__init__("the records changed since the review: review the proposals again")


def _review_people(review: SubjectAccessReview) -> list[Person]:
    return list(
        Person.objects.filter(pk__in=review.people, enquiry__hub_id=review.hub_id)
        .select_related("enquiry")
        .order_by("enquiry__reference", "created_at")
    )


def _sync_proposals(review: SubjectAccessReview, found: list[sar.Proposal]) -> dict[str, int]:
    """Make the review's stored proposals the ``found`` ones: keep each stored proposal
    (and its decision) whose text is still in the same place, add the new ones
    undecided, drop the rest. Returns the counts."""
    stored = {p.key: p for p in review.proposals.all()}
    keep: set[uuid.UUID] = set()
    new: list[RedactionProposal] = []
    for position, proposal in enumerate(found):
        row = stored.get(proposal.key)
        if row is not None and row.text == proposal.text and row.pk not in keep:
            keep.add(row.pk)
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
            continue
        new.append(
            RedactionProposal(
                review=review,
                enquiry_id=proposal.enquiry_id,
                position=position,
                section=proposal.section,
                object_id=proposal.object_id,
                field=proposal.field,
                start=proposal.start,
                end=proposal.end,
                text=proposal.text,
                kind=proposal.kind.value,
                detail=proposal.detail[:40],
            )
        )
    dropped = [pk for pk in (row.pk for row in stored.values()) if pk not in keep]
    if dropped:
        RedactionProposal.objects.filter(pk__in=dropped).delete()
    for row in new:
        row.save()
    return {"kept": len(keep), "new": len(new), "dropped": len(dropped)}


def prepare_subject_access_review(*, actor: Any, people: list[Person]) -> SubjectAccessReview:
    """Propose the redactions for a subject access export of these records and keep
    them for the DPO's review (``sar.proposals``: third parties' names in the text).
    An open review of the same records is brought up to date instead of starting
    again, the DPO's decisions kept. Refuses (``sar.RestrictedRecords``) records in a
    restricted enquiry the DPO is not named on and has not broken the glass on. Recorded
    (``sar.review_prepared``: ids and counts only)."""
    if not permissions.can_export_subject_access(actor):
        raise PermissionDenied
    if not people:
        raise ValidationError({"person": "Select the records that are about the person"})
    if len(people) > sar.MAX_PEOPLE:
        raise ValidationError(
            {"person": f"A subject access export names at most {sar.MAX_PEOPLE} records"}
        )
    if any(p.enquiry.hub_id != actor.agency_id for p in people):
        raise ValidationError({"person": "Select the records that are about the person"})
    blocked = sar.restricted_people(actor, people)
    if blocked:
        raise sar.RestrictedRecords(
            sorted({p.enquiry.reference for p in people if p.pk in blocked})
        )
    ids = sorted(str(p.pk) for p in people)
    now = timezone.now()
    with transaction.atomic():
        review = next(
            (
                r
                for r in SubjectAccessReview.objects.select_for_update().filter(
                    hub=actor.agency, status=ReviewStatus.IN_REVIEW
                )
                if r.people == ids
            ),
            None,
        )
        if review is None:
            review = SubjectAccessReview.objects.create(
                hub=actor.agency, people=ids, prepared_by=actor, prepared_at=now, updated_at=now
            )
        else:
            review.updated_at = now
            review.save(update_fields=["updated_at"])
        found = sar.proposals(sar.bundle(people), people)
        counts = _sync_proposals(review, found)
        record(
            action=Action.SUBJECT_ACCESS_PREPARED,
            actor=actor,
            obj=review,
            details={
                "people": ids,
                "proposals": len(found),
                "reasons": dict(sorted(Counter(str(p.kind) for p in found).items())),
                **counts,
            },
        )
    return review


def decide_redactions(
    *, actor: Any, review: SubjectAccessReview, decisions: dict[uuid.UUID, str]
) -> SubjectAccessReview:
    """Save the DPO's decision on each proposal named (``accepted``: redact it;
    ``rejected``: release it as written). Proposals not named keep their decision.
    Recorded in the same transaction (``sar.redactions_decided``): each decision with
    where the text is and why it was proposed, never the text."""
    if not permissions.can_export_subject_access(actor) or review.hub_id != actor.agency_id:
        raise PermissionDenied
    allowed = {ProposalDecision.ACCEPTED.value, ProposalDecision.REJECTED.value}
    errors = [str(pk) for pk, value in decisions.items() if value not in allowed]
    if errors:
        raise ValidationError({"decision": "Select redact or release as written"})
    with transaction.atomic():
        fresh = SubjectAccessReview.objects.select_for_update().get(pk=review.pk)
        rows = {p.pk: p for p in fresh.proposals.filter(pk__in=list(decisions))}
        if len(rows) != len(decisions):
            raise ValidationError(
                {"decision": "A proposal is no longer in this review: reload the page"}
            )
        now = timezone.now()
        changed = []
        for pk, value in decisions.items():
            row = rows[pk]
            if row.decision == value:
                continue
            row.decision = value
            row.decided_by = actor
            row.decided_at = now
            row.save(update_fields=["decision", "decided_by", "decided_at"])
            changed.append(row)
        if not changed:
            return fresh  # nothing written, nothing to record
        fresh.updated_at = now
        fresh.save(update_fields=["updated_at"])
        undecided = fresh.proposals.filter(decision=ProposalDecision.UNDECIDED).count()
        record(
            action=Action.REDACTIONS_DECIDED,
            actor=actor,
            obj=fresh,
            details={
                "decisions": [
                    {
                        "proposal": str(row.pk),
                        "section": row.section,
                        "object_id": row.object_id,
                        "field": row.field,
                        "reason": row.kind,
                        "decision": row.decision,
                    }
                    for row in sorted(changed, key=lambda r: r.position)
                ],
                "undecided": undecided,
            },
        )
    return fresh


def release_subject_access(*, actor: Any, review: SubjectAccessReview, via: str = "page") -> bytes:
    """The export (ZIP) with the accepted redactions applied, once every proposal is
    decided. The records are read again: if the proposals made from them now differ
    from those reviewed, the review is brought up to date (decisions kept where they
    still apply) and ``ReviewOutOfDate`` raised, so nothing unreviewed is released.
    Refuses records restricted from the DPO (``sar.RestrictedRecords``). The export
    is recorded with where and why each redaction was made (``export.downloaded``)."""
    if not permissions.can_export_subject_access(actor) or review.hub_id != actor.agency_id:
        raise PermissionDenied
    people = _review_people(review)
    if len(people) != len(review.people):
        raise ValidationError(
            {"person": "Some of these records no longer exist: search for the person again"}
        )
    blocked = sar.restricted_people(actor, people)
    if blocked:
        raise sar.RestrictedRecords(
            sorted({p.enquiry.reference for p in people if p.pk in blocked})
        )
    with transaction.atomic():
        fresh = SubjectAccessReview.objects.select_for_update().get(pk=review.pk)
        stored = list(fresh.proposals.all())
        if any(p.decision == ProposalDecision.UNDECIDED for p in stored):
            raise ValidationError(
                {"decision": "Decide each proposed redaction before the export is released"}
            )
        found = sar.proposals(sar.bundle(people), people)
        by_key = {p.key: p for p in stored}
        current = len(found) == len(stored) and all(
            p.key in by_key and by_key[p.key].text == p.text for p in found
        )
        if current:
            accepted = [p for p in found if by_key[p.key].decision == ProposalDecision.ACCEPTED]
            content = sar.export(
                actor=actor, people=people, via=via, redactions=accepted, review=fresh
            )
            now = timezone.now()
            SubjectAccessReview.objects.filter(pk=fresh.pk).update(
                status=ReviewStatus.RELEASED, released_by=actor, released_at=now, updated_at=now
            )
    if not current:
        raise ReviewOutOfDate(prepare_subject_access_review(actor=actor, people=people))
    return content
