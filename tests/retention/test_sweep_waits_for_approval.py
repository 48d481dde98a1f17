"""With "DPO approval required for each sweep batch" on, the sweep destroys nothing of
the hub's: it stores what it found past retention as one batch awaiting the DPO's
approval (ids, kinds and rules), recorded; running it again plans nothing twice; and
``mash retention sweep`` says a batch is waiting."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from mash.agencies.models import Agency
from mash.records.models import RecordEntry
from mash.retention import services
from mash.retention.models import SweepBatch, SweepBatchItem, Tombstone
from tests.retention.batches import closed_long_ago, require_approval
from tests.retention.dataset import TODAY
from tests.retention.helpers import present_ids


@pytest.fixture
def waiting(generated: Any) -> Any:
    for hub in Agency.objects.filter(is_hub=True):
        require_approval(hub)
    return generated


def test_the_sweep_destroys_nothing_and_plans_a_batch_of_what_is_due(waiting: Any) -> None:
    before = present_ids()

    run = services.sweep(today=TODAY, batch_size=37)

    assert present_ids() == before
    assert not Tombstone.objects.exists()
    assert run.records_destroyed == 0
    batch = run.batches.get()  # hub2 is under a moratorium: nothing of its is due
    assert (batch.status, batch.hub.code, batch.planned_on) == ("pending", "hub", TODAY)
    due = {row.id for gen in waiting for row in gen.rows if row.destroyed}
    planned = set(
        SweepBatchItem.objects.filter(batch=batch)
        .exclude(object_type="consent.evidence")
        .values_list("object_id", flat=True)
    )
    assert due and {str(pk) for pk in planned} == due
    for item in SweepBatchItem.objects.filter(batch=batch).select_related("rule"):
        assert item.rule is not None and item.rule_applied == item.rule.describe()
        assert item.retention_ended < TODAY


def test_the_batch_is_recorded_naming_no_person_and_no_enquiry(waiting: Any) -> None:
    run = services.sweep(today=TODAY)

    entry = RecordEntry.objects.get(action="retention.batch_planned")
    batch = run.batches.get()
    assert (entry.object_type, entry.object_id) == ("retention.sweepbatch", str(batch.pk))
    # Not activity on any enquiry (that would restart "last activity" clocks).
    assert entry.enquiry_id is None and entry.actor_username == "system"
    assert entry.details["records"] == batch.items.count()
    assert "CANARY" not in repr(entry.details)
    assert not RecordEntry.objects.filter(action="retention.deletion").exists()


def test_sweeping_again_plans_no_second_batch_for_the_same_records(waiting: Any) -> None:
    services.sweep(today=TODAY, batch_size=50)
    items = set(SweepBatchItem.objects.values_list("object_type", "object_id"))

    again = services.sweep(today=TODAY, batch_size=13)

    assert not again.batches.exists()
    assert SweepBatch.objects.count() == 1
    assert set(SweepBatchItem.objects.values_list("object_type", "object_id")) == items
    assert RecordEntry.objects.filter(action="retention.batch_planned").count() == 1


def test_what_passes_retention_later_goes_in_a_new_batch_of_its_own(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = agencies["hub"]
    require_approval(hub)
    first = closed_long_ago(hub, cast["hub_practitioner"])
    services.sweep()
    second = closed_long_ago(hub, cast["hub_practitioner"])

    run = services.sweep()

    batches = list(SweepBatch.objects.order_by("created_at"))
    assert len(batches) == 2 and batches[1] == run.batches.get()
    assert set(batches[0].items.values_list("enquiry_id", flat=True)) == {first.pk}
    assert set(batches[1].items.values_list("enquiry_id", flat=True)) == {second.pk}


def test_only_the_hub_that_asks_for_approval_waits_for_it(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.agencies.models import User
    from mash.enquiries.models import Enquiry

    other = Agency.objects.create(
        code="hub3", name="Another MASH", kind="childrens_social_care", is_hub=True
    )
    worker = User.objects.create_user(username="other", agency=other, role="practitioner")
    require_approval(agencies["hub"])
    waits = closed_long_ago(agencies["hub"], cast["hub_practitioner"])
    goes = closed_long_ago(other, worker)

    services.sweep()

    assert Enquiry.objects.filter(pk=waits.pk).exists()
    assert not Enquiry.objects.filter(pk=goes.pk).exists()
    assert SweepBatch.objects.get().hub == agencies["hub"]


def test_the_command_says_a_batch_awaits_approval(waiting: Any) -> None:
    out = io.StringIO()
    call_command("retention", "sweep", "--today", TODAY.isoformat(), stdout=out)
    batch = SweepBatch.objects.get()
    text = out.getvalue()
    assert f"Batch {batch.pk} awaits the DPO's approval" in text
    assert f"/retention/batches/{batch.pk}" in text
    assert "nothing in it is destroyed until approved" in text

    again = io.StringIO()
    call_command("retention", "sweep", "--today", TODAY.isoformat(), stdout=again)
    assert "awaits the DPO's approval" not in again.getvalue()
    assert f"{batch.items.count()} records in earlier batches still await" in again.getvalue()


def test_a_dry_run_plans_no_batch(waiting: Any) -> None:
    run = services.sweep(today=TODAY, dry_run=True)

    assert run.records_destroyed > 0  # what would go, counted
    assert not SweepBatch.objects.exists()
