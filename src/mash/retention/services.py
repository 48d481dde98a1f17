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
  data key is destroyed (``destroy_enquiry_data_keys``); the record entry names ids
  and codes only, never a person.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mash.agencies.models import Agency
from mash.consent import evidence as evidence_store
from mash.consent.models import ConsentRecord
from mash.enquiries.models import Enquiry, Person
from mash.records.models import Action
from mash.records.services import record, record_many
from mash.sharing.models import Decision, DisclosureItem, InformationRequest

from . import planning
from .models import (
    Dispute,
    DisputeStatus,
    Hold,
    HoldScope,
    ItemCorrection,
    SweepRun,
    Tombstone,
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
    """
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ValueError(f"batch size must be from 1 to {MAX_BATCH_SIZE}")
    today = today or timezone.localdate()
    run = SweepRun.objects.create(started_at=timezone.now(), dry_run=dry_run, today=today)
    total = Enquiry.objects.count()
    schedules = planning.Schedules()
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
) -> Destroyed:
    """Plan some enquiries again inside one transaction and destroy what the plans say:
    every enquiry's rows, tombstones and record entry commit together or not at all.

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
        plans = [
            plan
            for plan in planning.plan_enquiries(
                [pk for pk, _ in locked],
                today=today,
                schedules=schedules,
                holds=planning.holds_on(locked),
            )
            if plan.destroys_anything
        ]
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
            Enquiry.objects.filter(pk__in=[plan.enquiry_id for plan in whole]).delete()
            checkpoint("enquiry deleted")
            destroy_enquiry_data_keys(enquiry_ids=[plan.enquiry_id for plan in whole])
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
